"""Check rules: one per quantitative indicator of the county plan, and the checklist rule.

Each indicator rule reads the :class:`~.facts.DemoIndicator` its inference
rule measured, compares it with its threshold parameter (the plan's number,
``parameters.toml``; a profile where the plan gives none) exactly as the
plan words it, and reports the gap in the indicator's own units. Titles,
items, units and departments come from ``indicators.toml``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any

import attrs

from fsrules import (
    Confidence,
    Fact,
    FactRef,
    Finding,
    LegalBasis,
    Param,
    Period,
    Rule,
    RuleContext,
    Severity,
    Subject,
    Text,
    rule,
)
from fsrules.model import ChecklistStatus, Region
from fsrules.shapes import Hit, Records, Scope, Threshold, check

from .._basis import FOOD_SAFETY_LAW, WEIXIAN_PLAN, article
from .._numbers import exact, floor_to
from ._measure import regions
from .basis import (
    IMPLEMENTING_REGULATIONS,
    INSPECTION_MEASURES,
    PENALTY_PROCEDURE,
    SAMPLING_MEASURES,
    plan_basis,
)
from .evidence import (
    REASONS,
    ChecklistEvidence,
    DrillEvidence,
    IndicatorEvidence,
    NoDataEvidence,
    checklist_status,
)
from .facts import DemoIndicator
from .judge import Judgement, actual, judge, number
from .vocabulary import IndicatorSpec, vocabulary

__all__ = ["CHECK_RULES", "MEASURED_BY", "checklist", "indicator_rule", "threshold"]

V = Confidence.VERIFIED


def _law(art: str, en: str) -> LegalBasis:
    return article(FOOD_SAFETY_LAW, art, en=en)


#: Instruments cited besides the county plan, per indicator (articles checked in
#: shared/domain/texts where the text is there).
_EXTRA_BASIS: dict[str, tuple[LegalBasis, ...]] = {
    "supervisory_plan_completion": (_law("第八十七条", "Art. 87"),),
    "evaluative_plan_completion": (_law("第八十七条", "Art. 87"),),
    "disposal_completion": (SAMPLING_MEASURES,),
    "disposal_timeliness": (SAMPLING_MEASURES,),
    "sampling_coverage": (_law("第八十七条", "Art. 87"),),
    "producer_sampling_coverage": (_law("第八十七条", "Art. 87"),),
    "results_published": (_law("第八十七条", "Art. 87"),),
    "case_filing_rate": (PENALTY_PROCEDURE,),
    "case_closing_rate": (PENALTY_PROCEDURE,),
    "procedural_losses": (PENALTY_PROCEDURE,),
    "hotline_answer_rate": (_law("第一百一十五条", "Art. 115"),),
    "complaint_on_time_rate": (_law("第一百一十五条", "Art. 115"),),
    "professional_staff_ratio": (_law("第一百一十六条", "Art. 116"),),
    "regulator_training_coverage": (_law("第一百一十六条", "Art. 116"),
                                    article(INSPECTION_MEASURES, "第四十四条", en="Art. 44")),
    "regulator_training_hours": (_law("第一百一十六条", "Art. 116"),
                                 article(INSPECTION_MEASURES, "第四十四条", en="Art. 44")),
    "sampling_per_1000": (_law("第八十七条", "Art. 87"),),
    "residue_sampling_per_1000": (_law("第八十七条", "Art. 87"),),
    "emergency_drill": (article(IMPLEMENTING_REGULATIONS, "第五十五条", en="Art. 55"),),
    "manager_training_hours": (_law("第四十四条", "Art. 44"),
                               article(IMPLEMENTING_REGULATIONS, "第二十条", en="Art. 20")),
    "manager_test_pass_rate": (article(IMPLEMENTING_REGULATIONS, "第二十条", en="Art. 20"),
                               article(INSPECTION_MEASURES, "第二十九条", en="Art. 29")),
    "producer_self_inspection_rate": (_law("第四十七条", "Art. 47"),),
    "special_food_self_inspection_rate": (_law("第四十七条", "Art. 47"),),
    "special_food_rectification_rate": (_law("第四十七条", "Art. 47"),),
    "distribution_self_inspection_rate": (_law("第四十七条", "Art. 47"),),
    "evaluative_pass_rate": (_law("第八十七条", "Art. 87"),),
    "producer_credit_files": (_law("第一百一十三条", "Art. 113"),),
}

#: The inference rule that measures each computed indicator.
MEASURED_BY: dict[str, str] = {
    "sampling_per_1000": "INFER-DEMO-SAMPLING",
    "residue_sampling_per_1000": "INFER-DEMO-SAMPLING",
    "evaluative_pass_rate": "INFER-DEMO-SAMPLING",
    "sampling_coverage": "INFER-DEMO-SAMPLING-COVERAGE",
    "producer_sampling_coverage": "INFER-DEMO-SAMPLING-COVERAGE",
    "results_published": "INFER-DEMO-SAMPLING-COVERAGE",
    "disposal_completion": "INFER-DEMO-DISPOSAL",
    "disposal_timeliness": "INFER-DEMO-DISPOSAL",
    "complaint_on_time_rate": "INFER-DEMO-COMPLAINTS",
    "case_filing_rate": "INFER-DEMO-ENFORCEMENT",
    "case_closing_rate": "INFER-DEMO-ENFORCEMENT",
    "procedural_losses": "INFER-DEMO-ENFORCEMENT",
    "term_start_inspection_coverage": "INFER-DEMO-SCHOOLS",
    "bright_kitchen_coverage": "INFER-DEMO-SCHOOLS",
    "manager_training_hours": "INFER-DEMO-MANAGER-TRAINING",
}

#: The fact kind of each indicator's shortfall ids (for the finding's fact references).
_UNIT_KIND: dict[str, str] = {
    "evaluative_pass_rate": "sampling_result",
    "disposal_completion": "sampling_result",
    "disposal_timeliness": "sampling_result",
    "results_published": "sampling_result",
    "producer_sampling_coverage": "operator",
    "bright_kitchen_coverage": "operator",
    "complaint_on_time_rate": "complaint",
    "case_filing_rate": "enforcement_case",
    "case_closing_rate": "enforcement_case",
    "procedural_losses": "enforcement_case",
}

def _unit(spec: IndicatorSpec, lang: str) -> str:
    if spec.is_percent:
        return "%"
    return f" {spec.unit.zh}" if lang == "zh" else f" {spec.unit.en}"


def _message(spec: IndicatorSpec) -> Text:
    zh_op, en_op = ("不低于", "at least") if spec.at_least else ("不高于", "at most")
    uz, ue = _unit(spec, "zh"), _unit(spec, "en")
    zh = (f"{{subject}}：{{start}} 至 {{end}} {spec.title.zh} {{value}}{uz}，未达到县实施方案第 "
          f"{spec.item} 项{zh_op} {{threshold}}{uz} 的要求，{{gap_text}}")
    en = (f"{{subject}}: {spec.title.en} was {{value}}{ue} from {{start}} to {{end}}, short of "
          f"the county plan's item {spec.item} ({en_op} {{threshold}}{ue}); {{gap_text}}")
    if spec.gap == "per_1000":
        zh += "{population_note}"
        en += "{population_note}"
    if spec.source == "observed":
        zh += "（食安办记录，佐证：{evidence_ref}）"
        en += " (recorded by the office; evidence: {evidence_ref})"
    if spec.pro_rata:
        zh += "；该项按实际结果折算，得分率 {score_ratio}"
        en += "; the item is scored pro rata: {score_ratio} of its points"
    if spec.veto:
        zh += f"；另见否决项 {spec.veto}"
        en += f"; see also veto item {spec.veto}"
    return Text(zh + "。", en + ".")


def _description(spec: IndicatorSpec) -> Text:
    op = "≥" if spec.at_least else "≤"
    if spec.source == "computed":
        how_zh = (f"由 {MEASURED_BY[spec.code]} 从事实计算；地区完全没有相关事实时，取食安办记录的指标观测"
                  f"（代码 {spec.code}）。")
        how_en = (f"Measured by {MEASURED_BY[spec.code]} from the facts; when the region has "
                  f"none of them, the office's observation (code {spec.code}) stands in.")
    else:
        how_zh = f"取食安办记录的指标观测（代码 {spec.code}，见 INFER-DEMO-RECORDED）。"
        how_en = (f"The office's observation (code {spec.code}, see INFER-DEMO-RECORDED): the "
                  f"facts cannot give this figure.")
    at = "恰好等于阈值为达标" if spec.at_least else "恰好等于上限为达标"
    at_en = "exactly the threshold passes"
    return Text(
        f"县实施方案第 {spec.item} 项：“{spec.text}”。达标条件：数值 {op} 参数 {spec.param}，{at}；"
        f"差距按本指标的单位给出。{how_zh}无法计算时（没有测算或记录、人口或分母未记录）给出提示"
        f"（info，status=no_data），与否决项4、5相同；没有需计量的对象（分母为0）时不报告。",
        f"County plan item {spec.item}: pass when the value is {op} parameter {spec.param} "
        f"({at_en}); the gap is given in the indicator's own units. {how_en} When it cannot "
        f"be computed (no measurement or record, no population or denominator) an info "
        f"finding (status no_data) says so, as veto items 4 and 5 do; with nothing to "
        f"measure (a denominator of 0) nothing is reported.",
    )


def _threshold_param(spec: IndicatorSpec) -> Param:
    integer = spec.param in ("window_years", "max_cases")
    bounded = spec.is_percent or spec.unit.zh == "分"
    return Param(
        name=spec.param,
        type="int" if integer else "float",
        minimum=0,
        maximum=100 if bounded else None,
        unit="年" if spec.param == "window_years" else spec.unit.zh,
        # The plan's own numbers are verified (seed 004); where it gives none, a
        # profile must set the parameter.
        confidence=V if spec.threshold is not None else Confidence.NOT_FOUND,
        description=Text(f"阈值：{spec.text}", f"threshold of: {spec.title.en}"),
    )


def _indicators(ctx: RuleContext, region: Region, code: str) -> list[DemoIndicator]:
    return sorted((d for d in ctx.facts.in_region(DemoIndicator, region.code)
                   if d.region_code == region.code and d.indicator == code),
                  key=lambda d: d.id)


def _refs(spec: IndicatorSpec, ind: DemoIndicator) -> list[FactRef]:
    refs = [FactRef.of(ind)]
    if ind.observation_id:
        refs.append(FactRef(kind="indicator_observation", id=ind.observation_id))
    kind = _UNIT_KIND.get(spec.code)
    if kind is not None:
        refs.extend(FactRef(kind=kind, id=i) for i in ind.shortfall_ids)
    return refs


def _evidence(spec: IndicatorSpec, ind: DemoIndicator, threshold: float,
              verdict: Judgement) -> IndicatorEvidence:
    population: dict[str, Any] = {}
    if spec.gap == "per_1000":
        # The population a per-1000 figure rests on is stated in the finding.
        basis = dict(part.split("=", 1) for part in ind.basis.split(";") if "=" in part)
        population = {"population": ind.population,
                      "population_basis": basis.get("population") or None,
                      "counted_kinds": tuple(basis["kinds"].split(",")) if "kinds" in basis
                      else ()}
    score_ratio = None
    if spec.pro_rata:
        value = actual(spec, ind)
        assert value is not None
        ratio = value / exact(threshold)
        score_ratio = floor_to(float(ratio if ratio < 1 else 1))
    extra = verdict.extra
    return IndicatorEvidence(
        indicator=spec.code, item=spec.item, threshold=threshold, comparison=spec.comparison,
        source=ind.source, numerator=number(ind.numerator), denominator=number(ind.denominator),
        evidence_ref=ind.evidence_ref or "-", value=verdict.value, gap=verdict.gap,
        gap_kind=verdict.gap_kind, excluded=ind.excluded or None,
        shortfall_ids=ind.shortfall_ids or None, observation_id=ind.observation_id or None,
        longest_days=number(max(ind.item_values)) if spec.code == "disposal_timeliness"
        and ind.item_values else None,
        required_batches=extra.get("required_batches"), hours_short=extra.get("hours_short"),
        persons_short=tuple(extra["persons_short"]) if "persons_short" in extra else None,
        persons=extra.get("persons"), score_ratio=score_ratio, **population)


def _missing(spec: IndicatorSpec, ind: DemoIndicator | None) -> str | None:
    """Why the indicator cannot be judged (None: it can, or there is nothing to measure).

    A measurement whose denominator is 0 has no unit to count (no case to close):
    not applicable, not missing. A per-1000 figure without a population, a rate
    without its denominator, or no measurement at all is missing data.
    """
    if ind is None:
        return "no_measurement"
    if ind.value is not None or actual(spec, ind) is not None:
        return None
    if spec.gap == "per_1000" and not ind.denominator:
        return "no_population"
    if ind.denominator == 0:
        return None
    if ind.numerator is not None and ind.denominator is None:
        return "no_denominator"
    return "no_value"


def _no_data(ctx: RuleContext, spec: IndicatorSpec, region: Region, ind: DemoIndicator | None,
             why: str) -> Finding:
    """The info finding that an indicator cannot be judged (as VETO-004/005 say it)."""
    period = (Period(start=ind.period_start, end=ind.period_end) if ind is not None
              else Period.ending(ctx.as_of, years=1))
    refs = [] if ind is None else _refs(spec, ind)
    return ctx.finding(
        subject=Subject.of(region), period=period, severity=Severity.INFO, facts=refs,
        evidence=NoDataEvidence(
            indicator=spec.code, item=spec.item, reason=REASONS(why),
            numerator=None if ind is None else number(ind.numerator),
            denominator=None if ind is None else number(ind.denominator)),
        trigger=("indicator", "status"), fingerprint_period=False,
    )


def _county_level(ctx: RuleContext, region: Fact) -> bool:
    """Regions evaluated (county level and larger; see ``_measure.regions``)."""
    return isinstance(region, Region) and len(region.code) == 6


def _period(fact: Fact) -> Period:
    assert isinstance(fact, DemoIndicator)
    return Period(start=fact.period_start, end=fact.period_end)


def _metric(spec: IndicatorSpec, fact: Fact) -> Fraction | None:
    assert isinstance(fact, DemoIndicator)
    return actual(spec, fact)


def _hit_refs(spec: IndicatorSpec, hit: Hit) -> list[FactRef]:
    ind = hit.facts[0]
    assert isinstance(ind, DemoIndicator)
    return _refs(spec, ind)


def _unknown(spec: IndicatorSpec, hit: Hit) -> Finding | None:
    """The no-data finding of a region without a measurement or a figure to judge."""
    region = hit.subject
    assert isinstance(region, Region)
    if not hit.facts:
        return _no_data(hit.ctx, spec, region, None, "no_measurement")
    ind = hit.facts[0]
    assert isinstance(ind, DemoIndicator)
    why = _missing(spec, ind)
    return None if why is None else _no_data(hit.ctx, spec, region, ind, why)


def _shortfall(spec: IndicatorSpec, hit: Hit) -> IndicatorEvidence:
    """The evidence of an indicator that misses its threshold: the gap in its own units."""
    ind = hit.facts[0]
    assert isinstance(ind, DemoIndicator)
    threshold = hit.values["threshold"]
    verdict = judge(spec, ind, threshold)
    assert verdict is not None and not verdict.passed
    return _evidence(spec, ind, threshold, verdict)


def threshold(spec: IndicatorSpec) -> Threshold:
    """The indicator's check: its measured ``demo_indicator`` against its threshold parameter."""
    return Threshold(
        scope=Scope(kind=Region, key="code", filter=_county_level),
        measure=Records(kind=DemoIndicator, link="region_code",
                        where={"indicator": spec.code}),
        value=functools.partial(_metric, spec),
        limit=_threshold_param(spec),
        comparison=spec.comparison,
        unknown=functools.partial(_unknown, spec),
        evidence=functools.partial(_shortfall, spec),
        refs=functools.partial(_hit_refs, spec),
        period=_period,
    )


