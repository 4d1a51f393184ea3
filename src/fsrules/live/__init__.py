"""The live monitor: the same rules, record by record, in event time, surviving restarts.

::

    import fsrules
    from fsrules.live import Monitor

    plan = fsrules.load_catalogue().plan(profile="demo", as_of=date(2023, 1, 1))
    with Monitor(plan, state_dir="live-state/") as monitor:
        monitor.post({"kind": "meal_service", "id": "M1", ...})
        update = monitor.advance(to=date(2023, 1, 2))
        update.completed, update.resolved      # batch Finding objects, same fingerprints

It runs on durable_rules, an optional extra: ``pip install "fsrules[live]"``
on Python 3.11 or 3.12. Elsewhere importing this package raises
:class:`~fsrules.exceptions.LiveUnavailableError`; the rest of fsrules works
without it. See docs/live.md.
"""

from __future__ import annotations

import sys

from fsrules.exceptions import LiveRuleError, LiveUnavailableError

SUPPORTED = ((3, 11), (3, 12))
"""Python versions the ``live`` extra (durable-rules 2.0.28) builds and imports on."""


def _unavailable(reason: str) -> LiveUnavailableError:
    return LiveUnavailableError(
        f"fsrules.live needs the 'live' extra (pip install \"fsrules[live]\"), "
        f"which supports Python 3.11 and 3.12 only: {reason}")


if sys.version_info[:2] not in SUPPORTED:
    raise _unavailable(f"this is Python {sys.version_info[0]}.{sys.version_info[1]}")
try:
    import durable.engine  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise _unavailable(f"durable-rules is not installed ({exc})") from exc

from fsrules.live._correlations import CORRELATIONS, Correlation, Offset  # noqa: E402
from fsrules.live._monitor import Monitor, Update  # noqa: E402
from fsrules.live._stream import date_ordered, jsonl_records, replay  # noqa: E402

__all__ = [
    "CORRELATIONS",
    "SUPPORTED",
    "Correlation",
    "LiveRuleError",
    "LiveUnavailableError",
    "Monitor",
    "Offset",
    "Update",
    "date_ordered",
    "jsonl_records",
    "replay",
]
