"""The mutation guard: facts handed to rules stay what they were.

Facts are frozen attrs classes, but ``object.__setattr__`` still writes
through; one rule doing so would silently change what every later rule
reads. The guard snapshots each fact's field values (the very value
objects), checks them all once when the run ends (the same object is equal
at once, another object must compare equal), and names the rule(s) that
were handed a changed
fact (each rule reads through a traced view of the FactSet that records the
index tuples it was given, by reference: no per-fact work while rules run).

Only kinds some rule is actually handed are snapshotted: the traced view
asks the guard to snapshot a kind just before it hands out the first fact of
that kind (:meth:`MutationGuard.watch_kind`), so a rule cannot hold a fact
whose kind was not snapshotted, and a plan whose rules read three kinds pays
for those three. Derived facts are snapshotted when they are accepted.

A snapshot of many facts of one class is a single :func:`gc.get_referents`
call: the objects each fact's slots hold, flat, with no tuple per fact (half
the cost of an ``attrgetter`` tuple per fact, which stays the fallback). It
is used only for a class whose instances keep every field in a slot (no
``__dict__``) and whose referents are exactly its type and its field values,
as checked on the first fact; each fact then owns ``len(fields) + 1`` items,
so a change is traced back to its fact.
"""

from __future__ import annotations

import gc
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


def _flat_width(facts: Sequence[Fact]) -> int:
    """Referents per fact when ``gc.get_referents`` snapshots ``facts`` exactly, else 0."""
    first = facts[0]
    cls = type(first)
    if cls.__dictoffset__ or len(set(map(type, facts))) != 1:
        return 0
    refs = gc.get_referents(first)
    values = _getter(cls)(first)
    held = set(map(id, refs))
    if (len(refs) != len(attrs.fields(cls)) + 1 or id(cls) not in held
            or not all(id(v) in held for v in values)):
        return 0
    return len(refs)


def _snapshots(facts: Sequence[Fact], width: int) -> list[Any]:
    """The objects ``facts`` hold: flat referents (``width`` per fact), or a tuple per fact."""
    if width:
        return gc.get_referents(*facts)
    classes = set(map(type, facts))
    if len(classes) == 1:
        return list(map(_getter(classes.pop()), facts))  # C-level: no bytecode per fact
    return [_getter(type(f))(f) for f in facts]


class MutationGuard:
    """Snapshots facts, then tells which ones changed and who could have changed them."""

    __slots__ = ("_groups", "kinds")

    def __init__(self) -> None:
        self._groups: list[tuple[Sequence[Fact], int, list[Any]]] = []
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
        width = _flat_width(facts)
        self._groups.append((facts, width, _snapshots(facts, width)))

    def changed(self) -> list[Fact]:
        """The watched facts whose field values are no longer what they were."""
        out: list[Fact] = []
        for facts, width, before in self._groups:
            if _snapshots(facts, width) == before:
                continue
            if width:  # each fact's own referents against its slice of the snapshot
                out.extend(f for i, f in enumerate(facts)
                           if gc.get_referents(f) != before[i * width:(i + 1) * width])
            else:
                now = _snapshots(facts, width)
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
