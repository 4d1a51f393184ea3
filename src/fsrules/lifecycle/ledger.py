"""The Excel ledger (台账): the XLSX report an office keeps working in.

Sheets: ``问题清单`` (one row per finding, the first fifteen columns as in the
CSV, then the ledger columns), ``汇总`` (severity x department, township x
status), ``达标情况`` (the demonstration-city indicators, when that ruleset ran
and the report carries its derived facts) and ``诊断``.

Ready to work in: columns sized for CJK text (an East Asian wide character
counts double) and wrapped, real Excel dates, Chinese labels for every
enumeration, a drop-down list for 状态. 责任单位 / 整改期限 / 状态 / 销号日期 /
备注 come from the history store when the run had ``--store``. Text from the
input is made safe: C0 control characters other than TAB, LF and CR are
dropped, and every text cell is stored as text, never as a formula.
``fsrules history import`` reads an edited ledger back (:func:`read_ledger`).

Deterministic: the workbook is dated on the report's ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from fsrules._findings import Finding
from fsrules._i18n import Lang
from fsrules._report import Report
from fsrules._writers import _DIAGNOSTIC_COLUMNS, _diagnostic_row, _fixed_datetime, _restamp_zip
from fsrules.exceptions import InputError
from fsrules.lifecycle.store import STATUSES
from fsrules.model import BUILTIN_FACT_KINDS, Severity

__all__ = ["LEDGER_COLUMNS", "LEDGER_SHEETS", "display_width", "read_ledger", "safe_text",
           "write_ledger"]

#: (key, Chinese header, English header, width cap); the first fifteen as in the CSV.
LEDGER_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("severity", "严重程度", "severity", 10),
    ("rule_id", "规则", "rule_id", 24),
    ("title", "标题", "title", 40),
    ("subject_kind", "对象类型", "subject_kind", 12),
    ("subject_id", "对象编号", "subject_id", 22),
    ("subject_name", "对象名称", "subject_name", 36),
    ("region_code", "区划", "region_code", 12),
    ("period_start", "期间起", "period_start", 12),
    ("period_end", "期间止", "period_end", 12),
    ("message", "问题描述", "message", 70),
    ("legal_basis", "法律依据", "legal_basis", 50),
    ("lead_departments", "牵头单位", "lead_departments", 24),
    ("department", "责任单位", "department", 24),
    ("due_date", "整改期限", "due_date", 12),
    ("fingerprint", "指纹", "fingerprint", 34),
    ("status", "状态", "status", 10),
    ("closed_on", "销号日期", "closed_on", 12),
    ("note", "备注", "note", 40),
    ("township", "乡镇", "township", 14),
    ("baseline", "与基线比较", "baseline", 10),
    ("first_seen", "首次发现", "first_seen", 12),
    ("recurred", "复发", "recurred", 6),
    ("waiver", "豁免", "waiver", 50),
)

#: Sheet titles by language: findings, summary, readiness, diagnostics.
LEDGER_SHEETS: dict[str, tuple[str, str, str, str]] = {
    "zh": ("问题清单", "汇总", "达标情况", "诊断"),
    "en": ("Findings", "Summary", "Readiness", "Diagnostics"),
}

_DATE_KEYS = {"period_start", "period_end", "due_date", "closed_on", "first_seen"}
_JOIN = "；"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_KIND_ZH = {k.KIND: k.TITLE_ZH for k in BUILTIN_FACT_KINDS if k.TITLE_ZH}
# Subjects that are not facts of the core (the territorial ruleset's townships,
# departments and 包保 cadres).
_KIND_ZH.update({"township": "乡镇", "department": "部门", "cadre": "包保干部"})
_BASELINE = {"new": ("新增", "new"), "persisting": ("仍存在", "persisting")}
_STATUS_EN = dict(zip(STATUSES, ("open", "in progress", "closed", "waived"), strict=True))


def safe_text(value: str) -> str:
    """``value`` without C0 control characters other than TAB, LF and CR."""
    return _CONTROL.sub("", value)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: East Asian wide and full-width count double."""
    longest = 0
    for line in text.splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                                   for c in line))
    return longest


