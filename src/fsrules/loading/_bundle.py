"""Loading fact bundles: every record ends as a fact or as a diagnostic.

A load walks the given paths (directories one level deep, in name order),
picks each file's kind from its name, reads its rows as a stream, finds and
maps the header through the kind's column plan, converts and checks each
cell, and builds the fact. Problems become :class:`~fsrules.Diagnostic`
objects located by file, row and column; nothing raises out of
:func:`load_bundle` for bad input. A load that accepted nothing is never
"clean": it carries an ``input.nothing_loaded`` error saying what was found.

The work is split by concept: :mod:`._files` (which files, as what),
:mod:`._readers`, :mod:`._encoding` and :mod:`._workbooks` (bytes to rows),
:mod:`._tables` and :mod:`._objects` (rows to records), :mod:`._records`
(record to fact), :mod:`._checks` (cached identifier checks),
:mod:`._state` and :mod:`._result` (what a load accumulates and returns).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fsrules._diagnostics import DiagnosticLevel
from fsrules._gcpause import paused_gc
from fsrules._i18n import Text
from fsrules.loading._checks import IdentifierChecks
from fsrules.loading._files import BundleReader
from fsrules.loading._objects import load_objects
from fsrules.loading._records import RecordBuilder
from fsrules.loading._result import LoadResult
from fsrules.loading._state import LoadLimits, LoadState
from fsrules.loading._text import safe_text
from fsrules.model import Fact

if TYPE_CHECKING:
    from fsrules.identifiers import DivisionRegistry

__all__ = ["load_bundle", "load_records"]

_ERROR = DiagnosticLevel.ERROR


def _nothing_loaded(state: LoadState, paths: Sequence[str | os.PathLike[str]]) -> None:
    """Report a load that accepted no record, saying what was found."""
    shown = ", ".join(safe_text(os.fspath(p)) for p in paths) or "(no path)"
    files = len(state.tallies)
    total = sum(t.total for t in state.tallies)
    if files == 0:
        found = Text("没有找到可读取的数据文件", "no data file was found")
    elif total == 0:
        found = Text(f"读取了 {files} 个数据文件，但其中没有记录",
                     f"{files} data file(s) were read but hold no records")
    else:
        found = Text(f"读取了 {files} 个数据文件中的 {total} 条记录，全部被拒绝",
                     f"all {total} records of {files} data file(s) were rejected")
    known = state.known_kinds()
    state.report(
        _ERROR, "input.nothing_loaded",
        Text(f"未导入任何记录：{found.zh}（{shown}）",
             f"no record was loaded: {found.en} ({shown})"),
        Text(f"请检查路径；数据文件以种类名或其中文名命名（如 operator.csv、经营主体.xlsx），"
             f"支持 CSV、TSV、TXT、JSON Lines、XLSX、XLS、ODS；可用种类：{known}",
             f"check the path; data files are named after their kind or its Chinese title "
             f"(operator.csv, 经营主体.xlsx) and may be CSV, TSV, TXT, JSON Lines, XLSX, XLS or "
             f"ODS; kinds: {known}"),
        file=safe_text(os.fspath(paths[0])) if len(paths) == 1 else None)


def load_bundle(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    kinds: Mapping[str, type[Fact]] | None = None,
    as_of: dt.date | None = None,
    divisions: DivisionRegistry | None = None,
    limits: LoadLimits | None = None,
) -> LoadResult:
    """Load facts from bundle directories and files.

    Each path is a directory holding one file per kind (``operator.csv``,
    ``抽检结果.xlsx``, ``inspection.jsonl`` ...), a single file named after
    its kind, a JSON Lines file whose records carry a ``kind`` field, or a
    workbook (XLSX, XLS, ODS) with a sheet per kind. Text exports may be
    UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5, separated by
    commas, tabs or semicolons, with title rows above the header.

    Args:
        paths: the directories and files (a single path is accepted too).
        kinds: the fact classes by kind name; defaults to the built-in kinds.
        as_of: the date division codes are checked at when a record has no
            date of its own; ``None`` checks their format only.
        divisions: a :class:`~fsrules.identifiers.DivisionRegistry` (anything
            with ``validate(code, on)``); defaults to the bundled history.
        limits: size caps (:class:`LoadLimits`); the defaults suit any county.

    Returns:
        The accepted facts and a diagnostic for every problem. Bad input
        never raises: every non-blank record is counted as accepted or
        rejected, and every rejection has an error diagnostic. When no
        record was accepted (no data files, no records, every record
        rejected) the result holds an ``input.nothing_loaded`` error.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    state = LoadState(kinds, limits)
    reader = BundleReader(state, RecordBuilder(state, IdentifierChecks(divisions), as_of))
    with paused_gc():  # facts hold no cycles: see fsrules._gcpause
        for path in paths:
            reader.load_path(path)
        if not state.facts:
            _nothing_loaded(state, paths)
        return state.result()  # sorting and the input digest too


def load_records(
    records: Iterable[Mapping[str, Any]],
    *,
    kind: str | type[Fact] | None = None,
    source: str = "<records>",
    kinds: Mapping[str, type[Fact]] | None = None,
    as_of: dt.date | None = None,
    divisions: DivisionRegistry | None = None,
) -> LoadResult:
    """Load facts from Python mappings, with the same conversions and checks as files.

    Keys may be field names or Chinese headers; values may be text as in a
    CSV cell or typed Python values (dates, numbers, enums, lists).

    Args:
        records: the records; diagnostics number them from 1.
        kind: the kind of every record (name, Chinese title or class); when
            ``None`` each record needs a ``kind`` key.
        source: what diagnostics name as the file.
        kinds, as_of, divisions: as for :func:`load_bundle`.
    """
    state = LoadState(kinds)
    builder = RecordBuilder(state, IdentifierChecks(divisions), as_of)
    cls: type[Fact] | None
    if kind is None:
        cls = None
    elif isinstance(kind, type):
        cls = kind
        state.by_name.setdefault(state.name_key(cls.KIND), cls)
    else:
        cls = state.kind_for(kind)
        if cls is None:
            state.report(
                _ERROR, "input.unknown_kind",
                Text(f"未知的记录种类 {kind}", f"unknown kind {kind!r}"),
                Text(f"可用种类：{state.known_kinds()}", f"kinds: {state.known_kinds()}"),
                file=source, value=kind)
            tally = state.tally(source, kind)
            for _ in records:
                tally.count(False)
            return state.result()
    tally = state.tally(source, None if cls is None else cls.KIND)
    load_objects(state, builder, source, enumerate(records, start=1), cls, tally)
    return state.result()
