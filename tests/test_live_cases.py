"""The case time limits live (CASE-001 … CASE-004): found the day the deadline passes,
resolved when the closing record arrives, equal to the batch report throughout.

They are Deadline-shaped rules: the monitor compiles them (one case per event,
with the records that close it) without a hand-written correlation.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest

from fsrules import Finding, load_catalogue
from fsrules.model import DisposalStatus, Fact, Verdict

from .conftest import operator
from .test_cases import case, complaint, disposal, licence, result

pytestmark = pytest.mark.skipif(sys.version_info[:2] not in ((3, 11), (3, 12)),
                                reason="the live extra supports Python 3.11 and 3.12")

if sys.version_info[:2] in ((3, 11), (3, 12)):
    from fsrules.live import Monitor, replay
    from fsrules.live._correlations import correlation_of

CASES = ("CASE-001", "CASE-002", "CASE-003", "CASE-004")
START = dt.date(2023, 1, 1)


def _plan(as_of: dt.date = dt.date(2023, 12, 31)) -> Any:
    return load_catalogue().plan(profile="national", as_of=as_of, rulesets=["cases"])


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_id, f.subject.id, f.fingerprint)


def test_the_case_rules_are_compiled_from_their_deadline_shape() -> None:
    plan = _plan()
    for rule_id in CASES:
        corr = correlation_of(plan.rule(rule_id))
        assert corr is not None and corr.shape == "deadline", rule_id
        assert corr.note == "compiled from the rule's deadline shape"
        assert corr.case is not None, rule_id   # one case per event: dropped when it closes
    assert set(Monitor(plan).covered) == set(CASES)
    corr = correlation_of(plan.rule("CASE-001"))
    assert corr is not None and corr.case is not None
    assert corr.case(result("s9")) == "s9" and corr.case(disposal("d9", "s9")) == "s9"
    assert corr.case(operator()) is None          # context for every case


# (rule, the event's records, the deadline, the closing record)
SCENARIOS: dict[str, tuple[list[Fact], dt.date, Fact]] = {
    "CASE-001": ([operator(), result(),
                  disposal(status=DisposalStatus.IN_PROGRESS, completed_on=None)],
                 dt.date(2023, 6, 18), disposal(completed_on=dt.date(2023, 7, 2))),
    "CASE-002": ([operator(), complaint()], dt.date(2023, 6, 1),
                 complaint(closed_on=dt.date(2023, 6, 20))),
    "CASE-003": ([operator(), case()], dt.date(2023, 8, 30),
                 case(closed_on=dt.date(2023, 9, 12))),
    "CASE-004": ([operator(), licence()], dt.date(2023, 12, 16),
                 licence("l2", issued_on=dt.date(2023, 12, 20),
                         valid_until=dt.date(2029, 1, 15))),
}


@pytest.mark.parametrize("rule_id", CASES)
def test_found_when_the_deadline_passes_and_resolved_when_the_case_closes(rule_id: str) -> None:
    facts, deadline, closing = SCENARIOS[rule_id]
    plan = _plan()
    monitor = Monitor(plan, rules=[rule_id], start=START)
    for fact in facts:
        monitor.post(fact)
    assert not monitor.advance(to=deadline).completed          # the deadline day is in time
    update = monitor.advance(to=deadline + dt.timedelta(days=1))
    [found] = update.completed
    # the batch finding of that day, fingerprint and all
    day_after = _plan(deadline + dt.timedelta(days=1))
    [batch] = [f for f in day_after.run(facts).findings if f.rule_id == rule_id]
    assert _key(found) == _key(batch) and found.evidence == batch.evidence
    assert found.legal_basis == batch.legal_basis
    # days pass: still open, not reported again
    assert not monitor.advance(to=deadline + dt.timedelta(days=10))
    monitor.post(closing)
    update = monitor.advance(to=deadline + dt.timedelta(days=30))
    assert [_key(f) for f in update.resolved] == [_key(found)]
    assert update.completed == () and monitor.findings() == ()


def test_a_licence_lapsing_keeps_its_finding_and_a_late_case_is_dropped_when_closed() -> None:
    plan = _plan(dt.date(2024, 12, 31))
    monitor = Monitor(plan, rules=["CASE-004", "CASE-003"], start=START)
    monitor.post(operator())
    monitor.post(licence())
    monitor.post(case())
    opened = monitor.advance(to=dt.date(2023, 12, 17)).completed
    assert {f.rule_id for f in opened} == {"CASE-003", "CASE-004"}
    lapsed = monitor.advance(to=dt.date(2024, 1, 16))      # the licence expired meanwhile
    assert lapsed.completed == () and lapsed.resolved == ()   # same problem, same fingerprint
    assert monitor.live_state()["CASE-003"] == 1
    monitor.post(case(closed_on=dt.date(2024, 1, 20)))
    assert [f.rule_id for f in monitor.advance(to=dt.date(2024, 1, 21)).resolved] == ["CASE-003"]
    monitor.advance(to=dt.date(2024, 12, 31))
    assert monitor.live_state()["CASE-003"] == 0            # the closed case holds no records


def test_replayed_cases_equal_the_batch_report() -> None:
    as_of = dt.date(2023, 12, 31)
    facts: list[Fact] = [operator(), operator("op2", closed_on=dt.date(2023, 11, 1)),
                         result(), result("s2", result_received_on=None),
                         result("s3", verdict=Verdict.PASS),
                         disposal("d2", "s2", completed_on=dt.date(2023, 4, 1)),
                         complaint(), complaint("c2", closed_on=dt.date(2023, 5, 30)),
                         complaint("c3", due_on=None), case(),
                         case("k2", extended_until=dt.date(2023, 11, 30)),
                         case("k3", closed_on=dt.date(2023, 12, 1)),
                         licence(), licence("l2", operator_id="op2"),
                         licence("l3", operator_id="op3", valid_until=dt.date(2023, 7, 1)),
                         licence("l4", operator_id="op3", issued_on=dt.date(2023, 8, 1),
                                 valid_until=dt.date(2028, 7, 31))]
    plan = _plan(as_of)
    monitor = Monitor(plan, rules=CASES)
    list(replay(monitor, facts, as_of=as_of))
    live = {_key(f) for f in monitor.findings()}
    batch = {_key(f) for f in plan.run(facts).findings if f.rule_id in CASES}
    assert live == batch
    assert {k[:2] for k in batch} == {("CASE-001", "s1"), ("CASE-002", "c1"),
                                      ("CASE-003", "k1"), ("CASE-003", "k2"),
                                      ("CASE-004", "op1")}


def test_the_worked_example_in_docs_live_prints_what_the_doc_says() -> None:
    """docs/live.md quotes examples/live_cases.py (`make docs`) and shows its output."""
    import contextlib
    import io
    import re
    import runpy
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "live.md").read_text(encoding="utf-8")
    [shown] = re.findall(r"prints \(`tests/test_live_cases.py` runs it and compares\):\n\n"
                         r"```text\n(.*?)```", doc, re.DOTALL)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(root / "examples" / "live_cases.py"), run_name="__main__")
    assert out.getvalue() == shown
