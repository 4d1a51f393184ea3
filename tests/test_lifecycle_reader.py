"""Report.from_json: the typed reader, and the schema shipped in the package."""

from __future__ import annotations

import json

import attrs
import jsonschema
import pytest

import fsrules
from fsrules import REPORT_SCHEMA_VERSION, Finding, Report
from fsrules.exceptions import InputError

from ._lifecycle import JAN, demo_report
from .conftest import REPO


def test_from_json_round_trips_the_demo_report_byte_identically() -> None:
    report = demo_report()
    text = report.to_json()
    back = Report.from_json(text)
    assert back.to_json() == text
    # every finding comes back equal, fingerprint inputs included (fingerprint_period has no
    # effect on a finding without a period, and the JSON cannot tell it there)
    assert back.findings == tuple(_without_period_flag(f) for f in report.findings)
    assert back.diagnostics == report.diagnostics
    assert back.input == report.input
    assert back == Report.from_json(text.encode("utf-8"))
    stats = tuple(attrs.evolve(s, seconds=0.0) for s in report.rule_stats)
    assert back.rule_stats == stats


def _without_period_flag(finding: Finding) -> Finding:
    if finding.period is None:
        return attrs.evolve(finding, fingerprint_period=True)
    return finding


def test_from_json_keeps_rolling_window_fingerprints() -> None:
    """Findings whose period is left out of the fingerprint come back that way."""
    report = demo_report(JAN)
    rolling = [f for f in report.findings if not f.fingerprint_period and f.period]
    assert rolling, "the demo county has rolling-window findings"
    back = {f.fingerprint: f for f in Report.from_json(report.to_json()).findings}
    for finding in rolling:
        assert back[finding.fingerprint].fingerprint_period is False
        assert back[finding.fingerprint].compute_fingerprint() == finding.fingerprint


def test_from_json_rejects_other_major_versions_and_non_reports() -> None:
    doc = json.loads(demo_report().to_json())
    doc["schema_version"] = "2.0"
    with pytest.raises(InputError, match="schema version"):
        Report.from_json(json.dumps(doc))
    with pytest.raises(InputError, match="not an fsrules report"):
        Report.from_json('{"schema_version": "1.0"}')
    with pytest.raises(InputError, match="not JSON"):
        Report.from_json("{")


def test_packaged_schema_is_the_documented_one_and_validates_the_report() -> None:
    schema = fsrules.report_schema()
    assert schema["version"] == REPORT_SCHEMA_VERSION
    docs = json.loads((REPO / "docs" / "finding.schema.json").read_text(encoding="utf-8"))
    # The documented schema is the packaged one plus each built-in rule's evidence type.
    evidence_defs = {k for k in docs["$defs"] if k.startswith("evidence.")}
    assert evidence_defs and "allOf" in docs["$defs"]["finding"]
    docs["$defs"] = {k: v for k, v in docs["$defs"].items() if k not in evidence_defs}
    docs["$defs"]["finding"] = {k: v for k, v in docs["$defs"]["finding"].items()
                                if k != "allOf"}
    assert docs == schema
    jsonschema.validate(json.loads(demo_report().to_json()), schema)
