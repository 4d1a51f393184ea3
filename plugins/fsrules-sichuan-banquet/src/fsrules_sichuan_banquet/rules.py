"""The rules of 《四川省农村集体聚餐食品安全管理办法》 (Sichuan rural collective banquets).

Source: shared/domain/regulations.md §7, confidence C (corroborated from
official descriptions; the text of the measures was not read). **No article
numbers were found**, so every legal basis has ``article=None`` and a note
saying so; none is guessed.

Scope choices, each documented in README.md:

* only banquets held in Sichuan (division code 51xxxx) are judged — the
  ruleset declares ``jurisdiction="51"``, so facts of other provinces never
  reach its rules — and only those held while the measures are in force;
* the measures took effect on 2020-10-01 for **5 years**; we read that as
  valid through 2025-09-30 (``VALID_TO``). Whether they were extended or
  replaced is not known: a successor needs a new rule version, not a
  parameter;
* parameters are looked up as in force on the banquet's day, so a changed
  threshold never re-judges earlier banquets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from fsrules import (
    Confidence,
    Fact,
    Finding,
    LegalBasis,
    Param,
    Period,
    RuleContext,
    Severity,
    Subject,
    Text,
    rule,
)
from fsrules.evidence import Code, evidence
from fsrules.identifiers import normalize_text
from fsrules.model import (
    BanquetReport,
    HealthCertificate,
    Licence,
    Operator,
    StaffMember,
    TrainingRecord,
    VendorRegistration,
)
from fsrules.shapes import Condition, Deadline, Hit, Scope, check

__all__ = [
    "ALL_RULES",
    "MEASURES",
    "VALID_FROM",
    "VALID_TO",
    "banned_practice",
    "chef_health_certificate",
    "chef_training",
    "report_contents",
    "report_lead_time",
    "undertaker_registration",
]

C = Confidence.CORROBORATED

#: The measures took effect on this day.
VALID_FROM = dt.date(2020, 10, 1)
#: "有效期5年": the last day of five years from VALID_FROM (our reading; see README).
VALID_TO = dt.date(2025, 9, 30)

_NO_ARTICLE = ("条号未查到：未能读到《办法》原文，内容据四川省官方解读转述（置信度C），"
               "故不标注条款序号 / article number not found: the text of the measures was not "
               "read; the content is corroborated from official descriptions (confidence C), "
               "so no article is cited")

MEASURES = LegalBasis(
    instrument="《四川省农村集体聚餐食品安全管理办法》",
    instrument_en="Sichuan Provincial Measures for Food Safety Management of Rural Collective "
                  "Banquets",
    article=None,
    version_date=VALID_FROM,
    jurisdiction="510000",
    confidence="C",
    note=_NO_ARTICLE,
)
"""The instrument every rule cites; ``article`` stays None (not found)."""

TOWNSHIP = ("乡镇人民政府",)
COUNTY_SAMR = ("县市场监管局",)


def _basis(topic_zh: str, topic_en: str) -> list[LegalBasis]:
    return [attrs.evolve(MEASURES, note=f"{topic_zh} / {topic_en}。{_NO_ARTICLE}")]


def _min_diners() -> Param:
    return Param(name="min_diners", type="int", minimum=1, unit="人", confidence=C,
                 description=Text("每餐就餐人数达到此数即须报告",
                                  "diners per meal from which the banquet must be reported"))


def _chef_roles() -> Param:
    return Param(name="chef_roles", type="list", confidence=C,
                 description=Text("承办者的哪些岗位须持健康证明、接受培训（StaffRole 取值）",
                                  "undertaker staff roles that need a health certificate and "
                                  "training (StaffRole values)"))


# --------------------------------------------------------------------------- shared helpers


def _banquets(ctx: RuleContext) -> Iterator[BanquetReport]:
    """Sichuan banquets held while the measures were in force (planned ones after as_of too).

    The ruleset's jurisdiction is Sichuan (``"51"``): banquets held elsewhere never
    reach these rules (``ctx.facts``).
    """
    for banquet in ctx.facts.of_kind(BanquetReport):
        if VALID_FROM <= banquet.held_on <= VALID_TO:
            yield banquet


def _subject(banquet: BanquetReport) -> Subject:
    host = banquet.organiser or "举办者未填"
    return Subject(kind=BanquetReport.KIND, id=banquet.id,
                   name=f"{host}·{banquet.held_on.isoformat()}聚餐",
                   region_code=banquet.region_code)


def _day(banquet: BanquetReport) -> Period:
    return Period(start=banquet.held_on, end=banquet.held_on)


def _reported_on(banquet: BanquetReport, as_of: dt.date) -> dt.date | None:
    """The report date, if the report existed on ``as_of`` (a later one is not yet known)."""
    if banquet.reported_on is None or banquet.reported_on > as_of:
        return None
    return banquet.reported_on


def _undertaker_subject(ctx: RuleContext, banquet: BanquetReport, uid: str) -> Subject:
    op = ctx.facts.operator(uid)
    if op is not None:
        return Subject.of(op)
    return Subject(kind=Operator.KIND, id=uid, region_code=banquet.region_code)


def _active(staff: StaffMember, day: dt.date) -> bool:
    if staff.joined_on is not None and day < staff.joined_on:
        return False
    return staff.left_on is None or day < staff.left_on


def _chefs(ctx: RuleContext, banquet: BanquetReport) -> list[StaffMember]:
    """The undertaker's staff in ``chef_roles`` working on the banquet day."""
    uid = banquet.undertaker_id
    if not uid:
        return []
    staff = [s for s in ctx.facts.for_subject(StaffMember, uid) if _active(s, banquet.held_on)]
    if not staff:
        return []
    roles = set(ctx.param("chef_roles", on=banquet.held_on))
    return [s for s in staff if s.role.value in roles]


