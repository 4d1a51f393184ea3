"""A time budget per rule, and containment of ``BaseException`` from plugin code (issue 13, D6).

A rule that never returns used to hang ``check`` for ever, and a plugin
calling ``sys.exit(7)`` ended the whole process with no report.
A :class:`RuleRunner` runs one evaluation's rules, one after another, on a
single worker thread, and waits at most ``seconds`` for each:

* over budget: :class:`~fsrules.exceptions.RuleBudgetError` is raised in the
  caller, which turns it into a diagnostic and goes on with the next rule.
  Python cannot stop a thread, so the worker is *abandoned*: it is a daemon
  thread, keeps running (and using CPU) in the background until it returns
  or the process exits, whatever it produces later is ignored, and it ends
  instead of taking another rule; the next rule gets a new worker. The
  report never contains a measured time, only the budget that was exceeded.
* ``SystemExit``, ``GeneratorExit`` or any other ``BaseException`` except
  ``KeyboardInterrupt`` raised by the rule comes back as
  :class:`PluginAbort` (an ordinary ``Exception``), so the engine reports it
  against the rule like any other failure. ``KeyboardInterrupt`` still stops
  the run: the user asked for it.

One worker per run, not one thread per rule: a thread's start and join cost
about 0.1 ms, and a run has a hundred rules. :func:`call_with_budget` is the
one-rule form (a runner for a single call).

Nothing here reads the wall clock: the wait uses the lock acquire timeout.
An exception handed from the worker to the caller is not kept in any
variable that its traceback's frames hold: such a reference cycle would keep
the rule's context (and through it every fact snapshot of the run) alive
until the next cyclic collection, which a run pauses (:mod:`fsrules._gcpause`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules.exceptions import RuleBudgetError

__all__ = [
    "DEFAULT_RULE_BUDGET", "PluginAbort", "RuleRunner", "budget_diagnostic", "call_trapping",
    "call_with_budget",
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


class _Call(Generic[T]):
    """One call handed to a worker: its function, then its outcome, and a lock released when done."""

    __slots__ = ("done", "error", "func", "result")

    def __init__(self, func: Callable[[], T]) -> None:
        self.func: Callable[[], T] | None = func
        self.result: T | None = None
        self.error: BaseException | None = None
        self.done = threading.Lock()
        self.done.acquire()

    def run(self) -> None:
        func, self.func = self.func, None
        try:
            if func is not None:
                self.result = call_trapping(func)
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            self.done.release()

    def outcome(self) -> T:
        """The result, or raise the error (kept in no variable its traceback holds)."""
        if self.error is not None:
            try:
                raise self.error
            finally:
                self.error = None
        return self.result  # type: ignore[return-value]  # None only if func returns None


def _serve(calls: queue.SimpleQueue[_Call[Any] | None]) -> None:
    """A worker: run the calls put on ``calls`` until it gets None."""
    while True:
        call = calls.get()
        if call is None:
            return
        call.run()
        del call  # hold nothing of a finished rule while waiting for the next


class RuleRunner:
    """Runs the rules of one evaluation, each within ``seconds``, on one worker thread.

    ``seconds`` None (or not positive) means no budget: each function runs in
    the calling thread. Use as a context manager (:meth:`close` lets the
    worker end); exceptions from a function are re-raised in the caller.
    """

    __slots__ = ("_calls", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds is not None and seconds > 0 else None
        self._calls: queue.SimpleQueue[_Call[Any] | None] | None = None

    def __enter__(self) -> RuleRunner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Let the worker end (after the call it is running, if it was abandoned)."""
        calls, self._calls = self._calls, None
        if calls is not None:
            calls.put(None)

    def call(self, func: Callable[[], T], *, rule_id: str) -> T:
        """``func()`` if it finishes within the budget; else :class:`RuleBudgetError`."""
        seconds = self.seconds
        if seconds is None:
            return call_trapping(func)
        calls = self._calls
        if calls is None:
            calls = self._calls = queue.SimpleQueue()
            threading.Thread(target=_serve, args=(calls,), name="fsrules-rules",
                             daemon=True).start()
        call = _Call(func)
        calls.put(call)
        if not call.done.acquire(timeout=seconds):
            self.close()  # abandoned: that worker ends after this call, if ever
            raise RuleBudgetError(
                f"rule {rule_id} did not finish within its time budget of {seconds:g} s and "
                "was abandoned; raise the budget (--rule-budget, or rule_budget in "
                "fsrules.toml) if the rule is just slow", rule_id=rule_id, seconds=seconds)
        return call.outcome()


def call_with_budget(func: Callable[[], T], *, seconds: float | None, rule_id: str) -> T:
    """``func()`` if it finishes within ``seconds``; else :class:`RuleBudgetError`.

    ``seconds`` None (or not positive) means no budget: ``func`` runs in the
    calling thread. Exceptions from ``func`` are re-raised in the caller.
    """
    with RuleRunner(seconds) as runner:
        return runner.call(func, rule_id=rule_id)


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
