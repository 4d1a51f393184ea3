"""Inference rules: incident levels and sampling metrics, computed once per run.

The veto and demonstration-city rules read these derived facts instead of
recomputing them, and each carries its numerator and denominator.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from fsrules import Confidence, Param, Period, RuleContext, Text, derivation
from fsrules.model import (
    Fact,
    Incident,
    IncidentLevel,
    Region,
    SamplingKind,
    SamplingResult,
    Verdict,
)

from .._basis import FOOD_SAFETY_LAW, INCIDENT_PLAN, article
from .facts import IncidentAssessment, SamplingMetric

C = Confidence.CORROBORATED


def _count(name: str, zh: str, en: str, confidence: Confidence = C) -> Param:
    return Param(name=name, type="int", description=Text(zh, en), minimum=1,
                 confidence=confidence)


@derivation(
    id="INFER-INCIDENT-LEVEL",
    version="1.0",
    title=("食品安全事故分级", "Food-safety incident level"),
    reads=[Incident],
    produces=[IncidentAssessment],
    legal_basis=[article(FOOD_SAFETY_LAW, "第一百零二条", en="Art. 102"), INCIDENT_PLAN],
    parameters=[
        _count("i_min_provinces", "Ⅰ级：流入省份数下限", "level I: provinces reached, at least"),
        _count("ii_min_cities", "Ⅱ级：流入地市数下限", "level II: prefectures reached"),
        _count("ii_min_ill_with_death", "Ⅱ级：一起中毒发病人数下限（且有死亡）",
               "level II: ill in one event (with a death)"),
        _count("ii_min_deaths", "Ⅱ级：死亡人数下限", "level II: deaths"),
        _count("iii_min_counties", "Ⅲ级：流入县区数下限", "level III: counties reached"),
        _count("iii_min_ill", "Ⅲ级：一起中毒发病人数下限", "level III: ill in one event"),
        _count("iii_min_deaths", "Ⅲ级：死亡人数下限", "level III: deaths"),
        _count("iv_min_ill", "Ⅳ级：一起中毒发病人数下限（无死亡）",
               "level IV: ill in one event (no death)", Confidence.MEMORY),
    ],
    description=(
        "按预案标准由人数和波及范围推导等级，任一条件满足即可，取最高级。已记录等级不低于推导等级的以记录为准"
        "（事故处置部门可能掌握更多情况）；记录等级低于其人数所达等级的，取推导的较高等级（来源 "
        "criteria_above_record），VETO-002 另行提示该矛盾。Ⅰ级的“特别严重危害”按达到Ⅱ级人数标准理解。",
        "The level follows the plan's criteria from the numbers and the spread: any criterion "
        "suffices and the highest matching level wins. A recorded level at or above that is "
        "kept (the office may know more); a recorded level below what the incident's own "
        "numbers meet gives way to the higher level (source criteria_above_record) and "
        "VETO-002 flags the contradiction. Level I's 'especially serious harm' is read as "
        "harm meeting the level II numbers.",
    ),
)
def incident_level(ctx: RuleContext) -> Iterator[IncidentAssessment]:
    """Derive each incident's level (regulations.md §4)."""
    p = ctx.param
    for inc in ctx.facts.of_kind(Incident):
        matched: list[tuple[IncidentLevel, str]] = []
        harm = inc.ill > 0 or inc.deaths > 0
        level2_numbers = ((inc.ill >= p("ii_min_ill_with_death") and inc.deaths >= 1)
                          or inc.deaths >= p("ii_min_deaths"))
        if (inc.abroad or inc.provinces_affected >= p("i_min_provinces")) and level2_numbers:
            matched.append((IncidentLevel.I, "spread_provinces_serious_harm"))
        if level2_numbers:
            matched.append((IncidentLevel.II, "ill_deaths_level_ii"))
        if inc.cities_affected >= p("ii_min_cities") and harm:
            matched.append((IncidentLevel.II, "spread_cities"))
        if inc.new_contaminant and harm:
            matched.append((IncidentLevel.II, "new_contaminant"))
        if inc.counties_affected >= p("iii_min_counties") and harm:
            matched.append((IncidentLevel.III, "spread_counties"))
        if inc.ill >= p("iii_min_ill"):
            matched.append((IncidentLevel.III, "ill_level_iii"))
        if inc.deaths >= p("iii_min_deaths"):
            matched.append((IncidentLevel.III, "deaths_level_iii"))
        if inc.ill >= p("iv_min_ill"):
            matched.append((IncidentLevel.IV, "ill_level_iv"))
        best = max((lv for lv, _ in matched), key=lambda lv: lv.rank) if matched else None
        if inc.level is not None and (best is None or inc.level.at_least(best)):
            # A recorded level at or above what the numbers meet stands (the office
            # may know more than the counts say).
            level, source = inc.level, "recorded"
        elif best is not None:
            # No level recorded, or one below what the numbers meet: the criteria win.
            level = best
            source = "derived" if inc.level is None else "criteria_above_record"
        else:
            level, source = None, "none"
        criteria = tuple(c for lv, c in matched if lv is level)
        yield IncidentAssessment(
            id=inc.id, incident_id=inc.id, region_code=inc.region_code,
            occurred_on=inc.occurred_on, level=level, source=source, criteria=criteria,
            recorded_level=inc.level, criteria_level=best, ill=inc.ill, deaths=inc.deaths,
        )


