"""The testing kit derived from the model: every registered kind, boundaries read from a plan.

* every kind an engine registers (built-in, and the rulesets' own kinds) gets a
  strategy whose facts are valid and round-trip through JSON, and a builder;
* boundary strategies straddle the value a plan resolved, so a profile that
  moves a threshold moves the boundary under test with it (VETO-004, VETO-005).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from fsrules import Fact, Plan, Profile, Severity, hookimpl
from fsrules.model import (
    BUILTIN_FACT_KINDS,
    IndicatorObservation,
    Region,
    SamplingKind,
    Verdict,
    dump_fact,
    load_fact,
)
from fsrules.testing import FactBuilder, FactKit, isolated_engine
from fsrules.testing.strategies import (
    around,
    diner_counts,
    parameter_value,
    pass_rate_batches,
    sample_weights,
    satisfaction_scores,
)

SETTINGS = settings(max_examples=15, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
KIT = FactKit.for_plugins()
RULESET_KINDS = sorted(set(KIT.kinds) - {k.KIND for k in BUILTIN_FACT_KINDS})
WEIXIAN = "130533"
AS_OF = dt.date(2023, 12, 31)


class StrictCounty:
    """A county profile that raises two veto thresholds."""

    __name__ = "strict_county"

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping(
            {"name": "strict", "extends": "national"},
            {"VETO-005": {"min_pass_rate": 99.5}, "VETO-004": {"min_score": 85.0}}))


ENGINE = isolated_engine(StrictCounty())
STRICT: Plan = ENGINE.catalogue.plan(profile="strict", as_of=AS_OF)
NATIONAL: Plan = ENGINE.catalogue.plan(profile="national", as_of=AS_OF)


# --------------------------------------------------------------------------- every kind


def test_the_rulesets_bring_kinds_of_their_own() -> None:
    assert len(RULESET_KINDS) >= 10, RULESET_KINDS


@pytest.mark.parametrize("kind", sorted(KIT.kinds))
def test_every_registered_kind_gets_a_strategy(kind: str) -> None:
    cls = KIT.kind(kind)

    @SETTINGS
    @given(KIT.strategy(kind, min_date=dt.date(2021, 1, 1), max_date=AS_OF))
    def valid(fact: Fact) -> None:
        assert isinstance(fact, cls)
        assert load_fact(dump_fact(fact), KIT.kinds) == fact
        day = fact.fact_date
        assert day is None or dt.date(2021, 1, 1) <= day <= AS_OF

    valid()


@pytest.mark.parametrize("kind", RULESET_KINDS)
def test_every_ruleset_kind_gets_a_builder(kind: str) -> None:
    build = KIT.builder()
    build.operator()
    fact = build.fact(kind)
    assert kind == fact.KIND and fact.id == f"{kind}-1"
    assert build.fact(kind).id == f"{kind}-2"


def test_a_builder_without_the_kit_names_the_kinds_it_knows() -> None:
    with pytest.raises(Exception, match="risk_factor"):
        FactBuilder().fact("risk_factor")
    assert FactKit().builder().fact("operator").KIND == "operator"


# --------------------------------------------------------------------------- boundaries


def test_parameter_value_reads_the_plan() -> None:
    assert parameter_value(STRICT, "VETO-005", "min_pass_rate") == 99.5
    assert parameter_value(NATIONAL, "VETO-005", "min_pass_rate") == 98.0
    with pytest.raises(InvalidArgument, match="no parameter 'min_rate'; its parameters: "
                                              "min_pass_rate"):
        parameter_value(STRICT, "VETO-005", "min_rate")
    with pytest.raises(InvalidArgument, match="NOPE-001 is not in the plan"):
        parameter_value(STRICT, "NOPE-001", "x")


@pytest.mark.parametrize(("plan", "rule_id", "name", "expected"), [
    (STRICT, "VETO-004", "min_score", 85.0),
    (NATIONAL, "VETO-004", "min_score", 80.0),
    (STRICT, "VETO-005", "min_pass_rate", 99.5),
    (NATIONAL, "SCHOOL-003", "min_weight_g", 125.0),
])
def test_around_straddles_the_resolved_value(plan: Plan, rule_id: str, name: str,
                                             expected: float) -> None:
    seen: set[str] = set()

    @settings(max_examples=200, database=None, derandomize=True)
    @given(around(plan, rule_id, name))
    def straddles(value: float) -> None:
        assert abs(value - expected) <= 1.0
        seen.add("below" if value < expected else "at" if value == expected else "above")

    straddles()
    assert seen == {"below", "at", "above"}


def test_around_an_int_parameter_and_a_table_parameter() -> None:
    plan = ENGINE.catalogue.plan(profile="national", as_of=AS_OF)
    ints = [(r.id, p.name) for r in plan.rules for p in r.parameters
            if p.type == "int" and (r.id, p.name) in plan.parameters]
    rule_id, name = ints[0]
    value = parameter_value(plan, rule_id, name)

    @settings(max_examples=30, database=None, derandomize=True)
    @given(around(plan, rule_id, name))
    def near(n: int) -> None:
        assert isinstance(n, int) and abs(n - value) <= 1

    near()
    tables = [(r.id, p.name) for r in plan.rules for p in r.parameters
              if p.type in ("table", "list") and (r.id, p.name) in plan.parameters]
    with pytest.raises(InvalidArgument, match="straddles int and float"):
        around(plan, *tables[0])


@pytest.mark.parametrize(("make", "threshold"), [(satisfaction_scores, 80.0),
                                                  (sample_weights, 125.0)])
def test_boundary_strategies_default_to_the_national_values(
        make: Callable[[], SearchStrategy[float]], threshold: float) -> None:
    values: list[float] = []

    @settings(database=None, max_examples=300, derandomize=True)
    @given(make())
    def collect(v: float) -> None:
        values.append(v)

    collect()
    assert min(values) < threshold < max(values) and threshold in values


def _samples(passed: int, failed: int) -> list[Fact]:
    build = FactBuilder(region_code=WEIXIAN)
    out: list[Fact] = [Region(id=WEIXIAN, code=WEIXIAN, name="威县")]
    for i in range(passed + failed):
        out.append(build.sampling_result(
            f"S{i}", sampling_kind=SamplingKind.EVALUATIVE, sampled_on=dt.date(2023, 6, 1),
            verdict=Verdict.PASS if i < passed else Verdict.FAIL))
    return out


def _severities(plan: Plan, facts: list[Fact], rule_id: str) -> list[Severity]:
    report = plan.run(facts)
    return [f.severity for f in report.findings
            if f.rule_id == rule_id and f.subject.id == WEIXIAN]


@SETTINGS
@given(pass_rate_batches(plan=STRICT, max_batches=60))
def test_veto_005_follows_the_profile_threshold(pair: tuple[int, int]) -> None:
    """Under a 99.5 % profile, VETO-005 fires exactly below 99.5 %, not below 98 %."""
    passed, failed = pair
    rate = Fraction(100 * passed, passed + failed)
    threshold = Fraction(str(parameter_value(STRICT, "VETO-005", "min_pass_rate")))
    found = _severities(STRICT, _samples(passed, failed), "VETO-005")
    assert (Severity.CRITICAL in found) == (rate < threshold)


@SETTINGS
@given(satisfaction_scores(plan=STRICT))
def test_veto_004_follows_the_profile_threshold(score: float) -> None:
    observation = IndicatorObservation(
        id="obs", region_code=WEIXIAN, indicator="satisfaction",
        period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 11, 30), value=score)
    facts: list[Fact] = [Region(id=WEIXIAN, code=WEIXIAN, name="威县"), observation]
    found = _severities(STRICT, facts, "VETO-004")
    assert (Severity.CRITICAL in found) == (score < 85.0)


def test_an_explicit_threshold_wins_over_the_plan() -> None:
    @settings(max_examples=50, database=None, derandomize=True)
    @given(satisfaction_scores(70.0, plan=STRICT))
    def near_70(score: float) -> None:
        assert math.isclose(score, 70.0, abs_tol=1.0)

    near_70()


def test_unused_strategy_arguments_fail_early() -> None:
    with pytest.raises(InvalidArgument):
        pass_rate_batches(plan=STRICT, max_batches=0)
    with pytest.raises(InvalidArgument, match="SCBQ-001 is not in the plan"):
        diner_counts(plan=STRICT)
