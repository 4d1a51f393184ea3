"""End-to-end tests of the ``fsrules`` command line, its writers and generated docs."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import inspect
import io
import json
import os
import random
import subprocess
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner, Result

import fsrules
import fsrules_rulesets
from fsrules import Engine, LegalBasis, Profile, Ruleset, hookimpl, rule
from fsrules import _cli_check as cli_check
from fsrules import cli as cli_module
from fsrules._catalogue import (
    default_explain_date,
    render_catalogue,
    render_cli_reference,
)
from fsrules._writers import write_table
from fsrules.cli import main

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "docs" / "finding.schema.json").read_text(encoding="utf-8"))
AS_OF = "2023-12-31"
COMMANDS = ("check", "validate", "rules", "explain", "plugins", "demo")


# --------------------------------------------------------------------------- helpers


def _runner() -> CliRunner:
    """A runner that keeps stdout and stderr apart (click < 8.2 needs mix_stderr=False)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def invoke(args: Sequence[str], env: dict[str, str | None] | None = None) -> Result:
    """Run ``fsrules ARGS`` in-process; unexpected exceptions propagate."""
    base: dict[str, str | None] = {"FSRULES_LANG": None, "NO_COLOR": None, "FSRULES_PLUGINS": ""}
    return _runner().invoke(main, list(args), env={**base, **(env or {})},
                            catch_exceptions=False)


SAMPLING_HEADER = "编号,抽样地区划代码,抽检类型,抽样日期,样品名称,检验结论"


def _sampling_rows(failed: Sequence[str] = ("S03",)) -> list[str]:
    rows = []
    for n in range(1, 11):
        sid = f"S{n:02d}"
        verdict = "不合格" if sid in failed else "合格"
        rows.append(f"{sid},130533,评价性抽检,2023-0{n % 9 + 1}-15,小麦粉{n},{verdict}")
    return rows


def write_bundle(folder: Path, *, failed: Sequence[str] = ("S03",), seed: int | None = None,
                 extra_rows: Sequence[str] = ()) -> Path:
    """A small county bundle: the region, ten evaluative samples, a satisfaction survey
    and the office's record of the leaders' duties.

    With the default ``failed`` the pass rate is 90% (9 of 10), below 98%, so
    VETO-005 fires. ``seed`` shuffles the rows (and the JSON keys) of every file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    (folder / "region.csv").write_text("编号,行政区划代码,名称\n130533,130533,威县\n",
                                       encoding="utf-8")
    rows = _sampling_rows(failed) + list(extra_rows)
    if seed is not None:
        rng.shuffle(rows)
    (folder / "sampling_result.csv").write_text(
        "\n".join([SAMPLING_HEADER, *rows]) + "\n", encoding="utf-8")
    survey = {"id": "SAT-2023", "region_code": "130533", "indicator": "satisfaction",
              "period_start": "2023-01-01", "period_end": "2023-11-30", "value": 86.5}
    # the office's record for veto item 1 (without one VETO-001 says "no data")
    leaders = {"id": "LEADERS-2023", "region_code": "130533", "indicator": "leaders_duties",
               "period_start": "2023-01-01", "period_end": "2023-11-30", "status": "done"}
    lines = []
    for record in (survey, leaders):
        items = list(record.items())
        if seed is not None:
            rng.shuffle(items)
        lines.append(json.dumps(dict(items), ensure_ascii=False))
    (folder / "indicator_observation.jsonl").write_text("\n".join(lines) + "\n",
                                                         encoding="utf-8")
    return folder


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle where VETO-005 (evaluative pass rate 90% < 98%) fires."""
    return write_bundle(tmp_path / "county")


@pytest.fixture
def bad_bundle(tmp_path: Path) -> Path:
    """The same bundle plus two bad rows (an impossible date, an unknown verdict)."""
    return write_bundle(tmp_path / "bad", extra_rows=(
        "S11,130533,评价性抽检,2023-02-30,面粉,合格",
        "S12,130533,评价性抽检,2023-03-01,面粉,maybe",
    ))


