"""fsrules coverage: per rule, runs it ran in, fired in, never fired in, over a corpus."""

from __future__ import annotations

import json
from pathlib import Path

from fsrules.lifecycle.coverage import coverage
from fsrules.lifecycle.store import HistoryStore

from ._lifecycle import DEC, JAN, demo_report
from .test_cli import invoke


def test_coverage_from_reports_and_from_the_store_agree(tmp_path: Path) -> None:
    reports = [demo_report(DEC), demo_report(JAN)]
    paths = []
    for report in reports:
        paths.append(tmp_path / f"{report.provenance.as_of}.json")
        paths[-1].write_text(report.to_json(), encoding="utf-8")
    with HistoryStore(tmp_path / "h.sqlite") as store:
        for report in reports:
            store.record(report)
    by_files = invoke(["coverage", *map(str, paths), "--format", "json"])
    by_store = invoke(["coverage", "--store", str(tmp_path / "h.sqlite"), "--format", "json"])
    assert by_files.exit_code == by_store.exit_code == 0
    assert by_files.stdout == by_store.stdout
    doc = json.loads(by_files.stdout)
    assert doc["runs"] == 2
    rules = {r["rule_id"]: r for r in doc["rules"]}
    # VETO-005 (pass rate below 98%) fires in both runs; VETO-001 runs and never fires
    assert (rules["VETO-005"]["ran"], rules["VETO-005"]["fired"]) == (2, 2)
    assert (rules["VETO-001"]["ran"], rules["VETO-001"]["never_fired"]) == (2, 2)
    assert "VETO-001" in doc["never_fired"] and "VETO-005" not in doc["never_fired"]
    for rule in rules.values():
        assert rule["fired"] + rule["never_fired"] + rule["not_run"] == 2
    expected = {s.rule_id for s in reports[0].rule_stats if s.kind == "check"
                and s.status == "ran" and not any(
                    t.rule_id == s.rule_id and t.findings for r in reports for t in r.rule_stats)}
    assert set(doc["never_fired"]) == expected
    assert rules["VETO-005"]["findings"] == sum(
        1 for r in reports for f in r.findings if f.rule_id == "VETO-005")
    text = invoke(["coverage", *map(str, paths)]).stdout
    assert f"共 2 次运行；从未触发的检查规则 {len(expected)} 条：" in text
    assert "  VETO-001（veto）" in text


def test_coverage_needs_reports_or_a_store() -> None:
    assert invoke(["coverage"]).exit_code == 2
    assert coverage([]).runs == 0
