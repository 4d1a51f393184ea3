"""Exact comparisons and honest rounding for thresholds.

A rate is compared exactly (as a fraction of integers), and a value shown
next to a threshold is rounded *away from* the threshold, so a finding never
reads "98% is below 98%".
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_FLOOR,
    Context,
    Decimal,
    Inexact,
)
from fractions import Fraction

#: Decimal places shown for rates and scores in evidence and messages.
PLACES = 4


def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def floor_to(value: float, places: int = PLACES) -> float:
    """``value`` rounded down to ``places`` decimals (exactly, via its decimal repr)."""
    return float(Decimal(repr(value)).quantize(_quantum(places), rounding=ROUND_FLOOR))


def ceil_to(value: float, places: int = PLACES) -> float:
    """``value`` rounded up to ``places`` decimals."""
    return float(Decimal(repr(value)).quantize(_quantum(places), rounding=ROUND_CEILING))


def exact(value: float | int) -> Fraction:
    """The decimal value a person wrote (98.6 is 493/5, not the nearest binary float)."""
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


#: Decimal arithmetic that never rounds (and says so if it had to).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])


def exact_sum(values: Iterable[float | int]) -> Fraction:
    """``sum(exact(v) for v in values)``, added as decimals (one fraction at the end).

    The same exact value: each term is the decimal a person wrote, and the
    decimal context never rounds.
    """
    total = Decimal(0)
    for value in values:
        total = _EXACT.add(total, Decimal(repr(value)) if isinstance(value, float)
                           else Decimal(value))
    return Fraction(total)


def rate_below(numerator: int, denominator: int, threshold_percent: float) -> bool:
    """True when numerator/denominator × 100 is strictly below ``threshold_percent``."""
    return Fraction(numerator * 100, denominator) < exact(threshold_percent)


def percent(numerator: int, denominator: int) -> Fraction:
    """numerator/denominator × 100 as an exact fraction."""
    return Fraction(numerator * 100, denominator)
