"""Tests of fsrules.loading: every record of a bundle ends as a fact or a diagnostic.

Fixture files are written into ``tmp_path`` by each test, in the encodings
and layouts Chinese exports use (UTF-8 with and without BOM, GB18030,
XLSX from openpyxl, JSON Lines). Every test checks that the counts
reconcile: ``total == accepted + rejected`` per file and overall.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
import tempfile
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._digest import input_digest
from fsrules.identifiers import DivisionRegistry
from fsrules.loading import (
    FileStats,
    LoadResult,
    dump_bundle,
    header_aliases_markdown,
    load_bundle,
    load_records,
)
from fsrules.model import (
    BUILTIN_FACT_KINDS,
    BusinessType,
    Fact,
    Inspection,
    InspectionResult,
    Licence,
    LicenceKind,
    Operator,
    SampleRetention,
    SamplingResult,
    Verdict,
)

USCC = "91110000600037341L"  # valid (GB 32100 check character L)
USCC_PILOT = "91350100M0001TGQXM"  # Fujian pilot era: legal, fails mod 31 -> warning

OPERATOR_HEADER_ZH = ["编号", "名称", "业态", "行政区划代码", "统一社会信用代码", "成立日期"]


# --------------------------------------------------------------------------- helpers


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def reconciled(result: LoadResult) -> LoadResult:
    """Assert the count invariants and return the result."""
    for stats in result.files:
        assert stats.total == stats.accepted + stats.rejected, stats
        if stats.rejected:
            assert any(d.file is not None and d.file.startswith(stats.file)
                       for d in result.errors), stats
    assert result.total == result.accepted + result.rejected
    assert len(result.facts) == result.accepted
    assert result.ok == (not result.errors)
    return result


def codes(result: LoadResult, level: DiagnosticLevel | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if level is None or d.level is level]


def one(result: LoadResult, code: str) -> Diagnostic:
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [d.render("en") for d in result.diagnostics]
    return found[0]


def stats_of(result: LoadResult, name: str) -> FileStats:
    return next(s for s in result.files if Path(s.file).name == name)


# --------------------------------------------------------------------------- CSV encodings and headers


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_with_chinese_headers(tmp_path: Path, encoding: str) -> None:
    write_csv(tmp_path / "operator.csv", [
        OPERATOR_HEADER_ZH,
        ["OP1", "威县张三小吃店", "小餐饮", "130533", f" {USCC.lower()} ", "2023年1月5日"],
        ["OP2", "李四超市", "食品销售", "１３０５３３", "", "2020/3/1"],
    ], encoding)
    result = reconciled(load_bundle([tmp_path]))
    assert result.ok, [d.render("en") for d in result.diagnostics]
    first, second = result.facts
    assert isinstance(first, Operator)
    assert first.name == "威县张三小吃店"
    assert first.business_type is BusinessType.SMALL_EATERY
    assert first.uscc == USCC  # normalised: stripped, upper-cased
    assert first.opened_on == dt.date(2023, 1, 5)
    assert isinstance(second, Operator)
    assert second.region_code == "130533"  # full-width digits
    assert second.uscc is None
    assert result.files == (FileStats(file=str(tmp_path / "operator.csv"), kind="operator",
                                      total=2, accepted=2, rejected=0),)


def test_chinese_file_stem_and_header_variants(tmp_path: Path) -> None:
    write_csv(tmp_path / "抽检结果.csv", [
        ["*编号", " 抽样地区划代码 ", "抽检类型", "抽样日期", "样品名称", "检验结论", "ＩＤ"],
        ["S1", "130533", "监督", "2023-03-01", "小麦粉", "不合格", ""],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert [type(f) for f in result.facts] == [SamplingResult]
    fact = result.facts[0]
    assert isinstance(fact, SamplingResult)
    assert fact.verdict is Verdict.FAIL
    # "ＩＤ" (full-width) also means id: the second column for a field is reported
    assert codes(result) == ["input.duplicate_column"]


def test_unknown_columns_warned_once_per_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "operator.csv", [
        [*OPERATOR_HEADER_ZH, "备注"],
        ["OP1", "甲", "餐饮", "130533", "", "", "x"],
        ["OP2", "乙", "餐饮", "130533", "", "", "y"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert result.accepted == 2
    warning = one(result, "input.unknown_column")
    assert warning.level is DiagnosticLevel.WARNING
    assert warning.field == "备注"
    assert warning.row == 1
    assert warning.hint is not None
    assert "统一社会信用代码" in warning.hint.zh and "uscc" in warning.hint.en


def test_unknown_files_in_a_bundle_are_warnings(tmp_path: Path) -> None:
    """Unknown data files warn; documentation and hidden files are skipped quietly."""
    write_csv(tmp_path / "operator.csv", [OPERATOR_HEADER_ZH, ["OP1", "甲", "餐饮", "130533"]])
    (tmp_path / "README.md").write_text("# bundle\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01Bud1")
    write_csv(tmp_path / "notes.csv", [["a", "b"], ["1", "2"]])
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    result = reconciled(load_bundle([tmp_path]))
    assert result.ok
    assert result.accepted == 1
    warned = sorted(Path(d.file or "").name for d in result.warnings)
    assert warned == ["notes.csv", "photo.png"]
    assert set(codes(result)) == {"input.unknown_file"}
    assert [s.file for s in result.files] == [str(tmp_path / "operator.csv")]


def test_blank_rows_are_skipped_and_not_counted(tmp_path: Path) -> None:
    write_csv(tmp_path / "operator.csv", [
        [], OPERATOR_HEADER_ZH, ["", " ", "", "", "", ""], ["OP1", "甲", "餐饮", "130533", "", ""],
        [], ["OP2", "乙", "餐饮", "130533", "", "bad"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert (result.total, result.accepted, result.rejected) == (2, 1, 1)
    assert one(result, "input.date").row == 6  # header is row 2 here; rows keep their numbers


def test_relative_paths_stay_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    write_csv(bundle / "operator.csv", [OPERATOR_HEADER_ZH, ["OP1", "甲", "餐饮", "999999"]])
    monkeypatch.chdir(tmp_path)
    result = reconciled(load_bundle(["bundle"], as_of=dt.date(2023, 1, 1)))
    assert one(result, "input.division").file == os.path.join("bundle", "operator.csv")


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-05", dt.date(2023, 1, 5)),
        ("2023/1/5", dt.date(2023, 1, 5)),
        ("2023.1.5", dt.date(2023, 1, 5)),
        ("20230105", dt.date(2023, 1, 5)),
        ("2023年1月5日", dt.date(2023, 1, 5)),
        ("２０２３年１月５日", dt.date(2023, 1, 5)),
        ("2023-01-05 00:00:00", dt.date(2023, 1, 5)),
        ("44931", dt.date(2023, 1, 5)),  # Excel serial as text
        ("44931.5", dt.date(2023, 1, 5)),
    ],
)
def test_date_formats(tmp_path: Path, text: str, expected: dt.date) -> None:
    write_csv(tmp_path / "inspection.csv", [
        ["编号", "主体编号", "检查日期", "检查结果"], ["I1", "OP1", text, "符合"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert result.ok, [d.render("en") for d in result.diagnostics]
    fact = result.facts[0]
    assert isinstance(fact, Inspection)
    assert fact.inspected_on == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-05 11:30", dt.datetime(2023, 1, 5, 11, 30)),
        ("2023-01-05T11:30:15", dt.datetime(2023, 1, 5, 11, 30, 15)),
        ("2023/1/5 9:05", dt.datetime(2023, 1, 5, 9, 5)),
        ("2023年1月5日 11时30分", dt.datetime(2023, 1, 5, 11, 30)),
        ("2023年1月5日11时30分15秒", dt.datetime(2023, 1, 5, 11, 30, 15)),
        ("2023-01-05", dt.datetime(2023, 1, 5)),
        ("44931.5", dt.datetime(2023, 1, 5, 12, 0)),
    ],
)
def test_datetime_formats(text: str, expected: dt.datetime) -> None:
    result = reconciled(load_records(
        [{"编号": "R1", "主体编号": "OP1", "供餐记录编号": "M1", "日期": "2023-01-05",
          "菜品": "番茄炒蛋", "留样时间": text}],
        kind="sample_retention",
    ))
    assert result.ok, [d.render("en") for d in result.diagnostics]
    fact = result.facts[0]
    assert isinstance(fact, SampleRetention)
    assert fact.retained_at == expected


@pytest.mark.parametrize("serial", [44931, 44931.0, "44931"])
def test_excel_serial_numbers(serial: object) -> None:
    result = reconciled(load_records(
        [{"id": "I1", "operator_id": "OP1", "inspected_on": serial, "result": "符合"}],
        kind=Inspection,
    ))
    assert result.ok
    assert result.facts[0] == Inspection(id="I1", operator_id="OP1",
                                         inspected_on=dt.date(2023, 1, 5),
                                         result=InspectionResult.CONFORMING)


@pytest.mark.parametrize("bad", [5, "2023", "123456789", "2023-13-01 99", "昨天"])
def test_not_dates(bad: object) -> None:
    result = reconciled(load_records(
        [{"id": "I1", "operator_id": "OP1", "inspected_on": bad, "result": "符合"}],
        kind="inspection",
    ))
    diagnostic = one(result, "input.date")
    assert diagnostic.hint is not None and "YYYY-MM-DD" in diagnostic.hint.en


def test_impossible_date_is_no_such_date(tmp_path: Path) -> None:
    write_csv(tmp_path / "inspection.csv", [
        ["编号", "主体编号", "检查日期", "检查结果"], ["I1", "OP1", "2023-02-30", "符合"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert result.rejected == 1
    diagnostic = one(result, "input.date")
    assert (diagnostic.file, diagnostic.row, diagnostic.field, diagnostic.value) == (
        str(tmp_path / "inspection.csv"), 2, "检查日期", "2023-02-30")
    assert diagnostic.message.zh == "不存在的日期"
    assert diagnostic.message.en == "no such date"
    assert diagnostic.hint is not None and "YYYY-MM-DD" in diagnostic.hint.zh
    assert diagnostic.kind == "inspection" and diagnostic.record_id == "I1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False),
     ("true", True), ("FALSE", False), ("1", True), ("0", False), ("✓", True), (True, True),
     (0, False)],
)
def test_booleans(text: object, expected: bool) -> None:
    result = reconciled(load_records(
        [{"id": "OP1", "name": "甲", "business_type": "餐饮", "region_code": "130533",
          "明厨亮灶": text}],
        kind="operator",
    ))
    fact = result.facts[0]
    assert isinstance(fact, Operator)
    assert fact.has_bright_kitchen is expected


def test_numbers_full_width_grouped_and_percent() -> None:
    result = reconciled(load_records(
        [
            {"id": "OP1", "name": "甲", "business_type": "餐饮", "region_code": "130533",
             "就餐人数": "１，２３４", "经营面积": "1,234.5"},
            {"id": "OP2", "name": "乙", "business_type": "餐饮", "region_code": "130533",
             "经营面积": "1e3", "纬度": "３７．２"},
        ],
        kind="operator",
    ))
    assert result.ok, [d.render("en") for d in result.diagnostics]
    first, second = result.facts
    assert isinstance(first, Operator) and isinstance(second, Operator)
    assert first.avg_diners_per_meal == 1234
    assert first.business_area_m2 == 1234.5
    assert second.business_area_m2 == 1000.0
    assert second.latitude == pytest.approx(37.2)


def test_percentages_are_read_in_percent() -> None:
    """Rates are kept in percent (0-100) throughout fsrules: 85.3% is 85.3, like a bare 85.3."""
    base = {"行政区划代码": "130533", "指标": "satisfaction", "起始日期": "2023-01-01",
            "截止日期": "2023-11-30"}
    result = reconciled(load_records(
        [{**base, "编号": "O1", "数值": "85.3%"}, {**base, "编号": "O2", "数值": "85.3"},
         {**base, "编号": "O3", "数值": "85.3%%"}],
        kind="indicator_observation",
    ))
    assert [getattr(f, "value", None) for f in result.facts] == [85.3, 85.3]
    assert one(result, "input.number").row == 3
    percent_int = reconciled(load_records(
        [{"id": "I1", "operator_id": "OP1", "inspected_on": "2023-01-05", "result": "符合",
          "inspectors": "50%"}], kind="inspection"))
    assert codes(percent_int) == ["input.number"]


def test_lists_accept_chinese_separators() -> None:
    result = reconciled(load_records(
        [{"id": "I1", "operator_id": "OP1", "inspected_on": "2023-01-05", "result": "不符合",
          "不符合项": "1.1；2.3、4.5,6.1，7.2;"}],
        kind="inspection",
    ))
    fact = result.facts[0]
    assert isinstance(fact, Inspection)
    assert fact.failed_items == ("1.1", "2.3", "4.5", "6.1", "7.2")


def test_all_problems_of_a_row_are_reported(tmp_path: Path) -> None:
    write_csv(tmp_path / "inspection.csv", [
        ["编号", "主体编号", "检查日期", "检查结果", "检查人员数", "拒绝阻挠检查"],
        ["I1", "OP1", "2023/2/29", "还行", "-1", "也许"],
        ["I2", "", "2023/2/28", "符合", "2", ""],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert (result.total, result.accepted, result.rejected) == (2, 0, 2)
    by_row = {(d.row, d.field): d.code for d in result.errors}
    assert by_row == {
        (2, "检查日期"): "input.date",
        (2, "检查结果"): "input.enum",
        (2, "检查人员数"): "input.number",  # the attrs validator: not negative
        (2, "拒绝阻挠检查"): "input.bool",
        (3, "主体编号"): "input.required",
        (None, None): "input.nothing_loaded",  # every record rejected: never a clean load
    }
    enum_error = next(d for d in result.errors if d.code == "input.enum")
    assert enum_error.hint is not None and "符合" in enum_error.hint.zh
    assert all(d.hint is not None and d.message.zh and d.message.en for d in result.errors)


def test_facts_the_loader_builds_itself_are_what_the_class_builds() -> None:
    """The fast path sets fields without attrs' __init__: same values, converters applied."""
    demo = Path(__file__).resolve().parent.parent / "examples" / "weixian"
    result = load_bundle([demo])
    assert result.accepted > 10_000
    for fact in result.facts:
        rebuilt = attrs.evolve(fact)  # attrs' __init__: converters and validators run
        assert rebuilt == fact and type(rebuilt) is type(fact), fact.key
        assert all(type(getattr(rebuilt, a.name)) is type(getattr(fact, a.name))
                   for a in attrs.fields(type(fact))), fact.key
    # The digest the row functions build from each distinct cell's text is the facts' digest.
    assert result.digest == input_digest(result.facts)


