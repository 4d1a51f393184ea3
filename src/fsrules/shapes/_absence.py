"""Absence: nothing recorded for a subject within a window ending on ``as_of``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._rules import Param
from fsrules.shapes._base import Hit, Records, Shape, check_unit, dated, describe_value, window

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = ["Absence"]


@attrs.frozen(kw_only=True)
class Absence(Shape):
    """A finding for each subject with no ``records`` in the last ``window`` ``unit``.

    ``window`` is a :class:`~fsrules.Param` (or a fixed number); ``since``
    names the subject's date field from which records are due (an operator
    opened inside the window is not yet overdue). The values measured:
    ``records`` (the kind), ``window``, ``unit``, ``window_start``,
    ``last_on`` (the latest earlier record, or None) and ``days_since``.
    """

    SHAPE = "absence"

    records: Records
    window: Param | int
    unit: str = attrs.field(default="days", converter=check_unit)
    since: str | None = None

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        lookup = self.records.lookup(ctx)
        for subject in self.scope.subjects(ctx):
            day = self.scope.day(ctx, subject)
            length = self._length(ctx, day)
            span = window(ctx.as_of, length, self.unit)
            started = getattr(subject, self.since) if self.since else None
            if isinstance(started, dt.date) and started > span.start:
                continue  # not yet a whole window: nothing is due
            mine = dated(lookup(self.scope.key_of(subject)), None, ctx.as_of)
            if any(f.fact_date is not None and f.fact_date >= span.start for f in mine):
                continue
            last = mine[-1] if mine else None
            last_on = None if last is None else last.fact_date
            values: dict[str, Any] = {
                "records": self.records.kind, "window": length, "unit": self.unit,
                "window_start": span.start, "last_on": last_on,
                "days_since": None if last_on is None else (ctx.as_of - last_on).days,
            }
            yield self.hit(ctx, subject, () if last is None else (last,), values, day,
                           period=span)

    def _length(self, ctx: RuleContext, day: dt.date) -> int:
        value = ctx.param(self.window.name, on=day) if isinstance(self.window, Param) else (
            self.window)
        return int(value)

    def own_parameters(self) -> tuple[Param, ...]:
        return ((self.window,) if isinstance(self.window, Param) else ()) + (
            self.records.parameters)

    def own_reads(self) -> tuple[str, ...]:
        return (self.records.kind,)

    def describe_own(self) -> dict[str, Any]:
        return {"records": self.records.describe(), "window": describe_value(self.window),
                "unit": self.unit, "since": self.since}
