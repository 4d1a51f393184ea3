"""包保 (layered responsibility): every operator has a cadre of the right level who
signed the commitment letter and visits at the profile's frequency.

包保 tiers (A city leaders … D village cadres) are :class:`~fsrules.model.BaobaoTier`,
never risk grades (:class:`~fsrules.model.RiskGrade`): the two vocabularies are
different enum types and never compare equal (regulations.md §2.2).

INFER-BAOBAO-STATUS decides which operators are in the mechanism on the
evaluation date (enterprises from the profile's date, 三小 from 2023: seed
000) and finds their current assignment; the checks and the coverage metric
read it, so the scope is configured in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fsrules import Confidence, FactRef, Param, Period, RuleContext, RuleKind, Severity, Text, rule
from fsrules.evidence import evidence
from fsrules.model import (
    BaobaoAssignment,
    BaobaoTier,
    BusinessType,
    CadreLevel,
    Operator,
    OperatorScale,
    Region,
    SupervisionVisit,
)

from .._basis import WEIXIAN_PLAN
from .._numbers import percent
from ._common import days_between, judged_year, period_param, prorated, year_end
from .basis import BAOBAO_OPINION, COUNTY_SPEECH, article
from .facts import BaobaoCoverage, BaobaoStatus

__all__ = ["CommitmentEvidence", "LevelMismatchEvidence", "NoCadreEvidence", "VisitsEvidence",
           "baobao_coverage", "baobao_status", "commitment_unsigned", "no_cadre",
           "tier_level_mismatch", "visits_short"]

V = Confidence.VERIFIED
C = Confidence.CORROBORATED

FSA_OFFICE = ("县食药安办",)
TOWNSHIPS = ("各乡镇政府",)

_BASIS = [
    BAOBAO_OPINION,
    article(COUNTY_SPEECH, "二(二)", en="part 2 (2)"),
    article(WEIXIAN_PLAN, "五(五)", "27", en="§5(5) item 27"),
]

LEVEL_ZH = {lv.value: lv.zh for lv in CadreLevel}


def _active(assignment: BaobaoAssignment, day: dt.date) -> bool:
    if assignment.assigned_on > day:
        return False
    return assignment.ended_on is None or assignment.ended_on > day


def _tier_table(raw: Mapping[str, Any], name: str) -> dict[BaobaoTier, Any]:
    missing = [t.value for t in BaobaoTier if t.value not in raw]
    if missing:
        raise ValueError(f"parameter {name} needs an entry for tier(s) {', '.join(missing)}")
    return {t: raw[t.value] for t in BaobaoTier}


@rule(
    id="INFER-BAOBAO-STATUS",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("包保主体范围与包保关系", "Operators within 包保 and their assignment"),
    severity="info",
    reads=[Operator, BaobaoAssignment],
    produces=[BaobaoStatus],
    legal_basis=_BASIS,
    message=("{subject} 包保状态", "{subject} 包保 status"),
    parameters=[
        Param(name="business_types", type="list", confidence=V,
              description=Text("纳入包保的业态（“确保每个食品生产经营主体都有相应的干部包保”；农村集体聚餐"
                               "承办者无固定经营场所，默认不列入）",
                               "business types within 包保 ('every food business has a cadre'; "
                               "rural banquet cooks have no premises and are left out by "
                               "default)")),
        Param(name="enterprises_from", type="date", confidence=Confidence.MEMORY,
              description=Text("“三小”以外主体纳入包保的日期（2022年秋部署，“今年打基础”）",
                               "date operators other than 三小 are covered from (rolled out "
                               "autumn 2022)")),
        Param(name="three_small_from", type="date", confidence=V,
              description=Text("“三小”纳入包保的日期（种子000：2023年“三小”纳入包保）",
                               "date the 三小 are covered from (seed 000: from 2023)")),
        Param(name="tier_by_scale", type="table", confidence=C,
              description=Text("未分配包保的主体按规模推定的级别（大型A、中型B、小型C、微型D）",
                               "tier assumed for an unassigned operator by its size (large A, "
                               "medium B, small C, micro D)")),
    ],
    description=(
        "评价日在营、业态在范围内且已到纳入日期的主体，各得一条 baobao_status：当前有效的包保关系（未终止的"
        "最近一条）、级别、干部层级和承诺书签订日期；没有包保关系的按规模推定级别。",
        "Each operator open on the evaluation date, of a covered business type and past its "
        "coverage date gets a baobao_status: its current assignment (the latest not ended), "
        "tier, cadre level and commitment-letter date; without one, the tier its size "
        "suggests.",
    ),
)
def baobao_status(ctx: RuleContext) -> Iterator[BaobaoStatus]:
    """One status per operator within the mechanism on ``as_of``."""
    as_of = ctx.as_of
    scope = set(ctx.param("business_types"))
    by_scale = ctx.param("tier_by_scale")
    three_small_from: dt.date = ctx.param("three_small_from")
    enterprises_from: dt.date | None = None
    expected_tiers: dict[str, BaobaoTier] = {}  # parsed once per scale, not per operator
    for op in ctx.facts.of_kind(Operator):
        if op.business_type.value not in scope or not op.active_on(as_of):
            continue
        three_small = op.business_type.is_three_small
        if three_small:
            start = three_small_from
        else:
            if enterprises_from is None:
                enterprises_from = ctx.param("enterprises_from")
            start = enterprises_from
        since = max(start, op.opened_on) if op.opened_on else start
        if as_of < since:
            continue
        scale = (op.scale or OperatorScale.MICRO).value
        expected = expected_tiers.get(scale)
        if expected is None:
            expected = expected_tiers[scale] = BaobaoTier.parse(by_scale.get(scale, "D"))
        assignments = sorted(ctx.facts.for_subject(BaobaoAssignment, op.id),
                             key=lambda a: (a.assigned_on, a.id))
        current = [a for a in assignments if _active(a, as_of)]
        ended = [a for a in assignments if a.ended_on is not None and a.ended_on <= as_of]
        now = current[-1] if current else None
        last_ended = max(ended, key=lambda a: (a.ended_on or as_of, a.id), default=None)
        yield BaobaoStatus(
            id=op.id, operator_id=op.id, region_code=op.region_code, as_of=as_of,
            business_type=op.business_type, three_small=three_small, covered_since=since,
            expected_tier=expected,
            assignment_id=now.id if now else None, tier=now.tier if now else None,
            cadre_id=now.cadre_id if now else None, cadre_name=now.cadre_name if now else "",
            cadre_level=now.cadre_level if now else None,
            assigned_on=now.assigned_on if now else None,
            commitment_signed_on=now.commitment_signed_on if now else None,
            ended_assignment_id=None if now or last_ended is None else last_ended.id,
            ended_on=None if now or last_ended is None else last_ended.ended_on,
        )


@evidence
class NoCadreEvidence:
    """BAOBAO-001: an operator within 包保 with no current assignment."""

    business_type: BusinessType
    three_small: bool
    covered_since: dt.date
    expected_tier: BaobaoTier
    """The tier its size suggests (INFER-BAOBAO-STATUS.tier_by_scale)."""
    ended_assignment_id: str | None
    """Its last assignment, ended before the evaluation date (None: never assigned)."""
    ended_on: dt.date | None


@evidence
class LevelMismatchEvidence:
    """BAOBAO-002: the cadre's level is not one the operator's tier allows."""

    tier: BaobaoTier
    cadre_level: CadreLevel
    allowed_levels: tuple[CadreLevel, ...]
    cadre_id: str | None
    cadre_name: str
    assignment_id: str

    @property
    def allowed(self) -> Text:
        """The allowed levels, joined with "or"."""
        return Text("或".join(lv.zh for lv in self.allowed_levels),
                    " or ".join(lv.value for lv in self.allowed_levels))


@evidence
class CommitmentEvidence:
    """BAOBAO-003: the current assignment whose commitment letter is not signed."""

    assignment_id: str
    cadre_id: str | None
    cadre_name: str
    cadre_level: CadreLevel | None
    assigned_on: dt.date | None
    days_since_assigned: int | None


@evidence
class VisitsEvidence:
    """BAOBAO-004: visits by the operator's cadres in the year against the tier's frequency."""

    tier: BaobaoTier
    per_year: int
    required: int
    visits: int
    shortfall: int
    window_start: dt.date
    window_end: dt.date
    visit_ids: tuple[str, ...]
    other_cadre_visits: int
    """Visits by cadres not assigned to the operator (not counted)."""
    cadre_ids: tuple[str, ...]
    window_open: bool


def _statuses(ctx: RuleContext) -> Iterator[tuple[BaobaoStatus, Operator]]:
    for status in ctx.facts.of_kind(BaobaoStatus):
        op = ctx.facts.operator(status.operator_id)
        if op is not None:
            yield status, op


@rule(
    id="BAOBAO-001",
    version="1.0",
    grain="operator",
    identity=("covered_since",),
    evidence=NoCadreEvidence,
    title=("食品生产经营主体没有包保干部", "Operator without a 包保 cadre"),
    severity=Severity.HIGH,
    reads=[BaobaoStatus, Operator],
    legal_basis=_BASIS,
    lead=FSA_OFFICE,
    responsible=TOWNSHIPS,
    message=(
        "{subject}（{business_type}）自 {covered_since} 起应纳入包保，评价日没有有效的包保关系"
        "（按规模应为{expected_tier}）。",
        "{subject} ({business_type}) is within 包保 since {covered_since} but has no current "
        "assignment (by size: tier {expected_tier}).",
    ),
    description=(
        "每个纳入包保的主体在评价日都应有未终止的包保关系（范围见 INFER-BAOBAO-STATUS：“三小”自2023年起"
        "纳入，此前不要求）。",
        "Every operator within 包保 must have an assignment that has not ended on the "
        "evaluation date (scope: INFER-BAOBAO-STATUS; the 三小 from 2023, not before).",
    ),
)
def no_cadre(ctx: RuleContext) -> Iterator[object]:
    """No current assignment."""
    for status, op in _statuses(ctx):
        if status.assignment_id is not None:
            continue
        yield ctx.finding(
            subject=op,
            evidence=NoCadreEvidence(
                business_type=op.business_type, three_small=status.three_small,
                covered_since=status.covered_since, expected_tier=status.expected_tier,
                ended_assignment_id=status.ended_assignment_id, ended_on=status.ended_on),
            facts=[op, *([FactRef(kind=BaobaoAssignment.KIND, id=status.ended_assignment_id)]
                         if status.ended_assignment_id else [])],
            fingerprint_period=False,
        )


@rule(
    id="BAOBAO-002",
    version="1.0",
    grain="operator",
    identity=("assignment_id", "tier", "cadre_level"),
    evidence=LevelMismatchEvidence,
    title=("包保干部层级与主体级别不对应", "Cadre level does not match the 包保 tier"),
    severity=Severity.MEDIUM,
    reads=[BaobaoStatus, Operator],
    legal_basis=[article(COUNTY_SPEECH, "二(二)", en="part 2 (2)"), BAOBAO_OPINION],
    parameters=[
        Param(name="levels_by_tier", type="table", confidence=V,
              description=Text("各级包保主体对应的干部层级（种子000：A级市领导、B级县领导、C级乡镇领导干部、"
                               "D级村（社区）干部和乡镇一般干部）",
                               "cadre levels for each tier (seed 000: A city leaders, B county "
                               "leaders, C township leaders, D village cadres and ordinary "
                               "township cadres)")),
    ],
    lead=FSA_OFFICE,
    responsible=TOWNSHIPS,
    message=(
        "{subject} 为{tier}，应由{allowed}干部包保，实际包保干部 {cadre_name}（{cadre_id}）为"
        "{cadre_level}（包保关系 {assignment_id}）。",
        "{subject} is tier {tier}, to be covered by a {allowed} cadre, but its cadre "
        "{cadre_name} ({cadre_id}) is {cadre_level} (assignment {assignment_id}).",
    ),
    description=(
        "“干部分层、主体分级、层级对应”：A级主体由市领导包保，B级县领导，C级乡镇领导干部，D级村（社区）干部和"
        "乡镇一般干部。包保主体级别不是风险等级。",
        "'Layered cadres, graded operators, matching levels': tier A by city leaders, B county, "
        "C township leaders, D village cadres or ordinary township cadres. A 包保 tier is not "
        "a risk grade.",
    ),
)
def tier_level_mismatch(ctx: RuleContext) -> Iterator[object]:
    """The cadre's level is not one the tier allows."""
    table = _tier_table(ctx.param("levels_by_tier"), "levels_by_tier")
    allowed = {t: tuple(CadreLevel.parse(v) for v in levels) for t, levels in table.items()}
    for status, op in _statuses(ctx):
        if status.tier is None or status.cadre_level is None or status.assignment_id is None:
            continue
        ok = allowed[status.tier]
        if status.cadre_level in ok:
            continue
        yield ctx.finding(
            subject=op,
            evidence=LevelMismatchEvidence(
                tier=status.tier, cadre_level=status.cadre_level, allowed_levels=ok,
                cadre_id=status.cadre_id, cadre_name=status.cadre_name,
                assignment_id=status.assignment_id),
            facts=[op, FactRef(kind=BaobaoAssignment.KIND, id=status.assignment_id)],
            fingerprint_period=False,
        )


