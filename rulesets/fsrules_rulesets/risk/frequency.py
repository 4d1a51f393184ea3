"""Inspection frequency by risk grade (RISK-001, RISK-002), Order 49's two-year floor
(RISK-003) and recorded grades that ignore Art 28 (RISK-004).

INFER-RISK-FREQUENCY turns each operator's grade (``risk_grade``) into an
``risk_inspection_plan`` under the regime the profile picks (parameter
``regime``: ``2016``, ``2022_draft`` or ``order49``; tables in
``frequency.toml``); RISK-001 and RISK-002 read the plans, so switching the
regime in a profile changes which operators are overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from fsrules import (
    Confidence,
    FactRef,
    Finding,
    Param,
    Period,
    RuleContext,
    RuleKind,
    Severity,
    Text,
    rule,
)
from fsrules.evidence import Code, evidence
from fsrules.model import BusinessType, Inspection, Operator, RiskAssessment, RiskGrade
from fsrules.shapes import Absence, Hit, Records, Scope, check

from .._basis import FOOD_SAFETY_LAW
from ._common import (
    COUNTY_BUREAU,
    MARKET_OFFICES,
    active_days,
    add_months,
    days_between,
    judged_year,
    period_param,
    prorated,
)
from .basis import ORDER_49, PRODUCER_DRAFT_2022, RISK_MEASURE_2016, article, verified
from .facts import InspectionPlan, RiskGradeAssessment
from .frequency_evidence import (
    FrequencyEvidence,
    GradeRaiseEvidence,
    OverdueEvidence,
    ShortfallEvidence,
    regime_code,
)
from .grading import TRIGGERS

__all__ = [
    "FrequencyEvidence",
    "GradeRaiseEvidence",
    "OverdueEvidence",
    "Requirement",
    "ShortfallEvidence",
    "inspection_plan",
    "key_reasons",
    "order49_floor",
    "overdue",
    "recorded_grade_ignores_triggers",
    "under_inspected",
]

C = Confidence.CORROBORATED
V = Confidence.VERIFIED

#: Order 49 took effect on 2022-03-15 (V).
IN_FORCE_49 = dt.date(2022, 3, 15)

PRODUCERS = frozenset({BusinessType.PRODUCER, BusinessType.ADDITIVE_PRODUCER,
                       BusinessType.HEALTH_FOOD_PRODUCER})

KEY_REASONS: Mapping[str, tuple[str, str]] = {
    "special_food_producer": ("特殊食品生产者", "special-food producer"),
    "producer_grade_c_d": ("C级、D级风险食品生产者", "producer of grade C or D"),
    "operator_grade_d": ("D级风险食品经营者", "food trader of grade D"),
    "central_kitchen": ("中央厨房", "central kitchen"),
    "meal_delivery": ("集体用餐配送单位", "collective-meal delivery unit"),
}


@attrs.frozen(kw_only=True)
class Requirement:
    """At least ``count`` inspections per ``window_months``; at most ``max_gap_months`` apart."""

    count: int
    window_months: int
    max_gap_months: int


def _requirement(raw: Any, where: str) -> Requirement:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected {{ count = 1, window_months = 12, "
                         f"max_gap_months = 12 }}, got {raw!r}")
    try:
        req = Requirement(count=int(raw["count"]), window_months=int(raw["window_months"]),
                          max_gap_months=int(raw["max_gap_months"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc!r} in {raw!r}") from None
    if req.count < 1 or req.window_months not in (12, 24) or req.max_gap_months < 1:
        raise ValueError(f"{where}: count ≥ 1, window_months 12 or 24, max_gap_months ≥ 1")
    return req


def key_reasons(op: Operator, grade: RiskGrade) -> tuple[str, ...]:
    """Why Order 49 Art 22 para 2 puts ``op`` under key supervision (empty: it does not)."""
    reasons = []
    if op.business_type is BusinessType.HEALTH_FOOD_PRODUCER or op.is_special_food:
        reasons.append("special_food_producer")
    if op.business_type in PRODUCERS and grade in (RiskGrade.C, RiskGrade.D):
        reasons.append("producer_grade_c_d")
    if op.business_type not in PRODUCERS and grade is RiskGrade.D:
        reasons.append("operator_grade_d")
    if op.business_type is BusinessType.CENTRAL_KITCHEN:
        reasons.append("central_kitchen")
    if op.business_type is BusinessType.MEAL_DELIVERY:
        reasons.append("meal_delivery")
    return tuple(reasons)


@rule(
    id="INFER-RISK-FREQUENCY",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("按风险等级确定监督检查频次", "Required inspection frequency by risk grade"),
    severity="info",
    reads=[Operator, RiskGradeAssessment, Inspection],
    produces=[InspectionPlan],
    legal_basis=[
        article(FOOD_SAFETY_LAW, "第一百零九条", en="Art. 109"),
        verified(article(RISK_MEASURE_2016, "第二十六条", en="Art. 26"),
                 "按风险等级确定日常监督检查频次 / inspection frequency set by grade"),
        attrs.evolve(RISK_MEASURE_2016, note="频次“原则上每年至少 A 1次、B 1–2次、C 2–3次、D 3–4次”据"
                     "2016年多篇报道佐证(C)，条文号未核实 / frequencies corroborated by 2016 news "
                     "(C); article number not verified"),
        PRODUCER_DRAFT_2022,
        article(ORDER_49, "第二十二条", "第二款", en="Art. 22 para. 2"),
    ],
    message=("{subject} 应每{window_months}个月检查{count}次", "{subject}: {count} per "
             "{window_months} months"),
    parameters=[
        Param(name="regime", type="str", choices=("2016", "2022_draft", "order49"), confidence=C,
              description=Text("检查频次方案：2016=2016年办法，2022_draft=2022年征求意见稿/安徽方案，"
                               "order49=只对第49号令重点监督检查对象规定频次",
                               "frequency regime: 2016 measure, 2022 draft / Anhui scheme, or "
                               "order49 (a frequency for Order 49's key-supervision operators "
                               "only)")),
        Param(name="frequency_table", type="str", confidence=C,
              description=Text("各方案频次表文件（本规则集目录下）", "file of the regimes' tables "
                               "(in this ruleset's folder)")),
        Param(name="business_types", type="list", confidence=V,
              description=Text("按等级确定频次的业态（“三小”由省级规定，第49号令第五十四条）",
                               "business types with a frequency by grade (三小 follow "
                               "provincial rules, Order 49 Art 54)")),
        period_param("检查次数", "inspections are counted"),
        Param(name="key_supervision_per_year", type="int", minimum=1, maximum=52, unit="次/年",
              confidence=Confidence.NOT_FOUND,
              description=Text("order49 方案下重点监督检查对象每年至少检查次数（第49号令未规定，"
                               "仅在选用 order49 时需要）",
                               "inspections a year for Order 49 key-supervision operators under "
                               "the order49 regime (the order sets none; needed only then)")),
    ],
    description=(
        "对每个评定了风险等级的在营主体，按配置文件选定方案的频次表给出统计期应检查次数（按在营天数折算，向上取整）、"
        "已检查次数和下次检查最迟日期（上次检查后 max_gap_months 个月）。等级取 INFER-RISK-GRADE 的结果"
        "（有监管部门记录的以记录为准）。order49 方案只对重点监督检查对象给出频次。",
        "For every graded operator open on the evaluation date: inspections required in the "
        "period under the profile's regime (pro-rated to the days open, rounded up), "
        "inspections done, and the latest date of the next one (max_gap_months after the "
        "last). The grade is INFER-RISK-GRADE's (a recorded grade counts). Under order49 only "
        "key-supervision operators get a frequency.",
    ),
)
def inspection_plan(ctx: RuleContext) -> Iterator[InspectionPlan]:
    """One plan per operator in scope that has a grade and a frequency."""
    as_of = ctx.as_of
    regime = ctx.param("regime")
    path = ctx.param("frequency_table")
    tables = ctx.data(path).get("regimes", {})
    if regime not in tables:
        raise ValueError(f"{path}: no [regimes.\"{regime}\"] table")
    spec = tables[regime]
    key_only = bool(spec.get("key_supervision_only", False))
    grades = {} if key_only else {
        g: _requirement(spec.get("grades", {}).get(g.value), f"{path} [{regime}] {g.value}")
        for g in RiskGrade}
    scope = set(ctx.param("business_types"))
    year = judged_year(as_of, ctx.param("period"))
    key_requirement: Requirement | None = None
    for graded in ctx.facts.of_kind(RiskGradeAssessment):
        op = ctx.facts.operator(graded.operator_id)
        if op is None or op.business_type.value not in scope or not op.active_on(as_of):
            continue
        reasons = key_reasons(op, graded.grade)
        if key_only:
            if not reasons:
                continue
            if key_requirement is None:
                per_year = ctx.param("key_supervision_per_year")
                key_requirement = Requirement(count=per_year, window_months=12,
                                              max_gap_months=max(12 // per_year, 1))
            req = key_requirement
        else:
            req = grades[graded.grade]
        start = dt.date(year.end.year - req.window_months // 12 + 1, 1, 1)
        window = Period(start=start, end=year.end)
        required = prorated(req.count, active_days(op, window.start, window.end),
                            days_between(window.start, window.end))
        # One pass over the operator's inspections (inspected_on is their date field).
        history = [i for i in ctx.facts.for_subject(Inspection, op.id) if i.inspected_on <= as_of]
        last = max(history, key=lambda i: (i.inspected_on, i.id), default=None)
        done = [i for i in history if window.start <= i.inspected_on <= window.end]
        anchor = last.inspected_on if last is not None else op.opened_on
        yield InspectionPlan(
            id=op.id, operator_id=op.id, as_of=as_of, regime=regime, grade=graded.grade,
            grade_source=graded.source, key_supervision=bool(reasons), key_reasons=reasons,
            count=req.count, window_months=req.window_months,
            max_gap_months=req.max_gap_months, window_start=window.start,
            window_end=window.end, required=required, done=len(done),
            inspection_ids=tuple(i.id for i in done),
            last_inspection_id=last.id if last else None,
            last_inspection_on=last.inspected_on if last else None,
            next_due_on=None if anchor is None else add_months(anchor, req.max_gap_months),
        )


def _plan_fields(plan: InspectionPlan) -> dict[str, Any]:
    return {"grade": plan.grade, "grade_source": plan.grade_source,
            "regime": regime_code(plan.regime), "key_supervision": plan.key_supervision,
            "key_reasons": plan.key_reasons, "last_inspection_id": plan.last_inspection_id,
            "last_inspection_on": plan.last_inspection_on}


_FREQUENCY_BASIS = [
    verified(article(RISK_MEASURE_2016, "第二十六条", en="Art. 26"),
             "按风险等级确定日常监督检查频次 / inspection frequency set by grade"),
    article(FOOD_SAFETY_LAW, "第一百零九条", en="Art. 109"),
    article(ORDER_49, "第二十二条", en="Art. 22"),
]


@rule(
    id="RISK-001",
    version="1.0",
    grain="operator",
    identity=("last_inspection_id", "max_gap_months"),
    evidence=OverdueEvidence,
    title=("监督检查逾期未开展", "Inspection overdue for the operator's risk grade"),
    severity=Severity.MEDIUM,
    reads=[InspectionPlan],
    legal_basis=_FREQUENCY_BASIS,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject}（{grade}，{regime}）最近一次监督检查为 {last_inspection_on}"
        "（{last_inspection_id}），"
        "两次检查间隔不应超过 {max_gap_months} 个月，应于 {due_date} 前再次检查，已逾期 {days_overdue} 天。",
        "{subject} (grade {grade}, {regime}): last inspected on {last_inspection_on} "
        "({last_inspection_id}); inspections may be at most {max_gap_months} months apart, so "
        "the next was due by {due_date} — {days_overdue} days overdue.",
    ),
    messages={
        "no_due_date": (
            "{subject}（{grade}，{regime}）没有监督检查记录，开业日期也未记录，无法确定下次检查期限，应尽快检查。",
            "{subject} (grade {grade}, {regime}): no inspection on record and no opening date, "
            "so no due date can be set; inspect it soon."),
        "never": (
            "{subject}（{grade}，{regime}）自开业（{opened_on}）以来没有监督检查记录，应于 {due_date} "
            "前检查，已逾期 {days_overdue} 天。",
            "{subject} (grade {grade}, {regime}): never inspected since opening on {opened_on}; "
            "the first inspection was due by {due_date} — {days_overdue} days overdue."),
    },
    description=(
        "读取 INFER-RISK-FREQUENCY 的结果：上次检查（从未检查的按开业日期）后超过该等级允许的"
        "最长间隔仍未再检查即为逾期。频次方案由配置文件的 INFER-RISK-FREQUENCY.regime 选定。",
        "Reads INFER-RISK-FREQUENCY: an operator is overdue when the grade's longest gap has "
        "passed since its last inspection (or its opening, if never inspected). The regime is "
        "the profile's INFER-RISK-FREQUENCY.regime.",
    ),
)
def overdue(ctx: RuleContext) -> Iterator[object]:
    """The next inspection's latest date has passed."""
    for plan in ctx.facts.of_kind(InspectionPlan):
        op = ctx.facts.operator(plan.operator_id)
        if op is None:
            continue
        due = plan.next_due_on
        if due is not None and ctx.as_of <= due:
            continue
        evidence = OverdueEvidence(
            **_plan_fields(plan), max_gap_months=plan.max_gap_months, due_on=due,
            days_overdue=None if due is None else (ctx.as_of - due).days,
            opened_on=op.opened_on if plan.last_inspection_id is None else None)
        yield ctx.finding(
            subject=op, evidence=evidence, due_date=due,
            facts=[op, FactRef(kind=InspectionPlan.KIND, id=plan.id),
                   *([FactRef(kind=Inspection.KIND, id=plan.last_inspection_id)]
                     if plan.last_inspection_id else [])],
            period=None if plan.last_inspection_on is None
            else Period(start=plan.last_inspection_on, end=ctx.as_of),
            fingerprint_period=False,
        )


