#!/usr/bin/env python
"""Benchmark loading and evaluating a synthetic county of N operators.

For each size N the county is generated with ``generate(N, seed)`` from
``examples/generate_weixian.py`` (records proportionate to the 400-operator
demo county: about 125 facts per operator) and written as a CSV bundle with
Chinese headers to a temporary folder. Then, each in a fresh subprocess:

1. **timing**: ``load_bundle`` of the bundle (with the engine's fact kinds,
   so kinds the rulesets register load too) and
   ``Engine(profile="demo").evaluate`` of the result as of 2023-12-31 (all
   default rulesets), ``--repeat`` times, best run kept; the process's peak
   resident set size (``getrusage`` maxrss) is read at the end;
2. **tracing** (unless ``--no-tracemalloc``): one more load and evaluation
   under :mod:`tracemalloc`, for the peak of memory allocated by Python.

Generation runs in a process of its own, so neither peak includes it.
Prints one JSON line per size as it finishes and an aligned table at the end::

    python benchmarks/bench_county.py                      # 10k, 100k and 1M facts
    python benchmarks/bench_county.py --sizes 1000,10000 --repeat 3   # operator counts

Besides wall and CPU time it prints facts per CPU second (load, evaluate and
end to end), KB per fact (traced Python heap and resident set) and whether
scaling is linear: the CPU cost per fact at the largest size over the smallest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "examples" / "generate_weixian.py"
AS_OF = dt.date(2023, 12, 31)
DEFAULT_FACTS = "10k,100k,1M"


def _import_paths() -> None:
    """Make ``fsrules`` importable from a checkout where it is not installed."""
    try:
        import fsrules  # noqa: F401
    except ImportError:
        sys.path[:0] = [str(ROOT / "src"), str(ROOT / "rulesets")]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    extra = os.pathsep.join([str(ROOT / "src"), str(ROOT / "rulesets")])
    env["PYTHONPATH"] = extra + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_weixian", GENERATOR)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(f"cannot import {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _maxrss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


# --------------------------------------------------------------------------- child steps


def prepare(n_operators: int, seed: int, directory: Path) -> dict[str, Any]:
    """Generate the county and write it as a CSV bundle (run in its own process)."""
    generator = _generator()
    started = time.perf_counter()
    facts = generator.generate(n_operators, seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    paths = generator.write_bundle(facts, directory, jsonl_kinds=())
    written = time.perf_counter() - started
    return {
        "facts": len(facts),
        "files": len(paths),
        "csv_mb": round(sum(p.stat().st_size for p in paths) / 1e6, 2),
        "generate_s": round(generated, 2),
        "write_s": round(written, 2),
    }


def measure(directory: Path, repeat: int) -> dict[str, Any]:
    """Time load and evaluation ``repeat`` times (best run kept); report maxrss."""
    from fsrules import Engine
    from fsrules.loading import load_bundle

    engine = Engine(profile="demo")
    best_load = best_eval = float("inf")
    load_cpu = eval_cpu = float("inf")
    loaded_facts = rejected = 0
    findings: dict[str, int] = {}
    for _ in range(repeat):
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        result = load_bundle([directory], kinds=engine.fact_kinds, as_of=AS_OF)
        best_load = min(best_load, time.perf_counter() - started)
        load_cpu = min(load_cpu, time.process_time() - cpu)
        loaded_facts, rejected = result.accepted, result.rejected
        started, cpu = time.perf_counter(), time.process_time()
        report = engine.evaluate(result, as_of=AS_OF)
        best_eval = min(best_eval, time.perf_counter() - started)
        eval_cpu = min(eval_cpu, time.process_time() - cpu)
        findings = dict(sorted(Counter(f.rule_id for f in report.findings).items()))
        del result, report
    return {
        "facts_loaded": loaded_facts,
        "rejected": rejected,
        "load_s": round(best_load, 3),
        "load_cpu_s": round(load_cpu, 3),
        "loaded_per_s": round(loaded_facts / best_load),
        "evaluate_s": round(best_eval, 3),
        "evaluate_cpu_s": round(eval_cpu, 3),
        "evaluated_per_s": round(loaded_facts / best_eval),
        "loaded_per_cpu_s": round(loaded_facts / load_cpu),
        "evaluated_per_cpu_s": round(loaded_facts / eval_cpu),
        "per_cpu_s": round(loaded_facts / (load_cpu + eval_cpu)),
        "maxrss_mb": round(_maxrss_mb(), 1),
        "findings": findings,
    }


def trace(directory: Path) -> dict[str, Any]:
    """One load and evaluation under tracemalloc; report the traced peak."""
    import tracemalloc

    from fsrules import Engine
    from fsrules.loading import load_bundle

    engine = Engine(profile="demo")
    gc.collect()
    tracemalloc.start()
    result = load_bundle([directory], kinds=engine.fact_kinds, as_of=AS_OF)
    _, load_peak = tracemalloc.get_traced_memory()
    report = engine.evaluate(result, as_of=AS_OF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result, report
    return {"tracemalloc_peak_mb": round(peak / 1e6, 1),
            "tracemalloc_load_peak_mb": round(load_peak / 1e6, 1)}


# --------------------------------------------------------------------------- parent


def _run_child(args: list[str], timeout: float | None) -> dict[str, Any]:
    """Run this script as a child step and return the JSON it prints last."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=_child_env(), check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        reason = "killed (out of memory?)" if done.returncode < 0 else f"exit {done.returncode}"
        return {"error": f"{reason}: {' | '.join(tail)}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def bench_size(n_operators: int, *, seed: int, repeat: int, tracing: bool,
               timeout: float | None, keep: Path | None) -> dict[str, Any]:
    """Every measurement for one county size."""
    row: dict[str, Any] = {"operators": n_operators}
    directory = Path(tempfile.mkdtemp(prefix=f"fsrules-bench-{n_operators}-"))
    if keep is not None:
        directory = keep / f"county-{n_operators}"
        directory.mkdir(parents=True, exist_ok=True)
    try:
        print(f"[{n_operators:,} operators] generating ...", file=sys.stderr, flush=True)
        row.update(_run_child(["_prepare", str(n_operators), str(seed), str(directory)],
                              timeout))
        if "error" in row:
            return row
        print(f"[{n_operators:,} operators] {row['facts']:,} facts, {row['csv_mb']} MB CSV; "
              f"loading and evaluating ({repeat}x) ...", file=sys.stderr, flush=True)
        row.update(_run_child(["_measure", str(directory), str(repeat)], timeout))
        if tracing and "error" not in row:
            print(f"[{n_operators:,} operators] tracemalloc run ...", file=sys.stderr,
                  flush=True)
            traced = _run_child(["_trace", str(directory)], timeout)
            row.update({"tracemalloc_error": traced["error"]} if "error" in traced else traced)
    finally:
        if keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    return row