def sum_metrics(parts: Sequence[Fact]) -> Iterator[SamplingMetric]:
    """Reduce: the metrics partitions (counties) derived for one region, summed.

    A partition sees only its own sampling results, so a city or province
    metric derived in each of its counties' partitions is a part; numerators
    and denominators add up and the pass rate is recomputed (rates never
    average).
    """
    groups: dict[str, list[SamplingMetric]] = {}
    for part in parts:
        if isinstance(part, SamplingMetric):
            groups.setdefault(part.id, []).append(part)
    for metric_id in sorted(groups):
        group = groups[metric_id]
        first = group[0]
        passed = sum(m.passed for m in group)
        failed = sum(m.failed for m in group)
        yield attrs.evolve(
            first,
            batches=sum(m.batches for m in group),
            passed=passed,
            failed=failed,
            residue_batches=sum(m.residue_batches for m in group),
            pass_rate=None if passed + failed == 0 else 100.0 * passed / (passed + failed),
            failed_ids=tuple(sorted({i for m in group for i in m.failed_ids})),
        )


@derivation(
    id="INFER-SAMPLING-METRICS",
    version="1.0",
    grain="region",
    reduce=sum_metrics,
    title=("抽检批次与合格率", "Sampling batches and pass rates"),
    reads=[SamplingResult, Region],
    produces=[SamplingMetric],
    legal_basis=[article(FOOD_SAFETY_LAW, "第八十七条", en="Art. 87")],
    parameters=[
        Param(name="period_months", type="int", minimum=1, maximum=60, unit="月",
              description=Text("统计期（截至评价日的月数）",
                               "sampling period: months ending on the evaluation date")),
    ],
    description=(
        "按地区、抽检类型统计评价期内的批次、合格与不合格批次和合格率（合格批次÷有结论批次×100%）。"
        "风险监测结果没有合格/不合格结论，不计入合格率。",
        "Per region and sampling kind: batches, conforming and non-conforming batches and the "
        "pass rate (conforming ÷ batches with a verdict × 100%). Risk-monitoring results carry "
        "no pass/fail verdict and never count towards a pass rate.",
    ),
)
def sampling_metrics(ctx: RuleContext) -> Iterator[SamplingMetric]:
    """One metric per region fact and sampling kind over the sampling period."""
    period = Period.ending(ctx.as_of, months=ctx.param("period_months"))
    for region in ctx.facts.of_kind(Region):
        results = ctx.facts.in_region(SamplingResult, region.code, start=period.start,
                                      end=period.end)
        for kind in SamplingKind:
            mine = [r for r in results if r.sampling_kind is kind]
            passed = sum(1 for r in mine if r.verdict is Verdict.PASS)
            failed_ids = tuple(sorted(r.id for r in mine if r.verdict is Verdict.FAIL))
            graded = passed + len(failed_ids)
            yield SamplingMetric(
                id=f"{region.code}:{kind.value}:{period.start}:{period.end}",
                region_code=region.code,
                sampling_kind=kind,
                period_start=period.start,
                period_end=period.end,
                batches=len(mine),
                passed=passed,
                failed=len(failed_ids),
                residue_batches=sum(1 for r in mine if r.is_residue_test),
                pass_rate=None if graded == 0 else 100.0 * passed / graded,
                failed_ids=failed_ids,
            )
