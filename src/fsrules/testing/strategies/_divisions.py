"""Division codes in use on a date, from the GB/T 2260 history bundled in fsrules.identifiers."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Mapping, Sequence
from importlib import resources

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from fsrules.identifiers import DivisionRegistry
from fsrules.testing.strategies._common import _NOT_MAINLAND


@functools.cache
def _registry() -> DivisionRegistry:
    return DivisionRegistry()


_Span = tuple[int, int | None, str, str]  # start_year, end_year, level, name


@functools.cache
def _division_rows() -> Mapping[str, tuple[_Span, ...]]:
    """The bundled history, read through importlib.resources (the registry has no listing API)."""
    text = (resources.files("fsrules.identifiers").joinpath("data", "divisions.csv")
            .read_text(encoding="utf-8"))
    rows: dict[str, list[_Span]] = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        if row["code"][:2] in _NOT_MAINLAND:
            continue
        end = int(row["end_year"]) if row["end_year"] else None
        rows.setdefault(row["code"], []).append(
            (int(row["start_year"]), end, row["level"], row["name"]))
    return {code: tuple(sorted(spans, key=lambda s: s[0])) for code, spans in rows.items()}


def _clamp_year(year: int) -> int:
    first, last = _registry().coverage
    return min(max(year, first), max(first, last))


def _covers(spans: Sequence[_Span], first: int, last: int) -> bool:
    year = first
    for start, end, _level, _name in spans:
        if start <= year and (end is None or end > year):
            if end is None or end > last:
                return True
            year = end
    return False


@functools.cache
def _codes_in_use(first_year: int, last_year: int, level: str) -> tuple[str, ...]:
    """Codes of ``level`` in use in every year from ``first_year`` to ``last_year``."""
    first, last = _clamp_year(first_year), _clamp_year(last_year)
    found = [code for code, spans in _division_rows().items()
             if _covers([s for s in spans if s[2] == level], first, last)]
    return tuple(sorted(found))


def _stable_codes(start: dt.date, end: dt.date, level: str = "county") -> tuple[str, ...]:
    codes = _codes_in_use(start.year, end.year, level)
    if not codes:  # pragma: no cover - the bundled history always has some
        raise InvalidArgument(f"no {level} division code is in use from {start} to {end}")
    return codes


def _division_name(code: str, year: int) -> str:
    spans = _division_rows().get(code[:6], ())
    year = _clamp_year(year)
    for start, end, _level, name in spans:
        if start <= year and (end is None or year < end):
            return name
    return spans[-1][3] if spans else code


def _parent_code(code: str, start: dt.date, end: dt.date) -> str | None:
    """The prefecture (else province) record in use over the period, if any."""
    for parent, level in ((code[:4] + "00", "prefecture"), (code[:2] + "0000", "province")):
        if parent != code and parent in _codes_in_use(start.year, end.year, level):
            return parent
    return None


def _codes_on(day: dt.date | None, lo: dt.date, hi: dt.date) -> SearchStrategy[str]:
    """County codes in use on ``day``; without a day, in use over the whole [lo, hi]."""
    if day is None:
        return st.sampled_from(_stable_codes(lo, hi))
    return st.sampled_from(_stable_codes(day, day))
