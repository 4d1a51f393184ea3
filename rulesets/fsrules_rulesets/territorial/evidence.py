"""The evidence types of the territorial rules: data only, worded by the rules' templates.

Field names and values are those the rules stored as dict evidence when the
ruleset landed (issue 16), so fingerprints did not change on conversion.
Codes (document, cadence, sector, milestone) are stored as their code and
rendered by label; ``Text`` display properties hold wording that depends on
the data and are never stored.
"""

from __future__ import annotations

import datetime as dt

from fsrules import Text
from fsrules.evidence import Code, evidence

from .facts import CadenceKind, DocumentKind, FoundBy, HolderKind

__all__ = [
    "CadenceEvidence",
    "CoverageEvidence",
    "DocumentEvidence",
    "EntryEvidence",
    "MilestoneEvidence",
    "NominationEvidence",
    "RateEvidence",
    "ShareEvidence",
    "TrainingEvidence",
    "cadence_label",
    "document_label",
    "sector_code",
]

_DOCUMENT_EN = {
    DocumentKind.RESPONSIBILITY_LIST: "responsibility list",
    DocumentKind.TASK_LIST: "task list",
    DocumentKind.SUPERVISION_LIST: "supervision list",
    DocumentKind.COMMITMENT: "commitment letter",
}

_CADENCE_EN = {
    CadenceKind.OVERSIGHT: "oversight (督查)",
    CadenceKind.DISPATCH: "dispatch meeting (调度)",
    CadenceKind.BULLETIN: "bulletin (通报)",
    CadenceKind.ASSESSMENT: "assessment (考核)",
    CadenceKind.COMMITTEE_HEARING: "hearing by the county standing committee",
    CadenceKind.STANDING_MEETING: "government standing meeting",
    CadenceKind.RISK_REVIEW: "risk review (风险研判)",
}

#: The sectors of the plan's item 22, as ``sectors`` tables name them.
_SECTORS = {
    "meat_egg_dairy_liquor_producers": ("肉蛋奶和白酒生产企业", "meat, egg, dairy and liquor producers"),
    "school_canteens": ("学校食堂", "school canteens"),
    "rural_banquets": ("农村集体聚餐", "rural collective banquets"),
    "meal_delivery": ("集体用餐配送单位", "collective-meal distributors"),
    "central_kitchens": ("中央厨房", "central kitchens"),
}


def document_label(document: DocumentKind) -> Text:
    """The document's name in both languages."""
    return Text(document.zh, _DOCUMENT_EN[document])


def cadence_label(cadence: CadenceKind) -> Text:
    """The event kind's name in both languages."""
    return Text(cadence.zh, _CADENCE_EN[cadence])


def sector_code(sector: str) -> Code:
    """The sector as a code, labelled when it is one of item 22's."""
    zh, en = _SECTORS.get(sector, (sector, sector.replace("_", " ")))
    return Code(sector, zh, en)


@evidence
class DocumentEvidence:
    """TERR-101…103: a 三单一书 document missing or out of date."""

    holder_kind: HolderKind
    document: DocumentKind
    status: str
    issued_on: dt.date | None
    document_id: str | None
    max_age_months: int

    @property
    def label(self) -> Text:
        """The document's name."""
        return document_label(self.document)


@evidence
class EntryEvidence:
    """TERR-201: one register entry open past its deadline."""

    entry_id: str
    hazard: str
    found_on: dt.date
    found_by: FoundBy
    department: str
    deadline: dt.date
    days_overdue: int
    operator_id: str | None


@evidence
class RateEvidence:
    """TERR-202/203: the register's on-time rectification rate."""

    scope: str
    due: int
    on_time: int
    rate_percent: float
    min_rate_percent: float
    not_on_time: tuple[str, ...]


@evidence
class CadenceEvidence:
    """TERR-301…306: a complete calendar period without an event of its kind."""

    cadence: CadenceKind
    period_label: str
    period_months: int

    @property
    def what(self) -> Text:
        """The event kind's name."""
        return cadence_label(self.cadence)


@evidence
class TrainingEvidence:
    """TERR-401: a cadre's training hours in the window."""

    cadre_id: str
    hours: float
    min_hours: float
    trainings: int
    operators: int


@evidence
class ShareEvidence:
    """TERR-501: the share of unannounced inspections."""

    measure: str
    recorded: int
    unannounced: int
    unrecorded: int
    share_percent: float
    min_share_percent: float


@evidence
class NominationEvidence:
    """TERR-502: a 你点我检 nomination open past its limit (``open``) or followed up late."""

    nomination_id: str
    target: str
    nominated_on: dt.date
    status: str
    followed_up_on: dt.date | None
    max_days: int
    due: dt.date
    township_id: str | None
    operator_id: str | None


@evidence
class MilestoneEvidence:
    """TERR-601…603: a milestone past its day without a completion record."""

    milestone: Code
    due: dt.date
    days_overdue: int


@evidence
class CoverageEvidence:
    """TERR-701/702: a sector's insurance or traceability coverage."""

    measure: str
    sector: Code
    operators: int
    covered: int
    coverage_percent: float
    min_percent: float
    not_covered: tuple[str, ...]
