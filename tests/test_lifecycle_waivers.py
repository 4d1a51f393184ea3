"""Waivers: one valid, one expired, one unmatched; a veto finding needs --waive-veto."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fsrules import Report, Severity
from fsrules.exceptions import InputError
from fsrules.lifecycle import annotate, load_waivers

from ._lifecycle import DEMO, demo_report, write_waivers
from .test_cli import invoke

_DOC = {"reason": "停业装修，复业前重新检查", "authority": "威县市场监督管理局",
        "document": "威市监〔2023〕12号"}


def _targets() -> tuple[Report, str, tuple[str, str], str]:
    report = demo_report()
    high = [f for f in report.findings if f.severity is Severity.HIGH]
    veto = next(f for f in report.findings if f.severity is Severity.CRITICAL)
    return report, high[0].fingerprint, (high[1].rule_id, high[1].subject.id), veto.fingerprint


def _file(tmp_path: Path, veto: str | None = None) -> Path:
    report, valid, (rule, subject), veto_fp = _targets()
    del report
    entries = [
        {"id": "W-1", "fingerprint": valid, **_DOC, "granted": "2023-12-01",
         "expires": "2024-06-30"},
        {"id": "W-2", "rule": rule, "subject": subject, **_DOC, "granted": "2023-01-01",
         "expires": "2023-11-30"},
        {"id": "W-3", "fingerprint": "0" * 32, **_DOC, "granted": "2023-01-01",
         "expires": "2024-12-31"},
    ]
    if veto:
        entries.append({"id": "W-4", "fingerprint": veto_fp, **_DOC, "granted": "2023-12-01",
                        "expires": "2024-12-31"})
    return write_waivers(tmp_path / "waivers.toml", entries)


def test_valid_expired_and_unmatched_waivers(tmp_path: Path) -> None:
    report, valid, (rule, subject), _ = _targets()
    annotated = annotate(report, waivers=load_waivers(_file(tmp_path)))
    life = annotated.lifecycle
    assert life is not None
    waived = life.marks[valid]
    assert waived.waiver is not None and waived.waiver.state == "active"
    assert not waived.counted
    assert waived.waiver.authority == "威县市场监督管理局"
    assert waived.waiver.document == "威市监〔2023〕12号"
    expired_fp = next(f.fingerprint for f in report.findings
                      if f.rule_id == rule and f.subject.id == subject)
    expired = life.marks[expired_fp]
    assert expired.waiver is not None and expired.waiver.state == "expired" and expired.counted
    assert "2023-11-30 到期，本问题重新计入" in expired.waiver.note.zh
    assert [w.en for w in life.warnings] == [
        "waiver W-2 (威市监〔2023〕12号) expired on 2023-11-30; the finding counts again",
        f"waiver W-3 (威市监〔2023〕12号) matches no finding: {'0' * 32}"]
    # waived findings stay in the report, marked; they do not count
    assert len(annotated.findings) == len(report.findings)
    assert len(annotated.counted()) == len(report.findings) - 1
    doc = json.loads(annotated.to_json())
    assert doc["lifecycle"]["waived"] == 1 and doc["lifecycle"]["waivers_expired"] == 1
    marked = next(f for f in doc["findings"] if f["fingerprint"] == valid)
    assert marked["lifecycle"]["counted"] is False


def test_expiry_is_judged_on_the_runs_as_of(tmp_path: Path) -> None:
    report, valid, _, _ = _targets()
    waivers = load_waivers(_file(tmp_path))
    import attrs

    later = attrs.evolve(report, provenance=attrs.evolve(
        report.provenance, as_of=report.provenance.as_of.replace(year=2025)))
    mark = annotate(later, waivers=waivers).lifecycle.marks[valid]  # type: ignore[union-attr]
    assert mark.waiver is not None and mark.waiver.state == "expired" and mark.counted


def test_critical_veto_finding_needs_the_flag(tmp_path: Path) -> None:
    report, _, _, veto = _targets()
    waivers = load_waivers(_file(tmp_path, veto="yes"))
    refused = annotate(report, waivers=waivers)
    mark = refused.lifecycle.marks[veto]  # type: ignore[union-attr]
    assert mark.waiver is not None and mark.waiver.state == "veto_refused" and mark.counted
    assert refused.exit_code("critical") == 1
    allowed = annotate(report, waivers=waivers, waive_veto=True)
    assert allowed.exit_code("critical") == 0  # the only critical finding is waived
    assert report.exit_code("critical") == 1


def test_cli_waivers_warn_and_do_not_count(tmp_path: Path) -> None:
    path = _file(tmp_path, veto="yes")
    base = ["check", str(DEMO), "--profile", "demo", "--as-of", "2023-12-31", "--keep-going",
            "--fail-on", "critical", "--format", "json", "-o", str(tmp_path / "r.json"),
            "--waivers", str(path)]
    result = invoke(base)
    assert result.exit_code == 1
    assert "警告：豁免 W-3（威市监〔2023〕12号）没有匹配任何问题" in result.stderr
    assert "否决项问题不予豁免（豁免 W-4）" in result.stderr
    assert "已豁免 1 条问题（仍列出，不计入退出码）" in result.stderr
    allowed = invoke([*base, "--waive-veto", "--format", "jsonl", "-o",
                      str(tmp_path / "r.jsonl")])
    assert allowed.exit_code == 0
    assert "已豁免 2 条问题" in allowed.stderr
    lines = [json.loads(line) for line in
             (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    waived = [x for x in lines if x.get("lifecycle") and not x["lifecycle"]["counted"]]
    assert len(waived) == 2 and waived[0]["severity"] == "critical"


def test_bad_waiver_files_are_input_errors(tmp_path: Path) -> None:
    path = write_waivers(tmp_path / "w.toml", [{"fingerprint": "a" * 32, "reason": "x",
                                                "granted": "2024-01-01",
                                                "expires": "2024-02-01"}])
    with pytest.raises(InputError, match="missing authority, document"):
        load_waivers(path)
    result = invoke(["check", str(DEMO), "--as-of", "2023-12-31", "--waivers", str(path)])
    assert result.exit_code == 2
    path.write_text("[[waiver]]\nreason = 'x'\nauthority = 'a'\ndocument = 'd'\n"
                    "granted = 2024-02-01\nexpires = 2024-01-01\nrule = 'R-1'\nsubject = 's'\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="before granted"):
        load_waivers(path)
