"""Hostile bundles through ``load_bundle``: no unhandled exception, no hang, counts reconcile.

Hypothesis builds bundles from valid seeds and mutates them: byte flips,
insertions and truncation, a dozen encodings, hostile cell values (control
characters, terminal escapes, formulas, huge numbers, overlong cells),
header and row-shape mutations, JSON Lines structure (nesting, huge
integers, wrong types), workbooks with formulas, files that only claim to
be workbooks, and odd file names.

Bounded by default (well under 30 s). ``FSRULES_FUZZ=deep`` runs 100,000
inputs or more, for a release or after a change to the readers::

    FSRULES_FUZZ=deep python -m pytest tests/test_fuzz_loading.py -q -s

and prints how many inputs ran, how long, and the slowest one
(``FSRULES_FUZZ_PROGRESS=FILE`` also writes the figures so far to FILE).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules._digest import input_digest
from fsrules.loading import LoadLimits, LoadResult, load_bundle
from fsrules.loading._text import CONTROL

DEEP = os.environ.get("FSRULES_FUZZ") == "deep"
#: Examples per test: deep totals more than 100,000 over the five tests.
_EXAMPLES = {"text": 40_000, "jsonl": 30_000, "workbook": 8_000, "names": 12_000,
             "mixed": 12_000} if DEEP else {"text": 60, "jsonl": 50, "workbook": 12,
                                            "names": 25, "mixed": 25}
#: An input that takes longer than this is a hang.
HANG_SECONDS = 30.0
LIMITS = LoadLimits(max_file_bytes=4 * 1024 * 1024, max_columns=500)

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
             "gbk", "big5", "shift_jis", "latin-1", "cp1252")

_STATS: dict[str, Any] = {"inputs": 0, "seconds": 0.0, "slowest": 0.0, "records": 0}
#: A file the deep run rewrites every 500 inputs with the figures so far.
_PROGRESS = os.environ.get("FSRULES_FUZZ_PROGRESS")


def _settings(kind: str) -> Callable[[Any], Any]:
    return settings(max_examples=_EXAMPLES[kind], deadline=None, derandomize=not DEEP,
                    database=None, suppress_health_check=list(HealthCheck))


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang(f"an input took longer than {HANG_SECONDS} s")


def check(paths: list[Path]) -> LoadResult:
    """Load under a watchdog and assert the invariants every load keeps."""
    use_alarm = hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    started = time.perf_counter()
    try:
        result = load_bundle(paths, limits=LIMITS)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - started
    _STATS["inputs"] += 1
    _STATS["seconds"] += elapsed
    _STATS["slowest"] = max(_STATS["slowest"], elapsed)
    _STATS["records"] += result.total
    if _PROGRESS and _STATS["inputs"] % 500 == 0:
        Path(_PROGRESS).write_text(json.dumps(_STATS), encoding="utf-8")
    for stats in result.files:
        assert stats.total == stats.accepted + stats.rejected, stats
        if stats.rejected:
            assert any(d.file is not None and d.file.startswith(stats.file)
                       for d in result.errors), stats
    assert len(result.facts) == result.accepted
    assert result.accepted == 0 or result.facts
    # The digest the loader builds from cell texts is the digest of the facts it built.
    assert result.digest == input_digest(result.facts)
    if result.accepted == 0:
        assert not result.ok  # nothing loaded is never clean
    for diagnostic in result.diagnostics:
        for text in (diagnostic.value, diagnostic.field, diagnostic.file,
                     diagnostic.message.zh, diagnostic.message.en):
            assert text is None or CONTROL.search(text) is None, text
    return result


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if _PROGRESS:
        Path(_PROGRESS).write_text(json.dumps({**_STATS, "done": True}), encoding="utf-8")
    if DEEP:
        print(f"\nfuzz: {_STATS['inputs']:,} inputs, {_STATS['records']:,} records, "
              f"{_STATS['seconds']:.1f} s loading, slowest {_STATS['slowest']:.2f} s, "
              f"0 unhandled exceptions, 0 hangs")


# --------------------------------------------------------------------------- seeds

HEADERS = {
    "operator": ["编号", "名称", "业态", "行政区划代码", "统一社会信用代码", "成立日期"],
    "inspection": ["id", "operator_id", "inspected_on", "result", "inspectors", "obstructed"],
    "sampling_result": ["编号", "抽样地区划代码", "抽检类型", "抽样日期", "样品名称", "检验结论",
                        "不合格项目"],
}
SEED_ROWS = {
    "operator": [["OP1", "甲餐馆", "餐饮", "130533", "91110000600037341L", "2020-01-01"],
                 ["OP2", "乙超市", "销售", "130533", "", "2021/5/6"]],
    "inspection": [["I1", "OP1", "2023-01-05", "符合", "2", "否"],
                   ["I2", "OP2", "2023年2月1日", "不符合", "3", "是"]],
    "sampling_result": [["S1", "130533", "监督", "2023-03-01", "韭菜", "不合格", "腐霉利；毒死蜱"],
                        ["S2", "130533", "风险监测", "45000", "醋", "合格", ""]],
}

hostile_cells = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from([
        "", " ", "\x00", "\x1b[2J\x1b[31m", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
        "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "9" * 400, "-" + "9" * 5000,
        "1e309", "nan", "inf", "1,2,3", "1,234.5", "98.5%", "2023-02-30", "0000-00-00",
        "99999999", "\ufeff编号", "\u200b", "是", "否", "√", "NULL", "None", "[]", "{}",
        "\r", "\n\n", '"', '""', "'", "\\", "\u2028", "\ud7ff", "\U0010ffff",
    ]),
    st.integers(min_value=0, max_value=300).map(lambda n: "长" * (n * 700)),
)


@st.composite
def table_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, CSV text): a seed table with mutated header, rows and cells."""
    kind = draw(st.sampled_from(sorted(HEADERS)))
    header = list(HEADERS[kind])
    rows = [list(r) for r in SEED_ROWS[kind]]
    operation = draw(st.sampled_from(["cells", "shape", "header", "titles", "wide", "none"]))
    if operation == "cells":
        for row in rows:
            for i in range(len(row)):
                if draw(st.booleans()):
                    row[i] = draw(hostile_cells)
    elif operation == "shape":
        for row in rows:
            cut = draw(st.integers(min_value=0, max_value=len(row) + 3))
            row[:] = (row + [draw(hostile_cells)] * 3)[:cut]
        rows += draw(st.lists(st.lists(hostile_cells, max_size=12), max_size=5))
    elif operation == "header":
        header = draw(st.permutations(header))
        header = [h if draw(st.booleans()) else draw(hostile_cells) for h in header]
        if draw(st.booleans()) and header:
            header.append(header[0])
    elif operation == "titles":
        titles = draw(st.lists(st.lists(hostile_cells, max_size=3), max_size=4))
        rows = [*titles, header, *rows]
        header = []
    elif operation == "wide":
        width = draw(st.integers(min_value=400, max_value=700))
        header = header + [f"x{i}" for i in range(width)]
    buffer = io.StringIO()
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(
        st.sampled_from(["\r\n", "\n", "\r"])))
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return kind, buffer.getvalue()


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Flip, insert, delete or truncate some bytes.

    Positions are drawn independently of the data's length (a saved workbook's
    length varies with its timestamp), so that Hypothesis can replay them.
    """
    data = bytearray(data)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        operation = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        position = draw(st.integers(min_value=0, max_value=1 << 20)) % (len(data) + 1)
        if operation == "flip" and data:
            data[min(position, len(data) - 1)] = draw(st.integers(0, 255))
        elif operation == "insert":
            data[position:position] = draw(st.binary(max_size=8))
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 8))]
        else:
            del data[position:]
    return bytes(data)


# --------------------------------------------------------------------------- tests


@_settings("text")
@given(table=table_texts(), encoding=st.sampled_from(ENCODINGS), data=st.data(),
       suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_fuzz_text_tables(table: tuple[str, str], encoding: str, data: st.DataObject,
                          suffix: str) -> None:
    kind, text = table
    raw = encode(text, encoding)
    if data.draw(st.booleans()):
        raw = data.draw(mutated_bytes(raw))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{kind}{suffix}").write_bytes(raw)
        check([Path(folder)])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.integers(min_value=10**300, max_value=10**400),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def jsonl_texts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.sampled_from([*sorted(HEADERS), "spaceship", "", "经营主体"]))
        record: dict[str, object] = {"kind": kind}
        if kind in HEADERS:
            record.update(zip(HEADERS[kind], SEED_ROWS[kind][0], strict=True))
        for key in draw(st.lists(st.sampled_from([*HEADERS.get(kind, ["id"]), "x", "kind"]),
                                 max_size=4)):
            record[key] = draw(json_values)
        shape = draw(st.sampled_from(["object", "value", "broken"]))
        if shape == "object":
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        elif shape == "value":
            lines.append(json.dumps(draw(json_values)))
        else:
            lines.append(json.dumps(record)[: draw(st.integers(0, 40))])
    return "\n".join(lines)


@_settings("jsonl")
@given(text=jsonl_texts(), encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_fuzz_json_lines(text: str, encoding: str, data: st.DataObject) -> None:
    raw = encode(text, encoding)
    if data.draw(st.booleans()):
        raw = data.draw(mutated_bytes(raw))
    name = data.draw(st.sampled_from(["facts.jsonl", "inspection.jsonl", "x.ndjson"]))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(raw)
        check([Path(folder)])


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    sheets = [first]
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        sheets.append(workbook.create_sheet())
    for sheet in sheets:
        kind = draw(st.sampled_from(sorted(HEADERS)))
        sheet.title = draw(st.sampled_from([kind, "说明", "Sheet9", "经营主体", "抽检结果"]))
        sheet.append(HEADERS[kind])
        for row in SEED_ROWS[kind]:
            cells: list[object] = list(row)
            for i in range(len(cells)):
                choice = draw(st.integers(0, 5))
                if choice == 0:
                    cells[i] = "=" + draw(st.sampled_from(["1+1", "TODAY()", "A1", "NOW()*2"]))
                elif choice == 1:
                    cells[i] = draw(st.one_of(st.integers(-10**15, 10**15), st.floats(
                        allow_nan=False, allow_infinity=False), st.booleans()))
                elif choice == 2:
                    cells[i] = draw(st.text(alphabet=st.characters(
                        blacklist_categories=["Cs", "Cc"]), max_size=20))
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        data = draw(mutated_bytes(data))
    return data


@_settings("workbook")
@given(data=st.one_of(workbooks(), st.binary(max_size=200),
                      st.just(b"PK\x03\x04not a zip"), st.just(b"\xd0\xcf\x11\xe0\xa1\xb1")),
       name=st.sampled_from(["operator.xlsx", "数据.xlsx", "inspection.xls", "x.ods",
                             "抽检结果.xlsm", "~$operator.xlsx"]))
def test_fuzz_workbooks(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        check([Path(folder)])


file_names = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
    min_size=1, max_size=40,
).filter(lambda n: n not in (".", "..") and len(n.encode("utf-8")) < 200)


@_settings("names")
@given(stem=file_names, suffix=st.sampled_from([".csv", ".jsonl", ".xlsx", ".txt", "", ".CSV"]),
       table=table_texts())
def test_fuzz_file_names(stem: str, suffix: str, table: tuple[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            (Path(folder) / f"{stem}{suffix}").write_text(table[1], encoding="utf-8")
        except OSError:
            return  # a name this file system refuses
        check([Path(folder)])
        check([Path(folder) / f"{stem}{suffix}"])


@_settings("mixed")
@given(tables=st.lists(table_texts(), max_size=4), text=jsonl_texts(),
       encoding=st.sampled_from(ENCODINGS))
def test_fuzz_mixed_bundles(tables: list[tuple[str, str]], text: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, (kind, table) in enumerate(tables):
            name = kind if number == 0 else f"{kind}-{number}"
            (root / f"{name}.csv").write_bytes(encode(table, encoding))
        (root / "facts.jsonl").write_bytes(encode(text, encoding))
        check([root])


def test_codecs_of_the_fuzz_exist() -> None:
    for encoding in ENCODINGS:
        codecs.lookup(encoding)
