"""Hostile plugin code during a run (issue 13, D6): hangs and process exits are contained."""

from __future__ import annotations

import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fsrules import Engine, RuleContext
from fsrules._budget import DEFAULT_RULE_BUDGET, PluginAbort, call_with_budget
from fsrules.exceptions import RuleBudgetError

from .conftest import AS_OF, operator, region, samples
from .test_engine import RulesetPlugin, make_ruleset


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown, so an abandoned rule thread ends instead of spinning for ever."""
    event = threading.Event()
    yield event
    event.set()


def test_default_budget_is_generous() -> None:
    assert Engine.rule_budget == DEFAULT_RULE_BUDGET == 60.0


def test_rule_that_never_returns_becomes_a_diagnostic(release: threading.Event) -> None:
    def spin(ctx: RuleContext) -> Iterator[object]:
        while not release.is_set():  # CPU-bound: no sleep, no I/O
            pass
        yield from ()

    eng = Engine(plugins=[RulesetPlugin(make_ruleset("hang", "HANG-001", body=spin),
                                        make_ruleset("good", "GOOD-001"), name="hanging")])
    eng.rule_budget = 0.3
    report = eng.evaluate([operator("op1")], as_of=AS_OF, rulesets=["hang", "good"])
    assert [f.rule_id for f in report.findings] == ["GOOD-001"]
    [diag] = report.rule_errors
    assert (diag.code, diag.rule_id, diag.plugin) == ("rule.timeout", "HANG-001", "hanging")
    assert "0.3 s" in diag.message.en and "0.3 秒" in diag.message.zh
    assert {s.rule_id: s.status for s in report.rule_stats} == {"HANG-001": "error",
                                                                "GOOD-001": "ran"}
    assert report.exit_code() == 3
    # no measured time in the canonical report, only the budget
    second = eng.evaluate([operator("op1")], as_of=AS_OF, rulesets=["hang", "good"])
    assert report.to_json() == second.to_json()


def test_rule_calling_sys_exit_is_a_rule_error() -> None:
    def leave(ctx: RuleContext) -> Iterator[object]:
        sys.exit(7)
        yield

    eng = Engine(plugins=[RulesetPlugin(make_ruleset("bye", "EXIT-001", body=leave),
                                        make_ruleset("good", "GOOD-001"), name="exiting")])
    report = eng.evaluate([operator("op1")], as_of=AS_OF, rulesets=["bye", "good"])
    assert [f.rule_id for f in report.findings] == ["GOOD-001"]
    [diag] = report.rule_errors
    assert diag.rule_id == "EXIT-001" and "SystemExit(7)" in diag.message.en


def test_budget_lets_keyboard_interrupt_through() -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call_with_budget(interrupt, seconds=5, rule_id="X")
    with pytest.raises(KeyboardInterrupt):
        call_with_budget(interrupt, seconds=None, rule_id="X")
    with pytest.raises(PluginAbort, match="SystemExit"):
        call_with_budget(lambda: sys.exit(3), seconds=None, rule_id="X")


def test_budget_error_names_the_rule(release: threading.Event) -> None:
    with pytest.raises(RuleBudgetError, match="rule SLOW-1 did not finish") as info:
        call_with_budget(release.wait, seconds=0.05, rule_id="SLOW-1")
    assert info.value.rule_id == "SLOW-1" and info.value.seconds == 0.05
    assert call_with_budget(lambda: 42, seconds=1, rule_id="FAST") == 42


# ----------------------------------------------------------------------- plugins


def _fake_distribution(site: Path, name: str, module_source: str) -> None:
    site.mkdir(exist_ok=True)
    (site / f"{name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = site / f"{name}-0.3.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.3.1\n")
    (info / "entry_points.txt").write_text(f"[fsrules]\n{name} = {name}\n")


EXIT_IN_HOOK = """
    import sys
    from fsrules import hookimpl

    @hookimpl
    def fsrules_register_rulesets(register):
        raise SystemExit(9)
"""


class _Custom(BaseException):
    pass


@pytest.mark.parametrize(("name", "source", "shown"), [
    ("fsrules_exit_at_import", "import sys\nsys.exit(7)\n", "SystemExit: 7"),
    ("fsrules_exit_in_hook", EXIT_IN_HOOK, "SystemExit: 9"),
    ("fsrules_base_at_import", "class Odd(BaseException):\n    pass\nraise Odd('odd')\n",
     "Odd: odd"),
])
def test_plugin_exiting_is_named_and_the_others_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str,
        shown: str) -> None:
    _fake_distribution(tmp_path / "site", name, source)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    eng = Engine.default(environ={})  # raised SystemExit out of the constructor before the fix
    info = {p.name: p for p in eng.plugins}[name]
    assert info.error is not None and shown in info.error
    report = eng.evaluate([region(), *samples(90, 10)], as_of=AS_OF, rulesets=["veto"])
    assert "VETO-005" in report.by_rule()
    [diag] = [d for d in report.diagnostics if d.code == "plugin.load_error"]
    assert diag.plugin == name and report.exit_code() == 3


def test_cli_names_a_plugin_that_exits_at_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        check_bundle: Callable[[Path], Path]) -> None:
    from click.testing import CliRunner

    from fsrules.cli import main

    _fake_distribution(tmp_path / "site", "fsrules_quitter", "import sys\nsys.exit(7)\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delenv("FSRULES_PLUGINS", raising=False)
    bundle = check_bundle(tmp_path)
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(bundle), "--as-of",
                                       "2023-12-31", "-o", str(out), "--format", "json"])
    assert result.exit_code == 3, result.output  # was 7, with no report
    assert out.exists()
    assert "fsrules_quitter" in out.read_text(encoding="utf-8")


@pytest.fixture
def check_bundle() -> Callable[[Path], Path]:
    from .test_cli import write_bundle

    def make(folder: Path) -> Path:
        return write_bundle(folder / "bundle")

    return make
