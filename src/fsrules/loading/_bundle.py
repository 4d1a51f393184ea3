"""Loading fact bundles: every record ends as a fact or as a diagnostic.

A load walks the given paths (directories one level deep, in name order),
picks each file's kind from its name, reads its rows, maps the header to
fields through the kind's column plan, converts and checks each cell, and
builds the fact. Problems become :class:`~fsrules.Diagnostic` objects
located by file, row and column; nothing raises out of :func:`load_bundle`
for bad input.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._digest import input_digest
from fsrules._i18n import Text
from fsrules.exceptions import IdentifierError
from fsrules.loading._dates import ValueProblem
from fsrules.loading._readers import ReadError, read_csv, read_jsonl, read_workbook
from fsrules.loading._values import LIST_SEPARATORS, FieldPlan, KindPlan, build_plan
from fsrules.model import BUILTIN_FACT_KINDS, Fact, LicenceKind, dump_fact

if TYPE_CHECKING:
    from fsrules.identifiers import DivisionRegistry

__all__ = ["FileStats", "LoadResult", "dump_bundle", "load_bundle", "load_records"]

#: A problem with a record: the field it concerns (None: the whole record),
#: the diagnostic code, message and hint.
_Problem = tuple[str | None, str, Text, Text]

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING
_INFO = DiagnosticLevel.INFO

_MISSING = object()
_MEMO_LIMIT = 4096
_TABLE_SUFFIXES: Mapping[str, str] = MappingProxyType({".csv": ",", ".tsv": "\t"})
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Licence kinds whose numbers have a national format (JY, SC, YB); 登记证 and
# 备案卡 numbers are set by each province and are not checked.
_NUMBERED_LICENCES = frozenset({LicenceKind.BUSINESS, LicenceKind.PRODUCTION, LicenceKind.FILING})
_DIVISION_FORMAT = re.compile(r"\d{6}(?:\d{6})?")


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
    :meth:`Diagnostic.sort_key` (errors first, then by place).
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


class _Tally:
    __slots__ = ("accepted", "file", "kind", "rejected", "total")

    def __init__(self, file: str, kind: str | None) -> None:
        self.file = file
        self.kind = kind
        self.total = 0
        self.accepted = 0
        self.rejected = 0

    def freeze(self) -> FileStats:
        return FileStats(file=self.file, kind=self.kind, total=self.total,
                         accepted=self.accepted, rejected=self.rejected)


def _raw_text(raw: object) -> str | None:
    """A cell as the user wrote it, for a diagnostic's ``value``."""
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, list | dict):
        try:
            return json.dumps(raw, ensure_ascii=False)
        except (TypeError, ValueError):
            return repr(raw)
    return str(raw)


def _split_bilingual(exc: IdentifierError) -> tuple[Text, Text]:
    """Message and hint of an identifier error as ``Text``.

    fsrules.identifiers writes ``"{zh}。{zh_fix} / {en}; {en_fix}"`` with the
    hint ``"{zh_fix} / {en_fix}"``; both halves may themselves contain
    ``" / "``, so the split is found where message and hint agree.
    """
    message, hint = str(exc), exc.hint
    start = 0
    while (i := hint.find(" / ", start)) >= 0:
        zh_fix, en_fix = hint[:i], hint[i + 3:]
        marker = f"。{zh_fix} / "
        j = message.find(marker)
        if j >= 0 and message.endswith(f"; {en_fix}"):
            en = message[j + len(marker): len(message) - len(en_fix) - 2]
            return Text(message[:j], en), Text(zh_fix, en_fix)
        start = i + 1
    return Text(message, message), Text(hint or message, hint or message)


def _fast_normalizer(normalize_text: Callable[[str], str]) -> Callable[[str], str]:
    """``normalize_text`` with a shortcut for ASCII and a bounded memo for the rest.

    For ASCII text NFKC changes nothing and there are no zero-width
    characters, so only the whitespace step remains. Chinese cells repeat a
    lot (enum labels, product names), so their results are memoised.
    """
    memo: dict[str, str] = {}

    def normalize(text: str) -> str:
        if text.isascii():
            return " ".join(text.split())
        result = memo.get(text)
        if result is None:
            result = normalize_text(text)
            if len(memo) < 50_000:
                memo[text] = result
        return result

    return normalize


def _split_pair(text: str) -> Text:
    zh, sep, en = text.partition(" / ")
    return Text(zh, en) if sep else Text(text, text)


def _blank(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str) and not cell.strip():
            continue
        return False
    return True


