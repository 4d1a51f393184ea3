"""FactSet's dated queries (issue 11): long runs selected C-level, short ones by a loop."""

from __future__ import annotations

import datetime as dt

import pytest

from fsrules import FactSet
from fsrules.model import Fact, Inspection, InspectionResult, Operator

from .conftest import operator

DAY = dt.date(2023, 1, 1)
WINDOWS = [(None, None), (DAY, None), (None, DAY), (dt.date(2022, 11, 5), dt.date(2023, 2, 9)),
           (dt.date(2030, 1, 1), None), (DAY, DAY)]


def _naive(facts: tuple[Fact, ...], start: dt.date | None, end: dt.date | None
           ) -> tuple[Fact, ...]:
    return tuple(f for f in facts if (start is None and end is None) or (
        f.fact_date is not None and (start is None or f.fact_date >= start)
        and (end is None or f.fact_date <= end)))


def _operators(n: int) -> list[Operator]:
    # every fifth has no date (left out of any dated query); ids out of date order
    return [operator(f"op{i:03d}", opened_on=None if i % 5 == 0 else
                     DAY + dt.timedelta(days=(i * 37) % 200 - 100)) for i in range(n)]


@pytest.mark.parametrize("n", [7, 90])  # below and above the length selected C-level
@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_in_region_keeps_id_order_and_leaves_out_undated_facts(
        n: int, start: dt.date | None, end: dt.date | None) -> None:
    facts = FactSet(_operators(n))
    everyone = facts.in_region(Operator, "130000")
    assert len(everyone) == n
    assert facts.in_region(Operator, "130533", start=start, end=end) == _naive(
        everyone, start, end)


@pytest.mark.parametrize("n", [5, 60])
@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_for_subject_by_date_matches_a_plain_filter(
        n: int, start: dt.date | None, end: dt.date | None) -> None:
    inspections = [Inspection(id=f"i{k:03d}", operator_id=f"op{k % 2}",
                              inspected_on=DAY + dt.timedelta(days=(k * 53) % 120 - 60),
                              result=InspectionResult.CONFORMING) for k in range(2 * n)]
    facts = FactSet([operator("op0"), operator("op1"), *inspections])
    for subject in ("op0", "op1", "op9"):
        mine = facts.for_subject(Inspection, subject)
        assert len(mine) == (n if subject != "op9" else 0)
        assert facts.for_subject(Inspection, subject, start=start, end=end) == _naive(
            mine, start, end)
    # a derived set shares the subject index of untouched kinds
    more = facts.with_facts([operator("op2")])
    assert more.for_subject(Inspection, "op1", start=start, end=end) == _naive(
        facts.for_subject(Inspection, "op1"), start, end)


def test_with_facts_groups_interleaved_kinds_and_names_the_first_problem() -> None:
    base = FactSet([operator("op0"), operator("op1")])
    inspections = [Inspection(id=f"i{k}", operator_id="op1", inspected_on=DAY,
                              result=InspectionResult.CONFORMING) for k in (3, 1, 2)]
    # kinds interleaved, ids out of order: each kind ends up whole and in id order
    more = base.with_facts([inspections[0], operator("op3"), *inspections[1:], operator("op2")])
    assert [f.id for f in more.of_kind(Inspection)] == ["i1", "i2", "i3"]
    assert [f.id for f in more.of_kind(Operator)] == ["op0", "op1", "op2", "op3"]
    assert len(more) == 7 and len(base) == 2
    with pytest.raises(TypeError, match="got str"):
        base.with_facts([operator("op5"), "op6"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="duplicate fact operator 'op1'"):
        base.with_facts([operator("op7"), operator("op1"), *inspections, inspections[0]])
    with pytest.raises(ValueError, match="duplicate fact inspection 'i3'"):
        base.with_facts([*inspections, operator("op8"), inspections[0]])
