"""The mutation guard's snapshots (issue 11): flat referents, traced back to the changed fact."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from fsrules._guard import MutationGuard, _flat_width
from fsrules.exceptions import FactMutationError
from fsrules.model import Operator

from .conftest import operator


def _operators(n: int) -> tuple[Operator, ...]:
    return tuple(operator(f"op{i}") for i in range(n))


def test_fact_classes_are_snapshotted_as_flat_referents() -> None:
    ops = _operators(3)
    assert _flat_width(ops) == len(attrs.fields(Operator)) + 1


@pytest.mark.parametrize("change", ["set", "delete"])
def test_a_changed_fact_among_many_is_the_one_named(change: str) -> None:
    ops = _operators(50)
    guard = MutationGuard()
    guard.watch_kind("operator", ops)
    guard.check({"R-1": [ops]})  # nothing changed yet
    if change == "set":
        object.__setattr__(ops[37], "name", "改名")
    else:
        object.__delattr__(ops[37], "name")
    assert guard.changed() == [ops[37]]
    with pytest.raises(FactMutationError, match=r"rule R-1 changed 1 fact.*operator 'op37'"):
        guard.check({"R-1": [ops], "R-2": [ops[:10]]})


def test_an_equal_value_put_back_is_no_change() -> None:
    ops = _operators(4)
    guard = MutationGuard()
    guard.watch(ops)
    object.__setattr__(ops[2], "name", "".join(list(ops[2].name)))  # another, equal str
    assert guard.changed() == []


@attrs.define(frozen=True, slots=False)
class _DictOperator(Operator):
    """A plugin's fact class keeping its fields in a ``__dict__``."""

    extra: str = "x"


def test_facts_with_a_dict_or_of_mixed_classes_fall_back_to_field_tuples() -> None:
    dicts = tuple(_DictOperator(**{**attrs.asdict(o, recurse=False), "id": f"d{i}"})
                  for i, o in enumerate(_operators(3)))
    mixed: tuple[Any, ...] = (*_operators(2), *dicts)
    assert _flat_width(dicts) == 0 and _flat_width(mixed) == 0
    for value, facts in enumerate((dicts, mixed)):
        guard = MutationGuard()
        guard.watch(facts)
        object.__setattr__(facts[-1], "extra", f"y{value}")
        assert guard.changed() == [facts[-1]]
