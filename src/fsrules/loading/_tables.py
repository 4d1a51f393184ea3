"""Tables (CSV, text exports, sheets): find the header, map it, read one record per row.

Platform exports put a title, a date line or notes above the header; the
header is the row, among the first :data:`HEADER_SCAN` non-blank rows, that
names the most known columns (the first such row; the first non-blank row
when none names any). Rows above it are reported once, as information, and
are not records.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from fsrules._diagnostics import DiagnosticLevel
from fsrules._i18n import Text
from fsrules.loading._readers import ReadError
from fsrules.loading._records import Column, RecordBuilder
from fsrules.loading._result import Tally
from fsrules.loading._state import FLUSH_TEXTS, LoadState
from fsrules.loading._text import blank, raw_text
from fsrules.loading._values import KindPlan

__all__ = ["HEADER_SCAN", "load_table"]

HEADER_SCAN = 20

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING
_INFO = DiagnosticLevel.INFO

#: What a reader yields for each row: its cells, or the problem that row has.
Cells = Sequence[object] | ReadError
Row = tuple[int, Cells]


def _score(plan: KindPlan, cells: Sequence[object], state: LoadState) -> int:
    fields = set()
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            fp = plan.lookup(cell.strip(), state.normalize)
            if fp is not None:
                fields.add(fp.name)
    return len(fields)


def _find_header(
    state: LoadState, plan: KindPlan, rows: Iterator[Row]
) -> tuple[tuple[int, Sequence[object]] | None, list[tuple[int, Sequence[object]]], list[Row]]:
    """(header, rows above it, rows after it already read) from the first non-blank rows."""
    candidates: list[Row] = []
    for item in rows:
        cells = item[1]
        if isinstance(cells, ReadError) or not blank(cells):
            candidates.append(item)
            if len(candidates) >= HEADER_SCAN:
                break
    best, best_score = -1, 0
    for position, (_, cells) in enumerate(candidates):
        if isinstance(cells, ReadError) or len(cells) > state.limits.max_columns:
            continue
        score = _score(plan, cells, state)
        if score > best_score:
            best, best_score = position, score
    if best < 0:  # nothing names a known column: the first readable row, as before
        best = next((i for i, (_, c) in enumerate(candidates) if not isinstance(c, ReadError)),
                    -1)
        if best < 0:
            return None, [], candidates
    above = [(n, c) for n, c in candidates[:best] if not isinstance(c, ReadError)]
    errors_above = [item for item in candidates[:best] if isinstance(item[1], ReadError)]
    number, cells = candidates[best]
    assert not isinstance(cells, ReadError)
    return (number, cells), above, errors_above + candidates[best + 1:]


def load_table(
    state: LoadState,
    builder: RecordBuilder,
    shown: str,
    plan: KindPlan,
    rows: Iterable[Cells],
    tally: Tally,
) -> None:
    """Find the header row and then read one record per non-blank row (row 1 is the first)."""
    iterator = enumerate(rows, start=1)
    header, above, pending = _find_header(state, plan, iterator)
    if header is None:
        _count_errors(state, shown, plan, pending, tally)
        if tally.total == 0:
            state.report(_WARNING, "input.empty_file",
                         Text("文件中没有表头，也没有记录", "the file has no header and no records"),
                         Text("如不需要此文件，请将其删除", "delete the file if it is not needed"),
                         file=shown, kind=plan.kind)
        return
    header_row, header_cells = header
    if above:
        first = " | ".join(str(raw_text(c)) for c in above[0][1] if c not in (None, ""))
        state.report(
            _INFO, "input.title_rows",
            Text(f"表头在第 {header_row} 行；其上 {len(above)} 行（标题、说明）未作为记录读取",
                 f"the header is row {header_row}; the {len(above)} row(s) above it (titles, "
                 f"notes) were not read as records"),
            Text("如表头识别有误，请删除表头上方的行", "if this is the wrong header, delete the rows "
                 "above the header"),
            file=shown, row=above[0][0], value=first[:200], kind=plan.kind)
    columns = _map_header(state, shown, plan, header_row, header_cells)
    remaining = itertools.chain(pending, iterator)
    if columns is None:  # reported once for the file; every record counts as rejected
        for _, cells in remaining:
            if isinstance(cells, ReadError) or not blank(cells):
                tally.count(False)
        return
    fast, build = builder.table_row(plan, columns, shown), builder.build
    max_columns = state.limits.max_columns
    total = accepted = 0
    for number, cells in remaining:
        if isinstance(cells, ReadError):
            state.report(_ERROR, cells.code, cells.message, cells.hint, file=shown, row=number,
                         kind=plan.kind)
            total += 1
            continue
        head = cells[0] if cells else None
        if (head is None or (head.__class__ is str and (not head or head.isspace()))) \
                and blank(cells):
            continue
        total += 1
        if len(cells) > max_columns:
            _too_wide(state, shown, number, plan, len(cells), max_columns)
            continue
        if fast(cells, number):
            accepted += 1
            if not accepted % FLUSH_TEXTS:
                state.flush_texts()
            continue
        width = len(cells)
        items = [(fp, label, cells[i] if i < width else None) for i, label, fp in columns]
        if build(plan, items, shown, number, keyed=False):
            accepted += 1
    tally.total += total
    tally.accepted += accepted
    tally.rejected += total - accepted


def _count_errors(state: LoadState, shown: str, plan: KindPlan, rows: list[Row],
                  tally: Tally) -> None:
    for number, cells in rows:
        if isinstance(cells, ReadError):
            state.report(_ERROR, cells.code, cells.message, cells.hint, file=shown, row=number,
                         kind=plan.kind)
            tally.count(False)


def _too_wide(state: LoadState, shown: str, row: int | None, plan: KindPlan, width: int,
              limit: int) -> None:
    state.report(
        _ERROR, "input.too_many_columns",
        Text(f"此行有 {width:,} 列，超过上限 {limit:,} 列，未读取",
             f"this row has {width:,} columns, over the limit of {limit:,}; not read"),
        Text("请检查分隔符是否正确，删除多余的列，或调高上限（LoadLimits.max_columns）",
             "check the delimiter, delete the extra columns, or raise the limit "
             "(LoadLimits.max_columns)"),
        file=shown, row=row, kind=plan.kind)


def _map_header(
    state: LoadState, shown: str, plan: KindPlan, header_row: int, cells: Sequence[object]
) -> list[Column] | None:
    if len(cells) > state.limits.max_columns:
        _too_wide(state, shown, header_row, plan, len(cells), state.limits.max_columns)
        return None
    columns: list[Column] = []
    used: dict[str, str] = {}
    unknown: list[str] = []
    limit = state.limits.max_repeated_warnings
    for index, cell in enumerate(cells):
        if cell is None:
            continue
        label = (raw_text(cell) or "").strip()
        if not label:
            continue
        fp = plan.lookup(label, state.normalize)
        if fp is None:
            unknown.append(label)
            if len(unknown) <= limit:
                state.report(
                    _WARNING, "input.unknown_column",
                    Text(f"未知列「{label}」，已忽略", f"unknown column {label!r}; ignored"),
                    Text(f"可用列名：{plan.accepted_headers()}",
                         f"accepted columns: {plan.accepted_headers()}"),
                    file=shown, row=header_row, field=label, kind=plan.kind)
        elif fp.name in used:
            state.report(
                _WARNING, "input.duplicate_column",
                Text(f"列「{label}」与列「{used[fp.name]}」都表示 {fp.name}，只读取前者",
                     f"columns {used[fp.name]!r} and {label!r} both mean {fp.name}; "
                     f"only the first is read"),
                Text("请删除重复的列", "delete the repeated column"),
                file=shown, row=header_row, field=label, kind=plan.kind)
        else:
            used[fp.name] = label
            columns.append((index, label, fp))
    if len(unknown) > limit:
        more = len(unknown) - limit
        state.report(
            _WARNING, "input.unknown_column",
            Text(f"另有 {more:,} 个未知列，已忽略（共 {len(unknown):,} 个）",
                 f"{more:,} more unknown columns ignored ({len(unknown):,} in all)"),
            Text("请检查表头行和分隔符是否正确", "check the header row and the delimiter"),
            file=shown, row=header_row, kind=plan.kind)
    missing = [fp for fp in plan.required if fp.name not in used]
    for fp in missing:
        zh = "、".join(fp.zh)
        first = fp.zh[0] if fp.zh else fp.name
        state.report(
            _ERROR, "input.missing_column",
            Text(f"缺少必填列「{first}」（{fp.name}），本文件的记录均未导入",
                 f"the required column {fp.name} ({first}) is missing; no record of this file "
                 f"was loaded"),
            Text(f"请在表头行增加“{fp.name}”列" + (f"（也可写作：{zh}）" if zh else ""),
                 f"add a column headed {fp.name}" + (f" (or {zh})" if zh else "")
                 + " to the header row"),
            file=shown, row=header_row, field=fp.name, kind=plan.kind)
    return None if missing else columns