def test_digest_texts_of_sparse_columns_defaults_and_checked_ids(tmp_path: Path) -> None:
    """Defaults of missing columns, empty cells, replaced USCCs: the texts match the facts."""
    write_csv(tmp_path / "operator.csv", [
        OPERATOR_HEADER_ZH,
        ["OP1", "甲 \"店\"", "餐饮", "130533", USCC.lower(), ""],
        ["OP2", "乙\\店", "餐饮", "130533", "", "2023-01-05"],
    ])
    write_csv(tmp_path / "sampling_result.csv", [
        ["编号", "抽样地区划代码", "抽检类型", "抽样日期", "样品名称", "检验结论", "不合格项目"],
        ["S1", "130533", "评价性抽检", "2023-03-01", "饼干", "合格", ""],
        ["S2", "130533", "监督抽检", "2023-03-02", "大米", "不合格", "铅;镉"],
    ])
    result = load_bundle([tmp_path])
    assert result.accepted == 4 and not result.warnings, result.diagnostics
    assert next(f for f in result.facts if f.id == "OP1").uscc == USCC  # the checked form
    assert result.digest == input_digest(result.facts)


def test_values_the_validators_refuse_take_the_general_path(tmp_path: Path) -> None:
    """Validators run once per distinct cell on the fast path; a refused value is reported."""
    write_csv(tmp_path / "self_check.csv", [
        ["编号", "主体编号", "类型", "日期", "责任人岗位", "发现风险数"],
        *[[f"C{i}", "OP1", "日管控", "2023-03-01", "食品安全员", "1"] for i in range(3)],
        ["C9", "OP1", "日管控", "2023-03-01", "食品安全员", "-2"],
        ["C10", "OP1", "日管控", "2023-03-01", "食品安全员", "1"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert (result.accepted, result.rejected) == (4, 1)
    assert [(d.row, d.code, d.value) for d in result.errors] == [(5, "input.number", "-2")]
    assert [f.risks_found for f in result.facts] == [1, 1, 1, 1]


# --------------------------------------------------------------------------- identifiers


def test_bad_uscc_rejects_the_record(tmp_path: Path) -> None:
    write_csv(tmp_path / "operator.csv", [
        OPERATOR_HEADER_ZH,
        ["OP1", "甲", "餐饮", "130533", "91110000600037341X", ""],
        ["OP2", "乙", "餐饮", "130533", USCC_PILOT, ""],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert (result.accepted, result.rejected) == (1, 1)
    error = next(d for d in result.errors if d.code == "input.uscc")
    assert (error.file, error.row, error.field, error.value) == (
        str(tmp_path / "operator.csv"), 2, "统一社会信用代码", "91110000600037341X")
    assert "校验位" in error.message.zh and "check character" in error.message.en
    assert error.hint is not None and error.hint.zh and error.hint.en
    # A legal pilot-era code is accepted with a warning.
    warning = next(d for d in result.warnings if d.code == "input.uscc")
    assert (warning.row, warning.record_id) == (3, "OP2")
    assert "试点" in warning.message.zh and "pilot" in warning.message.en
    assert [f.id for f in result.facts] == ["OP2"]


def test_division_code_checked_as_of_the_record_date(tmp_path: Path) -> None:
    header = ["编号", "抽样地区划代码", "抽检类型", "抽样日期", "样品名称", "检验结论"]
    write_csv(tmp_path / "sampling_result.csv", [
        header,
        ["S1", "330103", "监督抽检", "2022-05-01", "大米", "合格"],  # 下城区, abolished 2021
        ["S2", "330103", "监督抽检", "2019-05-01", "大米", "合格"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert [f.id for f in result.facts] == ["S2"]
    error = one(result, "input.division")
    assert (error.file, error.row, error.field, error.value) == (
        str(tmp_path / "sampling_result.csv"), 2, "抽样地区划代码", "330103")
    assert error.hint is not None
    assert "330105" in error.hint.zh and "330105" in error.hint.en  # the successor, 拱墅区
    assert "2022-05-01" in error.message.en


def test_division_codes_are_checked_once_per_year(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled history is year-granular: a code valid one day is valid all that year."""
    header = ["编号", "抽样地区划代码", "抽检类型", "抽样日期", "样品名称", "检验结论"]
    rows = [[f"S{day}", "130533", "监督抽检", f"2023-03-{day:02d}", "大米", "合格"]
            for day in range(1, 29)]
    rows += [["B1", "330103", "监督抽检", "2022-05-01", "大米", "合格"],  # abolished 2021
             ["B2", "330103", "监督抽检", "2022-05-02", "大米", "合格"],
             ["S99", "130533", "监督抽检", "2024-01-02", "大米", "合格"]]
    write_csv(tmp_path / "sampling_result.csv", [header, *rows])
    calls: list[tuple[str, dt.date]] = []
    original = DivisionRegistry.validate

    def counting(self: DivisionRegistry, code: str, on: dt.date) -> Any:
        calls.append((code, on))
        return original(self, code, on)

    monkeypatch.setattr(DivisionRegistry, "validate", counting)
    result = reconciled(load_bundle([tmp_path]))
    assert result.accepted == 29 and result.rejected == 2
    # Each bad record is reported with its own date; the good code once per year.
    assert sorted(d.row for d in result.errors if d.code == "input.division") == [30, 31]
    assert [e.message.en.count("2022-05-0") for e in result.errors] == [1, 1]
    assert sorted(calls) == [("130533", dt.date(2023, 3, 1)), ("130533", dt.date(2024, 1, 2)),
                             ("330103", dt.date(2022, 5, 1)), ("330103", dt.date(2022, 5, 2))]


def test_division_code_without_record_date_uses_as_of() -> None:
    record = {"id": "R1", "code": "330103", "name": "下城区"}
    assert reconciled(load_records([record], kind="region")).ok  # format only
    assert reconciled(load_records([record], kind="region", as_of=dt.date(2019, 1, 1))).ok
    late = reconciled(load_records([record], kind="region", as_of=dt.date(2022, 1, 1)))
    assert codes(late) == ["input.division"]
    malformed = reconciled(load_records([{**record, "code": "3301"}], kind="region"))
    assert codes(malformed) == ["input.division"]


def test_custom_division_registry(tmp_path: Path) -> None:
    history = tmp_path / "divisions.csv"
    history.write_text(
        "code,name,level,start_year,end_year,successors\n"
        "130000,河北省,province,1981,,\n"
        "130500,邢台市,prefecture,1983,,\n"
        "130533,威县,county,1983,2020,130599\n"
        "130599,新威县,county,2020,,\n",
        encoding="utf-8",
    )
    record = {"id": "S1", "region_code": "130533", "sampling_kind": "监督", "product_name": "醋",
              "verdict": "合格", "sampled_on": "2022-01-01"}
    registry = DivisionRegistry(history)
    result = reconciled(load_records([record], kind="sampling_result", divisions=registry))
    error = one(result, "input.division")
    assert error.hint is not None and "130599" in error.hint.en
    assert reconciled(load_records([record], kind="sampling_result")).ok  # bundled history


def test_licence_numbers_checked_for_national_formats() -> None:
    base = {"主体编号": "OP1", "发证日期": "2023-01-05"}
    result = reconciled(load_records(
        [
            {**base, "编号": "L1", "证照类型": "食品经营许可证", "许可证编号": "jy1 1305 3300 00123"},
            {**base, "编号": "L2", "证照类型": "JY", "许可证编号": "JY123"},
            {**base, "编号": "L3", "证照类型": "小餐饮登记证", "许可证编号": "冀小餐 2023-001"},
        ],
        kind="licence",
    ))
    assert [f.id for f in result.facts] == ["L1", "L3"]
    licence = result.facts[0]
    assert isinstance(licence, Licence)
    assert licence.number == "JY11305330000123"
    error = one(result, "input.licence")
    assert (error.row, error.field, error.value) == (2, "许可证编号", "JY123")


# --------------------------------------------------------------------------- file-level problems


def test_missing_required_column_is_reported_once(tmp_path: Path) -> None:
    write_csv(tmp_path / "operator.csv", [
        ["编号", "名称", "行政区划代码"],
        ["OP1", "甲", "130533"], ["OP2", "乙", "130533"], [], ["OP3", "丙", "130533"],
    ])
    result = reconciled(load_bundle([tmp_path]))
    assert (result.total, result.accepted, result.rejected) == (3, 0, 3)
    error = one(result, "input.missing_column")
    assert error.file == str(tmp_path / "operator.csv")
    assert error.field == "business_type"
    assert "业态" in error.message.zh and "business_type" in error.message.en
    assert error.hint is not None and "business_type" in error.hint.en and "业态" in error.hint.zh
    assert sorted(codes(result, DiagnosticLevel.ERROR)) == ["input.missing_column",
                                                            "input.nothing_loaded"]


def test_undecodable_csv_is_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "operator.csv").write_bytes(b"id,name\n\x80\xff\x80,\xfe\xff\n")
    result = reconciled(load_bundle([tmp_path]))
    error = one(result, "input.encoding")
    assert error.file == str(tmp_path / "operator.csv")
    assert error.hint is not None and "UTF-8" in error.hint.en


def test_missing_paths_and_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "operator.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # a truncated .xls
    (tmp_path / "operator.dbf").write_bytes(b"\x03")
    write_csv(tmp_path / "data.csv", [["id"], ["1"]])
    result = reconciled(load_bundle([tmp_path / "nope", tmp_path / "operator.xls",
                                     tmp_path / "operator.dbf", tmp_path / "data.csv"]))
    assert sorted(codes(result)) == ["input.io", "input.nothing_loaded", "input.unknown_file",
                                     "input.unknown_kind", "input.xlsx"]
    assert all(d.level is DiagnosticLevel.ERROR for d in result.diagnostics)


def test_tab_separated_and_single_path(tmp_path: Path) -> None:
    path = tmp_path / "operator.tsv"
    path.write_text("id\tname\tbusiness_type\tregion_code\nOP1\t甲\t餐饮\t130533\n",
                    encoding="utf-8")
    result = reconciled(load_bundle(path))
    assert [f.id for f in result.facts] == ["OP1"]


def test_duplicate_ids_across_the_bundle(tmp_path: Path) -> None:
    write_csv(tmp_path / "operator.csv", [
        OPERATOR_HEADER_ZH, ["OP1", "甲", "餐饮", "130533"], ["OP2", "乙", "餐饮", "130533"],
    ])
    other = tmp_path / "more.jsonl"
    other.write_text(
        json.dumps({"kind": "operator", "id": "OP1", "name": "丙", "business_type": "seller",
                    "region_code": "130533"}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = reconciled(load_bundle([tmp_path / "operator.csv", other]))
    assert [f.name for f in result.facts if isinstance(f, Operator)] == ["甲", "乙"]
    error = one(result, "input.duplicate_id")
    assert (error.file, error.row, error.field, error.value) == (str(other), 1, "id", "OP1")
    assert str(tmp_path / "operator.csv") in error.message.en and "row 2" in error.message.en
    assert error.hint is not None


# --------------------------------------------------------------------------- JSON Lines, XLSX, records


def test_jsonl_multi_kind(tmp_path: Path) -> None:
    lines = [
        json.dumps({"kind": "operator", "id": "OP1", "名称": "甲", "业态": "小作坊",
                    "region_code": "130533", "is_special_food": True}, ensure_ascii=False),
        "",
        json.dumps({"kind": "抽检结果", "id": "S1", "region_code": "130533",
                    "sampling_kind": "监督", "sampled_on": "2023-02-01", "product_name": "醋",
                    "verdict": "合格", "failed_items": []}, ensure_ascii=False),
        '{"kind": "operator", "id": "OP2",',
        json.dumps({"kind": "spaceship", "id": "X"}),
        json.dumps({"id": "Y"}),
        json.dumps([1, 2]),
        json.dumps({"kind": "inspection", "id": "I1", "operator_id": "OP1", "result": "符合",
                    "colour": "blue"}),
    ]
    path = tmp_path / "facts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = reconciled(load_bundle([path]))
    assert [f.KIND for f in result.facts] == ["operator", "sampling_result"]
    assert result.files == (FileStats(file=str(path), kind=None, total=7, accepted=2,
                                      rejected=5),)
    rows = {(d.row, d.code) for d in result.diagnostics}
    assert rows == {(4, "input.json"), (5, "input.unknown_kind"), (6, "input.unknown_kind"),
                    (7, "input.json"), (8, "input.required"), (8, "input.unknown_column")}
    missing = next(d for d in result.errors if d.code == "input.required")
    assert missing.field == "inspected_on"


def test_jsonl_file_named_after_its_kind(tmp_path: Path) -> None:
    (tmp_path / "inspection.jsonl").write_text(
        '{"id": "I1", "operator_id": "OP1", "inspected_on": "2023-01-05", "result": "符合"}\n'
        '{"kind": "operator", "id": "I2"}\n', encoding="utf-8")
    result = reconciled(load_bundle([tmp_path]))
    assert [f.id for f in result.facts] == ["I1"]
    assert one(result, "input.unknown_kind").row == 2


def test_xlsx_first_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["编号", "抽样地区划代码", "抽检类型", "抽样日期", "样品名称", "检验结论",
                  "结果接收日期", "公布日期"])
    sheet.append(["S1", 130533, "风险监测", dt.datetime(2023, 3, 1), "韭菜", "问题样品",
                  44986, "2023.3.20"])
    sheet.append([None, None, None])
    sheet.append(["S2", "130533", "监督", "2023-02-30", "韭菜", "合格", None, None])
    workbook.create_sheet("Sheet2")
    workbook.save(tmp_path / "sampling_result.xlsx")
    result = reconciled(load_bundle([tmp_path]))
    assert (result.total, result.accepted, result.rejected) == (2, 1, 1)
    fact = result.facts[0]
    assert isinstance(fact, SamplingResult)
    assert fact.region_code == "130533"
    assert fact.sampled_on == dt.date(2023, 3, 1)
    assert fact.result_received_on == dt.date(2023, 3, 1)
    assert fact.published_on == dt.date(2023, 3, 20)
    error = one(result, "input.date")
    assert (error.row, error.field, error.value) == (4, "抽样日期", "2023-02-30")
    assert codes(result, DiagnosticLevel.INFO) == ["input.ignored_sheet"]


def test_xlsx_one_sheet_per_kind(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    operators = workbook.active
    assert operators is not None
    operators.title = "经营主体"
    operators.append(OPERATOR_HEADER_ZH)
    operators.append(["OP1", "甲", "餐饮", "130533", USCC, dt.date(2020, 1, 1)])
    inspections = workbook.create_sheet("inspection")
    inspections.append(["id", "operator_id", "inspected_on", "result"])
    inspections.append(["I1", "OP1", "2023-01-05", "符合"])
    workbook.create_sheet("说明")
    path = tmp_path / "数据.xlsx"
    workbook.save(path)
    result = reconciled(load_bundle([path]))
    assert sorted(f.key for f in result.facts) == [("inspection", "I1"), ("operator", "OP1")]
    assert {s.kind for s in result.files} == {"operator", "inspection"}
    assert one(result, "input.unknown_sheet").value == "说明"


def test_damaged_xlsx_is_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "operator.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = reconciled(load_bundle([tmp_path]))
    assert sorted(codes(result)) == ["input.nothing_loaded", "input.xlsx"]


def test_load_records_with_typed_values_and_chinese_keys() -> None:
    result = reconciled(load_records(
        [
            {"编号": "OP1", "名称": "甲", "业态": BusinessType.CATERER, "区划代码": 130533,
             "成立日期": dt.date(2020, 1, 1), "经营面积": 12},
            {"kind": "operator", "id": "OP2", "name": "乙", "business_type": "seller",
             "region_code": "130533"},
            "not a mapping",  # type: ignore[list-item]
        ],
        kind="operator",
        source="api",
    ))
    assert [f.id for f in result.facts] == ["OP1", "OP2"]
    assert result.files == (FileStats(file="api", kind="operator", total=3, accepted=2,
                                      rejected=1),)
    assert one(result, "input.json").row == 3


def test_unknown_kind_for_records() -> None:
    result = reconciled(load_records([{"id": "1"}, {"id": "2"}], kind="spaceship"))
    assert (result.total, result.rejected) == (2, 2)
    assert codes(result) == ["input.unknown_kind"]


# --------------------------------------------------------------------------- round trip


def _sample_value(cls: type[Fact], name: str, tp: Any) -> Any:
    overrides: dict[str, Any] = {
        "id": f"{cls.KIND}-1",
        "uscc": USCC,
        "region_code": "130533",
        "code": "130533",
        "parent_code": "130500",
        "number": "JY11305330000123",
    }
    if name in overrides:
        return overrides[name]
    if typing.get_origin(tp) in (typing.Union, type(int | None)):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    if tp is str:
        return f"{name} 测试值"  # NFKC-stable: the loader normalises all text
    if tp is bool:
        return True
    if tp is int:
        return 3
    if tp is float:
        return 2.5
    if tp is dt.datetime:
        return dt.datetime(2023, 3, 1, 11, 30)
    if tp is dt.date:
        return dt.date(2023, 3, 1)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return list(tp)[-1]
    if typing.get_origin(tp) is tuple:
        return ("甲项", "乙 项")
    raise AssertionError(f"no sample for {cls.KIND}.{name}: {tp!r}")


def example_facts(cls: type[Fact]) -> list[Fact]:
    """A fact with every field set, and one with only the required fields."""
    hints = typing.get_type_hints(cls)
    full = {a.name: _sample_value(cls, a.name, hints[a.name]) for a in attrs.fields(cls)}
    if "licence_kind" in full:
        full["licence_kind"] = LicenceKind.BUSINESS  # so the number is checked too
    minimal = {a.name: full[a.name] for a in attrs.fields(cls) if a.default is attrs.NOTHING}
    minimal["id"] = f"{cls.KIND}-2"
    return [cls(**full), cls(**minimal)]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_round_trip_every_builtin_kind(tmp_path: Path, fmt: typing.Literal["jsonl", "csv"]
                                       ) -> None:
    facts = [fact for cls in BUILTIN_FACT_KINDS for fact in example_facts(cls)]
    written = dump_bundle(facts, tmp_path / "bundle", fmt=fmt)
    assert len(written) == len(BUILTIN_FACT_KINDS)
    result = reconciled(load_bundle([tmp_path / "bundle"]))
    assert result.diagnostics == ()
    assert result.facts == tuple(sorted(facts, key=lambda f: (f.KIND, f.id)))
    if fmt == "csv":
        header = (tmp_path / "bundle" / "operator.csv").read_text("utf-8-sig").splitlines()[0]
        assert header.split(",") == [a.name for a in attrs.fields(Operator)]


def test_dump_csv_refuses_list_items_that_would_split(tmp_path: Path) -> None:
    fact = Inspection(id="I1", operator_id="OP1", inspected_on=dt.date(2023, 1, 1),
                      result=InspectionResult.CONFORMING, failed_items=("a;b",))
    with pytest.raises(ValueError, match="jsonl"):
        dump_bundle([fact], tmp_path, fmt="csv")
    dump_bundle([fact], tmp_path, fmt="jsonl")
    assert reconciled(load_bundle([tmp_path])).facts == (fact,)


# --------------------------------------------------------------------------- docs


def test_header_aliases_markdown_documents_every_field() -> None:
    text = header_aliases_markdown({cls.KIND: cls for cls in BUILTIN_FACT_KINDS})
    assert text == header_aliases_markdown(None)
    for cls in BUILTIN_FACT_KINDS:
        assert f"## `{cls.KIND}` — {cls.TITLE_ZH}" in text
    assert "| `uscc` | USCC (checked) or empty | no | 统一社会信用代码、信用代码、社会信用代码 |" in text
    assert text.startswith("## Value formats")
    assert "| `business_type` | one of `producer/食品生产`" in text


# --------------------------------------------------------------------------- fuzz

_HEADERS = ["编号", "id", "名称", "业态", "行政区划代码", "region_code", "统一社会信用代码",
            "成立日期", "经营面积", "明厨亮灶", "x", ""]
_CELLS = st.one_of(
    st.sampled_from(["OP1", "OP2", "甲", "餐饮", "小作坊", "130533", "330103", USCC, "2023-02-30",
                     "2023年1月5日", "44931", "1,234", "98%", "是", "-1", "", " ", '"', "\n",
                     "\ufeff", "ＩＤ"]),
    st.text(max_size=12),
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16-le", "big5", "latin-1"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def garbage_csv(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(st.just(OPERATOR_HEADER_ZH),
                            st.lists(st.sampled_from(_HEADERS), max_size=8)))
    rows = draw(st.lists(st.lists(_CELLS, max_size=9), max_size=6))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    data = _encode(buffer.getvalue(), draw(_ENCODINGS))
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _CELLS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                  max_size=3),
    max_leaves=6,
)


@st.composite
def garbage_jsonl(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            keys = st.sampled_from(["kind", "id", "name", "business_type", "region_code",
                                    "inspected_on", "operator_id", "result", "名称", "zzz"])
            record = draw(st.dictionaries(keys, _JSON_VALUES, max_size=7))
            if draw(st.booleans()):
                record["kind"] = draw(st.sampled_from(["operator", "inspection", "抽检结果", "?"]))
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        else:
            lines.append(draw(st.text(max_size=20)))
    data = _encode("\n".join(lines), draw(_ENCODINGS))
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    operator_csv=st.one_of(garbage_csv(), st.binary(max_size=300)),
    facts_jsonl=st.one_of(garbage_jsonl(), st.binary(max_size=300)),
    inspection_xlsx=st.one_of(st.none(), st.binary(max_size=100)),
)
def test_fuzz_garbage_never_raises(
    operator_csv: bytes, facts_jsonl: bytes, inspection_xlsx: bytes | None
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "operator.csv").write_bytes(operator_csv)
        (root / "facts.jsonl").write_bytes(facts_jsonl)
        if inspection_xlsx is not None:
            (root / "inspection.xlsx").write_bytes(inspection_xlsx)
        result = reconciled(load_bundle([root], as_of=dt.date(2023, 1, 1)))
    assert all(isinstance(f, Fact) for f in result.facts)
    assert all(d.message.zh and d.message.en for d in result.diagnostics)


def test_division_changed_during_the_records_year_is_a_warning(tmp_path: Path) -> None:
    """330103 ended in 2021: a 2021 record may predate the change (year-granular data)."""
    bundle = tmp_path / "b"
    bundle.mkdir()
    (bundle / "incident.csv").write_text(
        "id,region_code,occurred_on\nx1,330103,2021-03-01\nx2,330103,2022-03-01\n",
        encoding="utf-8")
    result = load_bundle([bundle])
    assert [f.id for f in result.facts] == ["x1"]
    warning = next(d for d in result.warnings if d.record_id == "x1")
    assert warning.code == "input.division" and "2021" in warning.message.en
    error = next(d for d in result.errors if d.row == 3)
    assert "330105" in (error.hint.zh if error.hint else "")
    assert (result.total, result.accepted, result.rejected) == (2, 1, 1)
