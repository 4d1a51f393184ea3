"""Field rules of the built-in kinds about places, operators and supervision.

A table lists the fields of a kind that need more than the strategy derived
from their type, in drawing order (a field's rule sees the fields drawn before
it); fields it leaves out are derived after them. ``None`` derives a field at
that point of the order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.model import (
    BusinessType,
    DisposalStatus,
    InspectionResult,
    InstitutionType,
    OperatorScale,
    RiskGrade,
    SamplingKind,
    SupplyChainLink,
    Verdict,
)
from fsrules.testing.strategies._derive import (
    _after,
    _code_on,
    _Ctx,
    _day,
    _id,
    _maybe,
    _opt,
    _pick,
    _Rule,
)
from fsrules.testing.strategies._divisions import _division_name, _parent_code, _stable_codes
from fsrules.testing.strategies._values import (
    _ids,
    _licence_numbers,
    _name_for,
    _usccs,
    _word_lists,
)
from fsrules.testing.strategies._vocab import (
    _CHANNELS,
    _CHECKLIST_ITEMS,
    _FOOD_CATEGORIES,
    _INCIDENT_TEXTS,
    _MEAL_PROVIDERS,
    _MEASURES,
    _PENALTIES,
    _PRODUCERS,
    _PRODUCTS,
    _REGISTRATION_KINDS,
    _SAMPLING_ITEMS,
    _SCOPES,
    _SNACKS,
    _STREETS,
    _TOWNSHIPS,
    _WORKSHOP_GOODS,
    _ZONES,
)

# sees the fields before it). tests/test_strategies.py checks that the names
# equal the class's fields, so a new field cannot be forgotten here.


def _region_code(c: _Ctx) -> SearchStrategy[str]:
    return st.sampled_from(_stable_codes(c.lo, c.hi))


def _region_parent(c: _Ctx) -> SearchStrategy[str | None]:
    parent = _parent_code(c["code"], c.lo, c.hi)
    return st.none() if parent is None else _opt(st.just(parent))


_REGION: dict[str, _Rule] = {
    "code": _region_code,
    "id": lambda c: st.just(c["code"]),
    "name": lambda c: st.just(_division_name(c["code"], c.hi.year)),
    "parent_code": _region_parent,
    "resident_population": lambda c: _opt(st.integers(10_000, 3_000_000)),
    "registered_population": lambda c: _opt(st.integers(10_000, 3_000_000)),
    "population_year": lambda c: _opt(st.integers(c.lo.year, c.hi.year)),
}


def _operator_closed(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return _opt(c.after(c["opened_on"], min_days=1))


def _operator_region(c: _Ctx) -> SearchStrategy[str]:
    # In use for the whole time the operator is open: its later records stay valid.
    start = c["opened_on"] or c.lo
    end = c["closed_on"] or c.hi
    return st.sampled_from(_stable_codes(min(start, end), end))


def _operator_institution(c: _Ctx) -> SearchStrategy[InstitutionType | None]:
    if c["business_type"] is BusinessType.UNIT_CANTEEN:
        return st.sampled_from(InstitutionType)
    return st.none()


def _operator_name(c: _Ctx) -> SearchStrategy[str]:
    year = (c["opened_on"] or c.hi).year
    return _name_for(c["business_type"], _division_name(c["region_code"], year),
                     c["institution_type"])


def _operator_uscc(c: _Ctx) -> SearchStrategy[str | None]:
    bt: BusinessType = c["business_type"]
    if bt.is_three_small or bt is BusinessType.BANQUET_UNDERTAKER:
        category = ("9", "2")
    elif bt is BusinessType.UNIT_CANTEEN:
        category = ("1", "2")
    else:
        category = ("9", "1")
    return _opt(_usccs(st.just(category), st.just(c["region_code"][:6])))


def _operator_scale(c: _Ctx) -> SearchStrategy[OperatorScale | None]:
    if c["business_type"].is_three_small:
        return _opt(st.just(OperatorScale.MICRO))
    return _opt(st.sampled_from(OperatorScale))


def _for_types(types_: frozenset[BusinessType], strategy: SearchStrategy[Any],
               otherwise: Any) -> _Rule:
    return lambda c: strategy if c["business_type"] in types_ else st.just(otherwise)


def _special_food(c: _Ctx) -> SearchStrategy[bool]:
    if c["business_type"] is BusinessType.HEALTH_FOOD_PRODUCER:
        return st.just(True)
    return st.booleans() if c["business_type"] in _PRODUCERS else st.just(False)


def _operator_school(c: _Ctx) -> SearchStrategy[str | None]:
    institution = c["institution_type"]
    if institution is not None and institution.is_k12:
        return _opt(_ids("OP"))
    return st.none()


def _operator_longitude(c: _Ctx) -> SearchStrategy[float | None]:
    if c["latitude"] is None:
        return st.none()
    return st.integers(73_500_000, 134_700_000).map(lambda n: n / 1_000_000)


_OPERATOR: dict[str, _Rule] = {
    "business_type": _pick(list(BusinessType)),
    "opened_on": lambda c: _opt(c.day()),
    "closed_on": _operator_closed,
    "region_code": _operator_region,
    "institution_type": _operator_institution,
    "name": _operator_name,
    "id": _id("OP"),
    "uscc": _operator_uscc,
    "township": _maybe(_TOWNSHIPS),
    "address": lambda c: _opt(st.builds(lambda s, n: f"{s}{n}号", st.sampled_from(_STREETS),
                                        st.integers(1, 300))),
    "scale": _operator_scale,
    "is_special_food": _special_food,
    "is_chain_hq": _for_types(frozenset({BusinessType.SELLER, BusinessType.CATERER}),
                              st.booleans(), False),
    "avg_diners_per_meal": _for_types(_MEAL_PROVIDERS, _opt(st.integers(0, 3000)), None),
    "business_area_m2": lambda c: _opt(st.integers(50, 200_000).map(lambda n: n / 10)),
    "has_bright_kitchen": _for_types(_MEAL_PROVIDERS, _opt(st.booleans()), None),
    "has_physical_shop": _for_types(frozenset({BusinessType.CATERER, BusinessType.SMALL_EATERY}),
                                    _opt(st.booleans()), None),
    "sells_online": None,
    "school_id": _operator_school,
    "latitude": lambda c: _opt(st.integers(18_200_000, 53_500_000).map(lambda n: n / 1_000_000)),
    "longitude": _operator_longitude,
}


def _licence_number(c: _Ctx) -> SearchStrategy[str]:
    issued: dt.date = c["issued_on"]
    return c.codes_on(issued).flatmap(
        lambda region: _licence_numbers(c["licence_kind"], region, issued.year))


def _licence_scope(c: _Ctx) -> SearchStrategy[tuple[str, ...]]:
    return _word_lists(_SCOPES.get(c["licence_kind"], _WORKSHOP_GOODS))


def _revoked(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return _opt(c.after(c["issued_on"], min_days=1))


_LICENCE: dict[str, _Rule] = {
    "id": _id("LC"),
    "operator_id": _id("OP"),
    "licence_kind": None,
    "issued_on": _day,
    "valid_until": _after("issued_on", 5 * 365),
    "revoked_on": _revoked,
    "number": _licence_number,
    "scope": _licence_scope,
}


def _time_slots() -> SearchStrategy[str]:
    return st.tuples(st.integers(5, 20), st.integers(1, 4)).map(
        lambda t: f"{t[0]:02d}:00-{t[0] + t[1]:02d}:30")


_VENDOR_REGISTRATION: dict[str, _Rule] = {
    "id": _id("VR"),
    "operator_id": _id("OP"),
    "licence_kind": _pick(_REGISTRATION_KINDS),
    "issued_on": _day,
    "valid_until": _after("issued_on", 3 * 365),
    "number": lambda c: _opt(_licence_number(c)),
    "products": lambda c: _word_lists(_WORKSHOP_GOODS + _SNACKS, min_size=1),
    "zone": _maybe(_ZONES),
    "time_slot": lambda c: _opt(_time_slots()),
}


def _inspection_items(c: _Ctx) -> SearchStrategy[tuple[str, ...]]:
    if c["result"] is InspectionResult.CONFORMING:
        return st.just(())
    return _word_lists(_CHECKLIST_ITEMS, min_size=1, max_size=4)


def _key_items(c: _Ctx) -> SearchStrategy[int]:
    # 基本符合 means only general items failed; 不符合 may include key items.
    if c["result"] is InspectionResult.NON_CONFORMING:
        return st.integers(0, len(c["failed_items"]))
    return st.just(0)


_INSPECTION: dict[str, _Rule] = {
    "id": _id("IN"),
    "operator_id": _id("OP"),
    "inspected_on": _day,
    "inspection_kind": None,
    "result": None,
    "failed_items": _inspection_items,
    "key_items_failed": _key_items,
    "full_checklist": None,
    "inspectors": lambda c: st.integers(1, 4),
    "obstructed": None,
}


def _sampling_verdict(c: _Ctx) -> SearchStrategy[Verdict]:
    if c["sampling_kind"] is SamplingKind.RISK_MONITORING:
        return st.sampled_from((Verdict.NO_PROBLEM, Verdict.PROBLEM))
    return st.sampled_from((Verdict.PASS, Verdict.FAIL))


def _sampling_items(c: _Ctx) -> SearchStrategy[tuple[str, ...]]:
    if c["verdict"] in (Verdict.FAIL, Verdict.PROBLEM):
        return _word_lists(_SAMPLING_ITEMS, min_size=1)
    return st.just(())


def _published(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return _opt(c.after(c["result_received_on"] or c["sampled_on"], 60))


_SAMPLING_RESULT: dict[str, _Rule] = {
    "id": _id("SR"),
    "sampled_on": _day,
    "region_code": _code_on("sampled_on"),
    "sampling_kind": None,
    "verdict": _sampling_verdict,
    "product_name": _pick(_PRODUCTS),
    "operator_id": lambda c: _opt(_ids("OP")),
    "level": None,
    "link": None,
    "food_category": _maybe(_FOOD_CATEGORIES),
    "is_residue_test": lambda c: (st.booleans() if c["link"] is SupplyChainLink.AGRICULTURE
                                  else st.just(False)),
    "failed_items": _sampling_items,
    "result_received_on": _after("sampled_on", 60),
    "published_on": _published,
}


def _disposal_started(c: _Ctx) -> SearchStrategy[dt.date | None]:
    if c["status"] is DisposalStatus.NOT_STARTED:
        return st.none()
    return c.day()


def _disposal_completed(c: _Ctx) -> SearchStrategy[dt.date | None]:
    if c["status"] is DisposalStatus.COMPLETED:
        return c.after(c["started_on"], 90)
    return st.none()


def _recall_done(c: _Ctx) -> SearchStrategy[bool | None]:
    if not c["recall_required"]:
        return st.none()
    if c["status"] is DisposalStatus.COMPLETED:
        return st.booleans()
    return _opt(st.booleans())


_DISPOSAL: dict[str, _Rule] = {
    "id": _id("DP"),
    "sampling_id": _id("SR"),
    "operator_id": lambda c: _opt(_ids("OP")),
    "status": None,
    "started_on": _disposal_started,
    "completed_on": _disposal_completed,
    "measures": lambda c: (st.just(()) if c["status"] is DisposalStatus.NOT_STARTED
                           else _word_lists(_MEASURES)),
    "recall_required": None,
    "recall_done": _recall_done,
}


_INCIDENT: dict[str, _Rule] = {
    "id": _id("IC"),
    "occurred_on": _day,
    "region_code": _code_on("occurred_on"),
    "operator_id": lambda c: _opt(_ids("OP")),
    "level": None,
    "category": None,
    "ill": lambda c: st.integers(0, 500),
    "deaths": lambda c: st.integers(0, min(c["ill"], 30)),
    # Food that reached n provinces reached at least n prefectures and n counties.
    "provinces_affected": lambda c: st.integers(1, 3),
    "abroad": None,
    "cities_affected": lambda c: st.integers(c["provinces_affected"],
                                             c["provinces_affected"] + 5),
    "counties_affected": lambda c: st.integers(c["cities_affected"], c["cities_affected"] + 10),
    "new_contaminant": None,
    "serious_social_impact": None,
    "description": _pick(("", *_INCIDENT_TEXTS)),
}

_COMPLAINT: dict[str, _Rule] = {
    "id": _id("CP"),
    "received_on": _day,
    "region_code": _code_on("received_on"),
    "operator_id": lambda c: _opt(_ids("OP")),
    "channel": _pick(_CHANNELS),
    "is_food": None,
    "due_on": _after("received_on", 60),
    "closed_on": _after("received_on", 90),
}


def _case_opened(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return _opt(c.after(c["clue_received_on"], 90))


def _case_closed(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return st.none() if c["opened_on"] is None else _opt(c.after(c["opened_on"], 365))


def _case_extended(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return st.none() if c["opened_on"] is None else _opt(c.after(c["opened_on"], 180))


def _case_region(c: _Ctx) -> SearchStrategy[str]:
    # The loader checks the code on opened_on (the kind's date); without one,
    # on as_of: a code in use over the whole range satisfies both.
    return c.codes_on(c["opened_on"])


_ENFORCEMENT_CASE: dict[str, _Rule] = {
    "id": _id("EC"),
    "clue_received_on": lambda c: _opt(c.day()),
    "opened_on": _case_opened,
    "closed_on": _case_closed,
    "extended_until": _case_extended,
    "region_code": _case_region,
    "operator_id": lambda c: _opt(_ids("OP")),
    "intentional": None,
    "penalty": _maybe(_PENALTIES),
    "lost_on_procedure": None,
    "adverse_social_impact": None,
}


def _risk_grade(c: _Ctx) -> SearchStrategy[RiskGrade]:
    static, dynamic = c["static_score"], c["dynamic_score"]
    if static is None or dynamic is None:
        return st.sampled_from(RiskGrade)
    # Order 49 grading by total score: ≤30 A, ≤45 B, ≤60 C, above D.
    total = static + dynamic
    grade = (RiskGrade.A if total <= 30 else RiskGrade.B if total <= 45
             else RiskGrade.C if total <= 60 else RiskGrade.D)
    return st.just(grade)


_RISK_ASSESSMENT: dict[str, _Rule] = {
    "id": _id("RA"),
    "operator_id": _id("OP"),
    "assessed_on": _day,
    "static_score": lambda c: _opt(st.integers(0, 400).map(lambda n: n / 10)),
    "dynamic_score": lambda c: _opt(st.integers(0, 600).map(lambda n: n / 10)),
    "grade": _risk_grade,
}
