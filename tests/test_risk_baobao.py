"""包保 (BAOBAO-001…004, INFER-BAOBAO-STATUS, INFER-BAOBAO-COVERAGE)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from fsrules import Engine, Severity
from fsrules.cli import main
from fsrules.model import BaobaoTier, BusinessType, CadreLevel, OperatorScale
from fsrules.testing import assert_finding, assert_no_finding

from .test_risk_support import (
    COUNTY,
    DUTIES,
    assignment,
    county,
    d,
    derived,
    engine_with,
    only,
    operator,
    run,
    visit,
)

A, B, C, D = BaobaoTier


@pytest.fixture(scope="module")
def engine() -> Engine:
    return engine_with(quarterly=("national", {"BAOBAO-004": {
        "visits_per_year": {"A": 4, "B": 4, "C": 2, "D": 1}}}))


def shop(oid: str = "op1", **kw: object) -> object:
    kw.setdefault("scale", OperatorScale.SMALL)
    return operator(oid, **kw)


# --------------------------------------------------------------------------- BAOBAO-001


def test_baobao_001_fires_without_an_assignment(engine: Engine) -> None:
    f = assert_finding(run(engine, [shop()], DUTIES), "BAOBAO-001", subject="op1",
                       evidence={"business_type": "seller", "three_small": False,
                                 "covered_since": "2022-11-01", "expected_tier": "C"},
                       legal_basis_contains="包保")
    assert f.severity is Severity.HIGH
    assert f.lead_departments == ("县食药安办",) and f.responsible_departments == ("各乡镇政府",)
    assert "没有有效的包保关系（按规模应为C级包保主体）" in f.message.zh


def test_baobao_001_quiet_with_a_current_assignment(engine: Engine) -> None:
    assert_no_finding(run(engine, [shop(), assignment("a1", "op1")], DUTIES), "BAOBAO-001")


def test_baobao_001_an_ended_assignment_does_not_count(engine: Engine) -> None:
    facts = [shop(), assignment("a1", "op1", ended_on=d("2023-06-30"))]
    assert_finding(run(engine, facts, DUTIES), "BAOBAO-001", subject="op1",
                   evidence={"ended_assignment_id": "a1", "ended_on": "2023-06-30"})
    assert_no_finding(run(engine, facts, DUTIES, as_of=d("2023-06-29")), "BAOBAO-001")


@pytest.mark.parametrize("kind", [BusinessType.SMALL_WORKSHOP, BusinessType.SMALL_EATERY,
                                  BusinessType.SMALL_GROCERY, BusinessType.FOOD_VENDOR])
def test_three_small_are_covered_from_2023(engine: Engine, kind: BusinessType) -> None:
    """The 三小 rules (issue 7) rely on this: 三小 need a 包保 cadre from 2023-01-01 (seed 000)."""
    facts = [shop("small", business_type=kind, scale=OperatorScale.MICRO),
             shop("firm")]
    before = run(engine, facts, DUTIES, as_of=d("2022-12-31"))
    assert {f.subject.id for f in only(before, "BAOBAO-001")} == {"firm"}
    after = run(engine, facts, DUTIES, as_of=d("2023-01-01"))
    f = assert_finding(after, "BAOBAO-001", subject="small",
                       evidence={"three_small": True, "covered_since": "2023-01-01",
                                 "expected_tier": "D"})
    assert kind.zh in f.message.zh
    status = derived(after, "baobao_status")["small"]
    assert status.three_small and status.covered_since == dt.date(2023, 1, 1)


def test_scope_dates_and_exemptions(engine: Engine) -> None:
    facts = [shop("cook", business_type=BusinessType.BANQUET_UNDERTAKER),  # no premises
             shop("new", opened_on=d("2023-12-01")),
             shop("gone", closed_on=d("2023-06-01"))]
    report = run(engine, facts, DUTIES)
    assert {f.subject.id for f in only(report, "BAOBAO-001")} == {"new"}
    assert derived(report, "baobao_status")["new"].covered_since == dt.date(2023, 12, 1)
    # Enterprises are covered from the national profile's date (M), not before.
    assert only(run(engine, facts, DUTIES, as_of=d("2022-10-31")), "BAOBAO-001") == []


# --------------------------------------------------------------------------- BAOBAO-002


@pytest.mark.parametrize(
    ("tier", "level", "fires"),
    [
        (A, CadreLevel.CITY, False), (A, CadreLevel.COUNTY, True),
        (B, CadreLevel.COUNTY, False), (B, CadreLevel.TOWNSHIP, True),
        (C, CadreLevel.TOWNSHIP, False), (C, CadreLevel.VILLAGE, True),
        (D, CadreLevel.VILLAGE, False),
        (D, CadreLevel.TOWNSHIP, False),  # "村（社区）干部和乡镇一般干部" (seed 000)
        (D, CadreLevel.CITY, True),
    ],
)
def test_baobao_002_tier_and_cadre_level(engine: Engine, tier: BaobaoTier, level: CadreLevel,
                                         fires: bool) -> None:
    report = run(engine, [shop(), assignment("a1", "op1", tier=tier, level=level)], DUTIES)
    if not fires:
        assert_no_finding(report, "BAOBAO-002")
        return
    f = assert_finding(report, "BAOBAO-002", subject="op1",
                       evidence={"tier": tier.value, "cadre_level": level.value,
                                 "assignment_id": "a1", "cadre_id": "cadre1"},
                       legal_basis_contains="推进会议讲话")
    assert level.zh in f.message.zh and tier.zh in f.message.zh


# --------------------------------------------------------------------------- BAOBAO-003


def test_baobao_003_unsigned_letter(engine: Engine) -> None:
    facts = [shop(), assignment("a1", "op1", signed=None, assigned="2023-03-01")]
    f = assert_finding(run(engine, facts, DUTIES), "BAOBAO-003", subject="op1",
                       evidence={"assignment_id": "a1", "cadre_id": "cadre1",
                                 "assigned_on": "2023-03-01", "days_since_assigned": 305})
    assert "《食品安全责任与任务承诺书》" in f.message.zh
    assert f.severity is Severity.MEDIUM


def test_baobao_003_signed_on_or_before_the_day_is_quiet(engine: Engine) -> None:
    facts = [shop(), assignment("a1", "op1", signed="2023-12-31")]
    assert_no_finding(run(engine, facts, DUTIES), "BAOBAO-003")
    assert_finding(run(engine, facts, DUTIES, as_of=d("2023-12-30")), "BAOBAO-003",
                   subject="op1")


# --------------------------------------------------------------------------- BAOBAO-004


def test_baobao_004_needs_a_profile_value(engine: Engine) -> None:
    """No national 督导 frequency exists: under `national` the rule is skipped and says why."""
    facts = [shop(), assignment("a1", "op1")]
    report = run(engine, facts, DUTIES)
    assert {s.rule_id: s.status for s in report.rule_stats}["BAOBAO-004"] == "skipped"
    [diag] = [x for x in report.diagnostics if x.rule_id == "BAOBAO-004"]
    assert diag.code == "rule.missing_parameter" and "visits_per_year" in diag.message.en
    explanation = engine.explain("BAOBAO-004", as_of=dt.date(2023, 12, 31))
    [(_, resolved, problem)] = [p for p in explanation.parameters
                                   if p[0] == "visits_per_year"]
    assert resolved is None and "confidence ?" in problem


def test_explain_cli_says_the_value_is_missing() -> None:
    result = CliRunner().invoke(main, ["--lang", "en", "explain", "BAOBAO-004"])
    assert result.exit_code == 0, result.output
    assert "visits_per_year" in result.output and "national" in result.output
    demo = CliRunner().invoke(main, ["--lang", "en", "explain", "BAOBAO-004", "--profile",
                                     "demo"])
    assert "illustrative" in demo.output


def test_baobao_004_fires_below_the_tier_frequency(engine: Engine) -> None:
    facts = [shop(), assignment("a1", "op1", tier=C), visit("v1", "op1", "2023-05-01"),
             visit("v2", "op1", "2023-06-01", cadre="someone-else")]
    f = assert_finding(run(engine, facts, DUTIES, profile="quarterly"), "BAOBAO-004",
                       subject="op1",
                       evidence={"tier": "C", "per_year": 2, "required": 2, "visits": 1,
                                 "shortfall": 1, "visit_ids": ["v1"], "other_cadre_visits": 1,
                                 "window_open": False})
    assert f.due_date == dt.date(2023, 12, 31) and f.severity is Severity.MEDIUM


def test_baobao_004_quiet_at_the_frequency(engine: Engine) -> None:
    facts = [shop(), assignment("a1", "op1", tier=C), visit("v1", "op1", "2023-05-01"),
             visit("v2", "op1", "2023-11-01")]
    assert_no_finding(run(engine, facts, DUTIES, profile="quarterly"), "BAOBAO-004")


def test_baobao_004_pro_rates_a_late_assignment_and_is_info_midyear(engine: Engine) -> None:
    """A 三小 assigned on 2023-04-01 (tier D, once a year) still owes one visit in 2023."""
    facts = [shop("eat", business_type=BusinessType.SMALL_EATERY, scale=OperatorScale.MICRO),
             assignment("a1", "eat", tier=D, level=CadreLevel.VILLAGE, assigned="2023-04-01")]
    f = assert_finding(run(engine, facts, DUTIES, profile="quarterly", as_of=d("2023-09-30")),
                       "BAOBAO-004", subject="eat", evidence={"required": 1, "visits": 0,
                                                              "window_open": True})
    assert f.severity is Severity.INFO
    tier_a = [shop(), assignment("a1", "op1", tier=A, level=CadreLevel.CITY,
                                 assigned="2023-07-03")]
    assert_finding(run(engine, tier_a, DUTIES, profile="quarterly"), "BAOBAO-004",
                   subject="op1", evidence={"required": 2})  # ⌈4 × 182/365⌉


def test_demo_profile_sets_an_illustrative_frequency() -> None:
    eng = Engine(profile="demo")
    resolved = eng.resolve_param(eng.rule("BAOBAO-004"), "visits_per_year", d("2023-12-31"))
    assert resolved.value == {"A": 4, "B": 4, "C": 2, "D": 1}
    assert resolved.source == "profile:demo" and "illustrative" in resolved.note


# --------------------------------------------------------------------------- coverage


def test_coverage_per_tier(engine: Engine) -> None:
    facts = [county(),
             shop("a", scale=OperatorScale.LARGE),
             assignment("aa", "a", tier=A, level=CadreLevel.CITY),
             visit("va", "a", "2023-03-01"),
             shop("b1", scale=OperatorScale.MEDIUM),            # unassigned: tier B by size
             shop("b2", scale=OperatorScale.SMALL),             # assigned B despite its size
             assignment("ab", "b2", tier=B, level=CadreLevel.COUNTY, signed=None),
             visit("vb", "b2", "2022-12-01"),                   # last year: not this period
             shop("other", region_code="130502")]
    rows = {c.tier: c for c in derived(run(engine, facts, DUTIES), "baobao_coverage").values()
            if c.region_code == COUNTY}
    assert set(rows) == set(BaobaoTier)
    a, b = rows[A], rows[B]
    assert (a.operators, a.covered, a.signed, a.visited, a.rate) == (1, 1, 1, 1, 100.0)
    assert (b.operators, b.covered, b.signed, b.visited, b.rate) == (2, 1, 0, 0, 0.0)
    assert b.uncovered_ids == ("b1",) and b.unvisited_ids == ("b1", "b2")
    assert rows[C].operators == 0 and rows[C].rate is None
    assert (a.period_start, a.period_end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_coverage_by_quarter() -> None:
    eng = engine_with(q=("national", {"INFER-BAOBAO-COVERAGE": {"granularity": "quarter"}}))
    facts = [county(), shop("a"), assignment("aa", "a"), visit("va", "a", "2023-09-30")]
    rows = derived(run(eng, facts, DUTIES, profile="q", as_of=d("2023-11-15")),
                   "baobao_coverage")
    row = rows[f"{COUNTY}:C:2023-10-01:2023-11-15"]
    assert (row.operators, row.visited) == (1, 0)
