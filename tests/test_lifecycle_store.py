"""The history store: three demo runs, assign and close by hand, recurrence, two writers."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fsrules import Report
from fsrules.exceptions import InputError
from fsrules.lifecycle import annotate
from fsrules.lifecycle.store import SCHEMA_VERSION, HistoryStore

from ._lifecycle import DEC, DEMO, JAN, demo_report
from .test_cli import invoke

FEB = dt.date(2024, 2, 29)


def _persisting_fingerprint() -> str:
    jan = {f.fingerprint for f in demo_report(JAN).findings}
    return next(f.fingerprint for f in demo_report(DEC).findings
                if f.fingerprint in jan and f.severity.value == "high")


def test_three_runs_first_last_seen_status_and_recurrence(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    target = _persisting_fingerprint()
    gone = next(f.fingerprint for f in demo_report(DEC).findings
                if f.fingerprint not in {g.fingerprint for g in demo_report(JAN).findings})
    with HistoryStore(path) as store:
        store.record(demo_report(DEC))
        rec = store.get(target)
        assert (rec.first_seen, rec.last_seen, rec.status) == (DEC, DEC, "待整改")
        store.assign(target[:8], on=dt.date(2024, 1, 3), department="县市场监管局",
                     due_date=dt.date(2024, 1, 20), note="约谈负责人")
        assert store.get(target).status == "整改中"
        store.close_finding(target, on=dt.date(2024, 1, 10), note="复查合格")
        closed = store.get(target)
        assert (closed.status, closed.closed_on, closed.closed_by_hand) == (
            "已销号", dt.date(2024, 1, 10), True)
        store.record(demo_report(JAN))
        again = store.get(target)
        # closed by hand, found again after the closing date: reopened and marked 复发
        assert (again.status, again.recurred, again.closed_on) == ("待整改", True, None)
        assert (again.first_seen, again.last_seen) == (DEC, JAN)
        assert again.department == "县市场监管局" and again.note == "复查合格"
        assert [a for _, a, _ in store.events(target)] == ["首次发现", "交办", "销号", "复发"]
        # an open finding the data no longer shows is closed by the data, not by hand
        auto = store.get(gone)
        assert (auto.status, auto.closed_on, auto.closed_by_hand) == ("已销号", JAN, False)
        store.record(demo_report(FEB))
        assert store.get(target).last_seen == FEB
        assert [d for d, _ in store.trend()] == [DEC, JAN, FEB]
        assert len(store.runs()) == 3
        marks = store.marks(annotate(demo_report(JAN)))
        assert marks[target].recurred and marks[target].first_seen == DEC


def test_history_cli_lists_shows_assigns_closes_and_reports_progress(tmp_path: Path) -> None:
    store = str(tmp_path / "h.sqlite")
    base = ["check", str(DEMO), "--profile", "demo", "--keep-going", "--fail-on", "none",
            "--format", "json", "-o", str(tmp_path / "r.json"), "--store", store]
    assert invoke([*base, "--as-of", "2023-12-31"]).exit_code == 0
    doc = Report.from_json((tmp_path / "r.json").read_bytes())
    assert doc.lifecycle is not None
    fp = _persisting_fingerprint()
    mark = doc.lifecycle.marks[fp]
    assert mark.status == "待整改" and mark.first_seen == DEC
    listed = invoke(["history", "list", "--store", store])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[-1] == f"共 {len(doc.findings)} 条"
    assert fp in listed.stdout
    assert invoke(["history", "assign", fp[:10], "--store", store, "--on", "2024-01-02",
                   "--department", "章台镇人民政府", "--due", "2024-01-31"]).exit_code == 0
    shown = invoke(["history", "show", fp, "--store", store])
    assert "status: 整改中" in shown.stdout and "department: 章台镇人民政府" in shown.stdout
    assert "2024-01-02  交办" in shown.stdout
    assert invoke(["history", "close", fp, "--store", store, "--on", "2024-01-20"]
                  ).exit_code == 0
    progress = invoke(["history", "progress", "--store", store])
    assert "章台镇人民政府\t0\t0\t1\t0\t1" in progress.stdout
    assert "2023-12-31\t" in progress.stdout
    township = next(m.township for m in doc.lifecycle.marks.values() if m.township)
    assert f"\n{township}\t" in progress.stdout
    assert invoke([*base, "--as-of", "2024-01-31"]).exit_code == 0
    recurred = invoke(["history", "list", "--store", store, "--status", "待整改"])
    assert f"{fp}  待整改 复发" in recurred.stdout
    missing = invoke(["history", "show", "ffffffffff", "--store", store])
    assert missing.exit_code == 2


_WRITER = """
import sys
from fsrules import Report
from fsrules.lifecycle.store import HistoryStore
report = Report.from_json(open(sys.argv[2], 'rb').read())
for _ in range(int(sys.argv[3])):
    with HistoryStore(sys.argv[1]) as store:
        store.record(report)
"""


def test_two_concurrent_writers_leave_a_consistent_store(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    inputs = []
    for name, day in (("dec.json", DEC), ("jan.json", JAN)):
        inputs.append(tmp_path / name)
        inputs[-1].write_text(demo_report(day).to_json(), encoding="utf-8")
    runs = 4
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(p), str(runs)],
                              stderr=subprocess.PIPE, text=True) for p in inputs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2 * runs
    per_run = dict(db.execute("SELECT run_id, COUNT(*) FROM sightings GROUP BY run_id"))
    sizes = sorted(per_run.values())
    assert sizes == [347] * runs + [1260] * runs
    union = {f.fingerprint for d in (DEC, JAN) for f in demo_report(d).findings}
    assert db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == len(union)
    assert db.execute("SELECT COUNT(*) FROM runs WHERE findings != "
                      "(SELECT COUNT(*) FROM sightings s WHERE s.run_id = runs.id)"
                      ).fetchone()[0] == 0
    db.close()


def test_schema_is_versioned_and_migrated(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).close()  # an empty file at version 0
    with HistoryStore(old) as store:
        assert store.version == SCHEMA_VERSION == 1
        assert store.records() == ()
    future = tmp_path / "future.sqlite"
    db = sqlite3.connect(future)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(InputError, match="newer than this fsrules reads"):
        HistoryStore(future)
    garbage = tmp_path / "notes.txt"
    garbage.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(InputError, match="not a history store"):
        HistoryStore(garbage)
    assert invoke(["history", "list", "--store", str(garbage)]).exit_code == 2
