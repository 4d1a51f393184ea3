"""INFER-RISK-GRADE: each operator's risk score and grade, explained.

Static score (≤ 40) from the profile's scoring table + dynamic score (≤ 60)
from the supervisory inspections of the scoring period → grade by the 2016
bands (0–30 A, >30–45 B, >45–60 C, >60 D, upper bounds inclusive; C), then
the 2016 measure's adjustments: raised by one or two grades on an Art 28
trigger (V), lowered by one after three clean years (C).

A grade the bureau recorded (``risk_assessment``) is its decision and
overrides the computed one: ``risk_grade.grade`` is then the recorded grade,
and the computed grade stays in the fact as evidence (RISK-004 reports a
recorded grade that ignores an Art 28 trigger).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol, TypeVar

import attrs

from fsrules import Confidence, FactSet, Param, Period, RuleContext, RuleKind, Text, rule
from fsrules.matching import TermList
from fsrules.model import (
    BusinessType,
    Disposal,
    DisposalStatus,
    EnforcementCase,
    Fact,
    Incident,
    Inspection,
    InspectionResult,
    Operator,
    RiskAssessment,
    RiskGrade,
    SamplingKind,
    SamplingLevel,
    SamplingResult,
    Verdict,
)

from .._basis import FOOD_SAFETY_LAW
from .._numbers import exact
from .basis import ORDER_49, RISK_MEASURE_2016, article, verified
from .facts import RiskFactor, RiskGradeAssessment
from .scoring import CategoryScore, Scorer, ScoringTable, latest_factors, show

__all__ = ["TRIGGERS", "Trigger", "art28_triggers", "grade_for", "risk_grade"]

C = Confidence.CORROBORATED
V = Confidence.VERIFIED
_F = TypeVar("_F", bound=Fact)
NOT_FOUND = Confidence.NOT_FOUND

GRADED_TYPES = (
    BusinessType.PRODUCER, BusinessType.ADDITIVE_PRODUCER, BusinessType.HEALTH_FOOD_PRODUCER,
    BusinessType.SELLER, BusinessType.CATERER, BusinessType.UNIT_CANTEEN,
    BusinessType.CENTRAL_KITCHEN, BusinessType.MEAL_DELIVERY,
)

#: Art 28 triggers of the 2016 measure: code → (item, Chinese, English).
TRIGGERS: Mapping[str, tuple[str, str, str]] = {
    "intentional_violation": ("（一）", "故意违法受到罚款、没收、停产停业等处罚",
                              "intentional violation punished (fine, confiscation, suspension)"),
    "sampling_failure": ("（二）", "国家或省级监督抽检不合格",
                         "failed a national or provincial supervisory sampling"),
    "adverse_social_impact": ("（三）", "违法行为造成不良社会影响",
                              "violation with adverse social impact"),
    "incident": ("（四）", "发生食品安全事故", "food-safety incident"),
    "recall_failure": ("（五）", "未按规定召回或停止生产经营", "failed to recall or stop as required"),
    "obstruction": ("（六）", "拒绝、逃避、阻挠监督检查或调查",
                    "refused, evaded or obstructed inspection or investigation"),
}


@attrs.frozen(kw_only=True, order=True)
class Trigger:
    """One Art 28 trigger: what, when, and the fact it rests on."""

    day: dt.date
    code: str
    kind: str
    fact_id: str

    def describe(self, lang: str) -> str:
        """``2022-05-01 国家或省级监督抽检不合格（sampling_result S-1）``."""
        item, zh, en = TRIGGERS[self.code]
        if lang == "en":
            return f"{self.day} {en} ({self.kind} {self.fact_id}; Art 28 item {item})"
        return f"{self.day} {zh}（{self.kind} {self.fact_id}，第二十八条第{item}项）"


class _Source(Protocol):
    """Where trigger facts come from: one operator's (``for_subject``) or all (``of_kind``)."""

    def __call__(self, kind: type[_F], /) -> Sequence[_F]: ...


_VERDICT = operator.attrgetter("verdict")


