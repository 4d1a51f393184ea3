"""Bulk purchasing: designated channel (SCHOOL-011), supplier licence (SCHOOL-012),
supplier record (SCHOOL-013)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from fsrules import Engine, Fact
from fsrules.model import LicenceKind, PurchaseChannel, PurchaseRecord
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding
from fsrules_rulesets.school import DishonestyListing

from .test_school_week import (
    GRAIN,
    MEAT,
    MONDAY,
    PRIMARY,
    SECONDARY,
    build_week,
    changed,
    engine_with,
    only,
    run,
    without,
)

PORK = f"{PRIMARY}-buy1"        # 猪肉 from the meat supplier, Monday


def _at_market(facts: list[Fact], purchase_id: str, vendor: str) -> list[Fact]:
    return changed(facts, purchase_id, channel=PurchaseChannel.OTHER, supplier_id=None,
                   supplier_name=vendor)


# --------------------------------------------------------------------------- SCHOOL-011


def test_011_fires_for_meat_bought_at_the_market(engine: Engine) -> None:
    facts = _at_market(build_week(), PORK, "张某（集市个体肉摊）")
    report = run(engine, facts)
    finding = assert_finding(report, "SCHOOL-011", subject=PRIMARY, evidence={
        "category": "meat", "purchase_ids": [PORK], "purchase_count": 1,
        "items": ["猪肉"], "suppliers": ["张某（集市个体肉摊）"], "channels": ["other"],
        "first_purchased_on": MONDAY}, legal_basis_contains="威县")
    assert finding.message.zh == (
        "威县第一实验小学食堂：2022-07-01 至 2023-06-30 有 1 笔肉类采购未通过集中定点采购"
        "（2023-05-15 至 2023-05-15，供货方：张某（集市个体肉摊））。")
    assert finding.lead_departments == ("县教育局",)
    assert [f.rule_id for f in report.findings] == ["SCHOOL-011"]   # no supplier to check


def test_011_sums_up_per_category(engine: Engine) -> None:
    b = FactBuilder()
    more = b.purchase_record("pork-2", operator_id=PRIMARY, purchased_on=dt.date(2023, 5, 22),
                             item="五花肉", category="肉", supplier_name="李某",
                             channel="other")
    facts = [*_at_market(build_week(), PORK, "张某"), more]
    finding = assert_finding(run(engine, facts), "SCHOOL-011", evidence={
        "purchase_ids": [PORK, "pork-2"], "purchase_count": 2, "items": ["猪肉", "五花肉"],
        "last_purchased_on": dt.date(2023, 5, 22)})
    assert finding.fingerprint == only(run(engine, facts, as_of=dt.date(2023, 9, 1)),
                                       "SCHOOL-011")[0].fingerprint


def test_011_quiet_for_vegetables_and_narrowed_categories(engine: Engine) -> None:
    veg = _at_market(build_week(), f"{PRIMARY}-buy7", "王某菜摊")     # 时令蔬菜
    assert_no_finding(run(engine, veg), "SCHOOL-011")
    meat = _at_market(build_week(), PORK, "张某")
    eng = engine_with({"SCHOOL-011": {"categories": ["rice", "flour", "oil"]}})
    assert_no_finding(run(eng, meat), "SCHOOL-011")


# --------------------------------------------------------------------------- SCHOOL-012


def test_012_fires_when_the_suppliers_licence_had_expired(engine: Engine) -> None:
    facts = changed(build_week(), "lic-meat", valid_until=dt.date(2023, 5, 14))
    report = run(engine, facts)
    found = only(report, "SCHOOL-012")
    assert {f.subject.id for f in found} == {PRIMARY, SECONDARY, "ct-kindergarten"}
    finding = assert_finding(report, "SCHOOL-012", subject=PRIMARY, evidence={
        "supplier_id": MEAT, "supplier_name": "威县肉蛋奶定点配送有限公司",
        "purchase_ids": [f"{PRIMARY}-buy1", f"{PRIMARY}-buy2", f"{PRIMARY}-buy3"],
        "items": ["猪肉", "鸡蛋", "纯牛奶"], "permits_found": 1,
        "latest_valid_until": dt.date(2023, 5, 14)}, legal_basis_contains="第五十三条")
    assert "（最近一份证照有效期至 2023-05-14）" in finding.message.zh


@pytest.mark.parametrize(("valid_until", "fires"), [(MONDAY, False),
                                                    (MONDAY - dt.timedelta(days=1), True)])
def test_012_boundary_on_the_last_valid_day(engine: Engine, valid_until: dt.date,
                                            fires: bool) -> None:
    facts = changed(build_week(), "lic-grain", valid_until=valid_until)
    assert bool(only(run(engine, facts), "SCHOOL-012")) is fires


def test_012_revoked_licence_and_no_permit_at_all(engine: Engine) -> None:
    revoked = changed(build_week(), "lic-grain", revoked_on=dt.date(2023, 1, 1))
    assert_finding(run(engine, revoked), "SCHOOL-012", subject=PRIMARY,
                   evidence={"supplier_id": GRAIN, "items": ["大米", "小麦粉", "大豆油"]})
    none = without(build_week(), "lic-grain")
    finding = assert_finding(run(engine, none), "SCHOOL-012", subject=PRIMARY,
                             evidence={"permits_found": 0, "latest_valid_until": None})
    assert "无任何许可证照记录" in finding.message.zh


def test_012_a_valid_registration_card_is_enough(engine: Engine) -> None:
    facts = without(build_week(), "lic-grain")
    card = FactBuilder().vendor_registration("card-grain", operator_id=GRAIN,
                                             licence_kind=LicenceKind.VENDOR_FILING,
                                             issued_on=dt.date(2022, 1, 1))
    assert_no_finding(run(engine, [*facts, card]), "SCHOOL-012")


def test_012_an_unknown_supplier_is_not_judged(engine: Engine) -> None:
    facts = changed(build_week(), PORK, supplier_id="not-in-the-data")
    assert_no_finding(run(engine, facts), "SCHOOL-012")


# --------------------------------------------------------------------------- SCHOOL-013

LATE = dt.date(2025, 9, 1)
AS_OF_2025 = dt.date(2025, 12, 31)


def _in_2025(facts: list[Fact]) -> list[Fact]:
    """The week's purchases moved to 2025-09-01, after the 2025 guideline."""
    return [attrs.evolve(f, purchased_on=LATE) if isinstance(f, PurchaseRecord) else f
            for f in facts]


