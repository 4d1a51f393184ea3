"""Report writers. Each is an :class:`OutputFormat` registered through the
``fsrules_register_output_formats`` hook (the built-in ones too).

Every writer is deterministic: the same report gives the same bytes. None
of them writes a timestamp; the XLSX writer dates the workbook (document
properties and zip entries) on the report's ``as_of`` day so that even the
binary format is reproducible.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import IO, Any

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._findings import Finding
from fsrules._i18n import Lang, Text
from fsrules._jsontext import json_safe_bytes
from fsrules._report import Report, report_json_bytes
from fsrules._sanitize import json_safe, safe_text
from fsrules.model import Severity

__all__ = [
    "FINDING_COLUMNS",
    "UNCERTAIN_MARK",
    "XLSX_SHEETS",
    "OutputFormat",
    "finding_row",
    "summary_lines",
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_table",
    "write_xlsx",
]

Writer = Callable[[Report, IO[bytes], Lang], None]


@attrs.frozen(kw_only=True)
class OutputFormat:
    """A named report writer: ``write(report, binary_stream, lang)``.

    ``binary`` formats (XLSX) cannot be written to a terminal.
    """

    name: str
    write: Writer = attrs.field(eq=False, repr=False)
    description: Text
    extension: str = ""
    binary: bool = False


def write_json(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The canonical JSON report (both languages are always included)."""
    del lang
    stream.write(json_safe_bytes(report_json_bytes(report)))


def write_jsonl(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """One finding per line, in report order (no provenance)."""
    del lang
    for item in report.finding_dicts():  # with lifecycle marks when the run has them
        line = json.dumps(item, ensure_ascii=False, sort_keys=True)
        stream.write(json_safe(line).encode("utf-8") + b"\n")


# --------------------------------------------------------------------------- findings list

#: The columns of the findings list (CSV and XLSX): (key, Chinese header, English header).
FINDING_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("severity", "严重程度", "severity"),
    ("rule_id", "规则", "rule_id"),
    ("title", "标题", "title"),
    ("subject_kind", "对象类型", "subject_kind"),
    ("subject_id", "对象编号", "subject_id"),
    ("subject_name", "对象名称", "subject_name"),
    ("region_code", "区划", "region_code"),
    ("period_start", "期间起", "period_start"),
    ("period_end", "期间止", "period_end"),
    ("message", "问题描述", "message"),
    ("legal_basis", "法律依据", "legal_basis"),
    ("lead_departments", "牵头单位", "lead_departments"),
    ("responsible_departments", "责任单位", "responsible_departments"),
    ("due_date", "整改期限", "due_date"),
    ("fingerprint", "指纹", "fingerprint"),
    # ※ and the M/? parameters the finding rests on (issue 12); empty for the others.
    ("uncertain", "待核实", "to_verify"),
)

#: Marks a finding whose outcome rests on a value of confidence M or ? (issue 12).
UNCERTAIN_MARK = "※"

_DIAGNOSTIC_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("level", "级别", "level"),
    ("code", "代码", "code"),
    ("file", "文件", "file"),
    ("row", "行", "row"),
    ("field", "字段", "field"),
    ("value", "值", "value"),
    ("message", "问题", "message"),
    ("hint", "修改建议", "hint"),
    ("rule_id", "规则", "rule_id"),
    ("plugin", "插件", "plugin"),
)

_JOIN = "；"


def _severity_label(severity: Severity, lang: Lang) -> str:
    return severity.zh if lang == "zh" else str(severity.value)


def _level_label(level: DiagnosticLevel, lang: Lang) -> str:
    return level.zh if lang == "zh" else str(level.value)


def finding_row(finding: Finding, lang: Lang = "zh") -> dict[str, str]:
    """One finding as the cells of the findings list, keyed as in :data:`FINDING_COLUMNS`.

    Control characters from the input are replaced by visible stand-ins
    (:func:`fsrules._sanitize.safe_text`): no cell can break a workbook or
    drive a terminal.
    """
    period = finding.period
    row = {
        "severity": _severity_label(finding.severity, lang),
        "rule_id": finding.rule_id,
        "title": finding.title.get(lang),
        "subject_kind": finding.subject.kind,
        "subject_id": finding.subject.id,
        "subject_name": finding.subject.name,
        "region_code": finding.subject.region_code or "",
        "period_start": "" if period is None else period.start.isoformat(),
        "period_end": "" if period is None else period.end.isoformat(),
        "message": finding.message.get(lang),
        "legal_basis": _JOIN.join(b.cite(lang) for b in finding.legal_basis),
        "lead_departments": _JOIN.join(finding.lead_departments),
        "responsible_departments": _JOIN.join(finding.responsible_departments),
        "due_date": "" if finding.due_date is None else finding.due_date.isoformat(),
        "fingerprint": finding.fingerprint,
        "uncertain": "" if not finding.uncertain_parameters else
        f"{UNCERTAIN_MARK} " + _JOIN.join(
            f"{u.label}（{u.confidence}，{u.source}）" if lang == "zh"
            else f"{u.label} ({u.confidence}, {u.source})" for u in finding.uncertain_parameters),
    }
    return {key: safe_text(value) for key, value in row.items()}


