"""Which files a load reads, as what, and which it refuses.

Paths given are read as bundle directories (one level, in name order) or
single files. A file's kind comes from its name (``operator.csv``,
``经营主体.xlsx``) or, for workbooks and multi-kind JSON Lines files, from
sheet names or each record's ``kind``. A link inside a bundle that points
outside it is refused, so a bundle cannot make the loader read (and echo)
files elsewhere (issue 13, D10); special files and oversized files are
refused by the readers (D4).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from fsrules._diagnostics import DiagnosticLevel
from fsrules._i18n import Text
from fsrules.loading._objects import load_objects
from fsrules.loading._readers import ReadError, read_csv, read_jsonl
from fsrules.loading._records import RecordBuilder
from fsrules.loading._state import LoadState
from fsrules.loading._tables import HEADER_SCAN, load_table
from fsrules.loading._text import blank, safe_text
from fsrules.loading._workbooks import WORKBOOK_SUFFIXES, Row, Workbook, open_workbook
from fsrules.model import Fact

__all__ = ["BundleReader"]

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING
_INFO = DiagnosticLevel.INFO

# Text exports and their default delimiter (the reader sniffs comma, tab and
# semicolon). ``.txt`` is Excel's "Unicode text"; it is data only when named
# after a kind, otherwise documentation.
_TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_DOC_SUFFIXES = frozenset({".md", ".txt", ".rst", ".pdf", ".html"})


def _is_documentation(name: str) -> bool:
    """Files a bundle folder may hold besides data; skipped without a warning."""
    path = Path(name.lower())
    return (path.name.startswith(".") or path.suffix in _DOC_SUFFIXES
            or (path.suffix == "" and path.stem in {"readme", "license", "notice", "copying"}))


class BundleReader:
    """Walks the given paths and hands each data file to the right reader."""

    def __init__(self, state: LoadState, builder: RecordBuilder) -> None:
        self.state = state
        self.builder = builder

    def _report_path_error(self, shown: str, reason: str) -> None:
        self.state.report(_ERROR, "input.io",
                          Text(f"无法读取：{reason}", f"cannot be read: {reason}"),
                          Text("请检查路径和权限", "check the path and permissions"), file=shown)

    def load_path(self, given: str | os.PathLike[str]) -> None:
        path = Path(given)
        shown = safe_text(os.fspath(given))
        try:
            is_dir, exists = path.is_dir(), path.exists() or path.is_symlink()
            entries = sorted(path.iterdir(), key=lambda p: p.name) if is_dir else []
            root = path.resolve() if is_dir else None
        except (OSError, ValueError, RuntimeError) as exc:  # permissions, NUL, link loops
            self._report_path_error(shown, getattr(exc, "strerror", None) or str(exc))
            return
        if root is not None:
            for entry in entries:
                entry_shown = os.path.join(shown, safe_text(entry.name))
                if _is_documentation(entry.name) and not self._names_kind_txt(entry):
                    continue  # README.md, LICENSE, .DS_Store: a bundle may carry its docs
                if not self._inside(entry, root, entry_shown):
                    continue
                self.load_file(entry, entry_shown, in_directory=True)
        elif exists:
            self.load_file(path, shown, in_directory=False)
        else:
            self.state.report(_ERROR, "input.io",
                              Text("文件或目录不存在", "no such file or directory"),
                              Text("请检查路径是否正确", "check the path"), file=shown)

    def _names_kind_txt(self, path: Path) -> bool:
        return path.suffix.lower() == ".txt" and self.state.kind_for(path.stem) is not None

    def _inside(self, entry: Path, root: Path, shown: str) -> bool:
        """False (reported) for a link that leads out of the bundle directory."""
        try:
            if not entry.is_symlink():
                return True
            target = entry.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            self._report_path_error(shown, getattr(exc, "strerror", None) or str(exc))
            return False
        if target == root or root in target.parents:
            return True
        self.state.report(
            _ERROR, "input.link_outside",
            Text("这是指向数据目录之外的链接，未读取", "a link that leads outside the bundle "
                 "directory; not read"),
            Text("请把数据文件本身复制到数据目录中，而不是放链接",
                 "copy the data file itself into the bundle instead of linking to it"),
            file=shown)
        return False

    def load_file(self, path: Path, shown: str, *, in_directory: bool) -> None:
        state = self.state
        suffix = path.suffix.lower()
        cls = state.kind_for(path.stem)
        limit = state.limits.max_file_bytes
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            self._unknown_file(shown, Text("子目录不会被读取", "sub-directories are not read"))
        elif suffix in _TABLE_SUFFIXES and cls is not None:
            tally = state.tally(shown, cls.KIND)
            try:
                load_table(state, self.builder, shown, state.plan(cls),
                           read_csv(path, delimiter=_TABLE_SUFFIXES[suffix], max_bytes=limit),
                           tally)
            except ReadError as exc:
                self._read_error(exc, shown, cls.KIND)
        elif suffix in _JSONL_SUFFIXES and (cls is not None or not path.stem.startswith(".")):
            tally = state.tally(shown, None if cls is None else cls.KIND)
            try:
                load_objects(state, self.builder, shown, read_jsonl(path, max_bytes=limit), cls,
                             tally)
            except ReadError as exc:
                self._read_error(exc, shown, None if cls is None else cls.KIND)
        elif suffix in WORKBOOK_SUFFIXES and not path.name.startswith(("~$", ".")):
            self.load_workbook(path, shown, cls, in_directory=in_directory)
        elif suffix in _TABLE_SUFFIXES and not in_directory:
            state.report(
                _ERROR, "input.unknown_kind",
                Text("无法从文件名判断记录种类",
                     "cannot tell the kind of record from the file name"),
                Text(f"请把文件命名为种类名或其中文名，如 operator.csv 或 经营主体.csv；"
                     f"可用种类：{state.known_kinds()}",
                     f"name the file after its kind or the kind's Chinese title, e.g. "
                     f"operator.csv or 经营主体.csv; kinds: {state.known_kinds()}"),
                file=shown)
        elif in_directory:
            self._unknown_file(shown, Text("不是可识别的数据文件，已忽略",
                                           "not a recognised data file; ignored"))
        else:
            state.report(
                _ERROR, "input.unknown_file",
                Text("不支持的文件类型", "unsupported file type"),
                Text("请使用 .csv、.tsv、.txt、.jsonl、.xlsx、.xls 或 .ods 文件",
                     "use a .csv, .tsv, .txt, .jsonl, .xlsx, .xls or .ods file"),
                file=shown)

    def _unknown_file(self, shown: str, message: Text) -> None:
        """Warn about a file in a bundle directory that is not data (and not documentation)."""
        known = self.state.known_kinds()
        self.state.report(
            _WARNING, "input.unknown_file", message,
            Text(f"数据文件应以种类名或其中文名命名，如 operator.csv、抽检结果.xlsx；可用种类：{known}",
                 f"data files are named after their kind or its Chinese title, e.g. "
                 f"operator.csv, 抽检结果.xlsx; kinds: {known}"),
            file=shown)

    def _read_error(self, exc: ReadError, shown: str, kind: str | None) -> None:
        self.state.report(_ERROR, exc.code, exc.message, exc.hint, file=shown, row=exc.row,
                          kind=kind)

    # -- workbooks ---------------------------------------------------------------

    def load_workbook(
        self, path: Path, shown: str, cls: type[Fact] | None, *, in_directory: bool
    ) -> None:
        """Every sheet named after a kind; in a kind-named file, also its best other sheet."""
        state = self.state
        try:
            book = open_workbook(path, state.limits.max_file_bytes)
        except ReadError as exc:
            self._read_error(exc, shown, None if cls is None else cls.KIND)
            return
        try:
            self._load_sheets(book, shown, cls, in_directory=in_directory)
        except ReadError as exc:
            self._read_error(exc, shown, None if cls is None else cls.KIND)
        finally:
            book.close()

    def _load_sheets(
        self, book: Workbook, shown: str, cls: type[Fact] | None, *, in_directory: bool
    ) -> None:
        state = self.state
        named = [(t, k) for t in book.titles if (k := state.kind_for(t)) is not None]
        others = [t for t in book.titles if state.kind_for(t) is None]
        chosen: str | None = None
        if cls is not None and all(k is not cls for _, k in named) and others:
            chosen = self._best_sheet(book, cls, others)
        for title in others:
            if title == chosen:
                continue
            if cls is not None:
                state.report(
                    _INFO, "input.ignored_sheet",
                    Text(f"工作表「{title}」未读取", f"sheet {title!r} was not read"),
                    Text("如需导入，请把工作表命名为种类名或其中文名，或另存为单独的文件",
                         "name the sheet after its kind (or the kind's Chinese title) or save "
                         "it as a file of its own to load it"),
                    file=shown, value=title)
            else:
                known = state.known_kinds()
                state.report(
                    _WARNING, "input.unknown_sheet",
                    Text(f"工作表「{title}」的名称不是记录种类，未读取",
                         f"sheet {title!r} is not named after a kind of record; not read"),
                    Text(f"请把工作表命名为种类名或其中文名；可用种类：{known}",
                         f"name the sheet after its kind or the kind's Chinese title; "
                         f"kinds: {known}"),
                    file=shown, value=title)
        if not named and chosen is None and cls is None and not in_directory:
            state.report(
                _ERROR, "input.unknown_kind",
                Text("无法从文件名或工作表名判断记录种类",
                     "cannot tell the kind of record from the file or sheet names"),
                Text("请把文件或工作表命名为种类名或其中文名，如 operator.xlsx 或工作表“经营主体”",
                     "name the file or its sheets after their kinds, e.g. operator.xlsx or a "
                     "sheet named 经营主体"),
                file=shown)
        if chosen is not None and cls is not None:
            self._load_sheet(book, chosen, cls, shown, label=shown)
        for title, kind in named:
            self._load_sheet(book, title, kind, shown, label=f"{shown}#{safe_text(title)}")

    def _load_sheet(self, book: Workbook, title: str, cls: type[Fact], shown: str,
                    *, label: str) -> None:
        tally = self.state.tally(label, cls.KIND)
        load_table(self.state, self.builder, label, self.state.plan(cls), book.rows(title),
                   tally)

    def _best_sheet(self, book: Workbook, cls: type[Fact], titles: list[str]) -> str:
        """The sheet whose first rows name the most of ``cls``'s columns (else the first
        sheet with content, else the first sheet)."""
        plan = self.state.plan(cls)
        best, best_score, first_filled = titles[0], 0, None
        for title in titles:
            score = 0
            for cells in _first_rows(book.rows(title)):
                if first_filled is None:
                    first_filled = title
                named = {fp.name for c in cells if isinstance(c, str) and c.strip()
                         if (fp := plan.lookup(c.strip(), self.state.normalize)) is not None}
                score = max(score, len(named))
            if score > best_score:
                best, best_score = title, score
        if best_score == 0 and first_filled is not None:
            return first_filled
        return best


def _first_rows(rows: Iterator[Row]) -> Iterator[Row]:
    count = 0
    for cells in rows:
        if not blank(cells):
            yield cells
            count += 1
            if count >= HEADER_SCAN:
                return
