"""The history store: every run and every finding by fingerprint, in one SQLite file.

Standard-library :mod:`sqlite3`, no server. Each finding's row carries first
and last seen, status (待整改 / 整改中 / 已销号 / 已豁免), the department it is
assigned to (责任单位), a due date (整改期限), the closing date (销号日期) and a
note; ``events`` keeps every change. Dates come from the runs' ``as_of`` and
from the user, never from the clock.

Status on recording a run (``as_of`` D):

* a fingerprint seen for the first time is 待整改 (已豁免 when an active waiver covers it);
* a finding closed by hand (销号) that is found again after its closing date is
  reopened as 待整改 and marked 复发 (recurred);
* an open finding of a rule that ran but did not find it again (and was last
  seen on or before D) is closed automatically (已销号, note ``数据已消除``).

Two writers may share a file: WAL journal, a busy timeout, and each change in
one ``BEGIN IMMEDIATE`` transaction. The schema is versioned with
``PRAGMA user_version``; :data:`MIGRATIONS` upgrades older files in place and a
file from a newer fsrules is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from fsrules._marks import FindingMark
from fsrules._report import Report
from fsrules.exceptions import InputError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "STATUSES", "FindingRecord", "HistoryStore"]

#: The statuses of a finding in the store, in workflow order.
STATUSES = ("待整改", "整改中", "已销号", "已豁免")
OPEN_STATUSES = ("待整改", "整改中")

#: The store's schema version (``PRAGMA user_version``).
SCHEMA_VERSION = 1

#: SQL that takes a store from version ``n - 1`` to ``n``.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, profile TEXT NOT NULL,
            fsrules_version TEXT NOT NULL, rulesets TEXT NOT NULL, plugins TEXT NOT NULL,
            parameter_digest TEXT NOT NULL, input_digest TEXT NOT NULL,
            findings INTEGER NOT NULL, open INTEGER NOT NULL)""",
        """CREATE TABLE findings (
            fingerprint TEXT PRIMARY KEY, rule_id TEXT NOT NULL, ruleset TEXT NOT NULL,
            severity TEXT NOT NULL, title TEXT NOT NULL, subject_kind TEXT NOT NULL,
            subject_id TEXT NOT NULL, subject_name TEXT NOT NULL, region_code TEXT,
            township TEXT, message TEXT NOT NULL, lead TEXT NOT NULL,
            responsible TEXT NOT NULL, rule_due_date TEXT,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
            status TEXT NOT NULL, department TEXT, due_date TEXT, closed_on TEXT,
            closed_by_hand INTEGER NOT NULL DEFAULT 0, recurred INTEGER NOT NULL DEFAULT 0,
            note TEXT)""",
        """CREATE TABLE sightings (
            run_id INTEGER NOT NULL REFERENCES runs(id), fingerprint TEXT NOT NULL,
            PRIMARY KEY (run_id, fingerprint))""",
        """CREATE TABLE rule_runs (
            run_id INTEGER NOT NULL REFERENCES runs(id), rule_id TEXT NOT NULL,
            ruleset TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
            findings INTEGER NOT NULL, PRIMARY KEY (run_id, rule_id))""",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, on_date TEXT NOT NULL,
            action TEXT NOT NULL, detail TEXT NOT NULL)""",
        "CREATE INDEX findings_status ON findings(status)",
    ),
}

_TIMEOUT_S = 60.0


@attrs.frozen(kw_only=True)
class FindingRecord:
    """One finding's row in the store."""

    fingerprint: str
    rule_id: str
    ruleset: str
    severity: str
    title: str
    subject_kind: str
    subject_id: str
    subject_name: str
    region_code: str | None
    township: str | None
    message: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    rule_due_date: dt.date | None
    first_seen: dt.date
    last_seen: dt.date
    status: str
    department: str | None
    due_date: dt.date | None
    closed_on: dt.date | None
    closed_by_hand: bool
    recurred: bool
    note: str | None

    @property
    def owner(self) -> str:
        """The department to report it under: assigned, else the first lead department."""
        return self.department or (self.lead[0] if self.lead else "")

    def mark(self) -> FindingMark:
        """The report mark for this record."""
        return FindingMark(status=self.status, department=self.department,
                           due_date=self.due_date, closed_on=self.closed_on, note=self.note,
                           first_seen=self.first_seen, recurred=self.recurred,
                           township=self.township)


