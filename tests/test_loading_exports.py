"""Real export shapes and hostile files (issue 13): each loads right or is refused clearly.

Files are made by the tool that makes them in practice where possible:
openpyxl for XLSX, a real BIFF8 ``.xls`` (``tests/data/operator-export.xls``,
written once by xlwt), Python's codecs for UTF-16, GB18030 and Big5.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import shutil
import sys
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules.cli import main
from fsrules.loading import LoadLimits, LoadResult, load_bundle
from fsrules.loading._text import CONTROL
from fsrules.model import BusinessType, Operator

DATA = Path(__file__).parent / "data"
USCC = "91110000600037341L"
HEADER = ["编号", "名称", "业态", "行政区划代码", "统一社会信用代码", "成立日期"]
ROWS = [["OP1", "甲餐馆", "餐饮", "130533", USCC, "2020-01-01"],
        ["OP2", "乙超市", "销售", "130533", "", "2021-05-06"]]


def reconciled(result: LoadResult) -> LoadResult:
    """The counts reconcile and every rejected file has an error located in it."""
    for stats in result.files:
        assert stats.total == stats.accepted + stats.rejected, stats
        if stats.rejected:
            assert any(d.file is not None and d.file.startswith(stats.file)
                       for d in result.errors), stats
    assert len(result.facts) == result.accepted
    return result


def codes(result: LoadResult, level: DiagnosticLevel | None = None) -> list[str]:
    return sorted(d.code for d in result.diagnostics if level is None or d.level is level)


def one(result: LoadResult, code: str) -> Diagnostic:
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [d.render("en") for d in result.diagnostics]
    return found[0]


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def operators(result: LoadResult) -> dict[str, Operator]:
    return {f.id: f for f in result.facts if isinstance(f, Operator)}


def assert_two_operators(result: LoadResult) -> None:
    found = operators(reconciled(result))
    assert sorted(found) == ["OP1", "OP2"], [d.render("en") for d in result.diagnostics]
    assert found["OP1"].name == "甲餐馆" and found["OP1"].uscc == USCC
    assert found["OP1"].business_type is BusinessType.CATERER
    assert found["OP2"].region_code == "130533"
    assert found["OP2"].opened_on == dt.date(2021, 5, 6)
    assert result.ok


# --------------------------------------------------------------------------- export shapes


def test_csv_with_two_title_rows_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "经营主体.csv"
    path.write_text(csv_text([["某县经营主体名单"], ["导出时间：2024-01-02", "", ""], [],
                              HEADER, *ROWS, []]), encoding="utf-8-sig")
    result = load_bundle([tmp_path])
    assert_two_operators(result)
    note = one(result, "input.title_rows")
    assert note.level is DiagnosticLevel.INFO
    assert (note.row, note.value) == (1, "某县经营主体名单")
    assert "row 4" in note.message.en
    assert result.files[0].total == 2


def test_xlsx_with_data_on_sheet_two_under_a_title(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["本文件由平台导出，请勿修改表头"])
    data = workbook.create_sheet("Sheet2")
    data.append(["某县经营主体名单（2023 年 12 月）"])
    data.append([])
    data.append(HEADER)
    data.append(["OP1", "甲餐馆", "餐饮", 130533, USCC, dt.date(2020, 1, 1)])
    data.append(["OP2", "乙超市", "销售", "130533", None, dt.datetime(2021, 5, 6)])
    workbook.save(tmp_path / "经营主体.xlsx")
    result = load_bundle([tmp_path])
    assert_two_operators(result)
    assert one(result, "input.ignored_sheet").value == "说明"
    assert one(result, "input.title_rows").row == 1


def test_xlsx_a_sheet_per_kind_in_chinese_and_english(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "经营主体"
    first.append(["经营主体（导出）"])
    first.append(HEADER)
    first.append(ROWS[0])
    first.append(ROWS[1])
    second = workbook.create_sheet("Inspection")
    second.append(["id", "operator_id", "inspected_on", "result"])
    second.append(["I1", "OP1", "2023-01-05", "符合"])
    workbook.save(tmp_path / "导出.xlsx")
    result = reconciled(load_bundle([tmp_path]))
    assert sorted(f.key for f in result.facts) == [
        ("inspection", "I1"), ("operator", "OP1"), ("operator", "OP2")]
    assert {s.file.rsplit("#", 1)[1] for s in result.files} == {"经营主体", "Inspection"}


def test_real_xls_export(tmp_path: Path) -> None:
    shutil.copy(DATA / "operator-export.xls", tmp_path / "经营主体.xls")
    result = load_bundle([tmp_path])
    assert_two_operators(result)
    assert one(result, "input.ignored_sheet").value == "说明"
    assert one(result, "input.title_rows").row == 1
    assert result.files[0].total == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_tab_separated_unicode_text(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode text" (.txt): UTF-16 with BOM, tab-separated; also without BOM."""
    text = csv_text([HEADER, *ROWS], delimiter="\t")
    (tmp_path / "operator.txt").write_bytes(text.encode(encoding))
    (tmp_path / "readme.txt").write_text("not data", encoding="utf-8")
    result = load_bundle([tmp_path])
    assert_two_operators(result)
    assert [Path(s.file).name for s in result.files] == ["operator.txt"]


