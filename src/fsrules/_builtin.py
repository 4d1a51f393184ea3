"""The core's own plugin: the built-in fact kinds and report formats.

Registered through the same hooks as any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from fsrules._i18n import Lang, Text
from fsrules._report import Report
from fsrules._writers import OutputFormat, write_json, write_jsonl
from fsrules.hookspecs import hookimpl
from fsrules.model import BUILTIN_FACT_KINDS, Fact


@hookimpl
def fsrules_register_fact_kinds(register: Callable[[type[Fact]], None]) -> None:
    """Every fact kind of :mod:`fsrules.model`."""
    for kind in BUILTIN_FACT_KINDS:
        register(kind)


@hookimpl
def fsrules_register_output_formats(register: Callable[[OutputFormat], None]) -> None:
    """JSON, JSON Lines, CSV, XLSX and the terminal table."""
    from fsrules._writers import write_csv, write_table

    register(OutputFormat(name="json", write=write_json, extension=".json",
                          description=Text("完整报告（JSON，含来源信息）",
                                           "full report (JSON, with provenance)")))
    register(OutputFormat(name="jsonl", write=write_jsonl, extension=".jsonl",
                          description=Text("每行一条问题（JSON Lines）",
                                           "one finding per line (JSON Lines)")))
    register(OutputFormat(name="csv", write=write_csv, extension=".csv",
                          description=Text("问题清单（CSV，UTF-8 带 BOM，可用 Excel 打开）",
                                           "findings list (CSV, UTF-8 with BOM for Excel)")))
    register(OutputFormat(name="xlsx", write=_write_ledger, extension=".xlsx", binary=True,
                          description=Text("问题台账、汇总和诊断（Excel 工作簿）",
                                           "findings ledger, summary and diagnostics (Excel)")))
    register(OutputFormat(name="html", write=_write_html, extension=".html",
                          description=Text("图表报告（单个 HTML 文件，离线可用）",
                                           "report with charts (one self-contained HTML file)")))
    register(OutputFormat(name="table", write=write_table, extension=".txt",
                          description=Text("终端表格", "terminal table")))


# The ledger (openpyxl, the history store's sqlite3) and the HTML page are
# imported when one is written, not whenever an engine registers the formats.


def _write_ledger(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    from fsrules.lifecycle.ledger import write_ledger

    write_ledger(report, stream, lang)


def _write_html(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    from fsrules.lifecycle.html import write_html

    write_html(report, stream, lang)