def _collect(facts: FactSet, source: _Source, punishment: TermList,
             add: Callable[[Fact, dt.date | None, str], None]) -> None:
    """Hand every Art 28 trigger among the ``source`` facts to ``add(fact, day, code)``."""
    for case in source(EnforcementCase):
        # (一) needs a penalty that was decided: the case is closed with a fine,
        # confiscation or suspension, not a warning.
        if case.intentional and case.penalty and punishment.find(case.penalty):
            add(case, case.closed_on, "intentional_violation")
        if case.adverse_social_impact:
            add(case, case.closed_on or case.opened_on, "adverse_social_impact")
    samples = source(SamplingResult)
    # Failed ones first, with C-level passes: a county has tens of thousands of results.
    fails = itertools.compress(samples, map(operator.is_, map(_VERDICT, samples),
                                            itertools.repeat(Verdict.FAIL)))
    for sample in fails:
        if (sample.verdict is Verdict.FAIL and sample.sampling_kind is SamplingKind.SUPERVISORY
                and sample.level in (SamplingLevel.NATIONAL, SamplingLevel.PROVINCIAL)):
            add(sample, sample.sampled_on, "sampling_failure")
    for incident in source(Incident):
        add(incident, incident.occurred_on, "incident")
        if incident.serious_social_impact:
            add(incident, incident.occurred_on, "adverse_social_impact")
    for disposal in source(Disposal):
        failed = disposal.recall_required and (
            disposal.recall_done is False
            or (disposal.recall_done is None and disposal.status is DisposalStatus.COMPLETED))
        if failed:
            tested = facts.get(SamplingResult, disposal.sampling_id)
            day = disposal.completed_on or disposal.started_on or (
                tested.sampled_on if tested is not None else None)
            add(disposal, day, "recall_failure")
    for inspection in source(Inspection):
        if inspection.obstructed:
            add(inspection, inspection.inspected_on, "obstruction")


def art28_triggers(ctx: RuleContext, op_id: str, start: dt.date, end: dt.date,
                   punishment: TermList) -> list[Trigger]:
    """Art 28 triggers of operator ``op_id`` dated in [start, end], by date."""
    facts = ctx.facts
    found: list[Trigger] = []

    def mine(kind: type[_F]) -> Sequence[_F]:
        return facts.for_subject(kind, op_id)

    def add(fact: Fact, day: dt.date | None, code: str) -> None:
        if day is not None and start <= day <= end:
            found.append(Trigger(day=day, code=code, kind=fact.KIND, fact_id=fact.id))

    _collect(facts, mine, punishment, add)
    return sorted(found)


def _triggers_by_operator(facts: FactSet, end: dt.date, punishment: TermList
                          ) -> dict[str, list[Trigger]]:
    """Every operator's Art 28 triggers dated up to ``end``, by date: one pass per kind.

    The same as :func:`art28_triggers` from ``date.min`` for each operator,
    without five index look-ups per operator.
    """
    found: dict[str, list[Trigger]] = defaultdict(list)

    def add(fact: Fact, day: dt.date | None, code: str) -> None:
        subject = fact.subject_id
        if day is not None and day <= end and subject is not None:
            found[subject].append(Trigger(day=day, code=code, kind=fact.KIND, fact_id=fact.id))

    _collect(facts, facts.of_kind, punishment, add)
    return {subject: sorted(triggers) for subject, triggers in found.items()}


_ZERO = Fraction(0)


def _up_to(facts: Sequence[_F], field: str, end: dt.date) -> dict[str, list[_F]]:
    """Facts dated (``field``) on or before ``end``, by subject, in id order."""
    out: dict[str, list[_F]] = defaultdict(list)
    for fact in facts:
        subject = fact.subject_id
        if subject is not None and getattr(fact, field) <= end:
            out[subject].append(fact)
    return out


def grade_for(total: Fraction, bands: Mapping[str, Any]) -> RiskGrade:
    """The grade of a total score: the first band whose upper bound (inclusive) it reaches."""
    return _grade(total, _bounds(bands))


_ABC = (RiskGrade.A, RiskGrade.B, RiskGrade.C)


def _bounds(bands: Mapping[str, Any]) -> tuple[Fraction, ...]:
    return tuple(exact(bands[grade.value]) for grade in _ABC)


def _grade(total: Fraction, bounds: Sequence[Fraction]) -> RiskGrade:
    for grade, bound in zip(_ABC, bounds, strict=True):
        if total <= bound:
            return grade
    return RiskGrade.D


def _check_bands(bands: Mapping[str, Any]) -> None:
    bounds = [bands.get(g) for g in "ABC"]
    if any(isinstance(b, bool) or not isinstance(b, int | float) for b in bounds):
        raise ValueError(f"bands needs numeric upper bounds for A, B and C, got {dict(bands)!r}")
    if not bounds[0] < bounds[1] < bounds[2]:  # type: ignore[operator]
        raise ValueError(f"band upper bounds must increase A < B < C, got {dict(bands)!r}")


