"""Threshold: a metric derived from the facts compared with a parameter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._findings import Finding, Period
from fsrules._rules import Param
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import Fact
from fsrules.shapes._base import Hit, Records, Shape, callable_name, describe_value
from fsrules.shapes._evidence import ThresholdEvidence

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = ["Threshold", "exact"]

#: How the metric must compare with the limit to pass.
COMPARISONS = (">=", "<=", ">", "<")


def exact(value: float | int | Fraction) -> Fraction:
    """The decimal value a person wrote (98.6 is 493/5, not the nearest binary float)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def _comparison(value: str) -> str:
    if value not in COMPARISONS:
        raise RuleDefinitionError(f"comparison {value!r} is not one of {', '.join(COMPARISONS)}")
    return value


def passes(value: float | int | Fraction, comparison: str, limit: float | int | Fraction
           ) -> bool:
    """True when ``value comparison limit`` holds, compared exactly."""
    have, want = exact(value), exact(limit)
    return {">=": have >= want, "<=": have <= want, ">": have > want,
            "<": have < want}[comparison]


@attrs.frozen(kw_only=True)
class Threshold(Shape):
    """A finding for each measured metric that does not meet ``limit``.

    ``measure`` selects the facts carrying the metric per subject (a
    derived indicator, an assessment...; None: the subject itself);
    ``value`` is the metric of one such fact (a field name or a function
    returning a number, or None when it cannot be judged); the metric must
    be ``comparison`` ``limit`` (a :class:`~fsrules.Param`) to pass,
    compared exactly. ``unknown(hit)`` reports a subject without a measure
    (``hit.facts`` empty) or with a metric that cannot be judged (or None:
    nothing); ``period(fact)`` is the finding's period. The values
    measured: ``value``, ``threshold`` and ``comparison``.
    """

    SHAPE = "threshold"
    EVIDENCE = ThresholdEvidence

    limit: Param
    value: str | Callable[[Fact], Any]
    measure: Records | None = None
    comparison: str = attrs.field(default=">=", converter=_comparison)
    unknown: Callable[[Hit], Finding | None] | None = None
    period: Callable[[Fact], Period] | None = None

    def has_hooks(self) -> bool:
        return super().has_hooks() or self.unknown is not None

    def metric(self, fact: Fact) -> Any:
        """The metric of one measured fact (None: it cannot be judged)."""
        if isinstance(self.value, str):
            return getattr(fact, self.value)
        return self.value(fact)

    def __call__(self, ctx: RuleContext) -> Iterator[Finding]:
        for hit in self.hits(ctx):
            if hit.values.get("value") is None:
                found = self.unknown(hit) if self.unknown is not None else None
            else:
                found = self.finding(hit) if self.finding is not None else hit.finding()
            if found is not None:
                yield found

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        """Metrics that fail the threshold, and metrics that cannot be judged (value None)."""
        # A rule cannot run without its threshold: read on as_of it is read first (a
        # missing one skips the rule); read on each subject's day, when it is needed.
        early = ctx.param(self.limit.name) if self.scope.params_on is None else None
        lookup = self.measure.lookup(ctx) if self.measure is not None else None
        for subject in self.scope.subjects(ctx):
            day = self.scope.day(ctx, subject)
            measured = (sorted(lookup(self.scope.key_of(subject)), key=lambda f: f.id)
                        if lookup is not None else [subject])
            if not measured:
                yield self.hit(ctx, subject, (), self._values(None, None), day)
                continue
            limit: Any = early
            for fact in measured:
                value = self.metric(fact)
                period = self.period(fact) if self.period is not None else None
                facts = () if fact is subject else (fact,)
                if value is None:
                    yield self.hit(ctx, subject, facts, self._values(None, None), day,
                                   period=period)
                    continue
                if limit is None:
                    limit = ctx.param(self.limit.name, on=day)
                if passes(value, self.comparison, limit):
                    continue
                yield self.hit(ctx, subject, facts, self._values(value, limit), day,
                               period=period)

    def _values(self, value: Any, limit: Any) -> dict[str, Any]:
        shown = None if value is None else (
            float(value) if isinstance(value, Fraction) else value)
        return {"value": shown, "threshold": limit, "comparison": self.comparison}

    def own_parameters(self) -> tuple[Param, ...]:
        return (self.limit, *(self.measure.parameters if self.measure else ()))

    def own_reads(self) -> tuple[str, ...]:
        return (self.measure.kind,) if self.measure is not None else ()

    def describe_own(self) -> dict[str, Any]:
        return {"measure": None if self.measure is None else self.measure.describe(),
                "value": self.value if isinstance(self.value, str)
                else callable_name(self.value),
                "limit": describe_value(self.limit), "comparison": self.comparison,
                "unknown": callable_name(self.unknown), "period": callable_name(self.period)}
