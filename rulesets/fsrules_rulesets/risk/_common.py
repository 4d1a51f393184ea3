"""Dates, periods and small helpers the risk and two-responsibilities rules share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from fsrules import Confidence, Param, Period, Text
from fsrules.dates import add_months
from fsrules.model import Operator, StaffMember, StaffRole

__all__ = [
    "COUNTY_BUREAU",
    "MARKET_OFFICES",
    "PERIOD_CHOICES",
    "active_days",
    "add_months",
    "days_between",
    "each_day",
    "held_role",
    "judged_year",
    "period_param",
    "prorated",
    "role_holders",
    "year_end",
]

#: 牵头单位 of supervision rules and the 责任单位 that inspect.
COUNTY_BUREAU = ("县市场监管局",)
MARKET_OFFICES = ("各市场监管所",)

PERIOD_CHOICES = ("calendar_year", "previous_year")


def period_param(what_zh: str, what_en: str) -> Param:
    """The ``period`` parameter: the calendar year of as_of (to date) or the previous year."""
    return Param(
        name="period", type="str", choices=PERIOD_CHOICES, confidence=Confidence.VERIFIED,
        description=Text(
            f"{what_zh}的统计年度：calendar_year=评价日所在自然年（截至评价日），"
            "previous_year=上一个完整自然年",
            f"the year over which {what_en}: calendar_year = the calendar year of the "
            "evaluation date (up to it), previous_year = the previous full calendar year"),
    )


def judged_year(as_of: dt.date, mode: str) -> Period:
    """The whole calendar year a yearly duty is judged over (see :func:`period_param`)."""
    year = as_of.year if mode == "calendar_year" else as_of.year - 1
    return Period.year(year)


def year_end(day: dt.date) -> dt.date:
    """31 December of ``day``'s year."""
    return dt.date(day.year, 12, 31)


def each_day(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from ``start`` to ``end``, both inclusive (nothing when end < start)."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def days_between(start: dt.date, end: dt.date) -> int:
    """Days in [start, end], 0 when end < start."""
    return max((end - start).days + 1, 0)


def active_days(op: Operator, start: dt.date, end: dt.date) -> int:
    """Days in [start, end] the operator was open (its opening and closing dates)."""
    lo = max(start, op.opened_on) if op.opened_on else start
    hi = min(end, op.closed_on - dt.timedelta(days=1)) if op.closed_on else end
    return days_between(lo, hi)


def prorated(count: int, covered_days: int, window_days: int) -> int:
    """``count`` scaled to the covered part of a window, rounded up (any part needs one)."""
    if covered_days <= 0 or window_days <= 0 or count <= 0:
        return 0
    return -(-count * min(covered_days, window_days) // window_days)  # exact integer ceiling


def held_role(person: StaffMember, start: dt.date, end: dt.date) -> bool:
    """True when ``person`` held their post on at least one day of [start, end]."""
    if person.joined_on is not None and person.joined_on > end:
        return False
    return person.left_on is None or person.left_on > start


def role_holders(staff: Iterable[StaffMember], roles: Iterable[StaffRole], start: dt.date,
                 end: dt.date) -> list[StaffMember]:
    """Staff in one of ``roles`` at some time in [start, end], sorted by id."""
    wanted = set(roles)
    return sorted((p for p in staff if p.role in wanted and held_role(p, start, end)),
                  key=lambda p: p.id)
