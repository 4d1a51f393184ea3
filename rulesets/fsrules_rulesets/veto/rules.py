"""The five veto items (一票否决) of the national demonstration-city evaluation.

Sources: shared/seeds/004 §五(六) 否决项 (V) and seed 000 (V); the 2021
evaluation rules themselves are corroborated only (C). Each rule evaluates
every region fact in the bundle over its window ending on ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from fsrules import (
    Confidence,
    FactRef,
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
from fsrules.model import (
    ChecklistStatus,
    Incident,
    IncidentCategory,
    IncidentLevel,
    IndicatorObservation,
    Region,
    SamplingKind,
)

from .._basis import DEMO_CITY_RULES, FOOD_SAFETY_LAW, INCIDENT_PLAN, WEIXIAN_PLAN, article
from .._numbers import ceil_to, exact, floor_to, rate_below
from ..metrics.facts import IncidentAssessment, SamplingMetric

V = Confidence.VERIFIED

FSA_OFFICE = ("县食药安办",)
FSA_MEMBERS = ("食药安委各成员单位",)

_WINDOW = Param(name="window_years", type="int", minimum=1, maximum=10, unit="年",
                description=Text("评价窗口（截至评价日的年数）",
                                 "evaluation window: years ending on the evaluation date"),
                confidence=V)


def _veto_basis(n: int) -> list[LegalBasis]:
    return [article(DEMO_CITY_RULES, "否决项", f"第{n}项", en=f"veto item {n}"),
            article(WEIXIAN_PLAN, "五(六)", f"第{n}项", en=f"§5(6) veto item {n}")]


#: How a recorded checklist status reads in a message.
_STATUS = Code.table({"done": ("已完成", "done"), "partly": ("部分完成", "partly done"),
                      "not_done": ("未完成", "not done")})


@evidence
class LeadersDutiesEvidence:
    """VETO-001: the office's recorded judgement."""

    indicator: str
    status: Code
    evidence_ref: str
    observed_period_end: dt.date


@evidence
class NoLeadersRecordEvidence:
    """VETO-001 (info): no recorded judgement in the window (status no_data)."""

    indicator: str
    status: str = "no_data"


@evidence
class MajorIncidentEvidence:
    """VETO-002: the incidents of the veto level or worse in the window."""

    count: int
    min_level: IncidentLevel
    incident_ids: tuple[str, ...]
    occurred_on: tuple[dt.date, ...]
    levels: tuple[IncidentLevel | None, ...]
    level_sources: tuple[str, ...]
    criteria: tuple[tuple[str, ...], ...]


@evidence
class LevelBelowCriteriaEvidence:
    """VETO-002 (info): an incident recorded below the level its numbers meet."""

    status: str = "level_below_criteria"
    incident: str
    occurred_on: dt.date
    recorded_level: IncidentLevel
    criteria_level: IncidentLevel
    ill: int
    deaths: int
    criteria: tuple[str, ...]


@evidence
class SocialImpactEvidence:
    """VETO-003: the flagged events in the window."""

    count: int
    incident_ids: tuple[str, ...]
    categories: tuple[IncidentCategory, ...]


@evidence
class SatisfactionEvidence:
    """VETO-004: the latest survey score against the minimum (or no survey: status no_data)."""

    indicator: str
    status: str | None = None
    score: float | None = None
    min_score: float | None = None
    gap: float | None = None


@evidence
class PassRateEvidence:
    """VETO-005: the evaluative sampling pass rate against the minimum."""

    pass_rate: float
    min_pass_rate: float
    passed: int
    failed: int
    graded: int
    failed_sampling_ids: tuple[str, ...]


@evidence
class NoSamplingEvidence:
    """VETO-005 (info): no evaluative sampling result in the period."""

    graded: int = 0
    status: str = "no_data"


def _latest(observations: tuple[IndicatorObservation, ...], indicator: str
            ) -> IndicatorObservation | None:
    mine = [o for o in observations if o.indicator == indicator]
    return max(mine, key=lambda o: (o.period_end, o.id)) if mine else None


