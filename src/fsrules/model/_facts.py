"""The fact kinds: typed, frozen records of what the regulators' platforms know.

Every fact is a frozen, keyword-only, slotted attrs class with a string
``id`` unique within its kind. Class variables say how the FactSet indexes
it: ``KIND`` (its name in bundles and JSON), ``DATE_FIELD`` (the date a
date-range query uses), ``SUBJECT_FIELD`` (the operator it is about, if any)
and ``REGION_FIELD`` (its division code, if it has one of its own).

Field metadata carries the Chinese column headers a loader accepts
(``zh``) and a one-line description (``doc``); ``docs/input-formats.md``
is generated from them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

import attrs

from fsrules.model._enums import (
    BaobaoTier,
    BusinessType,
    CadreLevel,
    ChecklistStatus,
    DisposalStatus,
    IncidentCategory,
    IncidentLevel,
    InspectionKind,
    InspectionResult,
    InstitutionType,
    LicenceKind,
    MealSlot,
    OperatorScale,
    PurchaseChannel,
    RiskGrade,
    SamplingKind,
    SamplingLevel,
    SelfCheckCycle,
    StaffRole,
    SupplyChainLink,
    Verdict,
)
from fsrules.model._types import DivisionCode, Uscc

__all__ = [
    "BanquetReport",
    "BaobaoAssignment",
    "Complaint",
    "Disposal",
    "EnforcementCase",
    "Fact",
    "HealthCertificate",
    "Incident",
    "IndicatorObservation",
    "Inspection",
    "Licence",
    "MealService",
    "Operator",
    "ProductTest",
    "ProductionRecord",
    "PurchaseRecord",
    "Region",
    "RiskAssessment",
    "SampleRetention",
    "SamplingResult",
    "SelfCheck",
    "StaffMember",
    "SupervisionVisit",
    "TrainingRecord",
    "VendorRegistration",
    "WorkShift",
]

_CODE_RE = re.compile(r"^\d{6}(\d{6})?$")


def _division_code(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A GB/T 2260 code: 6 digits (12 for an NBS township). Dated validity is the loader's job."""
    if value is not None and not _CODE_RE.match(value):
        raise ValueError(f"{attribute.name} must be a 6-digit division code, got {value!r}")


def _non_empty(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value or not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


def f(*, zh: tuple[str, ...] = (), doc: str = "", **kwargs: Any) -> Any:
    """An attrs field with Chinese header aliases and a description."""
    metadata = {"zh": zh, "doc": doc}
    return attrs.field(metadata=metadata, **kwargs)


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"[;；、,，|\n]", value)
        return tuple(p.strip() for p in parts if p.strip())
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class Fact:
    """Base class of every fact kind."""

    KIND: ClassVar[str] = ""
    TITLE_ZH: ClassVar[str] = ""
    DATE_FIELD: ClassVar[str | None] = None
    SUBJECT_FIELD: ClassVar[str | None] = None
    REGION_FIELD: ClassVar[str | None] = None

    id: str = f(zh=("编号", "ID", "记录编号"), doc="Record id, unique within its kind.",
                validator=_non_empty)

    @property
    def key(self) -> tuple[str, str]:
        """``(kind, id)``: the fact's identity across a bundle."""
        return (self.KIND, self.id)

    @property
    def fact_date(self) -> dt.date | None:
        """The date the FactSet indexes this fact by."""
        if self.DATE_FIELD is None:
            return None
        value = getattr(self, self.DATE_FIELD)
        if isinstance(value, dt.datetime):
            return value.date()
        return value  # type: ignore[no-any-return]

    @property
    def subject_id(self) -> str | None:
        """The operator this fact is about, if any."""
        return getattr(self, self.SUBJECT_FIELD) if self.SUBJECT_FIELD else None

    @property
    def own_region(self) -> str | None:
        """The division code recorded on the fact itself, if any."""
        return getattr(self, self.REGION_FIELD) if self.REGION_FIELD else None


# --------------------------------------------------------------------------- places, operators


