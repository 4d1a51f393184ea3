"""The ``fsrules`` group imports a command's module only when that command is asked for (issue 11).

``fsrules check`` must not pay for the catalogue renderings, the history
store (sqlite3) or the live monitor; ``--help`` and the suggestions for a
mistyped command must still see every command.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import click

from fsrules.cli import _COMMAND_MODULES, _import_commands, main


def _fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter (nothing imported before it)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def test_every_command_is_in_the_map_and_defined_by_its_module() -> None:
    _import_commands()
    assert set(main.commands) == set(_COMMAND_MODULES)
    for name, module in _COMMAND_MODULES.items():
        command = main.commands[name]
        assert command.callback is not None
        assert command.callback.__module__ == module, name


def test_check_imports_only_its_own_command_module() -> None:
    out = _fresh("""
        import sys
        import click
        from fsrules.cli import main
        ctx = click.Context(main, info_name="fsrules")
        assert main.get_command(ctx, "check") is not None
        print(sorted(m for m in ("fsrules._cli_check", "fsrules._cli_catalogue",
                                 "fsrules.lifecycle.commands", "fsrules._cli_live",
                                 "fsrules._render", "sqlite3", "difflib") if m in sys.modules))
    """)
    assert out == "['fsrules._cli_check']"


def test_help_lists_every_command() -> None:
    out = _fresh("""
        import click
        from fsrules.cli import main
        ctx = click.Context(main, info_name="fsrules")
        print(" ".join(main.list_commands(ctx)))
    """)
    assert out.split() == sorted(_COMMAND_MODULES)


def test_a_mistyped_command_is_told_the_close_ones() -> None:
    out = _fresh("""
        from click.testing import CliRunner
        from fsrules.cli import main
        result = CliRunner().invoke(main, ["chek"], env={"FSRULES_LANG": "en"})
        print(result.exit_code, result.output)
    """)
    assert out.startswith("2 ")
    assert "'check'" in out


def test_a_command_resolves_the_same_object_every_time() -> None:
    ctx = click.Context(main, info_name="fsrules")
    first = main.get_command(ctx, "rules")
    assert first is not None and first is main.get_command(ctx, "rules")


def test_an_engine_for_check_leaves_writers_and_serialisers_unimported() -> None:
    out = _fresh("""
        import sys
        from fsrules.cli import make_engine
        engine = make_engine("demo", False)
        assert {"xlsx", "html", "json"} <= set(engine.output_formats)
        print(sorted(m for m in ("fsrules.lifecycle.ledger", "fsrules.lifecycle.html",
                                 "fsrules.lifecycle.store", "sqlite3", "cattrs", "openpyxl")
                     if m in sys.modules))
    """)
    assert out == "[]"
