"""Rule coverage over a corpus of runs: which rules ran, which fired, which never fired.

A rule that never fires across a year of runs is either very good news or a
broken rule; this lists them. The corpus is a set of JSON reports or the runs
recorded in a history store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from fsrules._i18n import Lang
from fsrules._report import Report

__all__ = ["Coverage", "RuleCoverage", "coverage"]


@attrs.frozen(kw_only=True)
class RuleCoverage:
    """One rule over the corpus: in how many runs it ran, fired, and ran without firing."""

    rule_id: str
    ruleset: str
    kind: str
    ran: int
    fired: int
    findings: int

    @property
    def quiet(self) -> int:
        """Runs it ran in without a finding."""
        return self.ran - self.fired

    def to_dict(self, runs: int) -> dict[str, Any]:
        """JSON-ready form."""
        return {"rule_id": self.rule_id, "ruleset": self.ruleset, "kind": self.kind,
                "ran": self.ran, "fired": self.fired, "never_fired": self.quiet,
                "not_run": runs - self.ran, "findings": self.findings}


@attrs.frozen(kw_only=True)
class Coverage:
    """Every rule seen in the corpus, by id."""

    runs: int
    rules: tuple[RuleCoverage, ...]

    @property
    def never_fired(self) -> tuple[RuleCoverage, ...]:
        """Check rules that ran at least once and never produced a finding."""
        return tuple(r for r in self.rules if r.kind == "check" and r.ran and not r.fired)

    @property
    def never_ran(self) -> tuple[RuleCoverage, ...]:
        """Rules that were selected but never ran (not in force, or a parameter missing)."""
        return tuple(r for r in self.rules if not r.ran)

    def to_json(self) -> str:
        """Canonical JSON."""
        doc = {"runs": self.runs, "rules": [r.to_dict(self.runs) for r in self.rules],
               "never_fired": [r.rule_id for r in self.never_fired],
               "never_ran": [r.rule_id for r in self.never_ran]}
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"

    def render_text(self, lang: Lang = "zh") -> str:
        """A table, then the rules that never fired."""
        zh = lang == "zh"
        head = ("规则", "运行", "触发", "未触发", "未运行", "问题数") if zh else (
            "rule", "ran", "fired", "quiet", "not run", "findings")
        lines = [f"{head[0]:<26}" + "".join(f"{h:>8}" for h in head[1:])]
        for r in self.rules:
            lines.append(f"{r.rule_id:<26}{r.ran:>8}{r.fired:>8}{r.quiet:>8}"
                         f"{self.runs - r.ran:>8}{r.findings:>8}")
        never = self.never_fired
        lines.append("")
        lines.append(f"共 {self.runs} 次运行；从未触发的检查规则 {len(never)} 条：" if zh else
                     f"{self.runs} run(s); check rules that never fired: {len(never)}")
        lines.extend(f"  {r.rule_id}（{r.ruleset}）" if zh else f"  {r.rule_id} ({r.ruleset})"
                     for r in never)
        if self.never_ran:
            lines.append("从未运行的规则：" if zh else "rules that never ran:")
            lines.extend(f"  {r.rule_id}" for r in self.never_ran)
        return "\n".join(lines) + "\n"


def _build(runs: int, rows: Iterable[tuple[str, str, str, str, int]]) -> Coverage:
    table: dict[str, dict[str, Any]] = {}
    for rule_id, ruleset, kind, status, findings in rows:
        entry = table.setdefault(rule_id, {"ruleset": ruleset, "kind": kind, "ran": 0,
                                           "fired": 0, "findings": 0})
        if status == "ran":
            entry["ran"] += 1
            entry["fired"] += int(findings > 0)
            entry["findings"] += findings
    return Coverage(runs=runs, rules=tuple(
        RuleCoverage(rule_id=k, **v) for k, v in sorted(table.items())))


def coverage(reports: Sequence[Report]) -> Coverage:
    """Coverage over JSON reports (their ``rules`` statistics)."""
    return _build(len(reports), ((s.rule_id, s.ruleset, s.kind, s.status, s.findings)
                                 for r in reports for s in r.rule_stats))


def coverage_from_store(rule_runs: Sequence[tuple[int, str, str, str, str, int]]) -> Coverage:
    """Coverage over a store's runs: (run id, rule id, ruleset, kind, status, findings)."""
    return _build(len({r[0] for r in rule_runs}), (r[1:] for r in rule_runs))
