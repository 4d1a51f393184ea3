"""Prohibited (SCHOOL-006) and high-risk (SCHOOL-007) dishes, nitrite (SCHOOL-008)."""

from __future__ import annotations

from fsrules import Engine
from fsrules.model import InstitutionType
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding

from .test_school_week import (
    GRAIN,
    KINDERGARTEN,
    PRIMARY,
    SECONDARY,
    WEEK,
    build_week,
    changed,
    engine_with,
    find,
    meal_id,
    mine,
    only,
    run,
    with_menu,
)

KG_LUNCH = meal_id(KINDERGARTEN, WEEK[1], "lunch")
SEC_DINNER = meal_id(SECONDARY, WEEK[3], "dinner")


# --------------------------------------------------------------------------- SCHOOL-006


def test_006_fires_for_a_cold_meat_dish(engine: Engine) -> None:
    facts = with_menu(build_week(), KG_LUNCH, ("小花卷", "白切鸡", "蒜蓉西兰花"))
    report = run(engine, facts)
    finding = assert_finding(report, "SCHOOL-006", subject=KINDERGARTEN, evidence={
        "meal_service_id": KG_LUNCH, "dish": "白切鸡", "categories": ["cold_meat"],
        "terms": ["白切鸡"], "matched": ["白切鸡"],
        "institution_type": "kindergarten"})
    assert finding.message.zh == ("威县实验幼儿园食堂：2023-05-16午餐的菜品“白切鸡”属于冷荤类食品"
                                  "（匹配“白切鸡”），中小学、幼儿园食堂不得制售。")
    [basis] = finding.legal_basis
    assert basis.article is None and "第三十条" in basis.note and basis.confidence.value == "C"
    assert [f.rule_id for f in report.findings] == ["SCHOOL-006"]


def test_006_decorated_cake_in_traditional_characters(engine: Engine) -> None:
    facts = with_menu(build_week(), SEC_DINNER, ("米饭", "生日蛋糕（奶油裱花）"))
    assert_finding(run(engine, facts), "SCHOOL-006", subject=SECONDARY,
                   evidence={"categories": ["decorated_cake"]})
    facts = with_menu(build_week(), SEC_DINNER, ("米饭", "鮮奶蛋糕"))
    assert_finding(run(engine, facts), "SCHOOL-006", evidence={"matched": ["鲜奶蛋糕"]})


def test_006_quiet_at_a_university(engine: Engine) -> None:
    facts = changed(build_week(), SECONDARY, "operator",
                    institution_type=InstitutionType.UNIVERSITY)
    facts = with_menu(facts, SEC_DINNER, ("米饭", "三文鱼刺身", "白切鸡"))
    assert_no_finding(run(engine, facts), "SCHOOL-006")


def test_006_a_profile_adds_a_category() -> None:
    eng = engine_with({"SCHOOL-006": {"extra_terms": {"value": {
        "cold_dishes": {"label_zh": "凉菜", "label_en": "cold dishes",
                        "terms": {"凉菜": ["凉拌"]}}}, "note": "某省：中小学不得制售凉菜"}}})
    facts = with_menu(build_week(), KG_LUNCH, ("小花卷", "凉拌黄瓜"))
    assert_finding(run(eng, facts), "SCHOOL-006", evidence={
        "categories": ["cold_dishes"], "terms": ["凉菜"], "matched": ["凉拌"]})
    assert_no_finding(run(Engine(), facts), "SCHOOL-006")


def test_006_an_unknown_category_is_a_rule_error() -> None:
    eng = engine_with({"SCHOOL-006": {"categories": ["cold_meat", "cold_snacks"]}})
    report = run(eng, build_week())
    [diag] = mine(report.diagnostics)
    assert diag.rule_id == "SCHOOL-006" and "cold_snacks" in diag.message.en


# --------------------------------------------------------------------------- SCHOOL-007


def test_007_fires_for_green_beans_at_a_university_too(engine: Engine) -> None:
    facts = changed(build_week(), SECONDARY, "operator",
                    institution_type=InstitutionType.UNIVERSITY)
    facts = with_menu(facts, SEC_DINNER, ("米饭", "干煸豆角", "冬瓜汤"))
    finding = assert_finding(run(engine, facts), "SCHOOL-007", subject=SECONDARY, evidence={
        "dish": "干煸豆角", "matches": [{"category": "green_beans", "term": "四季豆",
                                        "matched": "豆角"}], "institution_type": "university"})
    assert "含四季豆（匹配“豆角”），学校食堂不得加工制作" in finding.message.zh


def test_007_fresh_daylily_in_traditional_characters(engine: Engine) -> None:
    facts = with_menu(build_week(), KG_LUNCH, ("小花卷", "涼拌鮮黃花菜"))
    assert_finding(run(engine, facts), "SCHOOL-007", subject=KINDERGARTEN,
                   evidence={"dish": "涼拌鮮黃花菜", "terms": ["鲜黄花菜"]})


def test_007_every_meal_is_one_finding(engine: Engine) -> None:
    facts = build_week()
    for day in WEEK[:3]:
        facts = with_menu(facts, meal_id(PRIMARY, day, "lunch"), ("米饭", "清炒四季豆"))
    found = only(run(engine, facts), "SCHOOL-007")
    assert [f.evidence["served_on"] for f in found] == [d.isoformat() for d in WEEK[:3]]
    assert len({f.fingerprint for f in found}) == 3


def test_007_quiet_for_the_look_alikes_of_the_week(engine: Engine) -> None:
    assert_no_finding(run(engine, build_week()), "SCHOOL-007")   # 四季豆腐汤, 红烧黄花鱼 …


# --------------------------------------------------------------------------- SCHOOL-008


def test_008_fires_for_a_nitrite_purchase(engine: Engine) -> None:
    facts = changed(build_week(), f"{PRIMARY}-buy7", item="亚硝酸钠", category="调味品")
    finding = assert_finding(run(engine, facts), "SCHOOL-008", subject=PRIMARY, evidence={
        "record_kind": "purchase_record", "record_id": f"{PRIMARY}-buy7",
        "record_date": WEEK[0], "action": "purchased", "text": "亚硝酸钠", "terms": ["亚硝酸盐"],
        "matched": ["亚硝酸钠"]})
    assert "显示采购了亚硝酸盐" in finding.message.zh


def test_008_fires_when_an_inspection_found_nitrite(engine: Engine) -> None:
    inspection = f"{SECONDARY}-ts202302"
    facts = changed(build_week(), inspection, failed_items=("原料贮存", "亚硝酸盐未专柜存放"),
                    result=find(build_week(), inspection).result)  # type: ignore[attr-defined]
    assert_finding(run(engine, facts), "SCHOOL-008", subject=SECONDARY, evidence={
        "record_kind": "inspection", "action": "found_on_inspection",
        "text": "亚硝酸盐未专柜存放"})


def test_008_quiet_for_negated_mentions_and_other_operators(engine: Engine) -> None:
    facts = changed(build_week(), f"{SECONDARY}-ts202302", failed_items=("未发现亚硝酸盐",))
    facts = changed(facts, f"{PRIMARY}-buy7", item="食用盐（不含亚硝酸盐）")
    assert_no_finding(run(engine, facts), "SCHOOL-008")
    seller_buys = FactBuilder().purchase_record("sup-buy", operator_id=GRAIN, item="亚硝酸钠")
    assert_no_finding(run(engine, [*build_week(), seller_buys]), "SCHOOL-008")
