"""The school term lists: real dishes flagged with the term that matched, look-alikes not.

The lists are data (rulesets/fsrules_rulesets/school/*.toml). These tests pin
what they must and must not match, first directly, then through the rules so
the matched term is shown to reach the finding's evidence.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from fsrules import Engine, Fact
from fsrules.matching import TermList
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding
from fsrules_rulesets.school._common import merge_term_data
from fsrules_rulesets.school.purchasing import BulkFoods

from .test_school_week import KINDERGARTEN, PRIMARY, WEEK, build_week, meal_id, run, with_menu

FOLDER = Path(__file__).resolve().parents[1] / "rulesets" / "fsrules_rulesets" / "school"


def data(name: str) -> dict[str, Any]:
    with (FOLDER / name).open("rb") as fh:
        return tomllib.load(fh)


FOODS = TermList.from_mapping(data("foods.toml"))
K12 = ("cold_meat", "raw_food", "decorated_cake")
HIGH_RISK = ("green_beans", "fresh_daylily", "wild_mushroom", "sprouted_potato")


@pytest.mark.parametrize(("dish", "category", "term", "matched"), [
    ("凉拌鲜黄花菜", "fresh_daylily", "鲜黄花菜", "鲜黄花菜"),
    ("清炒四季豆", "green_beans", "四季豆", "四季豆"),
    ("生鱼片", "raw_food", "生鱼片", "生鱼片"),
    ("涼拌鮮黃花菜", "fresh_daylily", "鲜黄花菜", "鲜黄花菜"),      # traditional characters
    ("清 炒 四 季 豆", "green_beans", "四季豆", "四季豆"),          # spaces
    ("凉拌新鲜金针菜", "fresh_daylily", "鲜黄花菜", "新鲜金针菜"),   # a synonym
    ("干煸豆角", "green_beans", "四季豆", "豆角"),
    ("豆角焖面", "green_beans", "四季豆", "豆角"),
    ("三文鱼刺身", "raw_food", "生鱼片", "三文鱼刺身"),
    ("醉虾", "raw_food", "醉虾", "醉虾"),
    ("白切鸡", "cold_meat", "白切鸡", "白切鸡"),
    ("五香酱牛肉", "cold_meat", "酱卤肉", "酱牛肉"),
    ("凉拌鸡丝", "cold_meat", "凉拌肉类", "凉拌鸡丝"),
    ("生日蛋糕", "decorated_cake", "裱花蛋糕", "生日蛋糕"),
    ("野生菌炒肉", "wild_mushroom", "野生蘑菇", "野生菌"),
    ("清炒发芽土豆", "sprouted_potato", "发芽土豆", "发芽土豆"),
])
def test_flagged_with_the_term_that_matched(dish: str, category: str, term: str,
                                            matched: str) -> None:
    [hit] = FOODS.find(dish, categories=(*K12, *HIGH_RISK))
    assert (hit.category, hit.term, hit.matched) == (category, term, matched)


@pytest.mark.parametrize("dish", [
    "红烧黄花鱼", "黄花鱼豆腐煲", "鲜黄花鱼", "生煎包", "四季豆腐汤", "干黄花菜炖肉", "黄花菜干",
    "京酱肉丝", "卤肉饭", "酱肉包", "青菜豆腐汤", "韭菜豆芽", "芹菜豆干", "红烧鸡块", "宫保鸡丁",
    "香菇油菜", "土豆烧牛肉", "醋溜土豆丝", "海绵蛋糕", "鸡蛋糕", "芸豆卷", "生滚鱼片粥", "木须肉",
    "未使用发芽土豆", "肉末蒸蛋",
])
def test_look_alikes_are_not_flagged(dish: str) -> None:
    assert FOODS.find(dish, categories=(*K12, *HIGH_RISK)) == ()


def test_cold_food_is_known_but_not_a_k12_or_high_risk_category() -> None:
    assert FOODS.categories("凉拌黄瓜") == ("cold_food",)
    assert FOODS.find("凉拌黄瓜", categories=(*K12, *HIGH_RISK)) == ()


@pytest.mark.parametrize(("text", "found"), [
    ("亚硝酸盐", True), ("亚硝酸钠（工业用）", True), ("发现亚硝酸盐未专柜存放", True),
    ("未发现亚硝酸盐", False), ("不含亚硝酸盐", False), ("食用盐", False), ("硝酸甘油", False),
])
def test_nitrite_terms(text: str, found: bool) -> None:
    terms = TermList.from_mapping(data("nitrite.toml"))
    assert bool(terms.find(text)) is found


@pytest.mark.parametrize(("item", "category", "expected"), [
    ("猪肉", "肉", ("meat",)), ("五花肉", None, ("meat",)), ("鲜鸡蛋", "禽蛋", ("egg",)),
    ("纯牛奶", None, ("milk",)), ("东北大米", None, ("rice",)), ("小麦粉", "面", ("flour",)),
    ("大豆油", None, ("oil",)), ("时令蔬菜", "蔬菜", ()), ("小米", "杂粮", ()),
    ("玉米", None, ()), ("蛋糕", None, ()), ("豆奶", None, ()), ("肉桂", "香辛料", ()),
    ("散装米", "米", ("rice",)),
])
def test_bulk_categories(item: str, category: str | None, expected: tuple[str, ...]) -> None:
    purchase = FactBuilder().purchase_record(item=item, category=category)
    assert BulkFoods(data("bulk_foods.toml")).categories(purchase) == expected


@pytest.mark.parametrize(("text", "found"), [
    ("辣条", True), ("可乐", True), ("原味薯片", True), ("无糖可乐", False), ("低脂牛奶", False),
    ("矿泉水", False), ("全麦面包", False), ("纯牛奶", False), ("非油炸方便面", True),
])
def test_campus_shop_terms(text: str, found: bool) -> None:
    terms = TermList.from_mapping(data("campus_shop_foods.toml"))
    assert bool(terms.find(text)) is found


def test_extra_terms_extend_a_category_and_add_one() -> None:
    merged = TermList.from_mapping(merge_term_data(data("foods.toml"), {
        "green_beans": {"terms": {"豇豆": ["长豆角"]}},
        "fresh_wood_ear": {"label_zh": "鲜木耳", "terms": ["鲜木耳"]},
    }))
    assert merged.find("清炒长豆角")[0].term == "豇豆"
    assert merged.categories("凉拌鲜木耳") == ("cold_food", "fresh_wood_ear")
    assert merged.find("四季豆腐汤") == ()           # the old exclusions still hold


def test_extra_terms_need_terms() -> None:
    with pytest.raises(ValueError, match="'bad'"):
        merge_term_data(data("foods.toml"), {"bad": {"label_zh": "x"}})


# --------------------------------------------------------------------------- through the rules


def _menu(facts: list[Fact], canteen: str, dishes: tuple[str, ...]) -> list[Fact]:
    """The week with Monday's lunch of ``canteen`` replaced by ``dishes`` (all sampled)."""
    return with_menu(facts, meal_id(canteen, WEEK[0], "lunch"), dishes)


