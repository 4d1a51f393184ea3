"""Public strategies of facts: one per built-in kind, and :func:`facts`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.model import (
    BUILTIN_FACT_KINDS,
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
from fsrules.testing.strategies._common import F, _check_bounds, _fail
from fsrules.testing.strategies._kinds import _fact_strategy

# One strategy per fact kind. Each takes min_date/max_date (the range every
# date keeps to) and, as keyword arguments, strategies for any of the kind's
# fields: those fields are drawn from them, the others as usual.


def regions(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
            **fields: SearchStrategy[Any]) -> SearchStrategy[Region]:
    """:class:`~fsrules.model.Region` facts: a county in use over the whole date range.

    ``id`` is the code, ``name`` the county's name in the registry and
    ``parent_code`` its prefecture (or province) or None.
    """
    return _fact_strategy(Region, "regions()", min_date, max_date, fields)


def operators(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
              **fields: SearchStrategy[Any]) -> SearchStrategy[Operator]:
    """:class:`~fsrules.model.Operator` facts of any 业态.

    The county code is in use while the operator is open, the name fits the
    业态 and county (威县第一中学食堂, 张记烧饼店), the USCC's region is
    the county, and canteen-only fields are set for canteens only.
    """
    return _fact_strategy(Operator, "operators()", min_date, max_date, fields)


def licences(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
             **fields: SearchStrategy[Any]) -> SearchStrategy[Licence]:
    """:class:`~fsrules.model.Licence` facts with JY/SC/YB numbers in the national layout.

    ``valid_until`` and ``revoked_on`` follow ``issued_on``; registration
    kinds get a provincial-style number.
    """
    return _fact_strategy(Licence, "licences()", min_date, max_date, fields)


def vendor_registrations(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                         **fields: SearchStrategy[Any]) -> SearchStrategy[VendorRegistration]:
    """:class:`~fsrules.model.VendorRegistration` facts: 三小 登记证 and 备案卡."""
    return _fact_strategy(VendorRegistration, "vendor_registrations()", min_date, max_date,
                          fields)


def inspections(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                **fields: SearchStrategy[Any]) -> SearchStrategy[Inspection]:
    """:class:`~fsrules.model.Inspection` facts; failed items agree with the result."""
    return _fact_strategy(Inspection, "inspections()", min_date, max_date, fields)


def sampling_results(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                     **fields: SearchStrategy[Any]) -> SearchStrategy[SamplingResult]:
    """:class:`~fsrules.model.SamplingResult` facts.

    Risk monitoring gets ``problem``/``no_problem`` verdicts, the others
    ``pass``/``fail``; failures list failed items; the region code is in use
    on the sampling date.
    """
    return _fact_strategy(SamplingResult, "sampling_results()", min_date, max_date, fields)


def disposals(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
              **fields: SearchStrategy[Any]) -> SearchStrategy[Disposal]:
    """:class:`~fsrules.model.Disposal` facts whose dates agree with their status."""
    return _fact_strategy(Disposal, "disposals()", min_date, max_date, fields)


def incidents(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
              **fields: SearchStrategy[Any]) -> SearchStrategy[Incident]:
    """:class:`~fsrules.model.Incident` facts (deaths ≤ ill, provinces ≤ cities ≤ counties)."""
    return _fact_strategy(Incident, "incidents()", min_date, max_date, fields)


def complaints(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
               **fields: SearchStrategy[Any]) -> SearchStrategy[Complaint]:
    """:class:`~fsrules.model.Complaint` facts (投诉举报)."""
    return _fact_strategy(Complaint, "complaints()", min_date, max_date, fields)


def enforcement_cases(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                      **fields: SearchStrategy[Any]) -> SearchStrategy[EnforcementCase]:
    """:class:`~fsrules.model.EnforcementCase` facts: clue ≤ 立案 ≤ 结案."""
    return _fact_strategy(EnforcementCase, "enforcement_cases()", min_date, max_date, fields)


def risk_assessments(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                     **fields: SearchStrategy[Any]) -> SearchStrategy[RiskAssessment]:
    """:class:`~fsrules.model.RiskAssessment` facts; with both scores, the grade fits their sum."""
    return _fact_strategy(RiskAssessment, "risk_assessments()", min_date, max_date, fields)


def baobao_assignments(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                       **fields: SearchStrategy[Any]) -> SearchStrategy[BaobaoAssignment]:
    """:class:`~fsrules.model.BaobaoAssignment` facts; the cadre's level fits the tier."""
    return _fact_strategy(BaobaoAssignment, "baobao_assignments()", min_date, max_date, fields)


