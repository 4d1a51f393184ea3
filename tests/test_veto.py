"""The veto ruleset: each item fires and stays quiet, with the right content."""

from __future__ import annotations

import datetime as dt

import pytest

from fsrules import Engine, Finding, Report, Severity
from fsrules.model import ChecklistStatus, IncidentCategory, IncidentLevel, SamplingKind

from .conftest import AS_OF, incident, observation, region, samples


def run(engine: Engine, facts: list, **kw: object) -> Report:
    return engine.evaluate(facts, as_of=AS_OF, rulesets=["veto"], **kw)  # type: ignore[arg-type]


def only(report: Report, rule_id: str) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


def quiet_baseline() -> list:
    """A county that passes every veto item."""
    return [
        region(),
        *samples(99, 1),
        observation("satisfaction", 85.0),
        observation("leaders_duties", status=ChecklistStatus.DONE),
    ]


def test_baseline_is_quiet(engine: Engine) -> None:
    report = run(engine, quiet_baseline())
    assert report.findings == ()
    assert report.diagnostics == ()
    assert {s.rule_id: s.status for s in report.rule_stats}["VETO-005"] == "ran"


# --- VETO-001 -------------------------------------------------------------------------


def test_veto_001_fires_on_recorded_failure(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if f.id != "obs-leaders_duties"]
    facts.append(observation("leaders_duties", status=ChecklistStatus.NOT_DONE,
                             evidence_ref="巡察报告〔2023〕5号"))
    [f] = only(run(engine, facts), "VETO-001")
    assert f.subject.id == "130533"
    assert f.evidence["status"] == "not_done"
    assert f.evidence["evidence_ref"] == "巡察报告〔2023〕5号"
    assert "巡察报告〔2023〕5号" in f.message.zh
    assert f.lead_departments == ("县食药安办",)
    assert any("否决项" in (b.article or "") and b.item == "第1项" for b in f.legal_basis)


def test_veto_001_quiet_when_done(engine: Engine) -> None:
    assert only(run(engine, quiet_baseline()), "VETO-001") == []


@pytest.mark.parametrize("why", ["no record", "status not recorded", "outside the window",
                                 "another region's record"])
def test_veto_001_without_a_judgement_is_no_data_not_met(engine: Engine, why: str) -> None:
    """Nothing to judge item 1 on is "no data", as for items 4 and 5 (issue 10, defect 5)."""
    facts = [f for f in quiet_baseline() if f.id != "obs-leaders_duties"]
    if why == "status not recorded":
        facts.append(observation("leaders_duties"))
    elif why == "outside the window":
        facts.append(observation("leaders_duties", status=ChecklistStatus.DONE,
                                 period_start=dt.date(2019, 1, 1),
                                 period_end=dt.date(2019, 12, 31)))
    elif why == "another region's record":
        facts.append(observation("leaders_duties", status=ChecklistStatus.DONE,
                                 region_code="130532"))
    [f] = only(run(engine, facts), "VETO-001")
    assert f.severity is Severity.INFO
    assert f.subject.id == "130533"
    assert f.evidence == {"indicator": "leaders_duties", "status": "no_data"}
    assert "无法判断否决项1" in f.message.zh and "cannot be judged" in f.message.en
    assert any(b.item == "第1项" for b in f.legal_basis)


# --- VETO-002 -------------------------------------------------------------------------


def test_veto_002_fires_on_derived_level_ii(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("inc-big", ill=120, deaths=1)]
    [f] = only(run(engine, facts), "VETO-002")
    assert f.severity is Severity.CRITICAL
    assert f.evidence["incident_ids"] == ["inc-big"]
    assert f.evidence["levels"] == ["II"]
    assert f.evidence["level_sources"] == ["derived"]
    assert f.evidence["criteria"] == [["ill_deaths_level_ii"]]
    assert f.period is not None and f.period.start == dt.date(2021, 1, 1)
    assert any(b.article == "第一百零二条" for b in f.legal_basis)