def test_done_when_the_three_dishes_are_flagged_with_their_terms(engine: Engine) -> None:
    facts = _menu(build_week(), PRIMARY, ("米饭", "凉拌鲜黄花菜", "清炒四季豆", "生鱼片"))
    report = run(engine, facts)
    mid = meal_id(PRIMARY, WEEK[0], "lunch")
    daylily = assert_finding(report, "SCHOOL-007", subject=PRIMARY, evidence={
        "meal_service_id": mid, "dish": "凉拌鲜黄花菜", "terms": ["鲜黄花菜"],
        "matched": ["鲜黄花菜"], "categories": ["fresh_daylily"]})
    assert "匹配“鲜黄花菜”" in daylily.message.zh
    assert_finding(report, "SCHOOL-007", subject=PRIMARY, evidence={
        "dish": "清炒四季豆", "matches": [{"category": "green_beans", "term": "四季豆",
                                          "matched": "四季豆"}]})
    raw = assert_finding(report, "SCHOOL-006", subject=PRIMARY, evidence={
        "dish": "生鱼片", "terms": ["生鱼片"], "categories": ["raw_food"]})
    assert "生鱼片" in raw.message.zh and "不得制售" in raw.message.zh
    assert "属于生食类食品" in raw.message.zh  # the category's label, from the term list
    assert {f.rule_id for f in report.findings} == {"SCHOOL-006", "SCHOOL-007"}
    assert len(report.findings) == 3


def test_done_when_the_look_alikes_are_not_flagged(engine: Engine) -> None:
    facts = _menu(build_week(), KINDERGARTEN, ("米饭", "红烧黄花鱼", "生煎包", "四季豆腐汤"))
    report = run(engine, facts)
    for rule_id in ("SCHOOL-006", "SCHOOL-007"):
        assert_no_finding(report, rule_id)
    assert report.findings == ()


def test_the_demo_profile_extension_reaches_the_rule() -> None:
    facts = _menu(build_week(), PRIMARY, ("米饭", "凉拌鲜木耳"))
    assert_no_finding(run(Engine(profile="national"), facts), "SCHOOL-007")
    report = run(Engine(profile="demo"), facts)
    assert_finding(report, "SCHOOL-007", subject=PRIMARY, evidence={
        "dish": "凉拌鲜木耳", "categories": ["fresh_wood_ear"], "terms": ["鲜木耳"]})


def test_date_of_the_menus_is_in_the_week() -> None:
    assert WEEK[0] == dt.date(2023, 5, 15) and WEEK[0].weekday() == 0