def _by_rank(rank: int) -> RiskGrade:
    return list(RiskGrade)[max(0, min(rank, 3))]


def scoring_period(as_of: dt.date, mode: str) -> Period:
    """The period whose records set the grade in force on ``as_of`` (Art 27)."""
    if mode == "calendar_year":
        return Period(start=dt.date(as_of.year, 1, 1), end=as_of)
    return Period.year(as_of.year - 1)


def _dynamic(inspections: Sequence[Inspection], points: Callable[[int, int], Fraction],
             aggregate: str, cap: Fraction) -> tuple[Fraction, list[tuple[Inspection, Fraction]]]:
    def scored(insp: Inspection) -> tuple[Inspection, Fraction]:
        general_items = max(len(insp.failed_items) - insp.key_items_failed, 0)
        return insp, points(general_items, insp.key_items_failed)

    if not inspections:
        return _ZERO, []
    if aggregate == "sum":
        used = [scored(i) for i in inspections]
        return min(sum((p for _, p in used), _ZERO), cap), used
    if aggregate == "worst":
        used = [max(map(scored, inspections), key=lambda s: (s[1], s[0].inspected_on, s[0].id))]
    else:  # latest: only the latest inspection is scored
        used = [scored(max(inspections, key=lambda i: (i.inspected_on, i.id)))]
    return min(used[0][1], cap), used


def _clean_years(op: Operator, inspected: Sequence[Inspection], last_year: int, years: int,
                 as_of: dt.date, triggers: Sequence[Trigger]) -> tuple[int, int] | None:
    """(first, last) year when ``op`` had ``years`` clean years ending with ``last_year``.

    A clean year: open on its first day, inspected at least once, no
    non-conforming result and no Art 28 trigger (regulations.md §1.7: "3
    consecutive clean years → may lower by one grade", C).
    """
    first = last_year - years + 1
    for year in range(first, last_year + 1):
        start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
        if end < start or not op.active_on(start):
            return None
        inspections = [i for i in inspected if start <= i.inspected_on <= end]
        if not inspections or any(i.result is InspectionResult.NON_CONFORMING
                                  for i in inspections):
            return None
        if any(start <= t.day <= end for t in triggers):
            return None
    return first, last_year


_PARAMS = [
    Param(name="scoring_table", type="str", confidence=C,
          description=Text("静态风险因素评分表文件（本规则集目录下的相对路径或绝对路径）",
                           "static scoring-table file (relative to this ruleset's folder, or "
                           "absolute)")),
    Param(name="business_types", type="list", confidence=V,
          description=Text("评定风险等级的业态（已有记录等级的主体也评定）",
                           "business types graded (operators with a recorded grade are graded "
                           "too)")),
    Param(name="static_max", type="float", minimum=0, unit="分", confidence=C,
          description=Text("静态风险分值上限", "maximum static score")),
    Param(name="dynamic_max", type="float", minimum=0, unit="分", confidence=C,
          description=Text("动态风险分值上限", "maximum dynamic score")),
    Param(name="bands", type="table", confidence=C,
          description=Text("分级分数线：A、B、C 级的分数上限（含），高于 C 级上限为 D 级",
                           "grade bands: inclusive upper bounds of A, B and C; above C is D")),
    Param(name="scoring_period", type="str", choices=("previous_year", "calendar_year"),
          confidence=V,
          description=Text("动态评分和调整所用记录的期间：previous_year=上一自然年（第二十七条：本年度记录"
                           "调整下一年度等级），calendar_year=评价日所在年度至评价日",
                           "records the dynamic score and adjustments use: previous_year (Art "
                           "27: this year's records set next year's grade) or calendar_year (the "
                           "year of the evaluation date, to date)")),
    Param(name="general_item_points", type="float", minimum=0, unit="分/项", confidence=C,
          description=Text("每个不符合的一般项目计分（省级示例表每项0.5或1分）",
                           "points per failed general checklist item (a provincial example: 0.5 "
                           "or 1 per item)")),
    Param(name="key_item_points", type="float", minimum=0, unit="分/项", confidence=NOT_FOUND,
          description=Text("每个不符合的重点项目计分（重点项目权重更高；全国分值未找到）",
                           "points per failed key checklist item (key items weigh more; no "
                           "national value found)")),
    Param(name="dynamic_aggregate", type="str", choices=("latest", "worst", "sum"),
          confidence=NOT_FOUND,
          description=Text("期内多次检查如何得出动态分：latest=最近一次，worst=最高一次，sum=累加"
                           "（全国规定未找到）",
                           "how several inspections in the period give the dynamic score: "
                           "latest, worst or sum (no national rule found)")),
    Param(name="raise_two", type="list", confidence=NOT_FOUND,
          description=Text("第二十八条中上调两个等级的情形代码（办法只说“一至二个等级”）",
                           "Art 28 trigger codes that raise by two grades (the measure only says "
                           "'one or two')")),
    Param(name="clean_years_to_lower", type="int", minimum=1, maximum=10, unit="年",
          confidence=C,
          description=Text("连续无问题年数达到该值可下调一个等级",
                           "consecutive clean years after which the grade is lowered by one")),
]


