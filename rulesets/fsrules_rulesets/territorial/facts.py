"""Fact kinds of the territorial ruleset (属地管理责任), registered through the hook.

The core model records operators and what regulators did to them; it has no
record of what the county and its townships must do themselves. These kinds,
prefixed ``territorial_`` because this ruleset brings them, hold what a county
food-safety office (县食安办) keeps for the seed systems:

* :class:`Township` and :class:`Department` — the bodies that carry territorial
  duties (乡镇 and 食安委成员单位);
* :class:`DutyDocument` — the 三单一书 of a township, department or 包保 cadre;
* :class:`RiskEntry` — one line of the 风险隐患清单＋治理责任清单;
* :class:`OversightEvent` — a 督查, 调度, 通报, 考核, the county committee's
  hearing or a 风险研判 meeting;
* :class:`CadreTraining` — a 包保 cadre's training;
* :class:`InspectionMode` — how an inspection was done (四不两直 or announced)
  and why (routine, complaint, 你点我检 nomination);
* :class:`Nomination` — a 你点我检/你点我查 nomination and its follow-up;
* :class:`InsurancePolicy` and :class:`TraceabilityEnrolment` — 食品安全责任保险
  and 追溯 coverage of operators;
* :class:`MilestoneReport` — a plan phase or deliverable completed.

Derived: :class:`TownshipRoster` (``red_black.py``), the township's operators
and the 红黑榜 weights, read by the ranking.

Any of them may be loaded as ``KIND.csv`` (or its Chinese title) with the
Chinese headers of the field metadata.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

import attrs

from fsrules import Fact
from fsrules.model import LabelledEnum

__all__ = [
    "ALL_FACT_KINDS",
    "CadenceKind",
    "CadreTraining",
    "Department",
    "DocumentKind",
    "DutyDocument",
    "FoundBy",
    "HolderKind",
    "InspectionMode",
    "InspectionSource",
    "InsurancePolicy",
    "MilestoneReport",
    "Nomination",
    "OversightEvent",
    "RiskEntry",
    "Township",
    "TownshipRoster",
    "TraceabilityEnrolment",
]

_CODE = re.compile(r"^\d{6}(\d{6})?$")


def _meta(zh: tuple[str, ...], doc: str) -> dict[str, Any]:
    return {"zh": zh, "doc": doc}


def _non_empty(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value or not str(value).strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _division_code(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not _CODE.match(str(value)):
        raise ValueError(f"{attribute.name} must be a 6- or 12-digit division code, got {value!r}")


def _non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


def _not_before(start: str) -> Any:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        first = getattr(inst, start)
        if value is not None and first is not None and value < first:
            raise ValueError(f"{attribute.name} ({value}) is before {start} ({first})")
    return check


# --------------------------------------------------------------------------- vocabularies


class HolderKind(LabelledEnum):
    """Who holds a 三单一书 document."""

    TOWNSHIP = ("township", "乡镇", ("乡镇政府", "乡镇人民政府", "街道"))
    DEPARTMENT = ("department", "部门", ("县直部门", "成员单位", "食安委成员单位"))
    CADRE = ("cadre", "包保干部", ("干部",))


class DocumentKind(LabelledEnum):
    """The four documents of 三单一书 (seed 000)."""

    RESPONSIBILITY_LIST = ("responsibility_list", "责任清单", ())
    TASK_LIST = ("task_list", "任务清单", ())
    SUPERVISION_LIST = ("supervision_list", "督查清单", ())
    COMMITMENT = ("commitment", "责任与任务承诺书",
                  ("承诺书", "食品安全责任与任务承诺书", "《食品安全责任与任务承诺书》"))


class FoundBy(LabelledEnum):
    """How a hidden risk came to the register."""

    INSPECTION = ("inspection", "监督检查", ("检查",))
    SAMPLING = ("sampling", "抽检监测", ("抽检", "风险监测"))
    COMPLAINT = ("complaint", "投诉举报", ("投诉", "举报"))
    RISK_REVIEW = ("risk_review", "风险研判", ("研判", "会商"))
    BAOBAO = ("baobao", "包保督导", ("督导",))
    NOMINATION = ("nomination", "你点我检", ("你点我查",))
    OVERSIGHT = ("oversight", "督查", ("督查检查", "暗访"))
    FINDING = ("finding", "问题清单", ("逐项销号", "fsrules"))
    OTHER = ("other", "其他", ())


class CadenceKind(LabelledEnum):
    """The recurring events of the county's oversight cadence (seeds 001 and 002)."""

    OVERSIGHT = ("oversight", "督查", ("月督查", "督查检查"))
    DISPATCH = ("dispatch", "调度", ("月调度", "调度会"))
    BULLETIN = ("bulletin", "通报", ("季通报", "通报评比"))
    ASSESSMENT = ("assessment", "考核", ("年考核", "考核问效", "评议考核"))
    COMMITTEE_HEARING = ("committee_hearing", "县委常委会听取汇报",
                         ("常委会听取汇报", "县委常委会", "听取食品安全工作汇报"))
    STANDING_MEETING = ("standing_meeting", "政府常务会议", ("常务会议", "县政府常务会议"))
    RISK_REVIEW = ("risk_review", "风险研判", ("季度风险研判", "风险会商"))


