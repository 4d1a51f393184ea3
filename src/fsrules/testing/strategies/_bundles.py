"""Whole, referentially consistent fact bundles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.model import (
    BanquetReport,
    BaobaoAssignment,
    BusinessType,
    Complaint,
    Disposal,
    EnforcementCase,
    Fact,
    HealthCertificate,
    Incident,
    IndicatorObservation,
    Inspection,
    Licence,
    LicenceKind,
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
    Verdict,
    WorkShift,
)
from fsrules.testing.strategies._common import (
    _BUNDLE_DAYS,
    _BUNDLE_MIN_AS_OF,
    _MAX_DATE,
    F,
    _check_int,
    _check_strategy,
    _date_source,
    _fail,
)
from fsrules.testing.strategies._derive import _opt
from fsrules.testing.strategies._divisions import _stable_codes
from fsrules.testing.strategies._kinds import _fact_strategy
from fsrules.testing.strategies._values import _licence_numbers, _plus
from fsrules.testing.strategies._vocab import _PRODUCERS, _THREE_SMALL_LICENCES


@attrs.frozen(kw_only=True)
class FactBundle:
    """A referentially consistent set of facts describing some counties up to ``as_of``.

    Attributes:
        facts: the facts, sorted by kind and id; ids are unique within a kind.
        as_of: the evaluation date every fact is dated on or before.
        region_codes: the counties (each has a :class:`~fsrules.model.Region` fact).
    """

    facts: tuple[Fact, ...]
    as_of: dt.date
    region_codes: tuple[str, ...]

    def of_kind(self, kind: type[F]) -> tuple[F, ...]:
        """The facts of ``kind``, sorted by id."""
        return tuple(f for f in self.facts if isinstance(f, kind))


class _Ids:
    """Sequential ids per kind, with the bundle's prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counts: dict[str, int] = {}

    def next(self, code: str) -> SearchStrategy[str]:
        n = self.counts[code] = self.counts.get(code, 0) + 1
        return st.just(f"{self.prefix}{code}{n:05d}")


def _one(cls: type[F], lo: dt.date, hi: dt.date, /,
         **fields: SearchStrategy[Any]) -> SearchStrategy[F]:
    return _fact_strategy(cls, f"fact_bundles() ({cls.KIND})", lo, hi, fields)


@st.composite
def _bundles(draw: st.DrawFn, min_ops: int, max_ops: int, as_of_s: SearchStrategy[dt.date],
             region_codes: SearchStrategy[str] | None, max_regions: int,
             prefix: str) -> FactBundle:
    as_of = draw(as_of_s)
    lo = max(dt.date(1900, 1, 1), _plus(as_of, -_BUNDLE_DAYS))
    recent = max(lo, _plus(as_of, -330))
    codes_s = region_codes if region_codes is not None else st.sampled_from(
        _stable_codes(lo, as_of))
    codes: list[str] = draw(st.lists(codes_s, min_size=1, max_size=max_regions, unique=True))
    ids = _Ids(prefix)
    out: list[Fact] = []
    just = st.just

    for code in codes:
        out.append(draw(_one(Region, lo, as_of, id=just(code), code=just(code),
                             resident_population=st.integers(50_000, 2_000_000))))
        for indicator in draw(st.lists(st.sampled_from(("satisfaction", "leaders_duties")),
                                       max_size=2)):
            out.append(draw(_one(IndicatorObservation, lo, as_of, id=ids.next("IO"),
                                 indicator=just(indicator), region_code=just(code),
                                 period_end=st.dates(recent, as_of))))

    operators_: list[Operator] = []
    for _ in range(draw(st.integers(min_ops, max_ops))):
        operators_.append(draw(_one(Operator, lo, as_of, id=ids.next("OP"),
                                    region_code=st.sampled_from(codes), closed_on=just(None),
                                    school_id=just(None))))
    out.extend(operators_)
    op_ids = [op.id for op in operators_]
    for op in operators_:
        out.extend(_operator_facts(draw, op, ids, lo, as_of, op_ids))

    for code in codes:
        local = [op.id for op in operators_ if op.region_code == code]
        op_ref = st.none() | (st.sampled_from(local) if local else st.none())
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(Incident, lo, as_of, id=ids.next("IC"), region_code=just(code),
                                 operator_id=op_ref)))
        for _ in range(draw(st.integers(0, 2))):
            out.append(draw(_one(Complaint, lo, as_of, id=ids.next("CP"),
                                 region_code=just(code), operator_id=op_ref)))
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(EnforcementCase, lo, as_of, id=ids.next("EC"),
                                 region_code=just(code), operator_id=op_ref)))
    return FactBundle(facts=tuple(sorted(out, key=lambda f: (f.KIND, f.id))), as_of=as_of,
                      region_codes=tuple(codes))


