#!/usr/bin/env python
"""Workbook readers compared: python-calamine against openpyxl (read-only), on the same XLSX.

A CSV file of a generated county bundle (see ``bench_load.py``; default
``self_check.csv``, the largest kind) is written as an XLSX workbook with
openpyxl, then read back, every row and cell, by each reader; the best of
``--repeat`` runs of CPU time is printed with rows per CPU-second::

    python benchmarks/bench_load.py --operators 2500 --bundle /tmp/county-2500
    python benchmarks/bench_workbooks.py /tmp/county-2500/self_check.csv

The loader reads workbooks with python-calamine (``fsrules/loading/_workbooks.py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path


def write_xlsx(source: Path, target: Path) -> int:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(source.stem)
    rows = 0
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
            rows += 1
    workbook.save(target)
    return rows


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    count = 0
    for title in book.sheet_names:
        for _row in book.get_sheet_by_name(title).to_python(skip_empty_area=False):
            count += 1
    return count


def read_openpyxl(path: Path) -> int:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    book.close()
    return count


def best(read: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.process_time()
        rows = read(path)
        times.append(time.process_time() - started)
    return min(times), rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="a CSV file of a generated bundle")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench.xlsx"
        rows = write_xlsx(args.csv, path)
        result: dict[str, object] = {"rows": rows, "xlsx_mb": round(path.stat().st_size / 1e6, 2)}
        for name, read in (("calamine", read_calamine), ("openpyxl", read_openpyxl)):
            seconds, read_rows = best(read, path, args.repeat)
            result[f"{name}_cpu_s"] = round(seconds, 3)
            result[f"{name}_rows_per_cpu_s"] = round(read_rows / seconds)
        result["speed_up"] = round(float(str(result["openpyxl_cpu_s"]))
                                   / float(str(result["calamine_cpu_s"])), 1)
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