@attrs.frozen(kw_only=True)
class Region(Fact):
    """A division (省/市/县/乡) with its population, for per-1000 indicators."""

    KIND: ClassVar[str] = "region"
    TITLE_ZH: ClassVar[str] = "行政区域"
    REGION_FIELD: ClassVar[str | None] = "code"

    code: DivisionCode = f(zh=("行政区划代码", "区划代码"), doc="GB/T 2260 code.",
                           validator=_division_code)
    name: str = f(zh=("名称", "区域名称"), doc="Name, e.g. 威县.")
    parent_code: DivisionCode | None = f(default=None, zh=("上级区划代码",),
                                         doc="Parent division.", validator=_division_code)
    resident_population: int | None = f(default=None, zh=("常住人口",),
                                        doc="常住人口 (people).", validator=_non_negative)
    registered_population: int | None = f(default=None, zh=("户籍人口",),
                                          doc="户籍人口 (people).", validator=_non_negative)
    population_year: int | None = f(default=None, zh=("人口统计年度",),
                                    doc="Year the population figures refer to.")


@attrs.frozen(kw_only=True)
class Operator(Fact):
    """A food business operator (食品生产经营主体), 三小 and canteens included."""

    KIND: ClassVar[str] = "operator"
    TITLE_ZH: ClassVar[str] = "经营主体"
    SUBJECT_FIELD: ClassVar[str | None] = "id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "opened_on"

    name: str = f(zh=("名称", "主体名称", "企业名称", "单位名称"), doc="Registered name.",
                  validator=_non_empty)
    business_type: BusinessType = f(zh=("业态", "主体业态", "经营业态"), doc="业态.")
    region_code: DivisionCode = f(zh=("行政区划代码", "所在地区划代码", "区划代码"),
                         doc="County-level division code.", validator=_division_code)
    uscc: Uscc | None = f(default=None, zh=("统一社会信用代码", "信用代码", "社会信用代码"),
                         doc="统一社会信用代码 (GB 32100).")
    township: str | None = f(default=None, zh=("乡镇", "所属乡镇", "乡镇（街道）"),
                             doc="Township or street.")
    address: str | None = f(default=None, zh=("地址", "经营场所", "住所"), doc="Premises address.")
    scale: OperatorScale | None = f(default=None, zh=("规模", "企业规模"), doc="大/中/小/微.")
    institution_type: InstitutionType | None = f(
        default=None, zh=("单位类型", "学校类型", "食堂类型"),
        doc="For unit canteens: the institution served.")
    is_special_food: bool = f(default=False, zh=("特殊食品",),
                              doc="Produces special foods (health, infant, FSMP).")
    is_chain_hq: bool = f(default=False, zh=("连锁总部",), doc="Chain headquarters.")
    avg_diners_per_meal: int | None = f(default=None, zh=("平均每餐就餐人数", "就餐人数"),
                                        doc="Canteens and caterers.", validator=_non_negative)
    business_area_m2: float | None = f(default=None, zh=("经营面积", "经营场所面积"),
                                       doc="Business area in m².", validator=_non_negative)
    has_bright_kitchen: bool | None = f(default=None, zh=("明厨亮灶", "互联网+明厨亮灶"),
                                        doc="互联网+明厨亮灶 in place.")
    has_physical_shop: bool | None = f(default=None, zh=("实体门店",),
                                       doc="Has a physical shop (online takeaway rules).")
    sells_online: bool = f(default=False, zh=("网络经营", "网络订餐"), doc="Sells online.")
    school_id: str | None = f(default=None, zh=("所属学校",),
                              doc="For canteens, campus shops and suppliers: the school's operator id.")
    latitude: float | None = f(default=None, zh=("纬度",), doc="WGS-84 latitude.")
    longitude: float | None = f(default=None, zh=("经度",), doc="WGS-84 longitude.")
    opened_on: dt.date | None = f(default=None, zh=("成立日期", "开业日期"), doc="Opening date.")
    closed_on: dt.date | None = f(default=None, zh=("注销日期", "歇业日期"), doc="Closing date.")

    def active_on(self, day: dt.date) -> bool:
        """True when the operator was open on ``day``."""
        if self.opened_on is not None and day < self.opened_on:
            return False
        return self.closed_on is None or day < self.closed_on