def _drill(spec: IndicatorSpec) -> Callable[[RuleContext], Iterator[object]]:
    def evaluate(ctx: RuleContext) -> Iterator[object]:
        years = ctx.param(spec.param)
        for region in regions(ctx):
            measured = _indicators(ctx, region, spec.code)
            if not measured:
                yield _no_data(ctx, spec, region, None, "no_drill")
            for ind in measured:
                window = Period.ending(ind.period_end, years=years)
                if ind.value is not None:
                    held = ind.period_end - dt.timedelta(days=int(ind.value))
                    if held >= window.start:
                        continue
                    last: str = held.isoformat()
                    gap = (window.start - held).days
                elif ind.status is not None and ind.status is not ChecklistStatus.DONE:
                    last, gap = "-", 0
                elif ind.status is None:
                    yield _no_data(ctx, spec, region, ind, "no_drill_date")
                    continue
                else:
                    continue
                yield ctx.finding(
                    subject=Subject.of(region), period=window, facts=_refs(spec, ind),
                    evidence=DrillEvidence(
                        indicator=spec.code, item=spec.item, threshold=years,
                        comparison=spec.comparison, window_start=window.start, last_drill=last,
                        value=number(ind.value), days_overdue=gap, gap=gap, source=ind.source,
                        observation_id=ind.observation_id, evidence_ref=ind.evidence_ref or "-"),
                    trigger=("indicator",), fingerprint_period=False,
                )

    evaluate.__doc__ = f"Item {spec.item}: {spec.title.en}."
    return evaluate


