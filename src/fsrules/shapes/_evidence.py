"""The evidence each shape measures, as typed evidence (:mod:`fsrules.evidence`).

A rule made with :func:`~fsrules.shapes.check` and no evidence or finding
hook declares its shape's type: its templates name these fields.
"""

from __future__ import annotations

import datetime as dt

from fsrules.evidence import evidence

__all__ = ["AbsenceEvidence", "DeadlineEvidence", "RecurrenceEvidence", "ThresholdEvidence"]


@evidence
class AbsenceEvidence:
    """No record of ``records`` since ``last_on``: the next was due on ``due_on``."""

    records: str
    window: int
    unit: str
    last_on: dt.date | None
    last_id: str | None
    due_on: dt.date | None
    days_since: int | None
    days_overdue: int | None


@evidence
class RecurrenceEvidence:
    """``count`` records of ``records`` (at least ``min_count``) in the window."""

    records: str
    count: int
    min_count: int
    window: int
    unit: str
    window_start: dt.date
    first_on: dt.date
    last_on: dt.date
    record_ids: tuple[str, ...]


@evidence
class DeadlineEvidence:
    """A follow-up ``late``, ``missed`` or ``overdue`` against its ``deadline``."""

    status: str
    anchor: dt.date
    deadline: dt.date
    done_on: dt.date | None
    offset: int
    days_late: int


@evidence
class ThresholdEvidence:
    """A metric ``value`` that is not ``comparison`` ``threshold``."""

    value: float
    threshold: float
    comparison: str
