"""Enterprise duties (企业主体责任), the records: which enterprises are bound
(INFER-DUTY-SCOPE), 日管控 / 周排查 / 月调度 (DUTY-001/002/003). The 食品安全总监,
食品安全员 and their training are judged in :mod:`.duty_staff`.

SAMR Order 60 (in force 2022-11-01, C): the safety officer checks every
operating day (a "no risk found" record counts), the director sweeps every
week (the safety officer where there is no director), the principal holds a
monthly meeting. Days are judged only when the operator was open: between
its opening and closing dates, outside its recorded closures
(``duty_closure``) and, when it keeps a roster (``work_shift``), on days
someone worked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from fsrules import (
    Confidence,
    FactSet,
    Param,
    Period,
    RuleContext,
    RuleKind,
    Severity,
    Text,
    rule,
)
from fsrules.model import (
    Operator,
    SelfCheck,
    SelfCheckCycle,
    StaffMember,
    StaffRole,
    WorkShift,
)

from .._basis import FOOD_SAFETY_LAW, WEIXIAN_PLAN
from ._calendar import OpenDays, Weeks, full_months, open_calendar
from ._common import (
    COUNTY_BUREAU,
    MARKET_OFFICES,
    judged_year,
    period_param,
)
from ._duty_evidence import (
    DailyControlEvidence,
    MonthlyMeetingEvidence,
    WeeklySweepEvidence,
)
from .basis import (
    CANTEEN_DUTIES_2025,
    IMPLEMENTING_REGULATIONS,
    ORDER_60,
    article,
)
from .facts import DutyClosure, DutyEnterprise

__all__ = ["ORDER_60_IN_FORCE", "bound_enterprises", "daily_control", "duty_scope",
           "monthly_meeting", "open_days", "parse_roles", "weekly_sweep"]

V = Confidence.VERIFIED
C = Confidence.CORROBORATED

ORDER_60_IN_FORCE = dt.date(2022, 11, 1)

_BASIS = [
    ORDER_60,
    article(FOOD_SAFETY_LAW, "第四十四条", en="Art. 44"),
    article(IMPLEMENTING_REGULATIONS, "第十九条", en="Art. 19"),
    article(WEIXIAN_PLAN, "五(五)", "27", en="§5(5) item 27"),
]


def parse_roles(values: Iterable[str]) -> tuple[StaffRole, ...]:
    return tuple(StaffRole.parse(v) for v in values)


def open_days(op: Operator, start: dt.date, end: dt.date, closures: Sequence[DutyClosure],
              shifts: Sequence[WorkShift] | None) -> list[dt.date]:
    """The operator's operating days in [start, end].

    Open between its opening and closing dates, not closed by a
    ``duty_closure`` and, when ``shifts`` (its roster in the span) is not
    empty, a day someone worked.
    """
    return list(open_calendar(op, start, end, closures, shifts))


def bound_enterprises(ctx: RuleContext) -> Iterator[tuple[DutyEnterprise, Operator]]:
    for scope in ctx.facts.of_kind(DutyEnterprise):
        op = ctx.facts.operator(scope.operator_id)
        if op is not None:
            yield scope, op


class _Judged:
    """What DUTY-001/002/003 work out per enterprise, with their parameters read once.

    ``period`` and ``roster_marks_open_days`` are read on first use (when an
    enterprise is judged), not for every enterprise; the self-check records
    are grouped by operator once per run (:func:`self_checks`), on first use.
    """

    __slots__ = ("_checks", "_ctx", "_roster", "_year")

    def __init__(self, ctx: RuleContext) -> None:
        self._ctx = ctx
        self._year: Period | None = None
        self._roster: bool | None = None
        self._checks: dict[str, OperatorChecks] | None = None

    def span(self, scope: DutyEnterprise, op: Operator) -> Period | None:
        """The part of the judged year the duties applied to ``op``, up to ``as_of``."""
        ctx = self._ctx
        if self._year is None:
            self._year = judged_year(ctx.as_of, ctx.param("period"))
        year = self._year
        start = max(year.start, scope.duties_from)
        end = min(year.end, ctx.as_of)
        if op.closed_on is not None:
            end = min(end, op.closed_on - dt.timedelta(days=1))
        return Period(start=start, end=end) if start <= end else None

    def operating(self, op: Operator, span: Period) -> OpenDays:
        """``op``'s operating days in ``span``."""
        facts = self._ctx.facts
        closures = facts.for_subject(DutyClosure, op.id)
        if self._roster is None:
            self._roster = bool(self._ctx.param("roster_marks_open_days"))
        shifts = (facts.for_subject(WorkShift, op.id, start=span.start, end=span.end)
                  if self._roster else ())
        return open_calendar(op, span.start, span.end, closures, shifts)

    def checks(self, op: Operator) -> OperatorChecks:
        """``op``'s self-check records (grouped once per run for the three rules)."""
        if self._checks is None:
            self._checks = self._ctx.facts.shared(self_checks)
        return self._checks.get(op.id, _NO_CHECKS)


