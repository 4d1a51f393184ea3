"""The mutation guard: facts handed to rules stay what they were.

Facts are frozen attrs classes, but ``object.__setattr__`` still writes
through; one rule doing so would silently change what every later rule
reads. The guard snapshots a hash of each fact's field values when the run
starts (and of each derived fact when it is accepted), checks them all
once when the run ends, and names the rule(s) that were handed a changed
fact (each rule reads through a traced view of the FactSet that records the
index tuples it was given, by reference: no per-fact work while rules run).
"""

from __future__ import annotations

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


def _hash(fact: Fact) -> int:
    values = _getter(type(fact))(fact)
    try:
        return hash(values)
    except TypeError:  # an unhashable field value (a plugin's list): compare its repr
        return hash(repr(values))


class MutationGuard:
    """Snapshots facts, then tells which ones changed and who could have changed them."""

    __slots__ = ("_groups",)

    def __init__(self) -> None:
        self._groups: list[tuple[Sequence[Fact], list[int]]] = []

    def watch(self, facts: Sequence[Fact]) -> None:
        """Snapshot ``facts`` (a sequence kept by reference)."""
        if not facts:
            return
        hashes: list[int] = []
        append = hashes.append
        cls: type[Any] | None = None
        getter: Callable[[Any], Any] = _getter(type(facts[0]))
        for fact in facts:
            if type(fact) is not cls:
                cls = type(fact)
                getter = _getter(cls)
            try:
                append(hash(getter(fact)))
            except TypeError:
                append(_hash(fact))
        self._groups.append((facts, hashes))

    def changed(self) -> list[Fact]:
        """The watched facts whose field values are no longer what they were."""
        out: list[Fact] = []
        for facts, hashes in self._groups:
            for fact, before in zip(facts, hashes, strict=True):
                if _hash(fact) != before:
                    out.append(fact)
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
