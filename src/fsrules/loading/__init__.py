"""Loading facts from CSV, text, JSON Lines and workbook bundles, with a diagnostic for every problem.

* :func:`load_bundle`: directories with one file per kind, single files,
  multi-kind JSON Lines files and workbooks with a sheet per kind;
* :func:`load_records`: the same conversions and checks for Python mappings;
* :func:`dump_bundle`: write facts as a bundle that loads back identically;
* :class:`LoadLimits`: size caps for hostile or mistaken input;
* :func:`header_aliases_markdown`: the accepted column headers, as Markdown
  (``docs/input-formats.md``).
"""

from __future__ import annotations

from fsrules.loading._bundle import load_bundle, load_records
from fsrules.loading._dump import dump_bundle
from fsrules.loading._result import FileStats, LoadResult
from fsrules.loading._state import LoadLimits
from fsrules.loading._values import header_aliases_markdown

__all__ = [
    "FileStats",
    "LoadLimits",
    "LoadResult",
    "dump_bundle",
    "header_aliases_markdown",
    "load_bundle",
    "load_records",
]