def _by_person(facts: Sequence[Fact]) -> dict[str, list[Any]]:
    index: dict[str, list[Any]] = defaultdict(list)
    for fact in facts:
        index[str(getattr(fact, "person_id", ""))].append(fact)
    return index


def _chef_subject(staff: StaffMember, banquet: BanquetReport) -> Subject:
    return Subject(kind=StaffMember.KIND, id=staff.id, name=staff.name,
                   region_code=banquet.region_code)


# --------------------------------------------------------------------------- SCBQ-001


@evidence
class ReportLeadEvidence:
    """SCBQ-001: the report against its deadline (``status`` picks the message)."""

    status: str
    diners: int
    min_diners: int
    held_on: dt.date
    reported_on: dt.date | None
    lead_days: int | None
    required_days: int
    deadline: dt.date


def _report_finding(hit: Hit) -> Finding:
    """SCBQ-001's finding: the deadline's status in the measures' terms."""
    banquet = hit.subject
    assert isinstance(banquet, BanquetReport)
    reported = hit.values["done_on"]
    status = {"late": "late", "missed": "not_reported", "overdue": "overdue"}[
        hit.values["status"]]
    return hit.finding(
        subject=_subject(banquet), facts=[banquet], period=_day(banquet), trigger=("held_on",),
        evidence=ReportLeadEvidence(
            status=status, diners=banquet.diners, min_diners=hit.param("min_diners"),
            held_on=banquet.held_on, reported_on=reported,
            lead_days=None if reported is None else (banquet.held_on - reported).days,
            required_days=hit.values["offset"], deadline=hit.values["deadline"]))


