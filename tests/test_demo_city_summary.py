"""The readiness summary (library and CLI formats) and the demo county's story."""

from __future__ import annotations

import inspect
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fsrules import Engine, Fact, Profile, Report, hookimpl
from fsrules.cli import main
from fsrules.loading import load_bundle
from fsrules.model import dump_fact
from fsrules.testing import FactBuilder
from fsrules_rulesets.demo_city import readiness
from fsrules_rulesets.demo_city.summary import (
    INDICATOR_STATUSES,
    ReadinessSummary,
    render_text,
    write_summary,
)
from fsrules_rulesets.demo_city.vocabulary import vocabulary

from .conftest import AS_OF, REPO
from .test_demo_city import D, baseline, observation, replace, run

BUNDLE = REPO / "examples" / "weixian"


@pytest.fixture(scope="module")
def demo_report() -> Report:
    """The demo county with the demo profile, veto and demo-city rulesets."""
    engine = Engine(profile="demo")
    loaded = load_bundle([BUNDLE], as_of=AS_OF)
    return engine.evaluate(loaded, as_of=AS_OF, rulesets=["veto", "demo-city"])


# --------------------------------------------------------------------------- the demo county


def test_demo_county_shows_failing_and_passing_indicators_and_the_veto(demo_report: Report
                                                                       ) -> None:
    summary = readiness(demo_report)
    county = summary.region("130533")
    assert county.region_name == "威县"
    assert (county.period_start, county.period_end) == (D(2023, 1, 1), D(2023, 12, 31))
    failing = [r for r in county.indicators if r.status == "fail"]
    passing = [r for r in county.indicators if r.status == "pass"]
    assert failing and passing
    for row in failing:  # each gap is a number in the indicator's own units, with its text
        assert row.gap is not None and row.gap > 0
        assert row.gap_text is not None and str(row.gap) in row.gap_text.zh
    pass_rate = county.indicator("evaluative_pass_rate")
    assert pass_rate.status == "fail"
    assert pass_rate.gap_text is not None and pass_rate.gap_text.zh.startswith("合格批次差")
    assert pass_rate.gap_text.zh.endswith(" 批")
    assert county.indicator("sampling_per_1000").status == "pass"
    assert county.veto("VETO-005").status == "fired"
    assert county.veto("VETO-004").status == "passed"
    lead = {d.name: d for d in county.departments}
    assert lead["县市场监管局"].lead >= len(failing) - 1
    assert "VETO-005" in lead["县市场监管局"].rules


def test_demo_county_summary_text(demo_report: Report) -> None:
    text = render_text(readiness(demo_report), "zh")
    assert "威县（130533）示范城市创建准备情况" in text
    assert "合格批次差" in text and "触发否决" in text and "达标" in text
    assert "有待办事项的单位" in text
    assert "\x1b[" not in text
    assert all(len(line) <= 140 for line in text.splitlines())
    english = render_text(readiness(demo_report), "en")
    assert "demonstration-city readiness" in english and "FIRED" in english


# --------------------------------------------------------------------------- statuses


def test_baseline_summary(engine: Engine) -> None:
    summary = readiness(run(engine, baseline(), rulesets=["veto", "demo-city"]))
    county = summary.region("130533")
    counts = county.counts()
    assert set(counts) == set(INDICATOR_STATUSES)
    assert counts["fail"] == 0 and counts["not_run"] == 0
    assert {r.code for r in county.indicators if r.status == "not_applicable"} == {
        "disposal_completion", "disposal_timeliness"}
    assert counts["pass"] == len(vocabulary().indicators) - 2
    row = county.indicator("sampling_per_1000")
    assert (row.value, row.threshold, row.numerator, row.denominator) == (6, 4, 6, 1000)
    assert row.gap == 0 and row.gap_text is None
    assert county.indicator("emergency_drill").note is not None
    assert [v.status for v in county.vetoes] == ["passed"] * 5
    assert county.departments == ()
    checklist = {r.code: r.status for r in county.checklist}
    assert checklist["local_regulations"] == "done"
    assert checklist["smart_supervision"] == "no_data"


def test_failing_row_carries_the_gap_and_fingerprint(engine: Engine) -> None:
    facts = replace(baseline(), observation(FactBuilder(), "satisfaction", 78.4))
    report = run(engine, facts, rulesets=["veto", "demo-city"])
    county = readiness(report).region("130533")
    row = county.indicator("satisfaction")
    assert (row.status, row.value, row.threshold, row.gap) == ("fail", 78.4, 80, 1.6)
    assert row.gap_text is not None and row.gap_text.zh == "满意度差 1.6 分"
    assert row.fingerprint in {f.fingerprint for f in report.findings}
    assert county.veto("VETO-004").status == "fired"
    depts = {d.name: (d.lead, d.responsible) for d in county.departments}
    assert depts["县食安创城办"] == (1, 0)
    assert depts["县食药安办"] == (1, 0)  # VETO-004's lead
    assert depts["各乡镇政府"] == (0, 1)


def test_vetoes_not_run_without_the_veto_ruleset(engine: Engine) -> None:
    county = readiness(run(engine, baseline())).region("130533")
    assert [v.status for v in county.vetoes] == ["not_run"] * 5