def test_veto_002_uses_recorded_level(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("inc-rec", ill=3, level=IncidentLevel.II)]
    [f] = only(run(engine, facts), "VETO-002")
    assert f.evidence["level_sources"] == ["recorded"]


@pytest.mark.parametrize(
    ("ill", "deaths", "occurred"),
    [
        (100, 0, dt.date(2022, 6, 1)),      # level III only (≥100 ill, no death)
        (99, 1, dt.date(2022, 6, 1)),       # a death makes it III, not II
        (120, 1, dt.date(2020, 12, 31)),    # level II but outside the 3-year window
    ],
)
def test_veto_002_quiet(engine: Engine, ill: int, deaths: int, occurred: dt.date) -> None:
    facts = [*quiet_baseline(), incident("inc", ill=ill, deaths=deaths, occurred_on=occurred)]
    assert only(run(engine, facts), "VETO-002") == []


def test_veto_002_other_region_does_not_count(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("inc", ill=150, deaths=2, region_code="130502")]
    assert only(run(engine, facts), "VETO-002") == []


# --- VETO-003 -------------------------------------------------------------------------


def test_veto_003_fires_on_flagged_campus_event(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("campus", category=IncidentCategory.CAMPUS,
                                         serious_social_impact=True, ill=12)]
    [f] = only(run(engine, facts), "VETO-003")
    assert f.evidence["incident_ids"] == ["campus"]
    assert f.evidence["categories"] == ["campus"]
    assert "校园食品安全" in f.message.zh


def test_veto_003_quiet_without_flag(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("campus", category=IncidentCategory.CAMPUS, ill=12)]
    assert only(run(engine, facts), "VETO-003") == []


# --- VETO-004 -------------------------------------------------------------------------


def test_veto_004_fires_below_80(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if f.id != "obs-satisfaction"]
    facts.append(observation("satisfaction", 78.4))
    [f] = only(run(engine, facts), "VETO-004")
    assert f.evidence == {"score": 78.4, "min_score": 80, "gap": 1.6, "indicator": "satisfaction"}
    assert "差 1.6 分" in f.message.zh


def test_veto_004_quiet_at_exactly_80(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if f.id != "obs-satisfaction"]
    facts.append(observation("satisfaction", 80.0))
    assert only(run(engine, facts), "VETO-004") == []


def test_veto_004_no_data_is_info(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if f.id != "obs-satisfaction"]
    [f] = only(run(engine, facts), "VETO-004")
    assert f.severity is Severity.INFO
    assert f.evidence["status"] == "no_data"


# --- VETO-005 -------------------------------------------------------------------------