@rule(
    id="VETO-001",
    version="1.0",
    grain="region",
    identity=("indicator", "status"),
    evidence=(LeadersDutiesEvidence, NoLeadersRecordEvidence),
    title=("党政领导干部未严格落实食品安全责任制", "Party and government leaders' duties not met"),
    severity=Severity.CRITICAL,
    reads=[Region, IndicatorObservation],
    legal_basis=[*_veto_basis(1),
                 article(DEMO_CITY_RULES, "否决项", "《地方党政领导干部食品安全责任制规定》",
                         en="veto item 1: Regulation on Local Leaders' Food Safety Responsibility")],
    parameters=[
        _WINDOW,
        Param(name="indicator", type="str", confidence=V,
              description=Text("记录该项判断的指标代码", "indicator code the office records")),
    ],
    lead=FSA_OFFICE,
    responsible=FSA_MEMBERS,
    message=(
        "{subject}：党政领导干部未严格落实《地方党政领导干部食品安全责任制规定》明确的工作职责"
        "（{status}，佐证：{evidence_ref}），触发一票否决。",
        "{subject}: leaders did not strictly perform the duties of the Regulation on Local Party "
        "and Government Leaders' Food Safety Responsibility ({status}; evidence: {evidence_ref}) "
        "— veto.",
    ),
    messages={"no_data": ("{subject}：评价期内没有党政领导干部履职情况的记录（指标 {indicator}），"
                          "无法判断否决项1。",
                          "{subject}: no record of the leaders' performance of their duties in "
                          "the period (indicator {indicator}); veto item 1 cannot be judged.")},
    description=(
        "依据食安办记录的判断（指标观测，完成情况为“未完成”或“部分完成”）认定。评价窗口内没有记录时给出提示"
        "（info，status=no_data），与否决项4、5相同。",
        "Rests on the office's recorded judgement: an indicator observation whose status is "
        "not done or partly done. Without any record in the window an info finding (status "
        "no_data) says the item cannot be judged, as for veto items 4 and 5.",
    ),
)
def leaders_duties(ctx: RuleContext) -> Iterator[object]:
    """V1: the latest recorded judgement in the window says the duties were not met."""
    period = Period.ending(ctx.as_of, years=ctx.param("window_years"))
    indicator = ctx.param("indicator")
    for region in ctx.facts.of_kind(Region):
        obs = _latest(tuple(o for o in ctx.facts.in_region(
            IndicatorObservation, region.code, start=period.start, end=period.end)
            if o.region_code == region.code), indicator)
        if obs is None or obs.status is None:
            # Nothing recorded: the item cannot be judged, which is not "met" (issue 10).
            yield ctx.finding(
                subject=Subject.of(region), period=period, severity=Severity.INFO,
                facts=[] if obs is None else [obs],
                evidence=NoLeadersRecordEvidence(indicator=indicator),
            )
            continue
        if obs.status is not ChecklistStatus.DONE:
            yield ctx.finding(
                subject=Subject.of(region), period=period, facts=[obs],
                evidence=LeadersDutiesEvidence(
                    indicator=indicator, status=_STATUS(obs.status.value),
                    evidence_ref=obs.evidence_ref or "-", observed_period_end=obs.period_end),
                trigger=("indicator", "status"), fingerprint_period=False,
            )