def _row(report: Report, f: Finding, lang: Lang) -> dict[str, Any]:
    zh = lang == "zh"
    life = report.lifecycle
    mark = None if life is None else life.mark(f.fingerprint)
    status = None if mark is None else mark.status
    if status is None:
        status = "已豁免" if mark is not None and mark.waiver and mark.waiver.waived else "待整改"
    waiver = "" if mark is None or mark.waiver is None else mark.waiver.note.get(lang)
    baseline = None if mark is None else mark.baseline
    kind = f.subject.kind
    return {
        "severity": f.severity.zh if zh else f.severity.value,
        "rule_id": f.rule_id,
        "title": f.title.get(lang),
        "subject_kind": _KIND_ZH.get(kind, kind) if zh else kind,
        "subject_id": f.subject.id,
        "subject_name": f.subject.name,
        "region_code": f.subject.region_code or "",
        "period_start": None if f.period is None else f.period.start,
        "period_end": None if f.period is None else f.period.end,
        "message": f.message.get(lang),
        "legal_basis": _JOIN.join(b.cite(lang) for b in f.legal_basis),
        "lead_departments": _JOIN.join(f.lead_departments),
        "department": (mark.department if mark and mark.department
                       else _JOIN.join(f.responsible_departments)),
        "due_date": mark.due_date if mark and mark.due_date else f.due_date,
        "fingerprint": f.fingerprint,
        "status": status if zh else _STATUS_EN[status],
        "closed_on": None if mark is None else mark.closed_on,
        "note": (mark.note if mark and mark.note else "") or "",
        "township": (mark.township if mark and mark.township else "") or "",
        "baseline": "" if baseline is None else _BASELINE[baseline][0 if zh else 1],
        "first_seen": None if mark is None else mark.first_seen,
        "recurred": ("是" if zh else "yes") if mark is not None and mark.recurred else "",
        "waiver": waiver,
    }


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    from openpyxl.styles import Alignment

    if isinstance(value, str):
        value = safe_text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _table(sheet: Any, top: int, headers: Sequence[Any], rows: Sequence[Sequence[Any]],
           caps: Sequence[int] | None = None) -> int:
    """Write a header and rows at row ``top``; size columns; return the next free row."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for c, head in enumerate(headers, start=1):
        _put(sheet, top, c, head).font = Font(bold=True)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            _put(sheet, r, c, value)
    for c, head in enumerate(headers, start=1):
        cap = caps[c - 1] if caps else 40
        need = max([display_width(str(head)),
                    *(10 if isinstance(v[c - 1], dt.date) else display_width(str(v[c - 1] or ""))
                      for v in rows)])
        letter = get_column_letter(c)
        current = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = max(current, min(max(need, 4) + 2, cap))
    return top + len(rows) + 2


def _summary(sheet: Any, rows: Sequence[dict[str, Any]], report: Report, lang: Lang) -> None:
    zh = lang == "zh"
    severities = list(reversed(Severity))
    sev_labels = [s.zh if zh else s.value for s in severities]
    by_dept: dict[str, Counter[str]] = {}
    for row in rows:
        for dept in (row["department"] or "—").split(_JOIN):
            by_dept.setdefault(dept, Counter())[row["severity"]] += 1
    dept_rows = [[d, *(by_dept[d][s] for s in sev_labels), sum(by_dept[d].values())]
                 for d in sorted(by_dept)]
    total = "合计" if zh else "total"
    top = _table(sheet, 1, ["责任单位" if zh else "department", *sev_labels, total], dept_rows)
    statuses = [s if zh else _STATUS_EN[s] for s in STATUSES]
    by_town: dict[str, Counter[str]] = {}
    for row in rows:
        by_town.setdefault(row["township"] or ("（县级）" if zh else "(county)"),
                           Counter())[row["status"]] += 1
    town_rows = [[t, *(by_town[t][s] for s in statuses), sum(by_town[t].values())]
                 for t in sorted(by_town)]
    top = _table(sheet, top, ["乡镇" if zh else "township", *statuses, total], town_rows)
    head = [("评价日期" if zh else "as of"), report.provenance.as_of]
    _table(sheet, top, head, [[("问题总数" if zh else "findings"), len(rows)]])


def _readiness(workbook: Any, title: str, report: Report, lang: Lang) -> None:
    if "demo-city" not in report.provenance.rulesets or not report.derived:
        return
    try:
        from fsrules_rulesets.demo_city.summary import readiness
    except ImportError:  # pragma: no cover - the built-in rulesets are always installed
        return
    zh = lang == "zh"
    sheet = workbook.create_sheet(title)
    labels = {"pass": ("达标", "pass"), "fail": ("未达标", "FAIL"), "no_data": ("无数据", "no data"),
              "not_applicable": ("不适用", "n/a"), "not_run": ("未运行", "not run"),
              "fired": ("触发否决", "FIRED"), "passed": ("未触发", "passed")}
    rows: list[list[Any]] = []
    for region in readiness(report).regions:
        for ind in region.indicators:
            rows.append([region.region_name, ind.code, ind.title.get(lang), ind.comparison,
                         ind.threshold, ind.value, labels[ind.status][0 if zh else 1],
                         "" if ind.gap_text is None else ind.gap_text.get(lang),
                         _JOIN.join(ind.lead)])
        for veto in region.vetoes:
            rows.append([region.region_name, veto.rule_id, veto.title.get(lang), "", None, None,
                         labels[veto.status][0 if zh else 1],
                         "" if veto.message is None else veto.message.get(lang), ""])
    heads = (["地区", "指标", "名称", "比较", "阈值", "实际值", "状态", "差距", "牵头单位"] if zh
             else ["region", "code", "title", "comparison", "threshold", "value", "status", "gap",
                   "lead"])
    _table(sheet, 1, heads, rows, caps=[14, 12, 50, 8, 10, 10, 10, 60, 24])
    sheet.freeze_panes = "A2"


def write_ledger(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The report as an Excel ledger (see the module docstring)."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    stamp = _fixed_datetime(report.provenance.as_of)
    workbook = openpyxl.Workbook()
    for prop in ("creator", "lastModifiedBy"):
        setattr(workbook.properties, prop, "fsrules")
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    findings_title, summary_title, readiness_title, diagnostics_title = LEDGER_SHEETS[lang]

    sheet = workbook.active
    sheet.title = findings_title
    rows = [_row(report, f, lang) for f in report.findings]
    headers = [zh if lang == "zh" else en for _, zh, en, _ in LEDGER_COLUMNS]
    _table(sheet, 1, headers, [[r[k] for k, *_ in LEDGER_COLUMNS] for r in rows],
           caps=[cap for *_, cap in LEDGER_COLUMNS])
    sheet.freeze_panes = "C2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
        status_col = [k for k, *_ in LEDGER_COLUMNS].index("status") + 1
        letter = openpyxl.utils.get_column_letter(status_col)
        choices = STATUSES if lang == "zh" else tuple(_STATUS_EN[s] for s in STATUSES)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                    allow_blank=False, showErrorMessage=True)
        validation.add(f"{letter}2:{letter}{len(rows) + 1}")
        sheet.add_data_validation(validation)

    _summary(workbook.create_sheet(summary_title), rows, report, lang)
    _readiness(workbook, readiness_title, report, lang)
    diag = workbook.create_sheet(diagnostics_title)
    _table(diag, 1, [zh if lang == "zh" else en for _, zh, en in _DIAGNOSTIC_COLUMNS],
           [[_diagnostic_row(d, lang)[k] for k, _, _ in _DIAGNOSTIC_COLUMNS]
            for d in report.diagnostics], caps=[8, 24, 24, 6, 16, 24, 60, 60, 20, 20])
    diag.freeze_panes = "A2"

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    stream.write(_restamp_zip(raw.getvalue(), stamp))


def _as_date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date", value=value) from None


def read_ledger(path: str | Path) -> list[dict[str, Any]]:
    """The edited ledger's rows: fingerprint, status, department, due_date, closed_on, note.

    Headers are matched in Chinese or English; English status labels are
    turned back into the Chinese ones the store keeps.
    """
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows, ())]
    wanted = {k: (zh, en) for k, zh, en, _ in LEDGER_COLUMNS
              if k in ("fingerprint", "status", "department", "due_date", "closed_on", "note")}
    index = {}
    for key, names in wanted.items():
        found = [i for i, h in enumerate(header) if h in names]
        if key == "fingerprint" and not found:
            raise InputError(f"{path}: no 指纹 (fingerprint) column in the first sheet",
                             file=str(path))
        if found:
            index[key] = found[0]
    back = {en: zh for zh, en in _STATUS_EN.items()}
    out = []
    for number, values in enumerate(rows, start=2):
        fingerprint = values[index["fingerprint"]]
        if not fingerprint:
            continue
        where = f"{path}:{number}"
        get = {k: values[i] if i < len(values) else None for k, i in index.items()}
        status = str(get.get("status") or "").strip()
        out.append({"fingerprint": str(fingerprint).strip(),
                    "status": back.get(status, status) or None,
                    "department": str(get.get("department") or "").strip() or None,
                    "due_date": _as_date(get.get("due_date"), where),
                    "closed_on": _as_date(get.get("closed_on"), where),
                    "note": str(get.get("note") or "").strip() or None})
    return out