def _bad_rule_module() -> types.ModuleType:
    """A plugin module whose only rule raises, and a profile with no parents."""
    module = types.ModuleType("broken_plugin")

    @rule(id="BROKEN-001", version="1.0", title=("总是出错的规则", "A rule that always fails"),
          severity="high", reads=["region"], legal_basis=[LegalBasis(instrument="《测试》")],
          message=("不会出现", "never shown"), lead=("测试单位",))
    def boom(ctx: Any) -> Iterator[Any]:
        raise RuntimeError("boom")

    @hookimpl
    def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
        register(Ruleset(id="broken", version="1.0", title=("坏规则集", "Broken"),
                         rules=[boom]))

    module.fsrules_register_rulesets = fsrules_register_rulesets  # type: ignore[attr-defined]
    return module


def _profiles_module() -> types.ModuleType:
    """A plugin module adding profile ``bare`` (no parent) and ``dated`` (dated values)."""
    module = types.ModuleType("profiles_plugin")

    @hookimpl
    def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping({"name": "bare"}, {}))
        register(Profile.from_mapping({"name": "dated", "extends": "national"}, {
            "VETO-005": {"min_pass_rate": {"dated": [
                {"from": "2020-01-01", "value": 95.0, "note": "旧标准"},
                {"from": "2024-07-01", "value": 97.0, "note": "新标准"},
            ]}},
        }))

    module.fsrules_register_profiles = fsrules_register_profiles  # type: ignore[attr-defined]
    return module


def _use_plugins(monkeypatch: pytest.MonkeyPatch, *modules: types.ModuleType) -> None:
    """Make the CLI build its engine with ``modules`` passed in code."""

    def make_engine(profile: str, strict: bool) -> Engine:
        return Engine(profile=profile, plugins=modules, strict=strict)

    monkeypatch.setattr(cli_module, "make_engine", make_engine)