_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (key, header, format)
    ("operators", "operators", "{:,}"),
    ("facts", "facts", "{:,}"),
    ("csv_mb", "CSV MB", "{:.1f}"),
    ("load_s", "load s", "{:.2f}"),
    ("load_cpu_s", "(CPU s)", "{:.2f}"),
    ("loaded_per_cpu_s", "loaded/CPU-s", "{:,}"),
    ("evaluate_s", "evaluate s", "{:.2f}"),
    ("evaluate_cpu_s", "(CPU s)", "{:.2f}"),
    ("evaluated_per_cpu_s", "evaluated/CPU-s", "{:,}"),
    ("per_cpu_s", "end-to-end/CPU-s", "{:,}"),
    ("tracemalloc_peak_mb", "tracemalloc peak MB", "{:,.1f}"),
    ("kb_per_fact", "KB/fact", "{:.2f}"),
    ("maxrss_mb", "maxrss MB", "{:,.1f}"),
    ("rss_kb_per_fact", "RSS KB/fact", "{:.2f}"),
)


def derived(row: dict[str, Any]) -> dict[str, Any]:
    """KB per fact (Python heap from tracemalloc, and resident) for one measured size."""
    facts = row.get("facts_loaded") or row.get("facts")
    if not facts:
        return row
    out = dict(row)
    if row.get("tracemalloc_peak_mb") is not None:
        out["kb_per_fact"] = round(row["tracemalloc_peak_mb"] * 1e3 / facts, 3)
    if row.get("maxrss_mb") is not None:
        out["rss_kb_per_fact"] = round(row["maxrss_mb"] * 1e3 / facts, 3)
    return out