def test_semicolon_csv(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_text(csv_text([HEADER, *ROWS], delimiter=";"),
                                           encoding="utf-8")
    assert_two_operators(load_bundle([tmp_path]))


def test_tab_separated_csv(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_text(csv_text([HEADER, *ROWS], delimiter="\t"),
                                           encoding="gb18030")
    assert_two_operators(load_bundle([tmp_path]))


def test_big5_is_not_read_as_gb18030(tmp_path: Path) -> None:
    names = ["鼎泰豐小籠包專賣店", "臺灣鹹酥雞攤販", "廣東燒臘飯館"]
    rows = [["id", "name", "business_type", "region_code"]]
    rows += [[f"OP{i}", name, "caterer", "130533"] for i, name in enumerate(names, start=1)]
    (tmp_path / "operator.csv").write_bytes(csv_text(rows).encode("big5"))
    result = reconciled(load_bundle([tmp_path]))
    assert sorted(f.name for f in operators(result).values()) == sorted(names)


def test_gbk_still_reads(tmp_path: Path) -> None:
    rows = [HEADER, ["OP1", "甲餐馆", "餐饮", "130533", USCC, "2020-01-01"],
            ["OP2", "乙超市", "销售", "130533", "", "2021-05-06"]]
    (tmp_path / "operator.csv").write_bytes(csv_text(rows).encode("gbk"))
    assert_two_operators(load_bundle([tmp_path]))


def test_unknown_encoding_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_bytes(b"id,name\n\x80\xff\x80,\xfe\xff\n")
    error = one(load_bundle([tmp_path]), "input.encoding")
    assert "GB18030" in error.message.en and "Big5" in error.message.en
    assert error.hint is not None and "UTF-8" in error.hint.en


# --------------------------------------------------------------------------- nothing read


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = load_bundle([tmp_path])
    error = one(result, "input.nothing_loaded")
    assert error.level is DiagnosticLevel.ERROR and not result.ok
    assert "no data file" in error.message.en and error.hint is not None


def test_only_unrecognised_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "data.dbf").write_bytes(b"\x03")
    error = one(load_bundle([tmp_path]), "input.nothing_loaded")
    assert "no data file" in error.message.en


def test_every_record_rejected_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_text(csv_text([HEADER, ["OP1", "", "", "", "", ""]]),
                                           encoding="utf-8")
    error = one(load_bundle([tmp_path]), "input.nothing_loaded")
    assert "all 1 records of 1 data file(s) were rejected" in error.message.en


def test_cli_check_and_validate_of_an_empty_folder_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"FSRULES_LANG": None, "NO_COLOR": None, "FSRULES_PLUGINS": ""}
    for command in (["check", str(tmp_path), "--as-of", "2023-12-31"],
                    ["validate", str(tmp_path)]):
        result = runner.invoke(main, command, env=env, catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert "未导入任何记录" in result.stdout + result.stderr


# --------------------------------------------------------------------------- hostile input


def test_d1_huge_json_integers_are_rejected_records(tmp_path: Path) -> None:
    huge = int("9" * 400)
    lines = [
        {"kind": "sampling_result", "id": "S1", "region_code": "130533", "sampling_kind": "监督",
         "sampled_on": huge, "product_name": "醋", "verdict": "合格"},
        {"kind": "operator", "id": "OP9", "name": "丁", "business_type": "caterer",
         "region_code": "130533", "latitude": huge},
        {"kind": "operator", "id": "OP1", "name": "甲", "business_type": "caterer",
         "region_code": "130533"},
    ]
    (tmp_path / "facts.jsonl").write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
        encoding="utf-8")
    (tmp_path / "operator.csv").write_text(csv_text([HEADER, ROWS[1]]), encoding="utf-8")
    result = reconciled(load_bundle([tmp_path]))
    assert sorted(f.id for f in result.facts) == ["OP1", "OP2"]
    assert result.rejected == 2
    by_row = {d.row: d for d in result.errors}
    assert by_row[1].code == "input.date" and by_row[1].field == "sampled_on"
    assert by_row[2].code == "input.number" and by_row[2].field == "latitude"


