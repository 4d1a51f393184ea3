"""Recurrence: ``count`` or more records for a subject within a window ending on ``as_of``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._rules import Param
from fsrules.shapes._base import (
    Hit,
    Records,
    Shape,
    check_unit,
    dated,
    describe_value,
    param_value,
    window,
)

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = ["Recurrence"]


@attrs.frozen(kw_only=True)
class Recurrence(Shape):
    """A finding for each subject with at least ``count`` ``records`` in the window.

    The values measured: ``records`` (the kind), ``count`` (how many),
    ``min_count``, ``window``, ``unit``, ``window_start``, ``first_on``,
    ``last_on`` and ``record_ids``.
    """

    SHAPE = "recurrence"

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
            found = dated(lookup(self.scope.key_of(subject)), span.start, ctx.as_of)
            if len(found) < least:
                continue
            values: dict[str, Any] = {
                "records": self.records.kind, "count": len(found), "min_count": least,
                "window": length, "unit": self.unit, "window_start": span.start,
                "first_on": found[0].fact_date, "last_on": found[-1].fact_date,
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
