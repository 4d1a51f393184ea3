"""Registers ``fsrules watch`` on the ``fsrules`` group (imported at the end of :mod:`fsrules.cli`).

With the ``live`` extra importable (Python 3.11 and 3.12), the command is
:mod:`fsrules.live._watch`; without it, ``fsrules watch`` still exists and
says what to install (exit 2), so the CLI reference is the same everywhere.
"""

from __future__ import annotations

from typing import Any

import click

from fsrules.exceptions import LiveUnavailableError

__all__: list[str] = []

try:
    from fsrules.live import _watch as _live_watch

    del _live_watch
except LiveUnavailableError as _exc:
    _REASON = str(_exc)

    from fsrules.cli import EXIT_INPUT, _err, _exit, main

    @main.command(context_settings={"ignore_unknown_options": True},
                  help="实时监测（需要 live 扩展）。 Live monitor (needs the 'live' extra).")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def watch(args: tuple[Any, ...]) -> None:
        """``fsrules watch`` where the live extra cannot be imported."""
        del args
        _err(f"error: {_REASON}")
        raise _exit(EXIT_INPUT)