def test_d2_control_characters_do_not_survive(tmp_path: Path) -> None:
    rows = [HEADER, ["OP1", "甲\x1b[31m餐\x00馆\x07", "餐饮", "130533", USCC, "2020-01-01"],
            ["OP2", "Shop\x0b\x1b]8;;http://x\x1b\\", "销售", "130533", "", "2021-05-06"],
            ["OP3", "丙", "餐\x00厅", "130533", "", "2021-05-06"],
            ["OP4", "丁", "餐\x00饮", "130533", "", "2021-05-06"]]
    (tmp_path / "operator.csv").write_text(csv_text(rows), encoding="utf-8")
    result = reconciled(load_bundle([tmp_path]))
    found = operators(result)
    assert found["OP1"].name == "甲[31m餐馆"
    assert found["OP2"].name == "Shop]8;;http://x\\"
    assert found["OP4"].business_type is BusinessType.CATERER
    error = one(result, "input.enum")
    assert error.value == "餐\\x00厅"
    for diagnostic in result.diagnostics:
        for text in (diagnostic.value, diagnostic.message.zh, diagnostic.message.en):
            assert text is None or CONTROL.search(text) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_d4_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "operator.csv")
    (tmp_path / "inspection.csv").write_text(
        "id,operator_id,inspected_on,result\nI1,OP1,2023-01-05,符合\n", encoding="utf-8")
    outcome: list[LoadResult] = []
    worker = threading.Thread(target=lambda: outcome.append(load_bundle([tmp_path])),
                              daemon=True)
    worker.start()
    worker.join(20)
    if not outcome:  # unblock the reader so the thread ends, then fail
        with open(tmp_path / "operator.csv", "wb"):
            pass
        pytest.fail("load_bundle hung on a FIFO")
    result = reconciled(outcome[0])
    error = one(result, "input.special_file")
    assert "named pipe" in error.message.en
    assert [f.id for f in result.facts] == ["I1"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_d4_a_device_given_as_a_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "operator.csv"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    result = load_bundle([link])
    assert time.monotonic() - started < 10
    assert "device" in one(result, "input.special_file").message.en


def test_d4_size_cap(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_text(csv_text([HEADER, *ROWS]), encoding="utf-8")
    result = load_bundle([tmp_path], limits=LoadLimits(max_file_bytes=64))
    error = one(result, "input.too_large")
    assert "over the limit of 64" in error.message.en
    assert error.hint is not None and "max_file_bytes" in error.hint.en


def test_d5_an_overlong_cell_is_a_rejected_record(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADER]
    for i in range(1, 7):
        name = "长" * 200_000 if i == 3 else f"店{i}"
        rows.append([f"OP{i}", name, "餐饮", "130533", "", "2021-05-06"])
    (tmp_path / "operator.csv").write_text(csv_text(rows), encoding="utf-8")
    result = reconciled(load_bundle([tmp_path]))
    assert (result.total, result.accepted, result.rejected) == (6, 5, 1)
    error = one(result, "input.csv")
    assert error.row == 4 and "131072" in error.message.en
    assert sorted(f.id for f in result.facts) == ["OP1", "OP2", "OP4", "OP5", "OP6"]


def test_d9_wide_headers_are_capped_and_warnings_summarised(tmp_path: Path) -> None:
    header = HEADER + [f"extra{i}" for i in range(200)]
    rows = [header, ROWS[0] + [""] * 200, ROWS[1] + [""] * 200,
            ["OP3", "丙", "餐饮", "130533", "", "2021-05-06"] + ["x"] * 2000]
    (tmp_path / "operator.csv").write_text(csv_text(rows), encoding="utf-8")
    result = reconciled(load_bundle([tmp_path], limits=LoadLimits(max_columns=1000)))
    unknown = [d for d in result.diagnostics if d.code == "input.unknown_column"]
    assert len(unknown) == 21
    assert "180 more unknown columns" in unknown[-1].message.en or any(
        "180 more unknown columns" in d.message.en for d in unknown)
    assert one(result, "input.too_many_columns").row == 4
    assert sorted(operators(result)) == ["OP1", "OP2"]


def test_d9_a_million_column_header_is_refused_quickly(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(1_000_000))
    (tmp_path / "operator.csv").write_text(header + "\n" + "1," * 10 + "\n", encoding="utf-8")
    started = time.process_time()
    result = reconciled(load_bundle([tmp_path]))
    assert time.process_time() - started < 20
    assert len(result.diagnostics) < 10
    assert "1,000,000 columns" in one(result, "input.too_many_columns").message.en
    assert result.rejected == 1


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_d10_links_out_of_the_bundle_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwd.csv").write_text("root:x:0:0,secret-header\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "operator.csv").symlink_to(outside / "passwd.csv")
    (bundle / "real.csv").write_text(csv_text([HEADER, *ROWS]), encoding="utf-8")
    (bundle / "inspection.csv").symlink_to(bundle / "real.csv")  # inside: followed
    result = load_bundle([bundle])
    error = one(result, "input.link_outside")
    assert error.file == str(bundle / "operator.csv")
    assert not any("secret-header" in (d.value or "") + d.message.en + (d.field or "")
                   for d in result.diagnostics)
    assert [s.file for s in result.files] == [str(bundle / "inspection.csv")]


# --------------------------------------------------------------------------- XML attacks, formulas


def _xlsx_with_sheet_xml(path: Path, sheet_xml: str) -> None:
    """A minimal XLSX whose first sheet is ``sheet_xml`` (built from an openpyxl workbook)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            target.writestr(item, data)


_SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<sheetData>'
          '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
          '<c r="C1" t="inlineStr"><is><t>business_type</t></is></c>'
          '<c r="D1" t="inlineStr"><is><t>region_code</t></is></c></row>'
          '<row r="2"><c r="A2" t="inlineStr"><is><t>OP1</t></is></c>'
          '<c r="B2" t="inlineStr"><is><t>{name}</t></is></c>'
          '<c r="C2" t="inlineStr"><is><t>caterer</t></is></c>'
          '<c r="D2" t="inlineStr"><is><t>130533</t></is></c></row>'
          '</sheetData></worksheet>')


def test_billion_laughs_xlsx_does_not_expand(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
           + _SHEET.format(name="&lol9;"))
    path = tmp_path / "operator.xlsx"
    _xlsx_with_sheet_xml(path, xml)
    started = time.process_time()
    result = reconciled(load_bundle([path]))
    assert time.process_time() - started < 10
    for fact in result.facts:
        assert "lollol" not in repr(fact)


def test_xxe_xlsx_does_not_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           + _SHEET.format(name="&xxe;"))
    path = tmp_path / "operator.xlsx"
    _xlsx_with_sheet_xml(path, xml)
    result = reconciled(load_bundle([path]))
    everything = repr(result.facts) + repr(result.diagnostics)
    assert "TOP-SECRET-VALUE" not in everything


def test_formulas_are_never_evaluated(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "name", "business_type", "region_code", "opened_on"])
    sheet.append(["OP1", '=HYPERLINK("http://x","y")', "caterer", "130533", "=TODAY()"])
    workbook.save(tmp_path / "operator.xlsx")
    result = reconciled(load_bundle([tmp_path]))
    assert result.accepted == 0  # the name's formula has no cached value: empty, required
    assert not any("HYPERLINK" in repr(d) or "TODAY" in repr(d) for d in result.diagnostics)


def test_odd_file_names(tmp_path: Path) -> None:
    weird = tmp_path / "operator\x1b[2J.csv"
    weird.write_text(csv_text([HEADER, *ROWS]), encoding="utf-8")
    (tmp_path / "~$operator.xlsx").write_bytes(b"lock file")
    result = load_bundle([tmp_path])
    for diagnostic in result.diagnostics:
        assert diagnostic.file is None or diagnostic.file.isprintable()
    assert all(s.file.isprintable() for s in result.files)


def test_sniffing_keeps_commas_in_a_comma_file(tmp_path: Path) -> None:
    rows = [HEADER, ["OP1", "甲;乙;丙", "餐饮", "130533", USCC, "2020-01-01"],
            ["OP2", "乙超市", "销售", "130533", "", "2021-05-06"]]
    (tmp_path / "operator.csv").write_text(csv_text(rows), encoding="utf-8")
    found = operators(reconciled(load_bundle([tmp_path])))
    assert found["OP1"].name == "甲;乙;丙"


def test_codecs_used_are_real_encodings() -> None:
    for name in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "big5"):
        codecs.lookup(name)


def test_d2_control_characters_in_json_keys_are_escaped_in_messages(tmp_path: Path) -> None:
    """Found by the fuzz suite: an unknown JSON key was quoted raw in the message."""
    (tmp_path / "inspection.jsonl").write_text(
        json.dumps({"id": "I1", "operator_id": "OP1", "inspected_on": "2023-01-05",
                    "result": "符合", "\x1f\x1b[2J": 1}) + "\n", encoding="utf-8")
    result = reconciled(load_bundle([tmp_path]))
    warning = one(result, "input.unknown_column")
    assert "\\x1f\\x1b[2J" in warning.message.en and warning.field == "\\x1f\\x1b[2J"
    for diagnostic in result.diagnostics:
        for text in (diagnostic.message.zh, diagnostic.message.en, diagnostic.field):
            assert text is None or CONTROL.search(text) is None
