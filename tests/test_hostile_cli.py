"""The CLI as a new user meets it (issue 13): one language, no internal names, honest docs."""

from __future__ import annotations

import json
import re

import pytest

from fsrules import Engine
from fsrules._catalogue import render_explanation

# What a user cannot look up: files of the fsrules repository and its research notes.
_REPOSITORY_REFERENCE = re.compile(r"regulations\.md|shared/|seeds/|domain/texts")


@pytest.mark.parametrize("profile", ["national", "demo"])
def test_explain_cites_instruments_never_repository_files(engine: Engine, profile: str) -> None:
    for rule_id in engine.rules:
        for fmt in ("text", "json"):
            for lang in ("zh", "en"):
                text = render_explanation(engine, rule_id, fmt, profile=profile, as_of=None,
                                          lang=lang)
                found = _REPOSITORY_REFERENCE.search(text)
                assert found is None, (rule_id, fmt, lang, found and found.group())


def test_explain_cites_instrument_article_and_date(engine: Engine) -> None:
    data = json.loads(render_explanation(engine, "VETO-005", "json", profile="national",
                                         as_of=None, lang="zh"))
    text = json.dumps(data, ensure_ascii=False)
    assert "《中华人民共和国食品安全法》" in text and "第八十七条" in text
    assert "2023-01-19" in text  # the county plan's date


def test_readme_explains_the_demo_and_check_counts(engine: Engine) -> None:
    """README states why `make demo` and `fsrules check examples/weixian` differ: keep it true."""
    import datetime as dt

    from .conftest import REPO

    bundle = REPO / "examples" / "weixian"
    day = dt.date(2023, 12, 31)
    loaded = engine.load([bundle], as_of=day)
    national = engine.evaluate(loaded, as_of=day)
    demo = engine.evaluate(loaded, as_of=day, profile="demo")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Why `make demo`", 1)[1].split("## ", 1)[0]
    assert f"**{len(demo.findings)}** findings" in section
    assert f"reports **{len(national.findings)}**" in section
    assert "missing_parameter" in section
    skipped = [d.rule_id for d in national.diagnostics if d.code == "rule.missing_parameter"]
    assert "BAOBAO-004" in skipped and "BAOBAO-004" in section


# --------------------------------------------------------------------------- configuration

import os  # noqa: E402
import pickle  # noqa: E402
import textwrap  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from click.testing import Result  # noqa: E402

from fsrules._config import find_config, load_config, read_local_profile  # noqa: E402
from fsrules.exceptions import ConfigError  # noqa: E402

from .test_cli import invoke, write_bundle  # noqa: E402

AS_OF = "2023-12-31"


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Path]:
    """A project folder with a bundle (VETO-005 fires: 90 % < 98 %), as the working directory."""
    write_bundle(tmp_path / "bundle")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _json(result: Result, path: Path) -> dict[str, object]:
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


LOWER_VETO = """\
    [profile]
    extends = "national"

    [parameters."VETO-005"]
    min_pass_rate = 0
"""


def test_local_profile_file_sets_an_open_parameter(county: Path) -> None:
    _write(county / "county.toml", """\
        [profile]
        name = "county"
        extends = "national"

        [parameters."BAOBAO-004"]
        visits_per_year = { value = { A = 4, B = 4, C = 2, D = 1 }, note = "县局决定" }
    """)
    result = invoke(["check", "bundle", "--as-of", AS_OF, "--profile", "./county.toml",
                     "--format", "json", "-o", "r.json"])
    data = _json(result, county / "r.json")
    provenance = data["provenance"]
    assert isinstance(provenance, dict) and provenance["profile"] == "county"
    params = {(p["rule_id"], p["name"]): p for p in provenance["parameters"]}
    assert params[("BAOBAO-004", "visits_per_year")]["source"] == "profile:county"
    explained = invoke(["explain", "BAOBAO-004", "--profile", "county.toml"])
    assert explained.exit_code == 0 and "profile:county" in explained.stdout