#: SCBQ-001 has the deadline shape: a report due ``lead_days`` before each Sichuan
#: banquet of ``min_diners`` or more, both read on the banquet's day.
report_lead_time = check(
    Deadline(
        # No region here: the ruleset's jurisdiction ("51") keeps other provinces out.
        scope=Scope(kind=BanquetReport, params_on="held_on", where=[
            Condition(field="held_on", op=">=", value=VALID_FROM),
            Condition(field="held_on", op="<=", value=VALID_TO),
            Condition(field="diners", op=">=", value=_min_diners())]),
        anchor="held_on", done="reported_on", before=True,
        offset=Param(name="lead_days", type="int", minimum=0, maximum=30, unit="天",
                     confidence=C, description=Text("须提前报告的天数",
                                                    "days before the banquet the report is due")),
        finding=_report_finding),
    id="SCBQ-001",
    version="1.0",
    grain="banquet_report",
    identity=("held_on",),
    title=("达到规模的农村集体聚餐未按时报告", "Large rural banquet not reported in time"),
    severity=Severity.MEDIUM,
    legal_basis=_basis("聚餐报告制度：每餐就餐人数≥100人的须提前2天报告",
                       "reporting duty: banquets of 100 or more diners per meal are reported "
                       "2 days ahead"),
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=TOWNSHIP,
    responsible=COUNTY_SAMR,
    message=(
        "{subject}：就餐 {diners} 人，达到 {min_diners} 人须报告，应于 {deadline} 前"
        "（提前 {required_days} 天）报告，实际提前 {lead_days} 天（{reported_on} 报告）。",
        "{subject}: {diners} diners ({min_diners} or more must be reported); the report was due "
        "by {deadline} ({required_days} days ahead) but came {lead_days} day(s) ahead "
        "(on {reported_on}).",
    ),
    evidence=ReportLeadEvidence,
    messages={
        "not_reported": ("{subject}：就餐 {diners} 人，达到 {min_diners} 人须报告，应于 {deadline} 前报告，"
                         "但举办前未报告。",
                         "{subject}: {diners} diners ({min_diners} or more must be reported); the "
                         "report was due by {deadline} but none was made."),
        "overdue": ("{subject}：将于 {held_on} 举办、就餐 {diners} 人，报告期限 {deadline} 已过仍未报告，"
                    "须在举办前补报。",
                    "{subject}: to be held on {held_on} with {diners} diners; the report was due "
                    "by {deadline} and has not been made — report before the banquet."),
    },
    description=(
        "每餐就餐人数≥min_diners 的聚餐须在举办前 lead_days 天报告。status 取值："
        "late = 已报告但提前天数不足（lead_days 为实际提前天数，举办后才报告时为负数）；"
        "not_reported = 已举办（举办日 ≤ 评价日）而评价日前没有报告；"
        "overdue = 尚未举办、报告期限已过仍未报告（仍应在举办前补报，有未报即办的风险）。"
        "报告期限未到的未来聚餐不产生问题。due_date 为报告期限（举办日前 lead_days 天）。",
        "Banquets of min_diners or more per meal must be reported lead_days days ahead. "
        "status: late = reported, but fewer days ahead (lead_days is the actual lead, negative "
        "when reported after the banquet); not_reported = held (on or before as_of) with no "
        "report by as_of; overdue = still to be held, the deadline has passed and there is no "
        "report (at risk of going ahead unreported). A future banquet whose deadline has not "
        "passed is not a finding. due_date is the deadline (lead_days before the banquet).",
    ),
)


# --------------------------------------------------------------------------- SCBQ-002

_CONTENTS: Mapping[str, tuple[str, str]] = {
    "sittings": ("桌次/餐次", "number of sittings"),
    "dishes": ("主要菜品", "main dishes"),
    "site": ("举办地点", "site"),
    "organiser": ("举办者", "organiser"),
    "undertaker": ("承办者", "undertaker"),
}
_CONTENT = Code.table(_CONTENTS)


@evidence
class ContentsEvidence:
    """SCBQ-002: the contents a report did not state (coded, worded by the template)."""

    missing: tuple[Code, ...]
    reported_on: dt.date | None
    diners: int


