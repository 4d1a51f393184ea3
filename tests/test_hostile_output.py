"""Hostile text and evidence on the way out (issue 13: D2 writer side, D3, D7).

Operator names and rejected cell values come straight from the input; plugin
evidence comes from third-party code. None of it may crash a writer, drive a
terminal, or make the report invalid or non-deterministic.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
import pytest

from fsrules import Engine, LegalBasis, RuleContext, Ruleset, hookimpl, rule
from fsrules._report import Report
from fsrules._sanitize import json_safe, safe_text
from fsrules._writers import write_csv, write_json, write_jsonl, write_table, write_xlsx
from fsrules.model import Operator

from .conftest import AS_OF, operator

# ESC sequences a terminal would run: colour, clear screen, an OSC 8 hyperlink,
# a window title; C1 CSI; a bidi override; NUL, BEL, VT.
HOSTILE_NAME = ("\x1b[31mRED\x1b[0m\x1b[2J\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
                "\x1b]0;pwned\x07\x9b31m\u202eevil\x00\x07\x0b店")
WRITERS: dict[str, Callable[[Report, Any, Any], None]] = {
    "json": write_json, "jsonl": write_jsonl, "csv": write_csv, "xlsx": write_xlsx,
    "table": write_table}


def _ruleset(evidence: Callable[[Operator], dict[str, Any]]) -> Ruleset:
    @rule(id="HOST-001", version="1", title=("测试", "test"), severity="high",
          reads=[Operator], legal_basis=[LegalBasis(instrument="《测试办法》", article="第1条")],
          message=("{subject} 违规", "{subject} breaks"), lead=("县市场监管局",))
    def body(ctx: RuleContext) -> Iterator[object]:
        for op in ctx.facts.of_kind(Operator):
            yield ctx.finding(subject=op, evidence=evidence(op))

    return Ruleset(id="host", version="0.1", title=("测试", "test"), rules=[body])


class _Plugin:
    __name__ = "hostile-plugin"

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset

    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
        register(self.ruleset)


def _report(evidence: Callable[[Operator], dict[str, Any]], name: str = HOSTILE_NAME
            ) -> Report:
    engine = Engine(plugins=[_Plugin(_ruleset(evidence))])
    return engine.evaluate([operator("op1", name=name)], as_of=AS_OF, rulesets=["host"])


def _write(report: Report, fmt: str, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    WRITERS[fmt](report, buffer, lang)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile_report() -> Report:
    report = _report(lambda op: {"name": op.name})
    assert [f.subject.name for f in report.findings] == [HOSTILE_NAME]
    return report


# ------------------------------------------------------------------ D2: XLSX


def test_xlsx_writes_a_name_with_control_characters(hostile_report: Report) -> None:
    data = _write(hostile_report, "xlsx")  # raised IllegalCharacterError before the fix
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["问题清单"]
    headers = [c.value for c in sheet[1]]
    name = sheet.cell(row=2, column=headers.index("对象名称") + 1).value
    assert name == safe_text(HOSTILE_NAME)
    assert "\x1b" not in name and "\x00" not in name and "␛[31mRED" in name
    assert name.endswith("店")


def test_xlsx_writes_a_rejected_value_with_control_characters() -> None:
    from fsrules._diagnostics import Diagnostic, DiagnosticLevel
    from fsrules._i18n import Text

    report = _report(lambda op: {"n": 1}, name="好店")
    diag = Diagnostic(level=DiagnosticLevel.ERROR, code="input.bad", message=Text("坏", "bad"),
                      file="operator.csv", row=2, field="name", value="a\x00b\x1bc")
    import attrs
    report = attrs.evolve(report, diagnostics=(diag,))
    book = openpyxl.load_workbook(io.BytesIO(_write(report, "xlsx")))
    values = [c.value for row in book["诊断"].iter_rows(min_row=2) for c in row]
    assert "a␀b␛c" in values


# ------------------------------------------------------------------ D3: terminal and CSV


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_escape_sequences_never_reach_table_or_csv_raw(hostile_report: Report, fmt: str
                                                       ) -> None:
    text = _write(hostile_report, fmt).decode("utf-8-sig")
    for raw in ("\x1b", "\x07", "\x00", "\x0b", "\x9b", "\u202e"):
        assert raw not in text, repr(raw)
    assert "␛[31mRED" in text and "\\u009b31m" in text and "\\u202eevil" in text


def test_table_shows_a_carriage_return_instead_of_running_it() -> None:
    report = _report(lambda op: {"n": 1}, name="良好商户\r恶意覆盖")
    text = _write(report, "table").decode()
    assert "\r" not in text and "良好商户␍恶意覆盖" in text.replace("\n", "").replace(" ", "")


def test_json_keeps_the_data_but_escapes_c1_and_bidi(hostile_report: Report) -> None:
    raw = _write(hostile_report, "json")
    for byte_seq in ("\x1b", "\x9b", "\u202e"):
        assert byte_seq.encode() not in raw
    data = json.loads(raw)
    assert data["findings"][0]["subject"]["name"] == HOSTILE_NAME  # the data is unchanged
    line = _write(hostile_report, "jsonl")
    assert "\x9b".encode() not in line
    assert json.loads(line)["subject"]["name"] == HOSTILE_NAME


def test_formula_injection_stays_neutralised() -> None:
    report = _report(lambda op: {"n": 1}, name="=HYPERLINK(\"http://x\",\"y\")")
    csv_text = _write(report, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(_write(report, "xlsx")))
    cells = [c for row in book["问题清单"].iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(_write(report, "xlsx"))) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_plain_text_is_returned_unchanged() -> None:
    plain = "威县测试食品店\t第二行\n"
    assert safe_text(plain) is plain and json_safe('{"a": "b"}') == '{"a": "b"}'


# ------------------------------------------------------------------ D7: evidence values


class _Opaque:
    """Its str() is the default repr: a memory address, different in every process."""


@pytest.mark.parametrize(("value", "why"), [
    (_Opaque(), "_Opaque"),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    (-math.inf, "inf"),
    ({"nested": [1, float("nan")]}, "nan"),
    (b"bytes", "bytes"),
])
def test_bad_evidence_is_a_diagnostic_naming_the_rule(value: object, why: str) -> None:
    report = _report(lambda op: {"value": value}, name="好店")
    assert report.findings == ()
    [diag] = report.rule_errors
    assert diag.rule_id == "HOST-001" and diag.plugin == "hostile-plugin"
    assert diag.code == "rule.bad_evidence"
    assert "value" in diag.message.en and why in diag.message.en.lower().replace("_opaque",
                                                                                 "_Opaque")
    for fmt in ("json", "jsonl"):
        json.loads(_write(report, fmt).decode() or "null")  # valid JSON (no bare NaN)


def test_good_evidence_still_writes_deterministically() -> None:
    import datetime as dt

    def evidence(op: Operator) -> dict[str, Any]:
        return {"rate": 96.66666666, "day": dt.date(2023, 1, 5), "ids": {"b", "a"},
                "nested": {"x": (1, 2)}, "none": None, "flag": True}

    first, second = _report(evidence, name="好店"), _report(evidence, name="好店")
    assert _write(first, "json") == _write(second, "json")
    [f] = first.findings
    assert f.evidence == {"rate": 96.666667, "day": "2023-01-05", "ids": ["a", "b"],
                          "nested": {"x": [1, 2]}, "none": None, "flag": True}


@pytest.mark.parametrize("name", ["威县{", "威县}", "{0}县", "{subject.x}", "县{:>99999999}"])
def test_braces_in_a_name_do_not_break_a_rule_message(name: str) -> None:
    """Found by tests/test_fuzz_check.py: VETO-004 put the region name into its template."""
    from .conftest import region, samples

    report = Engine().evaluate([region(name=name), *samples(90, 10)], as_of=AS_OF,
                               rulesets=["veto"])
    assert not report.rule_errors
    infos = [f for f in report.findings if f.rule_id == "VETO-004"]
    assert infos and all(name in f.message.zh for f in infos)