def indicator_rule(code: str, *, evaluate: Callable[[IndicatorSpec], Callable[
        [RuleContext], Iterator[object]]] | None = None) -> Rule:
    """The check rule of indicator ``code``, its metadata from ``indicators.toml``.

    A :class:`~fsrules.shapes.Threshold` (see :func:`threshold`) unless ``evaluate``
    gives the rule's own logic.
    """
    spec = vocabulary().indicators[code]
    meta: dict[str, Any] = {
        "id": spec.rule_id, "version": "1.0", "grain": "region", "identity": ("indicator",),
        "title": spec.rule_title, "severity": spec.severity,
        "legal_basis": [*plan_basis(spec.item), *_EXTRA_BASIS.get(code, ())],
        "lead": spec.lead, "responsible": spec.responsible, "message": _message(spec),
        "description": _description(spec), "tags": ("demo-city", f"item-{spec.item}"),
        "evidence": (IndicatorEvidence if evaluate is None else DrillEvidence, NoDataEvidence),
        "messages": {"no_data": Text(
            f"{{subject}}：{spec.title.zh}无法计算（{{reason}}），无法判断县实施方案第 {spec.item} 项"
            f"是否达标。",
            f"{{subject}}: {spec.title.en} cannot be computed ({{reason}}); county plan item "
            f"{spec.item} cannot be judged.")},
    }
    if evaluate is None:
        return check(threshold(spec), module=__name__, **meta)
    return rule(reads=[Region, DemoIndicator], parameters=[_threshold_param(spec)],
                **meta)(evaluate(spec))


