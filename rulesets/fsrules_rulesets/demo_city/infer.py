"""Inference rules: each demonstration-city indicator measured once, as a derived fact.

Each rule yields one :class:`~.facts.DemoIndicator` per region fact and
indicator: a measurement with its numerator and denominator, never a
judgement (the thresholds are the check rules' parameters, see
``checks.py``). Where the facts can give a figure it is computed from them;
an indicator observation of the same code stands in only when those facts
are absent altogether (documented per indicator in ``indicators.toml``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from fsrules import Confidence, Param, Period, RuleContext, RuleKind, Text, rule
from fsrules.model import (
    BusinessType,
    ChecklistStatus,
    Complaint,
    Disposal,
    DisposalStatus,
    EnforcementCase,
    IndicatorObservation,
    Inspection,
    InspectionKind,
    Operator,
    Region,
    SamplingKind,
    SamplingResult,
    StaffMember,
    SupplyChainLink,
    TrainingRecord,
    Verdict,
)

from .._basis import FOOD_SAFETY_LAW, WEIXIAN_PLAN, article
from ..metrics.facts import SamplingMetric
from ._measure import active_operators, ids, indicator, latest_observation, observed, regions
from .basis import PENALTY_PROCEDURE, SAMPLING_MEASURES, plan_basis
from .facts import DemoIndicator
from .vocabulary import vocabulary

V = Confidence.VERIFIED
C = Confidence.CORROBORATED
M = Confidence.MEMORY
Q = Confidence.NOT_FOUND

_PERIOD = Param(name="period_months", type="int", minimum=1, maximum=60, unit="月",
                confidence=V,
                description=Text("统计期（截至评价日的月数；方案按年度考核：“年均”“每年”）",
                                 "period: months ending on the evaluation date (the plan "
                                 "counts by year)"))


def _period(ctx: RuleContext) -> Period:
    return Period.ending(ctx.as_of, months=ctx.param("period_months"))


def _fallback(ctx: RuleContext, region: Region, codes: Sequence[str], period: Period
              ) -> Iterator[DemoIndicator]:
    """The office's observations of ``codes``, for when the facts are absent."""
    for code in codes:
        found = observed(ctx, region, code, period)
        if found is not None:
            yield found


def _sampling_period(ctx: RuleContext, region: Region
                     ) -> tuple[Period, dict[SamplingKind, SamplingMetric]] | None:
    """The sampling metrics of the region (its own code) and their common period."""
    metrics = {m.sampling_kind: m for m in ctx.facts.in_region(SamplingMetric, region.code)
               if m.region_code == region.code}
    if not metrics:
        return None
    any_metric = next(iter(metrics.values()))
    return Period(start=any_metric.period_start, end=any_metric.period_end), metrics


def _rate(numerator: int, denominator: int, scale: int = 100) -> float | None:
    return None if denominator == 0 else numerator * scale / denominator


# --------------------------------------------------------------------------- sampling volume


