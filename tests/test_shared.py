"""Work rules share through ``FactSet.shared`` (issue 11): once per FactSet, traced for each rule.

And the value the duty rules share (``self_checks``, each operator's records
by cycle) equals the straightforward per-operator filter it replaced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules import FactSet
from fsrules._guard import MutationGuard
from fsrules.exceptions import FactMutationError
from fsrules.model import Inspection, InspectionResult, SelfCheck, SelfCheckCycle, StaffRole
from fsrules_rulesets.risk.duties import self_checks

from .conftest import operator

CALLS: list[int] = []


def _inspections_by_operator(facts: FactSet, result: InspectionResult
                             ) -> dict[str, list[Inspection]]:
    CALLS.append(1)
    out: dict[str, list[Inspection]] = {}
    for i in facts.of_kind(Inspection):
        if i.result is result:
            out.setdefault(i.operator_id, []).append(i)
    return out


def _facts() -> list[Any]:
    return [operator("op1"), operator("op2"), *(
        Inspection(id=f"i{n}", operator_id=f"op{1 + n % 2}", inspected_on=dt.date(2023, 5, 1),
                   result=InspectionResult.NON_CONFORMING if n % 3 else
                   InspectionResult.CONFORMING) for n in range(6))]


def test_shared_work_is_done_once_per_factset_and_args() -> None:
    CALLS.clear()
    facts = FactSet(_facts())
    a, b = facts._traced([]), facts._traced([])
    bad = a.shared(_inspections_by_operator, InspectionResult.NON_CONFORMING)
    assert b.shared(_inspections_by_operator, InspectionResult.NON_CONFORMING) is bad
    assert len(CALLS) == 1
    assert [i.id for i in bad["op1"]] == ["i2", "i4"]
    good = facts.shared(_inspections_by_operator, InspectionResult.CONFORMING)
    assert len(CALLS) == 2 and [i.id for i in good["op1"]] == ["i0"]
    # Derived facts make a new FactSet: nothing carried over.
    more = facts.with_facts([operator("op3")])
    more.shared(_inspections_by_operator, InspectionResult.NON_CONFORMING)
    assert len(CALLS) == 3


def test_what_shared_work_read_is_handed_to_every_rule_asking() -> None:
    facts = FactSet(_facts())
    guard = MutationGuard()
    first: list[Any] = []
    second: list[Any] = []
    facts._traced(first, guard).shared(_inspections_by_operator, InspectionResult.CONFORMING)
    found = facts._traced(second, guard).shared(_inspections_by_operator,
                                                InspectionResult.CONFORMING)
    assert guard.kinds == {"inspection"} and first == second and second
    inspection = found["op1"][0]
    object.__setattr__(inspection, "operator_id", "op9")
    with pytest.raises(FactMutationError, match="one of rules R-1, R-2 changed 1 fact"):
        guard.check({"R-1": first, "R-2": second, "R-3": []})


# --------------------------------------------------------------------------- self_checks

ROLES = (StaffRole.SAFETY_OFFICER, StaffRole.DIRECTOR, StaffRole.PRINCIPAL)


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(list(
    SelfCheckCycle)), st.integers(0, 40), st.sampled_from(ROLES)), max_size=40),
    ids=st.randoms(use_true_random=False))
def test_self_checks_equal_filtering_each_operator(rows: list[Any], ids: Any) -> None:
    numbers = list(range(len(rows)))
    ids.shuffle(numbers)  # an operator's records need not be consecutive in id order
    checks = [SelfCheck(id=f"r{n:03d}", operator_id=op, cycle=cycle,
                        checked_on=dt.date(2023, 1, 1) + dt.timedelta(days=day), role=role)
              for n, (op, cycle, day, role) in zip(numbers, rows, strict=True)]
    facts = FactSet(checks)
    grouped = self_checks(facts)
    assert set(grouped) == {c.operator_id for c in checks}
    for op, found in grouped.items():
        mine = facts.for_subject(SelfCheck, op)
        assert found.records == mine
        assert found.weekly == tuple(r for r in mine if r.cycle is SelfCheckCycle.WEEKLY)
        assert found.monthly == tuple(r for r in mine if r.cycle is SelfCheckCycle.MONTHLY)
