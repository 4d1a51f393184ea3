"""Fuzz ``check`` and every writer with hostile names and evidence (issue 13, item 6).

Hostile text (control characters, ESC/OSC sequences, C1, bidi overrides,
formula starters, very long strings) goes in as operator and region names;
hostile evidence (NaN, infinity, huge integers, arbitrary objects, deep
nesting) comes out of a plugin rule. For every input:

* evaluation never raises: bad evidence is a ``rule.bad_evidence`` diagnostic;
* every writer (json, jsonl, csv, xlsx, table) writes without an exception;
* JSON and JSON Lines are valid JSON (no bare NaN/Infinity);
* CSV and the table hold no raw control character but TAB/LF/CR (CSV) and
  the XLSX opens;
* the bytes are deterministic: a second evaluation writes the same bytes;
* nothing hangs: the rule budget and Hypothesis' deadline bound each input.

Bounded by default (well under 30 s); ``FSRULES_FUZZ=deep`` runs 5,000
examples per property in both languages (``FSRULES_FUZZ_EXAMPLES=N`` sets
the count).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules import Engine, LegalBasis, RuleContext, Ruleset, hookimpl, rule
from fsrules._report import Report
from fsrules._writers import write_csv, write_json, write_jsonl, write_table, write_xlsx
from fsrules.model import Operator

from .conftest import AS_OF, operator, region, samples

DEEP = os.environ.get("FSRULES_FUZZ") == "deep"
EXAMPLES = int(os.environ.get("FSRULES_FUZZ_EXAMPLES", "5000" if DEEP else "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    derandomize=not DEEP, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LANGS = ("zh", "en") if DEEP else ("zh",)
WRITERS: dict[str, Callable[[Report, Any, Any], None]] = {
    "json": write_json, "jsonl": write_jsonl, "csv": write_csv, "xlsx": write_xlsx,
    "table": write_table}

_ESCAPES = ["\x1b[31m", "\x1b[2J", "\x1b]8;;http://x/\x07", "\x1b]0;t\x07", "\x9b1m", "\u202e",
            "\x00", "\x07", "\x0b", "\r", "\t", "\n", "=cmd|' /C calc'!A0", "+1", "@SUM(1)",
            "\ufeff", "\u2028", "𠀀", "店"]
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(_ESCAPES) | st.text(max_size=3), max_size=8).map("".join),
    st.integers(min_value=0, max_value=3).map(lambda n: "长" * (10 ** n)),
)


class _Opaque:
    """str() is a memory address: must never reach a report."""


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    hostile_text, st.dates(), st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(_Opaque), st.binary(max_size=4),
)
# Fact names must not be blank (the model refuses them); everything else goes.
hostile_names = hostile_text.map(lambda text: "店" + text)
evidence_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner),
                            st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=12,
)
evidences = st.dictionaries(hostile_text, evidence_values, min_size=1, max_size=4)


class _Holder:
    """What the fuzz rule yields as evidence, set per example (tests only)."""

    def __init__(self) -> None:
        self.evidence: dict[str, Any] = {}


def _plugin(holder: _Holder) -> object:
    @rule(id="FUZZ-001", version="1", title=("模糊", "fuzz"), severity="high",
          reads=[Operator], legal_basis=[LegalBasis(instrument="《测试办法》", article="第1条")],
          message=("{subject}：{value}", "{subject}: {value}"), lead=("县市场监管局",))
    def fuzz(ctx: RuleContext) -> Iterator[object]:
        for op in ctx.facts.of_kind(Operator):
            yield ctx.finding(subject=op, evidence={"value": op.name, **holder.evidence})

    class Plugin:
        __name__ = "fuzz-plugin"

        @hookimpl
        def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
            register(Ruleset(id="fuzz", version="0.1", title=("模糊", "fuzz"), rules=[fuzz]))

    return Plugin()


HOLDER = _Holder()
ENGINE = Engine(plugins=[_plugin(HOLDER)])
ENGINE.rule_budget = 10.0

_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _reject_constant(name: str) -> object:
    raise AssertionError(f"bare {name} in JSON output")


def _write_all(report: Report) -> dict[str, bytes]:
    out = {}
    for name, writer in WRITERS.items():
        for lang in LANGS:
            buffer = io.BytesIO()
            writer(report, buffer, lang)
            out[f"{name}.{lang}"] = buffer.getvalue()
    return out


def _check_outputs(outputs: dict[str, bytes]) -> None:
    for key, data in outputs.items():
        fmt = key.split(".")[0]
        if fmt == "json":
            json.loads(data, parse_constant=_reject_constant)
        elif fmt == "jsonl":
            for line in data.decode("utf-8").splitlines():
                json.loads(line, parse_constant=_reject_constant)
        elif fmt == "xlsx":
            openpyxl.load_workbook(io.BytesIO(data)).close()
        else:
            text = data.decode("utf-8-sig")
            assert _RAW_CONTROL.search(text) is None, (key, _RAW_CONTROL.search(text))
            if fmt == "table":
                assert "\r" not in text, key


def _evaluate(names: list[str], evidence: dict[str, Any]) -> Report:
    HOLDER.evidence = evidence
    facts = [operator(f"op{i}", name=name) for i, name in enumerate(names)]
    return ENGINE.evaluate(facts, as_of=AS_OF, rulesets=["fuzz"])


def _is_json_data(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str | dt.date):
        return True
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, decimal.Decimal):
        return value.is_finite()
    if isinstance(value, dict):
        return all(_is_json_data(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_is_json_data(v) for v in value)
    return False


@SETTINGS
@given(names=st.lists(hostile_names, min_size=1, max_size=3), evidence=evidences)
def test_hostile_names_and_evidence_through_check_and_every_writer(
        names: list[str], evidence: dict[str, Any]) -> None:
    report = _evaluate(names, evidence)  # never raises
    if _is_json_data(evidence):
        assert len(report.findings) == len(names) and not report.rule_errors
    else:
        assert report.findings == ()
        assert [d.code for d in report.rule_errors] == ["rule.bad_evidence"]
        assert report.rule_errors[0].rule_id == "FUZZ-001"
    outputs = _write_all(report)
    _check_outputs(outputs)
    assert _write_all(_evaluate(names, evidence)) == outputs  # deterministic bytes


@SETTINGS
@given(name=hostile_names)
def test_hostile_region_names_through_the_builtin_veto_rules(name: str) -> None:
    report = ENGINE.evaluate([region(name=name), *samples(90, 10)], as_of=AS_OF,
                             rulesets=["veto"])
    assert "VETO-005" in report.by_rule() and not report.rule_errors
    outputs = _write_all(report)
    _check_outputs(outputs)
    again = ENGINE.evaluate([*samples(90, 10), region(name=name)], as_of=AS_OF,
                            rulesets=["veto"])
    assert _write_all(again) == outputs