_OPERATOR_ID = operator.attrgetter("operator_id")


class OperatorChecks(NamedTuple):
    """One operator's self-check records, each in id order: all of them, the weekly, the monthly."""

    records: tuple[SelfCheck, ...]
    weekly: tuple[SelfCheck, ...]
    monthly: tuple[SelfCheck, ...]


_NO_CHECKS = OperatorChecks((), (), ())


def self_checks(facts: FactSet) -> dict[str, OperatorChecks]:
    """Every operator's self-check records (see :class:`OperatorChecks`).

    Worked out once per run and shared by DUTY-001/002/003
    (``facts.shared(self_checks)``): the records are grouped by operator
    with C-level passes (they come in id order, an operator's usually in
    runs), so no subject index is built for them, and only DUTY-001 reads
    the daily records (most of them).
    """
    by_operator: dict[str, list[SelfCheck]] = {}
    for op_id, run in itertools.groupby(facts.of_kind(SelfCheck), _OPERATOR_ID):
        found = by_operator.get(op_id)
        if found is None:
            by_operator[op_id] = list(run)
        else:
            found.extend(run)
    daily, weekly, monthly = SelfCheckCycle.DAILY, SelfCheckCycle.WEEKLY, SelfCheckCycle.MONTHLY
    out: dict[str, OperatorChecks] = {}
    for op_id, records in by_operator.items():
        others = [r for r in records if r.cycle is not daily]  # one pass over the many daily
        out[op_id] = OperatorChecks(tuple(records), tuple([r for r in others if r.cycle is weekly]),
                                    tuple([r for r in others if r.cycle is monthly]))
    return out


def _records(duty: _Judged, op: Operator, span: Period, cycle: SelfCheckCycle
             ) -> list[SelfCheck]:
    """The operator's ``cycle`` records dated in ``span``, in id order."""
    checks = duty.checks(op)
    records = (checks.weekly if cycle is SelfCheckCycle.WEEKLY else
               checks.monthly if cycle is SelfCheckCycle.MONTHLY else checks.records)
    start, end = span.start, span.end
    return [r for r in records if r.cycle is cycle and start <= r.checked_on <= end]


def _dates(days: Iterable[dt.date], limit: int = 10) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in sorted(days)[:limit])


def _by_value(roles: Iterable[StaffRole]) -> tuple[StaffRole, ...]:
    return tuple(sorted(roles, key=lambda r: r.value))


_ROSTER = Param(
    name="roster_marks_open_days", type="bool", confidence=V,
    description=Text("有排班记录（work_shift）的主体，只把有人上班的日子算作营业日",
                     "for operators with a roster (work_shift), only days someone worked are "
                     "operating days"))


# --------------------------------------------------------------------------- scope


