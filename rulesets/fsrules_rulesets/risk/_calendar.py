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
from collections.abc import Iterable, Iterator, Sequence

import attrs

from fsrules import Period
from fsrules.model import Operator, WorkShift

from .facts import WEEKDAYS, DutyClosure

__all__ = ["OpenDays", "Unrecorded", "full_months", "full_weeks", "open_calendar"]

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
        o = day.toordinal()
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

    def unrecorded(self, recorded: Iterable[dt.date], sample: int = 10) -> Unrecorded | None:
        """The open days not in ``recorded`` (None when there are none).

        Worked out from the ranks of the recorded days among the open days:
        the unrecorded ranks are the gaps between them.
        """
        ranks = self.ranks(recorded)
        bounds = [-1, *ranks, self._total]
        gaps = [(a, b) for a, b in itertools.pairwise(bounds) if b - a > 1]
        if not gaps:
            return None
        first: list[dt.date] = []
        for a, b in gaps:
            first.extend(self.day_at(k) for k in range(a + 1, min(b, a + 1 + sample - len(first))))
            if len(first) >= sample:
                break
        return Unrecorded(count=self._total - len(ranks), first=tuple(first),
                          last=self.day_at(gaps[-1][1] - 1),
                          longest=max(b - a - 1 for a, b in gaps))

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


def full_weeks(span: Period) -> Iterator[dt.date]:
    """Mondays of the weeks (Mon–Sun) lying wholly in ``span``."""
    monday = span.start + dt.timedelta(days=(7 - span.start.weekday()) % 7)
    while monday + dt.timedelta(days=6) <= span.end:
        yield monday
        monday += dt.timedelta(days=7)


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