def _has(banquet: BanquetReport, content: str) -> bool:
    if content == "sittings":
        return banquet.sittings > 0
    if content == "dishes":
        return any(d.strip() for d in banquet.dishes)
    if content == "site":
        return bool(banquet.site.strip())
    if content == "organiser":
        return bool(banquet.organiser.strip())
    if content == "undertaker":
        return bool(banquet.undertaker_id)
    raise ValueError(f"required_contents: unknown item {content!r}; use one of "
                     f"{', '.join(_CONTENTS)}")


@rule(
    id="SCBQ-002",
    version="1.0",
    grain="banquet_report",
    identity=("missing",),
    title=("聚餐报告内容不全", "Banquet report misses required contents"),
    severity=Severity.LOW,
    reads=[BanquetReport],
    legal_basis=_basis("报告内容：举办时间、桌次、就餐人数、场所条件、主要菜品、是否聘请专业服务队伍等",
                       "report contents: time, sittings, diners, site conditions, main dishes, "
                       "whether a professional team is hired"),
    parameters=[
        _min_diners(),
        Param(name="required_contents", type="list", confidence=C,
              description=Text("报告须包含的内容（sittings、dishes、site、organiser、undertaker）",
                               "contents a report must state (sittings, dishes, site, "
                               "organiser, undertaker)")),
    ],
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=TOWNSHIP,
    responsible=COUNTY_SAMR,
    evidence=ContentsEvidence,
    message=("{subject}：聚餐报告缺少{missing}。",
             "{subject}: the banquet report does not state the {missing}."),
    description=(
        "只看已报告且达到报告人数的聚餐；桌次为0、菜品为空、地点为空即视为未填。"
        "时间和人数是记录的必填项，不会缺失。",
        "Only reported banquets at or over the threshold; zero sittings, no dishes or a "
        "blank site count as not stated. Date and diners are required fields of the record.",
    ),
)
def report_contents(ctx: RuleContext) -> Iterator[object]:
    """Reported banquets whose report lacks a listed content."""
    for banquet in _banquets(ctx):
        day = banquet.held_on
        if _reported_on(banquet, ctx.as_of) is None:
            continue
        if banquet.diners < ctx.param("min_diners", on=day):
            continue
        missing = [c for c in ctx.param("required_contents", on=day) if not _has(banquet, c)]
        if not missing:
            continue
        yield ctx.finding(
            subject=_subject(banquet), facts=[banquet], period=_day(banquet),
            evidence=ContentsEvidence(missing=tuple(_CONTENT(c) for c in missing),
                                      reported_on=banquet.reported_on, diners=banquet.diners),
            trigger=("missing",),
        )


# --------------------------------------------------------------------------- SCBQ-003


@evidence
class RegistrationEvidence:
    """SCBQ-003: the undertaker's permits of an accepted kind, none valid on the day."""

    banquet_id: str
    held_on: dt.date
    undertaker_id: str
    permits_found: int
    latest_valid_until: dt.date | None