@rule(
    id="BAOBAO-003",
    version="1.0",
    grain="operator",
    identity=("assignment_id",),
    evidence=CommitmentEvidence,
    title=("包保干部未签订承诺书", "包保 cadre has not signed the commitment letter"),
    severity=Severity.MEDIUM,
    reads=[BaobaoStatus, Operator],
    legal_basis=[article(COUNTY_SPEECH, "四(三)", en="part 4 (3)"),
                 article(COUNTY_SPEECH, "二(二)", "三单一书", en="part 2 (2), three lists and a "
                         "letter"),
                 BAOBAO_OPINION],
    lead=FSA_OFFICE,
    responsible=TOWNSHIPS,
    message=(
        "{subject} 的包保干部 {cadre_name}（{cadre_id}，包保关系 {assignment_id}，{assigned_on} 起）"
        "未签订《食品安全责任与任务承诺书》。",
        "{subject}: cadre {cadre_name} ({cadre_id}, assignment {assignment_id} since "
        "{assigned_on}) has not signed the food-safety responsibility and task commitment "
        "letter.",
    ),
    description=(
        "“三单一书”：每名包保干部签订《食品安全责任与任务承诺书》。评价日当前包保关系没有签订日期"
        "（或签订日期晚于评价日）即报告。",
        "'Three lists and a letter': every 包保 cadre signs the commitment letter. Reported "
        "when the current assignment has no signing date (or one after the evaluation date).",
    ),
)
def commitment_unsigned(ctx: RuleContext) -> Iterator[object]:
    """The current assignment's commitment letter is not signed."""
    for status, op in _statuses(ctx):
        if status.assignment_id is None:
            continue
        signed = status.commitment_signed_on
        if signed is not None and signed <= ctx.as_of:
            continue
        yield ctx.finding(
            subject=op,
            evidence=CommitmentEvidence(
                assignment_id=status.assignment_id, cadre_id=status.cadre_id,
                cadre_name=status.cadre_name, cadre_level=status.cadre_level,
                assigned_on=status.assigned_on,
                days_since_assigned=(ctx.as_of - status.assigned_on).days
                if status.assigned_on else None),
            facts=[op, FactRef(kind=BaobaoAssignment.KIND, id=status.assignment_id)],
            fingerprint_period=False,
        )