def _diagnostic_row(diag: Diagnostic, lang: Lang) -> dict[str, Any]:
    row: dict[str, Any] = {
        "level": _level_label(diag.level, lang),
        "code": diag.code,
        "file": diag.file or "",
        "row": diag.row,
        "field": diag.field or "",
        "value": diag.value if diag.value is not None else "",
        "message": diag.message.get(lang),
        "hint": "" if diag.hint is None else diag.hint.get(lang),
        "rule_id": diag.rule_id or "",
        "plugin": diag.plugin or "",
    }
    return {key: safe_text(value) if isinstance(value, str) else value
            for key, value in row.items()}


def _headers(columns: Sequence[tuple[str, str, str]], lang: Lang) -> list[str]:
    return [zh if lang == "zh" else en for _, zh, en in columns]


# Spreadsheet programs run a cell that starts with one of these as a formula
# (CSV injection, OWASP); operator names and ids come from the input, so a
# leading apostrophe keeps them text. Plain numbers like "-1.5" are left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _csv_safe(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def write_csv(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The findings list as CSV: UTF-8 with a BOM (so Excel detects the encoding), CRLF lines.

    One row per finding in report order, with the columns of
    :data:`FINDING_COLUMNS` (headers in ``lang``); legal basis citations
    and departments are joined with ``；``. A text cell that a spreadsheet
    would read as a formula is prefixed with an apostrophe.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_headers(FINDING_COLUMNS, lang))
    for finding in report.findings:
        row = finding_row(finding, lang)
        writer.writerow([_csv_safe(row[key]) for key, _, _ in FINDING_COLUMNS])
    stream.write(codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"))


# --------------------------------------------------------------------------- XLSX

#: Sheet titles of the XLSX report, by language.
XLSX_SHEETS: dict[str, tuple[str, str]] = {"zh": ("问题清单", "诊断"), "en": ("Findings",
                                                                         "Diagnostics")}


def _fixed_datetime(day: dt.date) -> dt.datetime:
    """Midnight of ``day``, clamped to what a zip file can date (1980 onwards)."""
    return dt.datetime(max(day.year, 1980), day.month, day.day)


def write_xlsx(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The findings list (and the diagnostics) as an Excel workbook.

    Sheet ``问题清单`` (``Findings``) has the CSV columns, sheet ``诊断``
    (``Diagnostics``) one row per diagnostic. Cells are always text, never
    formulas. The workbook's created/modified properties and the zip entries
    are dated on the report's ``as_of`` day, so the bytes are reproducible.
    """
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    stamp = _fixed_datetime(report.provenance.as_of)
    workbook = openpyxl.Workbook()
    workbook.properties.creator = "fsrules"
    workbook.properties.lastModifiedBy = "fsrules"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    findings_title, diagnostics_title = XLSX_SHEETS[lang]

    def fill(sheet: Any, columns: Sequence[tuple[str, str, str]],
             rows: Sequence[dict[str, Any]]) -> None:
        sheet.append(_headers(columns, lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[key] for key, _, _ in columns])
        for excel_row in sheet.iter_rows(min_row=2):
            for cell in excel_row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, (key, zh, en) in enumerate(columns, start=1):
            longest = max([len(zh if lang == "zh" else en),
                           *(len(str(r[key] or "")) for r in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 6) + 2, 60)

    sheet = workbook.active
    sheet.title = findings_title
    fill(sheet, FINDING_COLUMNS, [finding_row(f, lang) for f in report.findings])
    fill(workbook.create_sheet(diagnostics_title), _DIAGNOSTIC_COLUMNS,
         [_diagnostic_row(d, lang) for d in report.diagnostics])

    # openpyxl's save_workbook() stamps "modified" with the clock; ExcelWriter
    # keeps the properties set above.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    stream.write(_restamp_zip(raw.getvalue(), stamp))


def _restamp_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``stamp`` (zip entries carry mtimes)."""
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- terminal table

_SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}

_TABLE_TEXT = {
    "severity": Text("严重程度", "Severity"),
    "rule": Text("规则", "Rule"),
    "subject": Text("对象", "Subject"),
    "message": Text("问题描述", "Finding"),
    "lead": Text("牵头单位", "Lead department"),
    "due": Text("整改期限", "Due"),
    "none": Text("没有发现问题。", "No findings."),
    "findings": Text("问题", "Findings"),
    "rules": Text("规则", "Rules"),
    "input": Text("输入", "Input"),
    "diagnostics": Text("诊断", "Diagnostics"),
}


def _status_counts(report: Report) -> dict[str, int]:
    counts = {"ran": 0, "skipped": 0, "error": 0, "not_in_force": 0}
    for stat in report.rule_stats:
        counts[stat.status] = counts.get(stat.status, 0) + 1
    return counts


def summary_lines(report: Report, lang: Lang = "zh") -> list[str]:
    """The summary under the table: counts per severity, rules, input, then each diagnostic."""
    sev = report.by_severity()
    status = _status_counts(report)
    # A reminder (info: a deadline still ahead, a figure that cannot be judged) is not a
    # problem: it is counted apart.
    info = sev.get(Severity.INFO.value, 0)
    total = len(report.findings) - info
    problems = [(s, n) for s, n in reversed(sev.items()) if s != Severity.INFO.value]
    if lang == "zh":
        per = "，".join(f"{Severity.parse(s).zh} {n}" for s, n in problems)
        lines = [
            f"问题 {total} 条（{per}），提示 {info} 条；"
            f"规则 运行 {status['ran']}，跳过 {status['skipped']}，出错 {status['error']}，"
            f"未生效 {status['not_in_force']}；"
            f"输入 总计 {report.input.total} 条，接受 {report.input.accepted} 条，"
            f"拒绝 {report.input.rejected} 条"
        ]
    else:
        per = ", ".join(f"{s} {n}" for s, n in problems)
        lines = [
            f"{total} finding(s) ({per}), {info} info; "
            f"rules: {status['ran']} ran, {status['skipped']} skipped, {status['error']} errored, "
            f"{status['not_in_force']} not in force; "
            f"input: {report.input.total} total, {report.input.accepted} accepted, "
            f"{report.input.rejected} rejected"
        ]
    uncertain = sum(1 for f in report.findings if f.uncertain_parameters)
    if uncertain:
        lines.append(
            f"{UNCERTAIN_MARK} {uncertain} 条的结论取决于未经核实（可信度 M 或 ?）的参数取值，"
            "见问题描述末尾的【待核实】" if lang == "zh" else
            f"{UNCERTAIN_MARK} {uncertain} finding(s) rest on parameter values of confidence M "
            "or ? (not verified): see [To verify] at the end of their message")
    if report.diagnostics:
        errors = len(report.errors)
        lines.append(
            f"诊断 {len(report.diagnostics)} 条（错误 {errors} 条）：" if lang == "zh"
            else f"{len(report.diagnostics)} diagnostic(s) ({errors} error(s)):")
        # Report.diagnostics is already sorted errors first.
        lines.extend(f"  [{_level_label(d.level, lang)}] {d.render(lang)}"
                     for d in report.diagnostics)
    return lines


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def write_table(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The findings as a terminal table, then a summary and the diagnostics.

    Columns: severity, rule, subject, message, lead department, due date.
    Colour only when ``stream`` is a terminal (and ``NO_COLOR`` is unset);
    otherwise plain text 140 columns wide, so the output is reproducible.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as RichText

    tty = _isatty(stream)
    # A terminal gets colour and its own width; anything else gets plain text
    # 140 columns wide whatever the environment says (COLUMNS, FORCE_COLOR),
    # with trailing blanks stripped, so files and pipes are reproducible.
    target: io.TextIOWrapper | io.StringIO = (
        io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
        if tty else io.StringIO())
    console = Console(
        file=target, force_terminal=tty, no_color=None if tty else True,
        color_system="auto" if tty else None, width=None if tty else 140,
        highlight=False, emoji=False, markup=False, force_jupyter=False,
        legacy_windows=False, _environ=None if tty else {},
    )
    if report.findings:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column(_TABLE_TEXT["severity"].get(lang), no_wrap=True)
        table.add_column(_TABLE_TEXT["rule"].get(lang), no_wrap=True)
        # "fold", not the default ellipsis: a message is never cut short.
        table.add_column(_TABLE_TEXT["subject"].get(lang), max_width=24, overflow="fold")
        table.add_column(_TABLE_TEXT["message"].get(lang), min_width=20, overflow="fold")
        table.add_column(_TABLE_TEXT["lead"].get(lang), max_width=16, overflow="fold")
        table.add_column(_TABLE_TEXT["due"].get(lang), no_wrap=True)
        for f in report.findings:
            table.add_row(
                RichText(_severity_label(f.severity, lang),
                         style=_SEVERITY_STYLE[f.severity.value]),
                RichText(safe_text(f.rule_id + (UNCERTAIN_MARK if f.uncertain_parameters
                                                 else ""), terminal=True)),
                RichText(safe_text(_subject_label(f, lang), terminal=True)),
                RichText(safe_text(f.message.get(lang), terminal=True)),
                RichText(safe_text(("、" if lang == "zh" else ", ").join(f.lead_departments),
                                   terminal=True)),
                RichText("-" if f.due_date is None else f.due_date.isoformat()),
            )
        console.print(table)
    else:
        console.print(RichText(_TABLE_TEXT["none"].get(lang)))
    console.print()
    for index, line in enumerate(summary_lines(report, lang)):
        console.print(RichText(safe_text(line, terminal=True), style="bold" if index == 0 else ""),
                      soft_wrap=True)
    if isinstance(target, io.StringIO):
        plain = "".join(line.rstrip() + "\n" for line in target.getvalue().splitlines())
        stream.write(plain.encode("utf-8"))
    else:
        target.flush()
        target.detach()  # leave the caller's stream open


def _subject_label(finding: Finding, lang: Lang) -> str:
    subject = finding.subject
    if not subject.name:
        return subject.id
    return f"{subject.name}（{subject.id}）" if lang == "zh" else f"{subject.name} ({subject.id})"
