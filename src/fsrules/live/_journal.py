"""The monitor's journal: every accepted operation, in order, in SQLite.

A monitor with a state folder writes each operation (a record posted, time
advanced) to ``journal.sqlite`` before it answers, in one transaction with
the fingerprints it reported. A monitor opened on the same folder replays
the journal silently and continues: nothing reported before is reported
again, nothing accepted before is lost. The journal also pins what it was
written with (catalogue digest, profile, covered rules): resuming with a
different plan is refused rather than silently mixed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from fsrules.exceptions import ConfigError

__all__ = ["Journal"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops (
    seq INTEGER PRIMARY KEY,
    op TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reported (
    seq INTEGER NOT NULL,
    what TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
"""


class Journal:
    """``journal.sqlite`` in ``folder`` (created when missing)."""

    FILENAME = "journal.sqlite"

    def __init__(self, folder: str | Path, identity: Mapping[str, str]) -> None:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        self.path = path / self.FILENAME
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if stored and stored != dict(identity):
            diff = sorted(k for k in set(stored) | set(identity)
                          if stored.get(k) != identity.get(k))
            raise ConfigError(f"the state folder {path} was written by another monitor "
                              f"(differs in: {', '.join(diff)}); use a new folder")
        if not stored:
            self._db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(identity.items()))
        self._pending = 0
        self.batch = 1
        """Operations per transaction (1: each answer is durable before it is returned)."""

    def ops(self) -> Iterator[tuple[int, str, Any]]:
        """The journaled operations, in order: ``(seq, op, payload)``."""
        for seq, op, payload in self._db.execute("SELECT seq, op, payload FROM ops ORDER BY seq"):
            yield seq, op, json.loads(payload)

    def count(self) -> int:
        """How many operations the journal holds."""
        row = self._db.execute("SELECT COUNT(*) FROM ops").fetchone()
        return int(row[0])

    def write(self, seq: int, op: str, payload: Any,
              reported: list[tuple[str, str, str]]) -> None:
        """Journal one operation and what it reported (``(what, rule_id, fingerprint)``)."""
        if self._pending == 0:
            self._db.execute("BEGIN")
        self._db.execute("INSERT INTO ops VALUES (?, ?, ?)",
                         (seq, op, json.dumps(payload, ensure_ascii=False, sort_keys=True)))
        if reported:
            self._db.executemany("INSERT INTO reported VALUES (?, ?, ?, ?)",
                                 [(seq, *r) for r in reported])
        self._pending += 1
        if self._pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Commit what is pending."""
        if self._pending:
            self._db.execute("COMMIT")
            self._pending = 0

    def close(self) -> None:
        """Commit and close."""
        self.flush()
        self._db.close()
