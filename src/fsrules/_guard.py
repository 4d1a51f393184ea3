"""The mutation guard: facts handed to rules stay what they were.

Facts are frozen attrs classes, but ``object.__setattr__`` still writes
through; one rule doing so would silently change what every later rule
reads. The guard snapshots each fact's field values (the tuple of them, one
C-level ``attrgetter`` call per fact, holding the very value objects),
checks them all once when the run ends (tuple comparison: the same object
is equal at once, another object must compare equal), and names the rule(s)
that were handed a changed
fact (each rule reads through a traced view of the FactSet that records the
index tuples it was given, by reference: no per-fact work while rules run).

Only kinds some rule is actually handed are snapshotted: the traced view
asks the guard to snapshot a kind just before it hands out the first fact of
that kind (:meth:`MutationGuard.watch_kind`), so a rule cannot hold a fact
whose kind was not snapshotted, and a plan whose rules read three kinds pays
for those three. Derived facts are snapshotted when they are accepted.
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


def _snapshots(facts: Sequence[Fact]) -> list[tuple[Any, ...]]:
    """The field values of each fact, as tuples of the objects the fact holds."""
    classes = set(map(type, facts))
    if len(classes) == 1:
        return list(map(_getter(classes.pop()), facts))  # C-level: no bytecode per fact
    return [_getter(type(f))(f) for f in facts]


class MutationGuard:
    """Snapshots facts, then tells which ones changed and who could have changed them."""

    __slots__ = ("_groups", "kinds")

    def __init__(self) -> None:
        self._groups: list[tuple[Sequence[Fact], list[tuple[Any, ...]]]] = []
        #: The kinds snapshotted whole by :meth:`watch_kind`.
        self.kinds: set[str] = set()

    def watch_kind(self, kind: str, facts: Sequence[Fact]) -> None:
        """Snapshot every fact of ``kind`` (called before the first one is handed out)."""
        self.kinds.add(kind)
        self.watch(facts)

    def watch(self, facts: Sequence[Fact]) -> None:
        """Snapshot ``facts`` (a sequence kept by reference)."""
        if not facts:
            return
        self._groups.append((facts, _snapshots(facts)))

    def changed(self) -> list[Fact]:
        """The watched facts whose field values are no longer what they were."""
        out: list[Fact] = []
        for facts, before in self._groups:
            now = _snapshots(facts)
            if now != before:
                out.extend(f for f, a, b in zip(facts, now, before, strict=True) if a != b)
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