@rule(
    id="INFER-DUTY-SCOPE",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("落实主体责任的食品生产经营企业", "Enterprises bound by the enterprise-duty rules"),
    severity="info",
    reads=[Operator],
    produces=[DutyEnterprise],
    legal_basis=[ORDER_60, CANTEEN_DUTIES_2025],
    message=("{subject} 适用主体责任规定", "{subject} is bound by Order 60"),
    parameters=[
        Param(name="business_types", type="list", confidence=C,
              description=Text("适用的业态（第60号令适用于食品生产经营企业；单位食堂自2025-04-15起适用"
                               "《集中用餐单位落实食品安全主体责任监督管理规定》）",
                               "business types bound (Order 60 binds food enterprises; unit "
                               "canteens from 2025-04-15 under the collective-dining rule)")),
        Param(name="individual_uscc_prefixes", type="list", confidence=Confidence.MEMORY,
              description=Text("个体工商户的统一社会信用代码前缀（个体工商户不是企业，不适用）",
                               "USCC prefixes of individual businesses (个体工商户 are not "
                               "enterprises and are not bound)")),
    ],
    valid_from=ORDER_60_IN_FORCE,
    description=(
        "业态在范围内、统一社会信用代码不是个体工商户前缀的主体（三小不在默认范围内）各得一条 "
        "duty_enterprise，"
        "注明主体责任自何日起适用（第60号令施行日或开业日，取晚者）。",
        "Each operator of a bound business type whose USCC does not carry an individual "
        "business's prefix (the 三小 are not bound by default) gets a duty_enterprise with "
        "the day the duties apply from (Order 60's date or its opening, the later).",
    ),
)
def duty_scope(ctx: RuleContext) -> Iterator[DutyEnterprise]:
    """One ``duty_enterprise`` per bound operator."""
    types = set(ctx.param("business_types"))
    individual = tuple(ctx.param("individual_uscc_prefixes"))
    for op in ctx.facts.of_kind(Operator):
        if op.business_type.value not in types:
            continue
        if op.uscc and individual and op.uscc.upper().startswith(individual):
            continue
        since = max(ORDER_60_IN_FORCE, op.opened_on) if op.opened_on else ORDER_60_IN_FORCE
        yield DutyEnterprise(id=op.id, operator_id=op.id, as_of=ctx.as_of,
                             business_type=op.business_type, duties_from=since)


# --------------------------------------------------------------------------- 日管控


@rule(
    id="DUTY-001",
    version="1.0",
    grain="operator",
    identity=("year",),
    evidence=DailyControlEvidence,
    title=("日管控记录缺失", "Daily control (日管控) records missing"),
    severity=Severity.MEDIUM,
    reads=[DutyEnterprise, Operator, SelfCheck, DutyClosure, WorkShift],
    legal_basis=_BASIS,
    parameters=[
        period_param("日管控记录", "daily records are judged"),
        Param(name="roles", type="list", confidence=C,
              description=Text("日管控由谁做（食品安全员）", "who does the daily check (safety "
                               "officer)")),
        _ROSTER,
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} {start} 至 {end} 共 {operating_days} 个营业日，其中 {missing_days} 天没有食品安全员的"
        "日管控记录（最长连续 {longest_gap} 个营业日；最早缺失 {first_missing}）。",
        "{subject}: {missing_days} of {operating_days} operating days from {start} to {end} "
        "have no daily-control record by the safety officer (longest run {longest_gap} "
        "operating days; first missing {first_missing}).",
    ),
    description=(
        "食品安全员每个营业日按风险管控清单检查并记录，未发现问题也要记录（“零风险”记录计入）。只统计营业日；"
        "由其他岗位所做的记录不计入（证据中单列）。统计期为 period 所选年度，从第60号令施行日（2022-11-01）"
        "或开业日起，截至评价日。",
        "The safety officer checks against the risk list on every operating day and records "
        "it, a 'no risk found' record included. Only operating days count; records by other "
        "roles do not (shown apart in the evidence). The year is the period parameter's, from "
        "Order 60's date (2022-11-01) or the opening, up to the evaluation date.",
    ),
)
def daily_control(ctx: RuleContext) -> Iterator[object]:
    """Operating days without a daily record by the right role."""
    roles = set(parse_roles(ctx.param("roles")))
    accepted = tuple(roles)
    daily = SelfCheckCycle.DAILY
    duty = _Judged(ctx)
    for scope, op in bound_enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        # One pass: the days recorded by an accepted role (the usual case: no gap).
        # Membership in a tuple compares enum members by identity; a set would hash each.
        start, end = span.start, span.end
        good = {r.checked_on for r in duty.checks(op).records
                if r.cycle is daily and r.role in accepted and start <= r.checked_on <= end}
        gaps = days.unrecorded(good)
        if gaps is None:
            continue
        records = _records(duty, op, span, daily)
        wrong = {r.checked_on for r in records if r.role not in accepted} - good
        yield ctx.finding(
            subject=op, period=span,
            evidence=DailyControlEvidence(
                year=span.end.year, operating_days=len(days),
                recorded_days=len(days) - gaps.count, missing_days=gaps.count,
                first_missing=gaps.first[0], last_missing=gaps.last,
                missing_sample=_dates(gaps.first), longest_gap=gaps.longest,
                wrong_role_days=sum(d in days for d in wrong), roles=_by_value(roles)),
            facts=[op], trigger=("year",), fingerprint_period=False,
        )


