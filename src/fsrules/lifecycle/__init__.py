"""Following a finding to closure (逐项销号).

Baselines and diffs (:func:`diff_reports`), waivers (:func:`load_waivers`),
the history store (:class:`HistoryStore`), and :func:`annotate`, which marks
a report's findings with all three. The ledger (XLSX) and HTML writers and
the ``diff``, ``history`` and ``coverage`` commands build on these.
"""

from __future__ import annotations

from fsrules._marks import BaselineSummary, FindingMark, Lifecycle, WaiverMark
from fsrules.lifecycle.annotate import annotate
from fsrules.lifecycle.diff import ReportDiff, diff_reports
from fsrules.lifecycle.waivers import Waiver, load_waivers, parse_waivers

__all__ = [
    "BaselineSummary",
    "FindingMark",
    "Lifecycle",
    "ReportDiff",
    "Waiver",
    "WaiverMark",
    "annotate",
    "diff_reports",
    "load_waivers",
    "parse_waivers",
]
