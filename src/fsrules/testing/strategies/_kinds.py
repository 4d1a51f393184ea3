"""The field rules of every built-in kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from hypothesis.strategies import SearchStrategy

from fsrules.model import (
    BanquetReport,
    BaobaoAssignment,
    Complaint,
    Disposal,
    EnforcementCase,
    Fact,
    HealthCertificate,
    Incident,
    IndicatorObservation,
    Inspection,
    Licence,
    MealService,
    Operator,
    ProductionRecord,
    ProductTest,
    PurchaseRecord,
    Region,
    RiskAssessment,
    SampleRetention,
    SamplingResult,
    SelfCheck,
    StaffMember,
    SupervisionVisit,
    TrainingRecord,
    VendorRegistration,
    WorkShift,
)
from fsrules.testing._kit import KindKit
from fsrules.testing.strategies._common import F
from fsrules.testing.strategies._derive import _Rule, derived_fact_strategy
from fsrules.testing.strategies._kinds_records import (
    _BANQUET_REPORT,
    _BAOBAO_ASSIGNMENT,
    _HEALTH_CERTIFICATE,
    _INDICATOR_OBSERVATION,
    _MEAL_SERVICE,
    _PRODUCT_TEST,
    _PRODUCTION_RECORD,
    _PURCHASE_RECORD,
    _SAMPLE_RETENTION,
    _SELF_CHECK,
    _STAFF_MEMBER,
    _SUPERVISION_VISIT,
    _TRAINING_RECORD,
    _WORK_SHIFT,
)
from fsrules.testing.strategies._kinds_supervision import (
    _COMPLAINT,
    _DISPOSAL,
    _ENFORCEMENT_CASE,
    _INCIDENT,
    _INSPECTION,
    _LICENCE,
    _OPERATOR,
    _REGION,
    _RISK_ASSESSMENT,
    _SAMPLING_RESULT,
    _VENDOR_REGISTRATION,
)
from fsrules.testing.strategies._values import _word_lists

#: The field rules of every built-in kind.
_TABLES: Mapping[type[Fact], Mapping[str, _Rule]] = {
    Region: _REGION,
    Operator: _OPERATOR,
    Licence: _LICENCE,
    VendorRegistration: _VENDOR_REGISTRATION,
    Inspection: _INSPECTION,
    SamplingResult: _SAMPLING_RESULT,
    Disposal: _DISPOSAL,
    Incident: _INCIDENT,
    Complaint: _COMPLAINT,
    EnforcementCase: _ENFORCEMENT_CASE,
    RiskAssessment: _RISK_ASSESSMENT,
    BaobaoAssignment: _BAOBAO_ASSIGNMENT,
    SupervisionVisit: _SUPERVISION_VISIT,
    SelfCheck: _SELF_CHECK,
    StaffMember: _STAFF_MEMBER,
    WorkShift: _WORK_SHIFT,
    HealthCertificate: _HEALTH_CERTIFICATE,
    TrainingRecord: _TRAINING_RECORD,
    MealService: _MEAL_SERVICE,
    SampleRetention: _SAMPLE_RETENTION,
    PurchaseRecord: _PURCHASE_RECORD,
    ProductionRecord: _PRODUCTION_RECORD,
    ProductTest: _PRODUCT_TEST,
    BanquetReport: _BANQUET_REPORT,
    IndicatorObservation: _INDICATOR_OBSERVATION,
}

#: The kit of every built-in kind: its field rules (the cross-field invariants).
_SPECS: Mapping[type[Fact], KindKit] = {
    cls: KindKit(kind=cls, fields=table) for cls, table in _TABLES.items()}


#: Field rules of the built-in rulesets' own kinds (``Ruleset(fact_kinds=...)``), by KIND:
#: only the fields whose converters or validators their types do not tell.
_RULESET_TABLES: Mapping[str, Mapping[str, _Rule]] = {
    "duty_closure": {"weekdays": lambda c: _word_lists(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), max_size=2)},
}


def _builtin_kit(cls: type[Fact]) -> KindKit | None:
    found = _SPECS.get(cls)
    if found is None and cls.KIND in _RULESET_TABLES:
        found = KindKit(kind=cls, fields=_RULESET_TABLES[cls.KIND])
    return found


def _with_builtin(cls: type[Fact], kit: KindKit | None) -> KindKit | None:
    """``kit`` over the built-in kit of ``cls``: its rules replace or add to the built-in ones."""
    builtin = _builtin_kit(cls)
    if kit is None or builtin is None:
        return kit if kit is not None else builtin
    return KindKit(kind=cls, fields={**builtin.fields, **kit.fields},
                   constraints=kit.constraints, defaults=kit.defaults)


def _fact_strategy(cls: type[F], where: str, min_date: dt.date | None,
                   max_date: dt.date | None, fields: Mapping[str, object],
                   kit: KindKit | None = None) -> SearchStrategy[F]:
    return derived_fact_strategy(cls, where, min_date, max_date, fields, _with_builtin(cls, kit))