@rule(
    id="SCBQ-003",
    version="1.0",
    grain="operator",
    identity=("banquet_id",),
    title=("聚餐承办者未办理食品摊贩登记", "Banquet undertaker not registered"),
    severity=Severity.MEDIUM,
    reads=[BanquetReport, Operator, VendorRegistration, Licence],
    legal_basis=[
        *_basis("承办者（坝坝宴一条龙、家宴服务队、乡村流动厨师）须依《四川省食品小作坊、小经营店及"
                "摊贩管理条例》办理食品摊贩登记，并向乡镇登记",
                "undertakers must obtain food-vendor registration under the Sichuan 三小 "
                "regulation and register with the township"),
    ],
    parameters=[
        Param(name="accepted_licence_kinds", type="list", confidence=C,
              description=Text("承办当日有效即视为已登记的证照类型（LicenceKind 取值）",
                               "permit kinds that count as registration when valid on the day "
                               "(LicenceKind values)")),
    ],
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=COUNTY_SAMR,
    responsible=TOWNSHIP,
    evidence=RegistrationEvidence,
    message=("{subject}：承办 {held_on} 的聚餐（{banquet_id}）时没有有效的食品摊贩登记或许可。",
             "{subject}: undertook banquet {banquet_id} on {held_on} without a food-vendor "
             "registration or licence valid that day."),
    description=(
        "承办当日须有有效的三小登记备案（vendor_registration）或食品经营许可（licence），"
        "类型见 accepted_licence_kinds。向乡镇登记一项没有对应数据，不作判断。",
        "On the banquet day the undertaker needs a vendor registration or a licence of a kind "
        "in accepted_licence_kinds. Registration with the township has no data and is not "
        "judged.",
    ),
)
def undertaker_registration(ctx: RuleContext) -> Iterator[object]:
    """Undertakers with no registration or licence valid on the banquet day."""
    for banquet in _banquets(ctx):
        uid = banquet.undertaker_id
        if not uid:
            continue
        day = banquet.held_on
        accepted = set(ctx.param("accepted_licence_kinds", on=day))
        registrations = [r for r in ctx.facts.for_subject(VendorRegistration, uid)
                         if r.licence_kind.value in accepted]
        licences = [lic for lic in ctx.facts.for_subject(Licence, uid)
                    if lic.licence_kind.value in accepted]
        if any(r.issued_on <= day and (r.valid_until is None or day <= r.valid_until)
               for r in registrations) or any(lic.valid_on(day) for lic in licences):
            continue
        ends = [d for d in (*(r.valid_until for r in registrations),
                            *(lic.valid_until for lic in licences)) if d is not None]
        yield ctx.finding(
            subject=_undertaker_subject(ctx, banquet, uid), facts=[banquet],
            period=_day(banquet),
            evidence=RegistrationEvidence(
                banquet_id=banquet.id, held_on=day, undertaker_id=uid,
                permits_found=len(registrations) + len(licences),
                latest_valid_until=max(ends) if ends else None),
            trigger=("banquet_id",),
        )


# --------------------------------------------------------------------------- SCBQ-004


@evidence
class CertificateEvidence:
    """SCBQ-004: a chef's certificate not valid on the day (status ``missing``: none)."""

    banquet_id: str
    held_on: dt.date
    undertaker_id: str | None
    person_id: str
    role: str
    status: str
    certificate_id: str | None
    certificate_valid_until: dt.date | None


@rule(
    id="SCBQ-004",
    version="1.0",
    grain="staff_member",
    identity=("banquet_id",),
    title=("聚餐厨师无有效健康证明", "Banquet chef without a valid health certificate"),
    severity=Severity.HIGH,
    reads=[BanquetReport, StaffMember, HealthCertificate],
    legal_basis=_basis("承办者服务人员须持有效健康证明",
                       "the undertaker's service staff must hold valid health certificates"),
    parameters=[_chef_roles()],
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=COUNTY_SAMR,
    responsible=TOWNSHIP,
    evidence=CertificateEvidence,
    messages={"missing": ("{subject}：{held_on} 承办聚餐（{banquet_id}）没有任何健康证明记录。",
                          "{subject}: no health certificate on record for banquet {banquet_id} "
                          "on {held_on}.")},
    message=("{subject}：{held_on} 承办聚餐（{banquet_id}）当天没有有效的健康证明"
             "（最近一份有效期至 {certificate_valid_until}）。",
             "{subject}: no health certificate valid on {held_on} when cooking for banquet "
             "{banquet_id} (latest valid until {certificate_valid_until})."),
    description=(
        "承办者在聚餐当日在岗、岗位属于 chef_roles 的人员，须有当日有效的健康证明（按人员编号查找，"
        "不论登记在哪个主体名下）。承办者没有人员记录时不作判断。",
        "Each of the undertaker's staff in chef_roles working on the day needs a health "
        "certificate valid that day (looked up by person, under any operator). Undertakers "
        "with no staff records are not judged.",
    ),
)
def chef_health_certificate(ctx: RuleContext) -> Iterator[object]:
    """Chefs of a banquet without a health certificate valid on the day."""
    certificates = _by_person(ctx.facts.of_kind(HealthCertificate))
    for banquet in _banquets(ctx):
        day = banquet.held_on
        for chef in _chefs(ctx, banquet):
            mine: list[HealthCertificate] = certificates.get(chef.id, [])
            if any(c.valid_on(day) for c in mine):
                continue
            latest = max(mine, key=lambda c: (c.valid_until, c.id)) if mine else None
            yield ctx.finding(
                subject=_chef_subject(chef, banquet), facts=[banquet, chef, *mine],
                period=_day(banquet),
                evidence=CertificateEvidence(
                    banquet_id=banquet.id, held_on=day, undertaker_id=banquet.undertaker_id,
                    person_id=chef.id, role=chef.role.value,
                    status="missing" if latest is None else "not_valid_on_day",
                    certificate_id=None if latest is None else latest.id,
                    certificate_valid_until=None if latest is None else latest.valid_until),
                trigger=("banquet_id",),
            )