@rule(
    id="RISK-002",
    version="1.0",
    grain="operator",
    identity=("grade", "regime", "required"),
    evidence=ShortfallEvidence,
    title=("监督检查次数不足", "Fewer inspections than the risk grade requires"),
    severity=Severity.MEDIUM,
    reads=[InspectionPlan],
    legal_basis=_FREQUENCY_BASIS,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject}（{grade}，{regime}）{window_start} 至 {window_end} 应至少检查 {required} 次，"
        "截至评价日已检查 {done} 次，还差 {shortfall} 次，应于 {due_date} 前完成（最近一次检查："
        "{last_inspection_on}）。",
        "{subject} (grade {grade}, {regime}) needs at least {required} inspection(s) from "
        "{window_start} to {window_end}; {done} done so far, {shortfall} still due by "
        "{due_date} (last inspection: {last_inspection_on}).",
    ),
    messages={"never": (
        "{subject}（{grade}，{regime}）{window_start} 至 {window_end} 应至少检查 {required} 次，"
        "没有任何监督检查记录，应于 {window_end} 前完成。",
        "{subject} (grade {grade}, {regime}) needs at least {required} inspection(s) from "
        "{window_start} to {window_end} and has never been inspected; due by {window_end}.")},
    description=(
        "读取 INFER-RISK-FREQUENCY：统计期（自然年；A级在2022年方案下为两个自然年）内检查次数少于应检查次数。"
        "统计期尚未结束时为提示（严重程度 info），列出到期前还需检查的次数；期满仍不足为一般问题。",
        "Reads INFER-RISK-FREQUENCY: fewer inspections in the window (a calendar year; two for "
        "grade A under the 2022 draft) than required. While the window is still open the "
        "finding is info and lists the inspections still due; once it has ended it is medium.",
    ),
)
def under_inspected(ctx: RuleContext) -> Iterator[object]:
    """Inspections done in the window fall short of the required count."""
    for plan in ctx.facts.of_kind(InspectionPlan):
        op = ctx.facts.operator(plan.operator_id)
        if op is None or plan.done >= plan.required:
            continue
        open_window = ctx.as_of < plan.window_end
        yield ctx.finding(
            subject=op, period=Period(start=plan.window_start, end=plan.window_end),
            due_date=plan.window_end,
            severity=Severity.INFO if open_window else None,
            evidence=ShortfallEvidence(
                **_plan_fields(plan), window_start=plan.window_start,
                window_end=plan.window_end, required=plan.required, done=plan.done,
                shortfall=plan.required - plan.done, inspection_ids=plan.inspection_ids,
                window_open=open_window),
            facts=[op, FactRef(kind=InspectionPlan.KIND, id=plan.id),
                   *(FactRef(kind=Inspection.KIND, id=i) for i in plan.inspection_ids)],
        )


