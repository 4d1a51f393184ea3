"""Typed evidence of the inspection-frequency rules (RISK-001, RISK-002, RISK-004).

Coded values only: the grade is a :class:`~fsrules.model.RiskGrade`, the
regime and the Art 28 triggers are :class:`~fsrules.evidence.Code`; the rules'
templates hold the wording.
"""

from __future__ import annotations

import datetime as dt

from fsrules import Text
from fsrules.evidence import Code, evidence
from fsrules.model import RiskGrade

__all__ = ["REGIME_EN", "REGIME_ZH", "FrequencyEvidence", "GradeRaiseEvidence", "OverdueEvidence",
           "ShortfallEvidence", "regime_code"]

REGIME_ZH = {"2016": "2016年风险分级办法", "2022_draft": "2022年征求意见稿/安徽方案",
             "order49": "第49号令重点监督检查"}
REGIME_EN = {"2016": "2016 measure", "2022_draft": "2022 draft / Anhui scheme",
             "order49": "Order 49 key supervision"}

def regime_code(regime: str) -> Code:
    """The frequency regime as a coded value (its name in both languages)."""
    return Code(regime, REGIME_ZH.get(regime, regime), REGIME_EN.get(regime, regime))


@evidence
class FrequencyEvidence:
    """What RISK-001 and RISK-002 share: the operator's grade, regime and last inspection."""

    grade: RiskGrade
    grade_source: str
    """``recorded`` (the bureau's grade) or ``computed`` (INFER-RISK-GRADE)."""
    regime: Code
    """The frequency regime (INFER-RISK-FREQUENCY.regime)."""
    key_supervision: bool
    key_reasons: tuple[str, ...]
    last_inspection_id: str | None
    last_inspection_on: dt.date | None


@evidence
class OverdueEvidence(FrequencyEvidence):
    """RISK-001: the next inspection's latest date has passed."""

    max_gap_months: int
    due_on: dt.date | None
    days_overdue: int | None
    opened_on: dt.date | None = None
    """For an operator never inspected: its opening date."""

    @property
    def status(self) -> str | None:
        """``no_due_date``: never inspected, opening unknown; ``never``: never inspected."""
        if self.due_on is None:
            return "no_due_date"
        return "never" if self.last_inspection_id is None else None


@evidence
class ShortfallEvidence(FrequencyEvidence):
    """RISK-002: inspections in the window against the required count."""

    window_start: dt.date
    window_end: dt.date
    required: int
    done: int
    shortfall: int
    inspection_ids: tuple[str, ...]
    window_open: bool

    @property
    def status(self) -> str | None:
        """``never``: no inspection on record at all."""
        return "never" if self.last_inspection_on is None else None


@evidence
class GradeRaiseEvidence:
    """RISK-004: the recorded grade against the grade Art 28 requires."""

    recorded_grade: RiskGrade
    recorded_on: dt.date
    recorded_id: str
    baseline_grade: RiskGrade
    """The grade before the trigger (latest recorded before it, else the computed base)."""
    baseline_source: str
    expected_grade: RiskGrade
    raise_by: int
    triggers: tuple[Code, ...]
    """Art 28 trigger codes (see grading.TRIGGERS)."""
    trigger_facts: tuple[str, ...]
    """``code:fact id`` for each trigger."""
    regraded_after_trigger: bool

    @property
    def trigger_names(self) -> Text:
        """The triggers' descriptions (``、`` in Chinese, ``; `` in English)."""
        return Text("、".join(t.zh for t in self.triggers), "; ".join(t.en for t in self.triggers))
