"""fsrules.testing: builders, isolated engines, finding assertions and scenario files."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import fsrules.testing
from fsrules import (
    Engine,
    LegalBasis,
    Report,
    RuleContext,
    Ruleset,
    Subject,
    hookimpl,
    rule,
)
from fsrules.exceptions import InputError, PluginLoadError, UnknownFactKindError
from fsrules.identifiers import validate_uscc
from fsrules.model import BUILTIN_FACT_KINDS, BusinessType, Operator, OperatorScale
from fsrules.testing import (
    FactBuilder,
    ScenarioFailure,
    assert_finding,
    assert_no_finding,
    isolated_engine,
    load_scenarios,
    run_scenario,
)

pytest_plugins = ["pytester"]

AS_OF = dt.date(2023, 12, 31)
PLUGIN_MODULE = "fsrules.testing._pytest_plugin"


# ----------------------------------------------------------------------- a small plugin


@rule(id="KIT-001", version="1", title=("测试规则", "test rule"), severity="medium",
      reads=[Operator], message=("{subject} 违规", "{subject} breaks the test rule"),
      legal_basis=[LegalBasis(instrument="《测试办法》", article="第3条", confidence="V",
                              note="测试用 / for tests")],
      lead=("县市场监管局",))
def _per_operator(ctx: RuleContext) -> Iterator[object]:
    for op in ctx.facts.of_kind(Operator):
        yield ctx.finding(subject=op, evidence={
            "name": op.name, "opened_on": op.opened_on, "scale": op.scale,
            "nested": {"a": 1, "b": 2}})


class KitPlugin:
    """Registers ruleset ``kit`` with KIT-001 (a finding per operator)."""

    __name__ = "kit-plugin"

    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
        register(Ruleset(id="kit", version="0.1", title=("测试", "test"), rules=[_per_operator],
                         default=False))


def _report(*operators: Operator) -> Report:
    return isolated_engine(KitPlugin()).evaluate(list(operators), as_of=AS_OF, rulesets=["kit"])


# ----------------------------------------------------------------------- public surface


def test_public_names_are_sorted_and_documented() -> None:
    names = list(fsrules.testing.__all__)
    assert names == sorted(names)
    assert names == ["ExpectedFinding", "FactBuilder", "FactKit", "KindKit", "Scenario",
                     "ScenarioFailure", "ScenarioResult", "assert_finding", "assert_no_finding",
                     "isolated_engine", "load_scenarios", "run_scenario"]
    for name in names:
        assert getattr(fsrules.testing, name).__doc__, name


def test_importing_the_kit_and_its_pytest_plugin_is_cheap() -> None:
    """No Hypothesis, no rulesets, no engine at import time."""
    code = ("import sys, fsrules.testing, fsrules.testing._pytest_plugin; "
            "print(sorted(m for m in sys.modules if m.startswith(('hypothesis', "
            "'fsrules_rulesets', 'fsrules.testing.strategies'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------- builders


@pytest.mark.parametrize("kind", [cls.KIND for cls in BUILTIN_FACT_KINDS])
def test_builder_makes_every_builtin_kind_with_defaults(kind: str) -> None:
    build = FactBuilder()
    first = build.fact(kind)
    second = getattr(build, kind)()
    assert kind == first.KIND and type(second) is type(first)
    if kind != "region":  # a region's id is its code
        assert (first.id, second.id) == (f"{kind}-1", f"{kind}-2")
    assert first.fact_date is None or first.fact_date.year == 2023


def test_builder_defaults_are_wei_county_2023_with_valid_uscc() -> None:
    build = FactBuilder()
    region = build.region()
    assert (region.id, region.code, region.name, region.parent_code) == (
        "130533", "130533", "威县", "130500")
    ops = [build.operator() for _ in range(40)]
    assert len({op.uscc for op in ops}) == 40
    for op in ops:
        assert op.uscc is not None and validate_uscc(op.uscc, strict=True).region_code == "130533"
        assert op.region_code == "130533"
    sichuan = FactBuilder(region_code="510116", year=2024)
    assert sichuan.region().name == "双流区"
    assert sichuan.banquet_report().held_on == dt.date(2024, 6, 10)
    assert validate_uscc(sichuan.operator().uscc or "").region_code == "510116"


def test_builder_ids_are_per_builder_and_skip_explicit_ones() -> None:
    a, b = FactBuilder(), FactBuilder()
    assert a.operator("operator-2").id == "operator-2"
    assert [a.operator().id, a.operator().id] == ["operator-1", "operator-3"]
    assert b.operator().id == "operator-1"  # no global counter
    assert FactBuilder().operator() == FactBuilder().operator()  # deterministic


def test_builder_links_facts_to_the_last_operator_and_staff_member() -> None:
    build = FactBuilder()
    op = build.operator("op9")
    staff = build.staff_member()
    cert = build.health_certificate()
    assert build.licence().operator_id == "op9" == cert.operator_id
    assert cert.person_id == staff.id == build.last_id("staff_member")
    assert build.disposal().sampling_id == "sampling_result-1"  # none built yet
    assert op.id == build.last_id("operator")


def test_builder_overrides_convert_like_input_files() -> None:
    build = FactBuilder()
    op = build.operator(business_type="农村集体聚餐承办者", scale="微型", opened_on="2020-05-01")
    assert op.business_type is BusinessType.BANQUET_UNDERTAKER
    assert op.scale is OperatorScale.MICRO
    assert op.opened_on == dt.date(2020, 5, 1)
    banquet = build.banquet_report(dishes=["回锅肉", "青椒土豆丝"], diners="120")
    assert banquet.dishes == ("回锅肉", "青椒土豆丝") and banquet.diners == 120


def test_builder_rejects_unknown_fields_and_bad_values_readably() -> None:
    build = FactBuilder()
    with pytest.raises(TypeError, match=r"'nmae' \(did you mean 'name'\?\)"):
        build.operator(nmae="x")
    with pytest.raises(ValueError, match=r"build\.operator\(id='operator-1'\).*region_code"):
        build.operator(region_code="13053")
    with pytest.raises(UnknownFactKindError, match="banquet"):
        build.fact("banquet")


# ----------------------------------------------------------------------- isolated engines


def _fake_distribution(tmp_path: Path, name: str) -> Path:
    """An installed distribution with an ``fsrules`` entry point, on a sys.path entry."""
    site = tmp_path / "site"
    site.mkdir()
    (site / f"{name}.py").write_text(textwrap.dedent("""
        from fsrules import Ruleset, hookimpl

        @hookimpl
        def fsrules_register_rulesets(register):
            register(Ruleset(id="installed", version="1.0", title=("已安装", "installed"),
                             rules=[]))
    """), encoding="utf-8")
    info = site / f"{name}-1.2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.0\n")
    (info / "entry_points.txt").write_text(f"[fsrules]\n{name} = {name}\n")
    return site


def test_isolated_engine_ignores_installed_plugins_unless_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(_fake_distribution(tmp_path, "fsrules_county_kit")))
    assert "installed" in Engine.default(environ={}).rulesets
    plain = isolated_engine()
    assert "installed" not in plain.rulesets
    assert all(p.builtin for p in plain.plugins)
    named = isolated_engine("fsrules_county_kit")
    info = {p.name: p for p in named.plugins}["fsrules_county_kit"]
    assert (info.distribution, info.version, info.rulesets) == (
        "fsrules_county_kit", "1.2.0", ("installed",))


def test_isolated_engine_takes_objects_and_module_paths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kit_module_plugin.py").write_text(textwrap.dedent("""
        from fsrules import Profile, hookimpl

        @hookimpl
        def fsrules_register_profiles(register):
            register(Profile.from_mapping({"name": "kit", "extends": "national"}, {}))
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    engine = isolated_engine(KitPlugin(), "kit_module_plugin", profile="kit")
    assert "kit" in engine.rulesets and engine.profile().name == "kit"
    assert "kit" not in isolated_engine().rulesets  # engines never share plugins
    assert isolated_engine(builtins=False).rulesets == {}