@evidence
class FullInspectionEvidence:
    """RISK-003: the overdue full-checklist inspection and the partial ones since."""

    window_years: int
    last_full_inspection_id: str | None
    last_full_inspection_on: dt.date | None
    due_on: dt.date | None
    days_overdue: int | None
    partial_inspections: int
    partial_inspection_ids: tuple[str, ...]
    opened_on: dt.date | None = None
    """For an operator never fully inspected: its opening date (None: not recorded)."""

    @property
    def status(self) -> str | None:
        """``never``: no full-checklist inspection on record (its own message)."""
        return "never" if self.last_full_inspection_id is None else None

    @property
    def opened(self) -> Text:
        """The opening date, or that it is not recorded."""
        if self.opened_on is None:
            return Text("未记录", "not recorded")
        return Text(self.opened_on.isoformat(), self.opened_on.isoformat())

    @property
    def due(self) -> Text:
        """When the first full inspection is due (or that it is due already)."""
        if self.due_on is None:
            return Text("，已到期。", "; it is due.")
        return Text(f"，应于 {self.due_on} 前完成。", f", due by {self.due_on}.")


def _no_full_inspection(hit: Hit) -> Finding:
    """RISK-003's finding: the overdue full inspection and the partial ones since."""
    op, ctx, values = hit.subject, hit.ctx, hit.values
    assert isinstance(op, Operator)
    last, since = hit.facts[:1], values["last_on"]
    history = ctx.facts.for_subject(Inspection, op.id, end=ctx.as_of)
    partial = [i for i in history if not i.full_checklist
               and (since is None or i.inspected_on > since)]
    return hit.finding(facts=[op, *last, *partial], trigger=("last_full_inspection_id",),
                       evidence=FullInspectionEvidence(
                           window_years=values["window"],
                           last_full_inspection_id=values["last_id"],
                           last_full_inspection_on=since, due_on=values["due_on"],
                           days_overdue=values["days_overdue"],
                           partial_inspections=len(partial),
                           partial_inspection_ids=tuple(i.id for i in partial),
                           opened_on=None if last else op.opened_on))


