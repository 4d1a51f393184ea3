"""Judging a measured indicator against its threshold, exactly, with its gap in its own units.

Comparisons are exact (fractions of the recorded integers and of the
decimal values people wrote), as the plan words them: "≥ 4 批次/千人" passes
at exactly 4. Values shown next to a threshold are rounded away from it
(``_numbers``), so a finding never reads "98% is below 98%".
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import attrs

from fsrules import Text

from .._numbers import ceil_to, exact, floor_to
from .facts import DemoIndicator
from .vocabulary import IndicatorSpec

__all__ = ["Judgement", "actual", "gap_text", "judge", "number"]


@attrs.frozen(kw_only=True)
class Judgement:
    """The outcome of comparing one indicator with its threshold."""

    passed: bool
    value: float
    gap: float
    gap_text: Text
    gap_kind: str = "points"
    """How the gap is counted: the indicator's own way, or ``points`` of its value."""
    extra: dict[str, Any] = attrs.field(factory=dict)


def number(value: float | Fraction | None) -> float | int | None:
    """A count as an int (2400 not 2400.0), anything else as a float."""
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def actual(spec: IndicatorSpec, ind: DemoIndicator) -> Fraction | None:
    """The exact value: numerator ÷ denominator × scale for rates, else the value."""
    if spec.scale > 1 and ind.numerator is not None and ind.denominator:
        return exact(ind.numerator) * spec.scale / exact(ind.denominator)
    return None if ind.value is None else exact(ind.value)


def _ceil(value: Fraction) -> int:
    return math.ceil(value)


def _points_text(spec: IndicatorSpec) -> Text:
    if spec.is_percent:
        return Text(f"{spec.title.zh}差 {{gap}} 个百分点", "{gap} percentage points short")
    return Text(f"{spec.title.zh}差 {{gap}} {spec.unit.zh}", f"{{gap}} {spec.unit.en} short")


def gap_text(spec: IndicatorSpec, kind: str, gap: float | int,
             hours_short: float | int | None = None) -> Text:
    """The gap in words: the indicator's own phrase, or points short of its value."""
    text = spec.gap_text if kind == spec.gap or spec.gap == "points" else _points_text(spec)
    return text.format(gap=gap, hours="" if hours_short is None else hours_short)


def judge(spec: IndicatorSpec, ind: DemoIndicator, threshold: float) -> Judgement | None:
    """Compare ``ind`` with ``threshold``; None when there is no figure to judge.

    The gap is what it would take to meet the threshold, in the
    indicator's own units: batches still to sample (per 1000), units still
    to cover or dispose of (rates with a numerator and denominator),
    points or percentage points (recorded values), cases too many, persons
    below the hours.
    """
    value = actual(spec, ind)
    if value is None:
        return None
    limit = exact(threshold)
    passed = value >= limit if spec.at_least else value <= limit
    shown = floor_to(float(value)) if spec.at_least else ceil_to(float(value))
    if passed:
        return Judgement(passed=True, value=shown, gap=0, gap_text=Text("", ""))
    extra: dict[str, Any] = {}
    kind = spec.gap
    has_ratio = ind.numerator is not None and bool(ind.denominator)
    if spec.gap == "per_1000" and has_ratio:
        assert ind.numerator is not None and ind.denominator is not None
        required = _ceil(limit * exact(ind.denominator) / 1000)
        gap: float = required - int(ind.numerator)
        extra["required_batches"] = required
    elif spec.gap == "count" and has_ratio:
        assert ind.numerator is not None and ind.denominator is not None
        gap = _ceil(limit / spec.scale * exact(ind.denominator) - exact(ind.numerator))
    elif spec.gap == "persons" and ind.items:
        exacts = {h: exact(h) for h in set(ind.item_values)}  # few distinct hours
        short = [(i, h) for i, h in zip(ind.items, ind.item_values, strict=True)
                 if exacts[h] < limit]
        gap = len(short)
        hours = sum((limit - exacts[h] for _, h in short), Fraction(0))
        extra["hours_short"] = number(ceil_to(float(hours)))
        extra["persons_short"] = [i for i, _ in short]
        extra["persons"] = len(ind.items)
    elif spec.gap == "excess":
        gap = float(value - limit)
    else:
        gap = ceil_to(float(limit - value if spec.at_least else value - limit))
        kind = "points"
    gap_number = number(gap)
    assert gap_number is not None
    return Judgement(passed=False, value=shown, gap=gap_number, gap_kind=kind,
                     gap_text=gap_text(spec, kind, gap_number, extra.get("hours_short")),
                     extra=extra)