class InspectionSource(LabelledEnum):
    """Why an inspection was made."""

    ROUTINE = ("routine", "日常", ("计划", "日常检查", "双随机"))
    COMPLAINT = ("complaint", "投诉举报", ("投诉", "举报"))
    NOMINATION = ("nomination", "你点我检", ("你点我查", "群众点单"))
    SPECIAL = ("special", "专项", ("专项检查", "专项整治"))
    LEAD = ("lead", "问题线索", ("线索", "飞行检查"))


# --------------------------------------------------------------------------- bodies


@attrs.frozen(kw_only=True)
class Township(Fact):
    """A township or street (乡镇/街道) of a county: the unit of territorial duties."""

    KIND: ClassVar[str] = "territorial_township"
    TITLE_ZH: ClassVar[str] = "乡镇"
    REGION_FIELD: ClassVar[str | None] = "county_code"

    name: str = attrs.field(validator=_non_empty,
                            metadata=_meta(("名称", "乡镇", "乡镇名称"), "Name, as operators "
                                           "write it in their 乡镇 column."))
    county_code: str = attrs.field(validator=_division_code,
                                   metadata=_meta(("县级区划代码", "所属县区划代码", "行政区划代码"),
                                                  "The county's 6-digit division code."))
    population: int | None = attrs.field(default=None, validator=_non_negative,
                                         metadata=_meta(("常住人口",), "Residents."))


@attrs.frozen(kw_only=True)
class Department(Fact):
    """A county department with food-safety duties (食安委成员单位)."""

    KIND: ClassVar[str] = "territorial_department"
    TITLE_ZH: ClassVar[str] = "食安委成员单位"
    REGION_FIELD: ClassVar[str | None] = "region_code"

    name: str = attrs.field(validator=_non_empty,
                            metadata=_meta(("名称", "部门", "单位名称"), "Name, e.g. 县教育局."))
    region_code: str = attrs.field(validator=_division_code,
                                   metadata=_meta(("行政区划代码",), "The county's division code."))


# --------------------------------------------------------------------------- 三单一书


@attrs.frozen(kw_only=True)
class DutyDocument(Fact):
    """One document of a holder's 三单一书, as issued or signed."""

    KIND: ClassVar[str] = "territorial_duty_document"
    TITLE_ZH: ClassVar[str] = "三单一书"
    DATE_FIELD: ClassVar[str | None] = "issued_on"

    holder_kind: HolderKind = attrs.field(
        metadata=_meta(("责任主体类型", "主体类型"),
                                                   "乡镇, 部门 or 包保干部."))
    holder_id: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("责任主体编号", "主体编号"), "Township, department or cadre id."))
    document: DocumentKind = attrs.field(
        metadata=_meta(("文书", "文书类型", "清单类型"),
                                                     "责任清单, 任务清单, 督查清单 or 承诺书."))
    issued_on: dt.date = attrs.field(metadata=_meta(("印发日期", "签订日期", "日期"),
                                                    "Day it was issued or signed."))
    reference: str = attrs.field(default="", metadata=_meta(("文号", "存档编号"),
                                                            "Document number or archive ref."))


# --------------------------------------------------------------------------- 风险隐患清单＋治理责任清单


