#!/usr/bin/env python
"""A generated province: one process against Dask with 1 and 2 workers.

The province is ``--counties`` real counties of Hebei, ``--operators``
operators each (``examples/generate_province.py``: about 130 facts per
operator at 1,000 operators, at least 60 operators), written as one CSV
bundle folder per county. Then, each in a
fresh process:

1. **one process**: ``load_bundle`` of every county bundle and
   ``plan.run`` (profile demo, as of 2023-12-31, default rulesets);
2. **Dask, N workers** (N = 1, 2): ``fsrules.distributed.run`` on a
   ``LocalCluster`` of N worker processes (one thread each); each worker
   loads and evaluates whole counties, the reports are merged here.

For each it prints wall time, CPU seconds (this process plus the workers'),
facts per CPU second and per wall second, peak resident memory, and the
speed-up in wall time over one process; it checks that every JSON report is
byte-identical to the one-process report (exit 1 if not).

    python benchmarks/bench_province.py --counties 40 --operators 1000   # ~5.2M facts
    python benchmarks/bench_province.py --counties 20 --operators 60     # 0.2M: a quick look
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import hashlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2023, 12, 31)


def _import_paths() -> None:
    try:
        import fsrules  # noqa: F401
    except ImportError:
        sys.path[:0] = [str(ROOT / "src"), str(ROOT / "rulesets")]


def _province() -> ModuleType:
    name = "generate_province"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _write_county(index: int, county: Any, operators: int, seed: int, out: str) -> int:
    gen = _province()
    facts = gen.relabel(gen._weixian().generate(operators, seed + index), county)
    gen._weixian().write_bundle(facts, Path(out) / county.code)
    return len(facts)


def generate(counties: int, operators: int, seed: int, out: Path, jobs: int) -> int:
    """Write the province, counties in parallel processes; return the facts written."""
    gen = _province()
    chosen = gen.province_counties("130000", counties)
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        sizes = pool.map(_write_county, range(len(chosen)), chosen,
                         [operators] * len(chosen), [seed] * len(chosen),
                         [os.fspath(out)] * len(chosen))
        return sum(sizes)


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


# --------------------------------------------------------------------------- child steps


def one_process(province: Path, report_path: Path) -> dict[str, Any]:
    import fsrules
    from fsrules.distributed import province_parts
    from fsrules.loading import load_bundle

    wall, cpu = time.perf_counter(), time.process_time()
    catalogue = fsrules.load_catalogue(entry_points=False)
    plan = catalogue.plan(profile="demo", as_of=AS_OF)
    parts = province_parts(province) or [province]
    loaded = load_bundle(parts, kinds=catalogue.fact_kinds, as_of=AS_OF)
    report = plan.run(loaded)
    text = report.to_json()
    out = {"facts": loaded.accepted, "rejected": loaded.rejected,
           "wall_s": round(time.perf_counter() - wall, 2),
           "cpu_s": round(time.process_time() - cpu, 2), "maxrss_mb": round(_maxrss_mb(), 1),
           "findings": len(report.findings)}
    report_path.write_text(text, encoding="utf-8")
    return out


def on_dask(province: Path, workers: int, report_path: Path) -> dict[str, Any]:
    import distributed

    import fsrules
    from fsrules import distributed as fsd

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.run(lambda: __import__("fsrules.distributed"))  # imports are not the run
        before = client.run(_cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        catalogue = fsrules.load_catalogue(entry_points=False)
        plan = catalogue.plan(profile="demo", as_of=AS_OF)
        report = fsd.run(plan, province, client, kinds=catalogue.fact_kinds)
        text = report.to_json()
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        after = client.run(_cpu)
        worker_rss = client.run(lambda: _maxrss_mb())
    worker_cpu = sum(after[w] - before[w] for w in after)
    report_path.write_text(text, encoding="utf-8")
    return {"facts": report.input.accepted, "wall_s": round(wall, 2),
            "cpu_s": round(cpu + worker_cpu, 2), "driver_cpu_s": round(cpu, 2),
            "maxrss_mb": round(max([_maxrss_mb(), *worker_rss.values()]), 1),
            "findings": len(report.findings)}


# --------------------------------------------------------------------------- parent


def _child(args: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    extra = os.pathsep.join([str(ROOT / "src"), str(ROOT / "rulesets")])
    env["PYTHONPATH"] = extra + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"error": f"exit {done.returncode}: {' | '.join(tail)}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("_one", "_dask"):
        _import_paths()
        if argv[0] == "_one":
            out = one_process(Path(argv[1]), Path(argv[2]))
        else:
            out = on_dask(Path(argv[1]), int(argv[3]), Path(argv[2]))
        print(json.dumps(out))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=40, help="counties (40)")
    parser.add_argument("--operators", type=int, default=1000,
                        help="operators per county, at least 60 (1000: ~130k facts each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="1,2", help="Dask worker counts to run (1,2)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the province here and keep it (reused when present)")
    args = parser.parse_args(argv)
    _import_paths()

    directory = args.keep or Path(tempfile.mkdtemp(prefix="fsrules-province-"))
    try:
        if not (directory.exists() and any(directory.iterdir())):
            directory.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            total = generate(args.counties, args.operators, args.seed, directory,
                             jobs=os.cpu_count() or 1)
            print(f"generated {total:,} facts in {args.counties} counties in "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        rows: list[tuple[str, dict[str, Any], Path]] = []
        report = directory.parent / f"{directory.name}-one.json"
        print("one process ...", file=sys.stderr, flush=True)
        rows.append(("one process", _child(["_one", str(directory), str(report)]), report))
        print(json.dumps(rows[-1][1]), file=sys.stderr, flush=True)
        for workers in (int(w) for w in args.workers.split(",") if w):
            report = directory.parent / f"{directory.name}-dask{workers}.json"
            print(f"Dask, {workers} worker(s) ...", file=sys.stderr, flush=True)
            rows.append((f"Dask {workers} worker(s)",
                         _child(["_dask", str(directory), str(report), str(workers)]), report))
            print(json.dumps(rows[-1][1]), file=sys.stderr, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)

    digests = {}
    for _, _row, path in rows:
        if path.exists():
            digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            path.unlink()
    base = rows[0][1]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"fsrules province benchmark ({args.counties} counties x {args.operators:,} operators, "
          f"as of {AS_OF}, profile demo, {os.cpu_count()} CPUs, load average {load:.1f})")
    print(f"{'run':<20} {'facts':>11} {'wall s':>8} {'CPU s':>8} {'facts/CPU-s':>12} "
          f"{'facts/wall-s':>13} {'maxrss MB':>10} {'speed-up':>9}")
    for name, row, _ in rows:
        if "error" in row:
            print(f"{name:<20} {row['error']}")
            continue
        speed = base["wall_s"] / row["wall_s"] if "wall_s" in base else float("nan")
        print(f"{name:<20} {row['facts']:>11,} {row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} "
              f"{row['facts'] / row['cpu_s']:>12,.0f} {row['facts'] / row['wall_s']:>13,.0f} "
              f"{row['maxrss_mb']:>10,.0f} {speed:>8.2f}x")
    same = len(set(digests.values())) == 1 and len(digests) == len(rows)
    print("JSON reports byte-identical" if same else "JSON REPORTS DIFFER (or a run failed)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