# --------------------------------------------------------------------------- 周排查


@rule(
    id="DUTY-002",
    version="1.0",
    grain="operator",
    identity=("year",),
    evidence=WeeklySweepEvidence,
    title=("周排查记录缺失", "Weekly sweep (周排查) records missing"),
    severity=Severity.MEDIUM,
    reads=[DutyEnterprise, Operator, SelfCheck, StaffMember, DutyClosure, WorkShift],
    legal_basis=_BASIS,
    parameters=[
        period_param("周排查记录", "weekly records are judged"),
        Param(name="roles", type="list", confidence=C,
              description=Text("周排查由谁做（食品安全总监）", "who does the weekly sweep "
                               "(food-safety director)")),
        Param(name="fallback_roles", type="list", confidence=C,
              description=Text("没有食品安全总监的企业由谁做（食品安全员）",
                               "who does it where there is no director (safety officer)")),
        _ROSTER,
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} {start} 至 {end} 有 {weeks_judged} 个营业周，其中 {weeks_missing} 周没有{role}的"
        "周排查记录（最早缺失的一周从 {first_missing_week} 开始）。",
        "{subject}: {weeks_missing} of {weeks_judged} operating weeks from {start} to {end} "
        "have no weekly sweep by the {role} (first missing week starting {first_missing_week}).",
    ),
    description=(
        "食品安全总监（没有总监的由食品安全员）每周至少排查一次并形成报告。按周一至周日计，只判断完整落在统计期内、"
        "且至少有一个营业日的周。",
        "The director (the safety officer where there is none) sweeps at least once a week and "
        "reports. Weeks run Monday to Sunday; only weeks wholly in the period with at least "
        "one operating day are judged.",
    ),
)
def weekly_sweep(ctx: RuleContext) -> Iterator[object]:
    """Operating weeks without a weekly record by the director (or the officer)."""
    roles = set(parse_roles(ctx.param("roles")))
    fallback = set(parse_roles(ctx.param("fallback_roles")))
    # Tuples: membership compares enum members by identity; a set would hash each.
    own, either = tuple(roles), tuple(roles | fallback)
    duty = _Judged(ctx)
    for scope, op in bound_enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        weeks = Weeks(span)
        judged = days.open_weeks(weeks.first_monday, weeks.count)
        if not judged:
            continue
        # Weeks with a sweep by the director's roles, by any accepted role, by anyone.
        own_weeks: set[int] = set()
        either_weeks: set[int] = set()
        any_weeks: set[int] = set()
        m0 = weeks.first_monday.toordinal()  # weeks.index, inlined: many records
        for r in _records(duty, op, span, SelfCheckCycle.WEEKLY):
            k = (r.checked_on.toordinal() - m0) // 7
            any_weeks.add(k)
            if r.role in either:
                either_weeks.add(k)
                if r.role in own:
                    own_weeks.add(k)
        directed = weeks.held(ctx.facts.for_subject(StaffMember, op.id), roles)
        undirected = judged - directed  # no director in post: the officer's sweep counts
        missing_weeks = sorted(((judged & directed) - own_weeks) | (undirected - either_weeks))
        if not missing_weeks:
            continue
        used_fallback = bool(undirected)
        mondays = [weeks.monday(k) for k in missing_weeks]
        yield ctx.finding(
            subject=op, period=span,
            evidence=WeeklySweepEvidence(
                year=span.end.year, weeks_judged=len(judged), weeks_missing=len(mondays),
                first_missing_week=mondays[0], missing_weeks=_dates(mondays),
                wrong_role_weeks=len(any_weeks.intersection(missing_weeks)),
                director_appointed=not used_fallback,
                roles=_by_value(roles | fallback if used_fallback else roles)),
            facts=[op], trigger=("year",), fingerprint_period=False,
        )