_DRILL_MESSAGE = Text(
    "{subject}：{gap_text}（最近一次：{last_drill}，统计起点 {window_start}），"
    "未达到县实施方案第 16 项的要求。",
    "{subject}: {gap_text} (latest: {last_drill}; window from {window_start}), as county plan "
    "item 16 requires.",
)


def _drill_rule() -> Rule:
    base = indicator_rule("emergency_drill", evaluate=_drill)
    return attrs.evolve(base, message=_DRILL_MESSAGE, description=Text(
        "县实施方案第 16 项：近两年以政府或食药安办名义开展实战应急演练。取食安办记录的最近一次演练"
        "（指标观测 emergency_drill，截止日期为演练日期，完成情况为已完成）；演练日期早于评价日前 "
        "window_years 年的窗口起点，或记录为未完成，即报告。",
        "County plan item 16: a real-scenario drill in the government's or office's name in "
        "the last two years. The latest drill the office recorded (observation "
        "emergency_drill, period_end the drill's day, status done) must fall in the "
        "window_years ending on the evaluation date; a drill recorded as not done is "
        "reported too.",
    ), parameters=(Param(name="window_years", type="int", minimum=1, maximum=10, unit="年",
                         confidence=V, description=Text("演练须在评价日前多少年内（“近两年”）",
                                                        "years before the evaluation date "
                                                        "the drill must fall in")),))