# --------------------------------------------------------------------------- SCBQ-005


@evidence
class TrainingEvidence:
    """SCBQ-005: a chef's latest training before the banquet, outside the window."""

    banquet_id: str
    held_on: dt.date
    undertaker_id: str | None
    person_id: str
    role: str
    window_months: int
    window_start: dt.date
    last_trained_on: dt.date | None

    @property
    def status(self) -> str | None:
        """``never``: no training on record before the banquet (its own message)."""
        return "never" if self.last_trained_on is None else None


@rule(
    id="SCBQ-005",
    version="1.0",
    grain="staff_member",
    identity=("banquet_id",),
    title=("聚餐厨师近期未接受食品安全培训", "Banquet chef without recent food-safety training"),
    severity=Severity.LOW,
    reads=[BanquetReport, StaffMember, TrainingRecord],
    legal_basis=_basis("承办者服务人员须接受食品安全培训",
                       "the undertaker's service staff must receive food-safety training"),
    parameters=[
        _chef_roles(),
        Param(name="training_window_months", type="int", minimum=1, maximum=60, unit="月",
              confidence="?",
              description=Text("培训须在聚餐前多少个月内（《办法》未见期限，须在配置文件中设定）",
                               "training must fall within this many months before the banquet "
                               "(no period found in the measures: set it in a profile)")),
    ],
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=COUNTY_SAMR,
    responsible=TOWNSHIP,
    evidence=TrainingEvidence,
    messages={"never": ("{subject}：{held_on} 承办聚餐（{banquet_id}）前没有任何食品安全培训记录。",
                        "{subject}: no food-safety training on record before banquet "
                        "{banquet_id} on {held_on}.")},
    message=("{subject}：{held_on} 承办聚餐（{banquet_id}）前 {window_months} 个月内"
             "（{window_start} 起）没有食品安全培训记录（最近一次：{last_trained_on}）。",
             "{subject}: no food-safety training in the {window_months} months before banquet "
             "{banquet_id} on {held_on} (since {window_start}; last trained: {last_trained_on})."),
    description=(
        "承办者在聚餐当日在岗、岗位属于 chef_roles 的人员，须在聚餐前 training_window_months 个月内"
        "（含聚餐当日）有培训记录。期限为本插件的假设，置信度“?”：默认不设值，四川配置文件（sichuan）"
        "设为12个月。",
        "Each of the undertaker's staff in chef_roles working on the day needs a training record "
        "within training_window_months before the banquet (the day included). The period is "
        "this plugin's assumption, confidence '?': no default; the sichuan profile sets 12.",
    ),
)
def chef_training(ctx: RuleContext) -> Iterator[object]:
    """Chefs of a banquet with no training in the window before it."""
    trainings = _by_person(ctx.facts.of_kind(TrainingRecord))
    for banquet in _banquets(ctx):
        day = banquet.held_on
        chefs = _chefs(ctx, banquet)
        if not chefs:
            continue
        months = ctx.param("training_window_months", on=day)
        window = Period.ending(day, months=months)
        for chef in chefs:
            mine: list[TrainingRecord] = [t for t in trainings.get(chef.id, [])
                                          if t.trained_on <= day]
            if any(t.trained_on in window for t in mine):
                continue
            last = max(mine, key=lambda t: (t.trained_on, t.id)) if mine else None
            yield ctx.finding(
                subject=_chef_subject(chef, banquet), facts=[banquet, chef],
                period=_day(banquet),
                evidence=TrainingEvidence(
                    banquet_id=banquet.id, held_on=day, undertaker_id=banquet.undertaker_id,
                    person_id=chef.id, role=chef.role.value, window_months=months,
                    window_start=window.start,
                    last_trained_on=None if last is None else last.trained_on),
                trigger=("banquet_id",),
            )


