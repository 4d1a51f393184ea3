"""The scoring table's precomputed lookups (risk/scoring.py) equal the linear definitions.

Options are looked up by spelling through an index built once per table; the
first option (in table order) naming a spelling wins, as a scan of the
options in order did. Category names and factor keys are worked out once.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules_rulesets.risk.facts import RiskFactor
from fsrules_rulesets.risk.scoring import (
    Band,
    Category,
    Factor,
    Option,
    Scorer,
    ScoringTable,
    latest_factors,
    norm,
    show,
)

from .test_risk_support import operator

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


AREA = Factor(code="area", title_zh="经营面积", title_en="business area", unit="m²",
              operator_field="business_area_m2",
              bands=(Band(max=Fraction(200), points=Fraction(1)),
                     Band(max=None, points=Fraction(5, 2))))
KIND = Factor(code="kind", title_zh="品种", title_en="kind",
              options=(Option(code="extract", zh="提取物", points=Fraction(13)),
                       Option(code="plain", zh="普通", points=Fraction(1, 2))))
SELLER = Category(code="seller", title_zh="食品销售", title_en="food seller", confidence="C",
                  note="", business_types=frozenset({"seller"}), factors=(AREA, KIND),
                  round_numbers=True)
TABLE = ScoringTable(title_zh="表", title_en="table", source="test", categories=(SELLER,))
RAWS = st.sampled_from([None, 1, 1.0, True, 200, 200.4, 200.5, "200", "提取物", "extract",
                        "普通", "unknown", -3])


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(cases=st.lists(st.tuples(st.none() | st.floats(0, 400) | st.integers(0, 400),
                                st.none() | RAWS, st.none() | RAWS), min_size=1, max_size=12))
def test_scorer_equals_scoring_each_operator(
        cases: list[tuple[float | int | None, object, object]]) -> None:
    """The Scorer remembers scores by their inputs; every operator still gets exactly the
    score (and explanation) that scoring it alone gives, whatever the order."""
    scorer = Scorer(TABLE, Fraction(40))
    for k, (area, recorded_area, recorded_kind) in enumerate(cases):
        op = operator(f"op{k}", business_area_m2=area)
        records = [RiskFactor(id=f"f{k}-{name}", operator_id=op.id, factor=name,
                              value=str(value), recorded_on=dt.date(2023, 1, 1))
                   for name, value in (("area", recorded_area), ("kind", recorded_kind))
                   if value is not None]
        latest = latest_factors(records)
        expected = TABLE.score(SELLER, op, latest, Fraction(40))
        got = scorer.score(SELLER, op, latest)
        assert got == expected
        assert [type(p) for _, _, p, _ in got.parts] == [Fraction] * 2
        assert scorer.explain(got, "zh") == expected.explain("zh")
        assert scorer.explain(got, "en") == expected.explain("en")
        assert scorer.part_codes(got) == expected.part_codes()
        assert scorer.shown(got) == show(expected.total)
        assert type(scorer.shown(got)) is type(show(expected.total))


def test_scorer_keeps_equal_but_different_values_apart() -> None:
    """1, 1.0 and True are equal dict keys; as operator values they score differently."""
    scorer = Scorer(TABLE, Fraction(40))
    shown = []
    for k, area in enumerate([1, 1.0, True, 201]):
        op = attrs.evolve(operator(f"op{k}"), business_area_m2=area)
        score = scorer.score(SELLER, op, {})
        assert score == TABLE.score(SELLER, op, {}, Fraction(40))
        shown.append(score.parts[0][1:])
    assert shown[0] == shown[1] == ("1m²", Fraction(1), "operator")
    assert shown[2] == ("True", Fraction(0), "not_understood")
    assert shown[3] == ("201m²", Fraction(5, 2), "operator")


def _oracle_band_score(factor: Factor, raw: object, round_numbers: bool
                       ) -> tuple[Fraction, str] | None:
    """The fraction-only band scoring (the implementation before decimal bounds)."""
    import math
    from decimal import Decimal, InvalidOperation

    number: Fraction | None
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, int | float):
        number = Fraction(Decimal(repr(raw))) if isinstance(raw, float) else Fraction(raw)
    else:
        try:
            number = Fraction(Decimal(str(raw).replace(",", "").replace("，", "").strip()))
        except (InvalidOperation, ValueError):
            number = None
    if number is None or number < 0:
        return None
    if round_numbers:
        number = Fraction(math.floor(number + Fraction(1, 2)))
    for band in factor.bands:
        if band.max is None or number <= band.max:
            return band.points, f"{show(number)}{factor.unit}"
    return None


def _answer(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except (OverflowError, ValueError) as exc:
        return type(exc)


BOUNDS = st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(1, 3), Fraction(150),
                          Fraction(2001, 10), Fraction(500), Fraction(10**70 + 1, 10)])
RAW = (st.floats(min_value=-10, max_value=1e6) | st.floats()
       | st.sampled_from([149.5, 150.5, 200.05, 0.5, 1e-9])
       | st.integers(-5, 10**6) | st.booleans()
       | st.sampled_from(["200.5", "1,000", "１５０", " 149.5 ", "abc", "", "inf", "nan",
                          "-0", "1e3", "1_000", "0.49999999999999999999", "150.0"]))


@settings(max_examples=400, derandomize=True, deadline=None, database=None)
@given(bounds=st.lists(BOUNDS, max_size=4, unique=True), raw=RAW, round_numbers=st.booleans())
def test_band_scores_equal_fraction_arithmetic(bounds: list[Fraction], raw: object,
                                               round_numbers: bool) -> None:
    """Decimal bounds (when every bound is a short decimal) score exactly like fractions."""
    bands = tuple(Band(max=b, points=Fraction(k + 1)) for k, b in enumerate(sorted(bounds)))
    factor = Factor(code="area", title_zh="面积", title_en="area", unit="m²",
                    bands=(*bands, Band(max=None, points=Fraction(9))))
    expected = _answer(lambda: _oracle_band_score(factor, raw, round_numbers))
    got = _answer(lambda: factor.score(raw, round_numbers=round_numbers))
    assert got == expected
    if isinstance(got, tuple):
        assert type(got[0]) is Fraction
