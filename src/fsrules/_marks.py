"""What the lifecycle adds to a report: per-finding marks and the run's lifecycle summary.

A :class:`Lifecycle` is attached to a :class:`~fsrules.Report` (``report.lifecycle``)
by :func:`fsrules.lifecycle.annotate`; without one the report is exactly the
canonical evaluation. In the JSON report it appears as a top-level
``lifecycle`` object and a ``lifecycle`` object on each finding it marks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from fsrules._i18n import Text

__all__ = ["BASELINE_STATUSES", "BaselineSummary", "FindingMark", "Lifecycle", "WaiverMark"]

#: A finding compared with a baseline report: not in it, or in it too.
BASELINE_STATUSES = ("new", "persisting")


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


@attrs.frozen(kw_only=True)
class WaiverMark:
    """The waiver that matched a finding, and whether it holds on the run's as_of.

    ``state``: ``active`` (the finding is waived and does not count),
    ``expired`` (it counts again), ``not_yet`` (granted after as_of: it
    counts) or ``veto_refused`` (a critical veto finding, not waived
    without ``--waive-veto``).
    """

    id: str
    state: str
    reason: str
    authority: str
    document: str
    granted: dt.date
    expires: dt.date
    note: Text

    @property
    def waived(self) -> bool:
        """True when the waiver holds and the finding does not count."""
        return self.state == "active"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"id": self.id, "state": self.state, "reason": self.reason,
                "authority": self.authority, "document": self.document,
                "granted": self.granted.isoformat(), "expires": self.expires.isoformat(),
                "note": {"zh": self.note.zh, "en": self.note.en}}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> WaiverMark:
        """Inverse of :meth:`to_dict`."""
        return cls(id=raw["id"], state=raw["state"], reason=raw["reason"],
                   authority=raw["authority"], document=raw["document"],
                   granted=dt.date.fromisoformat(raw["granted"]),
                   expires=dt.date.fromisoformat(raw["expires"]),
                   note=Text(raw["note"]["zh"], raw["note"]["en"]))


@attrs.frozen(kw_only=True)
class FindingMark:
    """Lifecycle facts about one finding (by fingerprint).

    ``baseline``: ``new`` or ``persisting`` against ``--baseline`` (None without
    one). ``status`` and the fields after it come from the history store.
    """

    baseline: str | None = None
    waiver: WaiverMark | None = None
    status: str | None = None
    department: str | None = None
    due_date: dt.date | None = None
    closed_on: dt.date | None = None
    note: str | None = None
    first_seen: dt.date | None = None
    recurred: bool = False
    township: str | None = None
    """The subject's township (乡镇), from the operator facts of the run."""

    @property
    def counted(self) -> bool:
        """False when an active waiver keeps the finding out of the exit code."""
        return self.waiver is None or not self.waiver.waived

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"baseline": self.baseline,
                "waiver": None if self.waiver is None else self.waiver.to_dict(),
                "counted": self.counted, "status": self.status, "department": self.department,
                "due_date": _date(self.due_date), "closed_on": _date(self.closed_on),
                "note": self.note, "first_seen": _date(self.first_seen),
                "recurred": self.recurred, "township": self.township}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FindingMark:
        """Inverse of :meth:`to_dict`."""
        waiver = raw.get("waiver")
        return cls(baseline=raw.get("baseline"),
                   waiver=None if waiver is None else WaiverMark.from_dict(waiver),
                   status=raw.get("status"), department=raw.get("department"),
                   due_date=_parse_date(raw.get("due_date")),
                   closed_on=_parse_date(raw.get("closed_on")), note=raw.get("note"),
                   first_seen=_parse_date(raw.get("first_seen")),
                   recurred=bool(raw.get("recurred", False)), township=raw.get("township"))


@attrs.frozen(kw_only=True)
class BaselineSummary:
    """The comparison with a baseline report: counts, and the findings resolved since."""

    as_of: dt.date
    input_digest: str
    new: int
    persisting: int
    resolved: tuple[Mapping[str, Any], ...]
    """The baseline's JSON form of each resolved finding, in baseline order."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"as_of": self.as_of.isoformat(), "input_digest": self.input_digest,
                "counts": {"new": self.new, "persisting": self.persisting,
                           "resolved": len(self.resolved)},
                "resolved": [dict(r) for r in self.resolved]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> BaselineSummary:
        """Inverse of :meth:`to_dict`."""
        return cls(as_of=dt.date.fromisoformat(raw["as_of"]), input_digest=raw["input_digest"],
                   new=raw["counts"]["new"], persisting=raw["counts"]["persisting"],
                   resolved=tuple(raw["resolved"]))


@attrs.frozen(kw_only=True)
class Lifecycle:
    """Marks by fingerprint, the baseline comparison, waiver warnings and the store's trend."""

    marks: Mapping[str, FindingMark] = attrs.field(factory=dict)
    baseline: BaselineSummary | None = None
    warnings: tuple[Text, ...] = ()
    trend: tuple[tuple[dt.date, int], ...] = ()
    """(as_of, open findings) of every run in the store, oldest first."""
    visible: bool = True
    """False when only townships were attached (for the ledger and HTML): the JSON
    report then stays the canonical evaluation."""

    def township(self, fingerprint: str) -> str | None:
        """The township of a finding's subject, when known."""
        mark = self.marks.get(fingerprint)
        return None if mark is None else mark.township

    def mark(self, fingerprint: str) -> FindingMark | None:
        """The mark of one finding, if any."""
        return self.marks.get(fingerprint)

    def counted(self, fingerprint: str) -> bool:
        """Whether the finding counts toward the exit code."""
        mark = self.marks.get(fingerprint)
        return mark is None or mark.counted

    def to_dict(self) -> dict[str, Any]:
        """The report's top-level ``lifecycle`` object (marks go on each finding)."""
        waived = sum(1 for m in self.marks.values() if m.waiver and m.waiver.waived)
        expired = sum(1 for m in self.marks.values() if m.waiver and m.waiver.state == "expired")
        return {"baseline": None if self.baseline is None else self.baseline.to_dict(),
                "waived": waived, "waivers_expired": expired,
                "warnings": [{"zh": w.zh, "en": w.en} for w in self.warnings],
                "trend": [{"as_of": d.isoformat(), "open": n} for d, n in self.trend]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], findings: list[Mapping[str, Any]]) -> Lifecycle:
        """Inverse of :meth:`to_dict`, with the marks read from the findings' JSON."""
        base = raw.get("baseline")
        return cls(
            marks={f["fingerprint"]: FindingMark.from_dict(f["lifecycle"]) for f in findings
                   if f.get("lifecycle") is not None},
            baseline=None if base is None else BaselineSummary.from_dict(base),
            warnings=tuple(Text(w["zh"], w["en"]) for w in raw.get("warnings", ())),
            trend=tuple((dt.date.fromisoformat(t["as_of"]), int(t["open"]))
                        for t in raw.get("trend", ())))