@attrs.frozen(kw_only=True)
class Licence(Fact):
    """A licence, filing or registration certificate (JY, SC, YB, 登记证, 备案卡)."""

    KIND: ClassVar[str] = "licence"
    TITLE_ZH: ClassVar[str] = "许可证照"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "issued_on"

    operator_id: str = f(zh=("主体编号", "经营主体编号"), doc="Operator id.", validator=_non_empty)
    licence_kind: LicenceKind = f(zh=("证照类型", "许可类型"), doc="Kind of permit.")
    number: str = f(zh=("许可证编号", "证书编号", "登记证编号", "备案编号"), doc="Permit number.")
    issued_on: dt.date = f(zh=("发证日期", "签发日期"), doc="Issue date.")
    valid_until: dt.date | None = f(default=None, zh=("有效期至", "有效期截止日期"),
                                    doc="Last valid day.")
    revoked_on: dt.date | None = f(default=None, zh=("注销日期", "吊销日期"), doc="Revoked or cancelled.")
    scope: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str, zh=("经营项目", "许可范围"),
                               doc="Licensed items / food categories.")

    def valid_on(self, day: dt.date) -> bool:
        """True when the permit covered ``day``."""
        if day < self.issued_on:
            return False
        if self.revoked_on is not None and day >= self.revoked_on:
            return False
        return self.valid_until is None or day <= self.valid_until


@attrs.frozen(kw_only=True)
class VendorRegistration(Fact):
    """A 三小 registration certificate or vendor filing card, with the vendor's zone and slot."""

    KIND: ClassVar[str] = "vendor_registration"
    TITLE_ZH: ClassVar[str] = "三小登记备案"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "issued_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator id.", validator=_non_empty)
    licence_kind: LicenceKind = f(zh=("证照类型", "登记类型"), doc="登记证 or 备案卡.")
    number: str | None = f(default=None, zh=("登记证编号", "备案卡编号", "编号"),
                           doc="Certificate number (no national format).")
    issued_on: dt.date = f(zh=("发证日期", "备案日期"), doc="Issue date.")
    valid_until: dt.date | None = f(default=None, zh=("有效期至",), doc="Last valid day.")
    products: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str,
                                  zh=("生产经营品种", "经营品种", "产品"), doc="Products on the card.")
    zone: str | None = f(default=None, zh=("经营区域", "摊点位置"), doc="Designated zone.")
    time_slot: str | None = f(default=None, zh=("经营时段",), doc="Designated time slot, HH:MM-HH:MM.")


# --------------------------------------------------------------------------- supervision


@attrs.frozen(kw_only=True)
class Inspection(Fact):
    """A supervisory inspection (监督检查) of an operator."""

    KIND: ClassVar[str] = "inspection"
    TITLE_ZH: ClassVar[str] = "监督检查"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "inspected_on"

    operator_id: str = f(zh=("主体编号", "被检查单位编号"), doc="Operator id.", validator=_non_empty)
    inspected_on: dt.date = f(zh=("检查日期",), doc="Date of the inspection.")
    inspection_kind: InspectionKind = f(default=InspectionKind.ROUTINE,
                                        zh=("检查类型", "检查方式"), doc="Type.")
    result: InspectionResult = f(zh=("检查结果", "结果"), doc="符合/基本符合/不符合.")
    full_checklist: bool = f(default=True, zh=("全项检查",),
                             doc="Covered the whole checklist (Order 49 Art 22).")
    failed_items: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str,
                                      zh=("不符合项", "问题项"), doc="Checklist items failed.")
    key_items_failed: int = f(default=0, zh=("重点项不符合数",), doc="重点项目 failed.",
                              validator=_non_negative)
    inspectors: int = f(default=2, zh=("检查人员数",), doc="Inspectors present (Order 49 Art 23).",
                        validator=_non_negative)
    obstructed: bool = f(default=False, zh=("拒绝阻挠检查",),
                         doc="Inspection refused, evaded or obstructed.")


