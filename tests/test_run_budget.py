"""The rule budget's machinery (issue 11): one worker thread per run, no reference cycles."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator

import pytest

from fsrules import Engine, RuleContext
from fsrules._budget import RuleRunner, call_with_budget
from fsrules.exceptions import RuleBudgetError

from .conftest import AS_OF, operator
from .test_engine import RulesetPlugin, make_ruleset


class _Held:
    """Something a rule's closure holds (weakly referenceable, unlike a FactSet)."""


@pytest.fixture
def gc_paused() -> Iterator[None]:
    """A run pauses the cyclic collector: anything caught in a cycle then stays alive."""
    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


@pytest.mark.parametrize("seconds", [None, 5.0])
def test_a_failing_rule_leaves_no_cycle_holding_what_it_read(
        gc_paused: None, seconds: float | None) -> None:
    held = _Held()
    alive = weakref.ref(held)

    def fail(thing: _Held = held) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        call_with_budget(fail, seconds=seconds, rule_id="BOOM-1")
    del fail, held
    # freed by reference counting alone: the exception and its traceback were not
    # kept in a variable one of the traceback's own frames holds
    assert alive() is None


def _noting(seen: list[int], value: int) -> Callable[[], int]:
    def call() -> int:
        seen.append(threading.get_ident())
        return value
    return call


def test_a_runner_runs_every_call_on_one_worker_thread() -> None:
    seen: list[int] = []
    with RuleRunner(5.0) as runner:
        for n in range(5):
            assert runner.call(_noting(seen, n), rule_id=f"R-{n}") == n
    assert len(set(seen)) == 1 and seen[0] != threading.get_ident()


def test_without_a_budget_calls_run_in_the_calling_thread() -> None:
    with RuleRunner(None) as runner:
        assert runner.call(threading.get_ident, rule_id="R-1") == threading.get_ident()


def test_after_a_timeout_the_next_call_gets_a_new_worker() -> None:
    release = threading.Event()
    seen: list[int] = []
    late: list[str] = []

    def stuck() -> str:
        seen.append(threading.get_ident())
        release.wait()
        late.append("finished")
        return "ignored"

    try:
        with RuleRunner(0.05) as runner:
            with pytest.raises(RuleBudgetError, match="rule SLOW-1 did not finish"):
                runner.call(stuck, rule_id="SLOW-1")
            assert runner.call(_noting(seen, 7), rule_id="NEXT-1") == 7
            assert runner.call(_noting(seen, 8), rule_id="NEXT-2") == 8
    finally:
        release.set()
    # the abandoned worker, the new one (shared by the two later calls)
    assert seen[0] != seen[1] == seen[2]


def test_a_run_starts_one_worker_for_all_its_rules() -> None:
    threads: dict[str, int] = {}

    def body(rule_id: str) -> Callable[[RuleContext], Iterator[object]]:
        def evaluate(ctx: RuleContext) -> Iterator[object]:
            threads[rule_id] = threading.get_ident()
            yield from ()
        return evaluate

    rulesets = [make_ruleset(f"rs{n}", f"ONE-00{n}", body=body(f"ONE-00{n}")) for n in range(4)]
    eng = Engine(plugins=[RulesetPlugin(*rulesets)])
    report = eng.evaluate([operator("op1")], as_of=AS_OF, rulesets=[r.id for r in rulesets])
    assert {s.status for s in report.rule_stats} == {"ran"}
    assert len(threads) == 4 and len(set(threads.values())) == 1
    assert threading.get_ident() not in threads.values()
