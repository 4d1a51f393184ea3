#!/usr/bin/env python
"""Benchmark ``load_bundle`` alone: records per CPU-second and peak RSS per input MB.

The county is generated with ``generate(N, seed)`` from
``examples/generate_weixian.py`` (about 125 records per operator) and written
as a CSV bundle with Chinese headers (``write_bundle(..., jsonl_kinds=())``),
once, into ``--bundle`` (kept and reused when it already exists) or a
temporary folder. The load then runs in a fresh subprocess, so the peak
resident set size (``getrusage`` maxrss) covers the import, the load and
nothing else::

    python benchmarks/bench_load.py --operators 2500
    python benchmarks/bench_load.py --operators 2500 --bundle /tmp/county-2500 --repeat 3

Prints one JSON object: records, input MB, best CPU seconds
(``time.process_time``) and wall seconds of ``load_bundle``, records per
CPU-second, peak RSS (MB), the RSS before the load, and peak RSS per input MB
(the whole process's peak, and the growth during the load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "examples" / "generate_weixian.py"
AS_OF = dt.date(2023, 12, 31)


def _maxrss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def prepare(n_operators: int, seed: int, directory: Path) -> None:
    """Generate the county and write it as a CSV bundle."""
    spec = importlib.util.spec_from_file_location("generate_weixian", GENERATOR)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(f"cannot import {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    facts = module.generate(n_operators, seed)
    module.write_bundle(facts, directory, jsonl_kinds=())


def measure(directory: Path, repeat: int) -> dict[str, Any]:
    """Load the bundle ``repeat`` times; keep the best CPU time."""
    from fsrules import Engine
    from fsrules.loading import load_bundle

    kinds = Engine(profile="demo").fact_kinds
    rss_before = _maxrss_mb()
    best_cpu = best_wall = float("inf")
    total = accepted = 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = load_bundle([directory], kinds=kinds, as_of=AS_OF)
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        total, accepted = result.total, result.accepted
        del result
    size_mb = sum(p.stat().st_size for p in directory.iterdir() if p.is_file()) / 1e6
    peak = _maxrss_mb()
    return {
        "records": total,
        "accepted": accepted,
        "input_mb": round(size_mb, 2),
        "load_cpu_s": round(best_cpu, 3),
        "load_wall_s": round(best_wall, 3),
        "records_per_cpu_s": round(total / best_cpu),
        "rss_before_load_mb": round(rss_before, 1),
        "peak_rss_mb": round(peak, 1),
        "peak_rss_per_input_mb": round(peak / size_mb, 2),
        "load_rss_growth_per_input_mb": round((peak - rss_before) / size_mb, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=20231231)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--bundle", type=Path, help="keep the generated bundle here (reused)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child step
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        bundle = args.bundle or Path(scratch) / "county"
        if not (bundle.is_dir() and any(bundle.iterdir())):
            started = time.perf_counter()
            prepare(args.operators, args.seed, bundle)
            print(f"generated {bundle} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        env = dict(os.environ)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(bundle), "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True, env=env,
        )
        print(child.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
