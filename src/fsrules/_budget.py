"""A time budget per rule, and containment of ``BaseException`` from plugin code (issue 13, D6).

A rule that never returns used to hang ``check`` for ever, and a plugin
calling ``sys.exit(7)`` ended the whole process with no report.
:func:`call_with_budget` runs one rule's evaluation in a worker thread and
waits at most ``seconds`` for it:

* over budget: :class:`~fsrules.exceptions.RuleBudgetError` is raised in the
  caller, which turns it into a diagnostic and goes on with the next rule.
  Python cannot stop a thread, so the worker is *abandoned*: it is a daemon
  thread, keeps running (and using CPU) in the background until it returns
  or the process exits, and whatever it produces later is ignored. The
  report never contains a measured time, only the budget that was exceeded.
* ``SystemExit``, ``GeneratorExit`` or any other ``BaseException`` except
  ``KeyboardInterrupt`` raised by the rule comes back as
  :class:`PluginAbort` (an ordinary ``Exception``), so the engine reports it
  against the rule like any other failure. ``KeyboardInterrupt`` still stops
  the run: the user asked for it.

Nothing here reads the wall clock: the wait uses the thread join timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules.exceptions import RuleBudgetError

__all__ = [
    "DEFAULT_RULE_BUDGET", "PluginAbort", "budget_diagnostic", "call_trapping", "call_with_budget",
]

T = TypeVar("T")

#: Seconds one rule may run before it is abandoned. Generous: the slowest
#: built-in rule takes well under a second on the 300,000-row benchmark.
DEFAULT_RULE_BUDGET = 60.0


class PluginAbort(Exception):
    """Plugin code raised a ``BaseException`` (``SystemExit``...) that would end the process."""

    def __init__(self, original: BaseException) -> None:
        detail = f"({original})" if str(original) else ""
        super().__init__(f"{type(original).__name__}{detail} raised by plugin code")
        self.original = original


def call_trapping(func: Callable[[], T]) -> T:
    """``func()``, with any ``BaseException`` but ``KeyboardInterrupt`` as :class:`PluginAbort`."""
    try:
        return func()
    except (Exception, KeyboardInterrupt):
        raise
    except BaseException as exc:  # SystemExit, GeneratorExit, custom BaseException subclasses
        raise PluginAbort(exc) from exc


def call_with_budget(func: Callable[[], T], *, seconds: float | None, rule_id: str) -> T:
    """``func()`` if it finishes within ``seconds``; else :class:`RuleBudgetError`.

    ``seconds`` None (or not positive) means no budget: ``func`` runs in the
    calling thread. Exceptions from ``func`` are re-raised in the caller.
    """
    if seconds is None or seconds <= 0:
        return call_trapping(func)
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(call_trapping(func))
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    worker = threading.Thread(target=work, name=f"fsrules-rule-{rule_id}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise RuleBudgetError(
            f"rule {rule_id} did not finish within its time budget of {seconds:g} s and was "
            "abandoned; raise the budget (--rule-budget, or rule_budget in fsrules.toml) if "
            "the rule is just slow", rule_id=rule_id, seconds=seconds)
    if failure:
        raise failure[0]
    return outcome[0]


def budget_diagnostic(exc: RuleBudgetError, *, plugin: str) -> Diagnostic:
    """The ``rule.timeout`` error diagnostic for a rule abandoned over budget."""
    return Diagnostic(
        level=DiagnosticLevel.ERROR, code="rule.timeout",
        message=Text(f"规则 {exc.rule_id} 超过运行时限（{exc.seconds:g} 秒），已放弃",
                     f"rule {exc.rule_id} exceeded its time budget of {exc.seconds:g} s and "
                     "was abandoned"),
        hint=Text(f"请向插件 {plugin} 的维护者报告；规则只是较慢时可用 --rule-budget 或 "
                  "fsrules.toml 的 rule_budget 放宽时限",
                  f"report this to the maintainers of plugin {plugin}; if the rule is just "
                  "slow, raise --rule-budget (or rule_budget in fsrules.toml)"),
        rule_id=exc.rule_id, plugin=plugin)
