"""Exact arithmetic without fractions: ``exact_sum`` (decimal addition that never rounds)
equals summing ``exact`` fractions; ``prorated`` (integer ceiling) equals ceil of the fraction."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules_rulesets._numbers import exact, exact_sum
from fsrules_rulesets.risk._common import prorated

VALUES = st.lists(st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False)
                  | st.integers(0, 10**30) | st.sampled_from([0.1, 0.2, 0.3, 2.5, 1e-300, 5e-324]),
                  max_size=30)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(values=VALUES)
def test_exact_sum_equals_the_sum_of_exact_values(values: list[float | int]) -> None:
    expected = sum((exact(v) for v in values), exact(0))
    total = exact_sum(values)
    assert total == expected
    assert float(total) == float(expected)


def test_exact_sum_does_not_round_like_floats() -> None:
    assert exact_sum([0.1, 0.2]) == exact(0.3) != exact(0.1 + 0.2)
    assert exact_sum([1e300, 1e-300]) > exact(1e300)
    assert exact_sum([]) == 0


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(count=st.integers(-3, 400), covered=st.integers(-5, 800), window=st.integers(-5, 800))
def test_prorated_is_the_exact_ceiling(count: int, covered: int, window: int) -> None:
    """Integer ceiling division equals rounding the exact fraction up."""
    expected = 0 if covered <= 0 or window <= 0 or count <= 0 else math.ceil(
        Fraction(count * min(covered, window), window))
    assert prorated(count, covered, window) == expected