@rule(
    id="INFER-DEMO-SAMPLING",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("抽检量（批次/千人）和评价性抽检合格率", "Sampling per 1,000 people and evaluative pass rate"),
    severity="info",
    reads=[Region, SamplingMetric, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(15), article(FOOD_SAFETY_LAW, "第八十七条", en="Art. 87")],
    message=("{region} 抽检量 {value}", "{region} sampling {value}"),
    parameters=[
        Param(name="population_basis", type="str", choices=("resident", "registered"),
              confidence=Q,
              description=Text("“批次/千人”所用人口：resident 常住人口或 registered 户籍人口",
                               "population of the per-1000 figures: resident or registered")),
        Param(name="counted_kinds", type="list", confidence=M,
              description=Text("计入抽检量的抽检类型（supervisory、evaluative、risk_monitoring）",
                               "sampling kinds counted towards the per-1000 figures")),
    ],
    description=(
        "用 INFER-SAMPLING-METRICS 的批次数（统计期同其 period_months）：抽检量=计入类型的批次÷人口×1000，"
        "农药兽药残留抽检量只计农兽药残留检测批次；评价性抽检合格率=合格÷有结论批次×100%。地区统计期内没有任何"
        "抽检结果时，取食安办记录的同代码指标观测。人口未记录时不计算（无数据）。",
        "From INFER-SAMPLING-METRICS (same period): batches of the counted kinds ÷ population "
        "× 1000; residue batches only for the residue figure; evaluative pass rate = "
        "conforming ÷ graded × 100%. With no sampling result at all in the region and period, "
        "the office's observation of the same code stands in. No population: no figure.",
    ),
)
def sampling_volume(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Items 15 and 26: per-1000 sampling and residue sampling, evaluative pass rate."""
    basis = ctx.param("population_basis")
    kinds = {SamplingKind.parse(k) for k in ctx.param("counted_kinds")}
    counted = ",".join(sorted(k.value for k in kinds))
    for region in regions(ctx):
        found = _sampling_period(ctx, region)
        if found is None:
            continue
        period, metrics = found
        if sum(m.batches for m in metrics.values()) == 0:
            yield from _fallback(ctx, region, ("sampling_per_1000", "residue_sampling_per_1000",
                                               "evaluative_pass_rate"), period)
            continue
        population = (region.resident_population if basis == "resident"
                      else region.registered_population)
        for code, attr in (("sampling_per_1000", "batches"),
                           ("residue_sampling_per_1000", "residue_batches")):
            count = sum(int(getattr(m, attr)) for k, m in metrics.items() if k in kinds)
            yield indicator(
                region, code, period,
                value=None if not population else count * 1000 / population,
                numerator=float(count), denominator=float(population) if population else None,
                population=population or None,
                basis=f"population={basis};kinds={counted}",
            )
        ev = metrics.get(SamplingKind.EVALUATIVE)
        graded = 0 if ev is None else ev.passed + ev.failed
        if ev is None or graded == 0:
            yield from _fallback(ctx, region, ("evaluative_pass_rate",), period)
            continue
        yield indicator(region, "evaluative_pass_rate", period,
                        value=_rate(ev.passed, graded), numerator=float(ev.passed),
                        denominator=float(graded), shortfall_ids=ev.failed_ids,
                        basis="evaluative")


# --------------------------------------------------------------------------- sampling coverage


def _published_by(result: SamplingResult, day: dt.date) -> bool:
    return result.published_on is not None and result.published_on <= day


@rule(
    id="INFER-DEMO-SAMPLING-COVERAGE",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("监督抽检覆盖和结果公开", "Supervisory sampling coverage and publication"),
    severity="info",
    reads=[Region, SamplingMetric, SamplingResult, Operator, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(8), article(FOOD_SAFETY_LAW, "第八十七条", en="Art. 87")],
    message=("{region} 抽检覆盖 {value}", "{region} sampling coverage {value}"),
    parameters=[
        Param(name="links", type="list", confidence=M,
              description=Text("必须覆盖的抽样环节（production、distribution、catering、agriculture）",
                               "supply-chain links every one of which must be sampled")),
        Param(name="formats", type="list", confidence=Q,
              description=Text("计为“业态”的经营主体业态（在本地有在营主体的均须覆盖）",
                               "business types counted as formats (each present must be "
                               "sampled)")),
        Param(name="producer_types", type="list", confidence=V,
              description=Text("计为“食品生产企业”的业态", "business types that are food "
                                                         "producers")),
        Param(name="publish_grace_days", type="int", minimum=0, maximum=365, unit="天",
              confidence=Q,
              description=Text("收到检验结果后多少天内尚未公布不计为未公开",
                               "days after the result arrives before an unpublished result "
                               "counts as unpublished")),
    ],
    description=(
        "只计监督抽检（各级任务均计入），统计期同 INFER-SAMPLING-METRICS。环节和业态覆盖：每个必需环节、"
        "本地区期末在营主体中出现的每个业态至少有一批次监督抽检；生产企业覆盖：期末在营的食品生产企业（“在产”按在营"
        "近似）每家至少一批次；结果公开：有结论的批次中已公开的比例，收到结果未满宽限天数且未公开的不计入。没有任何"
        "监督抽检结果时取同代码指标观测。",
        "Supervisory sampling only, any level of government, period as INFER-SAMPLING-METRICS. "
        "Links and formats: each required link and each format present among operators open "
        "at the period's end has a supervisory batch; producers: each food producer open at "
        "the end (a proxy for 'producing') has one; publication: the share of graded batches "
        "published, leaving out unpublished ones still within the grace days. With no "
        "supervisory result at all the office's observations stand in.",
    ),
)
def sampling_coverage(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Item 8: coverage of links and formats, of producers; results published."""
    links = [SupplyChainLink.parse(v) for v in ctx.param("links")]
    formats = {BusinessType.parse(v) for v in ctx.param("formats")}
    producer_types = {BusinessType.parse(v) for v in ctx.param("producer_types")}
    grace = dt.timedelta(days=ctx.param("publish_grace_days"))
    codes = ("sampling_coverage", "producer_sampling_coverage", "results_published")
    for region in regions(ctx):
        found = _sampling_period(ctx, region)
        if found is None:
            continue
        period = found[0]
        results = [r for r in ctx.facts.in_region(SamplingResult, region.code,
                                                  start=period.start, end=period.end)
                   if r.sampling_kind is SamplingKind.SUPERVISORY]
        if not results:
            yield from _fallback(ctx, region, codes, period)
            continue
        active = active_operators(ctx, region, period.end)
        sampled_ops = {r.operator_id for r in results if r.operator_id}
        sampled_types = {op.business_type for op in
                         (ctx.facts.operator(i) for i in sampled_ops) if op is not None}
        sampled_links = {r.link for r in results if r.link is not None}
        units = [(f"link:{link.value}", link in sampled_links) for link in links]
        present = sorted({o.business_type for o in active if o.business_type in formats},
                         key=lambda b: b.value)
        units += [(f"format:{b.value}", b in sampled_types) for b in present]
        yield indicator(region, "sampling_coverage", period,
                        value=_rate(sum(c for _, c in units), len(units)),
                        numerator=float(sum(c for _, c in units)), denominator=float(len(units)),
                        items=tuple(u for u, _ in units),
                        item_values=tuple(1.0 if c else 0.0 for _, c in units),
                        shortfall_ids=tuple(u for u, c in units if not c),
                        basis="supervisory")

        producers = [o for o in active if o.business_type in producer_types]
        covered = [o.id for o in producers if o.id in sampled_ops]
        yield indicator(region, "producer_sampling_coverage", period,
                        value=_rate(len(covered), len(producers)),
                        numerator=float(len(covered)), denominator=float(len(producers)),
                        items=ids(o.id for o in producers),
                        shortfall_ids=ids(o.id for o in producers if o.id not in sampled_ops),
                        basis="supervisory")

        graded = [r for r in results if r.verdict in (Verdict.PASS, Verdict.FAIL)]
        due = [r for r in graded if _published_by(r, period.end)
               or (r.result_received_on or r.sampled_on) + grace < period.end]
        published = [r for r in due if _published_by(r, period.end)]
        yield indicator(region, "results_published", period,
                        value=_rate(len(published), len(due)), numerator=float(len(published)),
                        denominator=float(len(due)), excluded=len(graded) - len(due),
                        shortfall_ids=ids(r.id for r in due if not _published_by(r, period.end)),
                        basis="supervisory")


# --------------------------------------------------------------------------- 核查处置


def _best_disposal(disposals: Sequence[Disposal]) -> Disposal | None:
    """The most advanced disposal of a result: completed first, then the latest."""
    if not disposals:
        return None
    order = {DisposalStatus.COMPLETED: 2, DisposalStatus.IN_PROGRESS: 1,
             DisposalStatus.NOT_STARTED: 0}
    return max(disposals, key=lambda d: (order[d.status], d.completed_on or dt.date.min, d.id))


@rule(
    id="INFER-DEMO-DISPOSAL",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("不合格食品核查处置完成率和及时率",
           "Disposal of non-conforming results: completion and timeliness"),
    severity="info",
    reads=[Region, SamplingMetric, SamplingResult, Disposal, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(8), SAMPLING_MEASURES],
    message=("{region} 核查处置 {value}", "{region} disposal {value}"),
    parameters=[
        Param(name="max_days", type="int", minimum=1, maximum=365, unit="天", confidence=M,
              description=Text("核查处置时限：自收到不合格检验结果之日起的天数",
                               "disposal time limit: days from receiving the result")),
    ],
    description=(
        "统计期内抽样的不合格批次（统计期同 INFER-SAMPLING-METRICS），自收到结果之日（未记录时取抽样日）"
        "起算时限。已完成的和超过时限仍未完成的计入；未到时限且未完成的不计入（excluded）。完成率=已完成÷计入；"
        "及时率=在时限内完成÷计入（已完成但未记录完成日期的不计入及时率）。没有任何抽检结果时取同代码指标观测；"
        "有抽检但没有不合格批次时无需处置（不适用）。",
        "Non-conforming batches sampled in the period (as INFER-SAMPLING-METRICS); the limit "
        "runs from the day the result arrived (else the sampling day). Completed ones and "
        "those past the limit count; those still within it and open are left out. "
        "Completion = completed ÷ counted; timeliness = completed within the limit ÷ counted "
        "(completed without a date left out). No sampling at all: the office's observation; "
        "no non-conforming batch: nothing to dispose of.",
    ),
)
def disposal(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Item 8: 核查处置 completion and timeliness."""
    limit = dt.timedelta(days=ctx.param("max_days"))
    by_sample: dict[str, list[Disposal]] = defaultdict(list)
    for d in ctx.facts.of_kind(Disposal):
        by_sample[d.sampling_id].append(d)
    for region in regions(ctx):
        found = _sampling_period(ctx, region)
        if found is None:
            continue
        period = found[0]
        results = ctx.facts.in_region(SamplingResult, region.code, start=period.start,
                                      end=period.end)
        if not results:
            yield from _fallback(ctx, region, ("disposal_completion", "disposal_timeliness"),
                                 period)
            continue
        due: list[str] = []
        completed: set[str] = set()
        on_time: set[str] = set()
        timed: list[str] = []
        days: list[float] = []
        failed = sorted((r for r in results if r.verdict is Verdict.FAIL), key=lambda r: r.id)
        for r in failed:
            received = r.result_received_on or r.sampled_on
            best = _best_disposal(by_sample.get(r.id, ()))
            done = (best is not None and best.status is DisposalStatus.COMPLETED
                    and (best.completed_on is None or best.completed_on <= period.end))
            if not done and period.end <= received + limit:
                continue  # open, but still within the time limit
            due.append(r.id)
            if not done:
                timed.append(r.id)
                days.append(float((period.end - received).days))
                continue
            assert best is not None
            completed.add(r.id)
            if best.completed_on is None:
                continue  # completed, but when is not recorded: timeliness unknown
            timed.append(r.id)
            days.append(float((best.completed_on - received).days))
            if best.completed_on <= received + limit:
                on_time.add(r.id)
        yield indicator(region, "disposal_completion", period,
                        value=_rate(len(completed), len(due)), numerator=float(len(completed)),
                        denominator=float(len(due)), excluded=len(failed) - len(due),
                        shortfall_ids=tuple(i for i in due if i not in completed))
        yield indicator(region, "disposal_timeliness", period,
                        value=_rate(len(on_time), len(timed)), numerator=float(len(on_time)),
                        denominator=float(len(timed)), excluded=len(failed) - len(timed),
                        items=tuple(timed), item_values=tuple(days),
                        shortfall_ids=tuple(i for i in timed if i not in on_time),
                        basis=f"max_days={limit.days}")


# --------------------------------------------------------------------------- complaints


@rule(
    id="INFER-DEMO-COMPLAINTS",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("食品类投诉按时办结率", "Food complaints closed on time"),
    severity="info",
    reads=[Region, Complaint, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(11), article(FOOD_SAFETY_LAW, "第一百一十五条", en="Art. 115")],
    message=("{region} 投诉按时办结率 {value}", "{region} complaints on time {value}"),
    parameters=[_PERIOD],
    description=(
        "统计期内登记的食品类投诉：已办结的和超过办理时限仍未办结的计入，办结日期不晚于时限的为按时；"
        "未到时限且未办结的、没有办理时限的不计入。地区没有任何投诉记录时取同代码指标观测。",
        "Food complaints received in the period: closed ones and those past their deadline "
        "count, closed on or before the deadline is on time; open ones within the deadline "
        "and those without a deadline are left out. No complaint record at all: the office's "
        "observation.",
    ),
)
def complaints(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Item 11: food complaints closed on time."""
    period = _period(ctx)
    for region in regions(ctx):
        if not ctx.facts.in_region(Complaint, region.code):
            yield from _fallback(ctx, region, ("complaint_on_time_rate",), period)
            continue
        judged: list[str] = []
        late: list[str] = []
        excluded = 0
        for c in ctx.facts.in_region(Complaint, region.code, start=period.start,
                                     end=period.end):
            if not c.is_food:
                continue
            closed = c.closed_on is not None and c.closed_on <= period.end
            if c.due_on is None or (not closed and period.end <= c.due_on):
                excluded += 1
                continue
            judged.append(c.id)
            if not (closed and c.closed_on is not None and c.closed_on <= c.due_on):
                late.append(c.id)
        yield indicator(region, "complaint_on_time_rate", period,
                        value=_rate(len(judged) - len(late), len(judged)),
                        numerator=float(len(judged) - len(late)),
                        denominator=float(len(judged)), excluded=excluded,
                        shortfall_ids=ids(late))


# --------------------------------------------------------------------------- enforcement


def _in(day: dt.date | None, period: Period) -> bool:
    return day is not None and day in period


@rule(
    id="INFER-DEMO-ENFORCEMENT",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("食品安全案件立案率、办结率和程序败诉", "Case filing, closing and procedural losses"),
    severity="info",
    reads=[Region, EnforcementCase, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(9), PENALTY_PROCEDURE],
    message=("{region} 案件 {value}", "{region} cases {value}"),
    parameters=[
        _PERIOD,
        Param(name="filing_days", type="int", minimum=1, maximum=365, unit="天", confidence=M,
              description=Text("收到线索后决定是否立案的期限（天）",
                               "days from receiving a lead to the filing decision")),
        Param(name="closing_days", type="int", minimum=1, maximum=730, unit="天", confidence=M,
              description=Text("立案后办结的期限（天）", "days from filing to closing a case")),
    ],
    description=(
        "立案率：统计期内收到的线索（无线索日期的按立案日期计）中已立案的比例，未到立案期限且未立案的不计入；"
        "办结率：统计期内立案的案件中已结案的比例，未到办案期限且未结案的不计入；程序败诉：统计期内立案或结案的案件中"
        "因程序违法在复议或诉讼中败诉的件数。不是每条线索都应立案，记录中没有“不予立案”的区分。地区没有任何案件记录时"
        "取同代码指标观测。",
        "Filing: leads received in the period (undated leads by their filing day) that became "
        "cases, leaving out those still within the filing time; closing: cases filed in the "
        "period that are closed, leaving out those still within the handling time; "
        "procedural losses: cases filed or closed in the period lost for procedural "
        "illegality. The records do not say when a lead rightly needed no case. No case "
        "record at all: the office's observations.",
    ),
)
def enforcement(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Item 9: case filing and closing rates, cases lost on procedure."""
    period = _period(ctx)
    filing = dt.timedelta(days=ctx.param("filing_days"))
    closing = dt.timedelta(days=ctx.param("closing_days"))
    codes = ("case_filing_rate", "case_closing_rate", "procedural_losses")
    for region in regions(ctx):
        cases = sorted(ctx.facts.in_region(EnforcementCase, region.code), key=lambda c: c.id)
        if not cases:
            yield from _fallback(ctx, region, codes, period)
            continue
        leads = [c for c in cases if _in(c.clue_received_on, period)
                 or (c.clue_received_on is None and _in(c.opened_on, period))]
        filed = [c.id for c in leads if c.opened_on is not None and c.opened_on <= period.end]
        due = [c.id for c in leads if c.id in filed
               or (c.clue_received_on is not None and period.end > c.clue_received_on + filing)]
        yield indicator(region, "case_filing_rate", period,
                        value=_rate(len(filed), len(due)), numerator=float(len(filed)),
                        denominator=float(len(due)), excluded=len(leads) - len(due),
                        shortfall_ids=ids(i for i in due if i not in filed))

        opened = [c for c in cases if _in(c.opened_on, period)]
        closed = [c.id for c in opened if c.closed_on is not None and c.closed_on <= period.end]
        due_close = [c.id for c in opened if c.id in closed
                     or (c.opened_on is not None and period.end > c.opened_on + closing)]
        yield indicator(region, "case_closing_rate", period,
                        value=_rate(len(closed), len(due_close)), numerator=float(len(closed)),
                        denominator=float(len(due_close)),
                        excluded=len(opened) - len(due_close),
                        shortfall_ids=ids(i for i in due_close if i not in closed))

        handled = [c for c in cases if _in(c.opened_on, period) or _in(c.closed_on, period)]
        lost = ids(c.id for c in handled if c.lost_on_procedure)
        yield indicator(region, "procedural_losses", period, value=float(len(lost)),
                        numerator=float(len(lost)), denominator=float(len(handled)),
                        scale=1, shortfall_ids=lost, basis="count")


# --------------------------------------------------------------------------- schools


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _season(months: Sequence[int], day: dt.date) -> Period:
    """The latest window of ``months`` (e.g. February–April) that ended on or before ``day``."""
    first, last = min(months), max(months)
    year = day.year if _last_day(day.year, last) <= day else day.year - 1
    return Period(start=dt.date(year, first, 1), end=_last_day(year, last))


def _school_canteen(op: Operator, types: set[str]) -> bool:
    return op.business_type is BusinessType.UNIT_CANTEEN and (
        (op.institution_type is not None and op.institution_type.value in types)
        or op.school_id is not None)


def _school_supplier(op: Operator) -> bool:
    return (op.business_type in (BusinessType.MEAL_DELIVERY, BusinessType.CENTRAL_KITCHEN)
            and op.school_id is not None)


@rule(
    id="INFER-DEMO-SCHOOLS",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("学校开学检查和“互联网+明厨亮灶”覆盖率", "Term-start inspections and bright kitchens at schools"),
    severity="info",
    reads=[Region, Operator, Inspection, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(7), *plan_basis(33)[:1]],
    message=("{region} 学校 {value}", "{region} schools {value}"),
    parameters=[
        _PERIOD,
        Param(name="institution_types", type="list", confidence=C,
              description=Text("计为学校的单位类型（学校食堂）",
                               "institution types of canteens that count as schools")),
        Param(name="spring_months", type="list", confidence=C,
              description=Text("春季开学检查的月份", "months of the spring term-start checks")),
        Param(name="autumn_months", type="list", confidence=C,
              description=Text("秋季开学检查的月份", "months of the autumn term-start checks")),
    ],
    description=(
        "学校食堂：服务学校或幼儿园的单位食堂（或记录了所属学校的单位食堂）；校外供餐单位：记录了所属学校的集体用餐"
        "配送单位和中央厨房。明厨亮灶覆盖率=期末在营的学校食堂和校外供餐单位中“互联网+明厨亮灶”记为是的比例"
        "（未记录的按未覆盖计）。开学检查覆盖率：学校食堂和校园内其他经营者（记录了所属学校、不是供餐单位）在最近一个"
        "已结束的春季和秋季检查窗口内各有一次开学季检查的比例。没有任何学校食堂或供餐单位记录时取同代码指标观测。",
        "School canteens: unit canteens serving a school or kindergarten (or with a school "
        "recorded); school meal suppliers: meal-delivery units and central kitchens with a "
        "school recorded. Bright-kitchen coverage: share of those open at the period's end "
        "recorded as having it (unrecorded counts as not). Term-start coverage: school "
        "canteens and other campus outlets (school recorded, not a supplier) with a "
        "term-start inspection in the latest spring and autumn windows that have ended. "
        "No school outlet recorded at all: the office's observations.",
    ),
)
def schools(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Items 7 and 33: term-start inspection coverage; 互联网+明厨亮灶 coverage."""
    period = _period(ctx)
    types = set(ctx.param("institution_types"))
    seasons = [("spring", _season(ctx.param("spring_months"), period.end)),
               ("autumn", _season(ctx.param("autumn_months"), period.end))]
    for region in regions(ctx):
        operators = sorted(ctx.facts.in_region(Operator, region.code), key=lambda o: o.id)
        kitchens = [o for o in operators if o.active_on(period.end)
                    and (_school_canteen(o, types) or _school_supplier(o))]
        if kitchens:
            bright = [o.id for o in kitchens if o.has_bright_kitchen is True]
            yield indicator(region, "bright_kitchen_coverage", period,
                            value=_rate(len(bright), len(kitchens)),
                            numerator=float(len(bright)), denominator=float(len(kitchens)),
                            items=ids(o.id for o in kitchens),
                            shortfall_ids=ids(o.id for o in kitchens if o.id not in bright))
        else:
            yield from _fallback(ctx, region, ("bright_kitchen_coverage",), period)

        campus = [o for o in operators
                  if _school_canteen(o, types) or (o.school_id is not None
                                                   and not _school_supplier(o))]
        units: list[tuple[str, bool]] = []
        for label, window in seasons:
            for op in campus:
                if not op.active_on(window.end):
                    continue
                checked = any(i.inspection_kind is InspectionKind.TERM_START
                              for i in ctx.facts.for_subject(Inspection, op.id,
                                                             start=window.start, end=window.end))
                units.append((f"{op.id}:{window.start.year}-{label}", checked))
        if not campus:
            yield from _fallback(ctx, region, ("term_start_inspection_coverage",), period)
            continue
        done = sum(1 for _, c in units if c)
        yield indicator(region, "term_start_inspection_coverage", period,
                        value=_rate(done, len(units)), numerator=float(done),
                        denominator=float(len(units)), items=tuple(u for u, _ in units),
                        shortfall_ids=tuple(u for u, c in units if not c),
                        basis=";".join(f"{label}={w.start}/{w.end}" for label, w in seasons))


# --------------------------------------------------------------------------- managers' training


@rule(
    id="INFER-DEMO-MANAGER-TRAINING",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("企业负责人和食品安全管理人员年度培训学时",
           "Yearly training hours of business heads and managers"),
    severity="info",
    reads=[Region, StaffMember, TrainingRecord, Operator, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[*plan_basis(19), article(FOOD_SAFETY_LAW, "第四十四条", en="Art. 44")],
    message=("{region} 培训学时 {value}", "{region} training hours {value}"),
    parameters=[
        _PERIOD,
        Param(name="roles", type="list", confidence=V,
              description=Text("计入的岗位：单位负责人和食品质量安全管理岗位",
                               "roles counted: business heads and food-safety managers")),
    ],
    description=(
        "统计期全期在岗的（期初已入职、期末未离职，所在主体期末在营）负责人和食品安全管理人员，逐人合计统计期内的"
        "培训学时；数值为最少者的学时。没有这些人员记录时取同代码指标观测（最少者学时）。",
        "Heads and food-safety managers in post for the whole period (joined by its start, "
        "not left before its end, their operator open at the end): each person's training "
        "hours in the period; the value is the lowest. No such staff recorded: the office's "
        "observation (the lowest hours).",
    ),
)
def manager_training(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """Item 19: training hours of heads and managers, person by person."""
    period = _period(ctx)
    roles = set(ctx.param("roles"))
    hours: dict[str, float] = defaultdict(float)
    for t in ctx.facts.between(TrainingRecord, period.start, period.end):
        hours[t.person_id] += t.hours
    for region in regions(ctx):
        people = []
        for s in ctx.facts.in_region(StaffMember, region.code):
            if (s.role.value not in roles or (s.joined_on is not None
                                              and s.joined_on > period.start)
                    or (s.left_on is not None and s.left_on < period.end)):
                continue
            op = ctx.facts.operator(s.operator_id)
            if op is not None and op.active_on(period.end):
                people.append(s.id)
        people.sort()
        if not people:
            yield from _fallback(ctx, region, ("manager_training_hours",), period)
            continue
        values = tuple(hours.get(p, 0.0) for p in people)
        yield indicator(region, "manager_training_hours", period, value=min(values),
                        items=tuple(people), item_values=values,
                        basis="roles=" + ",".join(sorted(roles)))


# --------------------------------------------------------------------------- recorded by the office


@rule(
    id="INFER-DEMO-RECORDED",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("食安办记录的指标和清单项", "Indicators and checklist items the office records"),
    severity="info",
    reads=[Region, IndicatorObservation],
    produces=[DemoIndicator],
    legal_basis=[article(WEIXIAN_PLAN, "五", en="§5"), *plan_basis(2)[1:]],
    message=("{region} {indicator} {value}", "{region} {indicator} {value}"),
    parameters=[_PERIOD],
    description=(
        "只能由食安办记录的指标（热线接通率、满意度、知晓率、监管人员专业化比例等，见 indicators.toml 中 "
        "source = \"observed\"）和定性清单项：取地区自身统计期内截止日期最晚的一条观测。实战应急演练："
        "每次演练一条观测（截止日期为演练日期，完成情况为已完成），取评价日之前最近一次，数值为距评价日的天数。",
        "Indicators only the office can record (hotline answer rate, satisfaction, awareness, "
        "professional share...: source = \"observed\" in indicators.toml) and the checklist "
        "items: the region's own observation whose period ends latest in the period. Drills: "
        "one observation per drill (period_end the drill's day, status done); the latest "
        "before the evaluation date, its value the days since.",
    ),
)
def recorded(ctx: RuleContext) -> Iterator[DemoIndicator]:
    """The observed indicators and the checklist items."""
    period = _period(ctx)
    vocab = vocabulary()
    for region in regions(ctx):
        for code, spec in vocab.indicators.items():
            if spec.source != "observed":
                continue
            if code == "emergency_drill":
                found = _drill(ctx, region, period)
            else:
                found = observed(ctx, region, code, period)
            if found is not None:
                yield found
        for code in vocab.checklist:
            obs = latest_observation(ctx, region, code, start=period.start, end=period.end)
            if obs is None or obs.status is None:
                continue
            yield indicator(region, code, period, source="checklist", status=obs.status,
                            evidence_ref=obs.evidence_ref, observation_id=obs.id,
                            basis=f"{obs.period_start.isoformat()}/{obs.period_end.isoformat()}")


def _drill(ctx: RuleContext, region: Region, period: Period) -> DemoIndicator | None:
    """The latest drill held (status done) on or before the evaluation date."""
    drills = [o for o in ctx.facts.in_region(IndicatorObservation, region.code, end=period.end)
              if o.region_code == region.code and o.indicator == "emergency_drill"]
    if not drills:
        return None
    held = [o for o in drills if o.status is ChecklistStatus.DONE]
    if not held:
        latest = max(drills, key=lambda o: (o.period_end, o.id))
        return indicator(region, "emergency_drill", period, source="observed",
                         status=latest.status, observation_id=latest.id,
                         evidence_ref=latest.evidence_ref)
    last = max(held, key=lambda o: (o.period_end, o.id))
    return indicator(region, "emergency_drill", period,
                     value=float((period.end - last.period_end).days), source="observed",
                     status=last.status, observation_id=last.id, evidence_ref=last.evidence_ref,
                     basis=last.period_end.isoformat())


#: The inference rules of the ruleset, in declaration order.
INFERENCE_RULES = (sampling_volume, sampling_coverage, disposal, complaints, enforcement,
                   schools, manager_training, recorded)
