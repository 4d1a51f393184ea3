"""Campus-wide duties: 明厨亮灶 (SCHOOL-014), term-start inspections (SCHOOL-015),
campus shops (SCHOOL-016, SCHOOL-017)."""

from __future__ import annotations

import datetime as dt

import pytest

from fsrules import Engine, Fact, Severity
from fsrules.model import BusinessType, InspectionKind, InstitutionType
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding

from .test_school_week import (
    AS_OF,
    DELIVERY,
    KINDERGARTEN,
    MONDAY,
    PRIMARY,
    SECONDARY,
    SHOP,
    build_week,
    changed,
    engine_with,
    only,
    run,
    without,
)

# --------------------------------------------------------------------------- SCHOOL-014


def test_014_fires_for_a_canteen_without_bright_kitchen(engine: Engine) -> None:
    facts = changed(build_week(), KINDERGARTEN, "operator", has_bright_kitchen=False)
    finding = assert_finding(run(engine, facts), "SCHOOL-014", subject=KINDERGARTEN, evidence={
        "role": "canteen", "status": "absent", "institution_type": "kindergarten"},
        legal_basis_contains="33")
    assert finding.message.zh == "威县实验幼儿园食堂：学校食堂未实现“互联网+明厨亮灶”。"
    assert finding.severity is Severity.MEDIUM


def test_014_fires_for_an_off_campus_meal_supplier(engine: Engine) -> None:
    facts = changed(build_week(), DELIVERY, "operator", has_bright_kitchen=False)
    finding = assert_finding(run(engine, facts), "SCHOOL-014", subject=DELIVERY, evidence={
        "role": "meal_supplier", "school_id": PRIMARY, "institution_type": "primary_school"})
    assert "校外供餐单位" in finding.message.zh


def test_014_not_recorded_is_an_info_finding(engine: Engine) -> None:
    facts = changed(build_week(), PRIMARY, "operator", has_bright_kitchen=None)
    finding = assert_finding(run(engine, facts), "SCHOOL-014", subject=PRIMARY,
                             evidence={"status": "not_recorded"})
    assert finding.severity is Severity.INFO
    assert "未记录" in finding.message.zh


def test_014_quiet_for_closed_canteens_and_caterers_without_a_school(engine: Engine) -> None:
    facts = changed(build_week(), KINDERGARTEN, "operator", has_bright_kitchen=False,
                    closed_on=dt.date(2023, 6, 1))
    caterer = FactBuilder().operator("rest-1", business_type="caterer",
                                     has_bright_kitchen=False)
    assert_no_finding(run(engine, [*facts, caterer]), "SCHOOL-014")


# --------------------------------------------------------------------------- SCHOOL-015

SPRING = f"{SECONDARY}-ts202302"


def test_015_fires_when_the_spring_check_is_missing(engine: Engine) -> None:
    facts = without(build_week(), SPRING)
    finding = assert_finding(run(engine, facts), "SCHOOL-015", subject=SECONDARY, evidence={
        "season": "2023-spring", "status": "missing", "due_on": dt.date(2023, 3, 31),
        "inspection_id": None}, legal_basis_contains="五(一)")
    assert finding.due_date == dt.date(2023, 3, 31)
    assert finding.message.zh.startswith("威县第二中学食堂：2023年春季开学检查未进行（期限 2023-03-31）。")
    # The deadline is a value the national profile sets without a verified source (?).
    assert "【待核实】" in finding.message.zh and "SCHOOL-015.spring_due" in finding.message.zh
    assert {u.name for u in finding.uncertain_parameters} >= {"spring_due"}
    assert finding.responsible_departments == ("县教育局", "县卫健局")


@pytest.mark.parametrize(("day", "status"), [(dt.date(2023, 3, 31), None),
                                             (dt.date(2023, 4, 1), "late"),
                                             (dt.date(2023, 6, 20), "late")])
def test_015_boundary_at_the_deadline(engine: Engine, day: dt.date, status: str | None) -> None:
    facts = changed(build_week(), SPRING, inspected_on=day)
    found = only(run(engine, facts), "SCHOOL-015")
    assert [f.evidence["status"] for f in found] == ([status] if status else [])
    if status:
        assert found[0].evidence["inspected_on"] == day.isoformat()
        assert "逾期" in found[0].message.zh


def test_015_a_routine_inspection_is_no_term_start_check(engine: Engine) -> None:
    facts = changed(build_week(), SPRING, inspection_kind=InspectionKind.ROUTINE)
    assert_finding(run(engine, facts), "SCHOOL-015", evidence={"status": "missing"})


def test_015_only_deadlines_that_have_passed(engine: Engine) -> None:
    facts = without(build_week(), SPRING)
    assert_no_finding(run(engine, facts, as_of=dt.date(2023, 3, 31)), "SCHOOL-015")
    assert_finding(run(engine, facts, as_of=dt.date(2023, 4, 1)), "SCHOOL-015",
                   evidence={"season": "2023-spring"})


def test_015_a_canteen_opened_during_term_is_not_judged_for_it(engine: Engine) -> None:
    facts = without(build_week(), SPRING, f"{SECONDARY}-ts202209")
    facts = changed(facts, SECONDARY, "operator", opened_on=dt.date(2023, 3, 1))
    assert_no_finding(run(engine, facts), "SCHOOL-015")


