"""Operating days as intervals (risk/_calendar.py) equal the day-by-day definition.

The day-by-day implementations the duty rules used before (every day of the
span, every closure tested on it) are kept here as test oracles: on random
calendars -- opening and closing dates, closures with and without an end and
weekly rest days, rosters -- the interval implementation gives the same
operating days, and DUTY-001/002/003 give the evidence the day-by-day rules
gave.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules import Engine, Period
from fsrules.model import Operator, SelfCheck, SelfCheckCycle, StaffMember, StaffRole, WorkShift
from fsrules_rulesets.risk._calendar import OpenDays, Weeks, open_calendar
from fsrules_rulesets.risk.duties import open_days
from fsrules_rulesets.risk.facts import WEEKDAYS, DutyClosure

from .test_risk_support import engine_with, enterprise

DEEP = os.environ.get("FSRULES_HYPOTHESIS_PROFILE") == "deep"
PROFILE = settings(
    max_examples=1000 if DEEP else 150, derandomize=not DEEP, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BASE = dt.date(2022, 10, 1)
ROLES_ALL = (StaffRole.SAFETY_OFFICER, StaffRole.DIRECTOR, StaffRole.PRINCIPAL)
ONE = dt.timedelta(days=1)


# --------------------------------------------------------------------------- oracles


def oracle_open_days(op: Operator, start: dt.date, end: dt.date,
                     closures: Sequence[DutyClosure],
                     shifts: Sequence[WorkShift] | None) -> list[dt.date]:
    """The day-by-day definition (the implementation before intervals)."""
    worked = {s.worked_on for s in shifts} if shifts else None
    days = []
    day = start
    while day <= end:
        if (op.active_on(day) and (worked is None or day in worked)
                and not any(c.closes(day) for c in closures)):
            days.append(day)
        day += ONE
    return days


def oracle_missing(days: list[dt.date], good: set[dt.date]
                   ) -> tuple[int, tuple[dt.date, ...], dt.date, int] | None:
    missing = [d for d in days if d not in good]
    if not missing:
        return None
    longest = run = 0
    for d in days:
        run = run + 1 if d not in good else 0
        longest = max(longest, run)
    return len(missing), tuple(missing[:10]), missing[-1], longest


# --------------------------------------------------------------------------- strategies


def _day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    opened = draw(st.none() | st.integers(-30, 400).map(_day))
    closed = draw(st.none() | st.integers(-30, 500).map(_day))
    closures = []
    for k in range(draw(st.integers(0, 4))):
        start = draw(st.integers(-20, 480))
        end = draw(st.none() | st.integers(start, start + 200))
        weekdays = draw(st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True))
        closures.append(DutyClosure(id=f"c{k}", operator_id="ent1", start_on=_day(start),
                                    end_on=None if end is None else _day(end),
                                    weekdays=tuple(weekdays)))
    start = draw(st.integers(0, 400))
    end = draw(st.integers(start - 3, start + 400))
    worked = draw(st.lists(st.integers(start - 5, end + 5), max_size=40, unique=True))
    shifts = [WorkShift(id=f"s{k}", operator_id="ent1", person_id="p1", worked_on=_day(o))
              for k, o in enumerate(worked)]
    op = enterprise("ent1", opened_on=opened, closed_on=closed)
    return {"op": op, "start": _day(start), "end": _day(end), "closures": closures,
            "shifts": draw(st.sampled_from([shifts, [], None]))}


# --------------------------------------------------------------------------- units


@PROFILE
@given(cal=calendars())
def test_open_calendar_equals_day_by_day(cal: dict[str, Any]) -> None:
    expected = oracle_open_days(cal["op"], cal["start"], cal["end"], cal["closures"],
                                cal["shifts"])
    days = open_calendar(cal["op"], cal["start"], cal["end"], cal["closures"], cal["shifts"])
    assert list(days) == expected
    assert len(days) == len(expected)
    assert open_days(cal["op"], cal["start"], cal["end"], cal["closures"],
                     cal["shifts"]) == expected


@PROFILE
@given(runs=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=6),
       probe=st.integers(-5, 80), width=st.integers(0, 8))
def test_open_days_queries(runs: list[tuple[int, int]], probe: int, width: int) -> None:
    base = BASE.toordinal()
    days = OpenDays((base + a, base + a + n) for a, n in runs)
    expected = sorted({_day(a + k) for a, n in runs for k in range(n + 1)})
    assert list(days) == expected
    day = _day(probe)
    assert (day in days) == (day in expected)
    assert days.rank(day) == sum(d < day for d in expected)
    assert days.any_between(day, day + dt.timedelta(days=width)) == any(
        day <= d <= day + dt.timedelta(days=width) for d in expected)
    assert [days.day_at(k) for k in range(len(days))] == expected
    assert [(a, b) for a, b in days.runs] == [
        (a, b) for a, b in days.runs if all(a + dt.timedelta(days=k) in expected
                                            for k in range((b - a).days + 1))]


@PROFILE
@given(cal=calendars(), picks=st.lists(st.integers(0, 400), max_size=60))
def test_missing_days_equal_day_by_day(cal: dict[str, Any], picks: list[int]) -> None:
    days = open_calendar(cal["op"], cal["start"], cal["end"], cal["closures"], cal["shifts"])
    listed = list(days)
    good = {cal["start"] + dt.timedelta(days=p) for p in picks}
    if listed and picks:
        good |= {listed[p % len(listed)] for p in picks[::2]}
    gaps = days.unrecorded(good)
    assert (None if gaps is None else (gaps.count, gaps.first, gaps.last, gaps.longest)
            ) == oracle_missing(listed, good)
    # Every open day recorded (the usual case, answered without a set difference),
    # and as many days but one of them outside the open days.
    for every in (set(listed), {*listed[1:], cal["end"] + dt.timedelta(days=1)},
                  {*listed[:-1], cal["start"] - dt.timedelta(days=1)}):
        gaps = days.unrecorded(every)
        assert (None if gaps is None else (gaps.count, gaps.first, gaps.last, gaps.longest)
                ) == oracle_missing(listed, every)


@PROFILE
@given(runs=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=6),
       start=st.integers(-10, 40), length=st.integers(-2, 60),
       posts=st.lists(st.tuples(st.none() | st.integers(-20, 80), st.none() | st.integers(-20, 80),
                                st.sampled_from(ROLES_ALL)), max_size=4))
def test_weeks_equal_day_by_day(runs: list[tuple[int, int]], start: int, length: int,
                                posts: list[tuple[int | None, int | None, StaffRole]]) -> None:
    """Week numbers, open weeks and weeks a post was held, against a walk over the weeks."""
    base = BASE.toordinal()
    days = OpenDays((base + a, base + a + n) for a, n in runs)
    span = Period(start=_day(start), end=_day(start + max(length, 0)))
    weeks = Weeks(span)
    mondays = []
    monday = span.start + dt.timedelta(days=(7 - span.start.weekday()) % 7)
    while monday + dt.timedelta(days=6) <= span.end:
        mondays.append(monday)
        monday += dt.timedelta(days=7)
    assert weeks.count == len(mondays)
    assert [weeks.monday(k) for k in range(weeks.count)] == mondays
    for k, m in enumerate(mondays):
        assert {weeks.index(m + dt.timedelta(days=d)) for d in range(7)} == {k}
    assert days.open_weeks(weeks.first_monday, weeks.count) == {
        k for k, m in enumerate(mondays) if days.any_between(m, m + dt.timedelta(days=6))}
    staff = [StaffMember(id=f"p{i}", operator_id="ent1", name="员工", role=role,
                         joined_on=None if j is None else _day(j),
                         left_on=None if left is None else _day(left))
             for i, (j, left, role) in enumerate(posts)]
    wanted = {StaffRole.DIRECTOR}
    assert weeks.held(staff, wanted) == {
        k for k, m in enumerate(mondays)
        if any(p.role in wanted and (p.joined_on is None or p.joined_on <= m + dt.timedelta(days=6))
               and (p.left_on is None or p.left_on > m) for p in staff)}


# --------------------------------------------------------------------------- the rules

ROLES = (StaffRole.SAFETY_OFFICER, StaffRole.DIRECTOR, StaffRole.PRINCIPAL)
YEAR_START, YEAR_END = dt.date(2023, 1, 1), dt.date(2023, 12, 31)


@st.composite
def duty_bundles(draw: st.DrawFn) -> dict[str, Any]:
    cal = draw(calendars())
    op = enterprise("ent1", opened_on=draw(st.none() | st.integers(0, 400).map(_day)),
                    closed_on=draw(st.none() | st.integers(100, 500).map(_day)))
    staff = []
    for k, role in enumerate(draw(st.lists(st.sampled_from(ROLES), max_size=4))):
        joined = draw(st.none() | st.integers(0, 450).map(_day))
        left = draw(st.none() | st.integers(0, 500).map(_day))
        staff.append(StaffMember(id=f"p{k}", operator_id="ent1", name=f"员工{k}", role=role,
                                 joined_on=joined, left_on=left))
    checks = []
    for k, (cycle, offset, role) in enumerate(draw(st.lists(st.tuples(
            st.sampled_from(list(SelfCheckCycle)), st.integers(80, 470),
            st.sampled_from(ROLES)), max_size=120))):
        checks.append(SelfCheck(id=f"r{k}", operator_id="ent1", cycle=cycle,
                                checked_on=_day(offset), role=role))
    return {"facts": [op, *cal["closures"], *(cal["shifts"] or ()), *staff, *checks],
            "as_of": draw(st.integers(300, 500).map(_day))}


def _enterprise_days(facts: list[Any], as_of: dt.date, roster: bool
                     ) -> tuple[dt.date, dt.date, list[dt.date]] | None:
    op = next(f for f in facts if isinstance(f, Operator))
    start = max(dt.date(as_of.year, 1, 1), max(dt.date(2022, 11, 1), op.opened_on)
                if op.opened_on else dt.date(2022, 11, 1))
    end = min(dt.date(as_of.year, 12, 31), as_of)
    if op.closed_on is not None:
        end = min(end, op.closed_on - ONE)
    if start > end:
        return None
    closures = [f for f in facts if isinstance(f, DutyClosure)]
    shifts = [f for f in facts if isinstance(f, WorkShift) and start <= f.worked_on <= end]
    return start, end, oracle_open_days(op, start, end, closures, shifts if roster else ())


def oracle_weeks(facts: list[Any], as_of: dt.date
                 ) -> tuple[int, list[str], int, int, bool] | None:
    found = _enterprise_days(facts, as_of, roster=True)
    if found is None or not found[2]:
        return None
    start, end, days = found
    open_weeks = {d - dt.timedelta(days=d.weekday()) for d in days}
    holders = [p for p in facts if isinstance(p, StaffMember) and p.role is StaffRole.DIRECTOR]
    by_week: dict[dt.date, list[SelfCheck]] = defaultdict(list)
    for r in facts:
        if (isinstance(r, SelfCheck) and r.cycle is SelfCheckCycle.WEEKLY
                and start <= r.checked_on <= end):
            by_week[r.checked_on - dt.timedelta(days=r.checked_on.weekday())].append(r)
    judged, missing, wrong, appointed = 0, [], 0, True
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    while monday + dt.timedelta(days=6) <= end:
        sunday = monday + dt.timedelta(days=6)
        if monday in open_weeks:
            judged += 1
            accepted = {StaffRole.DIRECTOR}
            if not any((p.joined_on is None or p.joined_on <= sunday)
                       and (p.left_on is None or p.left_on > monday) for p in holders):
                accepted.add(StaffRole.SAFETY_OFFICER)
                appointed = False
            if not any(r.role in accepted for r in by_week.get(monday, [])):
                missing.append(monday.isoformat())
                wrong += bool(by_week.get(monday))
        monday += dt.timedelta(days=7)
    return (judged, missing[:10], len(missing), wrong, appointed) if missing else None


def oracle_months(facts: list[Any], as_of: dt.date) -> tuple[int, list[str]] | None:
    found = _enterprise_days(facts, as_of, roster=True)
    if found is None or not found[2]:
        return None
    start, end, days = found
    open_months = {(d.year, d.month) for d in days}
    judged, missing = 0, []
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)
                                          ).replace(day=1)
    while True:
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - ONE
        if last > end:
            break
        if (first.year, first.month) in open_months:
            judged += 1
            if not any(isinstance(r, SelfCheck) and r.cycle is SelfCheckCycle.MONTHLY
                       and r.role is StaffRole.PRINCIPAL and first <= r.checked_on <= last
                       for r in facts):
                missing.append(first.strftime("%Y-%m"))
        first = last + ONE
    return (judged, missing) if missing else None


def oracle_daily(facts: list[Any], as_of: dt.date
                 ) -> tuple[int, int, int, list[str], int] | None:
    found = _enterprise_days(facts, as_of, roster=True)
    if found is None or not found[2]:
        return None
    start, end, days = found
    good = {r.checked_on for r in facts if isinstance(r, SelfCheck)
            and r.cycle is SelfCheckCycle.DAILY and r.role is StaffRole.SAFETY_OFFICER
            and start <= r.checked_on <= end}
    gaps = oracle_missing(days, good)
    if gaps is None:
        return None
    wrong = {r.checked_on for r in facts if isinstance(r, SelfCheck)
             and r.cycle is SelfCheckCycle.DAILY and r.role is not StaffRole.SAFETY_OFFICER
             and start <= r.checked_on <= end} - good
    return len(days), gaps[0], gaps[3], [d.isoformat() for d in gaps[1]], sum(
        d in days for d in wrong)


_ENGINE: list[Engine] = []


def _engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(engine_with())
    return _ENGINE[0]


@settings(PROFILE, max_examples=300 if DEEP else 40)
@given(bundle=duty_bundles())
def test_duty_rules_equal_day_by_day(bundle: dict[str, Any]) -> None:
    report = _engine().evaluate(bundle["facts"], as_of=bundle["as_of"],
                                rulesets=["two-responsibilities"])
    found = {f.rule_id: f.evidence for f in report.findings}
    daily = found.get("DUTY-001")
    assert (None if daily is None else (daily["operating_days"], daily["missing_days"],
                                        daily["longest_gap"], daily["missing_sample"],
                                        daily["wrong_role_days"])) == oracle_daily(
        bundle["facts"], bundle["as_of"])
    weekly = found.get("DUTY-002")
    assert (None if weekly is None else (
        weekly["weeks_judged"], weekly["missing_weeks"], weekly["weeks_missing"],
        weekly["wrong_role_weeks"], weekly["director_appointed"])
            ) == oracle_weeks(bundle["facts"], bundle["as_of"])
    monthly = found.get("DUTY-003")
    assert (None if monthly is None else (monthly["months_judged"], monthly["missing_months"])
            ) == oracle_months(bundle["facts"], bundle["as_of"])
