"""FactSet: the indexed, immutable collection rules read facts through.

Only the per-kind tuples are built on construction, with C-level passes
(no bytecode per fact). Every index is built lazily, per kind, on the first
query that needs it: by id, by subject (the operator a fact is about), by region
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
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from fsrules._shared import SharedValues
from fsrules.model import Fact, Operator

if TYPE_CHECKING:
    from fsrules._guard import MutationGuard

__all__ = ["FactSet"]

F = TypeVar("F", bound=Fact)
T = TypeVar("T")

_EMPTY: tuple[Any, ...] = ()


_by_id = operator.attrgetter("id")
_kind_of = operator.attrgetter("KIND")


def _column(facts: Sequence[Fact], prop: str, field: str) -> list[Any]:
    """``[fact.<prop> for fact in facts]`` for ``subject_id``, ``own_region`` or ``fact_date``.

    When every fact is of one class that keeps :class:`Fact`'s own property,
    the class's ``field`` (``SUBJECT_FIELD``...) names the attribute it reads,
    and a C-level attrgetter does the work (``fact_date``'s datetimes are
    left to the caller to turn into dates).
    """
    classes = set(map(type, facts))
    if len(classes) == 1:
        cls = classes.pop()
        if getattr(cls, prop) is getattr(Fact, prop):
            name = getattr(cls, field)
            if name is None:
                return [None] * len(facts)
            return list(map(operator.attrgetter(name), facts))
    return [getattr(fact, prop) for fact in facts]


def _dates(facts: Sequence[Fact]) -> list[Any]:
    """``[fact.fact_date for fact in facts]`` (datetimes as their date), C-level when it can."""
    dates = _column(facts, "fact_date", "DATE_FIELD")
    if dt.datetime in set(map(type, dates)):
        dates = [d.date() if isinstance(d, dt.datetime) else d for d in dates]
    return dates


def _within_dates(facts: Sequence[Fact], start: dt.date | None, end: dt.date | None
                  ) -> tuple[Fact, ...]:
    """The facts (of one kind, in their order) whose date lies in [start, end].

    A long run is selected with C-level passes over its date column; a short
    one (one operator's records) with a plain loop, cheaper below ~32 facts.
    """
    lo = dt.date.min if start is None else start
    hi = dt.date.max if end is None else end
    if len(facts) >= 32:
        dates = _dates(facts)
        if None in dates:
            keep = list(map(operator.is_not, dates, itertools.repeat(None)))
            facts = list(itertools.compress(facts, keep))
            dates = list(itertools.compress(dates, keep))
        inside = map(operator.and_, map(operator.le, itertools.repeat(lo), dates),
                     map(operator.ge, itertools.repeat(hi), dates))
        return tuple(itertools.compress(facts, inside))
    field = facts[0].DATE_FIELD
    if field is None:
        return _EMPTY
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


def _raise_duplicate(kind: str, ids: Sequence[str]) -> None:
    """Raise for the first repeated id of ``ids`` (sorted)."""
    for a, b in itertools.pairwise(ids):
        if a == b:
            raise ValueError(f"duplicate fact {kind} {a!r}")


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

    __slots__ = ("by_date", "by_id", "by_region", "by_subject", "operators", "shared")

    def __init__(self) -> None:
        self.shared = SharedValues()
        self.by_id: dict[str, dict[str, Fact]] = {}
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

    __slots__ = ("_by_kind", "_digest", "_guard", "_idx", "_len", "_trace")

    def __init__(self, facts: Iterable[Fact] = (), *, digest: str | None = None) -> None:
        # C-level passes only (the loader hands over facts sorted by kind and id,
        # which costs two comparisons per fact to confirm): no bytecode per fact.
        items = facts if isinstance(facts, tuple | list) else tuple(facts)
        groups: dict[str, list[Fact]] = {}
        for cls, run in itertools.groupby(items, type):
            if not issubclass(cls, Fact):
                raise TypeError(f"FactSet takes Fact instances, got {cls.__name__}")
            found = groups.get(cls.KIND)
            if found is None:
                groups[cls.KIND] = list(run)
            else:
                found.extend(run)
        by_kind: dict[str, tuple[Fact, ...]] = {}
        for kind in sorted(groups):
            group = groups.pop(kind)
            ids = list(map(_by_id, group))
            if any(map(operator.ge, ids, itertools.islice(ids, 1, None))):
                # not in id order, or a repeated id
                group.sort(key=_by_id)
                ids.sort()
                if any(map(operator.eq, ids, itertools.islice(ids, 1, None))):
                    _raise_duplicate(kind, ids)
            by_kind[kind] = tuple(group)
        self._by_kind = by_kind
        self._len = len(items)
        self._idx = _Indexes()
        self._digest = digest
        self._trace: list[Any] | None = None
        self._guard: MutationGuard | None = None

    def _traced(self, trace: list[Any], guard: MutationGuard | None = None) -> FactSet:
        """A view sharing this set's facts and indexes that records what it hands out.

        With a ``guard``, the first fact of each kind handed out has the guard
        snapshot that kind first (see :mod:`fsrules._guard`).
        """
        view = FactSet.__new__(FactSet)
        view._by_kind = self._by_kind
        view._len = self._len
        view._idx = self._idx
        view._digest = self._digest
        view._trace = trace
        view._guard = guard
        return view

    def _note(self, found: Any) -> None:
        """Record ``found`` (a fact or a tuple of facts of one kind) as handed out."""
        trace = self._trace
        if trace is not None and found:
            guard = self._guard
            if guard is not None:
                kind = found.KIND if isinstance(found, Fact) else found[0].KIND
                if kind not in guard.kinds:
                    guard.watch_kind(kind, self._by_kind.get(kind, _EMPTY))
            trace.append(found)

    def _ids(self, kind: str) -> dict[str, Fact]:
        index = self._idx.by_id.get(kind)
        if index is None:
            facts = self._by_kind.get(kind, _EMPTY)
            index = self._idx.by_id[kind] = dict(zip(map(_by_id, facts), facts, strict=True))
        return index

    # ------------------------------------------------------------------ lazy indexes

    def _operator_regions(self) -> dict[str, str | None]:
        ops = self._idx.operators
        if ops is None:
            facts = self._by_kind.get(Operator.KIND, _EMPTY)
            ops = dict(zip(map(_by_id, facts), _column(facts, "own_region", "REGION_FIELD"),
                           strict=True))
            self._idx.operators = ops
        return ops

    def _subject_index(self, kind: str) -> dict[str, tuple[Fact, ...]]:
        index = self._idx.by_subject.get(kind)
        if index is None:
            facts = self._by_kind.get(kind, _EMPTY)
            grouped: dict[str, list[Fact]] = defaultdict(list)
            for subject, fact in zip(_column(facts, "subject_id", "SUBJECT_FIELD"), facts,
                                     strict=True):
                if subject is not None:
                    grouped[subject].append(fact)
            index = {k: tuple(v) for k, v in grouped.items()}
            self._idx.by_subject[kind] = index
        return index

    def _region_index(self, kind: str) -> dict[str, tuple[Fact, ...]]:
        index = self._idx.by_region.get(kind)
        if index is None:
            facts = self._by_kind.get(kind, _EMPTY)
            regions = _column(facts, "own_region", "REGION_FIELD")
            if not all(regions):  # some take their operator's code
                operators = self._operator_regions()
                regions = [region or (operators.get(subject) if subject is not None else None)
                           for region, subject in zip(
                               regions, _column(facts, "subject_id", "SUBJECT_FIELD"),
                               strict=True)]
            # Group by code (facts stay in id order), then give each prefix the facts
            # of its codes, merged back into id order when a prefix has several.
            by_code: dict[str, list[Fact]] = defaultdict(list)
            codes_seen = set(regions)
            if len(codes_seen) == 1:  # one county: no per-fact grouping
                [only] = codes_seen
                if only:
                    by_code[only] = list(facts)
            else:
                for region, fact in zip(regions, facts, strict=True):
                    if region:
                        by_code[region].append(fact)
            codes: dict[str, list[str]] = defaultdict(list)
            for code in by_code:
                for prefix in _prefixes(code):
                    codes[prefix].append(code)
            index = {prefix: tuple(by_code[found[0]]) if len(found) == 1 else tuple(
                         sorted(itertools.chain.from_iterable(by_code[c] for c in found),
                                key=_by_id))
                     for prefix, found in codes.items()}
            self._idx.by_region[kind] = index
        return index

    def _date_index(self, kind: str) -> tuple[tuple[Fact, ...], list[dt.date]]:
        index = self._idx.by_date.get(kind)
        if index is None:
            facts: Sequence[Fact] = self._by_kind.get(kind, _EMPTY)
            dates = _dates(facts)
            if None in dates:
                keep = list(map(operator.is_not, dates, itertools.repeat(None)))
                facts = list(itertools.compress(facts, keep))
                dates = list(itertools.compress(dates, keep))
            # facts are in id order and the sort is stable: by date, then id
            order = sorted(range(len(dates)), key=dates.__getitem__)
            index = (tuple(map(facts.__getitem__, order)), list(map(dates.__getitem__, order)))
            self._idx.by_date[kind] = index
        return index

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Fact]:
        """Every fact, ordered by kind then id."""
        for kind in sorted(self._by_kind):
            self._note(self._by_kind[kind])
            yield from self._by_kind[kind]

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Fact) and self._ids(item.KIND).get(item.id) == item

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
        found = self._ids(self._kind(kind)).get(fact_id)
        self._note(found)
        return found

    def operator(self, operator_id: str) -> Operator | None:
        """The operator with ``operator_id``, or None."""
        found = self._ids(Operator.KIND).get(operator_id)
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
        name = kind if isinstance(kind, str) else kind.KIND
        index = self._idx.by_subject.get(name)
        found = (self._subject_index(name) if index is None else index).get(subject_id, _EMPTY)
        if self._trace is not None:
            self._note(found)
        if (start is None and end is None) or not found:
            return found
        return _within_dates(found, start, end)

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
        if (start is None and end is None) or not found:
            return found
        return _within_dates(found, start, end)

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

    def shared(self, compute: Callable[..., T], *args: Hashable) -> T:
        """``compute(facts, *args)``, worked out once for these facts and shared by the
        rules that ask (see :mod:`fsrules._shared`): ``compute`` is a pure function of
        the facts and ``args``, a module-level function so that it is the same key."""
        value: T = self._idx.shared.get(self, compute, args)
        return value

    def region_of(self, fact: Fact) -> str | None:
        """The division code a fact belongs to (its own, else its operator's)."""
        own = fact.own_region
        if own:
            return own
        found = self._ids(Operator.KIND).get(fact.subject_id) if fact.subject_id else None
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
        # Grouped and checked per kind with C-level passes; on any problem the
        # per-fact loop names the first offending fact, in input order.
        added: dict[str, list[Fact]] = {}
        if all(map(isinstance, new, itertools.repeat(Fact))):
            for kind, run in itertools.groupby(new, _kind_of):
                added.setdefault(kind, []).extend(run)
        if not added or not all(
                len(ids) == len(set(ids)) and self._ids(kind).keys().isdisjoint(ids)
                for kind, ids in ((k, list(map(_by_id, g))) for k, g in added.items())):
            self._raise_for(new)
        out = FactSet.__new__(FactSet)
        touched = set(added)
        by_kind = dict(self._by_kind)
        for kind, group in added.items():
            by_kind[kind] = tuple(sorted((*by_kind.get(kind, ()), *group), key=_by_id))
        out._by_kind = dict(sorted(by_kind.items()))
        out._len = self._len + len(new)
        idx = _Indexes()
        old = self._idx
        idx.by_id = {k: v for k, v in old.by_id.items() if k not in touched}
        idx.by_subject = {k: v for k, v in old.by_subject.items() if k not in touched}
        idx.by_date = {k: v for k, v in old.by_date.items() if k not in touched}
        if Operator.KIND not in touched:
            idx.by_region = {k: v for k, v in old.by_region.items() if k not in touched}
            idx.operators = old.operators
        out._idx = idx
        out._digest = None
        out._trace = None
        out._guard = None
        return out

    def _raise_for(self, new: Sequence[Fact]) -> None:
        """Raise for the first fact of ``new`` that is not a Fact or repeats one."""
        seen: set[tuple[str, str]] = set()
        for fact in new:
            if not isinstance(fact, Fact):
                raise TypeError(f"FactSet takes Fact instances, got {type(fact).__name__}")
            key = fact.key
            if key in seen or fact.id in self._ids(fact.KIND):
                raise ValueError(f"duplicate fact {fact.KIND} {fact.id!r}")
            seen.add(key)
        raise AssertionError("with_facts found a problem the per-fact check does not")

    def digest(self) -> str:
        """The input digest of these facts (see :mod:`fsrules._digest`), computed once."""
        if self._digest is None:
            from fsrules._digest import input_digest

            self._digest = input_digest(itertools.chain.from_iterable(self._by_kind.values()))
        return self._digest
