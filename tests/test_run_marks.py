"""Marking findings that rest on uncertain values (issue 11): a copy, equal to attrs.evolve's."""

from __future__ import annotations

import datetime as dt

import attrs

from fsrules._findings import Finding, Subject
from fsrules._i18n import Text
from fsrules._run import _mark_uncertain
from fsrules._uncertain import UncertainParameter, uncertain_sentence
from fsrules.model import Severity

from .conftest import operator


def _finding(n: int) -> Finding:
    return Finding(
        rule_id="TEST-001", rule_version="1", ruleset="test", ruleset_version="1",
        plugin="p", plugin_version="1", severity=Severity.MEDIUM, title=Text("题", "title"),
        subject=Subject(kind="operator", id=f"op{n}"), period=None,
        evidence={"share": 0.1 + 0.2, "on": dt.date(2023, 5, 1), "n": n},
        facts=[operator(f"op{n}"), operator("op0")], message=Text("违规", "breaks"),
        legal_basis=(), lead_departments=("县市场监管局",), responsible_departments=())


def test_marked_findings_equal_what_evolve_gives_and_the_originals_stay() -> None:
    uncertain = {UncertainParameter(rule_id="TEST-001", name=name, confidence="M",
                                    source="profile:demo") for name in ("b", "a")}
    findings = [_finding(n) for n in range(3)]
    before = [attrs.evolve(f) for f in findings]
    sentence = uncertain_sentence(uncertain)
    marked = _mark_uncertain(findings, uncertain)
    assert marked == [attrs.evolve(
        f, uncertain_parameters=tuple(sorted(uncertain)),
        message=Text(f"违规{sentence.zh}", f"breaks {sentence.en}")) for f in findings]
    assert [m.fingerprint for m in marked] == [f.fingerprint for f in findings]
    assert [u.name for u in marked[0].uncertain_parameters] == ["a", "b"]
    assert findings == before and all(f.uncertain_parameters == () for f in findings)
