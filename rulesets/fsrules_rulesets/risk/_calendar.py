"""An operator's operating days as runs of consecutive days (interval arithmetic).

The duty rules judge records against the days an operator was open: between
its opening and closing dates, outside its recorded closures and, when it
keeps a roster, on days someone worked. Walking every day of a year and
testing each closure costs hundreds of comparisons per operator and rule;
:class:`OpenDays` holds the same days as a few sorted, disjoint runs
``[first, last]`` (day ordinals) and answers the questions the rules ask --
how many, is this day open, is any day of this week open, the n-th open day --
with :mod:`bisect`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence

import attrs

from fsrules import Period
from fsrules.model import Operator, StaffMember, StaffRole, WorkShift

from .facts import WEEKDAYS, DutyClosure

__all__ = ["OpenDays", "Unrecorded", "Weeks", "full_months", "open_calendar"]

#: ``date.fromordinal(1)`` (0001-01-01) was a Monday: weekday = (ordinal - 1) % 7.
_FAR = dt.date.max.toordinal()


def _weekday(ordinal: int) -> int:
    return (ordinal - 1) % 7


@attrs.frozen(kw_only=True)
class Unrecorded:
    """The open days without a record: how many, the first few, the last, the longest run.

    A run counts consecutive *open* days: a closure between two unrecorded
    days does not break it.
    """

    count: int
    first: tuple[dt.date, ...]
    last: dt.date
    longest: int


class OpenDays:
    """Sorted, disjoint, non-adjacent runs of open days, with their counts."""

    __slots__ = ("_before", "_firsts", "_lasts", "_total")

    def __init__(self, runs: Iterable[tuple[int, int]]) -> None:
        firsts: list[int] = []
        lasts: list[int] = []
        for first, last in sorted(runs):
            if last < first:
                continue
            if lasts and first <= lasts[-1] + 1:
                lasts[-1] = max(lasts[-1], last)
            else:
                firsts.append(first)
                lasts.append(last)
        before = [0]
        for first, last in zip(firsts, lasts, strict=True):
            before.append(before[-1] + last - first + 1)
        self._firsts = firsts
        self._lasts = lasts
        self._before = before  # open days in the runs before run i
        self._total = before[-1]

    def __len__(self) -> int:
        return self._total

    def __bool__(self) -> bool:
        return self._total > 0

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        o = day.toordinal()
        i = bisect.bisect_right(self._firsts, o) - 1
        return i >= 0 and o <= self._lasts[i]

    def __iter__(self) -> Iterator[dt.date]:
        for first, last in zip(self._firsts, self._lasts, strict=True):
            for o in range(first, last + 1):
                yield dt.date.fromordinal(o)

    @property
    def runs(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """The runs as (first, last) dates."""
        return tuple((dt.date.fromordinal(a), dt.date.fromordinal(b))
                     for a, b in zip(self._firsts, self._lasts, strict=True))

    def any_between(self, start: dt.date, end: dt.date) -> bool:
        """True when some day of [start, end] is open."""
        lo, hi = start.toordinal(), end.toordinal()
        i = bisect.bisect_right(self._firsts, hi) - 1
        return i >= 0 and self._lasts[i] >= lo

    def rank(self, day: dt.date) -> int:
        """How many open days come before ``day`` (``day`` itself not counted)."""
        return self._rank(day.toordinal())

    def _rank(self, o: int) -> int:
        i = bisect.bisect_right(self._firsts, o) - 1
        if i < 0:
            return 0
        return self._before[i] + min(o, self._lasts[i] + 1) - self._firsts[i]

    def ranks(self, days: Iterable[dt.date]) -> list[int]:
        """The ranks (see :meth:`rank`) of those of ``days`` that are open, ascending.

        One merge pass over the sorted days and the runs.
        """
        firsts, lasts, before = self._firsts, self._lasts, self._before
        out: list[int] = []
        i, n = 0, len(firsts)
        for o in sorted({d.toordinal() for d in days}):
            while i < n and lasts[i] < o:
                i += 1
            if i == n:
                break
            if o >= firsts[i]:
                out.append(before[i] + o - firsts[i])
        return out

    def ordinals(self) -> set[int]:
        """Every open day as an ordinal (built from ``range``s: no loop per day in Python)."""
        if len(self._firsts) == 1:
            return set(range(self._firsts[0], self._lasts[0] + 1))
        return set(itertools.chain.from_iterable(
            range(a, b + 1) for a, b in zip(self._firsts, self._lasts, strict=True)))

    def unrecorded(self, recorded: Iterable[dt.date], sample: int = 10) -> Unrecorded | None:
        """The open days not in ``recorded`` (None when there are none).

        A set difference of ordinals; only the missing days (usually few) are
        then looked at one by one, for their ranks among the open days.
        """
        if (len(self._firsts) == 1 and isinstance(recorded, set | frozenset)
                and len(recorded) == self._total and recorded
                and min(recorded).toordinal() >= self._firsts[0]
                and max(recorded).toordinal() <= self._lasts[0]):
            return None  # as many distinct days as the one run has, all inside it: every one
        missing = sorted(self.ordinals().difference(map(dt.date.toordinal, recorded)))
        if not missing:
            return None
        # With one run, consecutive ordinals are consecutive open days; else compare ranks.
        ranks = missing if len(self._firsts) == 1 else list(map(self._rank, missing))
        longest = run = 0
        previous = -2
        for k in ranks:
            run = run + 1 if k == previous + 1 else 1
            longest = max(longest, run)
            previous = k
        return Unrecorded(count=len(missing),
                          first=tuple(map(dt.date.fromordinal, missing[:sample])),
                          last=dt.date.fromordinal(missing[-1]), longest=longest)

    def open_weeks(self, first_monday: dt.date, weeks: int) -> set[int]:
        """Indexes k < ``weeks`` of the weeks (``first_monday`` + 7k, Monday to Sunday)
        with at least one open day: a range of weeks per run."""
        m0 = first_monday.toordinal()
        out: set[int] = set()
        for first, last in zip(self._firsts, self._lasts, strict=True):
            # Week k meets the run when m0 + 7k <= last and m0 + 7k + 6 >= first.
            lo = max(0, -((m0 + 6 - first) // 7))
            hi = min(weeks - 1, (last - m0) // 7)
            if lo <= hi:
                out.update(range(lo, hi + 1))
        return out

    def day_at(self, rank: int) -> dt.date:
        """The open day with ``rank`` open days before it (0 is the first)."""
        if not 0 <= rank < self._total:
            raise IndexError(rank)
        i = bisect.bisect_right(self._before, rank) - 1
        return dt.date.fromordinal(self._firsts[i] + rank - self._before[i])


def _subtract(runs: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    for first, last in runs:
        if last < lo or first > hi:
            out.append((first, last))
            continue
        if first < lo:
            out.append((first, lo - 1))
        if last > hi:
            out.append((hi + 1, last))
    return out


def _subtract_weekdays(runs: list[tuple[int, int]], lo: int, hi: int,
                       closed: frozenset[int]) -> list[tuple[int, int]]:
    """``runs`` without the days of [lo, hi] falling on the ``closed`` weekdays."""
    out = []
    for first, last in runs:
        a, b = max(first, lo), min(last, hi)
        if a > b:
            out.append((first, last))
            continue
        # The closed days of [a, b]: one arithmetic progression (step 7) per weekday.
        shut = sorted(o for w in closed for o in range(a + (w - _weekday(a)) % 7, b + 1, 7))
        start = first
        for o in shut:
            if start < o:
                out.append((start, o - 1))
            start = o + 1
        if start <= last:
            out.append((start, last))
    return out


def open_calendar(op: Operator, start: dt.date, end: dt.date, closures: Sequence[DutyClosure],
                  shifts: Sequence[WorkShift] | None) -> OpenDays:
    """The operator's operating days in [start, end] (see :func:`duties.open_days`).

    Open between its opening and closing dates, not closed by a
    ``duty_closure`` and, when ``shifts`` (its roster in the span) is not
    empty, a day someone worked.
    """
    lo, hi = start.toordinal(), end.toordinal()
    if op.opened_on is not None:
        lo = max(lo, op.opened_on.toordinal())
    if op.closed_on is not None:
        hi = min(hi, op.closed_on.toordinal() - 1)
    runs = [(lo, hi)] if lo <= hi else []
    for c in closures:
        if not runs:
            break
        c_lo = c.start_on.toordinal()
        c_hi = c.end_on.toordinal() if c.end_on is not None else _FAR
        if c_hi < lo or c_lo > hi:
            continue
        if not c.weekdays:
            runs = _subtract(runs, c_lo, c_hi)
        else:
            closed = frozenset(i for i, code in enumerate(WEEKDAYS) if code in c.weekdays)
            if closed:
                runs = _subtract_weekdays(runs, c_lo, c_hi, closed)
    if shifts:
        calendar = OpenDays(runs)
        worked = sorted({s.worked_on for s in shifts})
        runs = [(o, o) for o in (day.toordinal() for day in worked if day in calendar)]
    return OpenDays(runs)


class Weeks:
    """The weeks (Monday to Sunday) lying wholly in a span, numbered 0, 1, ... ``count - 1``.

    Week arithmetic on day ordinals: which week a day falls in, the weeks a
    staff member held a post in, a week's Monday.
    """

    __slots__ = ("_m0", "count", "first_monday")

    def __init__(self, span: Period) -> None:
        start = span.start.toordinal()
        self._m0 = start + (7 - _weekday(start)) % 7
        self.first_monday = dt.date.fromordinal(self._m0)
        self.count = max(0, (span.end.toordinal() - 6 - self._m0) // 7 + 1)

    def index(self, day: dt.date) -> int:
        """The number of ``day``'s week (outside [0, count) for a day in no full week)."""
        return (day.toordinal() - self._m0) // 7

    def monday(self, k: int) -> dt.date:
        """The Monday of week ``k``."""
        return dt.date.fromordinal(self._m0 + 7 * k)

    def held(self, staff: Iterable[StaffMember], roles: Collection[StaffRole]) -> set[int]:
        """The weeks in which someone of ``staff`` in one of ``roles`` held the post on at
        least one day (joined on or before the Sunday, not left by the Monday)."""
        m0, out = self._m0, set[int]()
        for p in staff:
            if p.role not in roles:
                continue
            lo = 0 if p.joined_on is None else max(0, -((m0 + 6 - p.joined_on.toordinal()) // 7))
            hi = self.count if p.left_on is None else min(
                self.count, -((m0 - p.left_on.toordinal()) // 7))
            out.update(range(lo, hi))
        return out


def full_months(span: Period) -> Iterator[tuple[dt.date, dt.date]]:
    """(first, last day) of the calendar months lying wholly in ``span``."""
    year, month = span.start.year, span.start.month
    if span.start.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while True:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if last > span.end:
            return
        yield first, last
        year, month = nxt.year, nxt.month