# --------------------------------------------------------------------------- SCBQ-006


@attrs.frozen(kw_only=True)
class _Practice:
    """One banned practice of the term list in parameters.toml."""

    id: str
    zh: str
    en: str
    terms: tuple[str, ...]
    unless: tuple[str, ...] = ()
    severity: Severity | None = None


def _practices(raw: Sequence[Mapping[str, Any]]) -> list[_Practice]:
    out = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not {"id", "zh", "terms"} <= set(item):
            raise ValueError(f"banned_practices #{i} needs id, zh and terms, got {item!r}")
        terms = sorted({normalize_text(str(t)) for t in item["terms"]}, key=lambda t: (-len(t), t))
        out.append(_Practice(
            id=str(item["id"]), zh=str(item["zh"]), en=str(item.get("en", item["id"])),
            terms=tuple(t for t in terms if t),
            unless=tuple(normalize_text(str(u)) for u in item.get("unless", ())),
            severity=Severity.parse(item["severity"]) if "severity" in item else None))
    return out


class _Matcher:
    """Finds terms in free text, ignoring those negated just before ("未发现野生菌")."""

    def __init__(self, negations: Sequence[str], fillers: Sequence[str]) -> None:
        self.negations = tuple(normalize_text(n) for n in negations if n)
        self.fillers = tuple(sorted((normalize_text(f) for f in fillers if f),
                                    key=lambda f: (-len(f), f)))

    def negated(self, before: str) -> bool:
        """Whether ``before`` ends in a negation, once verbs like 使用/发现/的 are peeled off."""
        text = before.rstrip()
        while True:
            if text.endswith(self.negations):
                return True
            filler = next((f for f in self.fillers if text.endswith(f)), None)
            if filler is None:
                return False
            text = text[: -len(filler)].rstrip()

    def find(self, text: str, term: str) -> bool:
        """Whether ``term`` occurs in ``text`` at least once without a negation before it."""
        start = text.find(term)
        while start >= 0:
            if not self.negated(text[:start]):
                return True
            start = text.find(term, start + 1)
        return False


#: Where in the banquet record a term was found.
_FIELD = Code.table({"practices": ("违规情形", "practices"), "dishes": ("菜品", "dishes")})


@evidence
class TermMatch:
    """One place a banned practice's term was found."""

    field: str
    text: str
    term: str


@evidence
class PracticeEvidence:
    """SCBQ-006: a banned practice (coded) and where the record names it."""

    practice: Code
    matched_term: str
    field: Code
    text: str
    matches: tuple[TermMatch, ...]