@rule(
    id="VETO-002",
    version="1.0",
    grain="region",
    identity=("incident_ids",),
    evidence=(MajorIncidentEvidence, LevelBelowCriteriaEvidence),
    title=("三年内发生重大及以上食品安全事故", "Major (level II) or worse incident within 3 years"),
    severity=Severity.CRITICAL,
    reads=[Region, IncidentAssessment],
    legal_basis=[*_veto_basis(2), article(FOOD_SAFETY_LAW, "第一百零二条", en="Art. 102"), INCIDENT_PLAN],
    parameters=[
        _WINDOW,
        Param(name="min_level", type="str", choices=("I", "II", "III", "IV"), confidence=V,
              description=Text("否决的最低事故等级（重大=Ⅱ级）",
                               "lowest incident level that vetoes (重大 = level II)")),
    ],
    lead=FSA_OFFICE,
    responsible=FSA_MEMBERS,
    message=(
        "{subject}：{start} 至 {end} 期间发生 {count} 起{min_level}及以上食品安全事故"
        "（{incident_ids}），触发一票否决。",
        "{subject}: {count} food-safety incident(s) of level {min_level} or worse between "
        "{start} and {end} ({incident_ids}) — veto.",
    ),
    messages={"level_below_criteria": (
        "{subject}：事故 {incident}（{occurred_on}）记录为{recorded_level}"
        "（{recorded_level.value}级），但发病 {ill} 人、死亡 {deaths} 人按《国家食品安全事故"
        "应急预案》分级标准已达{criteria_level}（{criteria_level.value}级，{criteria}）；"
        "否决项2按{criteria_level}判断，请核实并更正事故等级。",
        "{subject}: incident {incident} ({occurred_on}) is recorded as level "
        "{recorded_level.value}, but {ill} ill and {deaths} death(s) meet level "
        "{criteria_level.value} of the national incident plan ({criteria}); veto item 2 counts "
        "it as level {criteria_level.value}. Check and correct the recorded level.")},
    description=(
        "事故等级取记录值；未记录的、或记录等级低于其发病、死亡人数和波及范围按《国家食品安全事故应急预案》"
        "分级标准所达等级的，取推导等级（见 INFER-INCIDENT-LEVEL）。记录等级低于推导等级的每起事故另有一条"
        "提示（info，status=level_below_criteria），列出事故、两个等级和人数，无论是否达到否决等级；"
        "记录等级高于推导等级的以记录为准，不提示。",
        "Uses the recorded level, or the level derived from the numbers ill and dead and the "
        "spread when none is recorded or the recorded one is below it (see "
        "INFER-INCIDENT-LEVEL). Each incident whose recorded level is below what its numbers "
        "meet also gets an info finding (status level_below_criteria) naming the incident, "
        "both levels and the counts, whether or not it reaches the veto; a recorded level "
        "above the criteria stands and is not flagged.",
    ),
)
def major_incident(ctx: RuleContext) -> Iterator[object]:
    """V2: an incident of level II or worse in the region within the window."""
    period = Period.ending(ctx.as_of, years=ctx.param("window_years"))
    floor = IncidentLevel.parse(ctx.param("min_level"))
    for region in ctx.facts.of_kind(Region):
        assessed = sorted((a for a in ctx.facts.in_region(
            IncidentAssessment, region.code, start=period.start, end=period.end)
            if a.region_code == region.code), key=lambda a: (a.occurred_on, a.id))
        yield from (_contradiction(ctx, region, period, a) for a in assessed
                    if a.contradicts_record)
        hits = [a for a in assessed if a.level is not None and a.level.at_least(floor)]
        if not hits:
            continue
        yield ctx.finding(
            subject=Subject.of(region), period=period,
            facts=[*hits, *(FactRef(kind="incident", id=a.incident_id) for a in hits)],
            evidence=MajorIncidentEvidence(
                count=len(hits), min_level=floor,
                incident_ids=tuple(a.incident_id for a in hits),
                occurred_on=tuple(a.occurred_on for a in hits),
                levels=tuple(a.level for a in hits),
                level_sources=tuple(a.source for a in hits),
                criteria=tuple(tuple(a.criteria) for a in hits)),
            trigger=("incident_ids",), fingerprint_period=False,
        )


def _contradiction(ctx: RuleContext, region: Region, period: Period,
                   a: IncidentAssessment) -> object:
    """The info finding naming an incident whose recorded level is below its numbers."""
    assert a.recorded_level is not None and a.level is not None
    return ctx.finding(
        subject=Subject.of(region), period=period, severity=Severity.INFO,
        facts=[a, FactRef(kind="incident", id=a.incident_id)],
        evidence=LevelBelowCriteriaEvidence(
            incident=a.incident_id, occurred_on=a.occurred_on, recorded_level=a.recorded_level,
            criteria_level=a.level, ill=a.ill, deaths=a.deaths, criteria=tuple(a.criteria)),
        trigger=("status", "incident"), fingerprint_period=False,
    )