@attrs.frozen(kw_only=True)
class RiskEntry(Fact):
    """One hidden risk on the register, with who must govern it and by when."""

    KIND: ClassVar[str] = "territorial_risk_entry"
    TITLE_ZH: ClassVar[str] = "风险隐患清单"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "found_on"

    hazard: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("风险隐患", "隐患内容", "问题"), "The hidden risk."))
    township_id: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("乡镇编号", "所在乡镇编号"), "Township where it is (Township id)."))
    found_on: dt.date = attrs.field(metadata=_meta(("发现日期",), "Day it was found."))
    found_by: FoundBy = attrs.field(metadata=_meta(
        ("发现途径", "来源"), "How it was found."))
    department: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("治理责任单位", "责任单位"), "Department that must govern it (治理责任清单)."))
    deadline: dt.date = attrs.field(validator=_not_before("found_on"), metadata=_meta(
        ("整改期限", "整改时限"), "Last day for rectification."))
    rectified_on: dt.date | None = attrs.field(default=None, validator=_not_before("found_on"),
                                               metadata=_meta(("整改完成日期", "销号日期"),
                                                              "Day it was rectified (blank: open)."))
    operator_id: str | None = attrs.field(default=None, metadata=_meta(
        ("主体编号",), "Operator concerned, if any."))


# --------------------------------------------------------------------------- cadence


@attrs.frozen(kw_only=True)
class OversightEvent(Fact):
    """A 督查, 调度, 通报, 考核, committee hearing or 风险研判 held."""

    KIND: ClassVar[str] = "territorial_oversight_event"
    TITLE_ZH: ClassVar[str] = "督查调度通报考核"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "held_on"

    cadence: CadenceKind = attrs.field(metadata=_meta(
        ("类型", "事项"), "督查, 调度, 通报, 考核, 县委常委会听取汇报, 政府常务会议 or 风险研判."))
    region_code: str = attrs.field(validator=_division_code, metadata=_meta(
        ("行政区划代码",), "County that held it."))
    held_on: dt.date = attrs.field(metadata=_meta(("日期", "召开日期", "开展日期"), "Day held."))
    township_id: str | None = attrs.field(default=None, metadata=_meta(
        ("乡镇编号",), "Township that held it (blank: the county)."))
    topic: str = attrs.field(default="", metadata=_meta(("内容", "议题"), "Topic."))


# --------------------------------------------------------------------------- people


@attrs.frozen(kw_only=True)
class CadreTraining(Fact):
    """A 包保 cadre's training (《包保干部培训指南》, seed 000)."""

    KIND: ClassVar[str] = "territorial_cadre_training"
    TITLE_ZH: ClassVar[str] = "包保干部培训"
    DATE_FIELD: ClassVar[str | None] = "trained_on"

    cadre_id: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("包保干部编号", "干部编号"), "Cadre (as in baobao_assignment)."))
    trained_on: dt.date = attrs.field(metadata=_meta(("培训日期",), "Day."))
    hours: float = attrs.field(validator=_non_negative, metadata=_meta(("学时",), "Class hours."))
    course: str = attrs.field(default="", metadata=_meta(("培训内容", "课程"), "Course."))


# --------------------------------------------------------------------------- inspections and nominations


@attrs.frozen(kw_only=True)
class InspectionMode(Fact):
    """How and why an inspection (core ``inspection``) was made."""

    KIND: ClassVar[str] = "territorial_inspection_mode"
    TITLE_ZH: ClassVar[str] = "检查方式"

    inspection_id: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("检查编号", "监督检查编号"), "The inspection's id."))
    unannounced: bool = attrs.field(metadata=_meta(
        ("四不两直", "不打招呼", "暗查暗访"), "Made 四不两直: unannounced, straight to the site."))
    source: InspectionSource = attrs.field(
        default=InspectionSource.ROUTINE,
        metadata=_meta(("检查来源", "来源"), "日常, 投诉举报, 你点我检, 专项 or 问题线索."))
    nomination_id: str | None = attrs.field(default=None, metadata=_meta(
        ("点单编号", "你点我检编号"), "The nomination it answers, if any."))


@attrs.frozen(kw_only=True)
class Nomination(Fact):
    """A 你点我检 / 你点我查 nomination by the public, and its follow-up."""

    KIND: ClassVar[str] = "territorial_nomination"
    TITLE_ZH: ClassVar[str] = "你点我检"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "nominated_on"

    region_code: str = attrs.field(validator=_division_code, metadata=_meta(
        ("行政区划代码",), "County."))
    nominated_on: dt.date = attrs.field(metadata=_meta(("点单日期", "征集日期"), "Day nominated."))
    target: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("点单内容", "点检对象"), "Product or place nominated."))
    township_id: str | None = attrs.field(default=None, metadata=_meta(
        ("乡镇编号",), "Township of the place, if known."))
    operator_id: str | None = attrs.field(default=None, metadata=_meta(
        ("主体编号",), "Operator nominated, if any."))
    followed_up_on: dt.date | None = attrs.field(
        default=None, validator=_not_before("nominated_on"),
        metadata=_meta(("办理日期", "检查抽检日期"), "Day it was sampled or inspected."))
    follow_up_ref: str = attrs.field(default="", metadata=_meta(
        ("办理结果编号", "抽检编号"), "Id of the sampling or inspection record."))