_WINDOW_YEARS = Param(
    name="window_years", type="int", minimum=1, maximum=10, unit="年", confidence=V,
    description=Text("全覆盖周期（“每两年……至少进行一次覆盖全部检查要点的监督检查”）",
                     "full-coverage cycle ('at least once every two years, covering the whole "
                     "checklist')"))
_FLOOR_TYPES = Param(
    name="business_types", type="list", confidence=V,
    description=Text("适用业态（“三小”由省级规定，省级未规定的可参照，第五十四条）",
                     "business types covered (三小 follow provincial rules and may refer to the "
                     "order, Art 54)"))

#: RISK-003 has the absence shape: no full-checklist inspection for ``window_years``
#: (counted from the operator's opening when it never had one; nothing falls due
#: before Order 49 took effect).
order49_floor = check(
    Absence(scope=Scope(kind=Operator, active=True, where={"business_type": _FLOOR_TYPES}),
            records=Records(kind=Inspection, where={"full_checklist": True}),
            window=_WINDOW_YEARS, unit="years", since="opened_on", not_before=IN_FORCE_49,
            finding=_no_full_inspection),
    id="RISK-003",
    version="1.0",
    grain="operator",
    identity=("last_full_inspection_id",),
    parameters=[_WINDOW_YEARS, _FLOOR_TYPES],
    evidence=FullInspectionEvidence,
    messages={"never": (
        "{subject} 没有全项目监督检查记录（开业日期：{opened}），第49号令第二十二条要求每{window_years}年"
        "至少全项目检查一次{due}",
        "{subject} has no full-checklist inspection on record (opened: {opened}); Order 49 "
        "Art 22 requires one at least every {window_years} years{due}")},
    title=("两年内未开展全项目监督检查", "No full-checklist inspection within two years"),
    severity=Severity.HIGH,
    legal_basis=[article(ORDER_49, "第二十二条", "第一款", en="Art. 22 para. 1"),
                 article(ORDER_49, "第五十四条", en="Art. 54")],
    valid_from=IN_FORCE_49,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 最近一次全项目监督检查为 {last_full_inspection_on}（{last_full_inspection_id}），"
        "第49号令第二十二条要求每{window_years}年至少全项目检查一次，应于 {due_date} 前完成，"
        "已逾期 {days_overdue} 天（期间仅有 {partial_inspections} 次非全项目检查）。",
        "{subject}: last full-checklist inspection on {last_full_inspection_on} "
        "({last_full_inspection_id}); Order 49 Art 22 requires one at least every "
        "{window_years} years, due by {due_date} — {days_overdue} days overdue "
        "({partial_inspections} partial inspection(s) since).",
    ),
    description=(
        "每个在营主体（默认不含“三小”）须在截至评价日的{window_years}年内至少有一次覆盖全部检查要点的监督检查"
        "（inspection.full_checklist）。从未全项检查的，从开业日期起算；开业日期未知的视为已到期。滚动计算；"
        "第49号令2022-03-15起施行，到期日不早于该日。",
        "Every operator open on the evaluation date (三小 excluded by default) needs at least "
        "one inspection covering the whole checklist (inspection.full_checklist) in the "
        "window_years ending on the evaluation date; one never fully inspected counts from "
        "its opening date, or is due already when that is unknown. A rolling window; Order 49 "
        "applies from 2022-03-15, and nothing falls due before that day.",
    ),
)