def test_local_profile_must_extend_a_profile_and_names_the_fix(county: Path) -> None:
    _write(county / "bad.toml", "[parameters.\"VETO-005\"]\nmin_pass_rate = 99\n")
    result = invoke(["check", "bundle", "--as-of", AS_OF, "--profile", "bad.toml"])
    assert result.exit_code == 2
    assert "extends" in result.stderr and "national" in result.stderr
    missing = invoke(["check", "bundle", "--as-of", AS_OF, "--profile", "nope.toml"])
    assert missing.exit_code == 2 and "nope.toml 不存在" in missing.stderr
    _write(county / "loop.toml", "[profile]\nextends = \"atlantis\"\n")
    unknown = invoke(["--lang", "en", "check", "bundle", "--as-of", AS_OF, "--profile",
                      "loop.toml"])
    assert unknown.exit_code == 2 and "atlantis" in unknown.stderr


def test_missing_parameter_hint_points_to_a_local_profile_not_the_installed_one() -> None:
    from fsrules import Engine, Param, Text

    from .test_engine import RulesetPlugin, make_ruleset

    needs = Param(name="visits_per_year", type="int", confidence="?",
                  description=Text("督导频次", "visit frequency"))

    def body(ctx: object) -> Iterator[object]:
        ctx.param("visits_per_year")  # type: ignore[attr-defined]
        yield from ()

    eng = Engine(plugins=[RulesetPlugin(make_ruleset("bb", "BB-001", body=body,
                                                     params=[needs]))])
    [diag] = eng.evaluate([], as_of=__import__("datetime").date(2023, 12, 31),
                          rulesets=["bb"]).diagnostics
    assert diag.code == "rule.missing_parameter" and diag.hint is not None
    for lang in ("zh", "en"):
        hint = diag.hint.get(lang)  # type: ignore[arg-type]
        assert "--profile ./county.toml" in hint and 'extends = "national"' in hint
        assert "fsrules.toml" in hint and "visits_per_year" in hint
    assert "set it in profile 'national'" not in diag.hint.en


def test_lowering_a_verified_threshold_needs_an_acknowledgement(county: Path) -> None:
    """D11: VETO-005's 98 % -> 0 made the critical veto vanish silently."""
    _write(county / "lax.toml", LOWER_VETO)
    result = invoke(["check", "bundle", "--as-of", AS_OF, "--profile", "lax.toml"])
    assert result.exit_code == 2
    assert "VETO-005.min_pass_rate" in result.stderr and "acknowledge" in result.stderr
    assert "已核实的法定标准" in result.stderr
    from fsrules import Engine
    from fsrules._config import verified_overrides

    local = read_local_profile(county / "lax.toml")
    engine = Engine(plugins=[local.plugin()])
    with pytest.raises(ConfigError):
        verified_overrides(engine, local)


def test_acknowledged_override_shows_on_findings_and_in_the_header(county: Path) -> None:
    _write(county / "pilot.toml", LOWER_VETO.replace("extends", "name = \"pilot\"\nextends")
           + '\n[acknowledge."VETO-005"]\nmin_pass_rate = "试点：县食安委2024-03-01纪要"\n')
    strict = invoke(["check", "bundle", "--as-of", AS_OF, "--format", "json", "-o", "a.json"])
    baseline = _json(strict, county / "a.json")
    result = invoke(["check", "bundle", "--as-of", AS_OF, "--profile", "pilot.toml",
                     "--format", "json", "-o", "b.json"])
    data = _json(result, county / "b.json")
    assert "VETO-005" in {f["rule_id"] for f in baseline["findings"]}  # type: ignore[union-attr,index]
    assert "VETO-005" not in {f["rule_id"] for f in data["findings"]}  # type: ignore[union-attr,index]
    [warning] = [d for d in data["diagnostics"]  # type: ignore[union-attr]
                 if d["code"] == "profile.verified_override"]
    assert warning["rule_id"] == "VETO-005" and "98" in warning["message"]["en"]
    assert "试点" in warning["message"]["zh"] and warning["level"] == "warning"
    assert "VETO-005.min_pass_rate" in result.stderr  # said on the terminal too