@attrs.frozen(kw_only=True)
class SamplingResult(Fact):
    """One batch of a 抽检 with its verdict."""

    KIND: ClassVar[str] = "sampling_result"
    TITLE_ZH: ClassVar[str] = "抽检结果"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "sampled_on"

    region_code: DivisionCode = f(zh=("抽样地区划代码", "行政区划代码", "被抽样单位所在地"),
                         doc="Division where the sample was taken.", validator=_division_code)
    sampling_kind: SamplingKind = f(zh=("抽检类型", "任务类别"), doc="监督/评价性/风险监测.")
    sampled_on: dt.date = f(zh=("抽样日期",), doc="Date sampled.")
    product_name: str = f(zh=("样品名称", "食品名称"), doc="Product name.")
    verdict: Verdict = f(zh=("检验结论", "结论"), doc="合格/不合格.")
    operator_id: str | None = f(default=None, zh=("被抽样单位编号", "主体编号"), doc="Operator id.")
    level: SamplingLevel = f(default=SamplingLevel.COUNTY, zh=("任务来源", "抽检级别"),
                             doc="Which government organised it.")
    link: SupplyChainLink | None = f(default=None, zh=("抽样环节", "环节"), doc="生产/流通/餐饮.")
    food_category: str | None = f(default=None, zh=("食品大类", "食品类别"), doc="Food category.")
    is_residue_test: bool = f(default=False, zh=("农兽药残留检测",),
                              doc="Pesticide or veterinary-drug residue test.")
    failed_items: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str,
                                      zh=("不合格项目",), doc="Failed test items.")
    result_received_on: dt.date | None = f(default=None, zh=("结果接收日期", "报告送达日期"),
                                           doc="Date the result reached the regulator.")
    published_on: dt.date | None = f(default=None, zh=("公布日期", "信息公布日期"), doc="Published.")


@attrs.frozen(kw_only=True)
class Disposal(Fact):
    """核查处置 of a non-conforming sampling result."""

    KIND: ClassVar[str] = "disposal"
    TITLE_ZH: ClassVar[str] = "核查处置"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "started_on"

    sampling_id: str = f(zh=("抽检编号", "抽检结果编号"), doc="The sampling_result id.",
                         validator=_non_empty)
    operator_id: str | None = f(default=None, zh=("主体编号",), doc="Operator id.")
    status: DisposalStatus = f(zh=("处置状态", "状态"), doc="Progress.")
    started_on: dt.date | None = f(default=None, zh=("启动日期", "立案核查日期"), doc="Started.")
    completed_on: dt.date | None = f(default=None, zh=("完成日期", "办结日期"), doc="Completed.")
    measures: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str, zh=("处置措施",),
                                  doc="Measures taken (recall, stop sale...).")
    recall_required: bool = f(default=False, zh=("需召回",), doc="A recall was required.")
    recall_done: bool | None = f(default=None, zh=("已召回",), doc="The recall was done.")


@attrs.frozen(kw_only=True)
class Incident(Fact):
    """A food-safety incident (食品安全事故/事件)."""

    KIND: ClassVar[str] = "incident"
    TITLE_ZH: ClassVar[str] = "食品安全事故"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "occurred_on"

    region_code: DivisionCode = f(zh=("发生地区划代码", "行政区划代码"), doc="Where it happened.",
                         validator=_division_code)
    occurred_on: dt.date = f(zh=("发生日期",), doc="Date it happened.")
    operator_id: str | None = f(default=None, zh=("主体编号", "涉事单位编号"), doc="Operator involved.")
    level: IncidentLevel | None = f(default=None, zh=("事故等级", "级别"),
                                    doc="Level as determined; derived from the numbers if blank.")
    category: IncidentCategory = f(default=IncidentCategory.OTHER, zh=("事件类别", "类别"),
                                   doc="Category.")
    ill: int = f(default=0, zh=("发病人数", "中毒人数"), doc="People ill.", validator=_non_negative)
    deaths: int = f(default=0, zh=("死亡人数",), doc="Deaths.", validator=_non_negative)
    provinces_affected: int = f(default=1, zh=("涉及省份数",), doc="Provinces the food reached.",
                                validator=_non_negative)
    abroad: bool = f(default=False, zh=("涉及境外",), doc="Food reached abroad or HK/Macao/Taiwan.")
    cities_affected: int = f(default=1, zh=("涉及地市数",), doc="Prefectures the food reached.",
                             validator=_non_negative)
    counties_affected: int = f(default=1, zh=("涉及县区数",), doc="Counties the food reached.",
                               validator=_non_negative)
    new_contaminant: bool = f(default=False, zh=("首次发现新污染物",),
                              doc="First-ever new contaminant in China.")
    serious_social_impact: bool = f(default=False, zh=("严重不良社会影响", "引发广泛关注"),
                                    doc="Bureau's judgement: wide attention, serious impact (V3).")
    description: str = f(default="", zh=("事件描述", "描述"), doc="What happened.")


