"""Enterprise duties (企业主体责任): 日管控 / 周排查 / 月调度, the 食品安全总监 and
食品安全员, and their 40 training hours a year.

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
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fsrules import Confidence, Param, Period, RuleContext, RuleKind, Severity, Text, rule
from fsrules.model import (
    BusinessType,
    InstitutionType,
    Operator,
    OperatorScale,
    SelfCheck,
    SelfCheckCycle,
    StaffMember,
    StaffRole,
    TrainingRecord,
    WorkShift,
)

from .._basis import FOOD_SAFETY_LAW, WEIXIAN_PLAN
from .._numbers import exact
from ._calendar import OpenDays, full_months, full_weeks, open_calendar
from ._common import (
    COUNTY_BUREAU,
    MARKET_OFFICES,
    held_role,
    judged_year,
    period_param,
    role_holders,
    year_end,
)
from ._duty_evidence import (
    REASON,
    DailyControlEvidence,
    DirectorMissingEvidence,
    DirectorNoDataEvidence,
    MonthlyMeetingEvidence,
    SafetyOfficerEvidence,
    TrainingEvidence,
    WeeklySweepEvidence,
)
from .basis import (
    CANTEEN_DUTIES_2025,
    ENTERPRISE_DUTIES_2025,
    IMPLEMENTING_REGULATIONS,
    ORDER_60,
    article,
)
from .facts import DutyClosure, DutyEnterprise

__all__ = ["daily_control", "director_missing", "duty_scope", "monthly_meeting",
           "open_days", "safety_officer_missing", "training_hours", "weekly_sweep"]

V = Confidence.VERIFIED
C = Confidence.CORROBORATED

ORDER_60_IN_FORCE = dt.date(2022, 11, 1)

_BASIS = [
    ORDER_60,
    article(FOOD_SAFETY_LAW, "第四十四条", en="Art. 44"),
    article(IMPLEMENTING_REGULATIONS, "第十九条", en="Art. 19"),
    article(WEIXIAN_PLAN, "五(五)", "27", en="§5(5) item 27"),
]


def _roles(values: Iterable[str]) -> tuple[StaffRole, ...]:
    return tuple(StaffRole.parse(v) for v in values)


def open_days(op: Operator, start: dt.date, end: dt.date, closures: Sequence[DutyClosure],
              shifts: Sequence[WorkShift] | None) -> list[dt.date]:
    """The operator's operating days in [start, end].

    Open between its opening and closing dates, not closed by a
    ``duty_closure`` and, when ``shifts`` (its roster in the span) is not
    empty, a day someone worked.
    """
    return list(open_calendar(op, start, end, closures, shifts))


def _enterprises(ctx: RuleContext) -> Iterator[tuple[DutyEnterprise, Operator]]:
    for scope in ctx.facts.of_kind(DutyEnterprise):
        op = ctx.facts.operator(scope.operator_id)
        if op is not None:
            yield scope, op


class _Judged:
    """What DUTY-001/002/003 work out per enterprise, with their parameters read once.

    ``period`` and ``roster_marks_open_days`` are read on first use (when an
    enterprise is judged), not for every enterprise.
    """

    __slots__ = ("_ctx", "_roster", "_year")

    def __init__(self, ctx: RuleContext) -> None:
        self._ctx = ctx
        self._year: Period | None = None
        self._roster: bool | None = None

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


def _records(ctx: RuleContext, op: Operator, span: Period, cycle: SelfCheckCycle
             ) -> list[SelfCheck]:
    """The operator's ``cycle`` records dated in ``span`` (one pass, no date index)."""
    start, end = span.start, span.end
    return [r for r in ctx.facts.for_subject(SelfCheck, op.id)
            if r.cycle is cycle and start <= r.checked_on <= end]


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
    roles = set(_roles(ctx.param("roles")))
    accepted = tuple(roles)
    duty = _Judged(ctx)
    for scope, op in _enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        records = _records(ctx, op, span, SelfCheckCycle.DAILY)
        # Membership in a tuple compares enum members by identity; a set would hash each.
        good = {r.checked_on for r in records if r.role in accepted}
        gaps = days.unrecorded(good)
        if gaps is None:
            continue
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
    roles = set(_roles(ctx.param("roles")))
    fallback = set(_roles(ctx.param("fallback_roles")))
    # Tuples: membership compares enum members by identity (a set hashes each).
    own, either = tuple(roles), tuple(roles | fallback)
    duty = _Judged(ctx)
    for scope, op in _enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        records = _records(ctx, op, span, SelfCheckCycle.WEEKLY)
        holders = role_holders(ctx.facts.for_subject(StaffMember, op.id), roles, span.start,
                               span.end)
        # The roles that recorded a sweep, per week (keyed by its Monday).
        by_week: dict[dt.date, list[StaffRole]] = defaultdict(list)
        for r in records:
            by_week[r.checked_on - dt.timedelta(days=r.checked_on.weekday())].append(r.role)
        judged = missing = wrong = 0
        missing_weeks: list[dt.date] = []
        used_fallback = False
        six = dt.timedelta(days=6)
        for monday in full_weeks(span):
            sunday = monday + six
            if not days.any_between(monday, sunday):
                continue
            judged += 1
            accepted = own
            if not any(held_role(p, monday, sunday) for p in holders):
                accepted = either
                used_fallback = True
            week = by_week.get(monday)
            if week and any(role in accepted for role in week):
                continue
            missing += 1
            missing_weeks.append(monday)
            if week:
                wrong += 1
        if not missing:
            continue
        yield ctx.finding(
            subject=op, period=span,
            evidence=WeeklySweepEvidence(
                year=span.end.year, weeks_judged=judged, weeks_missing=missing,
                first_missing_week=missing_weeks[0], missing_weeks=_dates(missing_weeks),
                wrong_role_weeks=wrong, director_appointed=not used_fallback,
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
    roles = set(_roles(ctx.param("roles")))
    duty = _Judged(ctx)
    for scope, op in _enterprises(ctx):
        span = duty.span(scope, op)
        if span is None:
            continue
        days = duty.operating(op, span)
        if not days:
            continue
        by_month: dict[tuple[int, int], list[SelfCheck]] = defaultdict(list)
        for r in _records(ctx, op, span, SelfCheckCycle.MONTHLY):
            by_month[(r.checked_on.year, r.checked_on.month)].append(r)
        judged = 0
        missing: list[str] = []
        wrong = 0
        for first, last in full_months(span):
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


# --------------------------------------------------------------------------- 总监 and 安全员


def _on_duty(staff: Iterable[StaffMember], role: StaffRole, day: dt.date) -> list[StaffMember]:
    return sorted((p for p in staff if p.role is role
                   and (p.joined_on is None or p.joined_on <= day)
                   and (p.left_on is None or p.left_on > day)), key=lambda p: p.id)


def director_reasons(op: Operator, large_medium: set[str], min_diners: Mapping[str, Any]
                     ) -> list[str]:
    """Why ``op`` must appoint a 食品安全总监 (empty: it need not)."""
    reasons = []
    if op.is_special_food or op.business_type is BusinessType.HEALTH_FOOD_PRODUCER:
        reasons.append("special_food")
    if op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM) and \
            op.business_type.value in large_medium:
        reasons.append("large_medium")
    if op.is_chain_hq:
        reasons.append("chain_hq")
    if (op.business_type is BusinessType.UNIT_CANTEEN and op.avg_diners_per_meal is not None
            and op.institution_type not in _SCHOOLS and op.school_id is None):
        # School and kindergarten canteens are judged by SCHOOL-010 under the
        # school rules; judging them here too would report one gap twice.
        kind = (op.institution_type or InstitutionType.OTHER).value
        threshold = min_diners.get(kind, min_diners.get("other"))
        # "300人以上" includes 300 (以上 counts the number itself).
        if threshold is not None and op.avg_diners_per_meal >= threshold:
            reasons.append("canteen_diners")
    return reasons


def _unknown_diner_threshold(op: Operator, min_diners: Mapping[str, Any]) -> Any:
    """The diner threshold a canteen with no recorded diners might meet (None: not such)."""
    if (op.business_type is not BusinessType.UNIT_CANTEEN or op.avg_diners_per_meal is not None
            or op.institution_type in _SCHOOLS or op.school_id is not None):
        return None
    kind = (op.institution_type or InstitutionType.OTHER).value
    return min_diners.get(kind, min_diners.get("other"))


_SCHOOLS = frozenset({InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
                      InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY})

@rule(
    id="DUTY-004",
    version="1.0",
    grain="operator",
    identity=("reasons",),
    evidence=(DirectorMissingEvidence, DirectorNoDataEvidence),
    title=("应配备而未配备食品安全总监", "No food-safety director (食品安全总监) where one is required"),
    severity=Severity.HIGH,
    reads=[Operator, StaffMember],
    legal_basis=[ORDER_60,
                 article(ENTERPRISE_DUTIES_2025, "第六条", en="Art. 6"),
                 CANTEEN_DUTIES_2025,
                 article(WEIXIAN_PLAN, "五(五)", "27", en="§5(5) item 27")],
    parameters=[
        Param(name="large_medium_types", type="list", confidence=C,
              description=Text("大中型即须配备总监的业态（生产、销售、餐饮，含中央厨房、集体用餐配送单位）",
                               "business types whose large and medium members need a director "
                               "(producers, sellers, caterers incl. central kitchens and "
                               "meal-delivery units)")),
        Param(name="canteen_min_diners", type="table", confidence=C, unit="人/餐",
              description=Text("单位食堂平均每餐就餐人数达到该值须配备总监（幼儿园300、学校500、其他1000；"
                               "2025-04-15起养老机构300）",
                               "average diners per meal from which a canteen needs a director "
                               "(kindergartens 300, schools 500, others 1000; elderly care 300 "
                               "from 2025-04-15)")),
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject}（{reasons}）应配备食品安全总监，评价日没有在任的食品安全总监。",
        "{subject} ({reasons}) must appoint a food-safety director; none is in post on the "
        "evaluation date.",
    ),
    messages={
        "no_data": ("{subject}：没有在任的食品安全总监，平均每餐就餐人数未记录，"
                    "无法判断是否达到须配备总监的 {diner_threshold} 人。",
                    "{subject}: no food-safety director in post and the average "
                    "diners per meal is not recorded, so whether the "
                    "{diner_threshold}-diner threshold for a director is met cannot "
                    "be judged."),
    },
    description=(
        "须配备食品安全总监的：特殊食品生产者；大中型食品生产、销售、餐饮服务企业（含中央厨房、集体用餐配送单位）；"
        "连锁经营总部；平均每餐就餐人数幼儿园（2025-04-15起含养老机构）≥300、学校≥500、其他单位≥1000的食堂"
        "（“以上”含本数；学校、幼儿园食堂由 SCHOOL-010 判断）。"
        "评价日没有岗位为食品安全总监且在职的人员即报告。"
        "食堂没有总监、平均每餐就餐人数又未记录的，无法判断，给出提示（info，status=no_data）而不是不报告。",
        "A director is required for special-food producers; large and medium producers, "
        "sellers and caterers (central kitchens and meal-delivery units included); chain "
        "headquarters; canteens averaging ≥ 300 diners a meal for kindergartens (and, from "
        "2025-04-15, elderly care), ≥ 500 for schools and ≥ 1000 for others (school and "
        "kindergarten canteens are judged by SCHOOL-010). Reported when no "
        "staff member holds the post on the evaluation date. A canteen with no director "
        "whose average diners per meal is not recorded cannot be judged: an info finding "
        "(status no_data) says so instead of silence.",
    ),
)
def director_missing(ctx: RuleContext) -> Iterator[object]:
    """Required 总监 not in post on ``as_of``."""
    large_medium = set(ctx.param("large_medium_types"))
    min_diners = ctx.param("canteen_min_diners")
    for op in ctx.facts.of_kind(Operator):
        if not op.active_on(ctx.as_of):
            continue
        reasons = director_reasons(op, large_medium, min_diners)
        unknown = None if reasons else _unknown_diner_threshold(op, min_diners)
        if not reasons and unknown is None:
            continue
        staff = ctx.facts.for_subject(StaffMember, op.id)
        if _on_duty(staff, StaffRole.DIRECTOR, ctx.as_of):
            continue
        if unknown is not None:
            # Whether a director is required cannot be told: "no data", not "met" (issue 10).
            yield ctx.finding(
                subject=op, severity=Severity.INFO,
                evidence=DirectorNoDataEvidence(avg_diners_per_meal=None,
                                                diner_threshold=unknown),
                facts=[op], trigger=("reasons", "status"), fingerprint_period=False,
            )
            continue
        kind = (op.institution_type or InstitutionType.OTHER).value
        former = [p for p in staff if p.role is StaffRole.DIRECTOR]
        yield ctx.finding(
            subject=op,
            evidence=DirectorMissingEvidence(
                reasons=tuple(REASON(r) for r in reasons),
                business_type=op.business_type.value,
                scale=op.scale.value if op.scale else None,
                avg_diners_per_meal=op.avg_diners_per_meal,
                diner_threshold=min_diners.get(kind, min_diners.get("other"))
                if "canteen_diners" in reasons else None,
                former_director_ids=tuple(p.id for p in former)),
            facts=[op, *former], trigger=("reasons",), fingerprint_period=False,
        )


