"""The JSON report written by orjson is byte-identical to ``json.dumps(..., indent=2)`` (issue 11).

:mod:`fsrules._jsontext` uses orjson where it writes the same bytes as the
standard library and the standard library elsewhere. These tests pin both:
the same text for the demo report and hostile values, and the fast path
actually taken where it should be (else the speed-up is silently lost).
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules import Report
from fsrules._jsontext import (
    _orjson,
    all_finite,
    indented_json,
    indented_json_text,
    json_safe_bytes,
)
from fsrules._params import ResolvedParam
from fsrules._report import report_json_bytes
from fsrules._sanitize import json_safe
from fsrules._writers import write_json

from ._lifecycle import demo_report


def stdlib(data: Any) -> str:
    """The definition of the report's text."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def same(data: Any) -> None:
    assert indented_json_text(data, finite=True) == stdlib(data)


HOSTILE = [
    "".join(chr(c) for c in range(0x20)) + "\x7f\x80\x9b\x9f",  # C0 (\b \f \n \r \t ...), DEL, C1
    "\u2028\u2029\u202a\u202e\u2066\u2069",  # line/paragraph separators, bidi controls
    '"quoted" \\back\\slash\\ /slash/',
    "威县市场监督管理局 食品经营许可证 §12 — “引号” …",
    "\U0001f600 \U00010000 \uffff \ue000 \ufeff \u00a0",
    "",
]


# ------------------------------------------------------------------ the demo report


def test_demo_report_json_is_the_standard_librarys_and_takes_the_fast_path() -> None:
    report = demo_report()
    for timings in (False, True):
        data = report.to_dict(timings=timings)
        text = report.to_json(timings=timings)
        assert text == stdlib(data) + "\n"
        assert report_json_bytes(report, timings=timings) == text.encode("utf-8")
    assert _orjson(report.to_dict(), True) is not None
    assert report.to_json(indent=None) == json.dumps(
        report.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"


def test_written_json_report_is_json_safe_of_the_standard_text() -> None:
    report = demo_report()
    stream = io.BytesIO()
    write_json(report, stream)
    expected = json_safe(stdlib(report.to_dict()) + "\n").encode("utf-8")
    assert stream.getvalue() == expected


def test_a_nan_parameter_is_written_as_the_standard_library_writes_it() -> None:
    report = demo_report()
    nan = ResolvedParam(rule_id="RISK-001", name="ratio", value=[float("nan"), float("inf")],
                        source="profile:test")
    odd = attrs.evolve(report, provenance=attrs.evolve(
        report.provenance, parameters=(*report.provenance.parameters, nan)))
    assert not odd._finite()
    text = odd.to_json()
    assert '"value": [\n          NaN,\n          Infinity\n        ]' in text
    assert text == stdlib(odd.to_dict()) + "\n"
    assert Report.from_json(report.to_json()).to_json() == report.to_json()


# ------------------------------------------------------------------ hostile values


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_as_keys_and_values(text: str) -> None:
    data = {text: text, "k": [text, {text: [text]}], "z" + text: None}
    same(data)
    assert _orjson(data, True) is not None


def test_every_code_point_is_escaped_alike() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    data = {"s": every, every[:5000]: [every[i:i + 97] for i in range(0, 20000, 97)]}
    same(data)
    assert _orjson(data, True) is not None


def test_keys_sort_by_code_point_across_planes() -> None:
    keys = ["\U00010000", "\uffff", "\ue000", "\ud7ff", "中", "a", "A", "\x00", "\x7f", "é"]
    same({k: i for i, k in enumerate(keys)})


def test_lone_surrogates_fall_back_and_keep_json_behaviour() -> None:
    data = {"s": "a\ud800b", "\udfff": 1}
    assert _orjson(data, True) is None
    assert indented_json_text(data, finite=True) == stdlib(data)
    with pytest.raises(UnicodeEncodeError):
        indented_json(data, finite=True)


@pytest.mark.parametrize("value", [
    1e-07, 1e-05, 5e-05, 0.0001, 0.00012, 1e-4 - 1e-20, 0.1 + 0.2, 1e15, 1e16, 9999999999999998.0,
    1.2345678901234568e16, 1e22, 5e-324, -1e-05, -0.0, 0.0, 1.0, 10.00001, 123456.789,
    1.7976931348623157e308,
])
def test_floats_are_written_as_python_writes_them(value: float) -> None:
    same({"x": value, "l": [value, value]})
    same([value])


def test_exponent_floats_take_the_standard_library_and_ordinary_ones_do_not() -> None:
    assert _orjson({"x": 1e-05}, True) is None  # orjson: 0.00001, Python: 1e-05
    assert _orjson({"x": 1e-07}, True) is None  # orjson: 1e-7
    assert _orjson({"x": 0.30000000000000004, "y": 0.0001, "z": 1e15}, True) is not None


@pytest.mark.parametrize("value", [
    2**63, 2**64, -(2**63) - 1, 10**40, {1: "int key"}, {None: 1}, {True: 1}, {1.5: 2}, (1, (2, 3)),
    [[[[]]]] * 3, {"a": {}, "b": [], "c": [{}]},
])
def test_what_orjson_refuses_or_writes_alike(value: Any) -> None:
    same(value)


def test_deep_nesting_falls_back() -> None:
    deep: Any = "leaf"
    for _ in range(300):
        deep = [deep]
    same(deep)


def test_non_finite_needs_the_promise() -> None:
    data = {"x": float("nan"), "y": [float("-inf")]}
    assert not all_finite(data)
    assert indented_json_text(data, finite=False) == stdlib(data)
    assert all_finite({"x": [1.0, {"y": (2.5, "nan")}], "z": None})
    assert not all_finite((1.0, [math.inf]))


def test_types_json_refuses_are_still_refused() -> None:
    import datetime as dt

    with pytest.raises(TypeError):
        indented_json_text({"d": dt.date(2023, 1, 1)}, finite=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_is_written_as_the_standard_library_writes_it(value: Any) -> None:
    same(value)
    assert indented_json(value, finite=True) == stdlib(value).encode("utf-8")


# ------------------------------------------------------------------ json_safe on bytes


@pytest.mark.parametrize("text", [*HOSTILE, "plain ascii", "中文 — “quoted”", "\x7f", "a\u2066b"])
def test_json_safe_bytes_is_json_safe(text: str) -> None:
    encoded = stdlib({"t": text}).encode("utf-8")
    assert json_safe_bytes(encoded) == json_safe(encoded.decode("utf-8")).encode("utf-8")


def test_finding_forms_reuse_legal_bases_without_sharing_dicts() -> None:
    from fsrules._report import finding_to_dict

    report = demo_report()
    forms = report.finding_dicts()
    assert forms == [finding_to_dict(f) for f in report.findings]
    cited = [b for form in forms for b in form["legal_basis"]]
    assert len({id(b) for b in cited}) == len(cited)
    assert len({id(b["citation"]) for b in cited}) == len(cited)
    assert len({json.dumps(b, sort_keys=True) for b in cited}) < len(cited)  # repeats exist


@pytest.mark.parametrize("value", [5.960464477539063e-08, 1e-05, 1e-07, 1.5e16, 0.00001234])
def test_a_bare_float_is_written_as_the_standard_library_writes_it(value: float) -> None:
    same(value)