def test_acknowledged_override_annotates_each_finding(county: Path) -> None:
    _write(county / "strict.toml", """\
        [profile]
        extends = "national"
        [parameters."VETO-005"]
        min_pass_rate = 99.5
        [acknowledge."VETO-005"]
        min_pass_rate = "stricter local target, county decision 2024-01"
    """)
    result = invoke(["--lang", "en", "check", "bundle", "--as-of", AS_OF, "--profile",
                     "strict.toml", "--format", "json", "-o", "r.json"])
    data = _json(result, county / "r.json")
    [veto] = [f for f in data["findings"] if f["rule_id"] == "VETO-005"]  # type: ignore[union-attr]
    assert "99.5" in veto["message"]["en"] and "county decision" in veto["message"]["en"]
    assert "已核实的法定标准" in veto["message"]["zh"]


def test_project_config_supplies_defaults_and_parameters(county: Path) -> None:
    _write(county / "fsrules.toml", """\
        profile = "national"
        rulesets = ["veto"]
        as_of = 2023-12-31
        output = "out/report.json"
        fail_on = "none"
        lang = "en"
        rule_budget = 30
        waivers = "waivers.toml"
        store = ".fsrules"

        [parameters."VETO-004"]
        min_score = 90
        [acknowledge."VETO-004"]
        min_score = "county target"
    """)
    (county / "out").mkdir()
    sub = county / "sub"
    sub.mkdir()
    os.chdir(sub)  # found from a sub-folder too
    result = invoke(["check", "../bundle"])
    assert result.exit_code == 0, result.stderr  # fail_on none
    data = json.loads((county / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(data["provenance"]["rulesets"]) <= {"veto", "metrics"}
    assert "wrote" in result.stderr  # lang = en
    config = load_config(county / "fsrules.toml")
    assert config.waivers == county / "waivers.toml" and config.store == county / ".fsrules"
    assert config.rule_budget == 30.0
    # the command line wins over the file
    other = invoke(["check", "../bundle", "--fail-on", "critical", "-o", "../x.json"])
    assert other.exit_code == 1 and (county / "x.json").exists()


def test_pyproject_tool_table_is_found(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.fsrules]\nprofile = \"hebei\"\n",
                                             encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b") == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml").profile == "hebei"
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = \"x\"\n")
    assert find_config(tmp_path / "a" / "b") == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(("text", "key"), [
    ("colour = \"red\"\n", "colour"),
    ("as_of = \"yesterday\"\n", "as_of"),
    ("fail_on = \"bad\"\n", "fail_on"),
    ("rule_budget = -1\n", "rule_budget"),
    ("rulesets = \"veto\"\n", "rulesets"),
    ("[acknowledge.\"VETO-005\"]\nmin_pass_rate = \"\"\n", "acknowledge.VETO-005.min_pass_rate"),
])
def test_project_config_is_validated(tmp_path: Path, text: str, key: str) -> None:
    path = _write(tmp_path / "fsrules.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == key and info.value.zh


def test_invalid_project_config_is_a_clear_error(county: Path) -> None:
    _write(county / "fsrules.toml", "colour = \"red\"\n")
    result = invoke(["check", "bundle", "--as-of", AS_OF])
    assert result.exit_code == 2 and "未知的设置 colour" in result.stderr


def test_profiles_are_immutable_and_picklable() -> None:
    from fsrules import Engine

    profile = Engine().profile("demo")
    rule_id = next(iter(profile.parameters))
    with pytest.raises(TypeError):
        profile.parameters["VETO-005"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        profile.parameters[rule_id]["x"] = ()  # type: ignore[index]
    assert pickle.loads(pickle.dumps(profile)) == profile


# --------------------------------------------------------------------------- language, -o


def test_click_errors_follow_the_language() -> None:
    missing = invoke(["check"])
    assert missing.exit_code == 2
    assert "用法：" in missing.stderr and "错误：缺少参数 PATH..." in missing.stderr
    assert "Missing" not in missing.stderr and "Usage" not in missing.stderr
    option = invoke(["check", "x", "--bogus"])
    assert "错误：没有选项 --bogus" in option.stderr
    bad = invoke(["check", "x", "--fail-on", "bad"])
    assert "--fail-on 的值无效：'bad' 不是可选值之一" in bad.stderr
    english = invoke(["--lang", "en", "check"])
    assert "Missing argument" in english.stderr and "用法" not in english.stderr
    command = invoke(["chekc"])
    assert command.exit_code == 2 and "没有命令 chekc" in command.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (["-o", "report.pdf"], ".pdf"),
    (["--format", "csv", "-o", "report.json"], "report.json"),
    (["--format", "table", "-o", "report.xlsx"], "report.xlsx"),
])
def test_output_extension_must_match_the_format(county: Path, args: list[str], needle: str
                                                ) -> None:
    result = invoke(["check", "bundle", "--as-of", AS_OF, *args])
    assert result.exit_code == 2 and needle in result.stderr
    assert not any(county.glob("report.*"))


