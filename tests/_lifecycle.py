"""The demo county evaluated on two dates a month apart, shared by the lifecycle tests."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

from fsrules import Engine, Report

from .conftest import REPO

DEMO = REPO / "examples" / "weixian"
DEC = dt.date(2023, 12, 31)
JAN = dt.date(2024, 1, 31)


@functools.cache
def demo_report(as_of: dt.date = DEC) -> Report:
    """``fsrules demo --as-of AS_OF`` as a report (cached for the session)."""
    engine = Engine.default("demo")
    loaded = engine.load([DEMO], as_of=as_of)
    return engine.evaluate(loaded, as_of=as_of, profile="demo")


def write_waivers(path: Path, entries: list[dict[str, str]]) -> Path:
    """A waiver TOML file with one [[waiver]] table per entry (dates unquoted)."""
    lines = []
    for entry in entries:
        lines.append("[[waiver]]")
        for key, value in entry.items():
            lines.append(f"{key} = {value}" if key in ("granted", "expires") else
                         f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