@rule(
    id="DUTY-006",
    version="1.0",
    grain="operator",
    identity=("business_type",),
    evidence=SafetyOfficerEvidence,
    title=("未配备食品安全员", "No food-safety officer (食品安全员)"),
    severity=Severity.HIGH,
    reads=[DutyEnterprise, Operator, StaffMember],
    legal_basis=[ORDER_60, article(FOOD_SAFETY_LAW, "第四十四条", en="Art. 44"),
                 article(IMPLEMENTING_REGULATIONS, "第十九条", en="Art. 19"),
                 article(ENTERPRISE_DUTIES_2025, "第六条", en="Art. 6")],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 评价日没有在任的食品安全员（第60号令要求企业配备食品安全员）。",
        "{subject} has no food-safety officer in post on the evaluation date (Order 60 "
        "requires every enterprise to appoint one).",
    ),
    description=(
        "适用主体责任规定的企业（见 INFER-DUTY-SCOPE）都应配备食品安全员；评价日没有岗位为食品安全员且在职的"
        "人员即报告。",
        "Every enterprise bound by the duty rules (see INFER-DUTY-SCOPE) appoints a safety "
        "officer; reported when none holds the post on the evaluation date.",
    ),
)
def safety_officer_missing(ctx: RuleContext) -> Iterator[object]:
    """No 安全员 in post on ``as_of``."""
    for _scope, op in _enterprises(ctx):
        if not op.active_on(ctx.as_of):
            continue
        staff = ctx.facts.for_subject(StaffMember, op.id)
        if _on_duty(staff, StaffRole.SAFETY_OFFICER, ctx.as_of):
            continue
        former = [p for p in staff if p.role is StaffRole.SAFETY_OFFICER]
        yield ctx.finding(
            subject=op,
            evidence=SafetyOfficerEvidence(business_type=op.business_type.value,
                                           former_officer_ids=tuple(p.id for p in former)),
            facts=[op, *former], trigger=("business_type",), fingerprint_period=False,
        )


