"""FactSet: the indexed, immutable collection rules read facts through.

Only the ``(kind, id)`` map and the per-kind lists are built on
construction. Every other index is built lazily, per kind, on the first
query that needs it: by subject (the operator a fact is about), by region
(at province, prefecture and county prefix) and by date (each kind's facts
sorted on its ``DATE_FIELD`` for range queries with :mod:`bisect`). No rule
needs to scan every fact to find one operator's records, and a run pays only
for the indexes its rules use.

Iteration order never depends on input order: facts of a kind are kept
sorted by id. The input digest (:mod:`fsrules._digest`) is computed at most
once per FactSet, or taken from the loader that computed it at load.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

from fsrules.model import Fact, Operator

__all__ = ["FactSet"]

F = TypeVar("F", bound=Fact)

_EMPTY: tuple[Any, ...] = ()


def _by_id(fact: Fact) -> str:
    return fact.id


def _prefixes(code: str) -> tuple[str, ...]:
    """Index keys for a division code: province, prefecture and county prefixes."""
    code = code[:6]
    keys = [code]
    if code[2:] != "0000":
        keys.append(code[:2] + "0000")
    if code[4:] != "00" and code[2:4] != "00":
        keys.append(code[:4] + "00")
    return tuple(keys)


class _Indexes:
    """The lazily built indexes of one FactSet, shared by its traced views."""

    __slots__ = ("by_date", "by_region", "by_subject", "operators")

    def __init__(self) -> None:
        self.by_subject: dict[str, dict[str, tuple[Fact, ...]]] = {}
        self.by_region: dict[str, dict[str, tuple[Fact, ...]]] = {}
        self.by_date: dict[str, tuple[tuple[Fact, ...], list[dt.date]]] = {}
        self.operators: dict[str, str | None] | None = None


class FactSet:
    """An immutable, indexed set of facts.

    Duplicate ``(kind, id)`` pairs are rejected with :class:`ValueError`
    (the loaders report them per record before building a FactSet).
    ``digest`` is the input digest when the caller (the loader) already
    computed it.
    """

    __slots__ = ("_by_key", "_by_kind", "_digest", "_idx", "_trace")

    def __init__(self, facts: Iterable[Fact] = (), *, digest: str | None = None) -> None:
        by_key: dict[tuple[str, str], Fact] = {}
        by_kind: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            if not isinstance(fact, Fact):
                raise TypeError(f"FactSet takes Fact instances, got {type(fact).__name__}")
            key = (fact.KIND, fact.id)
            if key in by_key:
                raise ValueError(f"duplicate fact {fact.KIND} {fact.id!r}")
            by_key[key] = fact
            by_kind[key[0]].append(fact)
        self._by_key = by_key
        for items in by_kind.values():
            if any(a.id > b.id for a, b in itertools.pairwise(items)):
                items.sort(key=_by_id)
        self._by_kind: dict[str, tuple[Fact, ...]] = {
            k: tuple(by_kind[k]) for k in sorted(by_kind)}
        self._idx = _Indexes()
        self._digest = digest
        self._trace: list[Any] | None = None

    def _traced(self, trace: list[Any]) -> FactSet:
        """A view sharing this set's facts and indexes that records what it hands out."""
        view = FactSet.__new__(FactSet)
        view._by_key = self._by_key
        view._by_kind = self._by_kind
        view._idx = self._idx
        view._digest = self._digest
        view._trace = trace
        return view

    def _note(self, found: Any) -> None:
        if self._trace is not None and found:
            self._trace.append(found)

    # ------------------------------------------------------------------ lazy indexes

    def _operator_regions(self) -> dict[str, str | None]:
        ops = self._idx.operators
        if ops is None:
            ops = {f.id: f.own_region for f in self._by_kind.get(Operator.KIND, ())}
            self._idx.operators = ops
        return ops

    def _subject_index(self, kind: str) -> dict[str, tuple[Fact, ...]]:
        index = self._idx.by_subject.get(kind)
        if index is None:
            grouped: dict[str, list[Fact]] = defaultdict(list)
            for fact in self._by_kind.get(kind, _EMPTY):
                subject = fact.subject_id
                if subject is not None:
                    grouped[subject].append(fact)
            index = {k: tuple(v) for k, v in grouped.items()}
            self._idx.by_subject[kind] = index
        return index

    def _region_index(self, kind: str) -> dict[str, tuple[Fact, ...]]:
        index = self._idx.by_region.get(kind)
        if index is None:
            operators = self._operator_regions()
            grouped: dict[str, list[Fact]] = defaultdict(list)
            for fact in self._by_kind.get(kind, _EMPTY):
                region = fact.own_region
                if not region:
                    subject = fact.subject_id
                    region = operators.get(subject) if subject is not None else None
                if region:
                    for prefix in _prefixes(region):
                        grouped[prefix].append(fact)
            index = {k: tuple(v) for k, v in grouped.items()}
            self._idx.by_region[kind] = index
        return index

    def _date_index(self, kind: str) -> tuple[tuple[Fact, ...], list[dt.date]]:
        index = self._idx.by_date.get(kind)
        if index is None:
            pairs = [(f.fact_date, f) for f in self._by_kind.get(kind, _EMPTY)]
            dated = sorted(((d, f) for d, f in pairs if d is not None),
                           key=lambda p: (p[0], p[1].id))
            index = (tuple(f for _, f in dated), [d for d, _ in dated])
            self._idx.by_date[kind] = index
        return index

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[Fact]:
        """Every fact, ordered by kind then id."""
        for kind in sorted(self._by_kind):
            self._note(self._by_kind[kind])
            yield from self._by_kind[kind]

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Fact) and self._by_key.get(item.key) == item

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in sorted(self.counts().items()))
        return f"FactSet({counts})"

    def kinds(self) -> list[str]:
        """The kinds present, sorted."""
        return sorted(self._by_kind)

    def counts(self) -> dict[str, int]:
        """Number of facts per kind."""
        return {k: len(v) for k, v in sorted(self._by_kind.items())}

    @staticmethod
    def _kind(kind: str | type[Fact]) -> str:
        return kind if isinstance(kind, str) else kind.KIND

    # ------------------------------------------------------------------ queries

    @overload
    def of_kind(self, kind: type[F]) -> tuple[F, ...]: ...
    @overload
    def of_kind(self, kind: str) -> tuple[Fact, ...]: ...
    def of_kind(self, kind: str | type[Fact]) -> tuple[Fact, ...]:
        """All facts of ``kind``, sorted by id."""
        found = self._by_kind.get(self._kind(kind), _EMPTY)
        self._note(found)
        return found

    @overload
    def get(self, kind: type[F], fact_id: str) -> F | None: ...
    @overload
    def get(self, kind: str, fact_id: str) -> Fact | None: ...
    def get(self, kind: str | type[Fact], fact_id: str) -> Fact | None:
        """The fact of ``kind`` with ``fact_id``, or None."""
        found = self._by_key.get((self._kind(kind), fact_id))
        self._note(found)
        return found

    def operator(self, operator_id: str) -> Operator | None:
        """The operator with ``operator_id``, or None."""
        found = self._by_key.get((Operator.KIND, operator_id))
        self._note(found)
        return found if isinstance(found, Operator) else None

    @overload
    def for_subject(self, kind: type[F], subject_id: str, *, start: dt.date | None = ...,
                    end: dt.date | None = ...) -> tuple[F, ...]: ...
    @overload
    def for_subject(self, kind: str, subject_id: str, *, start: dt.date | None = ...,
                    end: dt.date | None = ...) -> tuple[Fact, ...]: ...
    def for_subject(
        self, kind: str | type[Fact], subject_id: str, *, start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> tuple[Fact, ...]:
        """Facts of ``kind`` about operator ``subject_id``, optionally within [start, end]."""
        found = self._subject_index(self._kind(kind)).get(subject_id, _EMPTY)
        self._note(found)
        return self._filter_dates(found, start, end)

    @overload
    def in_region(self, kind: type[F], region_code: str, *, start: dt.date | None = ...,
                  end: dt.date | None = ...) -> tuple[F, ...]: ...
    @overload
    def in_region(self, kind: str, region_code: str, *, start: dt.date | None = ...,
                  end: dt.date | None = ...) -> tuple[Fact, ...]: ...
    def in_region(
        self, kind: str | type[Fact], region_code: str, *, start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> tuple[Fact, ...]:
        """Facts of ``kind`` located in ``region_code`` (a province or prefecture code
        includes its counties); a fact without its own code takes its operator's."""
        found = self._region_index(self._kind(kind)).get(region_code[:6], _EMPTY)
        self._note(found)
        return self._filter_dates(found, start, end)

    @overload
    def between(self, kind: type[F], start: dt.date | None, end: dt.date | None) -> tuple[F, ...]: ...
    @overload
    def between(self, kind: str, start: dt.date | None, end: dt.date | None) -> tuple[Fact, ...]: ...
    def between(
        self, kind: str | type[Fact], start: dt.date | None, end: dt.date | None
    ) -> tuple[Fact, ...]:
        """Facts of ``kind`` whose date lies in [start, end] (both inclusive), by date."""
        items, dates = self._date_index(self._kind(kind))
        self._note(items)
        lo = 0 if start is None else bisect.bisect_left(dates, start)
        hi = len(dates) if end is None else bisect.bisect_right(dates, end)
        return items[lo:hi]

    @staticmethod
    def _filter_dates(
        facts: Sequence[Fact], start: dt.date | None, end: dt.date | None
    ) -> tuple[Fact, ...]:
        if start is None and end is None:
            return tuple(facts)
        if not facts:
            return _EMPTY
        field = facts[0].DATE_FIELD  # one kind: one date field
        if field is None:
            return _EMPTY
        lo = dt.date.min if start is None else start
        hi = dt.date.max if end is None else end
        out = []
        for fact in facts:
            day = getattr(fact, field)
            if day is None:
                continue
            if type(day) is not dt.date and isinstance(day, dt.datetime):
                day = day.date()
            if lo <= day <= hi:
                out.append(fact)
        return tuple(out)

    def region_of(self, fact: Fact) -> str | None:
        """The division code a fact belongs to (its own, else its operator's)."""
        own = fact.own_region
        if own:
            return own
        found = self._by_key.get((Operator.KIND, fact.subject_id)) if fact.subject_id else None
        return found.region_code if isinstance(found, Operator) else None

    # ------------------------------------------------------------------ derivation

    def with_facts(self, facts: Iterable[Fact]) -> FactSet:
        """A new FactSet holding these facts as well (used for derived facts).

        Indexes already built for kinds the new facts do not touch are
        shared, so adding a few derived kinds to a large county is cheap.
        New operators change how other facts map to regions, so the new set
        then shares only subject and date indexes of untouched kinds. The
        input digest is not carried over: derived facts are not input.
        """
        new = list(facts)
        if not new:
            return self
        by_key = dict(self._by_key)
        for fact in new:
            if not isinstance(fact, Fact):
                raise TypeError(f"FactSet takes Fact instances, got {type(fact).__name__}")
            if fact.key in by_key:
                raise ValueError(f"duplicate fact {fact.KIND} {fact.id!r}")
            by_key[fact.key] = fact
        out = FactSet.__new__(FactSet)
        out._by_key = by_key
        touched = {f.KIND for f in new}
        by_kind = dict(self._by_kind)
        for kind in touched:
            by_kind[kind] = tuple(sorted((*by_kind.get(kind, ()), *(f for f in new
                                                                      if kind == f.KIND)),
                                         key=lambda f: f.id))
        out._by_kind = dict(sorted(by_kind.items()))
        idx = _Indexes()
        old = self._idx
        idx.by_subject = {k: v for k, v in old.by_subject.items() if k not in touched}
        idx.by_date = {k: v for k, v in old.by_date.items() if k not in touched}
        if Operator.KIND not in touched:
            idx.by_region = {k: v for k, v in old.by_region.items() if k not in touched}
            idx.operators = old.operators
        out._idx = idx
        out._digest = None
        out._trace = None
        return out

    def digest(self) -> str:
        """The input digest of these facts (see :mod:`fsrules._digest`), computed once."""
        if self._digest is None:
            from fsrules._digest import input_digest

            self._digest = input_digest(self._by_key.values())
        return self._digest
