"""What a load returns: the accepted facts, the diagnostics and per-file counts."""

from __future__ import annotations

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules.model import Fact

__all__ = ["FileStats", "LoadResult", "Tally"]

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING


@attrs.frozen(kw_only=True)
class FileStats:
    """Record counts of one input file (or one sheet, or one ``load_records`` call).

    ``kind`` is ``None`` for a multi-kind JSON Lines file. ``total`` counts
    non-blank records; ``total == accepted + rejected`` always holds.
    """

    file: str
    kind: str | None
    total: int
    accepted: int
    rejected: int


@attrs.frozen(kw_only=True)
class LoadResult:
    """What a load produced: the accepted facts and a diagnostic for every problem.

    ``facts`` are sorted by kind, then id; ``diagnostics`` by
    :meth:`Diagnostic.sort_key` (errors first, then by place). New attributes
    (an input digest, for instance) are added as keyword fields with defaults,
    so code that builds or reads a result keeps working.
    """

    facts: tuple[Fact, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[FileStats, ...]
    digest: str | None = attrs.field(default=None, eq=False)
    """The input digest of ``facts`` (:func:`fsrules.input_digest`), computed once, at load."""

    @property
    def total(self) -> int:
        """Records read, over all files."""
        return sum(f.total for f in self.files)

    @property
    def accepted(self) -> int:
        """Records that became facts."""
        return sum(f.accepted for f in self.files)

    @property
    def rejected(self) -> int:
        """Records that did not become facts (each has at least one error diagnostic)."""
        return sum(f.rejected for f in self.files)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error-level diagnostics."""
        return tuple(d for d in self.diagnostics if d.level is _ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The warning-level diagnostics."""
        return tuple(d for d in self.diagnostics if d.level is _WARNING)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not any(d.level is _ERROR for d in self.diagnostics)


class Tally:
    """The running counts of one file, frozen into :class:`FileStats` at the end."""

    __slots__ = ("accepted", "file", "kind", "rejected", "total")

    def __init__(self, file: str, kind: str | None) -> None:
        self.file = file
        self.kind = kind
        self.total = 0
        self.accepted = 0
        self.rejected = 0

    def count(self, accepted: bool) -> None:
        """Count one record."""
        self.total += 1
        if accepted:
            self.accepted += 1
        else:
            self.rejected += 1

    def freeze(self) -> FileStats:
        return FileStats(file=self.file, kind=self.kind, total=self.total,
                         accepted=self.accepted, rejected=self.rejected)
