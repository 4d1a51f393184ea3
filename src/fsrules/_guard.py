"""The mutation guard: facts handed to rules stay what they were.

Facts are frozen attrs classes, but ``object.__setattr__`` still writes
through; one rule doing so would silently change what every later rule
reads. The guard snapshots each fact's field values by identity (a hash of the
tuple of their ``id()``: C-level, no value hashing) when the run starts
(and each derived fact's when it is accepted), checks them all once when
the run ends, and names the rule(s) that were handed a changed
fact (each rule reads through a traced view of the FactSet that records the
index tuples it was given, by reference: no per-fact work while rules run).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from fsrules.exceptions import FactMutationError
from fsrules.model import Fact

__all__ = ["MutationGuard"]

_getters: dict[type[Any], Callable[[Any], Any]] = {}


def _getter(cls: type[Any]) -> Callable[[Any], Any]:
    getter = _getters.get(cls)
    if getter is None:
        names = [a.name for a in attrs.fields(cls)]
        getter = operator.attrgetter(*names, "id") if names else operator.attrgetter("id", "id")
        _getters[cls] = getter
    return getter


def _snapshot(fact: Fact) -> int:
    # Replacing a field value (object.__setattr__) puts another object there: its id
    # differs from the old one's, which was alive until the replacement.
    return hash(tuple(map(id, _getter(type(fact))(fact))))


def _snapshots(facts: Sequence[Fact]) -> list[int]:
    cls = type(facts[0])
    if all(type(f) is cls for f in facts):
        getter = _getter(cls)
        # all C-level iterators: no bytecode runs per fact
        return list(map(hash, map(tuple, map(functools.partial(map, id), map(getter, facts)))))
    return [_snapshot(f) for f in facts]


class MutationGuard:
    """Snapshots facts, then tells which ones changed and who could have changed them."""

    __slots__ = ("_groups",)

    def __init__(self) -> None:
        self._groups: list[tuple[Sequence[Fact], list[int]]] = []

    def watch(self, facts: Sequence[Fact]) -> None:
        """Snapshot ``facts`` (a sequence kept by reference)."""
        if not facts:
            return
        hashes = _snapshots(facts)
        self._groups.append((facts, hashes))

    def changed(self) -> list[Fact]:
        """The watched facts whose field values are no longer what they were."""
        out: list[Fact] = []
        for facts, hashes in self._groups:
            now = _snapshots(facts)
            if now != hashes:
                out.extend(f for f, a, b in zip(facts, now, hashes, strict=True) if a != b)
        return out

    def check(self, traces: Mapping[str, list[Any]]) -> None:
        """Raise :class:`FactMutationError` naming the rules if any watched fact changed."""
        changed = self.changed()
        if not changed:
            return
        culprits: list[str] = []
        for rule_id, trace in traces.items():
            if any(_handed(fact, trace) for fact in changed):
                culprits.append(rule_id)
        keys = tuple(sorted(f.key for f in changed))
        shown = ", ".join(f"{k} {i!r}" for k, i in keys[:5]) + (" ..." if len(keys) > 5 else "")
        who = (f"rule {culprits[0]}" if len(culprits) == 1 else
               f"one of rules {', '.join(culprits)}" if culprits else "a rule")
        raise FactMutationError(
            f"{who} changed {len(keys)} fact(s) it was given ({shown}); facts are shared by "
            f"every rule of a run and must not be modified (object.__setattr__ on a fact is a "
            f"bug: build a new fact with attrs.evolve instead)",
            rule_ids=tuple(culprits), facts=keys)


def _handed(fact: Fact, trace: Iterable[Any]) -> bool:
    for item in trace:
        if item is fact:
            return True
        if isinstance(item, tuple) and any(x is fact for x in item):
            return True
    return False
