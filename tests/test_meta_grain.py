"""Every check rule declares its grain and identity, and its findings keep to them.

The findings checked are those of the demo county (profiles demo and
national) and of every scenario file, built-in and in plugins/ (each check
rule fires in at least one scenario: tests/test_meta.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest

from fsrules import Finding, Rule, load_catalogue
from fsrules._rules import ALL_EVIDENCE

from ._meta import every_finding


def _checks() -> dict[str, Rule]:
    catalogue = load_catalogue(environ={})
    return {rid: r for rid, r in catalogue.rules.items() if not r.is_derivation}


def _findings() -> Iterator[Finding]:
    yield from every_finding()


@pytest.fixture(scope="module")
def by_rule() -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for finding in _findings():
        out[finding.rule_id].append(finding)
    return out


def test_every_check_rule_declares_grain_and_identity() -> None:
    undeclared = [rid for rid, r in sorted(_checks().items())
                  if r.grain is None or not r.identity]
    assert not undeclared, f"declare grain= and identity= on: {', '.join(undeclared)}"


def test_findings_keep_to_the_declared_grain_and_identity(
        by_rule: dict[str, list[Finding]]) -> None:
    problems: list[str] = []
    for rule_id, rule in sorted(_checks().items()):
        findings = by_rule.get(rule_id, [])
        if not findings:
            problems.append(f"{rule_id}: no finding in the demo county or any scenario")
        for f in findings:
            if f.subject.kind != rule.grain:
                problems.append(f"{rule_id}: grain {rule.grain!r}, but a finding is about "
                                f"a {f.subject.kind!r} ({f.subject.id})")
            assert rule.identity is not None
            if rule.identity == (ALL_EVIDENCE,):
                expected = tuple(sorted(f.evidence))
            else:
                expected = rule.identity
                if f.evidence.get("status") == "no_data" and "status" not in expected:
                    # "cannot be judged" (issue 10) is its own problem beside the
                    # breach: its identity adds the status, so the two never share
                    # a fingerprint.
                    expected = (*expected, "status")
                absent = [k for k in rule.identity if k not in f.evidence]
                if absent:
                    problems.append(f"{rule_id}: identity keys {absent} not in the evidence")
            if f.fingerprint_keys != expected:
                problems.append(f"{rule_id}: identity {expected}, but a finding's fingerprint "
                                f"uses {f.fingerprint_keys}")
    assert not problems, "\n".join(sorted(set(problems)))
