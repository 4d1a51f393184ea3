#!/usr/bin/env python
"""Three focused checks on the same facts: fsrules, a hand-written loop, durable_rules.

The facts are a generated county (``examples/generate_weixian.py``, all of
its ~125 facts per operator), as Fact objects in memory: loading is not
measured. Each contender receives every fact and must find the same problems:

* **RISK-003** (Order 49 Art 22: a full-checklist inspection at least every
  ``window_years`` years). For each operator whose business type is in
  ``business_types`` and that is open on the evaluation date: take its
  inspections dated on or before that date, the latest with
  ``full_checklist``; the anchor is that inspection's date, else the opening
  date; due = max(anchor + 12 × window_years months, 2022-03-15). A finding
  when there is no anchor, or the evaluation date is after ``due``.
* **VETO-005** with the derivation it reads (INFER-SAMPLING-METRICS). For
  each region record: the evaluative sampling results located in it, dated in
  the ``period_months`` months ending on the evaluation date; passed and
  failed batches; a finding when none has a verdict (INFO) or when
  passed ÷ (passed + failed) × 100 is below ``min_pass_rate`` (exact
  fractions).
* **SCHOOL-003** (留样 below ``min_weight_g``). For each school canteen (a
  unit canteen of a school, its type from its own institution type or its
  school's), each meal served in the ``window_months`` months ending on the
  evaluation date (not before 2019-04-01), each distinct dish (by the
  matching normaliser): K-12 canteens sample every dish; universities every
  dish of a large-event meal, else dishes the foods term list puts in a cold,
  raw or decorated-cake category. A finding when the dish's samples all have
  a weight and their total is below the minimum.

The hand loop and the durable_rules version use the same parameter values
(read from the fsrules plan), the same text normaliser and the same foods
term list (data, not rule logic). durable_rules 2.0.28 (``pip install
"fsrules[live]"``; skipped when not importable) gets one ``sid`` per subject
(operator, region, canteen), events with day numbers, conditions in its
rule language, aggregates kept in its per-sid state, and ``delete_state``
after each subject (it holds at most 1,024 live sids); a catch-all rule
keeps it from raising ``MessageNotHandledException``.

Times are CPU seconds of this process (``time.process_time``), best of
``--repeat``; throughput is input facts per CPU second. Exit status 1 when
the finding counts of the contenders differ.

    python benchmarks/compare.py                      # 2,500 operators (~330k facts)
    python benchmarks/compare.py --operators 400 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
try:
    import fsrules
except ImportError:  # pragma: no cover - running from a checkout
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "rulesets")]
    import fsrules

import attrs  # noqa: E402

from fsrules.matching import TermList, normalize_for_matching  # noqa: E402
from fsrules.model import (  # noqa: E402
    BusinessType,
    Fact,
    InstitutionType,
    Operator,
    SamplingKind,
    Verdict,
)
from fsrules_rulesets._numbers import exact  # noqa: E402

AS_OF = dt.date(2023, 12, 31)
CHECKS = ("RISK-003", "SCHOOL-003", "VETO-005")
IN_FORCE_49 = dt.date(2022, 3, 15)  # Order 49 in force (risk/frequency.py)
SCHOOL_IN_FORCE = dt.date(2019, 4, 1)  # school regulation in force (school/basis.py)
SCHOOL_TYPES = {InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
                InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY}
PRECEDENCE = (InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
              InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY)
UNIVERSITY_SAMPLED = ("cold_meat", "cold_food", "raw_food", "decorated_cake")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_weixian", ROOT / "examples" / "generate_weixian.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- fsrules


def focused_plan(catalogue: Any) -> Any:
    """The demo plan narrowed to the three checks and the derivations they read."""
    plan = catalogue.plan(profile="demo", as_of=AS_OF, rulesets=["risk", "school", "veto"])
    checks = tuple(r for r in plan.rules if r.id in CHECKS)
    wanted = {k for r in checks for k in r.reads}
    derivations: list[Any] = []
    for rule in reversed(plan.derivations):  # producers come before readers
        if wanted & set(rule.produces):
            derivations.insert(0, rule)
            wanted |= set(rule.reads)
    return attrs.evolve(plan, rules=checks, derivations=tuple(derivations))


def run_fsrules(plan: Any, facts: Any) -> dict[str, int]:
    report = plan.run(facts)
    counts = dict.fromkeys(CHECKS, 0)
    for finding in report.findings:
        counts[finding.rule_id] += 1
    return counts


# --------------------------------------------------------------------------- shared helpers


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    nxt = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (nxt - dt.timedelta(days=1)).day))


def period_start(end: dt.date, months: int) -> dt.date:
    """First day of the ``months`` months ending on ``end`` (fsrules' Period.ending)."""
    start = add_months(end, -months)
    return start + dt.timedelta(days=1) if start < end else start


def in_region(code: str, region: str) -> bool:
    """A division code lies in ``region`` (a county, prefecture or province code)."""
    region = region[:6]
    if region[2:] == "0000":
        return code[:2] == region[:2]
    if region[4:] == "00":
        return code[:4] == region[:4]
    return code[:6] == region


@attrs.frozen
class Params:
    risk_years: int
    risk_types: frozenset[str]
    veto_months: int
    veto_floor: float
    school_months: int
    school_floor: float
    foods: TermList

    @classmethod
    def of(cls, plan: Any) -> Params:
        def value(rule: str, name: str) -> Any:
            return plan.parameters[(rule, name)].value

        return cls(risk_years=value("RISK-003", "window_years"),
                   risk_types=frozenset(value("RISK-003", "business_types")),
                   veto_months=value("INFER-SAMPLING-METRICS", "period_months"),
                   veto_floor=value("VETO-005", "min_pass_rate"),
                   school_months=value("SCHOOL-003", "window_months"),
                   school_floor=value("SCHOOL-003", "min_weight_g"),
                   foods=TermList.from_mapping(plan.data.load("school", "foods.toml")))


def school_canteens(operators: Sequence[Operator]) -> dict[str, InstitutionType]:
    """Canteen id -> school type (school/_common.py's Campus, written out)."""
    ops = {o.id: o for o in operators}
    by_school: dict[str, set[InstitutionType]] = defaultdict(set)
    for op in operators:
        if (op.business_type is BusinessType.UNIT_CANTEEN and op.school_id
                and op.institution_type in SCHOOL_TYPES):
            by_school[op.school_id].add(op.institution_type)

    def school_type(school_id: str) -> InstitutionType | None:
        school = ops.get(school_id)
        if school is not None and school.institution_type in SCHOOL_TYPES:
            return school.institution_type
        kinds = by_school.get(school_id, set())
        return next((k for k in PRECEDENCE if k in kinds), None)

    out: dict[str, InstitutionType] = {}
    for op in operators:
        if op.business_type is not BusinessType.UNIT_CANTEEN:
            continue
        kind: InstitutionType | None = None
        if op.institution_type in SCHOOL_TYPES:
            kind = op.institution_type
        elif op.institution_type is None and op.school_id:
            kind = school_type(op.school_id)
        if kind is not None:
            out[op.id] = kind
    return out


def dishes_to_sample(p: Params, canteens: dict[str, InstitutionType], meals: Sequence[Any]
                     ) -> list[tuple[str, str, str]]:
    """(canteen id, meal id, dish key) of every dish that must be sampled."""
    start = max(period_start(AS_OF, p.school_months), SCHOOL_IN_FORCE)
    out = []
    for meal in meals:
        kind = canteens.get(meal.operator_id)
        if kind is None or not start <= meal.served_on <= AS_OF:
            continue
        seen: set[str] = set()
        for dish in meal.dishes:
            key = normalize_for_matching(dish)
            if not key or key in seen:
                continue
            seen.add(key)
            if (kind is InstitutionType.UNIVERSITY and not meal.large_event
                    and not p.foods.find(dish, categories=UNIVERSITY_SAMPLED)):
                continue
            out.append((meal.operator_id, meal.id, key))
    return out


# --------------------------------------------------------------------------- hand loop


def run_hand(p: Params, facts: Sequence[Fact]) -> dict[str, int]:
    """The three checks as plain loops over the facts, grouped by kind in one pass."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for fact in facts:
        by_kind[fact.KIND].append(fact)
    counts = dict.fromkeys(CHECKS, 0)

    # RISK-003
    full_last: dict[str, dt.date] = {}
    for insp in by_kind["inspection"]:
        if insp.full_checklist and insp.inspected_on <= AS_OF:
            seen = full_last.get(insp.operator_id)
            if seen is None or insp.inspected_on > seen:
                full_last[insp.operator_id] = insp.inspected_on
    for op in by_kind["operator"]:
        if op.business_type.value not in p.risk_types or not op.active_on(AS_OF):
            continue
        anchor = full_last.get(op.id, op.opened_on)
        if anchor is None or max(add_months(anchor, 12 * p.risk_years), IN_FORCE_49) < AS_OF:
            counts["RISK-003"] += 1

    # VETO-005 (and the sampling metric it reads)
    start = period_start(AS_OF, p.veto_months)
    floor = exact(p.veto_floor)
    for region in by_kind["region"]:
        passed = failed = 0
        for r in by_kind["sampling_result"]:
            if (r.sampling_kind is SamplingKind.EVALUATIVE and start <= r.sampled_on <= AS_OF
                    and in_region(r.region_code, region.code)):
                if r.verdict is Verdict.PASS:
                    passed += 1
                elif r.verdict is Verdict.FAIL:
                    failed += 1
        if passed + failed == 0 or Fraction(passed * 100, passed + failed) < floor:
            counts["VETO-005"] += 1

    # SCHOOL-003
    canteens = school_canteens(by_kind["operator"])
    samples: dict[tuple[str, str], list[float | None]] = defaultdict(list)
    for s in by_kind["sample_retention"]:
        samples[(s.meal_service_id, normalize_for_matching(s.dish))].append(s.weight_g)
    minimum = exact(p.school_floor)
    for _, meal_id, key in dishes_to_sample(p, canteens, by_kind["meal_service"]):
        weights = samples.get((meal_id, key))
        if not weights or any(w is None for w in weights):
            continue
        if sum((exact(w) for w in weights if w is not None), Fraction(0)) < minimum:
            counts["SCHOOL-003"] += 1
    return counts


# --------------------------------------------------------------------------- durable_rules


def durable_runner(p: Params) -> Callable[[Sequence[Fact]], dict[str, int]] | None:
    """The checks as durable_rules rulesets, or None when durable_rules does not import."""
    try:
        from durable.lang import delete_state, m, post, ruleset, when_all
    except ImportError:
        return None
    found: list[tuple[str, str]] = []
    as_of = AS_OF.toordinal()
    sample_start = period_start(AS_OF, p.veto_months).toordinal()
    scope = None
    for name in sorted(p.risk_types):
        scope = (m.bt == name) if scope is None else scope | (m.bt == name)
    name_risk, name_veto, name_school = (f"fsrules_compare_{x}_{id(found)}"
                                         for x in ("risk", "veto", "school"))

    with ruleset(name_risk):
        @when_all((m.t == "insp") & (m.full == 1) & (m.day <= as_of))
        def full_inspection(c: Any) -> None:
            if c.s.last is None or c.m.day > c.s.last:
                c.s.last = c.m.day

        @when_all((m.t == "op") & scope & (m.opened <= as_of) & (m.closed > as_of))
        def operator(c: Any) -> None:
            anchor = c.s.last if c.s.last is not None else c.m.opened
            if anchor < 0:
                found.append(("RISK-003", c.m.id))
                return
            due = max(add_months(dt.date.fromordinal(anchor), 12 * p.risk_years), IN_FORCE_49)
            if as_of > due.toordinal():
                found.append(("RISK-003", c.m.id))

        @when_all(+m.t)
        def other_risk(c: Any) -> None:
            pass

    floor = exact(p.veto_floor)
    with ruleset(name_veto):
        @when_all((m.t == "sr") & (m.kind == "evaluative") & (m.day >= sample_start)
                  & (m.day <= as_of) & (m.verdict == "pass"))
        def passed(c: Any) -> None:
            c.s.passed = (c.s.passed or 0) + 1

        @when_all((m.t == "sr") & (m.kind == "evaluative") & (m.day >= sample_start)
                  & (m.day <= as_of) & (m.verdict == "fail"))
        def failed(c: Any) -> None:
            c.s.failed = (c.s.failed or 0) + 1

        @when_all(m.t == "close")
        def close(c: Any) -> None:
            ok, bad = c.s.passed or 0, c.s.failed or 0
            if ok + bad == 0 or Fraction(ok * 100, ok + bad) < floor:
                found.append(("VETO-005", c.m.id))

        @when_all(+m.t)
        def other_veto(c: Any) -> None:
            pass

    minimum = exact(p.school_floor)
    with ruleset(name_school):
        @when_all((m.t == "smp") & (m.w >= 0))
        def weighed(c: Any) -> None:
            slot = f"w{c.m.slot}"
            setattr(c.s, slot, (getattr(c.s, slot) or 0) + c.m.w)

        @when_all((m.t == "smp") & (m.w < 0))
        def unweighed(c: Any) -> None:
            setattr(c.s, f"n{c.m.slot}", 1)

        @when_all(m.t == "dish")
        def dish(c: Any) -> None:
            total = getattr(c.s, f"w{c.m.slot}")
            if total is None or getattr(c.s, f"n{c.m.slot}"):
                return
            if exact(round(total, 6)) < minimum:
                found.append(("SCHOOL-003", c.m.id))

        @when_all(+m.t)
        def other_school(c: Any) -> None:
            pass

    def day(value: dt.date | None, missing: int) -> int:
        return missing if value is None else value.toordinal()

    def run(facts: Sequence[Fact]) -> dict[str, int]:
        found.clear()
        by_kind: dict[str, list[Any]] = defaultdict(list)
        for fact in facts:
            by_kind[fact.KIND].append(fact)
        inspections: dict[str, list[Any]] = defaultdict(list)
        for insp in by_kind["inspection"]:
            inspections[insp.operator_id].append(insp)
        for op in by_kind["operator"]:
            for insp in inspections.get(op.id, ()):
                post(name_risk, {"sid": op.id, "t": "insp", "full": int(insp.full_checklist),
                                 "day": insp.inspected_on.toordinal()})
            post(name_risk, {"sid": op.id, "t": "op", "id": op.id,
                             "bt": op.business_type.value, "opened": day(op.opened_on, -1),
                             "closed": day(op.closed_on, 10**7)})
            delete_state(name_risk, op.id)
        for region in by_kind["region"]:
            for r in by_kind["sampling_result"]:
                if in_region(r.region_code, region.code):
                    post(name_veto, {"sid": region.code, "t": "sr",
                                     "kind": r.sampling_kind.value,
                                     "verdict": r.verdict.value if r.verdict else "none",
                                     "day": r.sampled_on.toordinal()})
            post(name_veto, {"sid": region.code, "t": "close", "id": region.code})
            delete_state(name_veto, region.code)
        canteens = school_canteens(by_kind["operator"])
        dishes = dishes_to_sample(p, canteens, by_kind["meal_service"])
        slots: dict[tuple[str, str], int] = {}
        per_canteen: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for canteen, meal_id, key in dishes:
            slot = slots.setdefault((meal_id, key), len(slots))
            per_canteen[canteen].append((meal_id, key, slot))
        samples: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for s in by_kind["sample_retention"]:
            slot = slots.get((s.meal_service_id, normalize_for_matching(s.dish)))
            if slot is not None:
                samples[s.operator_id].append((slot, -1.0 if s.weight_g is None else s.weight_g))
        for canteen, items in per_canteen.items():
            for slot, weight in samples.get(canteen, ()):
                post(name_school, {"sid": canteen, "t": "smp", "slot": slot, "w": weight})
            for meal_id, key, slot in items:
                post(name_school, {"sid": canteen, "t": "dish", "slot": slot,
                                   "id": f"{meal_id}|{key}"})
            delete_state(name_school, canteen)
        counts = dict.fromkeys(CHECKS, 0)
        for rule, _ in found:
            counts[rule] += 1
        return counts

    return run


# --------------------------------------------------------------------------- main


def timed(fn: Callable[[], dict[str, int]], repeat: int) -> tuple[float, dict[str, int]]:
    best, counts = float("inf"), {}
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        counts = fn()
        best = min(best, time.process_time() - started)
    return best, counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=2500,
                        help="operators in the generated county (default 2500)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs each, best kept (1)")
    parser.add_argument("--no-durable", dest="durable", action="store_false",
                        help="skip durable_rules even when it is installed")
    args = parser.parse_args(argv)

    facts = _generator().generate(args.operators, args.seed)
    catalogue = fsrules.load_catalogue(entry_points=False)
    plan = focused_plan(catalogue)
    params = Params.of(plan)
    print(f"{len(facts):,} facts ({args.operators:,} operators, seed {args.seed}), as of {AS_OF}, "
          f"profile demo; rules: {', '.join(r.id for r in (*plan.derivations, *plan.rules))}")

    # The loader computes the input digest once, at load (LoadResult.digest); a run over
    # loaded facts does not hash them again. Over bare Fact objects, plan.run hashes them.
    digest = fsrules.input_digest(facts)
    rows: list[tuple[str, float, dict[str, int]]] = []
    rows.append(("fsrules", *timed(
        lambda: run_fsrules(plan, fsrules.FactSet(facts, digest=digest)), args.repeat)))
    rows.append(("hand loop", *timed(lambda: run_hand(params, facts), args.repeat)))
    runner = durable_runner(params) if args.durable else None
    if runner is not None:
        rows.append(("durable_rules", *timed(lambda: runner(facts), args.repeat)))
    elif args.durable:
        print("durable_rules is not installed: skipped (pip install \"fsrules[live]\")")
    rows.append(("fsrules+digest", *timed(lambda: run_fsrules(plan, facts), args.repeat)))

    base = rows[0][1]
    print(f"{'engine':<14} {'CPU s':>8} {'facts/CPU-s':>12} {'vs fsrules':>11}  findings")
    for name, seconds, counts in rows:
        rate = len(facts) / seconds if seconds else float("inf")
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"{name:<14} {seconds:>8.3f} {rate:>12,.0f} {base / seconds:>11.2f}x  {shown}")
    hand = rows[1][1]
    print(f"fsrules takes {base / hand:.2f}x the hand loop's CPU time (target <= 3)")
    if runner is not None:
        print(f"fsrules is {rows[2][1] / base:.2f}x faster than durable_rules (target >= 5)")
    print("fsrules: plan.run over a FactSet whose input digest was computed at load, as "
          "LoadResult's is;\nfsrules+digest: plan.run over the bare facts, hashing them for "
          "the report's input digest")
    agree = all(counts == rows[0][2] for _, _, counts in rows)
    print("finding counts agree" if agree else "FINDING COUNTS DIFFER")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