def linearity(rows: Sequence[dict[str, Any]]) -> str | None:
    """How the CPU cost per fact of the largest size compares with the smallest's."""
    done = [r for r in rows if r.get("per_cpu_s")]
    if len(done) < 2:
        return None
    small = min(done, key=lambda r: r["facts"])
    large = max(done, key=lambda r: r["facts"])
    ratio = small["per_cpu_s"] / large["per_cpu_s"]  # cost per fact, large / small
    verdict = "linear" if ratio <= 1.25 else "NOT linear"
    return (f"CPU per fact at {large['facts']:,} facts is {ratio:.2f}x that at "
            f"{small['facts']:,} facts (end to end): {verdict} (<= 1.25x counts as linear)")


def table(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as an aligned plain-text table (``-`` where a value is missing)."""
    cells = [[header for _, header, _ in _COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[key]) if row.get(key) is not None else "-"
                      for key, _, fmt in _COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(_COLUMNS))]
    lines = []
    for number, line in enumerate(cells):
        lines.append("  ".join(cell.rjust(width) for cell, width in zip(line, widths,
                                                                         strict=True)))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"  {row['operators']:,} operators: {row['error']}" for row in rows
             if "error" in row]
    notes += [f"  {row['operators']:,} operators (tracemalloc): {row['tracemalloc_error']}"
              for row in rows if "tracemalloc_error" in row]
    return "\n".join(lines + (["", "Not measured:", *notes] if notes else []))


def _numbers(text: str) -> list[int]:
    out = []
    for part in text.lower().replace("_", "").split(","):
        if part:
            scale = 1_000_000 if part.endswith("m") else 1_000 if part.endswith("k") else 1
            out.append(int(float(part.rstrip("mk")) * scale))
    return out


def _sizes(text: str) -> list[int]:
    sizes = _numbers(text)
    if not sizes or min(sizes) < 60:
        raise argparse.ArgumentTypeError("sizes are operator counts of at least 60")
    return sizes


#: Facts per operator of the generated county (the demo's proportions), for --facts.
FACTS_PER_OPERATOR = 125


def _facts(text: str) -> list[int]:
    """Operator counts for fact counts such as ``10k,100k,1M`` (at least 60 operators)."""
    sizes = _numbers(text)
    if not sizes:
        raise argparse.ArgumentTypeError("give fact counts such as 10k,100k,1M")
    return [max(60, round(n / FACTS_PER_OPERATOR)) for n in sizes]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point (also dispatches the child steps)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("_prepare", "_measure", "_trace"):
        _import_paths()
        step, rest = argv[0], argv[1:]
        if step == "_prepare":
            out = prepare(int(rest[0]), int(rest[1]), Path(rest[2]))
        elif step == "_measure":
            out = measure(Path(rest[0]), int(rest[1]))
        else:
            out = trace(Path(rest[0]))
        print(json.dumps(out, ensure_ascii=False))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=None,
                        help="comma-separated operator counts, e.g. 1000,10000")
    parser.add_argument("--facts", type=_facts, default=None,
                        help="comma-separated fact counts, e.g. 10k,100k,1M (the default); "
                             "about 125 facts per operator")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed runs per size; the best is reported (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--no-tracemalloc", dest="tracing", action="store_false",
                        help="skip the tracemalloc run (it is slow on large counties)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds allowed for each step of each size (default: no limit)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the bundles under this folder and keep them")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    sizes = args.sizes or args.facts or _facts(DEFAULT_FACTS)
    rows = []
    for n in sizes:
        row = bench_size(n, seed=args.seed, repeat=args.repeat, tracing=args.tracing,
                         timeout=args.timeout, keep=args.keep)
        row = derived(row)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"fsrules county benchmark (as of {AS_OF}, profile demo, best of {args.repeat}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f})")
    print(table(rows))
    verdict = linearity(rows)
    if verdict:
        print(verdict)
    return 0 if all("error" not in row for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