# --------------------------------------------------------------------------- checklist


def _union(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(d for g in groups for d in g))


def _checklist_rule() -> Rule:
    items = vocabulary().checklist.values()
    return rule(
        id="DEMO-CHECKLIST",
        version="1.0",
        grain="region",
        identity=("indicator",),
        evidence=ChecklistEvidence,
        title=("示范创建定性任务未完成", "Qualitative task of the demonstration-city plan not done"),
        severity=Severity.HIGH,
        reads=[Region, DemoIndicator],
        legal_basis=[article(WEIXIAN_PLAN, "五", en="§5"), *plan_basis(2)[1:]],
        lead=_union(i.lead for i in items),
        responsible=_union(i.responsible for i in items),
        message=(
            "{subject}：县实施方案第 {item} 项“{title}”记录为{status}（佐证：{evidence_ref}），"
            "由{lead}牵头落实。",
            "{subject}: county plan item {item} '{title}' is recorded as {status} "
            "(evidence: {evidence_ref}); lead: {lead}.",
        ),
        description=(
            "没有数值阈值的任务（工作机制、法规制度、源头治理、智慧监管、机制创新等，见 indicators.toml 的 "
            "[checklist]）由食安办按项记录完成情况和佐证材料（指标观测，完成情况为已完成/部分完成/未完成）。"
            "每个未完成的项一条问题（部分完成为一般，未完成为严重），牵头和责任单位取该项的分工，法律依据为该项条目。"
            "没有记录的项不报告（在准备情况汇总中显示为无数据）。",
            "Tasks without a numeric threshold (working mechanisms, local rules, source "
            "control, smart supervision, innovation...: [checklist] in indicators.toml) are "
            "recorded by the office as done, partly done or not done with an evidence "
            "reference. One finding per item not done (partly: medium, not done: high), routed "
            "to that item's lead and responsible units and citing its item. Items never "
            "recorded are not reported; the readiness summary shows them as no data.",
        ),
        tags=("demo-city", "checklist"),
    )(checklist)


