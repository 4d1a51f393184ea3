#!/usr/bin/env python
"""The live monitor on a long stream of events, beside the same correlation hand-written in durable_rules.

Generates school canteens serving one meal a day with three dishes, and the
meal's 留样 records (one dish in 50 unsampled, one sample in 50 under the
125 g minimum), day after day; posts them to
``fsrules.live.Monitor`` (SCHOOL-002 and SCHOOL-003, profile national),
completing each day, and prints events per second, events per CPU-second
and the process's resident memory (RSS, current, not peak) every
``--every`` events. Then runs the same stream through the same correlation
written directly against durable_rules (meals as facts, samples counted per
meal, a daily tick that reports each finished meal with a dish unsampled or
under weight) and prints the same figures side by side::

    python benchmarks/bench_live.py                    # 20,000 events
    python benchmarks/bench_live.py --events 1000000   # or FSRULES_BENCH_LIVE_EVENTS=1000000

Both see the same events. The monitor's findings are the batch engine's
(fingerprints and all); the direct version only counts (meal, dish) pairs.
The counts of findings are printed for both and must agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

START = dt.date(2021, 1, 1)
DISHES = ("米饭", "西红柿炒鸡蛋", "清炒油麦菜")


def rss_mb() -> float:
    """Current resident memory of this process (MB), from /proc (peak as a fallback)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def events(canteens: int, total: int, seed: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(kind, record)`` in date order: operators first, then each day's meals and samples."""
    rng = random.Random(seed)
    n = 0
    for c in range(canteens):
        yield "operator", {"id": f"C{c:04d}", "name": f"第{c}小学食堂", "business_type": "unit_canteen",
                           "region_code": "130533", "institution_type": "primary_school"}
        n += 1
    day = START
    while True:
        for c in range(canteens):
            meal = f"M{c:04d}-{day.isoformat()}"
            yield "meal_service", {"id": meal, "operator_id": f"C{c:04d}", "served_on": day,
                                   "meal": "lunch", "dishes": DISHES, "diners": 300}
            n += 1
            if n >= total:
                return
            for d, dish in enumerate(DISHES):
                if rng.random() < 0.02:
                    continue  # not sampled
                weight = 100.0 if rng.random() < 0.02 else 150.0
                yield "sample_retention", {"id": f"{meal}-s{d}", "operator_id": f"C{c:04d}",
                                           "meal_service_id": meal, "served_on": day,
                                           "dish": dish, "weight_g": weight}
                n += 1
                if n >= total:
                    return
        day += dt.timedelta(days=1)


def _day_of(record: dict[str, Any]) -> dt.date | None:
    day = record.get("served_on")
    return day if isinstance(day, dt.date) else None


def run_monitor(canteens: int, total: int, every: int) -> dict[str, Any]:
    """The stream through fsrules.live.Monitor; Fact objects built outside the timing."""
    import fsrules
    from fsrules.live import Monitor
    from fsrules.model import MealService, Operator, SampleRetention
    from fsrules.model._serialize import load_fact

    classes = {"operator": Operator, "meal_service": MealService,
               "sample_retention": SampleRetention}
    plan = fsrules.load_catalogue().plan(profile="national", as_of=START)
    monitor = Monitor(plan, rules=["SCHOOL-002", "SCHOOL-003"])
    return _drive("monitor", canteens, total, every,
                  lambda kind, rec: load_fact({"kind": kind, **rec}, classes), monitor.post,
                  lambda day: monitor.advance(to=day),
                  lambda update: len(update.completed), lambda: len(monitor.findings()))


def run_direct(canteens: int, total: int, every: int) -> dict[str, Any]:
    """The same correlation written directly against durable_rules (one sid per canteen)."""
    from durable import engine

    found: list[tuple[str, str]] = []
    open_meals: dict[str, set[str]] = {}

    def on_sample(c: Any) -> None:
        # a sample of a known meal: count its dish when heavy enough
        if c.x.weight_g >= 125:
            open_meals.setdefault(c.x.meal, set()).add(c.x.dish)

    def on_tick(c: Any) -> None:
        meal = c.meal
        have = open_meals.pop(meal.id, set())
        found.extend((meal.id, d) for d in meal.dishes if d not in have)
        c.retract_fact(meal)

    class _NoHost:
        def get_action(self, name: str) -> Any:
            raise KeyError(name)

    rules = {
        "sample": {"all": [{"meal": {"t": "meal"}},
                           {"x": {"$and": [{"t": "sample"}, {"meal": {"meal": "id"}}]}}],
                   "run": on_sample},
        "tick": {"all": [{"meal": {"t": "meal"}},
                         {"k": {"$and": [{"t": "tick"}, {"$gte": {"day": {"meal": "day"}}}]}}],
                 "run": on_tick},
    }
    ruleset = engine.Ruleset("bench-direct", _NoHost(), rules)
    sids: set[str] = set()
    seq = [0]

    def call(fn: Any, message: dict[str, Any]) -> None:
        try:
            handle = fn(message)
        except engine.MessageNotHandledException:
            return
        ruleset.do_actions(handle, lambda e, s: None)

    def post(record: tuple[str, dict[str, Any]]) -> None:
        kind, rec = record
        seq[0] += 1
        if kind == "meal_service":
            sids.add(rec["operator_id"])
            call(ruleset.assert_fact, {"sid": rec["operator_id"], "id": rec["id"], "t": "meal",
                                       "day": rec["served_on"].toordinal(),
                                       "dishes": list(rec["dishes"])})
        elif kind == "sample_retention":
            call(ruleset.assert_event, {"sid": rec["operator_id"], "id": f"e{seq[0]}",
                                        "t": "sample", "meal": rec["meal_service_id"],
                                        "dish": rec["dish"], "weight_g": rec["weight_g"]})

    def advance(day: dt.date) -> int:
        before = len(found)
        tick = {"id": "tick", "t": "tick", "day": day.toordinal()}
        for sid in sorted(sids):
            call(ruleset.assert_fact, {**tick, "sid": sid})
            call(ruleset.retract_fact, {**tick, "sid": sid})
        return len(found) - before

    return _drive("durable_rules", canteens, total, every, lambda kind, rec: (kind, rec), post,
                  advance, lambda n: n, lambda: len(found))


def _drive(name: str, canteens: int, total: int, every: int, build: Any, post: Any,
           advance: Any, completed: Any, final: Any) -> dict[str, Any]:
    stream = [(kind, build(kind, rec), _day_of(rec)) for kind, rec in events(canteens, total)]
    gc.collect()
    print(f"\n== {name}: {len(stream):,} events, {canteens} canteens")
    print(f"{'events':>10} {'event day':>10} {'events/s':>10} {'events/CPU-s':>13} {'RSS MB':>8}")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    samples: list[tuple[int, float]] = []
    day: dt.date | None = None
    total_completed = 0
    for index, (_kind, item, when) in enumerate(stream, start=1):
        if when is not None and day is not None and when > day:
            total_completed += completed(advance(day))
        if when is not None:
            day = when
        post(item)
        if index % every == 0 or index == len(stream):
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            mb = rss_mb()
            samples.append((index, mb))
            print(f"{index:>10,} {day!s:>10} {index / wall:>10,.0f} {index / cpu:>13,.0f} "
                  f"{mb:>8.1f}", flush=True)
    if day is not None:
        total_completed += completed(advance(day))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"{name}: {len(stream) / wall:,.0f} events/s, {len(stream) / cpu:,.0f} events per "
          f"CPU-second, {total_completed:,} findings completed, {final():,} open at the end")
    return {"name": name, "events": len(stream), "wall": wall, "cpu": cpu,
            "completed": total_completed, "rss": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int,
                        default=int(os.environ.get("FSRULES_BENCH_LIVE_EVENTS", "20000")))
    parser.add_argument("--canteens", type=int, default=300)
    parser.add_argument("--every", type=int, default=0,
                        help="print a line every N events (default: events / 20)")
    parser.add_argument("--only", choices=["monitor", "durable_rules"])
    args = parser.parse_args(argv)
    every = args.every or max(1, args.events // 20)
    results = []
    if args.only != "durable_rules":
        results.append(run_monitor(args.canteens, args.events, every))
    if args.only != "monitor":
        results.append(run_direct(args.canteens, args.events, every))
    if len(results) == 2:
        mon, direct = results
        print(f"\nmonitor / direct durable_rules: {direct['cpu'] / mon['cpu']:.2f} of the "
              f"throughput per CPU-second; findings {mon['completed']:,} vs "
              f"{direct['completed']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