@rule(
    id="INFER-RISK-GRADE",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("食品生产经营风险等级评定", "Risk score and grade of food operators"),
    severity="info",
    reads=[Operator, RiskFactor, Inspection, EnforcementCase, SamplingResult, Incident,
           Disposal, RiskAssessment],
    produces=[RiskGradeAssessment],
    legal_basis=[
        article(FOOD_SAFETY_LAW, "第一百零九条", en="Art. 109"),
        article(ORDER_49, "第二十一条", "第二款", en="Art. 21 para. 2"),
        attrs.evolve(RISK_MEASURE_2016, note=RISK_MEASURE_2016.note + "；分数线与“三年无问题下调一级”据"
                     "成都市实施办法（照抄国家文本）佐证(C)，国家条文号未核实 / bands and the 3-year "
                     "downgrade corroborated through Chengdu's measures (C); national article "
                     "numbers not verified"),
        verified(article(RISK_MEASURE_2016, "第二十七条", en="Art. 27"),
                 "每年根据本年度记录调整下一年度风险等级 / each year's records set next year's grade"),
        verified(article(RISK_MEASURE_2016, "第二十八条", en="Art. 28"),
                 "六类情形上调一至二个等级 / six triggers raise the grade by one or two"),
    ],
    message=("{subject} 风险等级 {grade}（{source}）", "{subject} risk grade {grade} ({source})"),
    parameters=_PARAMS,
    description=(
        "静态分按配置文件指定的评分表计（主体属于多个类别时按最高类别计，缺项计0分），动态分按评分期内监督检查"
        "不符合项计；总分按2016年分数线定级，再按第二十八条上调一至二级或连续三年无问题下调一级。监管部门记录的"
        "等级（risk_assessment）为准，计算结果作为佐证保留。",
        "Static points from the profile's scoring table (highest applicable category, missing "
        "items 0), dynamic points from the failed checklist items of the scoring period's "
        "inspections; the total is graded by the 2016 bands, then raised by one or two grades "
        "on an Art 28 trigger or lowered by one after three clean years. A grade the bureau "
        "recorded (risk_assessment) overrides the computed one, which is kept as evidence.",
    ),
)
def risk_grade(ctx: RuleContext) -> Iterator[RiskGradeAssessment]:
    """One ``risk_grade`` per graded operator active on ``as_of``."""
    as_of = ctx.as_of
    path = ctx.param("scoring_table")
    table = ScoringTable.from_mapping(ctx.data(path), source=path)
    graded = set(ctx.param("business_types"))
    static_max = exact(ctx.param("static_max"))
    scorer = Scorer(table, static_max)
    dynamic_max = exact(ctx.param("dynamic_max"))
    bands = ctx.param("bands")
    _check_bands(bands)
    bounds = _bounds(bands)
    period = scoring_period(as_of, ctx.param("scoring_period"))
    general = exact(ctx.param("general_item_points"))
    clean_years = ctx.param("clean_years_to_lower")
    punishment = TermList.from_mapping(ctx.data("terms.toml"))
    params: dict[str, Any] = {}
    triggers_of: dict[str, list[Trigger]] | None = None  # worked out for the first graded

    def lazy(name: str) -> Any:
        # ?-valued parameters are read only when an operator needs them.
        if name not in params:
            params[name] = ctx.param(name)
        return params[name]

    # Points of an inspection by (general, key) items failed: few distinct pairs.
    item_points: dict[tuple[int, int], Fraction] = {}

    def points(general_items: int, key_items: int) -> Fraction:
        found = item_points.get((general_items, key_items))
        if found is None:
            if "key" not in params:
                params["key"] = exact(lazy("key_item_points"))
            found = general * general_items + params["key"] * key_items
            item_points[(general_items, key_items)] = found
        return found

    # Recorded grades and factors up to as_of, per operator: one pass each (few per operator).
    recorded_of = _up_to(ctx.facts.of_kind(RiskAssessment), "assessed_on", as_of)
    factors_of = _up_to(ctx.facts.of_kind(RiskFactor), "recorded_on", as_of)
    texts = _Texts(scorer, bounds, period)
    for op in ctx.facts.of_kind(Operator):
        if not op.active_on(as_of):
            continue
        recorded = recorded_of.get(op.id, ())
        if op.business_type.value not in graded and not recorded:
            continue
        factors = factors_of.get(op.id, ())
        latest = latest_factors(factors) if factors else {}
        scores = [scorer.score(c, op, latest) for c in table.applicable(op, factors)]
        best: CategoryScore | None = max(scores, key=lambda s: s.total, default=None)
        static = best.total if best is not None else _ZERO

        inspected = ctx.facts.for_subject(Inspection, op.id)
        inspections = [i for i in inspected if period.start <= i.inspected_on <= period.end]
        if inspections:
            dynamic, used = _dynamic(inspections, points, lazy("dynamic_aggregate"),
                                     dynamic_max)
            total = static + dynamic
        else:
            dynamic, used, total = _ZERO, [], static
        base, total_zh, total_en = texts.total(total)

        # Every trigger up to as_of, once: the period's raise and the clean years use them.
        if triggers_of is None:
            triggers_of = _triggers_by_operator(ctx.facts, as_of, punishment)
        history = triggers_of.get(op.id, [])
        triggers = [t for t in history if period.start <= t.day <= period.end]
        adjustments: list[str] = []
        raise_by = 0
        clean: tuple[int, int] | None = None
        if triggers:
            two = set(lazy("raise_two"))
            raise_by = 2 if any(t.code in two for t in triggers) else 1
            computed = _by_rank(base.rank + raise_by)
            adjustments = [f"raise:{t.code}:{t.fact_id}:{t.day}" for t in triggers]
        elif base is not RiskGrade.A:
            clean = _clean_years(op, inspected, period.end.year, clean_years, as_of, history)
            computed = _by_rank(base.rank - 1) if clean else base
            if clean:
                adjustments = [f"lower:clean_years:{clean[0]}-{clean[1]}"]
        else:
            computed = base

        last = max(recorded, key=lambda r: (r.assessed_on, r.id), default=None)
        details = [texts.inspection(i, p) for i, p in used]
        zh, en = _explain(texts, best, scores, dynamic, details, (total_zh, total_en), base,
                          triggers, raise_by, clean, computed, last)
        yield RiskGradeAssessment(
            id=op.id, operator_id=op.id, assessed_on=as_of, period_start=period.start,
            period_end=period.end, category=best.category.code if best else None,
            static_score=float(static), static_parts=scorer.part_codes(best) if best else (),
            dynamic_score=float(dynamic),
            dynamic_parts=tuple(part for _, _, part in details),
            total_score=float(total), base_grade=base, adjustments=tuple(adjustments),
            raise_by=raise_by, computed_grade=computed,
            grade=last.grade if last else computed, source="recorded" if last else "computed",
            recorded_id=last.id if last else None, recorded_on=last.assessed_on if last else None,
            recorded_grade=last.grade if last else None,
            explanation_zh=tuple(zh), explanation_en=tuple(en),
        )


