"""The live monitor (fsrules.live): same findings as the batch engine, record by record.

On Python 3.11 and 3.12 these tests need the ``live`` extra (``make test``
installs it) and fail, not skip, without it; on 3.13 only the import error
is tested.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

from fsrules import Finding, Report, load_catalogue
from fsrules.exceptions import LiveUnavailableError
from fsrules.model import IncidentLevel

from .conftest import incident, region
from .test_school_week import MONDAY, PRIMARY, WEEK, build_week, meal_id, without

LIVE = sys.version_info[:2] in ((3, 11), (3, 12))


def _fresh_import(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in [m for m in sys.modules if m == "fsrules.live" or m.startswith("fsrules.live.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("fsrules.live")


def test_import_names_the_extra_and_versions_on_unsupported_python(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    with pytest.raises(LiveUnavailableError, match=r'fsrules\[live\]') as info:
        _fresh_import(monkeypatch)
    assert "3.11 and 3.12" in str(info.value) and "3.13" in str(info.value)
    assert isinstance(info.value, ImportError)


@pytest.mark.skipif(LIVE, reason="the real import works on 3.11 and 3.12 (tested below)")
def test_import_fails_clearly_here() -> None:  # pragma: no cover - runs on 3.13 only
    with pytest.raises(LiveUnavailableError, match=r"3\.11 and 3\.12"):
        importlib.import_module("fsrules.live")


def test_import_names_the_extra_when_durable_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    if not LIVE:
        pytest.skip("covered by the version check on this Python")
    monkeypatch.setitem(sys.modules, "durable", None)
    monkeypatch.setitem(sys.modules, "durable.engine", None)
    with pytest.raises(LiveUnavailableError, match="durable-rules is not installed"):
        _fresh_import(monkeypatch)


if LIVE:
    from fsrules.exceptions import LiveRuleError
    from fsrules.live import Monitor, replay
    from fsrules.live._correlations import CORRELATIONS
    from fsrules.live._durable import DurableRuleset

needs_live = pytest.mark.skipif(not LIVE, reason="the live extra supports Python 3.11 and 3.12")

AS_OF = dt.date(2023, 6, 30)


def _plan(profile: str = "national", as_of: dt.date = AS_OF) -> Any:
    return load_catalogue().plan(profile=profile, as_of=as_of)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_id, f.subject.id, f.fingerprint)


def _covered(report: Report, covered: tuple[str, ...]) -> set[tuple[str, str, str]]:
    return {_key(f) for f in report.findings if f.rule_id in covered}


# --------------------------------------------------------------------------- durable wrapper


@needs_live
def test_durable_wrapper_is_synchronous_private_and_content_addressed() -> None:
    threads = threading.active_count()
    seen: list[str] = []

    def touch(c: Any) -> None:
        seen.append(c.m.k)

    def boom(c: Any) -> None:
        raise ValueError("boom")

    definition = {"touch": {"all": [{"m": {"t": "rec"}}]},
                  "boom": {"all": [{"m": {"t": "bad"}}]}}
    one = DurableRuleset("TEST-001", definition, {"touch": touch, "boom": boom})
    two = DurableRuleset("TEST-001", definition, {"touch": touch, "boom": boom})
    assert one.name == two.name and one.name.startswith("test-001-")
    assert one.post({"id": "e1", "t": "rec", "k": "meal_service"}) is True
    assert seen == ["meal_service"]
    assert one.post({"id": "e2", "t": "nothing"}) is False   # no rule matched: no error
    with pytest.raises(LiveRuleError, match="boom") as info:
        one.post({"id": "e3", "t": "bad"})
    assert info.value.rule_id == "TEST-001"
    assert one.post({"id": "e4", "t": "rec", "k": "x"}) is True   # it still works
    assert seen == ["meal_service", "x"]
    assert one.facts() == []   # events are consumed: nothing accumulates in durable
    assert threading.active_count() == threads   # no durable Host timer threads


@needs_live
def test_durable_wrapper_refuses_what_the_c_core_cannot_take() -> None:
    def noop(c: Any) -> None:
        del c

    with pytest.raises(ValueError, match="512"):
        DurableRuleset("TEST-003", {f"r{n}": {"all": [{"m": {"n": n}}]} for n in range(513)},
                       {f"r{n}": noop for n in range(513)})
    rs = DurableRuleset("TEST-004", {"r": {"all": [{"m": {"t": "x"}}]}}, {"r": noop})
    with pytest.raises(ValueError, match="explicit id"):
        rs.post({"t": "x"})


# --------------------------------------------------------------------------- the monitor


@needs_live
def test_meal_without_sample_completes_on_its_day_and_resolves_when_the_sample_arrives() -> None:
    missing = f"{meal_id(PRIMARY, WEEK[0], 'lunch')}-s3"        # 土豆烧牛肉, Monday lunch
    week = build_week()
    late = next(f for f in week if f.id == missing)
    facts = without(week, missing)
    plan = _plan()
    monitor = Monitor(plan, rules=["SCHOOL-002"])
    updates = list(replay(monitor, facts, as_of=MONDAY))
    [finding] = [f for u in updates for f in u.completed]
    assert updates[-1].day == MONDAY
    batch = plan.run(facts)
    [expected] = [f for f in batch.findings if f.rule_id == "SCHOOL-002"]
    assert finding.fingerprint == expected.fingerprint
    assert finding.subject == expected.subject and finding.subject.id == PRIMARY
    assert finding.evidence["dish"] == "土豆烧牛肉" and finding.evidence["sample_ids"] == []
    assert any(b.article == "第二十八条" for b in finding.legal_basis)
    assert monitor.findings() == (finding,)
    # nothing more through the week; then the sample turns up late
    rest = list(replay(monitor, [], as_of=WEEK[-1]))
    assert [f for u in rest for f in u.completed] == []
    monitor.post(late)
    update = monitor.advance(to=WEEK[-1] + dt.timedelta(days=1))
    assert [f.fingerprint for f in update.resolved] == [finding.fingerprint]
    assert update.completed == () and monitor.findings() == ()
    assert monitor.live_state()["SCHOOL-002"] == 30   # the week's meals, in their window
    beyond = monitor.advance(to=dt.date(2024, 6, 30))  # every meal out of the 12-month window
    assert beyond.completed == () and beyond.resolved == ()
    assert monitor.live_state()["SCHOOL-002"] == 0   # closed cases hold no records
    watch = monitor._watches["SCHOOL-002"]
    assert watch.where == {} and all(case == "" for _, case in watch.last_wake)


@needs_live
def test_record_corrected_into_another_case_reopens_the_case_it_left() -> None:
    """A 留样 record re-filed under another meal: the meal it left is looked at again."""
    monday, tuesday = (meal_id(PRIMARY, day, "lunch") for day in WEEK[:2])
    week = build_week()
    sample = next(f for f in week if f.id == f"{monday}-s3")   # 土豆烧牛肉, Monday lunch
    plan = _plan(as_of=WEEK[-1])
    monitor = Monitor(plan, rules=["SCHOOL-002"])
    assert [f for u in replay(monitor, week, as_of=WEEK[-1]) for f in u.completed] == []
    moved = attrs.evolve(sample, meal_service_id=tuesday)
    monitor.post(moved)
    update = monitor.advance(to=WEEK[-1])
    corrected = [moved if f.id == sample.id else f for f in week]
    batch = [f for f in plan.run(corrected).findings if f.rule_id == "SCHOOL-002"]
    assert [f.fingerprint for f in update.completed] == [f.fingerprint for f in batch]
    [finding] = update.completed
    assert finding.subject.id == PRIMARY and finding.evidence["dish"] == "土豆烧牛肉"
    assert finding.evidence["meal_service_id"] == monday and update.resolved == ()
    watch = monitor._watches["SCHOOL-002"]
    assert watch.where[sample.key] == (PRIMARY, tuesday)


@needs_live
def test_meal_leaving_the_window_resolves_and_quiet_meals_are_not_looked_at_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a meal's exit from the look-back window only a meal with an open finding is re-run."""
    monday = meal_id(PRIMARY, WEEK[0], "lunch")
    facts = without(build_week(), f"{monday}-s3")                # 土豆烧牛肉 unsampled
    monitor = Monitor(_plan(), rules=["SCHOOL-002"])
    list(replay(monitor, facts, as_of=WEEK[-1]))
    [finding] = monitor.findings()
    day = dt.date(2024, 4, 30)                 # the week's records have had their own looks
    assert not monitor.advance(to=day)
    looked: list[tuple[str, str]] = []
    run = monitor._findings_batch

    def spy(watch: Any, keys: list[tuple[str, str]], day: dt.date) -> Any:
        looked.extend(keys)
        return run(watch, keys, day)

    monkeypatch.setattr(monitor, "_findings_batch", spy)
    gone = None
    while gone is None and day < dt.date(2024, 12, 31):
        day += dt.timedelta(days=1)
        update = monitor.advance(to=day)
        assert update.completed == ()
        if update.resolved:
            assert [f.fingerprint for f in update.resolved] == [finding.fingerprint]
            gone = day
    assert gone is not None
    # the batch engine reports it up to the day before, and not on that day
    before = _plan(as_of=gone - dt.timedelta(days=1)).run(facts).findings
    assert finding.fingerprint in {f.fingerprint for f in before}
    assert finding.fingerprint not in {f.fingerprint for f in _plan(as_of=gone).run(facts).findings}
    assert not monitor.advance(to=dt.date(2024, 6, 30))   # every meal out of the window
    assert monitor.live_state()["SCHOOL-002"] == 0
    assert set(looked) == {(PRIMARY, monday)}        # the quiet meals: closed unlooked