def supervision_visits(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                       **fields: SearchStrategy[Any]) -> SearchStrategy[SupervisionVisit]:
    """:class:`~fsrules.model.SupervisionVisit` facts (issues fixed ≤ issues found)."""
    return _fact_strategy(SupervisionVisit, "supervision_visits()", min_date, max_date, fields)


def self_checks(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                **fields: SearchStrategy[Any]) -> SearchStrategy[SelfCheck]:
    """:class:`~fsrules.model.SelfCheck` facts: 日管控 / 周排查 / 月调度 records."""
    return _fact_strategy(SelfCheck, "self_checks()", min_date, max_date, fields)


def staff_members(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                  **fields: SearchStrategy[Any]) -> SearchStrategy[StaffMember]:
    """:class:`~fsrules.model.StaffMember` facts (left after joining)."""
    return _fact_strategy(StaffMember, "staff_members()", min_date, max_date, fields)


def work_shifts(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                **fields: SearchStrategy[Any]) -> SearchStrategy[WorkShift]:
    """:class:`~fsrules.model.WorkShift` facts: a day a staff member worked."""
    return _fact_strategy(WorkShift, "work_shifts()", min_date, max_date, fields)


def health_certificates(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                        **fields: SearchStrategy[Any]) -> SearchStrategy[HealthCertificate]:
    """:class:`~fsrules.model.HealthCertificate` facts, usually valid for a year."""
    return _fact_strategy(HealthCertificate, "health_certificates()", min_date, max_date,
                          fields)


def training_records(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                     **fields: SearchStrategy[Any]) -> SearchStrategy[TrainingRecord]:
    """:class:`~fsrules.model.TrainingRecord` facts (0.5 to 40 class hours)."""
    return _fact_strategy(TrainingRecord, "training_records()", min_date, max_date, fields)


def meal_services(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                  **fields: SearchStrategy[Any]) -> SearchStrategy[MealService]:
    """:class:`~fsrules.model.MealService` facts with one to five dishes."""
    return _fact_strategy(MealService, "meal_services()", min_date, max_date, fields)


def sample_retentions(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                      **fields: SearchStrategy[Any]) -> SearchStrategy[SampleRetention]:
    """:class:`~fsrules.model.SampleRetention` facts (留样).

    Sampled on the meal's day; discarded 1 to 96 hours later (straddling the
    48-hour duty), never after ``max_date``.
    """
    return _fact_strategy(SampleRetention, "sample_retentions()", min_date, max_date, fields)


def purchase_records(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                     **fields: SearchStrategy[Any]) -> SearchStrategy[PurchaseRecord]:
    """:class:`~fsrules.model.PurchaseRecord` facts (进货查验)."""
    return _fact_strategy(PurchaseRecord, "purchase_records()", min_date, max_date, fields)


def production_records(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                       **fields: SearchStrategy[Any]) -> SearchStrategy[ProductionRecord]:
    """:class:`~fsrules.model.ProductionRecord` facts (workshops' 生产记录)."""
    return _fact_strategy(ProductionRecord, "production_records()", min_date, max_date, fields)


def product_tests(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                  **fields: SearchStrategy[Any]) -> SearchStrategy[ProductTest]:
    """:class:`~fsrules.model.ProductTest` facts with a pass or fail verdict."""
    return _fact_strategy(ProductTest, "product_tests()", min_date, max_date, fields)


def banquet_reports(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                    **fields: SearchStrategy[Any]) -> SearchStrategy[BanquetReport]:
    """:class:`~fsrules.model.BanquetReport` facts, reported up to ten days ahead or not at all."""
    return _fact_strategy(BanquetReport, "banquet_reports()", min_date, max_date, fields)


