"""The state of one load: fact kinds, plans, limits, counts, diagnostics, ids seen."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules.loading._result import LoadResult, Tally
from fsrules.loading._text import fast_normalizer, raw_text
from fsrules.loading._values import KindPlan, build_plan
from fsrules.model import BUILTIN_FACT_KINDS, Fact

__all__ = ["LoadLimits", "LoadState"]


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
        self.diagnostics: list[Diagnostic] = []
        self.tallies: list[Tally] = []
        #: kind -> id -> where its first record was: the index of the file in
        #: ``files_seen`` shifted left 32 bits, or'ed with the row (0: none).
        self.seen: dict[str, dict[str, int]] = {}
        self.files_seen: list[str] = []
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
            Diagnostic(level=level, code=code, message=message, hint=hint, file=file, row=row,
                       field=None if field is None else raw_text(field), value=raw_text(value),
                       kind=kind, record_id=None if record_id is None else raw_text(record_id))
        )

    def known_kinds(self) -> str:
        return ", ".join(sorted(cls.KIND for cls in self.kinds.values()))

    def result(self) -> LoadResult:
        by_kind: dict[str, list[Fact]] = {}
        for fact in self.facts:
            group = by_kind.get(fact.KIND)
            if group is None:
                group = by_kind[fact.KIND] = []
            group.append(fact)
        self.facts.clear()
        by_id = operator.attrgetter("id")
        for kind in sorted(by_kind):
            self.facts.extend(sorted(by_kind.pop(kind), key=by_id))
        return LoadResult(
            facts=tuple(self.facts),
            diagnostics=tuple(sorted(self.diagnostics, key=Diagnostic.sort_key)),
            files=tuple(t.freeze() for t in self.tallies),
        )

