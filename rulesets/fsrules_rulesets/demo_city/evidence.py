"""The evidence of the demo-city check rules: data only, worded by the templates.

The gap "还需抽检 312 批次" and the population note are display properties
derived from the stored values and the indicator's vocabulary entry, not
stored text.
"""

from __future__ import annotations

import datetime as dt

from fsrules import Text
from fsrules.evidence import Code, evidence
from fsrules.model import ChecklistStatus

from .judge import gap_text
from .vocabulary import vocabulary

__all__ = [
    "REASONS",
    "ChecklistEvidence",
    "DrillEvidence",
    "IndicatorEvidence",
    "NoDataEvidence",
    "checklist_status",
]

_POPULATION = {"resident": Text("常住人口", "resident population"),
               "registered": Text("户籍人口", "registered population")}

#: Why an indicator cannot be judged.
REASONS = Code.table({
    "no_measurement": ("没有测算或记录", "no measurement or record"),
    "no_population": ("人口未记录", "no population recorded"),
    "no_denominator": ("分母未记录", "no denominator recorded"),
    "no_value": ("数值未记录", "no value recorded"),
    "no_drill": ("没有演练记录", "no drill on record"),
    "no_drill_date": ("演练日期未记录", "no drill date recorded"),
})


def checklist_status(status: ChecklistStatus) -> Code:
    """A checklist status as the messages word it ("not done", 未完成)."""
    return Code(status.value, status.zh, status.value.replace("_", " "))


@evidence
class IndicatorEvidence:
    """An indicator that misses its threshold: the figures and the gap in its own units.

    ``gap_kind`` says how the gap was counted: the indicator's own way
    (``per_1000``, ``count``, ``persons``, ``excess``, ``points``), or
    ``points`` of its value when the figures for that are missing.
    """

    indicator: str
    item: int
    threshold: float
    comparison: str
    source: str
    numerator: float | None
    denominator: float | None
    evidence_ref: str
    value: float
    gap: float
    gap_kind: str
    excluded: int | None = None
    shortfall_ids: tuple[str, ...] | None = None
    observation_id: str | None = None
    population: int | None = None
    population_basis: str | None = None
    counted_kinds: tuple[str, ...] | None = None
    longest_days: float | None = None
    required_batches: int | None = None
    hours_short: float | None = None
    persons_short: tuple[str, ...] | None = None
    persons: int | None = None
    score_ratio: float | None = None

    @property
    def gap_text(self) -> Text:
        """What it would take to meet the threshold ("还需抽检 312 批次")."""
        spec = vocabulary().indicators[self.indicator]
        return gap_text(spec, self.gap_kind, self.gap, self.hours_short)

    @property
    def population_note(self) -> Text:
        """The population a per-1000 figure rests on, when it is known."""
        label = _POPULATION.get(self.population_basis or "")
        if label is None or self.population is None:
            return Text("", "")
        return Text(f"（按{label.zh} {self.population} 人计）",
                    f" (on the {label.en} of {self.population})")


@evidence
class DrillEvidence:
    """Item 16: the latest emergency drill against the window (``threshold`` years)."""

    indicator: str
    item: int
    threshold: int
    comparison: str
    window_start: dt.date
    last_drill: str
    value: float | None
    days_overdue: int
    gap: int
    source: str
    observation_id: str | None
    evidence_ref: str

    @property
    def gap_text(self) -> Text:
        """"近 2 年内没有……实战应急演练"."""
        return vocabulary().indicators[self.indicator].gap_text.format(years=self.threshold)


@evidence
class NoDataEvidence:
    """An indicator that cannot be judged (info, status ``no_data``)."""

    indicator: str
    item: int
    reason: Code
    numerator: float | None
    denominator: float | None
    status: str = "no_data"


@evidence
class ChecklistEvidence:
    """A qualitative task of the plan recorded as partly done or not done."""

    indicator: str
    item: int
    status: Code
    evidence_ref: str
    observation_id: str | None
    lead: tuple[str, ...]

    @property
    def title(self) -> Text:
        """The task's title in the plan."""
        return vocabulary().checklist[self.indicator].title