def test_isolated_engine_names_what_it_cannot_find() -> None:
    with pytest.raises(PluginLoadError, match="no plugin 'fsrules_atlantis'") as info:
        isolated_engine("fsrules_atlantis")
    assert info.value.plugin == "fsrules_atlantis"
    assert "找不到插件" in str(info.value)


def test_isolated_engine_is_strict() -> None:
    class Broken:
        __name__ = "broken-plugin"

        @hookimpl
        def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
            raise RuntimeError("bad data file")

    with pytest.raises(PluginLoadError, match="bad data file"):
        isolated_engine(Broken())


# ----------------------------------------------------------------------- assertions


def test_assert_finding_returns_the_matched_findings() -> None:
    build = FactBuilder()
    report = _report(build.operator("op1", opened_on="2021-03-04"), build.operator("op2"))
    finding = assert_finding(report, "KIT-001", subject="op1",
                             evidence={"opened_on": dt.date(2021, 3, 4), "nested": {"a": 1}},
                             legal_basis_contains="测试办法")
    assert finding.subject.id == "op1"
    both = assert_finding(report.findings, "KIT-001", count=2)
    assert isinstance(both, tuple) and {f.subject.id for f in both} == {"op1", "op2"}
    for subject in ("operator:op1", Subject.of(build.operator("op1")),
                    {"kind": "operator", "id": "op1"}):
        assert assert_finding(report, "KIT-001", subject=subject) == finding


