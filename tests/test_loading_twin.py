"""Frozen slotted facts built through an unfrozen twin are the facts attrs builds."""

from __future__ import annotations

import datetime as dt
import weakref

import attrs
import pytest

from fsrules.loading._twin import unfrozen_twin
from fsrules.model import Fact, SelfCheck, SelfCheckCycle, StaffRole


def test_a_fact_built_through_its_twin_is_the_fact_attrs_builds() -> None:
    twin = unfrozen_twin(SelfCheck)
    assert twin is not None and twin is not SelfCheck
    values = {"id": "C1", "operator_id": "OP1", "cycle": SelfCheckCycle.DAILY,
              "checked_on": dt.date(2023, 3, 1), "role": StaffRole.SAFETY_OFFICER,
              "person_id": "P1", "risks_found": 2}
    fact = object.__new__(twin)
    for name, value in values.items():
        setattr(fact, name, value)
    fact.__class__ = SelfCheck
    expected = SelfCheck(**values)  # type: ignore[arg-type]
    assert type(fact) is SelfCheck and fact == expected and hash(fact) == hash(expected)
    assert weakref.ref(fact)() is fact
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fact.person_id = "P2"  # type: ignore[misc]


def test_no_twin_without_slots_or_with_a_metaclass() -> None:
    @attrs.frozen(slots=False)
    class Loose(Fact):
        KIND = "loose"

    class Meta(type):
        pass

    class Odd(metaclass=Meta):
        __slots__ = ("a",)

    assert unfrozen_twin(Loose) is None
    assert unfrozen_twin(Odd) is None
