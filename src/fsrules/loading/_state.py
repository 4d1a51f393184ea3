"""The state of one load: fact kinds, plans, limits, counts, diagnostics, ids seen."""

from __future__ import annotations

import array
import itertools
import operator
from collections.abc import Callable, Mapping

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._digest import InputDigest, fact_text
from fsrules._i18n import Text
from fsrules.loading._result import LoadResult, Tally
from fsrules.loading._text import fast_normalizer, raw_text, safe_message
from fsrules.loading._values import KindPlan, build_plan
from fsrules.model import BUILTIN_FACT_KINDS, Fact

__all__ = ["FLUSH_TEXTS", "LoadLimits", "LoadState"]

#: Canonical texts kept before they are hashed into the digest.
FLUSH_TEXTS = 8192

_KIND = operator.attrgetter("KIND")


@attrs.frozen(kw_only=True)
class LoadLimits:
    """Caps that keep a hostile or mistaken input from exhausting the machine.

    A file over ``max_file_bytes`` is refused with a message; a row wider than
    ``max_columns`` is rejected as a record; a warning repeated more than
    ``max_repeated_warnings`` times in one file is summarised as one line with
    the count. The defaults are far above any county's export.
    """

    max_file_bytes: int = 2 * 1024**3
    max_columns: int = 1_000
    max_repeated_warnings: int = 20


class LoadState:
    """Everything one load accumulates; the readers and builders report into it."""

    def __init__(
        self, kinds: Mapping[str, type[Fact]] | None, limits: LoadLimits | None = None
    ) -> None:
        from fsrules.identifiers import normalize_text

        self.normalize: Callable[[str], str] = fast_normalizer(normalize_text)
        if kinds is None:
            kinds = {cls.KIND: cls for cls in BUILTIN_FACT_KINDS}
        self.kinds = kinds
        self.limits = limits or LoadLimits()
        # Kind names first, so that no Chinese title can shadow a kind name.
        self.by_name: dict[str, type[Fact]] = {}
        for name, cls in kinds.items():
            for alias in (name, cls.KIND):
                self.by_name.setdefault(self.name_key(alias), cls)
        for cls in kinds.values():
            if cls.TITLE_ZH:
                self.by_name.setdefault(self.name_key(cls.TITLE_ZH), cls)
        self.plans: dict[type[Fact], KindPlan] = {}
        self.facts: list[Fact] = []
        #: The input digest of the facts recorded so far, less those of ``texts``.
        self.digest = InputDigest()
        #: The canonical texts (:func:`fsrules._digest.fact_text`) of the facts
        #: recorded since the last :meth:`flush_texts`, one per fact.
        self.texts: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.tallies: list[Tally] = []
        #: kind -> the ids accepted so far (a set: no object per record beyond the id).
        self.seen: dict[str, set[str]] = {}
        #: Where each fact of ``facts`` came from: its file (index into
        #: ``files_seen``) and row (0: none), packed in arrays of machine ints.
        self.fact_files = array.array("I")
        self.fact_rows = array.array("I")
        self.files_seen: list[str] = []
        #: kind -> id -> index in ``facts``, built only once a kind has a repeated id.
        self._first: dict[str, tuple[dict[str, int], list[int]]] = {}
        self._file_index: dict[str, int] = {}

    def name_key(self, name: str) -> str:
        return self.normalize(name).casefold()

    def kind_for(self, name: object) -> type[Fact] | None:
        """The fact class a file stem, sheet title or ``kind`` value names."""
        if not isinstance(name, str):
            return None
        return self.by_name.get(self.name_key(name))

    def plan(self, cls: type[Fact]) -> KindPlan:
        plan = self.plans.get(cls)
        if plan is None:
            plan = self.plans[cls] = build_plan(cls, self.normalize)
        return plan

    def tally(self, file: str, kind: str | None) -> Tally:
        tally = Tally(file, kind)
        self.tallies.append(tally)
        return tally

    def file_index(self, shown: str) -> int:
        index = self._file_index.get(shown)
        if index is None:
            index = self._file_index[shown] = len(self.files_seen)
            self.files_seen.append(shown)
        return index

    def record(self, fact: Fact, file_index: int, row: int | None) -> bool:
        """Record an accepted fact; False (nothing recorded) when its id is taken."""
        ids = self.seen.get(fact.KIND)
        if ids is None:
            ids = self.seen[fact.KIND] = set()
        elif fact.id in ids:
            return False
        ids.add(fact.id)
        self.facts.append(fact)
        self.fact_files.append(file_index)
        self.fact_rows.append(row or 0)
        self.texts.append(fact_text(fact))
        if len(self.texts) >= FLUSH_TEXTS:
            self.flush_texts()
        return True

    def flush_texts(self) -> None:
        """Hash the canonical texts gathered so far into the digest (bounds their memory)."""
        self.digest.add_texts(self.texts)
        self.texts.clear()

    def first_place(self, kind: str, fact_id: str) -> tuple[str, int | None]:
        """(file, row) of the accepted fact of ``kind`` with ``fact_id``.

        Repeated ids are rare, so the index is built on the first one, and
        brought up to date on each later one by scanning only new facts.
        """
        index, done = self._first.setdefault(kind, ({}, [0]))
        facts = self.facts
        for position in range(done[0], len(facts)):
            fact = facts[position]
            if kind == fact.KIND:
                index.setdefault(fact.id, position)
        done[0] = len(facts)
        position = index[fact_id]
        return self.files_seen[self.fact_files[position]], self.fact_rows[position] or None

    def report(
        self,
        level: DiagnosticLevel,
        code: str,
        message: Text,
        hint: Text | None,
        *,
        file: str | None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        kind: str | None = None,
        record_id: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(level=level, code=code, message=safe_message(message),
                       hint=None if hint is None else safe_message(hint), file=file, row=row,
                       field=None if field is None else raw_text(field), value=raw_text(value),
                       kind=kind, record_id=None if record_id is None else raw_text(record_id))
        )

    def known_kinds(self) -> str:
        return ", ".join(sorted(cls.KIND for cls in self.kinds.values()))

    def result(self) -> LoadResult:
        # Not needed any more: freed before the facts are sorted.
        self.seen.clear()
        self._first.clear()
        del self.fact_files[:], self.fact_rows[:]
        by_kind: dict[str, list[Fact]] = {}
        # The facts of one file are one run of one kind: grouped a run at a time.
        for kind, run in itertools.groupby(self.facts, _KIND):
            group = by_kind.get(kind)
            if group is None:
                by_kind[kind] = list(run)
            else:
                group.extend(run)
        self.facts.clear()
        by_id = operator.attrgetter("id")
        for kind in sorted(by_kind):
            self.facts.extend(sorted(by_kind.pop(kind), key=by_id))
        facts = tuple(self.facts)
        self.flush_texts()
        assert self.digest.count == len(facts), "a fact without its canonical text"
        return LoadResult(
            facts=facts,
            diagnostics=tuple(sorted(self.diagnostics, key=Diagnostic.sort_key)),
            files=tuple(t.freeze() for t in self.tallies),
            digest=self.digest.hexdigest(),
        )

