#!/usr/bin/env python
"""Per-rule CPU seconds of ``Engine.evaluate`` on a generated county.

Generates a county of N operators with ``examples/generate_weixian.py``
(seed 1), writes it as a CSV bundle, loads it once and evaluates it
``--repeat`` times (profile demo, as of 2023-12-31, every default ruleset),
keeping each rule's best time. Rule times are CPU seconds of the process
(``time.process_time``), not wall time, so a busy machine disturbs them
less; they are read from the report's ``rule_stats``, timed by the engine
around each rule. Prints one line per rule, slowest first, and the total::

    python benchmarks/bench_rules.py --operators 1000 --repeat 3
    python benchmarks/bench_rules.py --bundle DIR --json     # an existing bundle
    python benchmarks/bench_rules.py --operators 1000 --profile 30   # plus cProfile

``--profile N`` also prints the N heaviest functions under cProfile,
counting only time spent inside rules.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib.util
import io
import json
import pstats
import sys
import tempfile
import time
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2023, 12, 31)


def _generate(n_operators: int, seed: int, directory: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate_weixian",
                                                  ROOT / "examples" / "generate_weixian.py")
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError("cannot import examples/generate_weixian.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.write_bundle(module.generate(n_operators, seed), directory, jsonl_kinds=())


def measure(bundle: Path, repeat: int, profile_top: int = 0) -> dict[str, Any]:
    """Best CPU seconds per rule over ``repeat`` evaluations of ``bundle``."""
    import fsrules._run as run_module
    from fsrules import Engine
    from fsrules.loading import load_bundle

    # The runner times each rule with time.perf_counter; count CPU instead
    # (when the runner no longer imports ``time`` there, rule times are wall time).
    clock = "wall"
    if isinstance(getattr(run_module, "time", None), types.ModuleType):
        run_module.time = types.SimpleNamespace(  # type: ignore[assignment,attr-defined]
            perf_counter=time.process_time)
        clock = "CPU"
    engine = Engine(profile="demo")
    result = load_bundle([bundle], kinds=engine.fact_kinds, as_of=AS_OF)
    best: dict[str, float] = {}
    evaluate = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        report = engine.evaluate(result, as_of=AS_OF)
        evaluate = min(evaluate, time.process_time() - started)
        for stat in report.rule_stats:
            best[stat.rule_id] = min(best.get(stat.rule_id, float("inf")), stat.seconds)
    out: dict[str, Any] = {
        "facts": result.accepted,
        "rule_clock": clock,
        "evaluate_cpu_s": round(evaluate, 4),
        "rules_cpu_s": round(sum(best.values()), 4),
        "rules": {k: round(v, 4) for k, v in sorted(best.items(), key=lambda kv: -kv[1])},
    }
    if profile_top:
        # Without a budget each rule runs in the calling thread, where the
        # profiler sees it; only the time inside rule evaluation is counted.
        import fsrules._budget as budget_module

        profiler = cProfile.Profile()
        original = budget_module.RuleRunner.call

        def call(self: Any, func: Any, **kwargs: Any) -> Any:
            profiler.enable()
            try:
                return original(self, func, **kwargs)
            finally:
                profiler.disable()

        budget_module.RuleRunner.call = call  # type: ignore[method-assign]
        engine.rule_budget = None
        try:
            engine.evaluate(result, as_of=AS_OF)
        finally:
            budget_module.RuleRunner.call = original  # type: ignore[method-assign]
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(profile_top)
        out["profile"] = text.getvalue()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=1000,
                        help="operators of the generated county (default 1000)")
    parser.add_argument("--bundle", type=Path, default=None,
                        help="evaluate this bundle instead of generating one")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="evaluations; each rule's best is kept (default 3)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print the N heaviest functions inside rules (cProfile)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fsrules-rules-") as tmp:
        bundle = args.bundle
        if bundle is None:
            bundle = Path(tmp)
            _generate(args.operators, args.seed, bundle)
        out = measure(bundle, max(args.repeat, 1), args.profile)
    if args.json:
        print(json.dumps({k: v for k, v in out.items() if k != "profile"}, ensure_ascii=False))
    else:
        print(f"{out['facts']:,} facts; evaluate {out['evaluate_cpu_s']:.3f} CPU s, "
              f"rules {out['rules_cpu_s']:.3f} {out['rule_clock']} s "
              f"(best of {args.repeat} per rule)")
        for rule_id, seconds in out["rules"].items():
            print(f"  {rule_id:<32} {seconds:8.4f}")
    if "profile" in out:
        print(out["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