class _Texts:
    """The explanation lines one evaluation repeats, each worked out once.

    Many operators share a static score (one :class:`CategoryScore`), a
    total (few distinct totals) and the "no inspection" line (one period).
    """

    def __init__(self, scorer: Scorer, bounds: Sequence[Fraction], period: Period) -> None:
        self._scorer = scorer
        self._bounds = bounds
        a, b, c = (show(x) for x in bounds)
        self._bands_zh = f"A≤{a}，B≤{b}，C≤{c}，D>{c}"
        self._bands_en = f"A≤{a}, B≤{b}, C≤{c}, D>{c}"
        self.no_dynamic = (f"动态风险分值 0（{period.start}至{period.end}没有监督检查记录）",
                           f"dynamic score 0 (no inspection from {period.start} to {period.end})")
        self._static: dict[int, tuple[str, str]] = {}  # by id(score): scores live in the scorer
        self._totals: dict[Fraction, tuple[RiskGrade, str, str]] = {}
        self._items: dict[tuple[int, int], tuple[str, str, str]] = {}

    def inspection(self, insp: Inspection, points: Fraction) -> tuple[str, str, str]:
        """A scored inspection's explanation (zh, en) and its ``dynamic_parts`` entry.

        ``points`` is the run's points for the inspection's (general, key) items
        failed, so what follows the inspection's day and id is worked out once
        per pair.
        """
        key_items = insp.key_items_failed
        general = max(len(insp.failed_items) - key_items, 0)
        tail = self._items.get((general, key_items))
        if tail is None:
            shown = show(points)
            tail = self._items[(general, key_items)] = (
                f"：一般项不符合{general}项、重点项不符合{key_items}项，{shown}分",
                f": {general} general and {key_items} key items failed, {shown}", f":{shown}")
        day = insp.inspected_on
        return (f"{day} 检查 {insp.id}{tail[0]}", f"{day} inspection {insp.id}{tail[1]}",
                f"{insp.id}:{day}{tail[2]}")

    def static(self, best: CategoryScore) -> tuple[str, str]:
        """The static-score line for ``best``."""
        found = self._static.get(id(best))
        if found is None:
            scorer = self._scorer
            shown = show(best.total)
            found = self._static[id(best)] = (
                f"静态风险分值 {shown}（按{scorer.explain(best, 'zh')}）",
                f"static score {shown} ({scorer.explain(best, 'en')})")
        return found

    def total(self, total: Fraction) -> tuple[RiskGrade, str, str]:
        """The base grade of ``total`` and the line showing it against the bands."""
        found = self._totals.get(total)
        if found is None:
            base = _grade(total, self._bounds)
            found = self._totals[total] = (
                base, f"总分 {show(total)} → {base.zh}（{self._bands_zh}）",
                f"total {show(total)} → grade {base.value} ({self._bands_en})")
        return found