def test_veto_no_data(engine: Engine) -> None:
    facts = [f for f in baseline() if f.id != "obs-satisfaction"]
    county = readiness(run(engine, facts, rulesets=["veto", "demo-city"])).region("130533")
    assert county.veto("VETO-004").status == "no_data"
    assert county.indicator("satisfaction").status == "no_data"


def test_veto_001_without_a_record_is_no_data_not_passed(engine: Engine) -> None:
    """Issue 10, defect 5 sibling: no record of the leaders' duties is 无数据, not 未触发."""
    facts = [f for f in baseline() if f.id != "obs-leaders"]
    county = readiness(run(engine, facts, rulesets=["veto", "demo-city"])).region("130533")
    assert county.veto("VETO-001").status == "no_data"
    assert county.veto("VETO-004").status == "passed"


def test_missing_parameters_show_as_not_run(engine: Engine) -> None:
    """A profile that does not extend national leaves the M/? values unset."""

    class Bare:
        @staticmethod
        @hookimpl
        def fsrules_register_profiles(register):  # type: ignore[no-untyped-def]
            register(Profile.from_mapping({"name": "bare"}, {}))

    eng = Engine(plugins=[Bare()], profile="bare")
    report = run(eng, baseline())
    county = readiness(report).region("130533")
    assert county.indicator("sampling_per_1000").status == "not_run"
    assert county.indicator("disposal_timeliness").status == "not_run"
    assert county.indicator("satisfaction").status == "pass"
    note = county.indicator("sampling_per_1000").note
    assert note is not None and "INFER-DEMO-SAMPLING skipped" in note.en


def test_threshold_comes_from_the_profile(engine: Engine) -> None:
    class Strict:
        @staticmethod
        @hookimpl
        def fsrules_register_profiles(register):  # type: ignore[no-untyped-def]
            register(Profile.from_mapping({"name": "strict", "extends": "national"},
                                          {"DEMO-25A": {"min_rate": 92.5}}))

    eng = Engine(plugins=[Strict()], profile="strict")
    row = readiness(run(eng, baseline())).region("130533").indicator("awareness")
    assert (row.status, row.threshold, row.gap) == ("fail", 92.5, 2.5)


def test_summary_without_demo_city_data_is_empty(engine: Engine) -> None:
    summary = readiness(run(engine, baseline(), rulesets=["veto"]))
    assert summary.regions == ()
    assert "--ruleset demo-city" in render_text(summary, "zh")


# --------------------------------------------------------------------------- JSON and formats


def test_summary_json_is_canonical(engine: Engine) -> None:
    report = run(engine, baseline(), rulesets=["veto", "demo-city"])
    text = readiness(report).to_json()
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert doc["as_of"] == "2023-12-31" and doc["profile"] == "national"
    [region] = doc["regions"]
    assert region["counts"]["indicators"]["fail"] == 0
    row = next(r for r in region["indicators"] if r["code"] == "sampling_per_1000")
    assert row["title"]["zh"] == "年均食品安全抽检量" and row["unit"]["en"]
    shuffled = list(reversed(baseline()))
    again = run(engine, shuffled, rulesets=["veto", "demo-city"])
    assert readiness(again).to_json() == text


class _Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    report = run(engine, replace(baseline(), observation(FactBuilder(), "awareness", 80.0)))
    plain = io.BytesIO()
    write_summary(report, plain, "zh")
    assert b"\x1b[" not in plain.getvalue()
    terminal = _Terminal()
    write_summary(report, terminal, "zh")
    assert b"\x1b[" in terminal.getvalue()


def _runner() -> CliRunner:
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def invoke(args: Sequence[str]) -> Result:
    env = {"FSRULES_LANG": None, "NO_COLOR": None, "FSRULES_PLUGINS": ""}
    return _runner().invoke(main, list(args), env=env, catch_exceptions=False)


def _write(folder: Path, facts: Sequence[Fact]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(dump_fact(f), ensure_ascii=False, default=str) for f in facts]
    (folder / "facts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_cli_summary_formats(tmp_path: Path) -> None:
    facts = replace(baseline(), observation(FactBuilder(), "satisfaction", 78.4))
    bundle = _write(tmp_path / "county", facts)
    args = ["check", str(bundle), "--as-of", "2023-12-31", "--ruleset", "veto",
            "--ruleset", "demo-city"]
    text = invoke([*args, "--format", "summary"])
    assert text.exit_code == 1, text.stderr  # VETO-004 is critical
    assert "示范城市创建准备情况" in text.stdout and "满意度差 1.6 分" in text.stdout
    assert "\x1b[" not in text.stdout
    data = invoke([*args, "--format", "summary-json"])
    doc = json.loads(data.stdout)
    [region] = doc["regions"]
    veto4 = next(v for v in region["vetoes"] if v["rule_id"] == "VETO-004")
    assert veto4["status"] == "fired"
    assert invoke([*args, "--format", "summary-json"]).stdout == data.stdout
    only = invoke(["check", str(bundle), "--as-of", "2023-12-31", "--ruleset", "demo-city",
                   "--format", "summary-json"])
    assert {v["status"] for v in json.loads(only.stdout)["regions"][0]["vetoes"]} == {"not_run"}
    english = invoke(["--lang", "en", *args, "--format", "summary"])
    assert "demonstration-city readiness" in english.stdout and "FAIL" in english.stdout


def test_summary_is_a_readiness_summary_instance(demo_report: Report) -> None:
    assert isinstance(readiness(demo_report), ReadinessSummary)