def test_assert_finding_shows_an_evidence_diff() -> None:
    report = _report(FactBuilder().operator("op1", scale="micro"))
    with pytest.raises(AssertionError) as info:
        assert_finding(report, "KIT-001", subject="op1",
                       evidence={"scale": "small", "opened_on": "2020-01-01", "name": report
                                 .findings[0].evidence["name"]})
    text = str(info.value)
    assert "expected 1 matching finding(s), found 0" in text
    assert "--- expected / 期望" in text and "+++ actual / 实际" in text
    assert '-  "scale": "small"' in text and '+  "scale": "micro"' in text
    assert '-  "opened_on": "2020-01-01"' in text and '+  "opened_on": null' in text
    assert '"name"' in text and "other evidence / 其他证据" in text  # nested and unmentioned


def test_assert_finding_explains_subject_count_and_legal_basis_misses() -> None:
    build = FactBuilder()
    report = _report(build.operator("op1"), build.operator("op2"))
    with pytest.raises(AssertionError, match=r"expected 'op9', actual operator:op1"):
        assert_finding(report, "KIT-001", subject="op9")
    with pytest.raises(AssertionError, match=r"(?s)found 2.*matched / 已匹配.*operator:op2"):
        assert_finding(report, "KIT-001")
    with pytest.raises(AssertionError, match=r"expected a mention of '食品安全法'"):
        assert_finding(report, "KIT-001", subject="op1", legal_basis_contains="食品安全法")
    with pytest.raises(AssertionError, match=r"no VETO-001 finding at all(?s:.*)KIT-001 ×2"):
        assert_finding(report, "VETO-001")


def test_assert_no_finding() -> None:
    report = _report(FactBuilder().operator("op1"))
    assert_no_finding(report, "VETO-001")
    assert_no_finding(report, "KIT-001", subject="op2")
    with pytest.raises(AssertionError, match=r"(?s)expected no KIT-001 finding.*（op1） 违规"):
        assert_no_finding(report, "KIT-001")


# ----------------------------------------------------------------------- scenarios (API)