@needs_live
def test_full_week_is_quiet() -> None:
    monitor = Monitor(_plan(), rules=["SCHOOL-002", "SCHOOL-003"])
    updates = list(replay(monitor, build_week(), as_of=AS_OF))
    assert [u for u in updates if u.completed or u.resolved] == []


@needs_live
def test_incident_escalating_to_major_triggers_the_veto_when_its_counts_are_updated() -> None:
    plan = _plan(as_of=dt.date(2023, 12, 31))
    monitor = Monitor(plan, rules=["VETO-002"])
    first = incident("inc-1", ill=12, occurred_on=dt.date(2023, 6, 1))
    monitor.post(region())
    monitor.post(first)
    assert monitor.advance(to=dt.date(2023, 6, 1)).completed == ()
    bigger = incident("inc-1", ill=120, deaths=1, occurred_on=dt.date(2023, 6, 1))
    monitor.post(bigger)      # the same incident, its counts updated
    update = monitor.advance(to=dt.date(2023, 6, 2))
    [veto] = update.completed
    assert veto.rule_id == "VETO-002" and veto.severity.value == "critical"
    assert veto.evidence["incident_ids"] == ["inc-1"] and veto.evidence["levels"] == ["II"]
    assert any(b.article == "第一百零二条" for b in veto.legal_basis)
    [expected] = [f for f in plan.run([region(), bigger]).findings if f.rule_id == "VETO-002"]
    assert veto.fingerprint == expected.fingerprint
    # recorded back down to a minor level: the veto is resolved
    monitor.post(incident("inc-1", ill=3, level=IncidentLevel.IV,
                          occurred_on=dt.date(2023, 6, 1)))
    assert [f.fingerprint for f in monitor.advance(to=dt.date(2023, 6, 3)).resolved] == [
        veto.fingerprint]