@attrs.frozen(kw_only=True)
class Complaint(Fact):
    """A complaint or report (投诉举报), e.g. through 12315."""

    KIND: ClassVar[str] = "complaint"
    TITLE_ZH: ClassVar[str] = "投诉举报"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "received_on"

    region_code: DivisionCode = f(zh=("行政区划代码", "属地"), doc="Handling division.",
                         validator=_division_code)
    received_on: dt.date = f(zh=("登记日期", "受理日期", "接收日期"), doc="Received.")
    operator_id: str | None = f(default=None, zh=("主体编号", "被投诉单位编号"), doc="Operator.")
    channel: str = f(default="12315", zh=("渠道", "来源"), doc="Channel.")
    is_food: bool = f(default=True, zh=("涉及食品",), doc="About food.")
    due_on: dt.date | None = f(default=None, zh=("办理时限", "应办结日期"), doc="Deadline.")
    closed_on: dt.date | None = f(default=None, zh=("办结日期",), doc="Closed.")


@attrs.frozen(kw_only=True)
class EnforcementCase(Fact):
    """An administrative enforcement case (执法办案)."""

    KIND: ClassVar[str] = "enforcement_case"
    TITLE_ZH: ClassVar[str] = "执法案件"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "opened_on"

    region_code: DivisionCode = f(zh=("行政区划代码",), doc="Handling division.", validator=_division_code)
    operator_id: str | None = f(default=None, zh=("主体编号", "当事人编号"), doc="Operator.")
    clue_received_on: dt.date | None = f(default=None, zh=("线索接收日期",), doc="Lead received.")
    opened_on: dt.date | None = f(default=None, zh=("立案日期",), doc="Case filed (立案).")
    closed_on: dt.date | None = f(default=None, zh=("结案日期",), doc="Case closed (结案).")
    extended_until: dt.date | None = f(default=None, zh=("延长办案期限至", "延期至"),
                                       doc="Handling time limit extended (approved) to this day.")
    intentional: bool = f(default=False, zh=("故意违法",), doc="Intentional violation.")
    penalty: str | None = f(default=None, zh=("处罚种类", "处罚结果"), doc="Fine, confiscation...")
    lost_on_procedure: bool = f(default=False, zh=("程序违法败诉",),
                                doc="Lost on review or in court for procedural illegality.")
    adverse_social_impact: bool = f(default=False, zh=("不良社会影响",),
                                    doc="The violation caused adverse social impact.")


@attrs.frozen(kw_only=True)
class RiskAssessment(Fact):
    """A risk grade recorded by the bureau (or derived by the risk ruleset)."""

    KIND: ClassVar[str] = "risk_assessment"
    TITLE_ZH: ClassVar[str] = "风险分级"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "assessed_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    assessed_on: dt.date = f(zh=("评定日期",), doc="Graded on.")
    grade: RiskGrade = f(zh=("风险等级",), doc="A-D, A lowest.")
    static_score: float | None = f(default=None, zh=("静态风险分值",), doc="≤ 40.")
    dynamic_score: float | None = f(default=None, zh=("动态风险分值",), doc="≤ 60.")


# --------------------------------------------------------------------------- 两个责任


@attrs.frozen(kw_only=True)
class BaobaoAssignment(Fact):
    """A 包保 assignment: a cadre responsible for an operator."""

    KIND: ClassVar[str] = "baobao_assignment"
    TITLE_ZH: ClassVar[str] = "包保关系"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "assigned_on"

    operator_id: str = f(zh=("主体编号", "包保主体编号"), doc="Operator.", validator=_non_empty)
    cadre_id: str = f(zh=("包保干部编号", "干部编号"), doc="Cadre.", validator=_non_empty)
    cadre_name: str = f(default="", zh=("包保干部", "包保干部姓名"), doc="Cadre's name.")
    cadre_level: CadreLevel = f(zh=("干部层级", "包保干部层级"), doc="市/县/乡/村.")
    tier: BaobaoTier = f(zh=("包保主体级别", "包保等级"), doc="A-D tier of the operator.")
    assigned_on: dt.date = f(zh=("包保日期", "确定日期"), doc="Start.")
    ended_on: dt.date | None = f(default=None, zh=("终止日期",), doc="End.")
    commitment_signed_on: dt.date | None = f(default=None, zh=("承诺书签订日期",),
                                             doc="《食品安全责任与任务承诺书》 signed.")


