"""Evidence types of the enterprise-duty rules (DUTY-001..006): data, no wording."""

from __future__ import annotations

import datetime as dt

from fsrules import Text
from fsrules.evidence import Code, evidence
from fsrules.model import StaffRole

__all__ = ["REASON", "DailyControlEvidence", "DirectorMissingEvidence", "DirectorNoDataEvidence",
           "MonthlyMeetingEvidence", "SafetyOfficerEvidence", "TrainingEvidence",
           "WeeklySweepEvidence"]


def _role_name(role: StaffRole) -> str:
    return str(role.value).replace("_", " ")


@evidence
class DailyControlEvidence:
    """DUTY-001: operating days of the year without a daily record by the right role."""

    year: int
    operating_days: int
    recorded_days: int
    missing_days: int
    first_missing: dt.date
    last_missing: dt.date
    missing_sample: tuple[str, ...]
    longest_gap: int
    wrong_role_days: int
    roles: tuple[StaffRole, ...]


@evidence
class WeeklySweepEvidence:
    """DUTY-002: operating weeks without a sweep; ``roles`` are the roles accepted."""

    year: int
    weeks_judged: int
    weeks_missing: int
    first_missing_week: dt.date
    missing_weeks: tuple[str, ...]
    wrong_role_weeks: int
    director_appointed: bool
    roles: tuple[StaffRole, ...]

    @property
    def role(self) -> Text:
        """The accepted roles, joined with 或 / or (each language sorted on its own)."""
        return Text("或".join(sorted(r.zh for r in self.roles)),
                    " or ".join(sorted(_role_name(r) for r in self.roles)))


@evidence
class MonthlyMeetingEvidence:
    """DUTY-003: operating months without a meeting by the principal."""

    year: int
    months_judged: int
    months_missing: int
    missing_months: tuple[str, ...]
    wrong_role_months: int
    roles: tuple[StaffRole, ...]

    @property
    def missing_list(self) -> str:
        """The missing months as the message has always shown them (a Python list)."""
        return str(list(self.missing_months))


#: Why an operator must appoint a 食品安全总监.
REASON = Code.table({
    "special_food": ("特殊食品生产者", "special-food producer"),
    "large_medium": ("大中型食品生产经营企业", "large or medium enterprise"),
    "chain_hq": ("连锁经营总部", "chain headquarters"),
    "canteen_diners": ("集中用餐单位食堂就餐人数达到门槛", "canteen at or above the diner threshold"),
})


@evidence
class DirectorMissingEvidence:
    """DUTY-004: why a director is required, and the operator's data behind it."""

    reasons: tuple[Code, ...]
    business_type: str
    scale: str | None
    avg_diners_per_meal: int | None
    diner_threshold: int | None
    former_director_ids: tuple[str, ...]


@evidence
class DirectorNoDataEvidence:
    """DUTY-004 (info, status no_data): a canteen without a director and no diner count."""

    reasons: tuple[Code, ...] = ()
    status: str = "no_data"
    avg_diners_per_meal: int | None
    diner_threshold: int


@evidence
class TrainingEvidence:
    """DUTY-005: one person's training hours in the year against the minimum."""

    person_id: str
    person_name: str
    role: StaffRole
    year: int
    hours: float
    min_hours: float
    shortfall: float
    training_ids: tuple[str, ...]
    window_open: bool

    @property
    def role_name(self) -> Text:
        """The post, in words."""
        return Text(self.role.zh, _role_name(self.role))


@evidence
class SafetyOfficerEvidence:
    """DUTY-006: the enterprise without a safety officer, and former officers."""

    business_type: str
    former_officer_ids: tuple[str, ...]