def _incident(day: dt.date) -> Fact:
    return FactBuilder().incident("inc-meat", operator_id=MEAT, occurred_on=day, ill=8)


@pytest.mark.parametrize(("day", "fires"), [(dt.date(2022, 9, 1), False),
                                            (dt.date(2022, 9, 2), True),
                                            (dt.date(2025, 9, 1), True),
                                            (dt.date(2025, 9, 2), False)])
def test_013_incident_in_the_three_years_before_the_purchase(engine: Engine, day: dt.date,
                                                             fires: bool) -> None:
    facts = [*_in_2025(build_week()), _incident(day)]
    found = [f for f in only(run(engine, facts, as_of=AS_OF_2025), "SCHOOL-013")
             if f.subject.id == PRIMARY]
    assert bool(found) is fires


def test_013_content(engine: Engine) -> None:
    facts = [*_in_2025(build_week()), _incident(dt.date(2024, 3, 5))]
    finding = assert_finding(run(engine, facts, as_of=AS_OF_2025), "SCHOOL-013",
                             subject=PRIMARY, evidence={
                                 "supplier_id": MEAT, "incident_ids": ["inc-meat"],
                                 "listing_ids": [], "purchase_count": 3, "lookback_years": 3},
                             legal_basis_contains="大宗食材")
    assert "发生食品安全事故（inc-meat，2024-03-05）" in finding.message.zh
    assert finding.lead_departments == ("县教育局",)


def test_013_dishonesty_listing_overlapping_the_three_years(engine: Engine) -> None:
    listing = DishonestyListing(id="sx-1", operator_id=GRAIN, listed_on=dt.date(2023, 1, 10),
                                removed_on=dt.date(2024, 1, 10), reason="生产经营不符合食品安全标准的食品")
    finding = assert_finding(run(engine, [*_in_2025(build_week()), listing], as_of=AS_OF_2025),
                             "SCHOOL-013", subject=PRIMARY,
                             evidence={"supplier_id": GRAIN, "listing_ids": ["sx-1"]})
    assert "被列入严重违法失信名单（sx-1，2023-01-10）" in finding.message.zh
    old = attrs.evolve(listing, listed_on=dt.date(2020, 1, 1), removed_on=dt.date(2022, 9, 2))
    assert_no_finding(run(engine, [*_in_2025(build_week()), old], as_of=AS_OF_2025),
                      "SCHOOL-013")


def test_013_not_before_the_guideline(engine: Engine) -> None:
    facts = [*build_week(), _incident(dt.date(2023, 3, 1))]        # purchases of May 2023
    report = run(engine, facts, as_of=dt.date(2025, 9, 30))
    assert_no_finding(report, "SCHOOL-013")
    early = run(engine, facts)
    assert {s.rule_id: s.status for s in early.rule_stats}["SCHOOL-013"] == "not_in_force"
