"""Risk grading (风险分级) and the two responsibilities (两个责任: 包保 and enterprise duties).

Two rulesets from one folder:

* ``risk`` — scores and grades (INFER-RISK-GRADE), the inspection frequency
  they require under the profile's regime (INFER-RISK-FREQUENCY, RISK-001,
  RISK-002), Order 49's two-year full-inspection floor (RISK-003) and recorded
  grades that ignore an Art 28 trigger (RISK-004);
* ``two-responsibilities`` — 包保 (INFER-BAOBAO-STATUS, BAOBAO-001…004 and the
  coverage metric INFER-BAOBAO-COVERAGE) and the enterprise duties
  (INFER-DUTY-SCOPE, DUTY-001…006).

Risk grades (:class:`~fsrules.model.RiskGrade`) and 包保 tiers
(:class:`~fsrules.model.BaobaoTier`) are different things and different types.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Ruleset, Text, hookimpl

from .baobao import (
    baobao_coverage,
    baobao_status,
    commitment_unsigned,
    no_cadre,
    tier_level_mismatch,
    visits_short,
)
from .duties import daily_control, duty_scope, monthly_meeting, weekly_sweep
from .duty_staff import director_missing, safety_officer_missing, training_hours
from .facts import (
    BaobaoCoverage,
    BaobaoStatus,
    DutyClosure,
    DutyEnterprise,
    InspectionPlan,
    RiskFactor,
    RiskGradeAssessment,
)
from .frequency import (
    inspection_plan,
    order49_floor,
    overdue,
    recorded_grade_ignores_triggers,
    under_inspected,
)
from .grading import risk_grade

HERE = Path(__file__).parent

RISK = Ruleset(
    id="risk",
    version="1.0.0",
    title=Text("风险分级管理", "Risk grading"),
    rules=[risk_grade, inspection_plan, overdue, under_inspected, order49_floor,
           recorded_grade_ignores_triggers],
    data_dir=HERE,
    fact_kinds=[RiskFactor, RiskGradeAssessment, InspectionPlan],
    description=Text(
        "风险分值与等级（静态+动态，按第二十八条调整），按配置文件选定方案的检查频次，第49号令两年全覆盖。",
        "Risk scores and grades (static + dynamic, Art 28 adjustments), inspection frequency "
        "under the profile's regime, and Order 49's two-year full coverage.",
    ),
)

TWO_RESPONSIBILITIES = Ruleset(
    id="two-responsibilities",
    version="1.0.0",
    title=Text("两个责任：包保与企业主体责任", "Two responsibilities: 包保 and enterprise duties"),
    rules=[baobao_status, no_cadre, tier_level_mismatch, commitment_unsigned, visits_short,
           baobao_coverage, duty_scope, daily_control, weekly_sweep, monthly_meeting,
           director_missing, training_hours, safety_officer_missing],
    # A folder of its own: parameters.toml holds one ruleset's defaults.
    data_dir=HERE / "two_responsibilities",
    fact_kinds=[DutyClosure, BaobaoStatus, BaobaoCoverage, DutyEnterprise],
    description=Text(
        "属地管理责任（包保干部、层级对应、承诺书、督导频次与覆盖率）和企业主体责任（日管控、周排查、月调度，"
        "食品安全总监、安全员及其培训）。",
        "Local responsibility (包保 cadres, matching levels, commitment letters, visit "
        "frequency and coverage) and enterprise duties (daily, weekly and monthly records; "
        "the food-safety director and officer and their training).",
    ),
)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the ``risk`` and ``two-responsibilities`` rulesets."""
    register(RISK)
    register(TWO_RESPONSIBILITIES)