@attrs.frozen(kw_only=True)
class SupervisionVisit(Fact):
    """A 包保 督导 visit by a cadre."""

    KIND: ClassVar[str] = "supervision_visit"
    TITLE_ZH: ClassVar[str] = "包保督导"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "visited_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    cadre_id: str = f(zh=("包保干部编号", "干部编号"), doc="Cadre.", validator=_non_empty)
    visited_on: dt.date = f(zh=("督导日期",), doc="Date.")
    issues_found: int = f(default=0, zh=("发现问题数",), doc="Issues found.", validator=_non_negative)
    issues_fixed: int = f(default=0, zh=("整改问题数",), doc="Issues fixed.", validator=_non_negative)


@attrs.frozen(kw_only=True)
class SelfCheck(Fact):
    """An enterprise self-check record: 日管控 / 周排查 / 月调度."""

    KIND: ClassVar[str] = "self_check"
    TITLE_ZH: ClassVar[str] = "日管控周排查月调度"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "checked_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    cycle: SelfCheckCycle = f(zh=("类型", "周期"), doc="日管控/周排查/月调度.")
    checked_on: dt.date = f(zh=("日期", "检查日期"), doc="Date.")
    role: StaffRole = f(zh=("责任人岗位", "岗位"), doc="Who did it.")
    person_id: str | None = f(default=None, zh=("人员编号",), doc="Person.")
    risks_found: int = f(default=0, zh=("发现风险数",), doc="0 is a valid 'no risk' record.",
                         validator=_non_negative)


@attrs.frozen(kw_only=True)
class StaffMember(Fact):
    """A person working for an operator, with the role the regulations care about."""

    KIND: ClassVar[str] = "staff_member"
    TITLE_ZH: ClassVar[str] = "从业人员"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "joined_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    name: str = f(zh=("姓名",), doc="Name.")
    role: StaffRole = f(zh=("岗位", "职务"), doc="Role.")
    touches_ready_to_eat: bool = f(default=False, zh=("接触直接入口食品",),
                                   doc="Handles ready-to-eat food (Food Safety Law Art 45).")
    joined_on: dt.date | None = f(default=None, zh=("入职日期", "任职日期"), doc="Start.")
    left_on: dt.date | None = f(default=None, zh=("离职日期",), doc="End.")


@attrs.frozen(kw_only=True)
class WorkShift(Fact):
    """A day a staff member worked (roster)."""

    KIND: ClassVar[str] = "work_shift"
    TITLE_ZH: ClassVar[str] = "排班记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "worked_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    person_id: str = f(zh=("人员编号",), doc="Staff member id.", validator=_non_empty)
    worked_on: dt.date = f(zh=("工作日期", "日期"), doc="Day worked.")


@attrs.frozen(kw_only=True)
class HealthCertificate(Fact):
    """A staff health certificate (健康证明)."""

    KIND: ClassVar[str] = "health_certificate"
    TITLE_ZH: ClassVar[str] = "健康证明"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "issued_on"

    operator_id: str = f(zh=("主体编号",), doc="Operator.", validator=_non_empty)
    person_id: str = f(zh=("人员编号",), doc="Staff member id.", validator=_non_empty)
    issued_on: dt.date = f(zh=("体检日期", "发证日期"), doc="Issued.")
    valid_until: dt.date = f(zh=("有效期至",), doc="Last valid day.")

    def valid_on(self, day: dt.date) -> bool:
        """True when the certificate covered ``day``."""
        return self.issued_on <= day <= self.valid_until


@attrs.frozen(kw_only=True)
class TrainingRecord(Fact):
    """Training hours attended by a person (总监, 安全员, regulators' staff)."""

    KIND: ClassVar[str] = "training_record"
    TITLE_ZH: ClassVar[str] = "培训记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "trained_on"

    person_id: str = f(zh=("人员编号",), doc="Person.", validator=_non_empty)
    trained_on: dt.date = f(zh=("培训日期",), doc="Date.")
    hours: float = f(zh=("学时", "培训学时"), doc="Class hours.", validator=_non_negative)
    operator_id: str | None = f(default=None, zh=("主体编号",), doc="Employer, if an operator.")
    topic: str = f(default="", zh=("培训内容",), doc="Topic.")