def _merged_days(spans: Sequence[tuple[dt.date, dt.date]]) -> int:
    """Days covered by the union of [start, end] spans."""
    total = 0
    current: tuple[dt.date, dt.date] | None = None
    for start, end in sorted(spans):
        if end < start:
            continue
        if current is None or start > current[1] + dt.timedelta(days=1):
            if current is not None:
                total += days_between(*current)
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += days_between(*current)
    return total


@rule(
    id="BAOBAO-004",
    version="1.0",
    grain="operator",
    identity=("tier", "required"),
    evidence=VisitsEvidence,
    title=("包保督导次数不足", "Fewer 包保 supervision visits than the profile requires"),
    severity=Severity.MEDIUM,
    reads=[BaobaoStatus, BaobaoAssignment, SupervisionVisit, Operator],
    legal_basis=[article(COUNTY_SPEECH, "四(二)", en="part 4 (2)"), BAOBAO_OPINION],
    parameters=[
        Param(name="visits_per_year", type="table", confidence=Confidence.NOT_FOUND,
              unit="次/年",
              description=Text("各级包保主体每年至少督导次数（全国未找到规定：必须由配置文件设定）",
                               "supervision visits a year per tier (no national value found: a "
                               "profile must set it)")),
        period_param("督导次数", "visits are counted"),
    ],
    lead=FSA_OFFICE,
    responsible=TOWNSHIPS,
    message=(
        "{subject}（{tier}）{window_start} 至 {window_end} 应至少督导 {required} 次（每年 "
        "{per_year} 次，按包保天数折算），包保干部已督导 {visits} 次，还差 {shortfall} 次，应于 "
        "{due_date} 前完成。",
        "{subject} (tier {tier}) needs at least {required} supervision visit(s) from "
        "{window_start} to {window_end} ({per_year} a year, pro-rated to the days covered); "
        "its cadres made {visits}, {shortfall} still due by {due_date}.",
    ),
    description=(
        "包保干部“定期督导”，频次全国未规定（未找到全国规定），由配置文件 visits_per_year "
        "按级别设定；national 配置不设定，本规则跳过并提示。只计包保关系中干部的督导；统计期未结束时为提示。",
        "Cadres supervise 'regularly'; no national frequency exists (none was found), "
        "so the profile sets visits_per_year per tier; national does not, and the rule is "
        "skipped with a diagnostic. Only visits by the operator's own cadres count; while the "
        "year is open the finding is info.",
    ),
)
def visits_short(ctx: RuleContext) -> Iterator[object]:
    """Visits by the operator's cadres in the year fall short of the tier's frequency."""
    year = judged_year(ctx.as_of, ctx.param("period"))
    counted_to = min(year.end, ctx.as_of)
    per_tier: dict[BaobaoTier, Any] | None = None
    for status, op in _statuses(ctx):
        assignments = [a for a in ctx.facts.for_subject(BaobaoAssignment, op.id)
                       if a.assigned_on <= year.end
                       and (a.ended_on is None or a.ended_on > year.start)]
        if not assignments:
            continue
        if per_tier is None:
            # Read only when there is an assignment to judge: with no value in the
            # profile (national: "?") the engine then skips the rule with a diagnostic.
            per_tier = _tier_table(ctx.param("visits_per_year"), "visits_per_year")
        current = max(assignments, key=lambda a: (a.assigned_on, a.id))
        per_year = int(per_tier[current.tier])
        open_from = max(year.start, op.opened_on) if op.opened_on else year.start
        open_to = min(year.end, op.closed_on - dt.timedelta(days=1)) if op.closed_on \
            else year.end
        spans = [(max(a.assigned_on, open_from, status.covered_since),
                  min(a.ended_on - dt.timedelta(days=1) if a.ended_on else year.end, open_to))
                 for a in assignments]
        required = prorated(per_year, _merged_days(spans), days_between(year.start, year.end))
        cadres = {a.cadre_id for a in assignments}
        visits = ctx.facts.for_subject(SupervisionVisit, op.id, start=year.start, end=counted_to)
        own = [v for v in visits if v.cadre_id in cadres]
        if len(own) >= required:
            continue
        window_open = ctx.as_of < year.end
        yield ctx.finding(
            subject=op, period=Period(start=year.start, end=year.end), due_date=year_end(year.end),
            severity=Severity.INFO if window_open else None,
            evidence=VisitsEvidence(
                tier=current.tier, per_year=per_year, required=required, visits=len(own),
                shortfall=required - len(own), window_start=year.start, window_end=year.end,
                visit_ids=tuple(v.id for v in own), other_cadre_visits=len(visits) - len(own),
                cadre_ids=tuple(sorted(cadres)), window_open=window_open),
            facts=[op, *assignments, *own],
        )