@rule(
    id="SCBQ-006",
    version="1.0",
    grain="banquet_report",
    identity=("practice",),
    title=("农村集体聚餐存在禁止行为", "Banned practice at a rural banquet"),
    severity=Severity.HIGH,
    reads=[BanquetReport],
    legal_basis=_basis("禁止行为：使用不合规原料，使用亚硝酸盐、非食用物质或超范围超限量使用食品添加剂，"
                       "加工野生菌、发芽或变绿的马铃薯，提供来源不明的散装白酒等",
                       "banned practices: non-compliant raw materials, nitrite, non-food "
                       "substances or additive abuse, wild mushrooms, sprouted or green "
                       "potatoes, bulk liquor of unknown source, and others"),
    parameters=[
        Param(name="banned_practices", type="table", confidence=C,
              description=Text("禁止行为及其关键词、同义词（数据见 parameters.toml）",
                               "banned practices with their terms and synonyms "
                               "(data in parameters.toml)")),
        Param(name="negations", type="list", confidence=C,
              description=Text("关键词前出现即视为否定的词（如“未发现”中的“未”）",
                               "words that negate a term written just before it")),
        Param(name="fillers", type="list", confidence=C,
              description=Text("否定词与关键词之间可忽略的词（使用、发现、的……）",
                               "words skipped between a negation and a term (使用, 发现, 的 ...)")),
    ],
    valid_from=VALID_FROM,
    valid_to=VALID_TO,
    lead=COUNTY_SAMR,
    responsible=TOWNSHIP,
    evidence=PracticeEvidence,
    message=("{subject}：{field}“{text}”涉及禁止行为“{practice}”（关键词：{matched_term}）。",
             "{subject}: {field} entry '{text}' points to the banned practice "
             "'{practice}' (term: {matched_term})."),
    description=(
        "在聚餐记录的违规情形（practices）和菜品（dishes）中查找禁止行为的关键词及同义词；"
        "关键词前有否定词（未、无、没有、禁止……，中间可隔“使用”“发现”“的”等）不算；"
        "带 unless 的行为（如散装白酒）在记录中写明来源（已索证、有票据……）时不算。"
        "养殖食用菌（香菇、平菇）和普通土豆菜（土豆丝）不含关键词，不会误报。",
        "Searches the banquet's practices and dishes for each banned practice's terms and "
        "synonyms. A term preceded by a negation (未, 无, 没有, 禁止 ..., possibly with 使用, 发现, "
        "的 between) does not count; a practice with 'unless' phrases (bulk liquor) does not "
        "count when the record states a source. Farmed mushrooms (香菇, 平菇) and plain potato "
        "dishes (土豆丝) contain no term, so they never match.",
    ),
)
def banned_practice(ctx: RuleContext) -> Iterator[object]:
    """Banned practices named in a banquet's practices or dishes, one finding per practice."""
    for banquet in _banquets(ctx):
        day = banquet.held_on
        practices = _practices(ctx.param("banned_practices", on=day))
        matcher = _Matcher(ctx.param("negations", on=day), ctx.param("fillers", on=day))
        texts = [("practices", normalize_text(t)) for t in banquet.practices]
        texts += [("dishes", normalize_text(t)) for t in banquet.dishes]
        for practice in practices:
            if practice.unless and any(matcher.find(text, u) for _, text in texts
                                       for u in practice.unless):
                continue
            matches = []
            for field, text in texts:
                term = next((t for t in practice.terms if matcher.find(text, t)), None)
                if term is not None:
                    matches.append(TermMatch(field=field, text=text, term=term))
            if not matches:
                continue
            first = matches[0]
            yield ctx.finding(
                subject=_subject(banquet), facts=[banquet], period=_day(banquet),
                severity=practice.severity,
                evidence=PracticeEvidence(
                    practice=Code(practice.id, practice.zh, practice.en),
                    matched_term=first.term, field=_FIELD(first.field), text=first.text,
                    matches=tuple(matches)),
                trigger=("practice",),
            )


#: Every rule of the ruleset, in id order.
ALL_RULES = (report_lead_time, report_contents, undertaker_registration,
             chef_health_certificate, chef_training, banned_practice)