def indicator_observations(*, min_date: dt.date | None = None, max_date: dt.date | None = None,
                           **fields: SearchStrategy[Any]) -> SearchStrategy[IndicatorObservation]:
    """:class:`~fsrules.model.IndicatorObservation` facts.

    The indicator decides the shape: ``satisfaction`` a score (50-100 分),
    ``leaders_duties`` a checklist status, the ``*_rate``/``*_coverage``
    indicators a numerator, denominator and their percentage.
    """
    return _fact_strategy(IndicatorObservation, "indicator_observations()", min_date, max_date,
                          fields)


_STRATEGIES: Mapping[type[Fact], Callable[..., SearchStrategy[Any]]] = {
    Region: regions,
    Operator: operators,
    Licence: licences,
    VendorRegistration: vendor_registrations,
    Inspection: inspections,
    SamplingResult: sampling_results,
    Disposal: disposals,
    Incident: incidents,
    Complaint: complaints,
    EnforcementCase: enforcement_cases,
    RiskAssessment: risk_assessments,
    BaobaoAssignment: baobao_assignments,
    SupervisionVisit: supervision_visits,
    SelfCheck: self_checks,
    StaffMember: staff_members,
    WorkShift: work_shifts,
    HealthCertificate: health_certificates,
    TrainingRecord: training_records,
    MealService: meal_services,
    SampleRetention: sample_retentions,
    PurchaseRecord: purchase_records,
    ProductionRecord: production_records,
    ProductTest: product_tests,
    BanquetReport: banquet_reports,
    IndicatorObservation: indicator_observations,
}


def fact_strategy(kind: type[F], *, kit: KindKit | None = None, min_date: dt.date | None = None,
                  max_date: dt.date | None = None, **fields: SearchStrategy[Any]
                  ) -> SearchStrategy[F]:
    """Valid facts of any fact class, built-in or a plugin's, derived from its fields.

    Every field not given as a strategy in ``fields`` is drawn from the
    kind's kit (``kit``, over the built-in kit of a built-in kind) or
    derived from its type and metadata: division codes in use on the fact's
    date for :data:`~fsrules.model.DivisionCode` fields, valid USCCs for
    :data:`~fsrules.model.Uscc`, amounts in 元 for
    :data:`~fsrules.model.Money`, dates in ``[min_date, max_date]``
    (see :mod:`fsrules.testing.strategies`). A plugin's kit comes from
    :class:`fsrules.testing.FactKit`: ``FactKit.for_plugins(...).strategy(kind)``.
    """
    where = f"fact_strategy({getattr(kind, '__name__', kind)!r})"
    if not (isinstance(kind, type) and issubclass(kind, Fact) and attrs.has(cast(type, kind))):
        raise _fail(where, f"kind must be an attrs subclass of fsrules.Fact, got {kind!r}")
    if kit is not None and kit.kind is not kind:
        raise _fail(where, f"the kit is for {kit.kind.__name__}, not {kind.__name__}")
    return _fact_strategy(kind, where, min_date, max_date, fields, kit)


def facts(*, kinds: Sequence[type[Fact]] | None = None, min_date: dt.date | None = None,
          max_date: dt.date | None = None) -> SearchStrategy[Fact]:
    """One fact of any built-in kind (or of one of ``kinds``, any fact classes), dated in the range."""
    where = "facts()"
    chosen = list(BUILTIN_FACT_KINDS) if kinds is None else list(kinds)
    if not chosen:
        raise _fail(where, "kinds must not be empty")
    for kind in chosen:
        if not (isinstance(kind, type) and issubclass(kind, Fact)
                and attrs.has(cast(type, kind))):
            raise _fail(where, f"no strategy for {kind!r}: kinds takes fact classes, e.g. "
                               f"{', '.join(k.__name__ for k in BUILTIN_FACT_KINDS[:3])}")
    lo, hi = _check_bounds(where, min_date, max_date)
    return st.one_of([_STRATEGIES[k](min_date=lo, max_date=hi) if k in _STRATEGIES
                      else fact_strategy(k, min_date=lo, max_date=hi) for k in chosen])
