#!/usr/bin/env python
"""The whole ``fsrules check`` process, in CPU seconds: the issue 11 end-to-end figure.

Runs, in a fresh process each time,

    python -m fsrules check BUNDLE --profile demo --as-of 2023-12-31 --format json -o OUT

and reads the child's CPU time (user + system, from ``os.wait4``), so the
figure covers everything the command does: imports, plugin registration,
loading, evaluating and writing the report. Facts per CPU second is the
bundle's accepted records (from the report) over that time.

``--tree`` (repeatable) names checkouts to compare side by side: each run
puts that tree's ``src``, ``rulesets`` and plugin sources first on
``PYTHONPATH``; the runs of all trees are interleaved (A B A B ...), so
other load on a shared machine falls on each tree alike, and the best of
``--repeat`` runs is kept. The reports of all trees must be byte-identical;
the script says so (and exits 1 when they are not)::

    python benchmarks/bench_cli.py --operators 2500                  # this checkout
    python benchmarks/bench_cli.py --operators 2500 --tree /work/main --tree . --repeat 5
    python benchmarks/bench_cli.py --bundle examples/weixian --repeat 3

A generated county (``--operators N``, ``examples/generate_weixian.py``) is
written to a temporary folder first (``--keep DIR`` writes it there and
reuses it when it exists). One warm-up run per tree compiles the bytecode
caches before anything is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2023-12-31"


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    paths = [tree / "src", tree / "rulesets"]
    paths += sorted((tree / "plugins").glob("*/src"))
    extra = os.pathsep.join(str(p) for p in paths)
    env["PYTHONPATH"] = extra + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONHASHSEED"] = "0"
    # The warm-up run must leave bytecode caches, as an installed fsrules has:
    # with PYTHONDONTWRITEBYTECODE set, every run would compile fsrules anew.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _generate(operators: int, seed: int | None, directory: Path) -> None:
    command = [sys.executable, str(ROOT / "examples" / "generate_weixian.py"),
               "--operators", str(operators), "--out", str(directory)]
    if seed is not None:
        command += ["--seed", str(seed)]
    subprocess.run(command, check=True, env=_env(ROOT), stdout=subprocess.DEVNULL)


def run_once(tree: Path, bundle: Path, out: Path, profile: str) -> dict[str, Any]:
    """One ``fsrules check`` in a fresh process: CPU seconds, wall seconds, peak RSS."""
    command = [sys.executable, "-m", "fsrules", "check", str(bundle), "--profile", profile,
               "--as-of", AS_OF, "--format", "json", "-o", str(out)]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=_env(tree), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        raise SystemExit(f"fsrules check failed ({child.returncode}) in {tree}:\n"
                         f"{stderr.decode(errors='replace')}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall,
            "rss_mb": usage.ru_maxrss * 1024 / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--bundle", type=Path, help="an existing bundle folder")
    source.add_argument("--operators", type=int, default=2500,
                        help="generate a county of this many operators (default 2500)")
    parser.add_argument("--seed", type=int, default=None, help="generator seed")
    parser.add_argument("--keep", type=Path, help="write the generated county here (reused)")
    parser.add_argument("--tree", type=Path, action="append",
                        help="a checkout to measure (repeatable; default: this one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tree (best kept)")
    parser.add_argument("--profile", default="demo")
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in (args.tree or [ROOT])]

    scratch = Path(tempfile.mkdtemp(prefix="fsrules-bench-cli-"))
    try:
        if args.bundle is not None:
            bundle = args.bundle
        else:
            bundle = args.keep or scratch / "county"
            if not (bundle.is_dir() and any(bundle.iterdir())):
                _generate(args.operators, args.seed, bundle)
        outs = [scratch / f"report-{i}.json" for i in range(len(trees))]
        for tree, out in zip(trees, outs, strict=True):
            run_once(tree, bundle, out, args.profile)  # warm-up: bytecode caches
        runs: list[list[dict[str, Any]]] = [[] for _ in trees]
        for _ in range(args.repeat):
            for i, tree in enumerate(trees):
                runs[i].append(run_once(tree, bundle, outs[i], args.profile))
        doc = json.loads(outs[0].read_text(encoding="utf-8"))
        facts = int(doc["input"]["accepted"])
        same = all(o.read_bytes() == outs[0].read_bytes() for o in outs[1:])
        print(f"bundle {bundle}: {facts:,} facts accepted, {len(doc['findings']):,} findings; "
              f"best of {args.repeat} runs per tree, interleaved")
        print(f"{'tree':<40} {'CPU s':>7} {'median':>7} {'facts/CPU-s':>12} {'wall s':>7} "
              f"{'RSS MB':>7}")
        best_cpu = []
        for tree, tree_runs in zip(trees, runs, strict=True):
            cpus = sorted(r["cpu"] for r in tree_runs)
            best = min(tree_runs, key=lambda r: r["cpu"])
            best_cpu.append(best["cpu"])
            print(f"{str(tree)[-40:]:<40} {best['cpu']:7.3f} {cpus[len(cpus) // 2]:7.3f} "
                  f"{facts / best['cpu']:12,.0f} {best['wall']:7.2f} {best['rss_mb']:7.0f}")
        if len(trees) > 1:
            ratios = ", ".join(f"{best_cpu[0] / c:.2f}×" for c in best_cpu[1:])
            print(f"speed-up over the first tree (CPU): {ratios}")
            print("reports byte-identical: " + ("yes" if same else "NO"))
        return 0 if same else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