# --------------------------------------------------------------------------- canteens


@attrs.frozen(kw_only=True)
class MealService(Fact):
    """One meal served by a canteen, with its dishes and the 陪餐 record."""

    KIND: ClassVar[str] = "meal_service"
    TITLE_ZH: ClassVar[str] = "供餐记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "served_on"

    operator_id: str = f(zh=("主体编号", "食堂编号"), doc="Canteen.", validator=_non_empty)
    served_on: dt.date = f(zh=("日期", "供餐日期"), doc="Date.")
    meal: MealSlot = f(zh=("餐次",), doc="早/午/晚.")
    dishes: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str, zh=("菜品", "菜谱", "菜单"),
                                doc="Dish names as written on the menu.")
    diners: int | None = f(default=None, zh=("就餐人数",), doc="Diners.", validator=_non_negative)
    accompanying_leader: str | None = f(default=None, zh=("陪餐人", "陪餐领导"),
                                        doc="School leader who ate with the pupils.")
    accompanying_recorded: bool = f(default=False, zh=("陪餐记录",), doc="陪餐记录 kept.")
    large_event: bool = f(default=False, zh=("大型活动",),
                          doc="Large-event collective meal (universities' 留样 duty).")


@attrs.frozen(kw_only=True)
class SampleRetention(Fact):
    """A 留样 record: one dish of one meal kept for later testing."""

    KIND: ClassVar[str] = "sample_retention"
    TITLE_ZH: ClassVar[str] = "留样记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "served_on"

    operator_id: str = f(zh=("主体编号", "食堂编号"), doc="Canteen.", validator=_non_empty)
    meal_service_id: str = f(zh=("供餐记录编号",), doc="The meal_service id.", validator=_non_empty)
    served_on: dt.date = f(zh=("日期",), doc="Meal date.")
    dish: str = f(zh=("菜品", "留样菜品"), doc="Dish name.")
    weight_g: float | None = f(default=None, zh=("留样量", "重量", "留样重量"), doc="Grams.",
                               validator=_non_negative)
    retained_at: dt.datetime | None = f(default=None, zh=("留样时间",), doc="Time sampled.")
    discarded_at: dt.datetime | None = f(default=None, zh=("销毁时间", "处理时间"),
                                         doc="Time disposed of.")
    dedicated_fridge: bool = f(default=True, zh=("专用冷藏",), doc="Kept in a dedicated fridge.")
    recorded_by: str | None = f(default=None, zh=("留样人",), doc="Person who sampled.")


@attrs.frozen(kw_only=True)
class PurchaseRecord(Fact):
    """A purchase (进货查验) by an operator from a supplier."""

    KIND: ClassVar[str] = "purchase_record"
    TITLE_ZH: ClassVar[str] = "进货记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "purchased_on"

    operator_id: str = f(zh=("主体编号",), doc="Buyer.", validator=_non_empty)
    purchased_on: dt.date = f(zh=("采购日期", "进货日期"), doc="Date.")
    item: str = f(zh=("品名", "食品名称"), doc="What was bought.")
    supplier_id: str | None = f(default=None, zh=("供应商编号",), doc="Supplier's operator id.")
    supplier_name: str | None = f(default=None, zh=("供应商",), doc="Supplier.")
    category: str | None = f(default=None, zh=("类别",), doc="肉/蛋/奶/米/面/油...")
    channel: PurchaseChannel = f(default=PurchaseChannel.OTHER, zh=("采购方式",), doc="Channel.")
    record_kept_until: dt.date | None = f(default=None, zh=("记录保存至",), doc="Record kept until.")


