"""Properties of the engine and the loaders on generated facts and bundles.

Determinism (input order never matters), locality (another county's facts
never change a county's findings), round trips (JSON, CSV and JSON Lines),
stable fingerprints, monotonicity (one more failed sample never helps, one
more day never clears a veto whose incident is still in the window), rule
boundaries and robustness (no rule fails on a valid bundle).

Hypothesis profiles: ``ci`` (the default: few examples, derandomized, well
under a minute on two cores) and ``deep`` (``FSRULES_HYPOTHESIS_PROFILE=deep``).
They are applied to this module's tests only, so other modules keep their
own settings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fsrules import (
    Engine,
    Fact,
    FactRef,
    LegalBasis,
    Period,
    Report,
    RuleContext,
    Ruleset,
    Subject,
    hookimpl,
    rule,
)
from fsrules.loading import dump_bundle, load_bundle
from fsrules.model import (
    BUILTIN_FACT_KINDS,
    IncidentLevel,
    IndicatorObservation,
    Region,
    SamplingKind,
    SamplingResult,
    Verdict,
    dump_fact,
    load_fact,
)
from fsrules.testing import strategies
from fsrules.testing.strategies import (
    FactBundle,
    division_codes,
    fact_bundles,
    incidents,
    parameter_value,
    pass_rate_batches,
    sampling_results,
    satisfaction_scores,
)
from fsrules_rulesets.metrics.facts import SamplingMetric

_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=20, derandomize=True, **_COMMON)
settings.register_profile("deep", max_examples=300, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("FSRULES_HYPOTHESIS_PROFILE", "ci"))

KINDS = {k.KIND: k for k in BUILTIN_FACT_KINDS}
WEIXIAN = "130533"


# --------------------------------------------------------------------------- engines


@rule(
    id="PROBE-001",
    version="1.0",
    title=("抽检指标探针", "Sampling metric probe"),
    severity="info",
    reads=[SamplingMetric],
    legal_basis=[LegalBasis(instrument="测试", note="test probe")],
    message=("{region} {kind} {pass_rate}", "{region} {kind} {pass_rate}"),
    lead=("测试",),
)
def _metric_probe(ctx: RuleContext) -> Iterator[object]:
    """One finding per SamplingMetric, carrying its exact pass rate."""
    for metric in ctx.facts.of_kind(SamplingMetric):
        yield ctx.finding(
            subject=Subject(kind="region", id=metric.region_code),
            facts=[FactRef.of(metric)],
            evidence={"region": metric.region_code, "kind": metric.sampling_kind.value,
                      "pass_rate": repr(metric.pass_rate), "passed": metric.passed,
                      "failed": metric.failed},
        )


class _ProbePlugin:
    """Exposes INFER-SAMPLING-METRICS output as findings (ruleset ``probe``, not default)."""

    @staticmethod
    @hookimpl
    def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
        register(Ruleset(id="probe", version="1", title=("探针", "Probe"),
                         rules=[_metric_probe], default=False))


ENGINE = Engine(profile="national")
PROBE_ENGINE = Engine(profile="national", plugins=[_ProbePlugin()])
#: The plan the boundary tests read their thresholds from (not constants beside the TOML).
BOUNDARY_PLAN = ENGINE.catalogue.plan(profile="national", as_of=dt.date(2023, 12, 31))
MIN_PASS_RATE = Fraction(str(parameter_value(BOUNDARY_PLAN, "VETO-005", "min_pass_rate")))
MIN_SCORE = parameter_value(BOUNDARY_PLAN, "VETO-004", "min_score")
WINDOW_YEARS = ENGINE.resolve_param(ENGINE.rule("VETO-002"), "window_years",
                                    dt.date(2023, 12, 31)).value
METRIC_MONTHS = ENGINE.resolve_param(ENGINE.rule("INFER-SAMPLING-METRICS"), "period_months",
                                     dt.date(2023, 12, 31)).value


def evaluate(facts: Iterable[Fact], as_of: dt.date) -> Report:
    return ENGINE.evaluate(list(facts), as_of=as_of)


def findings(report: Report, rule_id: str, subject: str | None = None) -> list[dict[str, Any]]:
    return [f for f in report.to_dict()["findings"] if f["rule_id"] == rule_id
            and (subject is None or f["subject"]["id"] == subject)]


def evaluative_rate(facts: Sequence[Fact], as_of: dt.date, region: str) -> float | None:
    """The evaluative pass rate INFER-SAMPLING-METRICS derives for ``region``."""
    report = PROBE_ENGINE.evaluate(list(facts), as_of=as_of, rulesets=["probe"])
    [metric] = [f for f in report.findings if f.evidence["region"] == region
                and f.evidence["kind"] == SamplingKind.EVALUATIVE.value]
    text = metric.evidence["pass_rate"]  # repr() of the float, unrounded
    return None if text == "None" else float(text)


def batches(passed: int, failed: int, region: str, day: dt.date) -> list[SamplingResult]:
    """Evaluative sampling results: ``failed`` failures first, then passes."""
    return [SamplingResult(id=f"B{i:06d}", region_code=region,
                           sampling_kind=SamplingKind.EVALUATIVE, sampled_on=day,
                           product_name="小麦粉",
                           verdict=Verdict.FAIL if i < failed else Verdict.PASS,
                           failed_items=("菌落总数",) if i < failed else ())
            for i in range(passed + failed)]


def weixian_bundles(**kwargs: Any) -> st.SearchStrategy[FactBundle]:
    return fact_bundles(region_codes=st.just(WEIXIAN), max_regions=1, **kwargs)


# --------------------------------------------------------------------------- determinism


@PROFILE
@given(bundle=fact_bundles(), data=st.data())
def test_shuffled_input_gives_an_identical_report(bundle: FactBundle,
                                                  data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(bundle.facts))
    expected = evaluate(bundle.facts, bundle.as_of).to_json()
    assert evaluate(shuffled, bundle.as_of).to_json() == expected
    assert evaluate(reversed(bundle.facts), bundle.as_of).to_json() == expected


@PROFILE
@given(data=st.data())
def test_an_unrelated_county_does_not_change_findings(data: st.DataObject) -> None:
    home = data.draw(weixian_bundles())
    neighbours = st.sampled_from(["130534", "130535", "130581"]) | division_codes(home.as_of)
    other = data.draw(fact_bundles(as_of=home.as_of, id_prefix="X-",
                                   region_codes=neighbours.filter(lambda c: c != WEIXIAN)))
    assert WEIXIAN not in other.region_codes

    def mine(report: Report) -> list[dict[str, Any]]:
        return [f for f in report.to_dict()["findings"]
                if f["subject"]["region_code"] == WEIXIAN or f["subject"]["id"] == WEIXIAN]

    alone = evaluate(home.facts, home.as_of)
    together = evaluate([*home.facts, *other.facts], home.as_of)
    assert mine(together) == mine(alone)
    assert together.rule_errors == ()


@PROFILE
@given(bundle=fact_bundles())
def test_fingerprints_are_stable_across_runs_and_order(bundle: FactBundle) -> None:
    first = evaluate(bundle.facts, bundle.as_of)
    again = evaluate(reversed(bundle.facts), bundle.as_of)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in again.findings]
    for finding in first.findings:
        assert finding.fingerprint == finding.compute_fingerprint()
        assert attrs.evolve(finding, fingerprint="").fingerprint == finding.fingerprint
    fresh = Engine(profile="national").evaluate(list(bundle.facts), as_of=bundle.as_of)
    assert [f.fingerprint for f in fresh.findings] == [f.fingerprint for f in first.findings]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("kind", BUILTIN_FACT_KINDS, ids=lambda k: k.KIND)
@PROFILE
@given(data=st.data())
def test_every_kind_round_trips(kind: type[Fact], data: st.DataObject) -> None:
    items = data.draw(st.lists(getattr(strategies, f"{kind.KIND}s")(), min_size=1,
                               max_size=3, unique_by=lambda f: f.id))
    for fact in items:
        dumped = dump_fact(fact)
        loaded = load_fact(json.loads(json.dumps(dumped, ensure_ascii=False)), KINDS)
        assert loaded == fact
        assert dump_fact(loaded) == dumped
    expected = tuple(sorted(items, key=lambda f: f.id))
    for fmt in ("csv", "jsonl"):
        with tempfile.TemporaryDirectory() as tmp:
            dump_bundle(items, tmp, fmt=fmt)
            result = load_bundle(tmp)
            assert result.diagnostics == (), [d.message.en for d in result.diagnostics]
            assert result.facts == expected


def _bundle_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@PROFILE
@given(bundle=fact_bundles())
def test_bundles_round_trip_through_csv_and_jsonl(bundle: FactBundle) -> None:
    for fmt in ("csv", "jsonl"):
        with tempfile.TemporaryDirectory() as tmp:
            first, second = Path(tmp, "first"), Path(tmp, "second")
            dump_bundle(bundle.facts, first, fmt=fmt)
            # as_of: division codes are checked on every record's date.
            result = load_bundle(first, as_of=bundle.as_of)
            assert result.diagnostics == (), [d.message.en for d in result.diagnostics]
            assert result.facts == bundle.facts
            dump_bundle(result.facts, second, fmt=fmt)
            assert _bundle_files(second) == _bundle_files(first)


# --------------------------------------------------------------------------- robustness


@PROFILE
@given(bundle=fact_bundles(min_operators=0, max_operators=6, max_regions=3))
def test_no_rule_fails_on_a_valid_bundle(bundle: FactBundle) -> None:
    report = evaluate(bundle.facts, bundle.as_of)
    # A rule may be out of force on the bundle's date, or skipped for a parameter
    # the national profile leaves open (包保 frequencies); it may never fail.
    assert report.rule_errors == (), [d.message.en for d in report.rule_errors]
    assert {s.status for s in report.rule_stats} <= {"ran", "not_in_force", "skipped"}
    assert any(s.status == "ran" for s in report.rule_stats)
    known = {f.id for f in bundle.facts} | {r.code for r in bundle.of_kind(Region)}
    assert {f.subject.id for f in report.findings} <= known


# --------------------------------------------------------------------------- monotonicity


@PROFILE
@given(bundle=weixian_bundles(), base=pass_rate_batches(max_batches=60), data=st.data())
def test_one_more_failed_sample_never_helps(bundle: FactBundle, base: tuple[int, int],
                                            data: st.DataObject) -> None:
    window = Period.ending(bundle.as_of, months=METRIC_MONTHS)
    before = [*bundle.facts, *batches(*base, WEIXIAN, window.end)]
    extra = data.draw(sampling_results(
        id=st.just("EXTRA-FAIL"), region_code=st.just(WEIXIAN),
        sampling_kind=st.just(SamplingKind.EVALUATIVE), verdict=st.just(Verdict.FAIL),
        sampled_on=st.dates(window.start, window.end), min_date=window.start,
        max_date=window.end))
    after = [*before, extra]

    rate_before = evaluative_rate(before, bundle.as_of, WEIXIAN)
    rate_after = evaluative_rate(after, bundle.as_of, WEIXIAN)
    assert rate_before is not None and rate_after is not None
    assert rate_after <= rate_before

    def vetoed(facts: Sequence[Fact]) -> bool:
        found = findings(evaluate(facts, bundle.as_of), "VETO-005", WEIXIAN)
        return any(f["severity"] == "critical" for f in found)

    if vetoed(before):
        assert vetoed(after)


def _major_incidents(code: str, start: dt.date, end: dt.date) -> st.SearchStrategy[Fact]:
    """Incidents of level II or worse: recorded, or derived from the numbers."""
    common: dict[str, st.SearchStrategy[Any]] = {
        "id": st.just("MAJOR"), "region_code": st.just(code),
        "occurred_on": st.dates(start, end)}
    recorded = incidents(level=st.sampled_from([IncidentLevel.I, IncidentLevel.II]),
                         min_date=start, max_date=end, **common)
    derived = incidents(level=st.none(), ill=st.integers(100, 500), deaths=st.integers(1, 5),
                        min_date=start, max_date=end, **common)
    return recorded | derived


@PROFILE
@given(bundle=fact_bundles(max_regions=1), data=st.data())
def test_a_day_later_never_clears_a_veto_still_in_the_window(bundle: FactBundle,
                                                            data: st.DataObject) -> None:
    code = bundle.region_codes[0]
    tomorrow = bundle.as_of + dt.timedelta(days=1)
    still_in = Period.ending(tomorrow, years=WINDOW_YEARS)
    major = data.draw(_major_incidents(code, still_in.start, bundle.as_of))
    facts = [*bundle.facts, major]

    # the veto itself (an info finding may flag a recorded level below its numbers)
    today_found = [f for f in findings(evaluate(facts, bundle.as_of), "VETO-002", code)
                   if f["severity"] == "critical"]
    tomorrow_found = [f for f in findings(evaluate(facts, tomorrow), "VETO-002", code)
                      if f["severity"] == "critical"]
    assert len(today_found) == 1 and len(tomorrow_found) == 1
    assert "MAJOR" in today_found[0]["evidence"]["incident_ids"]
    assert "MAJOR" in tomorrow_found[0]["evidence"]["incident_ids"]
    # Every incident that stays in the window keeps counting.
    occurred = {f.id: f.fact_date for f in facts if f.KIND == "incident"}
    kept = {i for i in today_found[0]["evidence"]["incident_ids"]
            if (occurred[i] or dt.date.min) >= still_in.start}
    assert kept <= set(tomorrow_found[0]["evidence"]["incident_ids"])


# --------------------------------------------------------------------------- boundaries


def _region_with(facts: Sequence[Fact], as_of: dt.date = dt.date(2023, 12, 31)) -> Report:
    return evaluate([Region(id=WEIXIAN, code=WEIXIAN, name="威县"), *facts], as_of)


@PROFILE
@given(pass_rate_batches(plan=BOUNDARY_PLAN))
def test_veto_005_fires_exactly_below_98_percent(pair: tuple[int, int]) -> None:
    passed, failed = pair
    found = findings(_region_with(batches(passed, failed, WEIXIAN, dt.date(2023, 6, 1))),
                     "VETO-005", WEIXIAN)
    below = 100 * passed < MIN_PASS_RATE * (passed + failed)  # exact: "未达到98%"
    assert [f["severity"] for f in found] == (["critical"] if below else [])


@PROFILE
@given(pass_rate_batches(plan=BOUNDARY_PLAN))
@example((979, 20))
def test_veto_005_reports_a_rate_below_the_minimum(pair: tuple[int, int]) -> None:
    found = findings(_region_with(batches(*pair, WEIXIAN, dt.date(2023, 6, 1))),
                     "VETO-005", WEIXIAN)
    for finding in found:
        evidence = finding["evidence"]
        assert evidence["pass_rate"] < evidence["min_pass_rate"], finding["message"]["en"]


def test_veto_005_compares_the_exact_rate() -> None:
    found = findings(_region_with(batches(39_248, 801, WEIXIAN, dt.date(2023, 6, 1))),
                     "VETO-005", WEIXIAN)
    assert [f["severity"] for f in found] == ["critical"]


def _satisfaction(score: float) -> IndicatorObservation:
    return IndicatorObservation(id="obs-satisfaction", region_code=WEIXIAN,
                                indicator="satisfaction", period_start=dt.date(2023, 1, 1),
                                period_end=dt.date(2023, 11, 30), value=score)


@PROFILE
@given(satisfaction_scores(plan=BOUNDARY_PLAN))
def test_veto_004_fires_exactly_below_80(score: float) -> None:
    found = findings(_region_with([_satisfaction(score)]), "VETO-004", WEIXIAN)
    assert [f["severity"] for f in found] == (["critical"] if score < MIN_SCORE else [])


@PROFILE
@given(satisfaction_scores(plan=BOUNDARY_PLAN))
@example(79.99999999999999)
def test_veto_004_reports_a_score_below_the_minimum(score: float) -> None:
    for finding in findings(_region_with([_satisfaction(score)]), "VETO-004", WEIXIAN):
        evidence = finding["evidence"]
        assert evidence["score"] < evidence["min_score"], finding["message"]["zh"]
        assert evidence["gap"] > 0, finding["message"]["zh"]
