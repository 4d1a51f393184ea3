"""The scoring table's precomputed lookups (risk/scoring.py) equal the linear definitions.

Options are looked up by spelling through an index built once per table; the
first option (in table order) naming a spelling wins, as a scan of the
options in order did. Category names and factor keys are worked out once.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules_rulesets.risk.scoring import Category, Factor, Option, norm

NAMES = st.sampled_from(["提取物", "提 取 物", "ＥＸＴＲＡＣＴ", "extract", "普通", "plain", "其他",
                         "Other", "other "])


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(options=st.lists(st.tuples(NAMES, NAMES, st.lists(NAMES, max_size=2),
                                  st.integers(0, 20)), min_size=1, max_size=5),
       raw=NAMES)
def test_option_lookup_equals_first_match_in_order(
        options: list[tuple[str, str, list[str], int]], raw: str) -> None:
    built = tuple(Option(code=c, zh=z, points=Fraction(p), aliases=tuple(a))
                  for c, z, a, p in options)
    factor = Factor(code="f", title_zh="因素", title_en="factor", options=built)
    first = next((o for o in built
                  if norm(raw) in {norm(n) for n in (o.code, o.zh, *o.aliases)}), None)
    assert factor.score(raw, round_numbers=False) == (
        None if first is None else (first.points, first.zh))
    for option in built:
        assert option.names() == {norm(n) for n in (option.code, option.zh, *option.aliases)}


def test_category_names_and_factor_keys() -> None:
    factor = Factor(code="Area", title_zh="经营 面积", title_en="Business area",
                    bands=())
    category = Category(code="Seller", title_zh="食品 销售", title_en="Food Seller",
                        confidence="C", note="", business_types=frozenset({"seller"}),
                        factors=(factor,))
    assert category.names() == {"seller", "食品销售", "foodseller"}
    assert factor.keys("Seller") == ("seller.area", "area", "经营面积", "businessarea")
    assert category._factor_keys == (factor.keys("Seller"),)
    # The caches take no part in equality.
    assert category == Category(code="Seller", title_zh="食品 销售", title_en="Food Seller",
                                confidence="C", note="",
                                business_types=frozenset({"seller"}), factors=(factor,))