@rule(
    id="INFER-BAOBAO-COVERAGE",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("包保覆盖率（按级别）", "包保 coverage per tier"),
    severity="info",
    reads=[Region, BaobaoStatus, SupervisionVisit],
    produces=[BaobaoCoverage],
    legal_basis=[article(COUNTY_SPEECH, "二(二)", en="part 2 (2)"), BAOBAO_OPINION],
    message=("{region} {tier} 督导覆盖率 {rate}%", "{region} tier {tier} visit coverage {rate}%"),
    parameters=[
        Param(name="granularity", type="str", choices=("year", "quarter"), confidence=V,
              description=Text("统计期：评价日所在年度或季度（截至评价日）",
                               "period: the year or quarter of the evaluation date, to date")),
    ],
    description=(
        "每个地区、每个包保级别一条 baobao_coverage：主体数（有包保关系的按其级别，没有的按规模推定）、"
        "有包保关系数、承诺书已签数、统计期内被督导过的主体数和督导覆盖率（被督导主体÷主体数×100%），供示范城市"
        "汇总展示。",
        "One baobao_coverage per region and tier: operators (by assigned tier, else the "
        "size-based one), covered, letters signed, operators visited in the period and the "
        "visit coverage rate (visited ÷ operators × 100), for the demonstration-city summary.",
    ),
)
def baobao_coverage(ctx: RuleContext) -> Iterator[BaobaoCoverage]:
    """Coverage per region and tier for the year (or quarter) to date."""
    as_of = ctx.as_of
    if ctx.param("granularity") == "quarter":
        first_month = (as_of.month - 1) // 3 * 3 + 1
        start = dt.date(as_of.year, first_month, 1)
    else:
        start = dt.date(as_of.year, 1, 1)
    for region in ctx.facts.of_kind(Region):
        rows: dict[BaobaoTier, list[BaobaoStatus]] = {t: [] for t in BaobaoTier}
        for status in ctx.facts.in_region(BaobaoStatus, region.code):
            rows[status.tier or status.expected_tier].append(status)
        for tier, members in rows.items():
            covered = [s for s in members if s.assignment_id is not None]
            signed = [s for s in covered
                      if s.commitment_signed_on is not None and s.commitment_signed_on <= as_of]
            visited = {s.operator_id for s in members if ctx.facts.for_subject(
                SupervisionVisit, s.operator_id, start=start, end=as_of)}
            yield BaobaoCoverage(
                id=f"{region.code}:{tier.value}:{start}:{as_of}", region_code=region.code,
                tier=tier, period_start=start, period_end=as_of, operators=len(members),
                covered=len(covered), signed=len(signed), visited=len(visited),
                rate=float(percent(len(visited), len(members))) if members else None,
                uncovered_ids=tuple(s.operator_id for s in members if s.assignment_id is None),
                unvisited_ids=tuple(s.operator_id for s in members if s.operator_id not in visited),
            )
