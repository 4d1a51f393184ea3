"""Check shapes: declarative templates for the checks rules keep writing out.

Four shapes cover most supervision checks:

* :class:`Absence`: nothing recorded for a subject within a window
  (no inspection in N days, no weekly sweep, no 留样 record);
* :class:`Threshold`: a metric derived from the facts against a parameter
  (a pass rate, a per-1000 figure, a score);
* :class:`Deadline`: something due N days before or after an event
  (a banquet reported ahead, a licence renewed after expiry);
* :class:`Recurrence`: ``k`` or more records within a window
  (repeated failed inspections).

Each takes its :class:`Scope` (which subjects), the facts it reads
(:class:`Records`), its parameters (:class:`~fsrules.Param`) and hooks for
the evidence it produces; :func:`check` turns it into a rule::

    from fsrules import Param, Text
    from fsrules.shapes import Absence, Records, Scope, check

    NO_INSPECTION = check(
        Absence(scope=Scope(kind="operator", where={"business_type": "small_eatery"},
                            active=True),
                records=Records(kind="inspection"),
                window=Param(name="max_days", type="int", description=Text("…", "…"))),
        id="COUNTY-001", version="1.0", ...)

A shape evaluates in the batch engine (it is the rule's ``evaluate``), and
``rule.shape.describe()`` gives the same check as plain data for the live
monitor. A rule whose logic fits no shape keeps an imperative ``evaluate``.
"""

from __future__ import annotations

from fsrules.shapes._base import (
    Condition,
    Hit,
    Records,
    Scope,
    Shape,
    at_least,
    at_most,
    one_of,
)
from fsrules.shapes._deadline import Deadline
from fsrules.shapes._evidence import (
    AbsenceEvidence,
    DeadlineEvidence,
    RecurrenceEvidence,
    ThresholdEvidence,
)
from fsrules.shapes._records import Absence, Recurrence
from fsrules.shapes._rule import check
from fsrules.shapes._threshold import Threshold, exact, passes

__all__ = [
    "Absence",
    "AbsenceEvidence",
    "Condition",
    "Deadline",
    "DeadlineEvidence",
    "Hit",
    "Records",
    "Recurrence",
    "RecurrenceEvidence",
    "Scope",
    "Shape",
    "Threshold",
    "ThresholdEvidence",
    "at_least",
    "at_most",
    "check",
    "exact",
    "one_of",
    "passes",
]
