"""The live monitor: records one at a time, findings as soon as they complete.

``Monitor(plan)`` covers the plan's rules that have a correlation
(:data:`~fsrules.live._correlations.CORRELATIONS`). ``post(record)`` takes
one record (a fact, or a mapping validated exactly as the loaders validate
a row); ``advance(to=day)`` moves event time to the end of ``day``. Each
returns an :class:`Update`: the findings that completed and the findings
that were resolved, as the batch engine's own :class:`~fsrules.Finding`
objects (the monitor re-runs the rule over the subject's facts as of the
day, so ids, subjects and fingerprints are the batch ones).

Event time only: there is no clock. A day is looked at when ``advance``
passes it; the correlations in durable_rules say which subjects to look
at (those touched by a record, those with a wake day due).
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from fsrules._diagnostics import Diagnostic
from fsrules._factset import FactSet
from fsrules._findings import Finding
from fsrules._params import ResolvedParam
from fsrules._plan import Plan
from fsrules._rules import Rule
from fsrules._run import run_plan
from fsrules.exceptions import ParameterError
from fsrules.loading import load_records
from fsrules.model import Fact, Operator
from fsrules.model._serialize import dump_fact, load_fact

from ._correlations import (
    Correlation,
    correlation_of,
    fact_dates,
    rule_bounds,
    touch_condition,
    wake_days_from,
)
from ._durable import MAX_RULES, DurableRuleset
from ._journal import Journal

__all__ = ["Monitor", "Update"]

ALL = "*"
SHARED = "\x00shared"


@attrs.frozen(kw_only=True)
class Update:
    """What one ``post`` or ``advance`` changed."""

    day: dt.date | None
    """Event time after the operation (the last completed day)."""
    completed: tuple[Finding, ...] = ()
    """Findings that appeared (a correlation completed)."""
    resolved: tuple[Finding, ...] = ()
    """Findings that went away (the record that was missing arrived, the window passed)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Rejected records and rule problems."""

    def __bool__(self) -> bool:
        return bool(self.completed or self.resolved or self.diagnostics)


Case = tuple[str, str]
"""``(subject, case)``: an operator (or ``*``) and one of its cases (``""``: the subject)."""


@attrs.define
class _Watch:
    """One covered rule: its correlation, its durable ruleset and its live cases."""

    rule: Rule
    corr: Correlation
    kinds: frozenset[str]
    derivations: tuple[Rule, ...]
    facts: dict[Case, dict[tuple[str, str], Fact]] = attrs.field(factory=dict)
    """Each live case's records (context records under case ``None``... see ``context``)."""
    context: dict[str, dict[tuple[str, str], Fact]] = attrs.field(factory=dict)
    """Per subject, records that belong to every case of it (its operator, licences...)."""
    cases: dict[str, dict[str, Case]] = attrs.field(factory=dict)
    """Per subject, its live cases (each case's key, one tuple shared by every table)."""
    open: dict[Case, dict[str, Finding]] = attrs.field(factory=dict)
    touched: set[Case] = attrs.field(factory=set)
    due: set[Case] = attrs.field(factory=set)
    exits: set[Case] = attrs.field(factory=set)
    """Cases whose wake today is an exit from the window only (see ``Offset.exit``)."""
    last_wake: dict[Case, int] = attrs.field(factory=dict)
    where: dict[tuple[str, str], Case] = attrs.field(factory=dict)
    """The case each record is in: ``record key -> (subject, case)``."""
    bounds: frozenset[int] = frozenset()
    """Wake days of the rule itself (its in-force dates)."""

    def case_of(self, fact: Fact) -> str | None:
        """The case ``fact`` belongs to; None when it is context for all cases."""
        if self.corr.case is None:
            return ""
        return self.corr.case(fact)


def _closure(plan: Plan, rule: Rule) -> tuple[tuple[Rule, ...], frozenset[str]]:
    """The derivations ``rule`` depends on (plan order) and every kind read on the way."""
    kinds = set(rule.reads)
    needed: list[Rule] = []
    for der in reversed(plan.derivations):
        if set(der.produces) & kinds:
            needed.append(der)
            kinds.update(der.reads)
    return tuple(reversed(needed)), frozenset(kinds)


