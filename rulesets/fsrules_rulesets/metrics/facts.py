"""Derived fact kinds shared by the veto and demonstration-city rulesets."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from fsrules import Fact
from fsrules.model import IncidentLevel, SamplingKind


@attrs.frozen(kw_only=True)
class IncidentAssessment(Fact):
    """An incident's level: as recorded, or derived from its numbers.

    ``level`` is the level the rules use: the recorded one, unless the
    incident's own numbers meet a higher level of the plan's criteria; then
    the higher level (``source`` ``"criteria_above_record"``), because a
    recorded level below what the counts meet must not hide a veto.
    ``recorded_level`` is the level as recorded and ``criteria_level`` the
    highest level the numbers meet (None when none is met).
    """

    KIND: ClassVar[str] = "incident_assessment"
    TITLE_ZH: ClassVar[str] = "事故分级结果"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "occurred_on"

    incident_id: str
    region_code: str
    occurred_on: dt.date
    level: IncidentLevel | None
    source: str  # "recorded" | "derived" | "criteria_above_record" | "none"
    criteria: tuple[str, ...] = ()
    recorded_level: IncidentLevel | None = None
    criteria_level: IncidentLevel | None = None
    ill: int = 0
    deaths: int = 0

    @property
    def contradicts_record(self) -> bool:
        """True when the recorded level is below the level the incident's numbers meet."""
        return self.source == "criteria_above_record"


@attrs.frozen(kw_only=True)
class SamplingMetric(Fact):
    """Batches and pass rate of one sampling kind in one region and period.

    ``pass_rate`` is a percentage (0-100) of conforming batches among the
    batches with a pass/fail verdict, or None when there were none. It is for
    display: compare ``passed`` and ``passed + failed`` exactly instead.
    """

    KIND: ClassVar[str] = "sampling_metric"
    TITLE_ZH: ClassVar[str] = "抽检指标"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "period_end"

    region_code: str
    sampling_kind: SamplingKind
    period_start: dt.date
    period_end: dt.date
    batches: int
    passed: int
    failed: int
    residue_batches: int
    pass_rate: float | None
    failed_ids: tuple[str, ...] = ()