def _validator(ref: str | None = None) -> jsonschema.Draft202012Validator:
    schema = SCHEMA if ref is None else {"$ref": f"#/$defs/{ref}", "$defs": SCHEMA["$defs"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --------------------------------------------------------------------------- help and version


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_exit_codes(command: str) -> None:
    """``fsrules CMD --help`` works, in both languages, and documents the exit codes."""
    result = invoke([command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: fsrules {command} [OPTIONS]")
    assert "退出码 / exit codes:" in result.stdout
    assert "显示帮助并退出。 Show this help and exit." in result.stdout


def test_group_help_lists_commands_and_exit_codes() -> None:
    """The group's help lists every command and the four exit codes."""
    result = invoke(["-h"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout
    for line in ("0  完成", "1  有达到 --fail-on 的问题", "2  用法或输入错误", "3  规则或插件出错"):
        assert line in result.stdout


def test_version_in_process() -> None:
    """``--version`` prints the package version."""
    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"fsrules {fsrules.__version__}\n"


def test_python_m_fsrules_version() -> None:
    """``python -m fsrules --version`` works as a separate process."""
    paths = [str(Path(fsrules.__file__).parents[1]),
             str(Path(fsrules_rulesets.__file__).parents[1])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [*paths, *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "fsrules", "--version"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"fsrules {fsrules.__version__}"


def test_docs_cli_md_is_current() -> None:
    """docs/cli.md is exactly what render_cli_reference() generates (regenerate with make docs)."""
    expected = render_cli_reference()
    assert render_cli_reference() == expected  # deterministic
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == expected
    for command in COMMANDS:
        assert f"## fsrules {command}\n" in expected


# --------------------------------------------------------------------------- check


def test_check_requires_as_of(bundle: Path) -> None:
    """Without --as-of: a usage error (exit 2) that says why, in the chosen language."""
    result = invoke(["check", str(bundle)])
    assert result.exit_code == 2
    assert "必须指定 --as-of：fsrules 从不读取系统时钟，例如 --as-of 2023-12-31" in result.stderr
    result = invoke(["--lang", "en", "check", str(bundle)])
    assert result.exit_code == 2
    assert ("--as-of is required: fsrules never reads the clock; e.g. --as-of 2023-12-31"
            in result.stderr)
    assert result.stdout == ""


def test_check_rejects_a_bad_date(bundle: Path) -> None:
    """An --as-of that is not YYYY-MM-DD is a usage error."""
    result = invoke(["--lang", "en", "check", str(bundle), "--as-of", "2023-02-30"])
    assert result.exit_code == 2
    assert "is not a valid date: write YYYY-MM-DD" in result.stderr


def test_check_table(bundle: Path) -> None:
    """The default table: VETO-005 for 威县, summary line; exit 1 (critical >= high)."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF])
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no colour when stdout is not a terminal
    assert "VETO-005" in out
    assert "威县（130533）" in out
    assert "否决" in out
    assert "评价性抽检合格率 90" in out and "（9/10" in out
    assert "县市场监管局" in out
    assert "问题 1 条（否决 1，严重 0，一般 0，轻微 0），提示 0 条" in out
    assert "输入 总计 13 条，接受 13 条，拒绝 0 条" in out
    assert all(len(line) <= 140 for line in out.splitlines())
    assert out == invoke(["check", str(bundle), "--as-of", AS_OF]).stdout


def test_check_table_in_english_via_env(bundle: Path) -> None:
    """FSRULES_LANG=en switches the output language."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF], env={"FSRULES_LANG": "en"})
    assert result.exit_code == 1
    assert "critical" in result.stdout
    assert "evaluative sampling pass rate 90" in result.stdout
    assert "(9 of 10 batches)" in result.stdout
    assert "1 finding(s) (critical 1, high 0, medium 0, low 0), 0 info" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("high", 1), ("critical", 1), ("none", 0)])
def test_check_fail_on(bundle: Path, fail_on: str, code: int) -> None:
    """--fail-on decides between exit 0 and 1."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--fail-on", fail_on,
                     "--format", "jsonl"])
    assert result.exit_code == code
    assert json.loads(result.stdout.splitlines()[0])["rule_id"] == "VETO-005"


def test_check_clean_bundle_exits_0(tmp_path: Path) -> None:
    """Every sample passes and satisfaction is fine: no findings, exit 0 even at --fail-on info."""
    clean = write_bundle(tmp_path / "clean", failed=())
    result = invoke(["check", str(clean), "--as-of", AS_OF, "--fail-on", "info"])
    assert result.exit_code == 0, result.stdout
    assert "没有发现问题。" in result.stdout
    assert "问题 0 条" in result.stdout


def test_check_json_validates_and_is_reproducible(bundle: Path, tmp_path: Path) -> None:
    """JSON: valid against docs/finding.schema.json, byte-identical across runs and row orders."""
    args = ["--as-of", AS_OF, "--format", "json"]
    first = invoke(["check", str(bundle), *args])
    assert first.exit_code == 1
    doc = json.loads(first.stdout)
    _validator().validate(doc)
    assert doc["schema_version"] == fsrules.REPORT_SCHEMA_VERSION == SCHEMA["version"]
    assert doc["provenance"]["as_of"] == AS_OF
    assert doc["provenance"]["profile"] == "national"
    assert doc["input"] == {"total": 13, "accepted": 13, "rejected": 0, "facts_by_kind": {
        "indicator_observation": 2, "region": 1, "sampling_result": 10}}
    (finding,) = doc["findings"]
    assert finding["rule_id"] == "VETO-005"
    assert finding["subject"] == {"kind": "region", "id": "130533", "name": "威县",
                                  "region_code": "130533"}
    assert finding["evidence"]["pass_rate"] == 90
    assert finding["evidence"]["failed_sampling_ids"] == ["S03"]
    assert doc["summary"]["by_severity"]["critical"] == 1

    assert invoke(["check", str(bundle), *args]).stdout_bytes == first.stdout_bytes
    for seed in (1, 2):
        shuffled = write_bundle(tmp_path / f"shuffled{seed}", seed=seed)
        again = invoke(["check", str(shuffled), *args])
        assert again.stdout_bytes == first.stdout_bytes


def test_schema_rejects_what_the_report_never_contains(bundle: Path) -> None:
    """The schema is closed where the layout is fixed (a typo'd key fails validation)."""
    doc = json.loads(invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "json"]).stdout)
    doc["findings"][0]["severty"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(doc)
    doc["findings"][0].pop("severty")
    _validator().validate(doc)
    # A typed rule's evidence is closed too (docs: $defs/evidence.VETO-005); the packaged
    # schema, which knows no rule, leaves evidence open.
    assert doc["findings"][0]["rule_id"] == "VETO-005"
    doc["findings"][0]["evidence"]["anything"] = {"goes": [1, 2]}
    with pytest.raises(jsonschema.ValidationError, match="anything"):
        _validator().validate(doc)
    jsonschema.Draft202012Validator(fsrules.report_schema()).validate(doc)
    doc["findings"][0]["evidence"].pop("anything")
    doc["findings"][0]["evidence"]["pass_rate"] = "90%"
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(doc)


def test_check_jsonl(bundle: Path) -> None:
    """JSON Lines: one finding per line, each valid against $defs/finding."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "jsonl"])
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    finding = json.loads(lines[0])
    _validator("finding").validate(finding)
    assert finding["legal_basis"][0]["confidence"] in {"V", "C", "M", "?"}


def test_check_csv_has_bom_and_columns(bundle: Path, tmp_path: Path) -> None:
    """CSV: UTF-8 BOM, the documented columns, citations joined with ；."""
    out = tmp_path / "问题清单.csv"
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1
    assert f"已写入 {out}：问题 1 条（否决 1）" in result.stderr
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["严重程度", "规则", "标题", "对象类型", "对象编号", "对象名称", "区划", "期间起",
                       "期间止", "问题描述", "法律依据", "牵头单位", "责任单位", "整改期限", "指纹",
                       "待核实"]
    (row,) = rows[1:]
    assert row[:9] == ["否决", "VETO-005", "食品评价性抽检合格率未达到98%", "region", "130533",
                       "威县", "130533", "2023-01-01", "2023-12-31"]
    assert "；" in row[10] and row[10].startswith("《国家食品安全示范城市评价细则（2021版）》")
    assert row[11:14] == ["县市场监管局", "县农业农村局", ""]
    fingerprint = json.loads(invoke(["check", str(bundle), "--as-of", AS_OF, "--format",
                                     "jsonl"]).stdout)["fingerprint"]
    assert row[14] == fingerprint

    english = invoke(["--lang", "en", "check", str(bundle), "--as-of", AS_OF, "--format", "csv"])
    header = next(csv.reader(io.StringIO(english.stdout_bytes.decode("utf-8-sig"))))
    assert header[:3] == ["severity", "rule_id", "title"]
    assert "Evaluative sampling pass rate below 98%" in english.stdout


def test_check_xlsx(bad_bundle: Path, tmp_path: Path) -> None:
    """XLSX (chosen from the -o extension): two sheets, text cells, reproducible bytes."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        result = invoke(["check", str(bad_bundle), "--as-of", AS_OF, "--keep-going",
                         "-o", str(out)])
        assert result.exit_code == 2
    assert first.read_bytes() == second.read_bytes()
    workbook = openpyxl.load_workbook(first)
    assert workbook.sheetnames == ["问题清单", "汇总", "诊断"]  # the ledger (issue 15)
    findings = [[c.value for c in row] for row in workbook["问题清单"].iter_rows()]
    assert findings[0][:2] == ["严重程度", "规则"]
    assert findings[1][1] == "VETO-005"
    diagnostics = [[c.value for c in row] for row in workbook["诊断"].iter_rows()]
    assert diagnostics[0][:5] == ["级别", "代码", "文件", "行", "字段"]
    located = {(r[3], r[4]) for r in diagnostics[1:]}
    assert located == {(12, "抽样日期"), (13, "检验结论")}
    assert workbook.properties.created == dt.datetime(2023, 12, 31)


def test_check_unknown_format_and_profile(bundle: Path) -> None:
    """Unknown format, profile or ruleset: exit 2 with one line naming the choices."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "pdf"])
    assert result.exit_code == 2
    assert "没有名为 'pdf' 的输出格式" in result.stderr and "xlsx" in result.stderr
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--profile", "atlantis"])
    assert result.exit_code == 2
    # one language per run (issue 13): the Chinese line is Chinese throughout
    assert result.stderr.startswith("错误（配置文件（profile）不存在）：没有配置文件（profile）atlantis")
    assert "Traceback" not in result.stderr and "unknown" not in result.stderr
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--ruleset", "nope"])
    assert result.exit_code == 2
    assert "没有规则集 nope；已有的规则集：" in result.stderr
    result = invoke(["--lang", "en", "check", str(bundle), "--as-of", AS_OF, "--ruleset", "nope"])
    assert "unknown ruleset 'nope'; known rulesets: " in result.stderr
    assert "metrics" in result.stderr and "veto" in result.stderr


def test_check_ruleset_selection(bundle: Path) -> None:
    """--ruleset restricts the check rules (inference rules they need still run)."""
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--ruleset", "metrics",
                     "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["findings"] == []
    assert {r["rule_id"] for r in doc["rules"]} == {"INFER-INCIDENT-LEVEL",
                                                    "INFER-SAMPLING-METRICS"}


def test_check_stops_on_input_errors(bad_bundle: Path) -> None:
    """Input errors without --keep-going: listed with file:row:field, reconciled, exit 2."""
    result = invoke(["check", str(bad_bundle), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing evaluated, nothing written
    lines = result.stderr.splitlines()
    path = bad_bundle / "sampling_result.csv"
    assert lines[0].startswith(f"{path}:12:抽样日期: 不存在的日期［值：2023-02-30］ —— 修改建议：")
    assert lines[1].startswith(f"{path}:13:检验结论: ")
    assert "［值：maybe］" in lines[1]
    assert "总计 15 条，接受 13 条，拒绝 2 条" in lines
    assert "--keep-going" in lines[-1]


def test_check_keep_going(bad_bundle: Path) -> None:
    """--keep-going evaluates the accepted records, reports the rejected ones, still exits 2."""
    result = invoke(["--lang", "en", "check", str(bad_bundle), "--as-of", AS_OF, "--keep-going",
                     "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    _validator().validate(doc)
    assert doc["input"]["total"] == 15
    assert doc["input"]["accepted"] == 13
    assert doc["input"]["rejected"] == 2
    assert [f["rule_id"] for f in doc["findings"]] == ["VETO-005"]
    assert [(d["level"], d["code"], d["row"], d["field"]) for d in doc["diagnostics"]] == [
        ("error", "input.date", 12, "抽样日期"), ("error", "input.enum", 13, "检验结论")]
    assert doc["diagnostics"][0]["value"] == "2023-02-30"
    assert "total 15, accepted 13, rejected 2" in result.stderr


def test_check_keep_going_table_lists_diagnostics(bad_bundle: Path) -> None:
    """The table's summary carries the input diagnostics, errors first."""
    result = invoke(["check", str(bad_bundle), "--as-of", AS_OF, "--keep-going"])
    assert result.exit_code == 2
    out = result.stdout
    assert "输入 总计 15 条，接受 13 条，拒绝 2 条" in out
    assert "诊断 2 条（错误 2 条）：" in out
    assert f"[错误] {bad_bundle / 'sampling_result.csv'}:12:抽样日期: 不存在的日期" in out


def test_check_failing_rule_exits_3(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that raises: the others still run, the report says which failed, exit 3."""
    _use_plugins(monkeypatch, _bad_rule_module())
    result = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "json",
                     "--fail-on", "none"])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    _validator().validate(doc)
    assert [f["rule_id"] for f in doc["findings"]] == ["VETO-005"]
    (diag,) = doc["diagnostics"]
    assert diag["code"] == "rule.error"
    assert diag["rule_id"] == "BROKEN-001"
    assert "RuntimeError: boom" in diag["message"]["en"]
    stats = {r["rule_id"]: r["status"] for r in doc["rules"]}
    assert stats["BROKEN-001"] == "error"
    assert stats["VETO-005"] == "ran"


def test_plugin_that_fails_to_register_exits_3(bundle: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin error raised while building the engine is one line on stderr and exit 3."""
    misspelled = types.ModuleType("misspelled_plugin")

    @hookimpl
    def fsrules_register_ruleset(register: Any) -> None:  # missing "s"
        raise AssertionError("never called")

    misspelled.fsrules_register_ruleset = fsrules_register_ruleset  # type: ignore[attr-defined]
    _use_plugins(monkeypatch, misspelled)
    result = invoke(["check", str(bundle), "--as-of", AS_OF])
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith("错误（插件加载失败）：plugin 'misspelled_plugin' defines "
                           "'fsrules_register_ruleset'")
    assert "Traceback" not in result.output


def test_timings_go_to_stderr(bundle: Path) -> None:
    """--timings prints per-rule timings on stderr; stdout stays the canonical report."""
    plain = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "json"])
    timed = invoke(["check", str(bundle), "--as-of", AS_OF, "--format", "json", "--timings"])
    assert timed.stdout_bytes == plain.stdout_bytes
    assert "耗时：加载" in timed.stderr
    assert "VETO-005" in timed.stderr


# --------------------------------------------------------------------------- validate


def test_validate_reports_every_problem(bad_bundle: Path) -> None:
    """validate: file:row:field: message [value] — fix: hint, per-file counts, exit 2."""
    result = invoke(["--lang", "en", "validate", str(bad_bundle)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    path = bad_bundle / "sampling_result.csv"
    assert lines[0] == (f"{path}:12:抽样日期: no such date ['2023-02-30'] — fix: check the "
                        "year, month and day (February has no 30th) and use YYYY-MM-DD")
    assert lines[1].startswith(f"{path}:13:检验结论: ")
    assert "['maybe'] — fix: " in lines[1]
    assert f"{path} (sampling_result): total 12, accepted 10, rejected 2" in lines
    assert lines[-1] == "total 15, accepted 13, rejected 2"


def test_validate_clean_bundle(bundle: Path) -> None:
    """A clean bundle validates with exit 0 and the reconciliation line."""
    result = invoke(["validate", str(bundle), "--as-of", AS_OF])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "总计 13 条，接受 13 条，拒绝 0 条"


def test_validate_missing_path(tmp_path: Path) -> None:
    """A path that does not exist is an input error located at that path."""
    missing = tmp_path / "nowhere"
    result = invoke(["validate", str(missing)])
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{missing}: 文件或目录不存在")


# --------------------------------------------------------------------------- explain


def test_explain_memory_parameter() -> None:
    """An M value says it is from memory and which profile sets it."""
    result = invoke(["explain", "INFER-INCIDENT-LEVEL"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("INFER-INCIDENT-LEVEL v1.0 — 食品安全事故分级\n")
    assert "  iv_min_ill = 30（类型 int，可信度 M（仅凭记忆））" in out
    assert "来源：profile:national；生效日期：始终" in out
    assert "备注：Ⅳ级下限30人为记忆值(M)" in out
    assert "⚠ 该值法规未明确/仅凭记忆（M），由配置文件 national 设定" in out
    assert "iii_min_ill = 100（类型 int，可信度 C（已佐证））" in out
    assert "来源：ruleset:metrics" in out
    assert "《国家食品安全事故应急预案》 事故分级 （2011-10-01版）［可信度 C：已佐证］" in out
    assert "产出：incident_assessment" in out

    english = invoke(["--lang", "en", "explain", "INFER-INCIDENT-LEVEL", "--profile", "demo"])
    assert english.exit_code == 0
    assert "⚠ from memory (M): set by profile national" in english.stdout
    assert "Parameters (profile demo, as of any date (no parameter value is dated)):" in (
        english.stdout)


def test_explain_missing_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A required value no profile sets is shown as missing, with the fix."""
    _use_plugins(monkeypatch, _profiles_module())
    result = invoke(["explain", "INFER-INCIDENT-LEVEL", "--profile", "bare"])
    assert result.exit_code == 0
    assert "  iv_min_ill：缺失：没有任何配置文件设定该值" in result.stdout
    assert ('修改方法：在配置文件（profile）bare 中设置 [parameters."INFER-INCIDENT-LEVEL"] '
            "iv_min_ill = …") in result.stdout
    doc = json.loads(invoke(["explain", "INFER-INCIDENT-LEVEL", "--profile", "bare",
                             "--format", "json"]).stdout)
    (param,) = [p for p in doc["parameters"] if p["name"] == "iv_min_ill"]
    assert param["missing"] is True and param["value"] is None


def test_explain_dated_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as-of explain uses the latest effective date; with it, the value then."""
    _use_plugins(monkeypatch, _profiles_module())
    engine = cli_module.make_engine("dated", False)
    assert default_explain_date(engine, "VETO-005", "dated") == dt.date(2024, 7, 1)
    latest = invoke(["explain", "VETO-005", "--profile", "dated"])
    assert "取值日期 2024-07-01（参数值最新的生效日期）" in latest.stdout
    assert "min_pass_rate = 97.0 %" in latest.stdout
    assert "来源：profile:dated；生效日期：2024-07-01" in latest.stdout
    earlier = invoke(["explain", "VETO-005", "--profile", "dated", "--as-of", AS_OF])
    assert "min_pass_rate = 95.0 %" in earlier.stdout
    assert "备注：旧标准" in earlier.stdout


def test_explain_unknown_rule_suggests() -> None:
    """An unknown id exits 2 and suggests close ids; lower case is accepted."""
    result = invoke(["explain", "VETO-05"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：没有编号为 VETO-05 的规则。是否要找：VETO-005")
    assert invoke(["explain", "veto-005"]).exit_code == 0


# --------------------------------------------------------------------------- rules


def test_rules_markdown_is_deterministic() -> None:
    """rules --format markdown: every rule with legal basis and parameters; stable output."""
    result = invoke(["rules", "--format", "markdown", "--as-of", AS_OF])
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# 规则目录 / Rule catalogue\n")
    for rule_id in ("INFER-INCIDENT-LEVEL", "INFER-SAMPLING-METRICS", "VETO-001", "VETO-005"):
        assert f"\n## {rule_id}\n" in md
    assert "| `min_pass_rate` | float | V | `98.0 %` | ruleset:veto |" in md
    assert "| `iv_min_ill` | int | M | `30` | profile:national |" in md
    assert "**该值法规未明确/仅凭记忆（M），由配置文件 national 设定**" in md
    assert invoke(["rules", "--format", "markdown", "--as-of", AS_OF]).stdout == md
    direct = render_catalogue(Engine(profile="national"), "markdown", profile="national",
                              as_of=dt.date(2023, 12, 31))
    assert direct == md == render_catalogue(Engine(profile="national"), "markdown",
                                            profile="national", as_of=dt.date(2023, 12, 31))


def test_rules_table_and_json_and_filter() -> None:
    """The table lists every rule; JSON is parseable; --ruleset filters."""
    table = invoke(["rules"])
    assert table.exit_code == 0
    assert "VETO-005" in table.stdout and "INFER-SAMPLING-METRICS" in table.stdout
    doc = json.loads(invoke(["rules", "--format", "json", "--ruleset", "veto"]).stdout)
    assert [r["id"] for r in doc["rules"]] == [f"VETO-00{n}" for n in range(1, 6)]
    veto5 = doc["rules"][-1]
    assert veto5["parameters"][0]["value"] == 98.0
    assert veto5["departments"] == {"lead": ["县市场监管局"], "responsible": ["县农业农村局"]}
    bad = invoke(["rules", "--ruleset", "nope"])
    assert bad.exit_code == 2


# --------------------------------------------------------------------------- plugins


def test_plugins_lists_builtins() -> None:
    """plugins: the built-in plugins, their rulesets and rule counts; exit 0."""
    result = invoke(["plugins", "--format", "json"])
    assert result.exit_code == 0
    rows = {p["name"]: p for p in json.loads(result.stdout)}
    assert rows["fsrules_rulesets.veto"]["rulesets"] == ["veto"]
    assert rows["fsrules_rulesets.veto"]["rule_count"] == 5
    assert rows["fsrules_rulesets.veto"]["builtin"] is True
    assert all(p["error"] is None for p in rows.values())
    table = invoke(["plugins"])
    assert "fsrules_rulesets.metrics" in table.stdout and "名称" in table.stdout


def test_plugins_shows_a_broken_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry point that cannot be imported is listed with its error (exit 3); --strict too."""
    from fsrules import _host
    from fsrules._plugins import Candidate

    def candidates(allowed: set[str] | None = None) -> Iterator[Candidate]:
        yield Candidate(name="fsrules_no_such_module_xyz", distribution="fsrules-broken",
                        version="9.9")

    monkeypatch.setattr(_host, "entry_point_candidates", candidates)
    result = invoke(["plugins", "--format", "json"], env={"FSRULES_PLUGINS": None})
    assert result.exit_code == 3
    rows = {p["name"]: p for p in json.loads(result.stdout)}
    assert "ModuleNotFoundError" in rows["fsrules_no_such_module_xyz"]["error"]
    assert "1 个插件加载失败：fsrules_no_such_module_xyz" in result.stderr
    strict = invoke(["--strict", "plugins"], env={"FSRULES_PLUGINS": None})
    assert strict.exit_code == 3
    assert strict.stderr.startswith("错误（插件加载失败）：importing entry point")


# --------------------------------------------------------------------------- demo


def test_demo_falls_back_to_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without package data, demo reads examples/weixian under the current directory."""

    monkeypatch.setattr(cli_check, "_packaged_demo", lambda: None)
    write_bundle(tmp_path / "examples" / "weixian")
    monkeypatch.chdir(tmp_path)
    result = invoke(["demo", "--format", "json"])
    assert result.exit_code == 0  # --fail-on defaults to none for the demo
    doc = json.loads(result.stdout)
    assert doc["provenance"]["profile"] == "demo"
    assert doc["provenance"]["as_of"] == "2023-12-31"
    # the demo profile runs every built-in ruleset; this small bundle breaks the veto item
    assert "VETO-005" in [f["rule_id"] for f in doc["findings"]]
    assert "demo-city" in doc["provenance"]["rulesets"]


def test_demo_input_errors_do_not_change_the_exit_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo reports rejected rows but exits by its findings only (0 with --fail-on none)."""

    monkeypatch.setattr(cli_check, "_packaged_demo", lambda: None)
    write_bundle(tmp_path / "examples" / "weixian",
                 extra_rows=("S11,130533,评价性抽检,2023-02-30,面粉,合格",))
    monkeypatch.chdir(tmp_path)
    result = invoke(["demo"])
    assert result.exit_code == 0
    assert "诊断 1 条（错误 1 条）：" in result.stdout
    assert "总计 14 条，接受 13 条，拒绝 1 条" in result.stderr
    assert invoke(["demo", "--fail-on", "high"]).exit_code == 1


def test_demo_without_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No demo data anywhere: one line and exit 2."""
    monkeypatch.setattr(cli_check, "_packaged_demo", lambda: None)
    monkeypatch.setattr(cli_check, "_checkout_demo", lambda: None)
    monkeypatch.chdir(tmp_path)
    result = invoke(["demo"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：找不到演示数据")


# --------------------------------------------------------------------------- writers


class _Terminal(io.BytesIO):
    """A byte stream that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def _report(bundle: Path) -> fsrules.Report:
    engine = Engine(profile="national")
    day = dt.date(2023, 12, 31)
    return engine.evaluate(engine.load([bundle], as_of=day), as_of=day)


def test_table_is_coloured_only_on_a_terminal(bundle: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour on a terminal, none in a file or pipe, none on a terminal with NO_COLOR."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    report = _report(bundle)
    terminal, plain = _Terminal(), io.BytesIO()
    write_table(report, terminal, "zh")
    write_table(report, plain, "zh")
    assert b"\x1b[" in terminal.getvalue()
    assert b"\x1b[" not in plain.getvalue()
    assert "VETO-005" in plain.getvalue().decode("utf-8")
    assert not terminal.closed  # the writer leaves the caller's stream open
    monkeypatch.setenv("NO_COLOR", "1")
    muted = _Terminal()
    write_table(report, muted, "zh")
    assert b"\x1b[3" not in muted.getvalue() and b"\x1b[4" not in muted.getvalue()


def test_csv_cells_never_become_formulas(tmp_path: Path) -> None:
    """A name from the input that starts with = is written as text in CSV and XLSX."""
    folder = write_bundle(tmp_path / "formula")
    (folder / "region.csv").write_text('编号,行政区划代码,名称\n130533,130533,"=HYPERLINK(""x"")"\n',
                                       encoding="utf-8")
    out = tmp_path / "f.csv"
    invoke(["check", str(folder), "--as-of", AS_OF, "-o", str(out)])
    row = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1]
    assert row[5] == "'=HYPERLINK(\"x\")"
    xlsx = tmp_path / "f.xlsx"
    invoke(["check", str(folder), "--as-of", AS_OF, "-o", str(xlsx)])
    sheet = openpyxl.load_workbook(xlsx)["问题清单"]
    assert sheet.cell(row=2, column=6).value == '=HYPERLINK("x")'
    assert sheet.cell(row=2, column=6).data_type == "s"
