"""Findings decided by an M or ? parameter say so (issue 12, item 5), over the demo report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest

from fsrules import (
    Catalogue,
    Engine,
    LegalBasis,
    Param,
    Report,
    RuleContext,
    Ruleset,
    Text,
    hookimpl,
    rule,
)
from fsrules._uncertain import UncertainParameter
from fsrules._writers import UNCERTAIN_MARK, write_csv, write_table
from fsrules.loading import load_bundle
from fsrules.model import Operator
from fsrules.testing import FactBuilder

from .conftest import REPO

AS_OF = dt.date(2023, 12, 31)
DEMO = REPO / "examples" / "weixian"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    from fsrules import load_catalogue

    return load_catalogue(entry_points=True, allowed_plugins=())


@pytest.fixture(scope="module")
def demo(catalogue: Catalogue) -> Report:
    loaded = load_bundle([DEMO], kinds=catalogue.fact_kinds, as_of=AS_OF)
    return catalogue.plan(profile="demo", as_of=AS_OF).run(loaded)


def _expected(catalogue: Catalogue, report: Report) -> dict[str, set[tuple[str, str]]]:
    """Rule id -> the M/? parameters its findings rest on, from the provenance alone.

    A rule depends on the M/? parameters it resolved, and on those of every
    derivation producing (transitively) a kind it reads.
    """
    used = {(p.rule_id, p.name) for p in report.provenance.parameters}
    rules = catalogue.rules
    own = {rid: {(rid, p.name) for p in r.parameters
                 if p.confidence.needs_profile and (rid, p.name) in used}
           for rid, r in rules.items()}
    producers: dict[str, list[str]] = {}
    for rid, r in rules.items():
        for kind in r.produces:
            producers.setdefault(kind, []).append(rid)
    ran = {s.rule_id for s in report.rule_stats if s.status == "ran"}

    def behind(rid: str, seen: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
        out = set(own[rid])
        for kind in rules[rid].reads:
            for producer in producers.get(kind, ()):
                if producer in ran and producer not in seen:
                    out |= behind(producer, seen | {rid})
        return out

    return {rid: behind(rid) for rid in {f.rule_id for f in report.findings}}


def test_every_finding_decided_by_an_m_or_unknown_value_says_so(
        catalogue: Catalogue, demo: Report) -> None:
    expected = _expected(catalogue, demo)
    flagged = 0
    for finding in demo.findings:
        want = expected[finding.rule_id]
        got = {(u.rule_id, u.name) for u in finding.uncertain_parameters}
        assert got == want, (finding.rule_id, finding.subject.id)
        if not want:
            assert "【待核实】" not in finding.message.zh
            continue
        flagged += 1
        assert finding.message.zh.endswith("。") and "【待核实】" in finding.message.zh
        assert "[To verify]" in finding.message.en
        for item in finding.uncertain_parameters:
            param = catalogue.rule(item.rule_id).param(item.name)
            assert item.confidence == param.confidence.value in ("M", "?")
            assert item.source.startswith(("profile:", "ruleset:"))
            assert item.label in finding.message.zh and item.label in finding.message.en
            assert f"取自 {item.source}" in finding.message.zh
    # The demo county rests on many values the regulations leave open (a third at least).
    assert flagged >= 100
    assert any(not f.uncertain_parameters for f in demo.findings)


def test_the_json_names_parameter_and_source_and_fingerprints_do_not_move(
        demo: Report) -> None:
    doc = json.loads(demo.to_json())
    by_fp = {f.fingerprint: f for f in demo.findings}
    for item in doc["findings"]:
        finding = by_fp[item["fingerprint"]]
        if finding.uncertain_parameters:
            assert item["uncertain_parameters"] == [
                {"rule_id": u.rule_id, "name": u.name, "confidence": u.confidence,
                 "source": u.source, "note": u.note} for u in finding.uncertain_parameters]
        else:
            assert "uncertain_parameters" not in item
        assert finding.compute_fingerprint() == finding.fingerprint
    baobao = [u for f in demo.findings if f.rule_id == "BAOBAO-004"
              for u in f.uncertain_parameters if u.name == "visits_per_year"]
    assert baobao and {u.source for u in baobao} == {"profile:demo"}


def test_the_report_reads_back_with_its_uncertain_values(demo: Report) -> None:
    again = Report.from_json(demo.to_json())
    assert [f.uncertain_parameters for f in again.findings] == [
        f.uncertain_parameters for f in demo.findings]


def test_table_and_csv_mark_uncertain_findings(demo: Report) -> None:
    table = io.BytesIO()
    write_table(demo, table, "zh")
    text = table.getvalue().decode("utf-8")
    assert f"BAOBAO-004{UNCERTAIN_MARK}" in text
    count = sum(1 for f in demo.findings if f.uncertain_parameters)
    assert f"{UNCERTAIN_MARK} {count} 条的结论取决于未经核实" in text

    out = io.BytesIO()
    write_csv(demo, out, "zh")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    marked = [r for r in rows if r["待核实"]]
    assert len(marked) == count
    assert all(r["待核实"].startswith(UNCERTAIN_MARK) for r in marked)
    assert any("BAOBAO-004.visits_per_year（?，profile:demo）" in r["待核实"] for r in marked)


def test_only_a_value_the_profile_sets_flags_the_findings() -> None:
    """A ? parameter no profile sets leaves the rule's findings unflagged; once set, flagged.

    The flag is decided from the plan, so it is the same for every finding of the
    rule whatever else the run holds.
    """
    basis = [LegalBasis(instrument="《测试》", confidence="V")]

    @rule(id="TEST-UNC", version="1", title=("测试", "test"), severity="low",
          reads=[Operator], legal_basis=basis, message=("{subject}", "{subject}"),
          lead=("县市场监管局",),
          parameters=[Param(name="guess", type="int", confidence="?",
                            description=Text("猜", "guess"))])
    def check(ctx: RuleContext) -> Iterator[object]:
        for op in ctx.facts.of_kind(Operator):
            if op.id == "read":
                ctx.param("guess")
            yield ctx.finding(subject=op, evidence={"operator": op.id})

    class Plugin:
        @staticmethod
        @hookimpl
        def fsrules_register_rulesets(register: object) -> None:
            register(Ruleset(id="unc", version="1", title=("测试", "test"),  # type: ignore[operator]
                             rules=[check]))

    build = FactBuilder(year=2023)
    eng = Engine(plugins=[Plugin()], entry_points=False)
    prof = "national"
    quiet = eng.evaluate([build.operator("quiet")], as_of=AS_OF, profile=prof, rulesets=["unc"])
    assert [f.uncertain_parameters for f in quiet.findings] == [()]
    from fsrules import Profile

    class Guess:
        @staticmethod
        @hookimpl
        def fsrules_register_profiles(register: object) -> None:
            register(Profile.from_mapping(  # type: ignore[operator]
                {"name": "guessing", "extends": "national"},
                {"TEST-UNC": {"guess": {"value": 3, "note": "假设"}}}))

    eng = Engine(plugins=[Plugin(), Guess()], entry_points=False)
    loud = eng.evaluate([build.operator("read")], as_of=AS_OF, profile="guessing",
                        rulesets=["unc"])
    [finding] = loud.findings
    assert finding.uncertain_parameters == (UncertainParameter(
        rule_id="TEST-UNC", name="guess", confidence="?", source="profile:guessing",
        note="假设"),)
    assert finding.message.zh.endswith("（可信度 ?，取自 profile:guessing）。")