def test_output_format_is_inferred_from_the_extension(county: Path) -> None:
    result = invoke(["check", "bundle", "--as-of", AS_OF, "-o", "r.csv"])
    assert result.exit_code == 1
    assert (county / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_write_errors_name_the_users_file_not_the_temporary_one(county: Path) -> None:
    result = invoke(["check", "bundle", "--as-of", AS_OF, "-o", "missing/r.json"])
    assert result.exit_code == 2
    assert "missing/r.json" in result.stderr and ".partial" not in result.stderr
    assert "文件或目录不存在" in result.stderr


def test_internal_errors_show_no_class_name(county: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    import fsrules.cli as cli_module

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(cli_module, "make_engine", broken)
    result = invoke(["check", "bundle", "--as-of", AS_OF])
    assert result.exit_code == 3 and "KeyError" not in result.stderr
    assert "内部错误" in result.stderr


def test_validate_shows_a_rejected_value_without_running_its_escapes(tmp_path: Path) -> None:
    (tmp_path / "region.csv").write_text(
        "编号,行政区划代码,名称\n130533,1305\x1b[2J33,威县\n", encoding="utf-8")
    result = invoke(["validate", str(tmp_path)])
    assert result.exit_code == 2
    # the loader escapes it as text (\x1b), the writers as a stand-in (␛): either is visible
    assert "\x1b" not in result.stdout
    assert "␛[2J" in result.stdout or "\\x1b[2J" in result.stdout


def test_a_plugin_profile_lowering_a_verified_threshold_is_never_silent(
        county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """D11: a plugin's profile cannot acknowledge, so the change is shown on the report."""
    import types
    from collections.abc import Callable

    from fsrules import Profile, hookimpl

    from .test_cli import _use_plugins

    module = types.ModuleType("fsrules_lax_county")

    @hookimpl
    def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping({"name": "lax", "extends": "national"},
                                      {"VETO-005": {"min_pass_rate": 0}}))

    module.fsrules_register_profiles = fsrules_register_profiles  # type: ignore[attr-defined]
    _use_plugins(monkeypatch, module)
    result = invoke(["--lang", "en", "check", "bundle", "--as-of", AS_OF, "--profile", "lax",
                     "--format", "json", "-o", "r.json"])
    data = _json(result, county / "r.json")
    [warning] = [d for d in data["diagnostics"]  # type: ignore[union-attr]
                 if d["code"] == "profile.verified_override"]
    assert "VETO-005.min_pass_rate" in warning["message"]["en"]
    assert "no reason given" in warning["message"]["en"] and "lax" in warning["message"]["en"]
    assert "warning: note: VETO-005.min_pass_rate" in result.stderr


def test_no_command_shows_the_help_page() -> None:
    result = invoke([])
    assert result.exit_code in (0, 2)  # click < 8.2 exits 0, later versions 2
    shown = result.stdout + result.stderr
    assert "fsrules：把食品安全监管规则变成代码" in shown and "错误：" not in shown