@attrs.frozen(kw_only=True)
class ProductionRecord(Fact):
    """A production batch (workshops' 生产记录)."""

    KIND: ClassVar[str] = "production_record"
    TITLE_ZH: ClassVar[str] = "生产记录"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "produced_on"

    operator_id: str = f(zh=("主体编号",), doc="Producer.", validator=_non_empty)
    produced_on: dt.date = f(zh=("生产日期",), doc="Date.")
    product_name: str = f(zh=("产品名称",), doc="Product.")
    food_category_code: str | None = f(default=None, zh=("食品类别编码",),
                                       doc="SC food-category code, if known.")
    quantity: str | None = f(default=None, zh=("产量",), doc="Output.")
    contract_manufacturing: bool = f(default=False, zh=("委托加工", "分装"),
                                     doc="Contract manufacturing or repacking.")
    record_kept_until: dt.date | None = f(default=None, zh=("记录保存至",), doc="Record kept until.")


@attrs.frozen(kw_only=True)
class ProductTest(Fact):
    """A product test commissioned by the operator (first batch, yearly)."""

    KIND: ClassVar[str] = "product_test"
    TITLE_ZH: ClassVar[str] = "产品检验"
    SUBJECT_FIELD: ClassVar[str | None] = "operator_id"
    DATE_FIELD: ClassVar[str | None] = "tested_on"

    operator_id: str = f(zh=("主体编号",), doc="Producer.", validator=_non_empty)
    tested_on: dt.date = f(zh=("检验日期",), doc="Date.")
    product_name: str = f(zh=("产品名称",), doc="Product.")
    verdict: Verdict = f(zh=("检验结论",), doc="合格/不合格.")
    first_batch: bool = f(default=False, zh=("首批检验",), doc="First-batch test.")


@attrs.frozen(kw_only=True)
class BanquetReport(Fact):
    """A rural collective banquet (农村集体聚餐 / 坝坝宴) and its report to the township."""

    KIND: ClassVar[str] = "banquet_report"
    TITLE_ZH: ClassVar[str] = "农村集体聚餐报告"
    SUBJECT_FIELD: ClassVar[str | None] = "undertaker_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "held_on"

    region_code: DivisionCode = f(zh=("行政区划代码",), doc="Where it is held.", validator=_division_code)
    held_on: dt.date = f(zh=("举办日期", "聚餐日期"), doc="Date of the banquet.")
    diners: int = f(zh=("就餐人数", "聚餐人数"), doc="Diners per meal.", validator=_non_negative)
    reported_on: dt.date | None = f(default=None, zh=("报告日期", "申报日期"),
                                    doc="Date reported (blank: not reported).")
    organiser: str = f(default="", zh=("举办者",), doc="Host family.")
    undertaker_id: str | None = f(default=None, zh=("承办者编号", "厨师编号"),
                                  doc="Undertaker's operator id.")
    sittings: int = f(default=1, zh=("桌次", "餐次"), doc="Sittings.", validator=_non_negative)
    dishes: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str, zh=("主要菜品", "菜单"),
                                doc="Main dishes.")
    practices: tuple[str, ...] = f(factory=tuple, converter=_tuple_of_str, zh=("违规情形",),
                                   doc="Practices observed (free text).")
    site: str = f(default="", zh=("地点", "举办地点"), doc="Site.")


@attrs.frozen(kw_only=True)
class IndicatorObservation(Fact):
    """A region-level value the office records: satisfaction, hotline rate, checklist item..."""

    KIND: ClassVar[str] = "indicator_observation"
    TITLE_ZH: ClassVar[str] = "指标观测"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "period_end"

    region_code: DivisionCode = f(zh=("行政区划代码",), doc="Division.", validator=_division_code)
    indicator: str = f(zh=("指标", "指标代码"), doc="Indicator code, e.g. satisfaction.",
                       validator=_non_empty)
    period_start: dt.date = f(zh=("起始日期", "统计起始日期"), doc="Period start.")
    period_end: dt.date = f(zh=("截止日期", "统计截止日期"), doc="Period end (inclusive).")
    value: float | None = f(default=None, zh=("数值", "值"), doc="Value.")
    numerator: float | None = f(default=None, zh=("分子",), doc="Numerator, if a rate.")
    denominator: float | None = f(default=None, zh=("分母",), doc="Denominator, if a rate.")
    status: ChecklistStatus | None = f(default=None, zh=("完成情况",), doc="Checklist items.")
    unit: str = f(default="", zh=("单位",), doc="Unit.")
    evidence_ref: str = f(default="", zh=("佐证材料", "证据"), doc="Evidence reference.")