# --------------------------------------------------------------------------- 月调度


@rule(
    id="DUTY-003",
    version="1.0",
    grain="operator",
    identity=("year",),
    evidence=MonthlyMeetingEvidence,
    title=("月调度记录缺失", "Monthly meeting (月调度) records missing"),
    severity=Severity.MEDIUM,
    reads=[DutyEnterprise, Operator, SelfCheck, DutyClosure, WorkShift],
    legal_basis=_BASIS,
    parameters=[
        period_param("月调度记录", "monthly records are judged"),
        Param(name="roles", type="list", confidence=C,
              description=Text("月调度由谁主持（主要负责人）", "who holds the monthly meeting "
                               "(the principal)")),
        _ROSTER,
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} {start} 至 {end} 有 {months_judged} 个营业月，其中 {months_missing} 个月没有主要负责人的"
        "月调度记录（{missing_list}）。",
        "{subject}: {months_missing} of {months_judged} operating months from {start} to {end} "
        "have no monthly meeting held by the principal ({missing_list}).",
    ),
    description=(
        "企业主要负责人每月至少召开一次食品安全调度会议，听取总监汇报、总结本月并部署下月。只判断完整落在统计期内、"
        "且至少有一个营业日的自然月。",
        "The principal holds at least one food-safety meeting a month, hears the director, "
        "reviews the month and plans the next. Only calendar months wholly in the period with "
        "at least one operating day are judged.",
    ),
)
def monthly_meeting(ctx: RuleContext) -> Iterator[object]:
    """Operating months without a monthly record by the principal."""
    roles = set(parse_roles(ctx.param("roles")))
    duty = _Judged(ctx)
    months: dict[Period, list[tuple[dt.date, dt.date]]] = {}  # most enterprises share a span
    for scope, op in bound_enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        by_month: dict[tuple[int, int], list[SelfCheck]] = defaultdict(list)
        for r in _records(duty, op, span, SelfCheckCycle.MONTHLY):
            by_month[(r.checked_on.year, r.checked_on.month)].append(r)
        judged = 0
        missing: list[str] = []
        wrong = 0
        if span not in months:
            months[span] = list(full_months(span))
        for first, last in months[span]:
            if not days.any_between(first, last):
                continue
            judged += 1
            month = by_month.get((first.year, first.month), [])
            if any(r.role in roles for r in month):
                continue
            missing.append(first.strftime("%Y-%m"))
            wrong += bool(month)
        if not missing:
            continue
        yield ctx.finding(
            subject=op, period=span,
            evidence=MonthlyMeetingEvidence(
                year=span.end.year, months_judged=judged, months_missing=len(missing),
                missing_months=tuple(missing), wrong_role_months=wrong,
                roles=_by_value(roles)),
            facts=[op], trigger=("year",), fingerprint_period=False,
        )