class _Loader:
    """The state of one load: plans, counts, diagnostics, ids seen."""

    def __init__(
        self,
        kinds: Mapping[str, type[Fact]] | None,
        as_of: dt.date | None,
        divisions: DivisionRegistry | None,
    ) -> None:
        from fsrules.identifiers import (
            default_registry,
            normalize_text,
            parse_licence_number,
            validate_uscc,
        )

        self.normalize: Callable[[str], str] = _fast_normalizer(normalize_text)
        self.validate_uscc = validate_uscc
        self.parse_licence_number = parse_licence_number
        self.divisions = default_registry() if divisions is None else divisions
        if kinds is None:
            kinds = {cls.KIND: cls for cls in BUILTIN_FACT_KINDS}
        self.kinds = kinds
        self.as_of = as_of
        # Kind names first, so that no Chinese title can shadow a kind name.
        self.by_name: dict[str, type[Fact]] = {}
        for name, cls in kinds.items():
            for alias in (name, cls.KIND):
                self.by_name.setdefault(self._name_key(alias), cls)
        for cls in kinds.values():
            if cls.TITLE_ZH:
                self.by_name.setdefault(self._name_key(cls.TITLE_ZH), cls)
        self.plans: dict[type[Fact], KindPlan] = {}
        self.facts: list[Fact] = []
        self.diagnostics: list[Diagnostic] = []
        self.tallies: list[_Tally] = []
        self.seen: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.division_cache: dict[tuple[str, dt.date | None],
                                  tuple[Text, Text, bool] | None] = {}

    # -- helpers -------------------------------------------------------------

    def _name_key(self, name: str) -> str:
        return self.normalize(name).casefold()

    def kind_for(self, name: object) -> type[Fact] | None:
        """The fact class a file stem, sheet title or ``kind`` value names."""
        if not isinstance(name, str):
            return None
        return self.by_name.get(self._name_key(name))

    def plan(self, cls: type[Fact]) -> KindPlan:
        plan = self.plans.get(cls)
        if plan is None:
            plan = self.plans[cls] = build_plan(cls, self.normalize)
        return plan

    def tally(self, file: str, kind: str | None) -> _Tally:
        tally = _Tally(file, kind)
        self.tallies.append(tally)
        return tally

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
                       field=field, value=_raw_text(value), kind=kind, record_id=record_id)
        )

    def known_kinds(self) -> str:
        return ", ".join(sorted(cls.KIND for cls in self.kinds.values()))

    # -- paths ---------------------------------------------------------------

    def load_path(self, given: str | os.PathLike[str]) -> None:
        path = Path(given)
        shown = os.fspath(given)
        try:
            is_dir, exists = path.is_dir(), path.exists()
            entries = sorted(path.iterdir(), key=lambda p: p.name) if is_dir else []
        except (OSError, ValueError) as exc:  # permissions, a NUL in the name...
            reason = getattr(exc, "strerror", None) or str(exc)
            self.report(_ERROR, "input.io",
                        Text(f"无法读取：{reason}", f"cannot be read: {reason}"),
                        Text("请检查路径和权限", "check the path and permissions"), file=shown)
            return
        if is_dir:
            for entry in entries:
                if _is_documentation(entry.name):
                    continue  # README.md, LICENSE, .DS_Store: a bundle may carry its docs
                self.load_file(entry, os.path.join(shown, entry.name), in_directory=True)
        elif exists:
            self.load_file(path, shown, in_directory=False)
        else:
            self.report(_ERROR, "input.io", Text("文件或目录不存在", "no such file or directory"),
                        Text("请检查路径是否正确", "check the path"), file=shown)

    def load_file(self, path: Path, shown: str, *, in_directory: bool) -> None:
        suffix = path.suffix.lower()
        cls = self.kind_for(path.stem)
        if path.is_dir():
            self._unknown_file(shown, Text("子目录不会被读取", "sub-directories are not read"))
        elif suffix in _TABLE_SUFFIXES and cls is not None:
            tally = self.tally(shown, cls.KIND)
            try:
                self.load_table(shown, self.plan(cls),
                                read_csv(path, delimiter=_TABLE_SUFFIXES[suffix]), tally)
            except ReadError as exc:
                self._read_error(exc, shown, cls.KIND)
        elif suffix in _JSONL_SUFFIXES and (cls is not None or not path.stem.startswith(".")):
            tally = self.tally(shown, None if cls is None else cls.KIND)
            try:
                self.load_objects(shown, read_jsonl(path), cls, tally)
            except ReadError as exc:
                self._read_error(exc, shown, None if cls is None else cls.KIND)
        elif suffix in _XLSX_SUFFIXES and not path.name.startswith(("~$", ".")):
            self.load_workbook(path, shown, cls, in_directory=in_directory)
        elif suffix in _TABLE_SUFFIXES and not in_directory:
            self.report(
                _ERROR, "input.unknown_kind",
                Text("无法从文件名判断记录种类",
                     "cannot tell the kind of record from the file name"),
                Text(f"请把文件命名为种类名或其中文名，如 operator.csv 或 经营主体.csv；"
                     f"可用种类：{self.known_kinds()}",
                     f"name the file after its kind or the kind's Chinese title, e.g. operator.csv "
                     f"or 经营主体.csv; kinds: {self.known_kinds()}"),
                file=shown)
        elif in_directory:
            self._unknown_file(shown, Text("不是可识别的数据文件，已忽略",
                                           "not a recognised data file; ignored"))
        else:
            self.report(
                _ERROR, "input.unknown_file",
                Text("不支持的文件类型", "unsupported file type"),
                Text("请使用 .csv、.jsonl 或 .xlsx 文件", "use a .csv, .jsonl or .xlsx file"),
                file=shown)

    def _unknown_file(self, shown: str, message: Text) -> None:
        """Warn about a file in a bundle directory that is not data (and not documentation)."""
        self.report(
            _WARNING, "input.unknown_file", message,
            Text(f"数据文件应以种类名或其中文名命名，如 operator.csv、抽检结果.xlsx；"
                 f"可用种类：{self.known_kinds()}",
                 f"data files are named after their kind or its Chinese title, e.g. operator.csv, "
                 f"抽检结果.xlsx; kinds: {self.known_kinds()}"),
            file=shown)

    def _read_error(self, exc: ReadError, shown: str, kind: str | None) -> None:
        self.report(_ERROR, exc.code, exc.message, exc.hint, file=shown, row=exc.row, kind=kind)

    # -- XLSX -------------------------------------------------------------------

    def load_workbook(
        self, path: Path, shown: str, cls: type[Fact] | None, *, in_directory: bool
    ) -> None:
        def select(titles: Sequence[str]) -> Sequence[str]:
            if cls is not None:
                return list(titles[:1])
            return [t for t in titles if self.kind_for(t) is not None]

        try:
            titles, sheets = read_workbook(path, select)
        except ReadError as exc:
            self._read_error(exc, shown, None if cls is None else cls.KIND)
            return
        if cls is not None:
            tally = self.tally(shown, cls.KIND)
            for title in titles[1:]:
                self.report(
                    _INFO, "input.ignored_sheet",
                    Text(f"只读取第一个工作表，工作表「{title}」未读取",
                         f"only the first sheet is read; sheet {title!r} was not"),
                    Text("如需导入，请把它另存为单独的文件",
                         "save it as a file of its own to load it"),
                    file=shown, value=title)
            if sheets:
                self.load_table(shown, self.plan(cls), enumerate(sheets[0][1], start=1), tally)
            return
        read = {title for title, _ in sheets}
        for title in titles:
            if title not in read:
                self.report(
                    _WARNING, "input.unknown_sheet",
                    Text(f"工作表「{title}」的名称不是记录种类，未读取",
                         f"sheet {title!r} is not named after a kind of record; not read"),
                    Text(f"请把工作表命名为种类名或其中文名；可用种类：{self.known_kinds()}",
                         f"name the sheet after its kind or the kind's Chinese title; "
                         f"kinds: {self.known_kinds()}"),
                    file=shown, value=title)
        if not sheets and not in_directory:
            self.report(
                _ERROR, "input.unknown_kind",
                Text("无法从文件名或工作表名判断记录种类",
                     "cannot tell the kind of record from the file or sheet names"),
                Text("请把文件或工作表命名为种类名或其中文名，如 operator.xlsx 或工作表“经营主体”",
                     "name the file or its sheets after their kinds, e.g. operator.xlsx or a sheet "
                     "named 经营主体"),
                file=shown)
        for title, rows in sheets:
            sheet_cls = self.kind_for(title)
            assert sheet_cls is not None  # select() only picked kind-named sheets
            label = f"{shown}#{title}"
            self.load_table(label, self.plan(sheet_cls), enumerate(rows, start=1),
                            self.tally(label, sheet_cls.KIND))

    # -- tables (CSV, XLSX) ---------------------------------------------------------

    def load_table(
        self,
        shown: str,
        plan: KindPlan,
        rows: Iterable[tuple[int, Sequence[object]]],
        tally: _Tally,
    ) -> None:
        """Read a header row and then one record per non-blank row."""
        iterator = iter(rows)
        header: tuple[int, Sequence[object]] | None = None
        for number, cells in iterator:
            if not _blank(cells):
                header = (number, cells)
                break
        if header is None:
            self.report(_WARNING, "input.empty_file",
                        Text("文件中没有表头，也没有记录", "the file has no header and no records"),
                        Text("如不需要此文件，请将其删除", "delete the file if it is not needed"),
                        file=shown, kind=plan.kind)
            return
        header_row, header_cells = header
        columns = self._map_header(shown, plan, header_row, header_cells)
        if columns is None:  # reported once for the file; every record counts as rejected
            for _, cells in iterator:
                if not _blank(cells):
                    tally.total += 1
                    tally.rejected += 1
            return
        build = self.build
        for number, cells in iterator:
            if _blank(cells):
                continue
            tally.total += 1
            width = len(cells)
            items = [(fp, label, cells[i] if i < width else None) for i, label, fp in columns]
            if build(plan, items, shown, number, keyed=False):
                tally.accepted += 1
            else:
                tally.rejected += 1

    def _map_header(
        self, shown: str, plan: KindPlan, header_row: int, cells: Sequence[object]
    ) -> list[tuple[int, str, FieldPlan]] | None:
        columns: list[tuple[int, str, FieldPlan]] = []
        used: dict[str, str] = {}
        for index, cell in enumerate(cells):
            if cell is None:
                continue
            label = _raw_text(cell) or ""
            label = label.strip()
            if not label:
                continue
            fp = plan.lookup(label, self.normalize)
            if fp is None:
                self.report(
                    _WARNING, "input.unknown_column",
                    Text(f"未知列「{label}」，已忽略", f"unknown column {label!r}; ignored"),
                    Text(f"可用列名：{plan.accepted_headers()}",
                         f"accepted columns: {plan.accepted_headers()}"),
                    file=shown, row=header_row, field=label, kind=plan.kind)
            elif fp.name in used:
                self.report(
                    _WARNING, "input.duplicate_column",
                    Text(f"列「{label}」与列「{used[fp.name]}」都表示 {fp.name}，只读取前者",
                         f"columns {used[fp.name]!r} and {label!r} both mean {fp.name}; "
                         f"only the first is read"),
                    Text("请删除重复的列", "delete the repeated column"),
                    file=shown, row=header_row, field=label, kind=plan.kind)
            else:
                used[fp.name] = label
                columns.append((index, label, fp))
        missing = [fp for fp in plan.required if fp.name not in used]
        for fp in missing:
            zh = "、".join(fp.zh)
            first = fp.zh[0] if fp.zh else fp.name
            self.report(
                _ERROR, "input.missing_column",
                Text(f"缺少必填列「{first}」（{fp.name}），本文件的记录均未导入",
                     f"the required column {fp.name} ({first}) is missing; no record of this file "
                     f"was loaded"),
                Text(f"请在表头行增加“{fp.name}”列" + (f"（也可写作：{zh}）" if zh else ""),
                     f"add a column headed {fp.name}" + (f" (or {zh})" if zh else "")
                     + " to the header row"),
                file=shown, row=header_row, field=fp.name, kind=plan.kind)
        return None if missing else columns

    # -- JSON objects (JSON Lines, load_records) --------------------------------------

    def load_objects(
        self,
        shown: str,
        objects: Iterable[tuple[int, object]],
        cls: type[Fact] | None,
        tally: _Tally,
    ) -> None:
        """One record per object; ``cls`` None means each object names its ``kind``."""
        keys: dict[tuple[str, str], FieldPlan | None] = {}
        warned: set[tuple[str, str]] = set()
        build = self.build
        for number, obj in objects:
            tally.total += 1
            if isinstance(obj, ReadError):
                self.report(_ERROR, obj.code, obj.message, obj.hint, file=shown, row=number)
                tally.rejected += 1
                continue
            if not isinstance(obj, Mapping):
                self.report(
                    _ERROR, "input.json",
                    Text("记录不是 JSON 对象", "the record is not a JSON object"),
                    Text("每条记录应为一个对象，如 {\"id\": \"OP1\", …}",
                         "each record must be an object, e.g. {\"id\": \"OP1\", …}"),
                    file=shown, row=number, value=obj)
                tally.rejected += 1
                continue
            record_cls = self._object_kind(shown, number, obj, cls)
            if record_cls is None:
                tally.rejected += 1
                continue
            plan = self.plan(record_cls)
            items: list[tuple[FieldPlan, str, object]] = []
            present: set[str] = set()
            for key, raw in obj.items():
                if key == "kind":
                    continue
                name = key if isinstance(key, str) else str(key)
                cache_key = (plan.kind, name)
                if cache_key in keys:
                    fp = keys[cache_key]
                else:
                    fp = keys[cache_key] = plan.lookup(name, self.normalize)
                if fp is None or fp.name in present:
                    if cache_key not in warned:
                        warned.add(cache_key)
                        self._unknown_key(shown, number, plan, name, fp)
                    continue
                present.add(fp.name)
                items.append((fp, name, raw))
            if build(plan, items, shown, number, keyed=True):
                tally.accepted += 1
            else:
                tally.rejected += 1

    def _unknown_key(
        self, shown: str, number: int, plan: KindPlan, name: str, fp: FieldPlan | None
    ) -> None:
        if fp is None:
            self.report(
                _WARNING, "input.unknown_column",
                Text(f"{plan.kind} 记录中的未知字段「{name}」，已忽略",
                     f"unknown field {name!r} in {plan.kind} records; ignored"),
                Text(f"可用字段：{plan.accepted_headers()}",
                     f"accepted fields: {plan.accepted_headers()}"),
                file=shown, row=number, field=name, kind=plan.kind)
        else:
            self.report(
                _WARNING, "input.duplicate_column",
                Text(f"字段「{name}」与同一记录中的另一字段都表示 {fp.name}，只读取前者",
                     f"field {name!r} and another field of the record both mean {fp.name}; "
                     f"only the first is read"),
                Text("请每个字段只写一次", "give each field once"),
                file=shown, row=number, field=name, kind=plan.kind)

    def _object_kind(
        self, shown: str, number: int, obj: Mapping[Any, Any], cls: type[Fact] | None
    ) -> type[Fact] | None:
        value = obj.get("kind")
        if cls is not None:
            if value is None or value == "" or self.kind_for(value) is cls:
                return cls
            self.report(
                _ERROR, "input.unknown_kind",
                Text(f"记录的 kind 与文件的种类 {cls.KIND} 不一致",
                     f"the record's kind does not match the file's kind {cls.KIND}"),
                Text(f"删除 kind 字段或改为 {cls.KIND}，或把记录移到对应种类的文件中",
                     f"drop the kind field or set it to {cls.KIND}, or move the record to the "
                     f"file of its kind"),
                file=shown, row=number, field="kind", value=value, kind=cls.KIND)
            return None
        found = self.kind_for(value)
        if found is None:
            missing = value is None or value == ""
            self.report(
                _ERROR, "input.unknown_kind",
                Text("记录缺少 kind 字段" if missing else "未知的记录种类",
                     "the record has no kind field" if missing else "unknown kind of record"),
                Text(f"多种类 JSON Lines 文件的每条记录须有 kind 字段；"
                     f"可用种类：{self.known_kinds()}",
                     f"each record of a multi-kind JSON Lines file needs a kind; "
                     f"kinds: {self.known_kinds()}"),
                file=shown, row=number, field="kind", value=value)
        return found

    # -- one record ------------------------------------------------------------------

    def build(
        self,
        plan: KindPlan,
        items: Sequence[tuple[FieldPlan, str, object]],
        shown: str,
        row: int,
        *,
        keyed: bool,
    ) -> bool:
        """Convert, check and construct one record; True when it became a fact."""
        # The hot path of every load: labels and raw values are only looked
        # up again when there is something to report.
        normalize = self.normalize
        values: dict[str, Any] = {}
        problems: list[_Problem] = []
        for fp, _label, raw in items:
            name = fp.name
            if raw is None:
                pass
            elif isinstance(raw, str):
                memo = fp.memo
                if memo is not None:
                    value = memo.get(raw, _MISSING)
                    if value is not _MISSING:
                        values[name] = value
                        continue
                text = normalize(raw)
                if text:
                    if fp.is_text:
                        values[name] = text
                        continue
                    try:
                        value = values[name] = fp.convert(raw if fp.raw_text else text)
                    except ValueProblem as problem:
                        problems.append((name, problem.code, problem.message, problem.hint))
                    else:
                        if memo is not None and len(memo) < _MEMO_LIMIT:
                            memo[raw] = value
                    continue
            else:
                try:
                    values[name] = fp.convert(raw)
                except ValueProblem as problem:
                    problems.append((name, problem.code, problem.message, problem.hint))
                continue
            # The cell is empty.
            if fp.required:
                if fp.nullable:
                    values[name] = None
                else:
                    problems.append(_required(fp, present=True))
        if keyed and len(items) < len(plan.fields):
            present = {fp.name for fp, _, _ in items}
            for fp in plan.required:
                if fp.name not in present:
                    problems.append(_required(fp, present=False))

        notes: list[Diagnostic] = []
        if plan.checked:
            self._check_identifiers(plan, values, problems, notes, shown, row, items)

        rid: str | None = values.get("id") if isinstance(values.get("id"), str) else None
        fact: Fact | None = None
        if not problems:
            try:
                fact = plan.cls(**values)
            except Exception as exc:  # validators and __attrs_post_init__ of plugin kinds
                self._validator_problems(plan, values, problems, exc)
        else:
            self._validator_problems(plan, values, problems, None)

        first: tuple[str, int | None] | None = None
        if fact is not None:
            key = (plan.kind, fact.id)
            first = self.seen.get(key)
            if first is None:
                self.seen[key] = (shown, row)
                self.facts.append(fact)
                if notes:
                    self.diagnostics.extend(notes)
                return True
        labels = {fp.name: label for fp, label, _ in items}
        raws = {fp.name: raw for fp, _, raw in items}
        if fact is not None and first is not None:
            where_zh = first[0] + (f" 第 {first[1]} 行" if first[1] is not None else "")
            where_en = first[0] + (f" row {first[1]}" if first[1] is not None else "")
            self.report(
                _ERROR, "input.duplicate_id",
                Text(f"编号重复：{plan.kind} 编号 {fact.id} 已见于 {where_zh}，本条未导入",
                     f"duplicate id: {plan.kind} {fact.id} already appears at {where_en}; "
                     f"this record was not loaded"),
                Text("同一种类的记录编号须唯一；请删除重复的记录或更正编号",
                     "ids must be unique within a kind; delete the repeated record or correct "
                     "its id"),
                file=shown, row=row, field=labels.get("id", "id"), value=raws.get("id", fact.id),
                kind=plan.kind, record_id=fact.id)
            self.diagnostics.extend(notes)
            return False

        for where, code, message, hint in problems:
            self.report(_ERROR, code, message, hint, file=shown, row=row,
                        field=None if where is None else labels.get(where, where),
                        value=None if where is None else raws.get(where),
                        kind=plan.kind, record_id=rid)
        self.diagnostics.extend(notes)
        return False

    def _validator_problems(
        self,
        plan: KindPlan,
        values: Mapping[str, object],
        problems: list[_Problem],
        exc: Exception | None,
    ) -> None:
        """Run each field's attrs validator alone, to say which fields are invalid."""
        flagged = {p[0] for p in problems}
        before = len(problems)
        for fp in plan.validated:
            if fp.name in flagged or fp.name not in values:
                continue
            try:
                fp.attribute.validator(None, fp.attribute, values[fp.name])
            except (ValueError, TypeError) as error:
                problems.append(_validator_problem(fp, error))
            except Exception:
                pass
        if exc is not None and len(problems) == before:
            problems.append((
                None,
                "input.invalid",
                Text(f"记录不符合要求：{exc}", f"invalid record: {exc}"),
                Text("请按 docs/input-formats.md 的说明更正此记录",
                     "correct the record (see docs/input-formats.md)"),
            ))

    def _check_identifiers(
        self,
        plan: KindPlan,
        values: dict[str, Any],
        problems: list[_Problem],
        notes: list[Diagnostic],
        shown: str,
        row: int,
        items: Sequence[tuple[FieldPlan, str, object]],
    ) -> None:
        for fp in plan.checked:
            value = values.get(fp.name)
            if not isinstance(value, str):
                continue
            if fp.check == "uscc":
                try:
                    result = self.validate_uscc(value, strict=False)
                except IdentifierError as exc:
                    message, hint = _split_bilingual(exc)
                    problems.append((fp.name, "input.uscc", message, hint))
                    continue
                values[fp.name] = result.value
                for text in result.warning_messages:
                    label, raw = next((lb, r) for f, lb, r in items if f is fp)
                    record_id = values.get("id")
                    notes.append(Diagnostic(
                        level=_WARNING, code="input.uscc", message=_split_pair(text),
                        hint=Text("请在国家企业信用信息公示系统核实此代码",
                                  "confirm the code on the National Enterprise Credit "
                                  "Information Publicity System"),
                        file=shown, row=row, field=label, value=_raw_text(raw), kind=plan.kind,
                        record_id=record_id if isinstance(record_id, str) else None,
                    ))
            elif fp.check == "division":
                problem = self._division_problem(value, self._record_date(plan, values))
                if problem is not None and problem[2]:
                    label, raw = next((lb, r) for f, lb, r in items if f is fp)
                    record_id = values.get("id")
                    notes.append(Diagnostic(
                        level=_WARNING, code="input.division", message=problem[0],
                        hint=problem[1], file=shown, row=row, field=label,
                        value=_raw_text(raw), kind=plan.kind,
                        record_id=record_id if isinstance(record_id, str) else None,
                    ))
                elif problem is not None:
                    problems.append((fp.name, "input.division", problem[0], problem[1]))
            elif fp.check == "licence":
                if values.get(plan.licence_kind_field or "") not in _NUMBERED_LICENCES:
                    continue
                try:
                    parsed = self.parse_licence_number(value)
                except IdentifierError as exc:
                    message, hint = _split_bilingual(exc)
                    problems.append((fp.name, "input.licence", message, hint))
                    continue
                values[fp.name] = parsed.value

    def _record_date(self, plan: KindPlan, values: Mapping[str, object]) -> dt.date | None:
        if plan.date_field is not None:
            value = values.get(plan.date_field)
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
        return self.as_of

    def _division_problem(self, code: str, on: dt.date | None
                          ) -> tuple[Text, Text, bool] | None:
        """(message, hint, is_warning) for a division code on a date, or None when fine.

        A code that ended in the record's own year is a warning, not an error:
        the history is year-granular and the change may have come later that year.
        """
        key = (code, on)
        if key in self.division_cache:
            return self.division_cache[key]
        result: tuple[Text, Text, bool] | None = None
        if on is None:
            if _DIVISION_FORMAT.fullmatch(code) is None:
                result = (*_DIVISION_FORMAT_PROBLEM, False)
        else:
            try:
                self.divisions.validate(code, on)
            except IdentifierError as exc:
                message, hint = _split_bilingual(exc)
                changed = (exc.reason == "abolished"
                           and self.divisions.changed_during_year(code[:6], on) is not None)
                if changed:
                    message = Text(
                        f"行政区划代码 {code} 在 {on.year} 年内变更，"
                        f"记录日期 {on} 可能早于变更：已接受，请核对",
                        f"division code {code} changed during {on.year}; the record's date {on} "
                        f"may precede the change: accepted, please check")
                result = (message, hint, changed)
        self.division_cache[key] = result
        return result

    # -- result ----------------------------------------------------------------------

    def result(self) -> LoadResult:
        facts = tuple(sorted(self.facts, key=lambda f: (f.KIND, f.id)))
        return LoadResult(
            facts=facts,
            diagnostics=tuple(sorted(self.diagnostics, key=Diagnostic.sort_key)),
            files=tuple(t.freeze() for t in self.tallies),
            digest=input_digest(facts),
        )