@rule(
    id="VETO-003",
    version="1.0",
    grain="region",
    identity=("incident_ids",),
    evidence=SocialImpactEvidence,
    title=("三年内发生造成严重不良社会影响的食品安全事件",
           "Incident with serious adverse social impact within 3 years"),
    severity=Severity.CRITICAL,
    reads=[Region, Incident],
    legal_basis=_veto_basis(3),
    parameters=[
        _WINDOW,
        Param(name="categories", type="list", confidence=V,
              description=Text("否决项列举的事件类别", "event categories the veto item names")),
    ],
    lead=FSA_OFFICE,
    responsible=FSA_MEMBERS,
    message=(
        "{subject}：{start} 至 {end} 期间发生 {count} 起引发广泛关注、造成严重不良社会影响的"
        "食品安全事件（{incident_ids}：{categories}），触发一票否决。",
        "{subject}: {count} event(s) that drew wide attention and caused serious adverse social "
        "impact between {start} and {end} ({incident_ids}: {categories}) — veto.",
    ),
    description=(
        "“引发广泛关注、造成严重不良社会影响”由监管部门判断，取事故记录中的标记；类别限农药兽药残留超标、"
        "非法添加、校园食品安全、禁限用药物使用等（参数 categories）。",
        "'Wide attention and serious adverse impact' is the bureau's judgement, read from the "
        "incident's flag; categories are those the item names (parameter categories).",
    ),
)
def social_impact_event(ctx: RuleContext) -> Iterator[object]:
    """V3: a flagged event of a named category in the window."""
    period = Period.ending(ctx.as_of, years=ctx.param("window_years"))
    categories = set(ctx.param("categories"))
    for region in ctx.facts.of_kind(Region):
        hits = sorted(
            (i for i in ctx.facts.in_region(Incident, region.code, start=period.start,
                                            end=period.end)
             if i.serious_social_impact and i.category.value in categories),
            key=lambda i: (i.occurred_on, i.id),
        )
        if not hits:
            continue
        yield ctx.finding(
            subject=Subject.of(region), period=period, facts=hits,
            evidence=SocialImpactEvidence(
                count=len(hits), incident_ids=tuple(i.id for i in hits),
                categories=tuple(i.category for i in hits)),
            trigger=("incident_ids",), fingerprint_period=False,
        )


@rule(
    id="VETO-004",
    version="1.0",
    grain="region",
    identity=("indicator",),
    evidence=SatisfactionEvidence,
    title=("群众食品安全满意度未达到{min_score}分",
           "Public food-safety satisfaction below {min_score} points"),
    severity=Severity.CRITICAL,
    reads=[Region, IndicatorObservation],
    legal_basis=[*_veto_basis(4), article(WEIXIAN_PLAN, "五(四)", "24", en="§5(4) item 24")],
    parameters=[
        Param(name="min_score", type="float", minimum=0, maximum=100, unit="分", confidence=V,
              description=Text("满意度最低分（未达到即否决）", "lowest passing satisfaction score")),
        Param(name="period_months", type="int", minimum=1, maximum=60, unit="月", confidence=V,
              description=Text("取该期限内最近一次测评", "use the latest survey in this many months")),
        Param(name="indicator", type="str", confidence=V,
              description=Text("满意度指标代码", "indicator code of the satisfaction survey")),
    ],
    lead=FSA_OFFICE,
    responsible=FSA_MEMBERS,
    message=(
        "{subject}：群众食品安全满意度 {score} 分，未达到 {min_score} 分（差 {gap} 分），触发一票否决。",
        "{subject}: public food-safety satisfaction is {score}, below {min_score} (short by "
        "{gap}) — veto.",
    ),
    messages={"no_data": ("{subject}：评价期内没有满意度测评数据（指标 {indicator}），"
                          "无法判断否决项4。",
                          "{subject}: no satisfaction survey in the period (indicator "
                          "{indicator}); veto item 4 cannot be judged.")},
    description=(
        "取评价期内最近一次满意度测评；“未达到80分”即低于80分，恰为80分不否决。没有测评数据时给出提示。",
        "Uses the latest satisfaction survey in the period; 'not reaching 80' means below 80, "
        "so exactly 80 passes. Without any survey an info finding says the data is missing.",
    ),
)
def satisfaction(ctx: RuleContext) -> Iterator[object]:
    """V4: satisfaction score below the minimum."""
    period = Period.ending(ctx.as_of, months=ctx.param("period_months"))
    indicator = ctx.param("indicator")
    floor = ctx.param("min_score")
    for region in ctx.facts.of_kind(Region):
        obs = _latest(tuple(o for o in ctx.facts.in_region(
            IndicatorObservation, region.code, start=period.start, end=period.end)
            if o.region_code == region.code), indicator)
        if obs is None or obs.value is None:
            yield ctx.finding(
                subject=Subject.of(region), period=period, severity=Severity.INFO,
                evidence=SatisfactionEvidence(indicator=indicator, status="no_data"),
            )
            continue
        if exact(obs.value) < exact(floor):
            yield ctx.finding(
                subject=Subject.of(region), period=period, facts=[obs],
                evidence=SatisfactionEvidence(
                    indicator=indicator, score=floor_to(obs.value), min_score=floor,
                    gap=ceil_to(float(exact(floor) - exact(obs.value)))),
                trigger=("indicator",), fingerprint_period=False,
            )


