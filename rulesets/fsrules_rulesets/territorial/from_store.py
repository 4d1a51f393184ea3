"""The findings lifecycle feeds the risk register: open findings become register entries.

A county that follows its findings to closure in the history store
(``fsrules check --store``, 逐项销号) already knows, for each open problem, where
it is (the township the store files it under), who must act (the assigned or
lead department), by when (the assigned due date, else the rule's) and whether
it was closed. :func:`register_entries` turns those records into
``territorial_risk_entry`` facts, so the 风险隐患清单 the county reviews every
quarter (seed 002) holds them, and TERR-201/202/203 follow their rectification
in the next run::

    with HistoryStore("history.sqlite") as store:
        entries = register_entries(store.records(), townships, min_severity="high")
    report = engine.evaluate([*loaded.facts, *entries], as_of=day)

Findings of the territorial ruleset itself are left out (they are about the
register, not on it), as are findings the store files under no township and
waived ones. An entry is rectified on the day its finding was closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from fsrules.lifecycle.store import FindingRecord
from fsrules.model import Severity

from .facts import FoundBy, RiskEntry, Township

__all__ = ["register_entries"]


def register_entries(records: Iterable[FindingRecord], townships: Iterable[Township], *,
                     min_severity: str = "high", default_days: int = 30) -> list[RiskEntry]:
    """Register entries for the store's findings of ``min_severity`` or worse.

    ``townships`` resolve the store's township names to ids. The deadline is
    the finding's assigned due date, else its rule's, else ``default_days``
    after it was first seen. Entries are sorted by id (``FS`` + fingerprint).
    """
    floor = Severity.parse(min_severity).rank
    by_name: Mapping[str, Township] = {t.name: t for t in townships}
    out: list[RiskEntry] = []
    for rec in records:
        town = by_name.get(rec.township or "")
        if (town is None or rec.ruleset == "territorial" or rec.status == "已豁免"
                or Severity.parse(rec.severity).rank < floor):
            continue
        deadline = rec.due_date or rec.rule_due_date or (
            rec.first_seen + dt.timedelta(days=default_days))
        deadline = max(deadline, rec.first_seen)
        closed = rec.closed_on if rec.closed_on is not None else None
        out.append(RiskEntry(
            id=f"FS{rec.fingerprint[:16]}", hazard=f"{rec.title}（{rec.subject_name}）",
            township_id=town.id, found_on=rec.first_seen, found_by=FoundBy.FINDING,
            department=rec.owner or "县市场监管局", deadline=deadline,
            rectified_on=None if closed is None else max(closed, rec.first_seen),
            operator_id=rec.subject_id if rec.subject_kind == "operator" else None))
    return sorted(out, key=lambda e: e.id)