# --------------------------------------------------------------------------- training


@rule(
    id="DUTY-005",
    version="1.0",
    grain="operator",
    identity=("person_id",),
    evidence=TrainingEvidence,
    title=("食品安全总监、安全员年度培训不足{min_hours}学时",
           "Director or safety officer trained less than {min_hours} hours in the year"),
    severity=Severity.MEDIUM,
    reads=[StaffMember, TrainingRecord, Operator],
    legal_basis=[ENTERPRISE_DUTIES_2025,
                 article(WEIXIAN_PLAN, "五(五)", "19", en="§5(5) item 19"),
                 article(IMPLEMENTING_REGULATIONS, "第二十条", en="Art. 20"),
                 ORDER_60],
    parameters=[
        Param(name="min_hours", type="float", minimum=0, unit="学时", confidence=C,
              description=Text("每人每年最少培训学时", "minimum training hours per person a "
                               "year")),
        Param(name="roles", type="list", confidence=C,
              description=Text("要求培训的岗位（总监、安全员；示范县方案还包括单位负责人）",
                               "posts that must be trained (director and safety officer; the "
                               "demo county's plan adds the principal)")),
        period_param("培训学时", "training hours are counted"),
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 的{role_name} {person_name}（{person_id}）{year}年培训 {hours} 学时，少于 {min_hours} 学时"
        "（差 {shortfall} 学时），应于 {due_date} 前补足。",
        "{subject}: {role_name} {person_name} ({person_id}) was trained {hours} hours in {year}, "
        "less than {min_hours} (short by {shortfall}); due by {due_date}.",
    ),
    description=(
        "食品安全总监、食品安全员每年培训不少于40学时（2025年规定，C；示范县实施方案第19项要求单位负责人和质量安全"
        "管理人员每年集中培训不低于40学时，V）。只判断整个统计年度（截至评价日）都在岗的人员；年度未结束时为提示。",
        "Directors and safety officers are trained at least 40 hours a year (2025 rule, C; the "
        "demo county's plan item 19 asks 40 hours of the heads and quality staff, V). Only "
        "people in post for the whole year (to the evaluation date) are judged; while the "
        "year is open the finding is info.",
    ),
)
def training_hours(ctx: RuleContext) -> Iterator[object]:
    """Hours trained in the year below the minimum."""
    floor = exact(ctx.param("min_hours"))
    roles = _roles(ctx.param("roles"))
    year = judged_year(ctx.as_of, ctx.param("period"))
    to = min(year.end, ctx.as_of)
    hours: dict[str, list[TrainingRecord]] = defaultdict(list)
    for record in ctx.facts.between(TrainingRecord, year.start, to):
        hours[record.person_id].append(record)
    for person in ctx.facts.of_kind(StaffMember):
        if person.role not in roles:
            continue
        if person.joined_on is not None and person.joined_on > year.start:
            continue
        if person.left_on is not None and person.left_on <= to:
            continue
        op = ctx.facts.operator(person.operator_id)
        if op is None or not op.active_on(to):
            continue
        records = sorted(hours.get(person.id, ()), key=lambda r: (r.trained_on, r.id))
        total = sum((exact(r.hours) for r in records), exact(0))
        if total >= floor:
            continue
        window_open = ctx.as_of < year.end
        yield ctx.finding(
            subject=op, period=year, due_date=year_end(year.end),
            severity=Severity.INFO if window_open else None,
            evidence=TrainingEvidence(
                person_id=person.id, person_name=person.name, role=person.role,
                year=year.end.year, hours=float(total), min_hours=float(ctx.param("min_hours")),
                shortfall=float(floor - total), training_ids=tuple(r.id for r in records),
                window_open=window_open),
            facts=[op, person, *records], trigger=("person_id",),
        )