def checklist(ctx: RuleContext) -> Iterator[object]:
    """One finding per checklist item recorded as partly done or not done."""
    items = vocabulary().checklist
    for region in regions(ctx):
        for ind in sorted(ctx.facts.in_region(DemoIndicator, region.code), key=lambda d: d.id):
            item = items.get(ind.indicator)
            if (item is None or ind.region_code != region.code or ind.status is None
                    or ind.status is ChecklistStatus.DONE):
                continue
            refs: list[DemoIndicator | FactRef] = [ind]
            if ind.observation_id:
                refs.append(FactRef(kind="indicator_observation", id=ind.observation_id))
            lead = item.lead or item.responsible[:1]
            found = ctx.finding(
                subject=Subject.of(region),
                period=Period(start=ind.period_start, end=ind.period_end),
                facts=refs,
                evidence=ChecklistEvidence(
                    indicator=item.code, item=item.item, status=checklist_status(ind.status),
                    evidence_ref=ind.evidence_ref or "-", observation_id=ind.observation_id,
                    lead=tuple(lead)),
                trigger=("indicator",), fingerprint_period=False,
                severity=Severity.HIGH if ind.status is ChecklistStatus.NOT_DONE
                else Severity.MEDIUM,
            )
            group = item.group
            yield attrs.evolve(
                found, lead_departments=item.lead, responsible_departments=item.responsible,
                legal_basis=(article(WEIXIAN_PLAN, group.section, str(item.item),
                                     en=f"{group.section_en} item {item.item}"),
                             *found.legal_basis[1:]))


def _rules() -> tuple[Rule, ...]:
    out = []
    for code in vocabulary().indicators:
        out.append(_drill_rule() if code == "emergency_drill" else indicator_rule(code))
    return tuple(sorted(out, key=lambda r: r.id))


#: The check rules: one per quantitative indicator, then DEMO-CHECKLIST.
CHECK_RULES: tuple[Rule, ...] = (*_rules(), _checklist_rule())
