"""Field rules of the built-in kinds about duties, staff, canteens, banquets and indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.model import (
    BusinessType,
    ChecklistStatus,
    StaffRole,
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
from fsrules.testing.strategies._values import (
    _dates_between,
    _ids,
    _name_for,
    _person_names,
    _plus,
    _word_lists,
)
from fsrules.testing.strategies._vocab import (
    _DISHES,
    _EVIDENCE,
    _INDICATORS,
    _PLACES,
    _PRACTICES,
    _PRODUCTS,
    _PURCHASE_CATEGORIES,
    _SC_CATEGORIES,
    _SITES,
    _TIER_CADRES,
    _TOPICS,
    _UNITS,
    _WORKSHOP_GOODS,
)


def _commitment(c: _Ctx) -> SearchStrategy[dt.date | None]:
    last = c["ended_on"]
    strategy = c.after(c["assigned_on"], 30)
    if last is not None:
        strategy = _dates_between(c["assigned_on"], min(last, _plus(c["assigned_on"], 30)))
    return _opt(strategy)


_BAOBAO_ASSIGNMENT: dict[str, _Rule] = {
    "id": _id("BB"),
    "operator_id": _id("OP"),
    "tier": None,
    "cadre_level": lambda c: st.just(_TIER_CADRES[c["tier"]]),
    "cadre_id": _id("CD"),
    "cadre_name": lambda c: st.just("") | _person_names(),
    "assigned_on": _day,
    "ended_on": _after("assigned_on"),
    "commitment_signed_on": _commitment,
}

_SUPERVISION_VISIT: dict[str, _Rule] = {
    "id": _id("SV"),
    "operator_id": _id("OP"),
    "cadre_id": _id("CD"),
    "visited_on": _day,
    "issues_found": lambda c: st.integers(0, 10),
    "issues_fixed": lambda c: st.integers(0, c["issues_found"]),
}

_SELF_CHECK: dict[str, _Rule] = {
    "id": _id("SC"),
    "operator_id": _id("OP"),
    "cycle": None,
    "checked_on": _day,
    "role": _pick((StaffRole.DIRECTOR, StaffRole.SAFETY_OFFICER, StaffRole.PRINCIPAL)),
    "person_id": lambda c: _opt(_ids("ST")),
    "risks_found": lambda c: st.integers(0, 5),
}


def _left(c: _Ctx) -> SearchStrategy[dt.date | None]:
    return st.none() if c["joined_on"] is None else _opt(c.after(c["joined_on"], min_days=1))


_STAFF_MEMBER: dict[str, _Rule] = {
    "id": _id("ST"),
    "operator_id": _id("OP"),
    "name": lambda c: _person_names(),
    "role": None,
    "touches_ready_to_eat": None,
    "joined_on": lambda c: _opt(c.day()),
    "left_on": _left,
}

_WORK_SHIFT: dict[str, _Rule] = {
    "id": _id("WS"),
    "operator_id": _id("OP"),
    "person_id": _id("ST"),
    "worked_on": _day,
}


def _certificate_end(c: _Ctx) -> SearchStrategy[dt.date]:
    issued: dt.date = c["issued_on"]
    # Usually one year; sometimes shorter or a little longer.
    return st.just(min(c.hi, _plus(issued, 364))) | c.after(issued, 400)


_HEALTH_CERTIFICATE: dict[str, _Rule] = {
    "id": _id("HC"),
    "operator_id": _id("OP"),
    "person_id": _id("ST"),
    "issued_on": _day,
    "valid_until": _certificate_end,
}

_TRAINING_RECORD: dict[str, _Rule] = {
    "id": _id("TR"),
    "person_id": _id("ST"),
    "trained_on": _day,
    "hours": lambda c: st.integers(1, 80).map(lambda n: n / 2),
    "operator_id": lambda c: _opt(_ids("OP")),
    "topic": _pick(("", *_TOPICS)),
}

_MEAL_SERVICE: dict[str, _Rule] = {
    "id": _id("MS"),
    "operator_id": _id("OP"),
    "served_on": _day,
    "meal": None,
    "dishes": lambda c: _word_lists(_DISHES, min_size=1, max_size=5),
    "diners": lambda c: _opt(st.integers(0, 3000)),
    "accompanying_leader": lambda c: _opt(_person_names()),
    "accompanying_recorded": None,
    "large_event": None,
}


def _retained_at(c: _Ctx) -> SearchStrategy[dt.datetime | None]:
    served: dt.date = c["served_on"]
    return _opt(st.tuples(st.integers(6, 20), st.integers(0, 59)).map(
        lambda hm: dt.datetime.combine(served, dt.time(hm[0], hm[1]))))


def _discarded_at(c: _Ctx) -> SearchStrategy[dt.datetime | None]:
    retained: dt.datetime | None = c["retained_at"]
    if retained is None:
        return st.none()
    last = dt.datetime.combine(max(c.hi, retained.date()), dt.time(23, 59))
    hours = min(96, int((last - retained).total_seconds() // 3600))
    if hours < 1:
        return st.none()
    # Straddles the 48-hour keeping duty.
    return _opt(st.integers(1, hours).map(lambda h: retained + dt.timedelta(hours=h)))


_SAMPLE_RETENTION: dict[str, _Rule] = {
    "id": _id("RT"),
    "operator_id": _id("OP"),
    "meal_service_id": _id("MS"),
    "served_on": _day,
    "dish": _pick(_DISHES),
    "weight_g": lambda c: _opt(st.integers(500, 3000).map(lambda n: n / 10)),
    "retained_at": _retained_at,
    "discarded_at": _discarded_at,
    "dedicated_fridge": None,
    "recorded_by": lambda c: _opt(_person_names()),
}


def _supplier_name(c: _Ctx) -> SearchStrategy[str | None]:
    return _opt(st.sampled_from(_PLACES).flatmap(
        lambda place: _name_for(BusinessType.SELLER, place, None)))


_PURCHASE_RECORD: dict[str, _Rule] = {
    "id": _id("PR"),
    "operator_id": _id("OP"),
    "purchased_on": _day,
    "item": _pick(_PRODUCTS),
    "supplier_id": lambda c: _opt(_ids("OP")),
    "supplier_name": _supplier_name,
    "category": _maybe(_PURCHASE_CATEGORIES),
    "channel": None,
    "record_kept_until": _after("purchased_on", 3 * 365),
}

_PRODUCTION_RECORD: dict[str, _Rule] = {
    "id": _id("PD"),
    "operator_id": _id("OP"),
    "produced_on": _day,
    "product_name": _pick(_WORKSHOP_GOODS + _PRODUCTS),
    "food_category_code": _maybe(_SC_CATEGORIES),
    "quantity": lambda c: _opt(st.builds(lambda n, u: f"{n}{u}", st.integers(1, 5000),
                                         st.sampled_from(_UNITS))),
    "contract_manufacturing": None,
    "record_kept_until": _after("produced_on", 3 * 365),
}

_PRODUCT_TEST: dict[str, _Rule] = {
    "id": _id("PT"),
    "operator_id": _id("OP"),
    "tested_on": _day,
    "product_name": _pick(_WORKSHOP_GOODS + _PRODUCTS),
    "verdict": _pick((Verdict.PASS, Verdict.FAIL)),
    "first_batch": None,
}


def _banquet_reported(c: _Ctx) -> SearchStrategy[dt.date | None]:
    held: dt.date = c["held_on"]
    return _opt(_dates_between(max(c.lo, _plus(held, -10)), held))


_BANQUET_REPORT: dict[str, _Rule] = {
    "id": _id("BQ"),
    "held_on": _day,
    "region_code": _code_on("held_on"),
    "diners": lambda c: st.integers(10, 800),
    "reported_on": _banquet_reported,
    "organiser": lambda c: st.just("") | _person_names().map(lambda n: n + "家"),
    "undertaker_id": lambda c: _opt(_ids("OP")),
    "sittings": lambda c: st.integers(1, 3),
    "dishes": lambda c: _word_lists(_DISHES, max_size=5),
    "practices": lambda c: _word_lists(_PRACTICES, max_size=2),
    "site": _pick(("", *_SITES)),
}


def _indicator_part(kind: str, strategy: Callable[[_Ctx], SearchStrategy[Any]]) -> _Rule:
    return lambda c: strategy(c) if _INDICATORS[c["indicator"]] == kind else st.none()


def _indicator_value(c: _Ctx) -> SearchStrategy[float | None]:
    shape = _INDICATORS[c["indicator"]]
    if shape == "score":
        return _opt(st.integers(5000, 10_000).map(lambda n: n / 100))
    if shape == "rate":
        return st.just(round(100 * c["numerator"] / c["denominator"], 2))
    return st.none()


_INDICATOR_OBSERVATION: dict[str, _Rule] = {
    "id": _id("IO"),
    "indicator": _pick(tuple(_INDICATORS)),
    "period_end": _day,
    "period_start": lambda c: _dates_between(max(c.lo, _plus(c["period_end"], -364)),
                                             c["period_end"]),
    "region_code": _code_on("period_end"),
    "denominator": _indicator_part("rate", lambda c: st.integers(1, 5000).map(float)),
    "numerator": lambda c: (st.none() if c["denominator"] is None else
                            st.integers(0, int(c["denominator"])).map(float)),
    "value": _indicator_value,
    "status": _indicator_part("status", lambda c: st.sampled_from(ChecklistStatus)),
    "unit": lambda c: st.just({"score": "分", "rate": "%"}.get(_INDICATORS[c["indicator"]], "")),
    "evidence_ref": _pick(("", *_EVIDENCE)),
}