def _explain(texts: _Texts, best: CategoryScore | None, scores: Sequence[CategoryScore],
             dynamic: Fraction, used: Sequence[tuple[str, str, str]],
             total_lines: tuple[str, str], base: RiskGrade, triggers: Sequence[Trigger],
             raise_by: int, clean: tuple[int, int] | None, computed: RiskGrade,
             last: RiskAssessment | None) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if best is None:
        zh.append("静态风险分值 0（没有适用的评分类别）")
        en.append("static score 0 (no scoring category applies)")
    else:
        line_zh, line_en = texts.static(best)
        zh.append(line_zh)
        en.append(line_en)
        for other in scores:
            if other is not best:
                zh.append(f"另适用：{other.category.title_zh} {show(other.total)}分（就高不就低，未采用）")
                en.append(f"also applies: {other.category.title_en} {show(other.total)} "
                          "(the highest category counts)")
    if not used:
        zh.append(texts.no_dynamic[0])
        en.append(texts.no_dynamic[1])
    else:
        detail_zh = "；".join([zh for zh, _, _ in used])
        detail_en = "; ".join([en for _, en, _ in used])
        zh.append(f"动态风险分值 {show(dynamic)}（{detail_zh}）")
        en.append(f"dynamic score {show(dynamic)} ({detail_en})")
    zh.append(total_lines[0])
    en.append(total_lines[1])
    if triggers:
        zh.append(f"上调{raise_by}个等级至{computed.zh}（2016年办法第二十八条）："
                  + "；".join(t.describe("zh") for t in triggers))
        en.append(f"raised by {raise_by} to {computed.value} (2016 measure Art 28): "
                  + "; ".join(t.describe("en") for t in triggers))
    elif clean and computed is not base:
        zh.append(f"{clean[0]}–{clean[1]}年连续无问题，下调一个等级至{computed.zh}")
        en.append(f"clean years {clean[0]}–{clean[1]}: lowered by one to {computed.value}")
    if last is not None:
        zh.append(f"以监管部门记录的等级为准：{last.grade.zh}（{last.assessed_on}，{last.id}）；"
                  f"计算等级 {computed.zh} 作为佐证")
        en.append(f"the bureau's recorded grade counts: {last.grade.value} ({last.assessed_on}, "
                  f"{last.id}); computed grade {computed.value} kept as evidence")
    return zh, en