def _d(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _record(row: sqlite3.Row) -> FindingRecord:
    return FindingRecord(
        fingerprint=row["fingerprint"], rule_id=row["rule_id"], ruleset=row["ruleset"],
        severity=row["severity"], title=row["title"], subject_kind=row["subject_kind"],
        subject_id=row["subject_id"], subject_name=row["subject_name"],
        region_code=row["region_code"], township=row["township"], message=row["message"],
        lead=tuple(json.loads(row["lead"])), responsible=tuple(json.loads(row["responsible"])),
        rule_due_date=_d(row["rule_due_date"]),
        first_seen=dt.date.fromisoformat(row["first_seen"]),
        last_seen=dt.date.fromisoformat(row["last_seen"]), status=row["status"],
        department=row["department"], due_date=_d(row["due_date"]),
        closed_on=_d(row["closed_on"]), closed_by_hand=bool(row["closed_by_hand"]),
        recurred=bool(row["recurred"]), note=row["note"])


class HistoryStore:
    """A history store at ``path`` (created, or migrated to :data:`SCHEMA_VERSION`, on open)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: cannot open the history store: {exc}",
                             file=str(self.path)) from exc
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(_TIMEOUT_S * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InputError(f"{self.path}: not a history store (SQLite): {exc}",
                             file=str(self.path)) from exc
        except BaseException:
            self._db.close()
            raise

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading (BEGIN IMMEDIATE: no lost updates)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def version(self) -> int:
        """The file's schema version."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._write() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > SCHEMA_VERSION:
                raise InputError(f"{self.path}: history store schema {current} is newer than "
                                 f"this fsrules reads ({SCHEMA_VERSION}); upgrade fsrules")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    # ------------------------------------------------------------------ recording

    def record(self, report: Report) -> int:
        """Record one run: provenance, sightings, rule statuses and each finding's status.

        Returns the run's id. ``report.lifecycle`` (waivers, townships) is used when present.
        """
        prov = report.provenance
        day = prov.as_of.isoformat()
        life = report.lifecycle
        with self._write() as db:
            run_id = int(db.execute(
                "INSERT INTO runs (as_of, profile, fsrules_version, rulesets, plugins, "
                "parameter_digest, input_digest, findings, open) VALUES (?,?,?,?,?,?,?,?,0)",
                (day, prov.profile, prov.fsrules_version,
                 json.dumps(dict(sorted(prov.rulesets.items())), ensure_ascii=False),
                 json.dumps(dict(sorted(prov.plugins.items())), ensure_ascii=False),
                 prov.parameter_digest, prov.input_digest, len(report.findings))).lastrowid or 0)
            db.executemany("INSERT INTO rule_runs VALUES (?,?,?,?,?,?)",
                           [(run_id, s.rule_id, s.ruleset, s.kind, s.status, s.findings)
                            for s in report.rule_stats])
            seen = set()
            for f in report.findings:
                seen.add(f.fingerprint)
                db.execute("INSERT OR IGNORE INTO sightings VALUES (?,?)", (run_id, f.fingerprint))
                mark = None if life is None else life.mark(f.fingerprint)
                waived = bool(mark and mark.waiver and mark.waiver.waived)
                township = None if mark is None else mark.township
                row = db.execute("SELECT * FROM findings WHERE fingerprint = ?",
                                 (f.fingerprint,)).fetchone()
                if row is None:
                    status = "已豁免" if waived else "待整改"
                    db.execute(
                        "INSERT INTO findings (fingerprint, rule_id, ruleset, severity, title, "
                        "subject_kind, subject_id, subject_name, region_code, township, message, "
                        "lead, responsible, rule_due_date, first_seen, last_seen, status) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (f.fingerprint, f.rule_id, f.ruleset, f.severity.value, f.title.zh,
                         f.subject.kind, f.subject.id, f.subject.name, f.subject.region_code,
                         township, f.message.zh,
                         json.dumps(list(f.lead_departments), ensure_ascii=False),
                         json.dumps(list(f.responsible_departments), ensure_ascii=False),
                         None if f.due_date is None else f.due_date.isoformat(), day, day,
                         status))
                    self._event(db, f.fingerprint, day, "首次发现", status)
                    continue
                self._update_seen(db, _record(row), day, waived, township, f.message.zh)
            self._close_gone(db, report, seen, day)
            open_count = int(db.execute(
                "SELECT COUNT(*) FROM sightings s JOIN findings f USING (fingerprint) "
                "WHERE s.run_id = ? AND f.status IN (?, ?)", (run_id, *OPEN_STATUSES)
            ).fetchone()[0])
            db.execute("UPDATE runs SET open = ? WHERE id = ?", (open_count, run_id))
        return run_id

    def _update_seen(self, db: sqlite3.Connection, rec: FindingRecord, day: str, waived: bool,
                     township: str | None, message: str) -> None:
        last = max(rec.last_seen.isoformat(), day)
        status, recurred, closed_on = rec.status, rec.recurred, rec.closed_on
        closed_by_hand = rec.closed_by_hand
        if rec.status == "已销号" and closed_on is not None and day > closed_on.isoformat():
            status, closed_on = "待整改", None
            if rec.closed_by_hand:
                recurred = True
                self._event(db, rec.fingerprint, day, "复发", f"销号于 {rec.closed_on} 后再次发现")
            else:
                self._event(db, rec.fingerprint, day, "重新出现", "待整改")
            closed_by_hand = False
        if waived and status in OPEN_STATUSES:
            status = "已豁免"
            self._event(db, rec.fingerprint, day, "豁免", status)
        elif not waived and status == "已豁免" and day >= rec.last_seen.isoformat():
            status = "待整改"
            self._event(db, rec.fingerprint, day, "豁免失效", status)
        db.execute(
            "UPDATE findings SET last_seen = ?, status = ?, recurred = ?, closed_on = ?, "
            "closed_by_hand = ?, township = COALESCE(?, township), message = ? "
            "WHERE fingerprint = ?",
            (last, status, int(recurred), None if closed_on is None else closed_on.isoformat(),
             int(closed_by_hand), township, message, rec.fingerprint))

    def _close_gone(self, db: sqlite3.Connection, report: Report, seen: set[str],
                    day: str) -> None:
        ran = [s.rule_id for s in report.rule_stats if s.status == "ran"]
        for chunk in range(0, len(ran), 500):
            part = ran[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            rows = db.execute(
                f"SELECT fingerprint FROM findings WHERE status IN (?, ?) AND last_seen <= ? "
                f"AND rule_id IN ({marks})", (*OPEN_STATUSES, day, *part)).fetchall()
            for row in rows:
                if row["fingerprint"] in seen:
                    continue
                db.execute("UPDATE findings SET status = '已销号', closed_on = ?, "
                           "closed_by_hand = 0, note = COALESCE(note, '数据已消除') "
                           "WHERE fingerprint = ?", (day, row["fingerprint"]))
                self._event(db, row["fingerprint"], day, "自动销号", "数据已消除")

    @staticmethod
    def _event(db: sqlite3.Connection, fingerprint: str, day: str, action: str,
               detail: str) -> None:
        db.execute("INSERT INTO events (fingerprint, on_date, action, detail) VALUES (?,?,?,?)",
                   (fingerprint, day, action, detail))

    # ------------------------------------------------------------------ reading

    def get(self, fingerprint: str) -> FindingRecord:
        """The record of a fingerprint (or a unique prefix of one, at least 6 characters)."""
        rows = self._db.execute(
            "SELECT * FROM findings WHERE fingerprint = ? OR (length(?) >= 6 AND "
            "fingerprint LIKE ? || '%') ORDER BY fingerprint LIMIT 2",
            (fingerprint, fingerprint, fingerprint)).fetchall()
        exact = [r for r in rows if r["fingerprint"] == fingerprint]
        if exact:
            return _record(exact[0])
        if len(rows) != 1:
            raise InputError(f"no single finding {fingerprint!r} in the history store "
                             f"({len(rows)} match)", value=fingerprint)
        return _record(rows[0])

    def records(self, *, status: str | None = None, department: str | None = None,
                township: str | None = None) -> tuple[FindingRecord, ...]:
        """Every finding's record (filtered), most severe first, then rule and subject."""
        rows = [_record(r) for r in self._db.execute("SELECT * FROM findings")]
        out = [r for r in rows if (status is None or r.status == status)
               and (department is None or r.owner == department)
               and (township is None or (r.township or "") == township)]
        rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
        return tuple(sorted(out, key=lambda r: (rank.get(r.severity, 9), r.rule_id,
                                                r.subject_id, r.fingerprint)))

    def events(self, fingerprint: str) -> tuple[tuple[dt.date, str, str], ...]:
        """(date, action, detail) of every change to one finding, in order."""
        return tuple((dt.date.fromisoformat(r["on_date"]), r["action"], r["detail"])
                     for r in self._db.execute(
                         "SELECT on_date, action, detail FROM events WHERE fingerprint = ? "
                         "ORDER BY id", (fingerprint,)))

    def marks(self, report: Report) -> dict[str, FindingMark]:
        """The store's mark of each finding of ``report``."""
        out = {}
        for f in report.findings:
            row = self._db.execute("SELECT * FROM findings WHERE fingerprint = ?",
                                   (f.fingerprint,)).fetchone()
            if row is not None:
                out[f.fingerprint] = _record(row).mark()
        return out

    def runs(self) -> tuple[dict[str, Any], ...]:
        """Every run's provenance and counts, in recording order."""
        return tuple({**dict(r), "rulesets": json.loads(r["rulesets"]),
                      "plugins": json.loads(r["plugins"])}
                     for r in self._db.execute("SELECT * FROM runs ORDER BY id"))

    def trend(self) -> tuple[tuple[dt.date, int], ...]:
        """(as_of, open findings at that run) for every run, by as_of then recording order."""
        return tuple((dt.date.fromisoformat(r["as_of"]), int(r["open"])) for r in
                     self._db.execute("SELECT as_of, open FROM runs ORDER BY as_of, id"))

    def rule_runs(self) -> tuple[tuple[int, str, str, str, str, int], ...]:
        """(run id, rule id, ruleset, kind, status, findings) of every rule in every run."""
        return tuple((int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in self._db.execute(
            "SELECT run_id, rule_id, ruleset, kind, status, findings FROM rule_runs "
            "ORDER BY run_id, rule_id"))

    def progress(self, by: str) -> dict[str, dict[str, int]]:
        """Counts per status for each department (``by="department"``) or township."""
        table: dict[str, Counter[str]] = {}
        for rec in self.records():
            key = rec.owner if by == "department" else (rec.township or "（县级）")
            table.setdefault(key, Counter())[rec.status] += 1
        return {k: {s: table[k].get(s, 0) for s in STATUSES} for k in sorted(table)}

    # ------------------------------------------------------------------ changing

    def assign(self, fingerprint: str, *, on: dt.date, department: str | None = None,
               due_date: dt.date | None = None, note: str | None = None) -> FindingRecord:
        """Assign a finding to a department, with a due date and note; it becomes 整改中."""
        with self._write() as db:
            rec = self.get(fingerprint)
            status = "整改中" if rec.status == "待整改" else rec.status
            db.execute("UPDATE findings SET department = COALESCE(?, department), "
                       "due_date = COALESCE(?, due_date), note = COALESCE(?, note), status = ? "
                       "WHERE fingerprint = ?",
                       (department, None if due_date is None else due_date.isoformat(), note,
                        status, rec.fingerprint))
            self._event(db, rec.fingerprint, on.isoformat(), "交办",
                        json.dumps({"department": department, "due_date": None if due_date is None
                                    else due_date.isoformat(), "note": note},
                                   ensure_ascii=False, sort_keys=True))
        return self.get(rec.fingerprint)

    def set_status(self, fingerprint: str, status: str, *, on: dt.date,
                   note: str | None = None) -> FindingRecord:
        """Set a finding's status; 已销号 records ``on`` as the closing date (closed by hand)."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; one of {', '.join(STATUSES)}",
                             value=status)
        with self._write() as db:
            rec = self.get(fingerprint)
            closing = status == "已销号"
            db.execute("UPDATE findings SET status = ?, closed_on = ?, closed_by_hand = ?, "
                       "note = COALESCE(?, note) WHERE fingerprint = ?",
                       (status, on.isoformat() if closing else None, int(closing), note,
                        rec.fingerprint))
            self._event(db, rec.fingerprint, on.isoformat(), "销号" if closing else "状态",
                        status + (f"：{note}" if note else ""))
        return self.get(rec.fingerprint)

    def close_finding(self, fingerprint: str, *, on: dt.date, note: str | None = None
                      ) -> FindingRecord:
        """Close (销号) a finding by hand on ``on``."""
        return self.set_status(fingerprint, "已销号", on=on, note=note)

    def update_many(self, changes: Sequence[dict[str, Any]], *, on: dt.date) -> int:
        """Apply ledger edits (fingerprint, status, department, due_date, closed_on, note).

        Only changed values are written; returns how many findings changed.
        """
        changed = 0
        for change in changes:
            rec = self.get(str(change["fingerprint"]))
            status = change.get("status") or rec.status
            if status not in STATUSES:
                raise InputError(f"{rec.fingerprint}: unknown status {status!r}; one of "
                                 f"{', '.join(STATUSES)}", value=status)
            # the ledger shows the rule's departments and due date until the store has its own
            dept = change.get("department") or rec.department
            if rec.department is None and dept == "；".join(rec.responsible):
                dept = None
            due = change.get("due_date") or rec.due_date
            if rec.due_date is None and due == rec.rule_due_date:
                due = None
            note = change.get("note") or rec.note
            closed = change.get("closed_on") or (on if status == "已销号" else None)
            if status != "已销号":
                closed = None
            if (status, dept, due, note, closed) == (rec.status, rec.department, rec.due_date,
                                                      rec.note, rec.closed_on):
                continue
            with self._write() as db:
                db.execute(
                    "UPDATE findings SET status = ?, department = ?, due_date = ?, note = ?, "
                    "closed_on = ?, closed_by_hand = ? WHERE fingerprint = ?",
                    (status, dept, None if due is None else due.isoformat(), note,
                     None if closed is None else closed.isoformat(),
                     int(status == "已销号"), rec.fingerprint))
                self._event(db, rec.fingerprint, on.isoformat(), "台账导入", status)
            changed += 1
        return changed