def test_015_the_deadline_comes_from_the_profile(engine: Engine) -> None:
    explained = engine.explain("SCHOOL-015", as_of=AS_OF)
    spring = {name: value for name, value, _ in explained.parameters}["spring_due"]
    assert spring is not None and spring.source == "profile:national"
    assert "?" in spring.note
    eng = engine_with({"SCHOOL-015": {"spring_due": "04-15"}})
    facts = changed(build_week(), SPRING, inspected_on=dt.date(2023, 4, 10))
    assert_no_finding(run(eng, facts), "SCHOOL-015")
    bad = engine_with({"SCHOOL-015": {"spring_due": "April 15"}})
    [diag] = [d for d in run(bad, facts).diagnostics if d.rule_id == "SCHOOL-015"]
    assert "MM-DD" in diag.message.en


# --------------------------------------------------------------------------- SCHOOL-016


def test_016_fires_for_an_expired_shop_licence(engine: Engine) -> None:
    facts = changed(build_week(), "lic-shop", valid_until=dt.date(2023, 6, 1))
    finding = assert_finding(run(engine, facts), "SCHOOL-016", subject=SHOP, evidence={
        "school_id": SECONDARY, "school_name": "威县第二中学食堂",
        "institution_type": "secondary_school", "status": "expired", "permits_found": 1,
        "latest_valid_until": dt.date(2023, 6, 1)})
    assert finding.message.zh == ("威县第二中学校内超市：设在威县第二中学食堂（中学）校内的食品经营场所"
                                  "在 2023-06-30 没有有效的许可或备案（最近一份有效期至 2023-06-01）。")
    assert finding.legal_basis[0].article is None


def test_016_fires_for_a_shop_without_any_permit(engine: Engine) -> None:
    facts = without(build_week(), "lic-shop")
    assert_finding(run(engine, facts), "SCHOOL-016", subject=SHOP,
                   evidence={"status": "none", "permits_found": 0})


def test_016_quiet_at_a_university_with_a_card_or_when_closed(engine: Engine) -> None:
    facts = without(build_week(), "lic-shop")
    uni = changed(facts, SECONDARY, "operator", institution_type=InstitutionType.UNIVERSITY)
    assert_no_finding(run(engine, uni), "SCHOOL-016")
    card = FactBuilder().vendor_registration("card-shop", operator_id=SHOP,
                                             issued_on=dt.date(2023, 1, 1))
    assert_no_finding(run(engine, [*facts, card]), "SCHOOL-016")
    closed = changed(facts, SHOP, "operator", closed_on=dt.date(2023, 6, 1))
    assert_no_finding(run(engine, closed), "SCHOOL-016")


def test_016_a_grocery_is_a_shop_too(engine: Engine) -> None:
    facts = without(build_week(), "lic-shop")
    facts = changed(facts, SHOP, "operator", business_type=BusinessType.SMALL_GROCERY)
    assert_finding(run(engine, facts), "SCHOOL-016", subject=SHOP)


# --------------------------------------------------------------------------- SCHOOL-017


def _shop_buys(item: str) -> Fact:
    return FactBuilder().purchase_record("shop-extra", operator_id=SHOP, purchased_on=MONDAY,
                                         item=item, category="预包装食品")


def test_017_fires_for_junk_food_the_shop_bought(engine: Engine) -> None:
    report = run(engine, [*build_week(), _shop_buys("麻辣辣条（大包）")])
    finding = assert_finding(report, "SCHOOL-017", subject=SHOP, evidence={
        "products": [{"source": "purchase_record", "record_id": "shop-extra",
                      "text": "麻辣辣条（大包）", "terms": ["辣条"]}],
        "categories": ["high_salt"], "terms": ["辣条"], "school_id": SECONDARY})
    assert finding.message.zh == ("威县第二中学校内超市：中小学、幼儿园校内食品经营场所售卖高盐食品"
                                  "（麻辣辣条（大包））。")
    assert [f.rule_id for f in report.findings] == ["SCHOOL-017"]


def test_017_registered_products_count(engine: Engine) -> None:
    card = FactBuilder().vendor_registration("card-shop", operator_id=SHOP,
                                             products=("面包", "可乐", "原味薯片"))
    finding = assert_finding(run(engine, [*build_week(), card]), "SCHOOL-017", subject=SHOP)
    assert finding.evidence["categories"] == ["high_sugar", "high_fat"]
    assert [p["text"] for p in finding.evidence["products"]] == ["可乐", "原味薯片"]


def test_017_quiet_for_sugar_free_drinks_and_at_universities(engine: Engine) -> None:
    assert_no_finding(run(engine, [*build_week(), _shop_buys("无糖可乐")]), "SCHOOL-017")
    uni = changed(build_week(), SECONDARY, "operator",
                  institution_type=InstitutionType.UNIVERSITY)
    assert_no_finding(run(engine, [*uni, _shop_buys("辣条")]), "SCHOOL-017")


def test_017_a_profile_adds_terms() -> None:
    eng = engine_with({"SCHOOL-017": {"extra_terms": {"high_sugar": {"terms": ["冰糖葫芦"]}}}})
    facts = [*build_week(), _shop_buys("冰糖葫芦")]
    assert_finding(run(eng, facts), "SCHOOL-017", evidence={"terms": ["冰糖葫芦"]})
    assert_no_finding(run(Engine(), facts), "SCHOOL-017")