@rule(
    id="VETO-005",
    version="1.0",
    grain="region",
    identity=("min_pass_rate",),
    evidence=(PassRateEvidence, NoSamplingEvidence),
    title=("食品评价性抽检合格率未达到{min_pass_rate}%",
           "Evaluative sampling pass rate below {min_pass_rate}%"),
    severity=Severity.CRITICAL,
    reads=[Region, SamplingMetric],
    legal_basis=[*_veto_basis(5), article(WEIXIAN_PLAN, "五(四)", "26", en="§5(4) item 26"),
                 article(FOOD_SAFETY_LAW, "第八十七条", en="Art. 87")],
    parameters=[
        Param(name="min_pass_rate", type="float", minimum=0, maximum=100, unit="%", confidence=V,
              description=Text("评价性抽检合格率下限", "lowest passing evaluative pass rate")),
    ],
    lead=("县市场监管局",),
    responsible=("县农业农村局",),
    message=(
        "{subject}：{start} 至 {end} 评价性抽检合格率 {pass_rate}%（{passed}/{graded} 批次合格），"
        "未达到 {min_pass_rate}%，触发一票否决。",
        "{subject}: evaluative sampling pass rate {pass_rate}% ({passed} of {graded} batches) "
        "between {start} and {end}, below {min_pass_rate}% — veto.",
    ),
    messages={"no_data": ("{subject}：统计期内没有评价性抽检结果，无法判断否决项5。",
                          "{subject}: no evaluative sampling results in the period; "
                          "veto item 5 cannot be judged.")},
    description=(
        "只计评价性抽检（不含监督抽检和风险监测）；合格率=合格批次÷有结论批次×100%，统计期见 "
        "INFER-SAMPLING-METRICS 的 period_months。恰为98%不否决。",
        "Evaluative sampling only (not supervisory, not risk monitoring); pass rate = "
        "conforming ÷ batches with a verdict × 100%; the period is INFER-SAMPLING-METRICS's "
        "period_months. Exactly 98% passes.",
    ),
)
def evaluative_pass_rate(ctx: RuleContext) -> Iterator[object]:
    """V5: evaluative sampling pass rate below the minimum."""
    floor = ctx.param("min_pass_rate")
    for region in ctx.facts.of_kind(Region):
        metrics = [m for m in ctx.facts.in_region(SamplingMetric, region.code)
                   if m.region_code == region.code
                   and m.sampling_kind is SamplingKind.EVALUATIVE]
        for m in metrics:
            period = Period(start=m.period_start, end=m.period_end)
            if m.pass_rate is None:
                yield ctx.finding(
                    subject=Subject.of(region), period=period, severity=Severity.INFO,
                    facts=[m], evidence=NoSamplingEvidence(),
                )
            elif rate_below(m.passed, m.passed + m.failed, floor):
                yield ctx.finding(
                    subject=Subject.of(region), period=period,
                    facts=[m, *(FactRef(kind="sampling_result", id=i) for i in m.failed_ids)],
                    evidence=PassRateEvidence(
                        pass_rate=floor_to(m.pass_rate), min_pass_rate=floor, passed=m.passed,
                        failed=m.failed, graded=m.passed + m.failed,
                        failed_sampling_ids=tuple(m.failed_ids)),
                    trigger=("min_pass_rate",),
                )