def _operator_facts(draw: st.DrawFn, op: Operator, ids: _Ids, lo: dt.date, as_of: dt.date,
                    op_ids: Sequence[str]) -> list[Fact]:
    """Everything a bundle records about one operator; every reference points inside it."""
    just = st.just
    start = max(lo, op.opened_on or lo)
    mine = just(op.id)
    out: list[Fact] = []
    bt = op.business_type

    kind = _THREE_SMALL_LICENCES.get(bt)
    if kind is not None:
        reg = draw(_one(VendorRegistration, start, as_of, id=ids.next("VR"),
                        licence_kind=just(kind), operator_id=mine))
        number = _licence_numbers(kind, op.region_code, reg.issued_on.year)
        out.append(attrs.evolve(reg, number=draw(_opt(number))))
    else:
        if bt in _PRODUCERS:
            kind = LicenceKind.PRODUCTION
        elif bt is BusinessType.SELLER:
            kind = draw(st.sampled_from((LicenceKind.BUSINESS, LicenceKind.FILING)))
        else:
            kind = LicenceKind.BUSINESS
        lic = draw(_one(Licence, start, as_of, id=ids.next("LC"), licence_kind=just(kind),
                        operator_id=mine))
        # The number carries the operator's own county.
        number = _licence_numbers(kind, op.region_code, lic.issued_on.year)
        out.append(attrs.evolve(lic, number=draw(number)))

    for _ in range(draw(st.integers(0, 2))):
        out.append(draw(_one(Inspection, start, as_of, id=ids.next("IN"), operator_id=mine)))
    recent = max(start, _plus(as_of, -330))
    for _ in range(draw(st.integers(0, 3))):
        result = draw(_one(SamplingResult, start, as_of, id=ids.next("SR"), operator_id=mine,
                           region_code=just(op.region_code),
                           sampled_on=st.dates(recent, as_of) | st.dates(start, as_of)))
        out.append(result)
        if result.verdict in (Verdict.FAIL, Verdict.PROBLEM):
            out.append(draw(_one(Disposal, result.sampled_on, as_of, id=ids.next("DP"),
                                 sampling_id=just(result.id), operator_id=mine)))
    for _ in range(draw(st.integers(0, 1))):
        out.append(draw(_one(RiskAssessment, start, as_of, id=ids.next("RA"), operator_id=mine)))
    for _ in range(draw(st.integers(0, 1))):
        assignment = draw(_one(BaobaoAssignment, start, as_of, id=ids.next("BB"),
                               operator_id=mine))
        out.append(assignment)
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(SupervisionVisit, assignment.assigned_on, as_of,
                                 id=ids.next("SV"), cadre_id=just(assignment.cadre_id),
                                 operator_id=mine)))

    staff: list[StaffMember] = []
    for _ in range(draw(st.integers(0, 2))):
        member = draw(_one(StaffMember, start, as_of, id=ids.next("ST"), operator_id=mine))
        staff.append(member)
        person = just(member.id)
        since = max(start, member.joined_on or start)
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(HealthCertificate, since, as_of, id=ids.next("HC"),
                                 person_id=person, operator_id=mine)))
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(WorkShift, since, as_of, id=ids.next("WS"), person_id=person,
                                 operator_id=mine)))
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(TrainingRecord, since, as_of, id=ids.next("TR"),
                                 person_id=person, operator_id=mine)))
    out.extend(staff)
    person_ref = st.none() | (st.sampled_from([m.id for m in staff]) if staff else st.none())
    for _ in range(draw(st.integers(0, 1))):
        out.append(draw(_one(SelfCheck, start, as_of, id=ids.next("SC"), person_id=person_ref,
                             operator_id=mine)))

    if bt in (BusinessType.UNIT_CANTEEN, BusinessType.CENTRAL_KITCHEN):
        for _ in range(draw(st.integers(0, 2))):
            meal = draw(_one(MealService, start, as_of, id=ids.next("MS"), operator_id=mine))
            out.append(meal)
            for dish in draw(st.lists(st.sampled_from(meal.dishes), unique=True)):
                out.append(draw(_one(SampleRetention, meal.served_on, as_of, id=ids.next("RT"),
                                     meal_service_id=just(meal.id),
                                     served_on=just(meal.served_on), dish=just(dish),
                                     operator_id=mine)))
    others = [i for i in op_ids if i != op.id]
    supplier = st.none() | (st.sampled_from(others) if others else st.none())
    for _ in range(draw(st.integers(0, 1))):
        out.append(draw(_one(PurchaseRecord, start, as_of, id=ids.next("PR"),
                             supplier_id=supplier, operator_id=mine)))
    if bt in _PRODUCERS or bt is BusinessType.SMALL_WORKSHOP:
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(ProductionRecord, start, as_of, id=ids.next("PD"),
                                 operator_id=mine)))
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(ProductTest, start, as_of, id=ids.next("PT"),
                                 operator_id=mine)))
    if bt is BusinessType.BANQUET_UNDERTAKER:
        for _ in range(draw(st.integers(0, 1))):
            out.append(draw(_one(BanquetReport, start, as_of, id=ids.next("BQ"),
                                 region_code=just(op.region_code), undertaker_id=mine)))
    return out


