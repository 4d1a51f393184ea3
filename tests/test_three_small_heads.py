"""Being the product, not containing its name (issue 10, defect 4).

Shandong Art. 19 bans workshops from producing 酱油; 酱油瓜子 are melon seeds
flavoured with it. Product names are matched by their head noun for the
categories named by what the product is (酱油, 醋, 酒, 乳制品, 饮料...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fsrules import Engine, Fact, Report
from fsrules.matching import TermList
from fsrules.testing import FactBuilder
from fsrules_rulesets.three_small import RULESET
from fsrules_rulesets.three_small.facts import VendorObservation
from fsrules_rulesets.three_small.heads import HeadRule

AS_OF = dt.date(2023, 12, 31)
REGION = {"shandong": "370102", "henan": "410102", "chongqing": "500103", "hebei": "130533"}


def _catalogue() -> dict[str, Any]:
    import tomllib

    assert RULESET.data_dir is not None
    return tomllib.loads((RULESET.data_dir / "product_categories.toml").read_text("utf-8"))


def _run(profile: str, facts: list[Fact], as_of: dt.date = AS_OF) -> Report:
    return Engine(profile=profile).evaluate(facts, as_of=as_of, rulesets=["three-small"])


def _categories(report: Report, rule_id: str) -> list[str]:
    return sorted(f.evidence["category"] for f in report.findings if f.rule_id == rule_id)


def _workshop(profile: str, *products: str | tuple[str, str]) -> list[Fact]:
    build = FactBuilder(region_code=REGION[profile])
    facts: list[Fact] = [build.operator("ws", business_type="small_workshop",
                                        opened_on="2019-01-01")]
    for i, product in enumerate(products):
        name, code = product if isinstance(product, tuple) else (product, None)
        facts.append(build.production_record(f"p{i}", operator_id="ws", product_name=name,
                                             produced_on="2023-06-01", food_category_code=code))
    return facts


@pytest.mark.parametrize("product", ["酱油瓜子", "酱油味瓜子", "老抽红烧肉", "生抽炒饭"])
def test_a_flavour_word_is_not_the_product(product: str) -> None:
    assert _categories(_run("shandong", _workshop("shandong", product)), "SMALL-201") == []


@pytest.mark.parametrize("product", ["酱油", "酿造酱油", "特级酿造酱油", "酱油500ml", "酱油（散装）",
                                     "生抽", "老抽"])
def test_the_product_itself_still_fires(product: str) -> None:
    assert _categories(_run("shandong", _workshop("shandong", product)),
                       "SMALL-201") == ["soy_sauce"]


@pytest.mark.parametrize(("product", "expected"), [
    # siblings in the other categories named by what the product is
    ("黄油饼干", []), ("牛奶饼干", []), ("酸奶溶豆", []), ("黄酒酱鸭", []), ("白酒炖鸡", []),
    ("陈醋花生", []), ("果酒冰棍", ["frozen_drinks"]), ("巧克力", []),
    # the products themselves
    ("原味酸奶", ["dairy"]), ("纯牛奶250ml", ["dairy"]), ("山西老陈醋（3.5度）", ["vinegar"]),
    ("白酒52度", ["alcohol"]), ("高粱酒 500ml×12", ["alcohol"]), ("黄桃罐头", ["canned"]),
    ("酱油、醋", ["soy_sauce", "vinegar"]), ("酱油醋", ["vinegar"]),
    ("橙汁饮料", ["beverages"]),
])
def test_shandong_workshop_siblings(product: str, expected: list[str]) -> None:
    assert _categories(_run("shandong", _workshop("shandong", product)), "SMALL-201") == expected


def test_henan_dairy_flavour_is_not_dairy() -> None:
    report = _run("henan", _workshop("henan", "酸奶味饼干", "奶粉"))
    assert _categories(report, "SMALL-201") == ["dairy"]
    [f] = [f for f in report.findings if f.rule_id == "SMALL-201"]
    assert f.evidence["products"] == ["奶粉"]


def test_the_category_code_says_what_the_product_is() -> None:
    """SC 12 (炒货) is not 酱油 (SC 0301): the code overrules the name's word."""
    report = _run("shandong", _workshop("shandong", ("酱油瓜子", "1201"), ("特制酱油", "0301")))
    [f] = [f for f in report.findings if f.rule_id == "SMALL-201"]
    assert f.evidence["category"] == "soy_sauce"
    assert f.evidence["products"] == ["特制酱油"]
    assert _categories(_run("shandong", _workshop("shandong", ("酱油", "1201"))),
                       "SMALL-201") == []


def test_vendor_bulk_oil_is_not_a_fried_dough_stick() -> None:
    build = FactBuilder(region_code="370102")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2019-01-01")
    seen = [VendorObservation(id=f"o{i}", operator_id="v", products=(p,),
                              observed_at=dt.datetime(2023, 7, 1, 8, 0))
            for i, p in enumerate(["散装油条", "散装酱油瓜子"])]
    assert _categories(_run("shandong", [vendor, *seen]), "SMALL-203") == []
    seen.append(VendorObservation(id="o9", operator_id="v", products=("散装花生油",),
                                  observed_at=dt.datetime(2023, 7, 2, 8, 0)))
    assert _categories(_run("shandong", [vendor, *seen]), "SMALL-203") == ["bulk_oil"]


def test_descriptor_categories_still_match_anywhere() -> None:
    """速冻水饺 is quick-frozen food; 液态法白酒 is named by its method."""
    catalogue = _catalogue()
    heads = HeadRule.from_catalogue(catalogue)
    assert "quick_frozen" not in heads.categories
    assert "baijiu_non_traditional" not in heads.categories
    assert "soy_sauce" in heads.categories and "dairy" in heads.categories
    terms = TermList.from_mapping({c: catalogue["category"][c]
                                   for c in ("quick_frozen", "soy_sauce")})
    found = heads.products("速冻水饺", terms.find("速冻水饺"))
    assert [m.category for m in found] == ["quick_frozen"]
    assert heads.products("酱油瓜子", terms.find("酱油瓜子")) == []


def test_existing_look_alike_exclusions_still_hold() -> None:
    facts = _workshop("shandong", "果冻橙", "料酒", "汽水馍", "醋溜白菜", "牛奶馒头")
    assert _categories(_run("shandong", facts), "SMALL-201") == []


def test_unknown_match_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown match kind"):
        HeadRule.from_catalogue({"category": {"x": {"match": "tail", "terms": ["x"]}}})