def test_veto_005_fires_below_98(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if not f.id.startswith("s")]
    facts += samples(97, 3)
    [f] = only(run(engine, facts), "VETO-005")
    assert f.evidence["pass_rate"] == 97
    assert f.evidence["passed"] == 97 and f.evidence["failed"] == 3
    assert f.evidence["failed_sampling_ids"] == ["s00000", "s00001", "s00002"]
    assert f.lead_departments == ("县市场监管局",)
    assert f.responsible_departments == ("县农业农村局",)
    assert f.period is not None and (f.period.start, f.period.end) == (
        dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_veto_005_quiet_at_exactly_98(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if not f.id.startswith("s")]
    facts += samples(49, 1)   # 98.0 %
    assert only(run(engine, facts), "VETO-005") == []


def test_veto_005_ignores_supervisory_and_monitoring(engine: Engine) -> None:
    facts = [*quiet_baseline(),
             *samples(0, 30, kind=SamplingKind.SUPERVISORY, prefix="sup"),
             *samples(0, 30, kind=SamplingKind.RISK_MONITORING, prefix="mon")]
    assert only(run(engine, facts), "VETO-005") == []


def test_veto_005_no_evaluative_data_is_info(engine: Engine) -> None:
    facts = [f for f in quiet_baseline() if not f.id.startswith("s")]
    [f] = only(run(engine, facts), "VETO-005")
    assert f.severity is Severity.INFO and f.evidence["status"] == "no_data"


def test_profile_overrides_threshold() -> None:
    """A profile can raise the bar; the finding cites the new threshold."""
    from fsrules import Profile, hookimpl

    class StrictCounty:
        @staticmethod
        @hookimpl
        def fsrules_register_profiles(register):  # type: ignore[no-untyped-def]
            register(Profile.from_mapping(
                {"name": "strict", "extends": "national"},
                {"VETO-005": {"min_pass_rate": 99.5}}))

    eng = Engine(plugins=[StrictCounty()], profile="strict")
    facts = [region(), *samples(99, 1)]
    [f] = only(eng.evaluate(facts, as_of=AS_OF, rulesets=["veto"]), "VETO-005")
    assert f.evidence["min_pass_rate"] == 99.5
    params = {(p.rule_id, p.name): p for p in
              eng.evaluate(facts, as_of=AS_OF, rulesets=["veto"]).provenance.parameters}
    assert params[("VETO-005", "min_pass_rate")].source == "profile:strict"


# --- issue 10: a recorded level below its own numbers -----------------------------------


def _veto(report: Report) -> list[Finding]:
    return [f for f in only(report, "VETO-002") if f.severity is Severity.CRITICAL]


def _contradictions(report: Report) -> list[Finding]:
    return [f for f in only(report, "VETO-002")
            if f.evidence.get("status") == "level_below_criteria"]


def test_veto_002_recorded_level_below_criteria_still_vetoes(engine: Engine) -> None:
    """150 ill and a death is level II whatever the record says (issue 10, defect 1)."""
    facts = [*quiet_baseline(), incident("inc-low", ill=150, deaths=1, level=IncidentLevel.IV,
                                         occurred_on=dt.date(2023, 6, 1))]
    report = run(engine, facts)
    [veto] = _veto(report)
    assert veto.evidence["incident_ids"] == ["inc-low"]
    assert veto.evidence["levels"] == ["II"]
    assert veto.evidence["level_sources"] == ["criteria_above_record"]
    assert "inc-low" in veto.message.zh  # the info finding below says 记录为一般 (typed evidence)
    [note] = _contradictions(report)
    assert note.severity is Severity.INFO
    assert note.evidence["incident"] == "inc-low"
    assert (note.evidence["recorded_level"], note.evidence["criteria_level"]) == ("IV", "II")
    assert (note.evidence["ill"], note.evidence["deaths"]) == (150, 1)
    for text in ("inc-low", "150", "一般", "重大"):
        assert text in note.message.zh
    assert "level IV" in note.message.en and "level II" in note.message.en
    assert note.fingerprint != veto.fingerprint


def test_recorded_level_below_criteria_below_veto_is_flagged_without_veto(
        engine: Engine) -> None:
    """Recorded IV, numbers meet III: no veto (III is below 重大), but the contradiction shows."""
    facts = [*quiet_baseline(), incident("inc-iii", ill=120, level=IncidentLevel.IV)]
    report = run(engine, facts)
    assert _veto(report) == []
    [note] = _contradictions(report)
    assert (note.evidence["recorded_level"], note.evidence["criteria_level"]) == ("IV", "III")


def test_recorded_level_above_criteria_stands(engine: Engine) -> None:
    """The office may know more: a recorded II with 3 ill stays II, no contradiction."""
    facts = [*quiet_baseline(), incident("inc-rec", ill=3, level=IncidentLevel.II)]
    report = run(engine, facts)
    assert _contradictions(report) == []
    [veto] = _veto(report)
    assert veto.evidence["level_sources"] == ["recorded"]


def test_recorded_level_equal_to_criteria_is_no_contradiction(engine: Engine) -> None:
    facts = [*quiet_baseline(), incident("inc-eq", ill=120, deaths=1, level=IncidentLevel.II)]
    report = run(engine, facts)
    assert _contradictions(report) == []
    assert _veto(report)[0].evidence["level_sources"] == ["recorded"]
