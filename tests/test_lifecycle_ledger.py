"""The Excel ledger: sized, wrapped, dated, labelled, validated, summarised; read back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import openpyxl

from fsrules import Subject
from fsrules.lifecycle import annotate
from fsrules.lifecycle.ledger import display_width, safe_text, write_ledger
from fsrules.lifecycle.store import HistoryStore

from ._lifecycle import DEC, DEMO, demo_report
from .test_cli import invoke


def _workbook(report: object) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_ledger(report, out, "zh")  # type: ignore[arg-type]
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def test_ledger_sheets_widths_dates_labels_validation_and_summary() -> None:
    report = demo_report()
    book = _workbook(report)
    assert book.sheetnames == ["问题清单", "汇总", "达标情况", "诊断"]
    sheet = book["问题清单"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["严重程度", "规则", "标题", "对象类型", "对象编号", "对象名称"]
    for name in ("状态", "责任单位", "整改期限", "销号日期", "备注", "乡镇"):
        assert name in header
    col = {h: i + 1 for i, h in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.findings) == 347
    # Chinese labels for every enumeration
    kinds = {r[col["对象类型"] - 1] for r in rows}
    assert kinds <= {"经营主体", "行政区域", "乡镇", "部门", "包保干部", "抽检结果", "投诉举报",
                     "执法案件"} and "operator" not in kinds
    assert "township" not in kinds
    assert {r[0] for r in rows} <= {"否决", "严重", "一般", "轻微", "提示"}
    assert {r[col["状态"] - 1] for r in rows} == {"待整改"}
    # real dates, formatted as dates
    period = sheet.cell(row=2, column=col["期间止"])
    assert isinstance(period.value, dt.datetime) and period.number_format == "yyyy-mm-dd"
    # widths sized for CJK text (wide characters count double), and wrapping
    letter = openpyxl.utils.get_column_letter(col["问题描述"])
    assert sheet.column_dimensions[letter].width >= 60
    assert sheet.cell(row=2, column=col["问题描述"]).alignment.wrap_text
    name_letter = openpyxl.utils.get_column_letter(col["对象名称"])
    longest = max(display_width(str(r[col["对象名称"] - 1])) for r in rows)
    assert sheet.column_dimensions[name_letter].width >= min(longest, 34)
    # status drop-down
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"待整改,整改中,已销号,已豁免"'
    status_letter = openpyxl.utils.get_column_letter(col["状态"])
    assert str(validations[0].sqref) == f"{status_letter}2:{status_letter}{len(rows) + 1}"
    # summary: severity x department, township x status, totals agree
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][:3] == ("责任单位", "否决", "严重")
    town_header = next(i for i, r in enumerate(summary) if r[0] == "乡镇")
    assert summary[town_header][1:6] == ("待整改", "整改中", "已销号", "已豁免", "合计")
    town_rows = []
    for r in summary[town_header + 1:]:
        if r[0] is None:
            break
        town_rows.append(r)
    assert sum(r[5] for r in town_rows) == 347
    # readiness sheet (the demo profile runs the demonstration-city ruleset)
    readiness = list(book["达标情况"].iter_rows(values_only=True))
    assert readiness[0][:7] == ("地区", "指标", "名称", "比较", "阈值", "实际值", "状态")
    assert any(r[6] == "未达标" for r in readiness[1:])
    assert any(r[1] == "VETO-005" and r[6] == "触发否决" for r in readiness[1:])


def test_ledger_makes_control_characters_and_formulas_safe() -> None:
    report = demo_report()
    first = report.findings[0]
    nasty = attrs.evolve(first, subject=Subject(kind="operator", id="X1",
                                                name="=HYPERLINK(\"x\")\x07坏\x1b名\t字"))
    sheet = _workbook(attrs.evolve(report, findings=(nasty,)))["问题清单"]
    cell = sheet.cell(row=2, column=6)
    assert cell.value == "=HYPERLINK(\"x\")坏名\t字" and cell.data_type == "s"
    assert safe_text("a\x00b\x1fc\nd\re\tf") == "abc\nd\re\tf"


def test_ledger_is_reproducible() -> None:
    one, two = io.BytesIO(), io.BytesIO()
    write_ledger(demo_report(), one)
    write_ledger(demo_report(), two)
    assert one.getvalue() == two.getvalue()


def test_edited_ledger_imports_into_the_store(tmp_path: Path) -> None:
    store_path = tmp_path / "h.sqlite"
    report = demo_report(DEC)
    with HistoryStore(store_path) as store:
        store.record(report)
        marks = store.marks(report)
    ledger = tmp_path / "ledger.xlsx"
    with ledger.open("wb") as handle:
        write_ledger(annotate(report, history=marks), handle)
    book = openpyxl.load_workbook(ledger)
    sheet = book["问题清单"]
    header = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    fp = sheet.cell(row=3, column=col["指纹"]).value
    sheet.cell(row=3, column=col["状态"]).value = "已销号"
    sheet.cell(row=3, column=col["销号日期"]).value = dt.datetime(2024, 1, 15)
    sheet.cell(row=3, column=col["备注"]).value = "复查合格，见整改报告"
    fp2 = sheet.cell(row=4, column=col["指纹"]).value
    sheet.cell(row=4, column=col["状态"]).value = "整改中"
    sheet.cell(row=4, column=col["责任单位"]).value = "章台镇人民政府"
    book.save(ledger)
    result = invoke(["history", "import", str(ledger), "--store", str(store_path), "--on",
                     "2024-01-16"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "读取 347 行，更新 2 条问题"
    with HistoryStore(store_path) as store:
        closed = store.get(fp)
        assert (closed.status, closed.closed_on, closed.note) == (
            "已销号", dt.date(2024, 1, 15), "复查合格，见整改报告")
        assert closed.closed_by_hand
        working = store.get(fp2)
        assert (working.status, working.department) == ("整改中", "章台镇人民政府")
        untouched = [r for r in store.records() if r.fingerprint not in (fp, fp2)]
        assert {r.status for r in untouched} == {"待整改"}
        assert all(r.department is None and r.due_date is None for r in untouched)


def test_check_writes_the_ledger_with_store_columns_and_townships(tmp_path: Path) -> None:
    out, store = tmp_path / "l.xlsx", tmp_path / "s.sqlite"
    result = invoke(["check", str(DEMO), "--profile", "demo", "--as-of", "2023-12-31",
                     "--keep-going", "--fail-on", "none", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["问题清单"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    firsts = {r[header.index("首次发现")] for r in rows}
    assert firsts == {dt.datetime(2023, 12, 31)}
    towns = {r[header.index("乡镇")] for r in rows}
    assert "常庄镇" in towns