class Monitor:
    """Live evaluation of a plan's covered rules (see the module docstring).

    Args:
        plan: the plan (its ``as_of`` is only the starting point: event time
            moves with ``advance``).
        state_dir: a folder for the journal; a monitor opened on a folder
            that has one resumes where it stopped. ``None``: memory only.
        rules: restrict to these rule ids (default: every covered rule in the plan).
        kinds: the fact kinds records may have (default: the built-in ones;
            pass ``catalogue.fact_kinds`` for plugin kinds).
        start: event time before the first ``advance`` (default: none).
    """

    def __init__(self, plan: Plan, *, state_dir: str | Path | None = None,
                 rules: Iterable[str] | None = None,
                 kinds: Mapping[str, type[Fact]] | None = None,
                 start: dt.date | None = None) -> None:
        wanted = None if rules is None else set(rules)
        self.plan = attrs.evolve(plan, load_diagnostics=())
        self._kinds = dict(kinds) if kinds is not None else None
        self._day: dt.date | None = start
        self._operators: dict[str, Operator] = {}
        self._operators_of_school: dict[str, set[str]] = {}
        self._wake_heap: list[int] = []
        """The day numbers ``_wakes`` has (a heap)."""
        self._wakes: dict[int, dict[str, dict[Case, bool]]] = {}
        """Per wake day, per covered rule, the cases to look at again that day (False:
        only their exit from the window, see ``Offset.exit``)."""
        self._plans: dict[tuple[str, dt.date], Plan] = {}
        self._seq = 0
        self._sent = 0
        self._outbox: dict[str, dict[str, set[Case]]] = {}
        """Per kind, per covered rule, the cases records touched since the last ``_send``."""
        self._inputs = 0
        self._quiet = False
        self._reported: list[tuple[str, str, str]] = []
        self._watches: dict[str, _Watch] = {}
        for rule in plan.rules:
            corr = correlation_of(rule)
            if corr is None or (wanted is not None and rule.id not in wanted):
                continue
            derivations, read = _closure(plan, rule)
            watch = _Watch(rule=rule, corr=corr, kinds=read, derivations=derivations,
                           bounds=frozenset(d.toordinal() for d in rule_bounds(rule)))
            self._watches[rule.id] = watch
        self._durable = compile_rules(self._watches)
        self._wake_cache: dict[tuple[str, tuple[dt.date, ...]], tuple[tuple[int, bool], ...]] = {}
        self._read = frozenset(k for w in self._watches.values() for k in w.kinds)
        self._journal: Journal | None = None
        if state_dir is not None:
            self._journal = Journal(state_dir, {
                "catalogue_digest": plan.catalogue_digest, "profile": plan.profile,
                "rules": ",".join(sorted(self._watches)),
                "start": start.isoformat() if start else ""})
            self._replay()

    # ------------------------------------------------------------------ public API

    @property
    def covered(self) -> tuple[str, ...]:
        """The rule ids this monitor evaluates live."""
        return tuple(sorted(self._watches))

    @property
    def day(self) -> dt.date | None:
        """Event time: the last day ``advance`` completed (None before the first)."""
        return self._day

    @property
    def position(self) -> int:
        """How many operations (posts and advances) this monitor has taken, restarts included."""
        return self._seq

    @property
    def inputs(self) -> int:
        """How many input records (accepted, rejected or skipped) the journal holds."""
        return self._inputs

    def kind_classes(self) -> tuple[type[Fact], ...]:
        """The fact kinds records may have."""
        kinds = self._kinds if self._kinds is not None else _default_kinds()
        return tuple(kinds.values())

    def skip(self) -> None:
        """Count an input line that was not a record at all (so a restart skips it too)."""
        self._inputs += 1
        self._log("skip", {})

    def findings(self) -> tuple[Finding, ...]:
        """Every open finding, in report order."""
        found = [f for w in self._watches.values() for by_fp in w.open.values()
                 for f in by_fp.values()]
        return tuple(sorted(found, key=Finding.sort_key))

    def live_state(self) -> dict[str, int]:
        """Live cases per covered rule (bounded: a closed case's records are dropped)."""
        return {rid: len(w.facts) for rid, w in sorted(self._watches.items())}

    def post(self, record: Fact | Mapping[str, Any]) -> Update:
        """Take one record; bad records come back as diagnostics, never silently dropped."""
        if isinstance(record, Fact):
            fact: Fact | None = record
            diagnostics: tuple[Diagnostic, ...] = ()
        else:
            fact, diagnostics = self._validate(record)
        self._inputs += 1
        if fact is None:
            assert not isinstance(record, Fact)
            self._log("reject", {"record": _jsonable(record)})
            return Update(day=self._day, diagnostics=diagnostics)
        self._accept(fact)
        self._log("post", fact)
        return Update(day=self._day, diagnostics=diagnostics)

    def advance(self, to: dt.date) -> Update:
        """Move event time to the end of ``to``; return what completed and resolved."""
        if self._day is not None and to < self._day:
            raise ValueError(f"event time is {self._day}; it cannot move back to {to}")
        completed, resolved, diagnostics = self._advance(to)
        self._log("advance", {"to": to.isoformat()})
        return Update(day=self._day, completed=completed, resolved=resolved,
                      diagnostics=diagnostics)

    def close(self) -> None:
        """Commit the journal and free live state."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ records

    def _validate(self, record: Mapping[str, Any]) -> tuple[Fact | None, tuple[Diagnostic, ...]]:
        loaded = load_records([record], source="<live>", kinds=self._kinds,
                              as_of=self._day or self.plan.as_of)
        fact = loaded.facts[0] if loaded.facts else None
        return fact, tuple(loaded.diagnostics)

    def _subject(self, fact: Fact) -> str | None:
        sid = fact.subject_id
        return None if sid is None else str(sid)

    def _accept(self, fact: Fact) -> None:
        if fact.KIND not in self._read:
            return  # journaled; no covered rule reads it
        if isinstance(fact, Operator):
            old = self._operators.get(fact.id)
            if old is not None and old.school_id:
                self._operators_of_school.get(old.school_id, set()).discard(old.id)
            self._operators[fact.id] = fact
            if fact.school_id:
                self._operators_of_school.setdefault(fact.school_id, set()).add(fact.id)
        subject = self._subject(fact)
        key = fact.key  # one tuple for every watch's tables
        outbox = self._outbox.setdefault(fact.KIND, {})
        for rule_id, watch in self._watches.items():
            if fact.KIND in watch.kinds:
                outbox.setdefault(rule_id, set()).update(
                    self._accept_in(watch, fact, key, subject))

    def _send(self) -> None:
        """Hand the records taken since the last look to durable_rules, one message per kind.

        Nothing is evaluated between two ``advance`` calls, so the records of a
        day cross together: ``{"t": "rec", "k": kind, "g": {rule id: [[subject,
        case], ...]}}``, the cases of every record of that kind. A fact, not an
        event: durable consumes an event at its first match, and every covered
        rule reading the kind must see it. Retracted at once.
        """
        outbox, self._outbox = self._outbox, {}
        for kind in sorted(outbox):
            self._sent += 1
            message = {"id": f"rec:{self._sent}", "t": "rec", "k": kind,
                       "g": {rule_id: sorted(cases) for rule_id, cases
                             in sorted(outbox[kind].items())}}
            for chunk in self._durable:
                if chunk.assert_fact(message):
                    chunk.retract_fact(message)

    def _accept_in(self, watch: _Watch, fact: Fact, key: tuple[str, str],
                   subject: str | None) -> list[Case]:
        case = watch.case_of(fact)
        if watch.corr.grain == "all":
            subjects = [ALL]
        elif subject is None:
            subjects = sorted(watch.context)  # a shared record: every subject
            watch.context.setdefault(SHARED, {})[key] = fact
            case = None
        else:
            subjects = [subject]
        targets: list[Case] = []
        for sid in subjects:
            if case is None:
                if subject is not None or watch.corr.grain == "all":
                    watch.context.setdefault(sid, {})[key] = fact
                else:
                    watch.context.setdefault(sid, {})
                targets.extend((sid, c) for c in sorted(watch.cases.get(sid, {""})))
            else:
                here = watch.cases.setdefault(sid, {}).setdefault(case, (sid, case))
                old = watch.where.get(key)
                if old is not None and old != here:
                    # an earlier version of the record, in another case: it moves,
                    # and the case it leaves is looked at again too
                    watch.facts.get(old, {}).pop(key, None)
                    targets.append(old)
                watch.where[key] = here
                watch.facts.setdefault(here, {})[key] = fact
                watch.context.setdefault(sid, {})
                targets.append(here)
        days = self._wake_days(watch, fact)
        today = self._day.toordinal() if self._day else 0
        ahead = days[bisect.bisect_right(days, (today, True)):]
        if ahead:
            rule_id, last = watch.rule.id, ahead[-1][0]
            for target in targets:
                for n, look in ahead:
                    bucket = self._wakes.get(n)
                    if bucket is None:
                        bucket = self._wakes[n] = {}
                        heapq.heappush(self._wake_heap, n)
                    cases = bucket.setdefault(rule_id, {})
                    cases[target] = look or cases.get(target, False)
                if last > watch.last_wake.get(target, 0):
                    watch.last_wake[target] = last
        return targets

    def _wake_days(self, watch: _Watch, fact: Fact) -> tuple[tuple[int, bool], ...]:
        """``(day number, look)`` on which ``fact`` may change the watch's findings.

        ``look`` is False on a day that is only an exit from the window
        (:attr:`Offset.exit`). Sorted; cached by the fact's dates.
        """
        dates = tuple(fact_dates(fact))
        key = (watch.rule.id, dates)
        found = self._wake_cache.get(key)
        if found is None:
            if len(self._wake_cache) > 100_000:
                self._wake_cache.clear()
            corr = watch.corr
            looks = attrs.evolve(corr, offsets=tuple(o for o in corr.offsets if not o.exit))
            exits = attrs.evolve(corr, offsets=tuple(o for o in corr.offsets if o.exit),
                                 yearly=False)
            look: set[int] = set(watch.bounds)
            leave: set[int] = set()
            for base in dates:
                look.update(d.toordinal() for d in
                            wake_days_from(looks, watch.rule, self.plan, base))
                if exits.offsets:
                    leave.update(d.toordinal() for d in
                                 wake_days_from(exits, watch.rule, self.plan, base))
            found = tuple(sorted([(n, True) for n in look]
                                 + [(n, False) for n in leave - look]))
            self._wake_cache[key] = found
        return found

    # ------------------------------------------------------------------ time

    def _advance(self, to: dt.date
                 ) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Diagnostic, ...]]:
        completed: dict[str, Finding] = {}
        resolved: dict[str, Finding] = {}
        diagnostics: list[Diagnostic] = []
        self._send()
        end = to.toordinal()
        while self._wake_heap and self._wake_heap[0] <= end:
            n = heapq.heappop(self._wake_heap)
            for rule_id, cases in self._wakes.pop(n, {}).items():
                watch = self._watches[rule_id]
                for case, look in cases.items():
                    (watch.due if look else watch.exits).add(case)
            if n < end:
                self._evaluate(dt.date.fromordinal(n), completed, resolved, diagnostics,
                               touched=False)
        self._evaluate(to, completed, resolved, diagnostics, touched=True)
        self._day = to
        return (tuple(sorted(completed.values(), key=Finding.sort_key)),
                tuple(sorted(resolved.values(), key=Finding.sort_key)), tuple(diagnostics))

    def _evaluate(self, day: dt.date, completed: dict[str, Finding],
                  resolved: dict[str, Finding], diagnostics: list[Diagnostic], *,
                  touched: bool) -> None:
        for rule_id in sorted(self._watches):
            watch = self._watches[rule_id]
            sids = set(watch.due)
            watch.due.clear()
            if touched:
                sids |= watch.touched
                watch.touched.clear()
            # an exit from the window of a case with nothing open and no new record
            # cannot change its findings: not looked at, only closed if it is its last
            for key in watch.exits - sids - watch.touched:
                if key in watch.open:
                    sids.add(key)
                else:
                    self._close(watch, key, day)
            watch.exits.clear()
            results, problems = self._findings_batch(watch, sorted(sids), day)
            diagnostics.extend(problems)
            for key in sorted(sids):
                now = results.get(key, {})
                before = watch.open.get(key, {})
                for fp, finding in now.items():
                    if fp in resolved:
                        del resolved[fp]  # gone and back within one advance: no change
                    elif fp not in before:
                        completed[fp] = finding
                        self._reported.append(("completed", rule_id, fp))
                for fp, finding in before.items():
                    if fp not in now:
                        if fp in completed:
                            del completed[fp]
                        else:
                            resolved[fp] = finding
                        self._reported.append(("resolved", rule_id, fp))
                if now:
                    watch.open[key] = now
                else:
                    watch.open.pop(key, None)
                    self._close(watch, key, day)

    @staticmethod
    def _close(watch: _Watch, key: Case, day: dt.date) -> None:
        """Drop a case with nothing open and no wake ahead (its records with it)."""
        sid, case = key
        if case and watch.last_wake.get(key, 0) <= day.toordinal():
            for record in watch.facts.pop(key, {}):
                if watch.where.get(record) == key:
                    del watch.where[record]
            watch.last_wake.pop(key, None)
            watch.cases.get(sid, {}).pop(case, None)

    def _plan_on(self, watch: _Watch, day: dt.date) -> Plan:
        key = (watch.rule.id, day)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 256:
                self._plans.clear()
            rules = (*watch.derivations, watch.rule)
            params: dict[tuple[str, str], ResolvedParam] = {}
            for rule in rules:
                for p in rule.parameters:
                    try:
                        params[(rule.id, p.name)] = self.plan.resolver.resolve(rule, p.name, day)
                    except ParameterError:
                        continue
            plan = attrs.evolve(self.plan, as_of=day, derivations=watch.derivations,
                                rules=(watch.rule,), parameters=params,
                                origins={r.id: self.plan.origins[r.id] for r in rules},
                                rule_budget=None)
            self._plans[key] = plan
        return plan

    def _partition(self, watch: _Watch, key: Case) -> list[Fact]:
        sid = key[0]
        merged: dict[tuple[str, str], Fact] = {}
        merged.update(watch.context.get(SHARED, {}))
        merged.update(watch.context.get(sid, {}))
        merged.update(watch.facts.get(key, {}))
        if sid != ALL and "operator" in watch.kinds:
            linked = {sid} | self._operators_of_school.get(sid, set())
            own = self._operators.get(sid)
            if own is not None and own.school_id:
                linked.add(own.school_id)
            for other in sorted(linked):
                operator = self._operators.get(other)
                if operator is not None:
                    merged[operator.key] = operator
        return list(merged.values())

    def _findings_batch(self, watch: _Watch, keys: list[Case], day: dt.date
                        ) -> tuple[dict[Case, dict[str, Finding]], list[Diagnostic]]:
        """Every key's findings, from one run over the union of their records.

        A finding goes to the key of its subject; when the subject has several
        keys in the batch, to the case whose records it refers to. A finding
        that fits no case exactly sends its subject's keys to a run of their own.
        """
        if len(keys) <= 1:
            if not keys:
                return {}, []
            found, problems = self._findings_of(watch, keys[0], day)
            return {keys[0]: found}, problems
        merged: dict[tuple[str, str], Fact] = {}
        by_subject: dict[str, list[Case]] = {}
        for key in keys:
            by_subject.setdefault(key[0], []).append(key)
        for sid, subject_keys in by_subject.items():
            # the subject's context once (not once per case), then each case's records
            merged.update((f.key, f) for f in self._partition(watch, (sid, _NO_CASE)))
            for key in subject_keys:
                merged.update(watch.facts.get(key, {}))
        results: dict[Case, dict[str, Finding]] = {key: {} for key in keys}
        if not merged:
            return results, []
        report = run_plan(self._plan_on(watch, day), FactSet(merged.values(), digest=_NO_DIGEST))
        alone: set[Case] = set()
        for finding in report.findings:
            if watch.corr.grain == "all":
                candidates = by_subject.get(ALL, [])
            elif finding.subject.kind == "operator":
                candidates = by_subject.get(finding.subject.id, [])
            else:
                candidates = []
            if len(candidates) > 1:
                # the cases holding the records it refers to (``where``: record -> case)
                batch = set(candidates)
                held = {watch.where.get((r.kind, r.id)) for r in finding.facts}
                candidates = sorted(k for k in held if k is not None and k in batch)
                if len(candidates) != 1:
                    alone.update(by_subject.get(finding.subject.id, []))
                    continue
            if candidates:
                results[candidates[0]][finding.fingerprint] = finding
        problems = [d for d in report.diagnostics
                    if d.rule_id is not None and d.code not in _QUIET_CODES]
        for key in sorted(alone):
            results[key], more = self._findings_of(watch, key, day)
            problems.extend(more)
        return results, problems

    def _findings_of(self, watch: _Watch, key: Case, day: dt.date
                     ) -> tuple[dict[str, Finding], list[Diagnostic]]:
        facts = self._partition(watch, key)
        if not facts:
            return {}, []
        sid = key[0]
        report = run_plan(self._plan_on(watch, day), FactSet(facts, digest=_NO_DIGEST))
        found = {f.fingerprint: f for f in report.findings
                 if sid == ALL or (f.subject.kind == "operator" and f.subject.id == sid)}
        problems = [d for d in report.diagnostics
                    if d.rule_id is not None and d.code not in _QUIET_CODES]
        return found, problems

    # ------------------------------------------------------------------ journal

    def _log(self, op: str, payload: Any) -> None:
        """Journal one operation (a posted fact is serialised only when there is a journal)."""
        self._seq += 1
        reported, self._reported = self._reported, []
        if self._journal is not None and not self._quiet:
            if isinstance(payload, Fact):
                payload = dump_fact(payload)
            self._journal.write(self._seq, op, payload, reported)

    def _replay(self) -> None:
        assert self._journal is not None
        self._quiet = True
        try:
            kinds = self._kinds if self._kinds is not None else _default_kinds()
            for _seq, op, payload in self._journal.ops():
                if op == "post":
                    self.post(load_fact(payload, kinds))
                elif op == "advance":
                    self.advance(dt.date.fromisoformat(payload["to"]))
                else:
                    self._seq += 1
                    self._inputs += 1
        finally:
            self._quiet = False


#: Diagnostics a per-subject run gives that the batch run reports once, for the plan.
_QUIET_CODES = frozenset({"rule.missing_parameter"})


#: A case name no record has: ``_partition`` of it is the subject's context alone.
_NO_CASE = "\x00context"


#: The input digest of a per-case run is never reported: not computed.
_NO_DIGEST = "live"


def _touch(watch: _Watch) -> Callable[[Any], None]:
    """The durable action of one watch (one argument: durable calls it with ``c``)."""
    rule_id = watch.rule.id

    def on_touch(c: Any) -> None:
        for sid, case in c.m.g[rule_id]:
            watch.touched.add((str(sid), str(case)))

    return on_touch


def compile_rules(watches: Mapping[str, _Watch]) -> list[DurableRuleset]:
    """The watches' touch rules in durable_rules: one rule per covered rule, 512 to a ruleset.

    The records taken between two looks cross together, one fact per kind
    ``{"t": "rec", "k": kind, "g": {rule id: [[subject, case], ...]}}``
    (asserted, then retracted: see ``Monitor._send``); each rule matches the
    kinds its fsrules rule (and the derivations it depends on) reads, and marks
    those cases for a fresh look when the day completes.
    """
    items = sorted(watches.items())
    rulesets = []
    for start in range(0, len(items), MAX_RULES):
        definition: dict[str, dict[str, Any]] = {}
        actions: dict[str, Callable[[Any], None]] = {}
        for rule_id, watch in items[start:start + MAX_RULES]:
            definition[rule_id] = touch_condition(watch.kinds)
            actions[rule_id] = _touch(watch)
        rulesets.append(DurableRuleset("fsrules-live", definition, actions))
    return rulesets


def _default_kinds() -> dict[str, type[Fact]]:
    from fsrules.model import BUILTIN_FACT_KINDS

    return {k.KIND: k for k in BUILTIN_FACT_KINDS}


def _jsonable(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dt.date):
            out[str(key)] = value.isoformat()
        elif isinstance(value, str | int | float | bool) or value is None:
            out[str(key)] = value
        else:
            out[str(key)] = str(value)
    return out

