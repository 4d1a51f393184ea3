"""Attach the lifecycle (baseline comparison, waivers, history) to a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from fsrules._marks import BaselineSummary, FindingMark, Lifecycle
from fsrules._report import Report, finding_to_dict
from fsrules.lifecycle.diff import diff_reports
from fsrules.lifecycle.waivers import Waiver, match_waivers
from fsrules.model import Fact, Operator

__all__ = ["annotate"]


def annotate(report: Report, *, baseline: Report | None = None,
             waivers: Sequence[Waiver] = (), waive_veto: bool = False,
             history: Mapping[str, FindingMark] | None = None,
             trend: Sequence[tuple[dt.date, int]] = (),
             facts: Iterable[Fact] = ()) -> Report:
    """``report`` with a :class:`Lifecycle`: each finding marked new/persisting against
    ``baseline``, waived (judged on the report's as_of), and with its ``history`` record.

    ``facts`` (the run's input) give each operator finding its township (乡镇);
    a finding about a township (kind ``township``) is its own.
    With nothing but ``facts`` the lifecycle is attached invisibly: the ledger
    and HTML use the townships, the JSON report is unchanged. The findings
    themselves, their order and fingerprints are unchanged.
    """
    marks: dict[str, FindingMark] = dict(history or {})
    townships = {f.id: f.township for f in facts if isinstance(f, Operator) and f.township}
    for f in report.findings:
        town = (townships.get(f.subject.id) if f.subject.kind == "operator"
                else f.subject.name or f.subject.id if f.subject.kind == "township" else None)
        if town:
            marks[f.fingerprint] = attrs.evolve(marks.get(f.fingerprint, FindingMark()),
                                                township=town)
    summary = None
    if baseline is not None:
        diff = diff_reports(baseline, report)
        for group, label in ((diff.new, "new"), (diff.persisting, "persisting")):
            for f in group:
                marks[f.fingerprint] = attrs.evolve(marks.get(f.fingerprint, FindingMark()),
                                                    baseline=label)
        summary = BaselineSummary(as_of=diff.old_as_of, input_digest=diff.old_input_digest,
                                  new=len(diff.new), persisting=len(diff.persisting),
                                  resolved=tuple(finding_to_dict(f) for f in diff.resolved))
    waiver_marks, warnings = match_waivers(report.findings, waivers, report.provenance.as_of,
                                           waive_veto=waive_veto)
    for fingerprint, wmark in waiver_marks.items():
        marks[fingerprint] = attrs.evolve(marks.get(fingerprint, FindingMark()), waiver=wmark)
    visible = baseline is not None or bool(waivers) or history is not None
    lifecycle = Lifecycle(marks=dict(sorted(marks.items())), baseline=summary,
                          warnings=warnings, trend=tuple(trend), visible=visible)
    return attrs.evolve(report, lifecycle=lifecycle)