@rule(
    id="RISK-004",
    version="1.0",
    grain="operator",
    identity=("trigger_facts", "recorded_id"),
    evidence=GradeRaiseEvidence,
    title=("记录的风险等级未按规定上调", "Recorded risk grade not raised after an Art 28 trigger"),
    severity=Severity.MEDIUM,
    reads=[RiskGradeAssessment, RiskAssessment, Operator],
    legal_basis=[
        verified(article(RISK_MEASURE_2016, "第二十八条", en="Art. 28"),
                 "六类情形上调一至二个等级 / six triggers raise the grade by one or two"),
        verified(article(RISK_MEASURE_2016, "第二十七条", en="Art. 27"),
                 "每年根据本年度记录调整下一年度风险等级 / each year's records set next year's grade"),
        article(ORDER_49, "第二十一条", "第二款", en="Art. 21 para. 2"),
    ],
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 在 {start} 至 {end} 有第二十八条情形（{trigger_names}），应上调 {raise_by} 个等级至不低于"
        "{expected_grade}（原等级 {baseline_grade}），但记录的风险等级为 {recorded_grade}"
        "（{recorded_on}，{recorded_id}）。",
        "{subject} had Art 28 trigger(s) from {start} to {end} ({trigger_names}), so its grade "
        "should have been raised by {raise_by} to at least {expected_grade} (from "
        "{baseline_grade}); the recorded grade is {recorded_grade} ({recorded_on}, "
        "{recorded_id}).",
    ),
    description=(
        "监管部门记录的风险等级优先于计算等级（见 INFER-RISK-GRADE）。评分期内出现第二十八条情形时，"
        "记录的等级应比情形发生前的等级（情形前最近一次记录；没有的取计算的基础等级）至少高一级"
        "（raise_two 所列情形高两级，最高D级）；记录等级早于情形、之后未再评定的同样报告。",
        "A recorded grade overrides the computed one (see INFER-RISK-GRADE). After an Art 28 "
        "trigger in the scoring period the recorded grade should be at least one grade (two "
        "for the triggers in raise_two; at most D) above the grade before the trigger (the "
        "latest recorded before it, else the computed base grade); a recorded grade that "
        "predates the trigger and was not revisited is reported too.",
    ),
)
def recorded_grade_ignores_triggers(ctx: RuleContext) -> Iterator[object]:
    """The bureau's grade does not reflect an Art 28 raise."""
    for graded in ctx.facts.of_kind(RiskGradeAssessment):
        if graded.source != "recorded" or graded.raise_by == 0:
            continue
        op = ctx.facts.operator(graded.operator_id)
        if op is None:
            continue
        triggers = [a.split(":", 3) for a in graded.adjustments if a.startswith("raise:")]
        first = min(dt.date.fromisoformat(t[3]) for t in triggers)
        recorded = sorted((r for r in ctx.facts.for_subject(RiskAssessment, op.id)
                           if r.assessed_on <= ctx.as_of), key=lambda r: (r.assessed_on, r.id))
        latest = recorded[-1]
        before = [r for r in recorded if r.assessed_on < first]
        baseline = before[-1].grade if before else graded.base_grade
        expected = list(RiskGrade)[min(baseline.rank + graded.raise_by, 3)]
        if latest.grade.rank >= expected.rank:
            continue
        codes = sorted({t[1] for t in triggers})
        yield ctx.finding(
            subject=op, period=Period(start=graded.period_start, end=graded.period_end),
            evidence=GradeRaiseEvidence(
                recorded_grade=latest.grade, recorded_on=latest.assessed_on,
                recorded_id=latest.id, baseline_grade=baseline,
                baseline_source="recorded" if before else "computed", expected_grade=expected,
                raise_by=graded.raise_by,
                triggers=tuple(Code(c, TRIGGERS[c][1], TRIGGERS[c][2]) for c in codes),
                trigger_facts=tuple(f"{t[1]}:{t[2]}" for t in triggers),
                regraded_after_trigger=latest.assessed_on >= first),
            facts=[op, latest, FactRef(kind=RiskGradeAssessment.KIND, id=graded.id)],
            fingerprint_period=False,
        )
