"""The territorial ruleset (issue 16): registration, open values, the demo county, the 红黑榜.

Every rule fires and stays quiet in tests/scenarios/scenario_territorial*.toml;
this file checks what scenarios cannot: that a profile without the values the
seeds leave open skips those rules and says how to set them, the demo county's
planted problems, and the ranking.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from fsrules import Engine, Period, Report, load_catalogue
from fsrules.cli import main
from fsrules.loading import LoadResult
from fsrules.model import BUILTIN_FACT_KINDS
from fsrules_rulesets.demo_city.summary import write_summary, write_summary_json
from fsrules_rulesets.territorial import RULESET, red_black, render_red_black
from fsrules_rulesets.territorial._common import calendar_periods, period_label, quarter_of
from fsrules_rulesets.territorial.facts import ALL_FACT_KINDS, TownshipRoster

from .conftest import AS_OF, REPO

BUNDLE = REPO / "examples" / "weixian"

#: Rules whose values the seeds leave open (?): skipped without a profile that sets them.
OPEN_VALUES = {
    "TERR-101": "max_age_months", "TERR-102": "max_age_months", "TERR-103": "max_age_months",
    "TERR-202": "min_rate_percent", "TERR-203": "min_rate_percent", "TERR-306": "cadence",
    "TERR-401": "min_hours", "TERR-501": "min_share_percent", "TERR-502": "max_days",
    "TERR-601": "milestones", "TERR-602": "deliverables", "TERR-603": "deliverables",
    "TERR-701": "targets", "TERR-702": "targets", "INFER-TERR-001": "severity_weights",
}

#: (rule, subject id) of each problem planted in the demo county (examples/weixian/README.md).
PLANTED = {
    ("TERR-101", "130533111000"), ("TERR-101", "130533102000"), ("TERR-102", "WXDEP06"),
    ("TERR-201", "130533105000"), ("TERR-201", "130533104000"),
    ("TERR-202", "130533105000"), ("TERR-301", "130533"), ("TERR-304", "130533"),
    ("TERR-306", "130533108000"), ("TERR-306", "130533110000"), ("TERR-501", "130533"),
    ("TERR-502", "130533"), ("TERR-602", "130533209000"), ("TERR-603", "WXDEP07"),
    ("TERR-701", "130533"), ("TERR-702", "130533"),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(profile="demo")


@pytest.fixture(scope="module")
def loaded(engine: Engine) -> LoadResult:
    return engine.load([BUNDLE], as_of=AS_OF)


@pytest.fixture(scope="module")
def demo(engine: Engine, loaded: LoadResult) -> Report:
    return engine.evaluate(loaded, as_of=AS_OF, profile="demo")


# --------------------------------------------------------------------------- registration


def test_fact_kinds_come_through_the_registration_hook_not_the_core() -> None:
    catalogue = load_catalogue(environ={})
    core = {k.KIND for k in BUILTIN_FACT_KINDS}
    for kind in ALL_FACT_KINDS:
        assert kind.KIND.startswith("territorial_") and kind.KIND not in core
        assert catalogue.fact_kinds[kind.KIND] is kind
    assert not RULESET.fact_kinds  # registered by fsrules_register_fact_kinds, not the ruleset
    assert not RULESET.default     # runs when selected (the demo profile selects it)
    ids = {r.id for r in RULESET.rules}
    assert {"INFER-TERR-001", "TERR-101", "TERR-305", "TERR-702"} <= ids
    for r in RULESET.rules:
        assert r.legal_basis and all(b.confidence.value in "VC" for b in r.legal_basis)


# --------------------------------------------------------------------------- open values


def test_without_the_open_values_the_rules_are_skipped_and_say_how_to_set_them(
        loaded: LoadResult) -> None:
    report = Engine(profile="national").evaluate(loaded, as_of=AS_OF, profile="national",
                                                 rulesets=["territorial"])
    status = {s.rule_id: s.status for s in report.rule_stats}
    hints = {d.rule_id: d for d in report.diagnostics if d.code == "rule.missing_parameter"}
    for rule_id, name in OPEN_VALUES.items():
        assert status[rule_id] == "skipped", rule_id
        diag = hints[rule_id]
        assert name in diag.message.en and rule_id in diag.message.zh
        assert diag.hint is not None
        assert f'[parameters."{rule_id}"]' in diag.hint.zh and "--profile" in diag.hint.zh
        assert not [f for f in report.findings if f.rule_id == rule_id]
    # the cadence of the seeds (V) needs no profile: it runs and finds the demo's gaps
    assert {status[r] for r in ("TERR-201", "TERR-301", "TERR-304")} == {"ran"}
    assert {f.rule_id for f in report.findings} == {"TERR-201", "TERR-301", "TERR-304"}
    assert red_black(report) == []  # no weights, no ranking


# --------------------------------------------------------------------------- the demo county


def test_demo_county_shows_each_planted_problem(demo: Report) -> None:
    fired = {(f.rule_id, f.subject.id) for f in demo.findings if f.ruleset == "territorial"}
    assert fired >= PLANTED, sorted(PLANTED - fired)
    counts = Counter(f.rule_id for f in demo.findings if f.ruleset == "territorial")
    assert counts == {"TERR-101": 2, "TERR-102": 1, "TERR-103": 3, "TERR-201": 3,
                      "TERR-202": 2, "TERR-301": 1, "TERR-304": 1, "TERR-306": 3,
                      "TERR-401": 5, "TERR-501": 1, "TERR-502": 2, "TERR-602": 1,
                      "TERR-603": 1, "TERR-701": 2, "TERR-702": 1}
    stale = next(f for f in demo.findings if f.rule_id == "TERR-101"
                 and f.subject.name == "章台镇")
    assert stale.evidence["status"] == "out_of_date"
    assert stale.evidence["issued_on"] == "2022-03-15"
    assert stale.legal_basis[0].confidence.value == "C"
    (share,) = [f for f in demo.findings if f.rule_id == "TERR-501"]
    assert share.evidence["recorded"] == 531 and share.evidence["unannounced"] == 89
    assert share.evidence["share_percent"] < share.evidence["min_share_percent"] == 20
    assert any(b.article == "第二十二条" for b in share.legal_basis)
    insurance = {f.evidence["sector"]: f for f in demo.findings if f.rule_id == "TERR-701"}
    assert set(insurance) == {"rural_banquets", "school_canteens"}
    assert insurance["rural_banquets"].evidence["covered"] == 4
    assert any(b.item == "22" for b in insurance["rural_banquets"].legal_basis)
    # evidence is data: no rendered text in it
    for f in demo.findings:
        if f.ruleset == "territorial":
            assert not [k for k in f.evidence if k.endswith(("_zh", "_en", "_text"))], f.rule_id


def test_the_county_report_due_at_the_end_of_2023_is_overdue_a_month_later(
        engine: Engine) -> None:
    day = dt.date(2024, 1, 31)
    report = engine.evaluate(engine.load([BUNDLE], as_of=day), as_of=day, profile="demo")
    overdue = [f for f in report.findings if f.rule_id == "TERR-601"]
    assert [(f.evidence["milestone"], f.evidence["days_overdue"]) for f in overdue] == [
        ("county_self_report", 31)]
    assert overdue[0].due_date == dt.date(2023, 12, 31)


# --------------------------------------------------------------------------- 红黑榜


def test_red_black_ranks_townships_by_their_weighted_findings(demo: Report) -> None:
    [board] = red_black(demo)
    assert (board.county_code, board.county_name, board.quarter) == ("130533", "威县",
                                                                       "2023Q4")
    assert len(board.townships) == 16 and [t.rank for t in board.townships] == list(
        range(1, 17))
    scores = [t.score for t in board.townships]
    assert scores == sorted(scores)
    assert [t.board for t in board.townships].count("red") == 3
    assert [t.board for t in board.townships].count("black") == 3
    assert board.townships[-1].name == "洺州镇"  # the county seat holds most operators
    assert "贺营镇" in {t.name for t in board.black}
    # the score of a township, recomputed by hand from the weights of the demo profile
    rosters = {r.name: r for r in demo.derived_of_kind(TownshipRoster)
               if isinstance(r, TownshipRoster)}
    heying = rosters["贺营镇"]
    mine = [f for f in demo.findings
            if (f.subject.kind == "township" and f.subject.id == heying.township_id)
            or (f.subject.kind == "operator" and f.subject.id in heying.operator_ids)
            or f.evidence.get("township_id") == heying.township_id]
    weights = {"critical": 10, "high": 5, "medium": 2, "low": 1, "info": 0}
    expected = sum(weights[f.severity.value] for f in mine)
    expected += 3 * sum(f.rule_id == "TERR-201" for f in mine)
    expected += 2 * sum(f.rule_id == "TERR-306" for f in mine)
    row = next(t for t in board.townships if t.name == "贺营镇")
    assert (row.score, row.findings, row.overdue) == (expected, len(mine), 2)
    text = render_red_black([board], "zh")
    assert "食品安全红黑榜（2023Q4，威县）" in text and "黑榜" in text and "红榜" in text
    assert "red/black list" in render_red_black([board], "en")


def test_summary_formats_show_the_ranking(demo: Report) -> None:
    text = io.BytesIO()
    write_summary(demo, text, "zh")
    assert "食品安全红黑榜（2023Q4，威县）" in text.getvalue().decode()
    data = io.BytesIO()
    write_summary_json(demo, data)
    doc = json.loads(data.getvalue())
    assert doc["red_black"][0]["townships"][0]["board"] == "red"
    assert data.getvalue().decode() == json.dumps(doc, ensure_ascii=False, sort_keys=True,
                                                  indent=2) + "\n"


def test_cli_summary_of_the_demo_county_has_the_ranking() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(BUNDLE), "--as-of", "2023-12-31", "--profile",
                                  "demo", "--ruleset", "territorial", "--format", "summary"],
                           env={"FSRULES_PLUGINS": "", "NO_COLOR": "1"})
    assert "食品安全红黑榜" in result.stdout and "洺州镇" in result.stdout


# --------------------------------------------------------------------------- calendar


def test_calendar_periods_are_complete_and_aligned() -> None:
    window = Period(start=dt.date(2023, 2, 1), end=dt.date(2024, 1, 31))
    months = calendar_periods(1, dt.date(2024, 1, 31), window)
    assert [period_label(p, 1) for p in months][:2] == ["2023-02", "2023-03"]
    assert period_label(months[-1], 1) == "2024-01" and len(months) == 12
    quarters = calendar_periods(3, dt.date(2024, 1, 31), window)
    assert [period_label(p, 3) for p in quarters] == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert calendar_periods(12, dt.date(2023, 12, 30), Period.year(2023)) == []
    assert quarter_of(dt.date(2023, 11, 5)) == Period(start=dt.date(2023, 10, 1),
                                                      end=dt.date(2023, 12, 31))
    with pytest.raises(ValueError, match="does not divide"):
        calendar_periods(5, dt.date(2023, 12, 31), window)


def test_deadline_rules_are_declared_on_the_shape_and_describe_as_data() -> None:
    rules = {r.id: r for r in RULESET.rules}
    for rule_id, anchor, done in (("TERR-201", "deadline", "rectified_on"),
                                  ("TERR-502", "nominated_on", "followed_up_on")):
        shape = rules[rule_id].shape
        assert shape is not None, rule_id
        described = shape.describe()
        assert described["shape"] == "deadline" and described["anchor"] == anchor
        assert described["done"] == {"field": done} and described["before"] is False
        assert described["hooks"]["finding"]
        json.dumps(described)  # plain data the live monitor can read
    assert rules["TERR-502"].shape is not None
    assert "max_days" in {p.name for p in rules["TERR-502"].parameters}


def test_the_history_store_feeds_the_risk_register(demo: Report, loaded: LoadResult,
                                                   tmp_path: Path) -> None:
    from fsrules.lifecycle import annotate
    from fsrules.lifecycle.store import HistoryStore
    from fsrules_rulesets.territorial.facts import RiskEntry, Township
    from fsrules_rulesets.territorial.from_store import register_entries

    towns = [f for f in loaded.facts if isinstance(f, Township)]
    with HistoryStore(tmp_path / "history.sqlite") as store:
        store.record(annotate(demo, facts=loaded.facts))
        first = next(r for r in store.records() if r.township and r.severity == "high"
                     and r.ruleset != "territorial")
        store.close_finding(first.fingerprint, on=dt.date(2024, 1, 5), note="已整改")
        records = store.records()
    entries = register_entries(records, towns, min_severity="high")
    expected = [r for r in records if r.ruleset != "territorial" and r.township
                and r.severity in ("critical", "high")]
    assert len(entries) == len(expected) > 10
    by_id = {e.id: e for e in entries}
    for rec in expected:
        entry = by_id[f"FS{rec.fingerprint[:16]}"]
        assert entry.township_id == next(t.id for t in towns if t.name == rec.township)
        assert entry.found_on == AS_OF and entry.department == rec.owner
        # a rule's due date before the finding was first seen is moved up to that day
        assert entry.deadline == max(rec.rule_due_date or AS_OF + dt.timedelta(days=30),
                                     AS_OF)
    closed = [e for e in entries if e.rectified_on is not None]
    assert [(e.id, e.rectified_on) for e in closed] == [
        (f"FS{first.fingerprint[:16]}", dt.date(2024, 1, 5))]
    # the next quarter's run follows them: open entries past their deadline are TERR-201
    later = dt.date(2024, 3, 31)
    report = Engine(profile="demo").evaluate([*loaded.facts, *entries], as_of=later,
                                             profile="demo", rulesets=["territorial"])
    overdue = {f.evidence["entry_id"] for f in report.findings if f.rule_id == "TERR-201"}
    assert {e.id for e in entries if e.rectified_on is None and e.deadline < later} <= overdue
    assert not {e.id for e in closed} & overdue
    assert all(isinstance(e, RiskEntry) for e in entries)