def fact_bundles(*, min_operators: int = 1, max_operators: int = 4,
                 as_of: dt.date | SearchStrategy[dt.date] | None = None,
                 region_codes: SearchStrategy[str] | None = None, max_regions: int = 2,
                 id_prefix: str = "") -> SearchStrategy[FactBundle]:
    """Whole, consistent bundles (:class:`FactBundle`) for evaluating rules end to end.

    One to ``max_regions`` counties, each with a :class:`~fsrules.model.Region`
    (population set) and satisfaction / leaders' duties observations; between
    ``min_operators`` and ``max_operators`` operators in them, each with its
    licence (or 三小 registration), inspections, sampling results (a disposal
    for every failure), risk grade, 包保 assignment and visits, staff with
    health certificates, shifts and training, canteen meals with their 留样,
    purchases, production records and banquet reports as its 业态 calls for;
    per county incidents, complaints and enforcement cases.

    Every reference points inside the bundle (``operator_id``,
    ``disposal.sampling_id``, ``person_id``, ``meal_service_id``,
    ``cadre_id`` of visits, ``supplier_id``, ``undertaker_id``), ids are unique
    within a kind, every date lies in the five years up to ``as_of``, and the
    counties are in use over all of them, so the bundle also loads back
    from :func:`fsrules.loading.dump_bundle` with ``as_of`` without a
    diagnostic.

    Args:
        min_operators, max_operators: how many operators (0 to 20).
        as_of: the evaluation date, or a strategy of dates; by default a date
            from 2018-01-01 to 2024-12-31.
        region_codes: a strategy of county codes; by default counties in use
            over the bundle's five years.
        max_regions: at most this many counties (1 to 5).
        id_prefix: put before every id (regions keep their code as id), so
            bundles of different counties merge without clashes.
    """
    where = "fact_bundles()"
    lo = _check_int(where, "min_operators", min_operators, minimum=0, maximum=20)
    hi = _check_int(where, "max_operators", max_operators, minimum=0, maximum=20)
    if lo > hi:
        raise _fail(where, f"min_operators={lo} is more than max_operators={hi}")
    regions_max = _check_int(where, "max_regions", max_regions, minimum=1, maximum=5)
    if not isinstance(id_prefix, str):
        raise _fail(where, f"id_prefix must be a str, got {id_prefix!r}")
    if id_prefix != id_prefix.strip() or any(ch in id_prefix for ch in ";；、,，|"):
        raise _fail(where, f"id_prefix {id_prefix!r} must not have surrounding spaces or "
                           f"list separators")
    codes = None if region_codes is None else _check_strategy(where, "region_codes",
                                                              region_codes)
    as_of_s = _date_source(where, "as_of", as_of, st.dates(_BUNDLE_MIN_AS_OF, _MAX_DATE))
    return _bundles(lo, hi, as_of_s, codes, regions_max, id_prefix)
