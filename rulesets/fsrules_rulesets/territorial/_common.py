"""What every territorial rule needs: the county's townships, subjects, calendar periods.

Readings (docs/territorial.md explains each):

* a **county** is judged when the input has townships under it
  (``territorial_township.county_code``) or it records oversight events; its
  subject is its ``region`` fact, or a bare region subject when there is none;
* an operator belongs to a township when its ``乡镇`` names it (the
  township's ``name``) and it lies in the township's county;
* a record names a township by its id; its name is accepted too;
* calendar periods (months, quarters, years) are judged once complete: a period
  counts when it ends on or before ``as_of`` and its end lies in the look-back
  window (``window_months``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from fsrules import FactSet, Period, Subject
from fsrules.model import Operator, Region
from fsrules_rulesets._window import window, window_param

from .facts import Department, OversightEvent, Township

__all__ = [
    "COUNTY_OFFICE",
    "MARKET",
    "TOWNSHIP_GOV",
    "Townships",
    "calendar_periods",
    "counties",
    "department_subject",
    "period_label",
    "quarter_of",
    "township_subject",
    "window",
    "window_param",
]

#: 县食药安办 / 县食安委办公室: the office that keeps the county's territorial records.
COUNTY_OFFICE = ("县食药安办",)
MARKET = ("县市场监管局",)
TOWNSHIP_GOV = ("乡镇人民政府",)


def township_subject(town: Township) -> Subject:
    """The finding subject for a township (kind ``township``)."""
    return Subject(kind="township", id=town.id, name=town.name, region_code=town.county_code)


def department_subject(dep: Department) -> Subject:
    """The finding subject for a department (kind ``department``)."""
    return Subject(kind="department", id=dep.id, name=dep.name, region_code=dep.region_code)


class Townships:
    """The townships in a FactSet, their operators, and look-ups by id or name."""

    def __init__(self, facts: FactSet) -> None:
        self.all: tuple[Township, ...] = tuple(sorted(facts.of_kind(Township),
                                                      key=lambda t: t.id))
        self._by_id = {t.id: t for t in self.all}
        self._by_name = {(t.county_code, t.name): t for t in self.all}
        names: dict[str, list[Township]] = defaultdict(list)
        for t in self.all:
            names[t.name].append(t)
        self._unique_name = {n: ts[0] for n, ts in names.items() if len(ts) == 1}
        self._operators: dict[str, list[Operator]] = defaultdict(list)
        for op in facts.of_kind(Operator):
            town = self._by_name.get((op.region_code, op.township or ""))
            if town is not None:
                self._operators[town.id].append(op)

    def get(self, ref: str | None) -> Township | None:
        """The township with id ``ref``, else the only township named ``ref``."""
        if not ref:
            return None
        return self._by_id.get(ref) or self._unique_name.get(ref)

    def of_county(self, code: str) -> tuple[Township, ...]:
        """The townships of county ``code``, by id."""
        return tuple(t for t in self.all if t.county_code == code)

    def operators(self, town: Township) -> tuple[Operator, ...]:
        """The operators located in ``town``, by id."""
        return tuple(sorted(self._operators.get(town.id, ()), key=lambda o: o.id))

    def of_operator(self, op: Operator) -> Township | None:
        """The township ``op`` is located in, if known."""
        return self._by_name.get((op.region_code, op.township or ""))


def counties(facts: FactSet) -> Iterator[Subject]:
    """The counties to judge: those with townships or oversight events, by code."""
    codes = {t.county_code for t in facts.of_kind(Township)}
    codes |= {e.region_code for e in facts.of_kind(OversightEvent)}
    for code in sorted(codes):
        region = facts.get(Region, code)
        if region is None:
            region = next((r for r in facts.of_kind(Region) if r.code == code), None)
        if region is not None:
            yield Subject.of(region)
        else:
            yield Subject(kind="region", id=code, name=code, region_code=code)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _from_index(index: int) -> dt.date:
    y, m = divmod(index, 12)
    return dt.date(y, m + 1, 1)


def calendar_periods(months: int, as_of: dt.date, within: Period) -> list[Period]:
    """Complete calendar periods of ``months`` months (1, 3, 6 or 12) ending in ``within``.

    Periods are aligned on the calendar year (quarters start in January,
    April, July, October). A period counts when it ends on or before
    ``as_of`` and its last day lies in ``within``.
    """
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"a cadence period of {months} months does not divide the year")
    out: list[Period] = []
    first = _month_index(within.start) - (_month_index(within.start) % months)
    index = first
    while True:
        start = _from_index(index)
        end = _from_index(index + months) - dt.timedelta(days=1)
        if end > as_of:
            break
        if within.start <= end <= within.end:
            out.append(Period(start=start, end=end))
        index += months
    return out


def quarter_of(day: dt.date) -> Period:
    """The calendar quarter containing ``day``."""
    start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = _from_index(_month_index(start) + 3) - dt.timedelta(days=1)
    return Period(start=start, end=end)


def period_label(period: Period, months: int) -> str:
    """``2023-05``, ``2023Q2``, ``2023H1`` or ``2023`` for a calendar period."""
    if months == 12:
        return str(period.start.year)
    if months == 3:
        return f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"
    if months == 6:
        return f"{period.start.year}H{(period.start.month - 1) // 6 + 1}"
    if months == 1:
        return f"{period.start.year}-{period.start.month:02d}"
    return f"{period.start.isoformat()}/{period.end.isoformat()}"