@needs_live
def test_bad_record_is_a_diagnostic_and_time_cannot_go_back() -> None:
    monitor = Monitor(_plan(), rules=["SCHOOL-002"])
    update = monitor.post({"kind": "meal_service", "id": "m1", "operator_id": "",
                           "served_on": "2023-13-45"})
    assert update.completed == () and update.diagnostics
    assert all(d.level.value == "error" for d in update.diagnostics)
    assert monitor.inputs == 1
    monitor.advance(to=dt.date(2023, 5, 1))
    with pytest.raises(ValueError, match="cannot move back"):
        monitor.advance(to=dt.date(2023, 4, 30))


@needs_live
def test_covered_rules_have_correlations_and_legal_basis() -> None:
    catalogue = load_catalogue()
    for rule_id, corr in CORRELATIONS.items():
        assert corr.shape in {"absence", "deadline", "recurrence", "lifecycle"}
        assert corr.note
        if rule_id in catalogue.rules:
            assert catalogue.rule(rule_id).legal_basis, rule_id


# --------------------------------------------------------------------------- restarts


@needs_live
def test_killed_monitor_resumes_without_losing_or_repeating(tmp_path: Any) -> None:
    missing = {f"{meal_id(PRIMARY, day, 'lunch')}-s3" for day in WEEK}
    facts = without(build_week(), *missing)
    plan = _plan()
    whole = Monitor(plan, rules=["SCHOOL-002"])
    expected = [(u.day, _key(f)) for u in replay(whole, facts, as_of=AS_OF) for f in u.completed]
    assert len(expected) == 5

    state = tmp_path / "state"
    first = Monitor(plan, rules=["SCHOOL-002"], state_dir=state)
    seen: list[tuple[dt.date | None, tuple[str, str, str]]] = []
    stream = replay(first, facts, as_of=AS_OF)
    for update in stream:
        seen += [(update.day, _key(f)) for f in update.completed]
        if len(seen) >= 2:
            break          # killed: no close(), the generator abandoned mid-stream
    del first, stream
    second = Monitor(plan, rules=["SCHOOL-002"], state_dir=state)
    assert second.inputs > 0 and second.day is not None
    assert {_key(f) for f in second.findings()} == {k for _, k in seen}
    seen += [(u.day, _key(f)) for u in replay(second, facts, as_of=AS_OF, skip=second.inputs)
             for f in u.completed]
    second.close()
    assert seen == expected


