"""Baselines and diffs: which findings are new, which persist, which were resolved.

Findings are matched by fingerprint only. A fingerprint covers the rule, the
subject, the period and the rule's trigger values, never wording, timestamps
or input order. A rule whose window rolls with ``as_of`` (the last 12 months
of purchases, say) leaves its period out of the fingerprint
(``fingerprint_period=False``), so the same problem keeps its fingerprint as
the window moves and shows up as *persisting*, not as one resolved plus one new.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs

from fsrules._findings import Finding
from fsrules._i18n import Lang
from fsrules._report import Report, finding_to_dict

__all__ = ["ReportDiff", "diff_reports"]


@attrs.frozen(kw_only=True)
class ReportDiff:
    """Two reports compared by fingerprint.

    ``len(new) + len(persisting)`` is the newer report's finding count and
    ``len(persisting) + len(resolved)`` the older one's.
    """

    old_as_of: dt.date
    new_as_of: dt.date
    old_input_digest: str
    new: tuple[Finding, ...]
    persisting: tuple[Finding, ...]
    resolved: tuple[Finding, ...]

    def status(self, fingerprint: str) -> str | None:
        """``new`` or ``persisting`` for a finding of the newer report, else None."""
        if any(f.fingerprint == fingerprint for f in self.new):
            return "new"
        if any(f.fingerprint == fingerprint for f in self.persisting):
            return "persisting"
        return None

    def counts(self) -> dict[str, int]:
        """new, persisting and resolved counts."""
        return {"new": len(self.new), "persisting": len(self.persisting),
                "resolved": len(self.resolved)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the counts and every finding of each group (report order)."""
        return {"old_as_of": self.old_as_of.isoformat(), "new_as_of": self.new_as_of.isoformat(),
                "counts": self.counts(),
                "new": [finding_to_dict(f) for f in self.new],
                "persisting": [finding_to_dict(f) for f in self.persisting],
                "resolved": [finding_to_dict(f) for f in self.resolved]}

    def to_json(self) -> str:
        """Canonical JSON (keys sorted, UTF-8 kept, trailing newline)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"

    def render_text(self, lang: Lang = "zh") -> str:
        """The counts, then one line per new and per resolved finding."""
        c = self.counts()
        zh = lang == "zh"
        lines = [
            (f"{self.old_as_of} → {self.new_as_of}：新增 {c['new']} 条，仍存在 {c['persisting']} 条，"
             f"已消除 {c['resolved']} 条") if zh else
            (f"{self.old_as_of} -> {self.new_as_of}: {c['new']} new, {c['persisting']} persisting, "
             f"{c['resolved']} resolved")]
        for label, group in ((("新增", "new"), self.new), (("已消除", "resolved"), self.resolved)):
            for f in group:
                subject = f.subject.name or f.subject.id
                lines.append(f"  {label[0] if zh else label[1]:<8} {f.rule_id:<22} {subject} "
                             f"{f.fingerprint}")
        return "\n".join(lines) + "\n"


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare ``new`` with the baseline ``old`` by fingerprint."""
    before: Mapping[str, Finding] = {f.fingerprint: f for f in old.findings}
    after = {f.fingerprint for f in new.findings}
    return ReportDiff(
        old_as_of=old.provenance.as_of, new_as_of=new.provenance.as_of,
        old_input_digest=old.provenance.input_digest,
        new=tuple(f for f in new.findings if f.fingerprint not in before),
        persisting=tuple(f for f in new.findings if f.fingerprint in before),
        resolved=tuple(f for f in old.findings if f.fingerprint not in after))