_DIVISION_FORMAT_PROBLEM = (
    Text("行政区划代码格式错误，应为 6 位数字（或 12 位统计用区划代码）",
         "a division code has 6 digits (or 12 for an NBS township code)"),
    Text("请填写 6 位 GB/T 2260 行政区划代码，如 130533",
         "give the 6-digit GB/T 2260 code, e.g. 130533"),
)


def _required(fp: FieldPlan, *, present: bool) -> _Problem:
    first = fp.zh[0] if fp.zh else fp.name
    message = (Text("必填项为空", "a required value is empty") if present
               else Text(f"缺少必填字段 {fp.name}（{first}）",
                         f"the required field {fp.name} ({first}) is missing"))
    return (fp.name, "input.required", message,
            Text(f"请填写「{first}」（{fp.name}）", f"fill in {fp.name} ({first})"))


def _validator_problem(fp: FieldPlan, error: Exception) -> _Problem:
    text = str(error)
    if "negative" in text:
        return (fp.name, "input.number", Text("不能为负数", "must not be negative"),
                Text("请填写 0 或正数", "write 0 or a positive number"))
    if "must not be empty" in text:
        return _required(fp, present=True)
    if fp.check == "division":
        return (fp.name, "input.division", *_DIVISION_FORMAT_PROBLEM)
    return (fp.name, "input.invalid", Text(f"取值不符合要求：{text}", f"invalid value: {text}"),
            Text("请按 docs/input-formats.md 的说明更正此值",
                 "correct the value (see docs/input-formats.md)"))


