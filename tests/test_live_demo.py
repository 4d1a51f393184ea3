"""The live monitor against the batch engine: the demo county, ``fsrules watch``, generated bundles.

Replaying a bundle's records as a date-ordered stream, completing each day
and finally advancing to ``as_of``, leaves open exactly the batch report's
findings for every rule the monitor covers (same ids, subjects and
fingerprints).

By default the demo test covers four rules (a quarter of a minute);
``FSRULES_LIVE_DEMO=1`` runs every covered rule on the whole county (minutes).
``FSRULES_HYPOTHESIS_PROFILE=deep`` runs many more generated bundles.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings

from fsrules import Finding, load_catalogue
from fsrules.cli import main
from fsrules.loading import load_bundle
from fsrules.testing.strategies import FactBundle, fact_bundles

pytestmark = pytest.mark.skipif(sys.version_info[:2] not in ((3, 11), (3, 12)),
                                reason="the live extra supports Python 3.11 and 3.12")

if sys.version_info[:2] in ((3, 11), (3, 12)):
    from fsrules.live import Monitor, jsonl_records, replay

DEMO = Path(__file__).resolve().parents[1] / "examples" / "weixian"
AS_OF = dt.date(2023, 12, 31)
FULL = os.environ.get("FSRULES_LIVE_DEMO") == "1"
FAST_RULES = ("CASE-001", "CASE-002", "CASE-003", "CASE-004", "RISK-003", "SCHOOL-002",
              "SCHOOL-003", "VETO-002")
DEEP = os.environ.get("FSRULES_HYPOTHESIS_PROFILE") == "deep"


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_id, f.subject.id, f.fingerprint)


@pytest.fixture(scope="module")
def demo() -> Any:
    return load_bundle([DEMO], as_of=AS_OF)


@pytest.fixture(scope="module")
def demo_plan() -> Any:
    return load_catalogue().plan(profile="demo", as_of=AS_OF)


def test_demo_county_replayed_live_equals_the_batch_report(demo: Any, demo_plan: Any) -> None:
    monitor = Monitor(demo_plan, rules=None if FULL else FAST_RULES)
    if not FULL:
        assert monitor.covered == FAST_RULES
    completed: set[tuple[str, str, str]] = set()
    for update in replay(monitor, demo.facts, as_of=AS_OF):
        completed |= {_key(f) for f in update.completed}
    live = {_key(f) for f in monitor.findings()}
    batch = {_key(f) for f in demo_plan.run(demo).findings if f.rule_id in monitor.covered}
    assert live == batch
    assert batch and live <= completed          # each was reported when it completed
    assert {k[0] for k in batch} >= {"RISK-003", "SCHOOL-002", "CASE-001", "CASE-002",
                                     "CASE-003", "CASE-004"}


# --------------------------------------------------------------------------- fsrules watch


def _invoke(args: Sequence[str], stdin: str) -> Result:
    kwargs: dict[str, Any] = {}
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        kwargs["mix_stderr"] = False
    return CliRunner(**kwargs).invoke(main, list(args), input=stdin, catch_exceptions=False,
                                      env={"FSRULES_LANG": "en", "NO_COLOR": None,
                                           "FSRULES_PLUGINS": ""})


def _open_set(lines: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    open_: set[tuple[str, str, str]] = set()
    for item in lines:
        f = item["finding"]
        key = (f["rule_id"], f["subject"]["id"], f["fingerprint"])
        if item["event"] == "completed":
            assert key not in open_
            open_.add(key)
        else:
            assert item["event"] == "resolved" and key in open_
            open_.discard(key)
    return open_


WATCH_RULES = ("CASE-002", "CASE-003", "CASE-004", "RISK-003", "SCHOOL-002", "SCHOOL-003",
               "VETO-002")


@pytest.fixture(scope="module")
def events(demo: Any, demo_plan: Any) -> list[str]:
    """The demo's records that the watched rules read, as JSON Lines in date order."""
    kinds = set()
    for rule_id in WATCH_RULES:
        kinds |= set(demo_plan.rule(rule_id).reads)
    kinds |= {"incident", "region", "operator"}
    return [json.dumps(r, ensure_ascii=False) for r in jsonl_records(demo.facts)
            if r["kind"] in kinds]


def _watch_args(*extra: str) -> list[str]:
    args = ["watch", "--profile", "demo", "--as-of", AS_OF.isoformat(), "--advance-daily"]
    for rule_id in WATCH_RULES:
        args += ["--rule", rule_id]
    return [*args, *extra]


def test_watch_on_the_demo_stream_ends_with_the_check_findings(demo: Any, demo_plan: Any,
                                                                events: list[str]) -> None:
    result = _invoke(_watch_args(), "\n".join(events) + "\n")
    assert result.exit_code == 1, result.stderr   # high findings remain open (--fail-on high)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(set(item) == {"event", "day", "finding"} for item in lines)
    days = [item["day"] for item in lines]
    assert days == sorted(days) and days[0] < AS_OF.isoformat()   # reported as they complete
    batch = {_key(f) for f in demo_plan.run(demo).findings if f.rule_id in WATCH_RULES}
    assert _open_set(lines) == batch


def test_watch_restarted_on_its_state_folder_neither_loses_nor_repeats(
        tmp_path: Path, events: list[str]) -> None:
    whole = _invoke(_watch_args(), "\n".join(events) + "\n").stdout.splitlines()
    state = str(tmp_path / "state")
    cut = len(events) * 2 // 3
    first = _invoke(_watch_args("--state", state), "\n".join(events[:cut]) + "\n")
    # the input ended early (as if the feed died); restarted with the whole feed:
    second = _invoke(_watch_args("--state", state), "\n".join(events) + "\n")
    assert second.exit_code == 1, second.stderr
    before_as_of = [line for line in first.stdout.splitlines()
                    if json.loads(line)["day"] < AS_OF.isoformat()]
    assert before_as_of + second.stdout.splitlines() != []
    combined = _open_set([json.loads(x) for x in first.stdout.splitlines()
                          + second.stdout.splitlines()])
    assert combined == _open_set([json.loads(x) for x in whole])


def test_watch_rejects_a_bad_record_with_exit_2() -> None:
    stdin = '{"kind": "meal_service", "id": "m1", "served_on": "2023-13-45"}\nnot json\n'
    result = _invoke(["watch", "--profile", "demo", "--as-of", "2023-12-31"], stdin)
    assert result.exit_code == 2
    assert "<stdin>:2" in result.stderr and "<stdin>:1" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- generated bundles


@settings(max_examples=200 if DEEP else 12, derandomize=not DEEP, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(bundle=fact_bundles(min_operators=1, max_operators=6, max_regions=1))
def test_replay_equals_batch_on_generated_bundles(demo_plan: Any, bundle: FactBundle) -> None:
    plan = load_catalogue().plan(profile="demo", as_of=bundle.as_of) \
        if bundle.as_of != demo_plan.as_of else demo_plan
    monitor = Monitor(plan)
    list(replay(monitor, bundle.facts, as_of=bundle.as_of))
    live = {_key(f) for f in monitor.findings()}
    batch = {_key(f) for f in plan.run(list(bundle.facts)).findings
             if f.rule_id in monitor.covered}
    assert live == batch
