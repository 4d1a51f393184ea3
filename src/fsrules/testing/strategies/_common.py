"""Shared pieces of the strategies: the default date range and argument checks."""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from fsrules.identifiers import DivisionLevel
from fsrules.model import (
    Fact,
)

F = TypeVar("F", bound=Fact)

_MIN_DATE = dt.date(2015, 1, 1)
_MAX_DATE = dt.date(2024, 12, 31)
# Bundles cover the five years before as_of (a 3-year veto window plus room).
_BUNDLE_DAYS = 5 * 365
_BUNDLE_MIN_AS_OF = dt.date(2018, 1, 1)
_LEVELS: tuple[DivisionLevel, ...] = ("province", "prefecture", "county")
# Taiwan, Hong Kong and Macao have GB/T 2260 records but no mainland regulator.
_NOT_MAINLAND = ("71", "81", "82")


# --------------------------------------------------------------------------- argument checks


def _fail(where: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{where}: {message}")


def _check_strategy(where: str, name: str, value: object) -> SearchStrategy[Any]:
    if not isinstance(value, SearchStrategy):
        raise _fail(where, f"{name} must be a strategy, got {value!r}; to fix the value, "
                           f"pass {name}=st.just({value!r})")
    return value


def _check_date(where: str, name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _fail(where, f"{name} must be a datetime.date, got {value!r}")
    return value


def _check_bounds(where: str, min_value: dt.date | None, max_value: dt.date | None,
                  names: tuple[str, str] = ("min_date", "max_date"),
                  ) -> tuple[dt.date, dt.date]:
    lo = _MIN_DATE if min_value is None else _check_date(where, names[0], min_value)
    hi = _MAX_DATE if max_value is None else _check_date(where, names[1], max_value)
    if min_value is not None and max_value is None and lo > hi:
        hi = max(lo, dt.date(lo.year, 12, 31))  # the default adjusts to a late min_value
    if max_value is not None and min_value is None and lo > hi:
        lo = min(hi, dt.date(hi.year, 1, 1))
    if lo > hi:
        raise _fail(where, f"{names[0]}={lo} is after {names[1]}={hi}")
    return lo, hi


def _check_int(where: str, name: str, value: object, *, minimum: int,
               maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"{name} must be an int, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise _fail(where, f"{name} must be at least {minimum}{upper}, got {value}")
    return value


def _check_number(where: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise _fail(where, f"{name} must be finite, got {value!r}")
    return float(value)


def _date_source(where: str, name: str, value: object,
                 default: SearchStrategy[dt.date]) -> SearchStrategy[dt.date]:
    """A date, a strategy of dates, or None (the default strategy)."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value.map(functools.partial(_drawn_date, where, name))
    return st.just(_check_date(where, name, value))


def _drawn_date(where: str, name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _fail(where, f"the {name} strategy drew {value!r}, not a datetime.date")
    return value
