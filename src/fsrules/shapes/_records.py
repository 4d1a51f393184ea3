"""Shapes over a subject's dated records: Absence (none for too long), Recurrence (k or more)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._rules import Param
from fsrules.model import Fact
from fsrules.shapes._base import (
    Hit,
    Records,
    Shape,
    check_unit,
    dated,
    describe_value,
    latest,
    param_value,
    shift,
    window,
)
from fsrules.shapes._evidence import AbsenceEvidence, RecurrenceEvidence

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = ["Absence", "Recurrence"]


def _day_getter(records: Records) -> Callable[[Fact], dt.date | None] | None:
    """``records``' own dating, or None for the kind's date (the fast path)."""
    return None if records.date is None else records.day_of


@attrs.frozen(kw_only=True)
class Absence(Shape):
    """A finding for each subject whose next record is overdue.

    The next record is due ``window`` ``unit`` after the latest one dated
    on or before ``as_of`` (or, with none, after the subject's ``since``
    date field, e.g. ``"opened_on"``; with neither, it is due already);
    it is overdue when ``as_of`` is after that day. ``not_before``: nothing
    falls due before this day (an instrument's first day). ``window`` is a
    :class:`~fsrules.Param` or a fixed number. The values measured:
    ``records`` (the kind), ``window``, ``unit``, ``last_on`` (None: no
    record), ``last_id``, ``due_on`` (None: no date to count from),
    ``days_since`` and ``days_overdue``; ``due_date`` is ``due_on``.
    """

    SHAPE = "absence"
    EVIDENCE = AbsenceEvidence

    records: Records
    window: Param | int
    unit: str = attrs.field(default="days", converter=check_unit)
    since: str | None = None
    not_before: dt.date | None = None

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        lookup = self.records.lookup(ctx)
        for subject in self.scope.subjects(ctx):
            day = self.scope.day(ctx, subject)
            length = int(param_value(ctx, self.window, day))
            getter = _day_getter(self.records)
            if getter is None:  # the kind's own date: the latest without sorting them all
                last = latest(lookup(self.scope.key_of(subject)), ctx.as_of)
                last_on = None if last is None else last.fact_date
            else:
                mine = dated(lookup(self.scope.key_of(subject)), None, ctx.as_of, getter)
                last = mine[-1] if mine else None
                last_on = None if last is None else self.records.day_of(last)
            anchor = last_on if last_on is not None else (
                getattr(subject, self.since) if self.since else None)
            if isinstance(anchor, dt.datetime):
                anchor = anchor.date()
            due = None if anchor is None else shift(anchor, length, self.unit)
            if due is not None and self.not_before is not None:
                due = max(due, self.not_before)
            if due is not None and ctx.as_of <= due:
                continue
            values: dict[str, Any] = {
                "records": self.records.kind, "window": length, "unit": self.unit,
                "last_on": last_on, "last_id": None if last is None else last.id,
                "due_on": due,
                "days_since": None if last_on is None else (ctx.as_of - last_on).days,
                "days_overdue": None if due is None else (ctx.as_of - due).days,
            }
            yield self.hit(ctx, subject, () if last is None else (last,), values, day,
                           due_date=due)

    def own_parameters(self) -> tuple[Param, ...]:
        return ((self.window,) if isinstance(self.window, Param) else ()) + (
            self.records.parameters)

    def own_reads(self) -> tuple[str, ...]:
        return (self.records.kind,)

    def describe_own(self) -> dict[str, Any]:
        return {"records": self.records.describe(), "window": describe_value(self.window),
                "unit": self.unit, "since": self.since,
                "not_before": None if self.not_before is None else self.not_before.isoformat()}


@attrs.frozen(kw_only=True)
class Recurrence(Shape):
    """A finding for each subject with at least ``count`` ``records`` in the window.

    The values measured: ``records`` (the kind), ``count`` (how many),
    ``min_count``, ``window``, ``unit``, ``window_start``, ``first_on``,
    ``last_on`` and ``record_ids``.
    """

    SHAPE = "recurrence"
    EVIDENCE = RecurrenceEvidence

    records: Records
    count: Param | int
    window: Param | int
    unit: str = attrs.field(default="days", converter=check_unit)

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        lookup = self.records.lookup(ctx)
        for subject in self.scope.subjects(ctx):
            day = self.scope.day(ctx, subject)
            least = int(param_value(ctx, self.count, day))
            length = int(param_value(ctx, self.window, day))
            span = window(ctx.as_of, length, self.unit)
            found = dated(lookup(self.scope.key_of(subject)), span.start, ctx.as_of,
                          _day_getter(self.records))
            if len(found) < least:
                continue
            values: dict[str, Any] = {
                "records": self.records.kind, "count": len(found), "min_count": least,
                "window": length, "unit": self.unit, "window_start": span.start,
                "first_on": self.records.day_of(found[0]),
                "last_on": self.records.day_of(found[-1]),
                "record_ids": [f.id for f in found],
            }
            yield self.hit(ctx, subject, found, values, day, period=span)

    def own_parameters(self) -> tuple[Param, ...]:
        own = tuple(p for p in (self.count, self.window) if isinstance(p, Param))
        return own + self.records.parameters

    def own_reads(self) -> tuple[str, ...]:
        return (self.records.kind,)

    def describe_own(self) -> dict[str, Any]:
        return {"records": self.records.describe(), "count": describe_value(self.count),
                "window": describe_value(self.window), "unit": self.unit}