VETO_SCENARIO = """
    [scenario]
    name = "satisfaction 75 in Wei County"
    as_of = 2023-12-31
    rulesets = ["veto"]
    plugins = []

    [[facts.region]]
    id = "130533"
    code = "130533"
    name = "威县"

    [[facts.indicator_observation]]
    id = "sat"
    region_code = "130533"
    indicator = "satisfaction"
    period_start = 2023-01-01
    period_end = 2023-11-30
    value = 75.0

    [[facts.indicator_observation]]
    id = "leaders"
    region_code = "130533"
    indicator = "leaders_duties"
    period_start = 2023-01-01
    period_end = 2023-11-30
    status = "done"

    [[facts.sampling_result]]
    id = "s1"
    region_code = "130533"
    sampling_kind = "评价性抽检"
    sampled_on = 2023-06-01
    product_name = "小麦粉"
    verdict = "合格"

    [[expect]]
    rule_id = "VETO-004"
    subject = "130533"
    evidence = {{ score = {score}, min_score = 80 }}
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_run_scenario_reports_matches_and_differences(tmp_path: Path) -> None:
    [good] = load_scenarios(_write(tmp_path / "scenario_a.toml", VETO_SCENARIO.format(score=75)))
    assert (good.name, good.as_of, good.plugins, good.rulesets) == (
        "satisfaction 75 in Wei County", AS_OF, (), ("veto",))
    result = run_scenario(good)
    assert result.ok and [e.rule_id for e, _ in result.matched] == ["VETO-004"]
    [bad] = load_scenarios(_write(tmp_path / "scenario_b.toml", VETO_SCENARIO.format(score=70)))
    result = run_scenario(bad)
    assert not result.ok and [f.rule_id for f in result.unexpected] == ["VETO-004"]
    text = ScenarioFailure(result).result.explain()
    assert '-  "score": 70' in text and '+  "score": 75' in text


def test_malformed_scenarios_name_the_file_and_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "scenario_bad.toml", """
        [scenario]
        name = "x"
        as_of = 2023-12-31
        expect = []
        [[facts.region]]
        id = "130533"
        code = "130533"
        name = "威县"
        [[expect]]
        rule_id = "VETO-004"
    """)
    with pytest.raises(InputError, match="expect is given twice") as info:
        load_scenarios(path)
    assert info.value.file == str(path)
    _write(path, '[scenario]\nname = "x"\nas_of = 2023-12-31\nexpects = []\n')
    with pytest.raises(InputError, match="unknown key 'expects'") as info:
        load_scenarios(path)
    assert info.value.hint == "did you mean 'expect'?"
    _write(path, '[scenario]\nname = "x"\nas_of = 2023-12-31\n')
    with pytest.raises(InputError, match=r"expect = \[\] for no findings"):
        load_scenarios(path)


# ----------------------------------------------------------------------- scenarios (pytest)


def _plugin_args() -> list[str]:
    """Load the fsrules pytest plugin in pytester runs unless its entry point already does."""
    autoload = not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    installed = any(ep.value == PLUGIN_MODULE for ep in md.entry_points(group="pytest11"))
    # Hypothesis's own pytest plugin re-imports (and assert-rewrites) much of Hypothesis in
    # every in-process run; the scenario tests do not need it.
    fixed = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    return fixed + ([] if installed and autoload else ["-p", PLUGIN_MODULE])


def test_wrong_expectation_fails_with_expected_vs_actual(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", scenario_veto=textwrap.dedent(VETO_SCENARIO.format(score=70)))
    result = pytester.runpytest(*_plugin_args())
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*scenario: satisfaction 75 in Wei County*",
        "*scenario / 场景 “satisfaction 75 in Wei County” (*scenario_veto.toml)",
        "expected but not found / 期望但未出现 (1):",
        '  - VETO-004 subject=130533 evidence ⊇ {"min_score": 80, "score": 70}',
        "*closest actual / 最接近的实际问题: VETO-004 region:130533",
        '*-  "score": 70',
        '*+  "score": 75',
        "found but not expected / 出现但未期望 (1):",
        "*diff of expected vs actual findings / 期望与实际问题对照:",
        '*-VETO-004 subject=130533 evidence ⊇ {"min_score": 80, "score": 70}',
        '*+VETO-004 subject=130533 evidence ⊇ {"min_score": 80, "score": 75}',
    ])
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*_scenarios.py*")


def test_right_expectation_passes(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", scenario_veto=textwrap.dedent(VETO_SCENARIO.format(score=75)))
    pytester.runpytest(*_plugin_args()).assert_outcomes(passed=1)


def test_extra_findings_fail_an_exact_expectation(pytester: pytest.Pytester) -> None:
    text = VETO_SCENARIO.format(score=75).replace('plugins = []', 'plugins = []\nexpect = []')
    text = text[:text.index("[[expect]]")]
    pytester.makefile(".toml", scenario_extra=textwrap.dedent(text))
    result = pytester.runpytest(*_plugin_args())
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["found but not expected / 出现但未期望 (1):",
                                 "  + VETO-004 region:130533 *", "*满意度 75 分*"])


def test_one_item_per_scenario_with_defaults_and_background_facts(
        pytester: pytest.Pytester) -> None:
    pytester.makepyfile(kit_scenario_plugin=textwrap.dedent("""
        from fsrules import LegalBasis, Ruleset, hookimpl, rule
        from fsrules.model import Operator

        @rule(id="PLG-001", version="1", title=("微型", "micro"), severity="low",
              reads=[Operator], legal_basis=[LegalBasis(instrument="《县规》", article="第1条")],
              message=("{subject}", "{subject}"), lead=("县市场监管局",))
        def micro(ctx):
            for op in ctx.facts.of_kind(Operator):
                if op.scale is not None and op.scale.value == "micro":
                    yield ctx.finding(subject=op, evidence={"scale": "micro"})

        @hookimpl
        def fsrules_register_rulesets(register):
            register(Ruleset(id="plg", version="1", title=("县", "county"), rules=[micro]))
    """))
    pytester.makefile(".toml", scenario_many=textwrap.dedent("""
        [defaults]
        as_of = 2023-12-31
        rulesets = ["plg"]
        plugins = ["kit_scenario_plugin"]

        [[facts.operator]]
        id = "op1"
        name = "甲店"
        business_type = "小餐饮"
        region_code = "130533"
        scale = "微型"

        [[scenario]]
        name = "micro shop"
        [[scenario.expect]]
        rule_id = "PLG-001"
        subject = "op1"
        legal_basis_contains = "县规"

        [[scenario]]
        name = "two micro shops"
        [[scenario.facts.operator]]
        id = "op2"
        name = "乙店"
        business_type = "小餐饮"
        region_code = "130533"
        scale = "micro"
        [[scenario.expect]]
        rule_id = "PLG-001"
        count = 2
    """))
    pytester.syspathinsert()
    result = pytester.runpytest(*_plugin_args(), "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*scenario_many.toml::micro shop PASSED*",
                                 "*scenario_many.toml::two micro shops PASSED*"])


def test_rejected_fact_fails_the_scenario_with_the_loader_message(
        pytester: pytest.Pytester) -> None:
    text = VETO_SCENARIO.format(score=75).replace('region_code = "130533"',
                                                  'region_code = "510122"', 1)
    pytester.makefile(".toml", scenario_old_code=textwrap.dedent(text))
    result = pytester.runpytest(*_plugin_args())
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["errors / 错误 (1):", "*510122*双流县*2015*510116*"])


def test_malformed_file_is_a_collection_error_without_traceback(
        pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", scenario_typo='[scenario]\nname = "x"\nas_of = 2023-12-31\n'
                                             'expects = []\n')
    result = pytester.runpytest(*_plugin_args())
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown key 'expects' in ?scenario?*",
                                 "*hint / 提示: did you mean 'expect'?"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_scenario_collection_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", scenario_veto=textwrap.dedent(VETO_SCENARIO.format(score=70)))
    pytester.makeini("[pytest]\nfsrules_scenarios = false\n")
    result = pytester.runpytest(*_plugin_args())
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_yaml_scenarios_need_pyyaml(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", scenario_veto=textwrap.dedent("""
        scenario:
          name: satisfaction 75 in Wei County
          as_of: 2023-12-31
          rulesets: [veto]
          plugins: []
          expect:
            - rule_id: VETO-004
              subject: "130533"
              evidence: {score: 75}
        facts:
          region: [{id: "130533", code: "130533", name: 威县}]
          indicator_observation:
            - {id: sat, region_code: "130533", indicator: satisfaction,
               period_start: 2023-01-01, period_end: 2023-11-30, value: 75.0}
            - {id: leaders, region_code: "130533", indicator: leaders_duties,
               period_start: 2023-01-01, period_end: 2023-11-30, status: done}
          sampling_result:
            - {id: s1, region_code: "130533", sampling_kind: evaluative,
               sampled_on: 2023-06-01, product_name: 小麦粉, verdict: pass}
    """))
    result = pytester.runpytest(*_plugin_args())
    if importlib.util.find_spec("yaml") is None:
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*YAML scenario files need PyYAML*"])
    else:
        result.assert_outcomes(passed=1)


def test_fixtures_give_fresh_builders_and_isolated_engines(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_uses_fixtures=textwrap.dedent("""
        import pytest

        @pytest.mark.parametrize("run", [1, 2])
        def test_builder_is_fresh(fsrules_builder, run):
            assert fsrules_builder.operator().id == "operator-1"

        def test_engine_factory(fsrules_engine_factory):
            engine = fsrules_engine_factory(profile="hebei")
            assert engine.profile().name == "hebei"
            assert all(p.builtin for p in engine.plugins)
    """))
    pytester.runpytest(*_plugin_args()).assert_outcomes(passed=3)