# --------------------------------------------------------------------------- coverage


@attrs.frozen(kw_only=True)
class InsurancePolicy(Fact):
    """A 食品安全责任保险 policy of an operator."""

    KIND: ClassVar[str] = "territorial_insurance_policy"
    TITLE_ZH: ClassVar[str] = "食品安全责任保险"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "starts_on"

    operator_id: str = attrs.field(validator=_non_empty, metadata=_meta(("主体编号",), "Insured."))
    starts_on: dt.date = attrs.field(metadata=_meta(("保险起期", "起保日期"), "First day."))
    ends_on: dt.date = attrs.field(validator=_not_before("starts_on"),
                                   metadata=_meta(("保险止期", "终保日期"), "Last day."))
    insurer: str = attrs.field(default="", metadata=_meta(("保险公司", "承保机构"), "Insurer."))

    def covers(self, day: dt.date) -> bool:
        """True when the policy covered ``day``."""
        return self.starts_on <= day <= self.ends_on


@attrs.frozen(kw_only=True)
class TraceabilityEnrolment(Fact):
    """An operator's enrolment in a traceability system (追溯体系)."""

    KIND: ClassVar[str] = "territorial_traceability"
    TITLE_ZH: ClassVar[str] = "追溯体系"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "enrolled_on"

    operator_id: str = attrs.field(validator=_non_empty, metadata=_meta(("主体编号",), "Operator."))
    enrolled_on: dt.date = attrs.field(metadata=_meta(("接入日期", "建立日期"), "First day."))
    left_on: dt.date | None = attrs.field(default=None, validator=_not_before("enrolled_on"),
                                          metadata=_meta(("退出日期",), "Left (blank: still in)."))
    system: str = attrs.field(default="", metadata=_meta(("追溯平台", "系统名称"), "System."))

    def covers(self, day: dt.date) -> bool:
        """True when the operator was enrolled on ``day``."""
        return self.enrolled_on <= day and (self.left_on is None or day < self.left_on)


# --------------------------------------------------------------------------- plan milestones


@attrs.frozen(kw_only=True)
class MilestoneReport(Fact):
    """A plan phase or deliverable completed by the county, a township or a department."""

    KIND: ClassVar[str] = "territorial_milestone_report"
    TITLE_ZH: ClassVar[str] = "创建节点完成情况"
    DATE_FIELD: ClassVar[str | None] = "completed_on"

    milestone: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("节点", "节点编号", "任务"), "Milestone id of the profile's table."))
    holder_id: str = attrs.field(validator=_non_empty, metadata=_meta(
        ("责任主体编号", "报送单位编号"), "County code, township or department id."))
    completed_on: dt.date = attrs.field(metadata=_meta(("完成日期", "报送日期"), "Day done."))
    reference: str = attrs.field(default="", metadata=_meta(("文号", "佐证材料"), "Evidence."))


# --------------------------------------------------------------------------- derived


@attrs.frozen(kw_only=True)
class TownshipRoster(Fact):
    """Derived: a township's operators and the 红黑榜 method in force (``red_black.py``)."""

    KIND: ClassVar[str] = "territorial_township_roster"
    TITLE_ZH: ClassVar[str] = "红黑榜乡镇名册"
    REGION_FIELD: ClassVar[str | None] = "county_code"

    township_id: str
    name: str
    county_code: str
    county_name: str
    quarter: str
    quarter_start: dt.date
    quarter_end: dt.date
    operator_ids: tuple[str, ...] = ()
    severity_weights: tuple[tuple[str, float], ...] = ()
    overdue_weight: float = 0.0
    cadence_weight: float = 0.0
    overdue_rules: tuple[str, ...] = ()
    cadence_rules: tuple[str, ...] = ()
    list_size: int = 0


ALL_FACT_KINDS: tuple[type[Fact], ...] = (
    Township, Department, DutyDocument, RiskEntry, OversightEvent, CadreTraining,
    InspectionMode, Nomination, InsurancePolicy, TraceabilityEnrolment, MilestoneReport,
    TownshipRoster,
)
