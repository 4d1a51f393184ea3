"""Baselines and diffs: two demo-county runs a month apart, compared by fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

import fsrules
from fsrules import Report
from fsrules.lifecycle import annotate, diff_reports

from ._lifecycle import DEC, DEMO, JAN, demo_report
from .test_cli import invoke


def _check(tmp_path: Path, as_of: str, out: str, *extra: str) -> tuple[int, str]:
    result = invoke(["check", str(DEMO), "--profile", "demo", "--as-of", as_of, "--keep-going",
                     "--fail-on", "none", "--format", "json", "-o", str(tmp_path / out), *extra])
    return result.exit_code, result.stderr


def test_baseline_marks_new_and_persisting_and_lists_resolved(tmp_path: Path) -> None:
    # the baseline as `fsrules check --format json` writes it (the same canonical JSON)
    (tmp_path / "dec.json").write_text(demo_report(DEC).to_json(), encoding="utf-8")
    code, stderr = _check(tmp_path, "2024-01-31", "jan.json", "--baseline",
                          str(tmp_path / "dec.json"))
    assert code == 0
    dec = json.loads((tmp_path / "dec.json").read_text(encoding="utf-8"))
    jan = json.loads((tmp_path / "jan.json").read_text(encoding="utf-8"))
    jsonschema.validate(jan, fsrules.report_schema())
    counts = jan["lifecycle"]["baseline"]["counts"]
    # the counts add up in both directions
    assert counts["new"] + counts["persisting"] == len(jan["findings"]) == 1260
    assert counts["persisting"] + counts["resolved"] == len(dec["findings"]) == 347
    assert counts == {"new": 1028, "persisting": 232, "resolved": 115}
    assert "新增 1028 条，仍存在 232 条，已消除 115 条" in stderr
    before = {f["fingerprint"] for f in dec["findings"]}
    for finding in jan["findings"]:
        expected = "persisting" if finding["fingerprint"] in before else "new"
        assert finding["lifecycle"]["baseline"] == expected
    after = {f["fingerprint"] for f in jan["findings"]}
    resolved = jan["lifecycle"]["baseline"]["resolved"]
    assert [f["fingerprint"] for f in resolved] == [
        f["fingerprint"] for f in dec["findings"] if f["fingerprint"] not in after]

    # fsrules diff agrees, prints the same counts and writes them
    result = invoke(["diff", str(tmp_path / "dec.json"), str(tmp_path / "jan.json"), "-o",
                     str(tmp_path / "diff.json")])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "2023-12-31 → 2024-01-31：新增 1028 条，仍存在 232 条，已消除 115 条")
    written = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert written["counts"] == counts
    assert [f["fingerprint"] for f in written["resolved"]] == [f["fingerprint"] for f in resolved]
    assert invoke(["diff", str(tmp_path / "dec.json"), str(tmp_path / "jan.json"),
                   "--fail-on-new"]).exit_code == 1
    assert invoke(["diff", str(tmp_path / "dec.json"), str(tmp_path / "dec.json"),
                   "--fail-on-new"]).exit_code == 0


def test_annotated_report_round_trips_and_plain_report_is_unchanged() -> None:
    dec, jan = demo_report(DEC), demo_report(JAN)
    annotated = annotate(jan, baseline=dec)
    text = annotated.to_json()
    assert Report.from_json(text).to_json() == text
    assert "lifecycle" not in json.loads(jan.to_json())  # no option, no lifecycle key
    assert annotated.findings == jan.findings


def test_rolling_window_finding_persists_across_the_month() -> None:
    """A rule whose window rolls with as_of keeps the fingerprint: persisting, not new."""
    diff = diff_reports(demo_report(DEC), demo_report(JAN))
    rolling = [f for f in diff.persisting if not f.fingerprint_period and f.period is not None]
    assert rolling
    old = {f.fingerprint: f for f in demo_report(DEC).findings}
    assert any(old[f.fingerprint].period != f.period for f in rolling)


def test_diff_rejects_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = invoke(["diff", str(bad), str(bad)])
    assert result.exit_code == 2
    assert "不是 fsrules 报告" in result.stderr or "not an fsrules report" in result.stderr