# --------------------------------------------------------------------------- public API


def load_bundle(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    kinds: Mapping[str, type[Fact]] | None = None,
    as_of: dt.date | None = None,
    divisions: DivisionRegistry | None = None,
) -> LoadResult:
    """Load facts from bundle directories and files.

    Each path is a directory holding one file per kind (``operator.csv``,
    ``抽检结果.xlsx``, ``inspection.jsonl`` ...), a single file named after
    its kind, a JSON Lines file whose records carry a ``kind`` field, or an
    XLSX workbook with one sheet per kind. CSV may be UTF-8 (with or without
    BOM) or GB18030.

    Args:
        paths: the directories and files (a single path is accepted too).
        kinds: the fact classes by kind name; defaults to the built-in kinds.
        as_of: the date division codes are checked at when a record has no
            date of its own; ``None`` checks their format only.
        divisions: a :class:`~fsrules.identifiers.DivisionRegistry` (anything
            with ``validate(code, on)``); defaults to the bundled history.

    Returns:
        The accepted facts and a diagnostic for every problem. Bad input
        never raises: every non-blank record is counted as accepted or
        rejected, and every rejection has an error diagnostic.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    loader = _Loader(kinds, as_of, divisions)
    for path in paths:
        loader.load_path(path)
    return loader.result()


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
    loader = _Loader(kinds, as_of, divisions)
    cls: type[Fact] | None
    if kind is None:
        cls = None
    elif isinstance(kind, type):
        cls = kind
        loader.by_name.setdefault(loader._name_key(cls.KIND), cls)
    else:
        cls = loader.kind_for(kind)
        if cls is None:
            loader.report(
                _ERROR, "input.unknown_kind",
                Text(f"未知的记录种类 {kind}", f"unknown kind {kind!r}"),
                Text(f"可用种类：{loader.known_kinds()}", f"kinds: {loader.known_kinds()}"),
                file=source, value=kind)
            tally = loader.tally(source, kind)
            for _ in records:
                tally.total += 1
                tally.rejected += 1
            return loader.result()
    tally = loader.tally(source, None if cls is None else cls.KIND)
    loader.load_objects(source, enumerate(records, start=1), cls, tally)
    return loader.result()


# --------------------------------------------------------------------------- dumping


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    return str(value)



def _check_list(fact: Fact, name: str, value: object) -> None:
    if isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, str) and LIST_SEPARATORS.search(item):
                raise ValueError(
                    f"{fact.KIND} {fact.id!r}: item {item!r} of {name} contains a list "
                    f"separator and would be split when read back; use fmt='jsonl'"
                )


def dump_bundle(
    facts: Iterable[Fact],
    directory: str | os.PathLike[str],
    fmt: Literal["jsonl", "csv"] = "jsonl",
) -> tuple[Path, ...]:
    """Write ``facts`` as a bundle directory that :func:`load_bundle` reads back identically.

    One file per kind (``<kind>.jsonl`` or ``<kind>.csv``), records sorted by
    id. CSV files are UTF-8 with BOM (so Excel shows Chinese correctly), with
    the English field names as headers, lists joined with ``;`` and ``None``
    as an empty cell.

    The loader normalises text (NFKC, whitespace collapsed), so facts read
    back identically when their text is already normalised, which holds for
    every fact the loader produced.

    Returns:
        The paths written, in kind order.

    Raises:
        ValueError: ``fmt`` is unknown, or (CSV only) a list item contains a
            list separator and could not be read back.
    """
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown bundle format {fmt!r}; use 'jsonl' or 'csv'")
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    by_kind: dict[str, list[Fact]] = {}
    for fact in facts:
        by_kind.setdefault(fact.KIND, []).append(fact)
    written: list[Path] = []
    for kind in sorted(by_kind):
        group = sorted(by_kind[kind], key=lambda f: f.id)
        path = target / f"{kind}.{fmt}"
        if fmt == "jsonl":
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                for fact in group:
                    fh.write(json.dumps(dump_fact(fact), ensure_ascii=False) + "\n")
        else:
            names = [a.name for a in attrs.fields(type(group[0])) if a.init]
            rows: list[list[str]] = []
            for fact in group:
                data = dump_fact(fact)
                for name in names:
                    _check_list(fact, name, data.get(name))
                rows.append([_cell(data.get(name)) for name in names])
            with path.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(names)
                writer.writerows(rows)
        written.append(path)
    return tuple(written)


_DOC_SUFFIXES = frozenset({".md", ".txt", ".rst", ".pdf", ".html"})


def _is_documentation(name: str) -> bool:
    """Files a bundle folder may hold besides data; skipped without a warning."""
    path = Path(name.lower())
    return (path.name.startswith(".") or path.suffix in _DOC_SUFFIXES
            or (path.suffix == "" and path.stem in {"readme", "license", "notice", "copying"}))