@needs_live
def test_state_folder_of_another_plan_is_refused(tmp_path: Any) -> None:
    from fsrules.exceptions import ConfigError

    Monitor(_plan(), rules=["SCHOOL-002"], state_dir=tmp_path).close()
    with pytest.raises(ConfigError, match="another monitor"):
        Monitor(_plan(), rules=["SCHOOL-003"], state_dir=tmp_path)


# --------------------------------------------------------------------------- shapes go live


@needs_live
def test_rules_declared_with_shapes_go_live_without_extra_code() -> None:
    from fsrules import Engine
    from fsrules.model import BanquetReport, Incident

    from .test_shapes import RULES, VALUES, _Plugin, eatery, inspection

    engine = Engine(plugins=[_Plugin(RULES, VALUES)], builtins=True, profile="shapes-test")
    as_of = dt.date(2023, 12, 31)
    plan = engine.catalogue.plan(profile="shapes-test", as_of=as_of, rulesets=["shapes-test"])
    monitor = Monitor(plan)
    assert set(monitor.covered) == {"SHAPE-001", "SHAPE-003", "SHAPE-004", "SHAPE-005"}
    facts = [
        eatery("op1"), eatery("op2"), eatery("op3"),
        inspection("i1", dt.date(2023, 3, 1)),                       # op1: absence after 90 days
        inspection("i2", dt.date(2023, 11, 20), op="op2"),
        *(inspection(f"f{n}", dt.date(2023, 4, n), op="op3", failed=1) for n in (1, 2, 3)),
        BanquetReport(id="b1", undertaker_id="op2", region_code="510122", diners=150,
                      held_on=dt.date(2023, 8, 10), reported_on=dt.date(2023, 8, 9)),
        Incident(id="x1", operator_id="op2", region_code="130533", ill=3,
                 occurred_on=dt.date(2023, 9, 1)),
    ]
    timeline: dict[str, dt.date | None] = {}
    for update in replay(monitor, facts, as_of=as_of):
        for f in update.completed:
            timeline.setdefault(f.rule_id, update.day)
    live = {_key(f) for f in monitor.findings()}
    assert live == {_key(f) for f in plan.run(facts).findings if f.rule_id in monitor.covered}
    assert {k[0] for k in live} == {"SHAPE-001", "SHAPE-003", "SHAPE-004", "SHAPE-005"}
    # each completed on its own day, not at the end
    assert timeline["SHAPE-001"] is not None and timeline["SHAPE-001"] < as_of
    assert timeline["SHAPE-004"] is not None and timeline["SHAPE-004"] < as_of


@needs_live
def test_process_killed_mid_stream_resumes_from_its_journal(tmp_path: Any) -> None:
    """A real crash: the child process dies with os._exit (no close, no flush by Python)."""
    import subprocess
    import textwrap

    state = tmp_path / "state"
    child = textwrap.dedent(f"""
        import datetime as dt, os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from fsrules import load_catalogue
        from fsrules.live import Monitor, replay
        from tests.test_school_week import PRIMARY, WEEK, build_week, meal_id, without
        facts = without(build_week(), *{{f"{{meal_id(PRIMARY, d, 'lunch')}}-s3" for d in WEEK}})
        plan = load_catalogue().plan(profile="national", as_of=dt.date(2023, 6, 30))
        monitor = Monitor(plan, rules=["SCHOOL-002"], state_dir={str(state)!r})
        seen = 0
        for update in replay(monitor, facts, as_of=dt.date(2023, 6, 30)):
            for f in update.completed:
                print(f.fingerprint, flush=True)
                seen += 1
            if seen >= 3:
                os._exit(9)
    """)
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                         timeout=300, check=False)
    assert out.returncode == 9, out.stderr
    before = out.stdout.split()
    assert len(before) == 3
    missing = {f"{meal_id(PRIMARY, day, 'lunch')}-s3" for day in WEEK}
    facts = without(build_week(), *missing)
    plan = _plan()
    expected = [f.fingerprint for u in replay(Monitor(plan, rules=["SCHOOL-002"]), facts,
                                              as_of=AS_OF) for f in u.completed]
    resumed = Monitor(plan, rules=["SCHOOL-002"], state_dir=state)
    after = [f.fingerprint for u in replay(resumed, facts, as_of=AS_OF, skip=resumed.inputs)
             for f in u.completed]
    resumed.close()
    assert before + after == expected


def test_watch_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from fsrules.cli import main

    for name in [m for m in sys.modules if m == "fsrules.live" or m.startswith("fsrules.live.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    result = CliRunner().invoke(main, ["watch", "--profile", "demo"], input="",
                                env={"FSRULES_LANG": "en"})
    assert result.exit_code == 2
    assert 'fsrules[live]' in result.output and "3.11 and 3.12" in result.output
