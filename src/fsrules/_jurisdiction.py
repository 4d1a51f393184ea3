"""Jurisdiction: the division codes a ruleset or a profile is for (issue 12, item 3).

A :class:`~fsrules.Ruleset` (``jurisdiction="51"``: a province's plugin) or a
:class:`~fsrules.Profile` (``jurisdiction = "13"`` in its ``[profile]``
header, inherited through ``extends``) names a division-code *prefix*. The
plan gives each rule the narrower of its ruleset's and its profile's
prefix; facts located outside it never reach the rule (its ``ctx.facts``
holds only the rest), and ``ctx.jurisdiction`` says which prefix applied.

A fact is located by its own division code, else by its operator's
(:meth:`FactSet.region_of`). A fact whose division is unknown is not known
to be outside, so it is kept. Prefixes are written as people write codes:
``"51"``, ``"510000"`` (both Sichuan), ``"1305"``, ``"130533"``; ``"CN"``
or an empty prefix means every code.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from typing import cast

from fsrules._factset import FactSet
from fsrules._guard import MutationGuard
from fsrules.model import Fact, Operator

__all__ = ["JurisdictionScopes", "inside", "narrower", "normalise"]

#: Written for a rule whose ruleset and profile jurisdictions do not overlap
#: (a Sichuan ruleset run under the Hebei profile): no division code starts
#: with it, so no located fact reaches the rule.
DISJOINT = "∅"


def normalise(prefix: str | None) -> str | None:
    """The significant prefix of a division code (``"510000"`` → ``"51"``); None: every code."""
    if prefix is None:
        return None
    code = prefix.strip()
    if code.upper() in ("", "CN", "000000"):
        return None
    if code == DISJOINT:
        return code
    if not code.isdigit() or len(code) > 6 or len(code) % 2:
        raise ValueError(f"jurisdiction {prefix!r} is not a division-code prefix "
                         f"(2, 4 or 6 digits, e.g. \"51\" or \"130533\"; \"CN\": every code)")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def narrower(*prefixes: str | None) -> str | None:
    """The narrowest of nested prefixes; :data:`DISJOINT` when two do not overlap."""
    found: str | None = None
    for raw in prefixes:
        prefix = normalise(raw)
        if prefix is None:
            continue
        if found is None or prefix.startswith(found):
            found = prefix
        elif not found.startswith(prefix):
            return DISJOINT
    return found


def inside(code: str | None, prefix: str | None) -> bool:
    """True unless ``code`` is known and outside ``prefix`` (None: every code)."""
    return prefix is None or not code or code.startswith(prefix)


def _within(facts: FactSet, prefix: str) -> FactSet:
    """The facts not located outside ``prefix`` (see :meth:`FactSet.region_of`).

    Decided per kind on the distinct division codes: a kind wholly inside (or
    wholly outside) costs one pass of attribute reads, and a bundle wholly
    inside is returned as it is.
    """
    away = {op.id for op in facts.of_kind(Operator)
            if op.region_code and not op.region_code.startswith(prefix)}
    # Each kind's facts kept, by reference: a bundle wholly inside copies nothing
    # (listing 300,000 facts only to drop the list costs more than deciding).
    parts: list[Sequence[Fact]] = []
    changed = False
    for kind in facts.kinds():
        items = facts.of_kind(kind)
        if not items:
            continue
        region_field, subject_field = items[0].REGION_FIELD, items[0].SUBJECT_FIELD
        codes = set(map(operator.attrgetter(region_field), items)) if region_field else {None}
        bad = {c for c in codes if c and not c.startswith(prefix)}
        unlocated = None in codes or "" in codes
        by_subject = bool(away and subject_field and unlocated)
        if not bad and not by_subject:
            parts.append(items)
            continue
        changed = True
        if bad == codes:
            continue  # every one located outside
        kept: list[Fact] = []
        for fact in items:
            own = getattr(fact, region_field) if region_field else None
            if own:
                if own not in bad:
                    kept.append(fact)
            elif not (by_subject and getattr(fact, subject_field or "") in away):
                kept.append(fact)
        parts.append(kept)
    return FactSet(list(itertools.chain.from_iterable(parts))) if changed else facts


class JurisdictionScopes:
    """The facts each jurisdiction of one run sees, kept up to date as facts are derived.

    A scope holding every fact is the run's own FactSet (no copy, shared
    indexes): only a bundle with facts outside a rule's jurisdiction pays
    for a second, filtered set.
    """

    __slots__ = ("_facts", "_scopes")

    def __init__(self, facts: FactSet, prefixes: Iterable[str | None]) -> None:
        self._facts = facts
        self._scopes: dict[str, FactSet] = {}
        for prefix in sorted({p for p in prefixes if p is not None}):
            self._scopes[prefix] = _within(facts, prefix)

    def facts(self, prefix: str | None) -> FactSet:
        """The facts rules of ``prefix`` see (None: all of them)."""
        return self._facts if prefix is None else self._scopes[prefix]

    def extend(self, facts: FactSet, new: Sequence[Fact]) -> None:
        """``facts`` is the run's set with ``new`` (derived) facts added: follow it."""
        old = self._facts
        self._facts = facts
        for prefix, scope in self._scopes.items():
            kept = [f for f in new if inside(facts.region_of(f), prefix)]
            if scope is old and len(kept) == len(new):
                self._scopes[prefix] = facts
            else:
                self._scopes[prefix] = scope.with_facts(kept)

    def guard_for(self, prefix: str | None, guard: MutationGuard) -> MutationGuard:
        """The guard a rule of ``prefix`` hands facts out under.

        A filtered scope holds only part of a kind, but the guard records kinds
        as snapshotted whole: a kind is snapshotted from the run's full set, so
        a later rule with every fact of that kind is still watched.
        """
        if prefix is None or self._scopes[prefix] is self._facts:
            return guard
        return cast(MutationGuard, _WholeKinds(guard, self))


class _WholeKinds:
    """A :class:`MutationGuard` stand-in that snapshots a kind from the run's full set."""

    __slots__ = ("_guard", "_scopes")

    def __init__(self, guard: MutationGuard, scopes: JurisdictionScopes) -> None:
        self._guard = guard
        self._scopes = scopes

    @property
    def kinds(self) -> set[str]:
        return self._guard.kinds

    def watch_kind(self, kind: str, facts: Sequence[Fact]) -> None:
        self._guard.watch_kind(kind, self._scopes.facts(None).of_kind(kind))
