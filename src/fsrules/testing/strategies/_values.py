"""Small values: identifiers (USCCs from fsrules.identifiers.make_uscc, licence numbers), ids, names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.dates import add_days
from fsrules.identifiers import make_uscc
from fsrules.identifiers._uscc import USCC_ALPHABET
from fsrules.model import (
    BusinessType,
    InstitutionType,
    LicenceKind,
)
from fsrules.testing.strategies._vocab import (
    _BRANDS,
    _CATERER_SUFFIXES,
    _GIVEN_NAMES,
    _INSTITUTIONS,
    _PRODUCER_GOODS,
    _PRODUCERS,
    _PROVINCE_ABBR,
    _SC_CATEGORIES,
    _SELLER_SUFFIXES,
    _SNACKS,
    _SURNAMES,
    _WORKSHOP_GOODS,
)

# (登记管理部门, 机构类别): 9 工商 1 企业 / 2 个体工商户 / 3 农民专业合作社; 1 机构编制
# 2 事业单位; 5 民政 2 民办非企业单位; N 农业 2 农村集体经济组织.
_USCC_CATEGORIES = (("9", "1"), ("9", "2"), ("9", "3"), ("1", "2"), ("5", "2"), ("N", "2"))

_ORG_BODIES = st.one_of(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=USCC_ALPHABET, min_size=6, max_size=6).map(lambda s: "MA" + s),
)


def _assemble_uscc(category: tuple[str, str], region: str, body: str) -> str:
    return make_uscc(body, region_code=region, department=category[0], category=category[1])


def _usccs(categories: SearchStrategy[tuple[str, str]],
           regions: SearchStrategy[str]) -> SearchStrategy[str]:
    return st.builds(_assemble_uscc, categories, regions, _ORG_BODIES)


def _licence_numbers(kind: LicenceKind, region: str, year: int) -> SearchStrategy[str]:
    """A number in the national layout for JY/SC/YB, a provincial-style one otherwise."""
    region = region[:6]  # an NBS township code carries its county first
    seq6 = st.integers(1, 999_999).map(lambda n: f"{n:06d}")
    check = st.integers(0, 9).map(str)
    if kind is LicenceKind.BUSINESS or kind is LicenceKind.FILING:
        prefix = "JY" if kind is LicenceKind.BUSINESS else "YB"
        return st.builds(lambda t, s, c: f"{prefix}{t}{region}{s}{c}",
                         st.sampled_from("123"), seq6, check)
    if kind is LicenceKind.PRODUCTION:
        return st.builds(lambda cat, s, c: f"SC{cat}{region}{s:04d}{c}",
                         st.sampled_from(_SC_CATEGORIES), st.integers(1, 9999), check)
    abbr = _PROVINCE_ABBR.get(region[:2], "")
    mark = {LicenceKind.WORKSHOP_REGISTRATION: "食坊登", LicenceKind.EATERY_REGISTRATION: "食餐登",
            LicenceKind.VENDOR_FILING: "食摊备"}.get(kind, "食登")
    return st.integers(1, 99_999).map(lambda n: f"{abbr}{mark}{region}{year}{n:05d}")


# --------------------------------------------------------------------------- small values


def _ids(prefix: str) -> SearchStrategy[str]:
    return st.integers(1, 999_999).map(lambda n: f"{prefix}{n:06d}")


def _person_names() -> SearchStrategy[str]:
    return st.builds(lambda s, g: s + g, st.sampled_from(_SURNAMES), st.sampled_from(_GIVEN_NAMES))


def _word_lists(pool: Sequence[str], *, min_size: int = 0,
                max_size: int = 3) -> SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size,
                    unique=True).map(tuple)


def _dates_between(start: dt.date, end: dt.date) -> SearchStrategy[dt.date]:
    # An override may push a start past the range: keep the fact valid, at the start.
    return st.dates(start, end) if start <= end else st.just(start)


def _plus(day: dt.date, days: int) -> dt.date:
    return add_days(day, days, clamp=True)


def _name_for(business_type: BusinessType, place: str,
              institution: InstitutionType | None) -> SearchStrategy[str]:
    brand = st.sampled_from(_BRANDS)
    where = st.sampled_from(("", place))
    if business_type is BusinessType.UNIT_CANTEEN:
        names = _INSTITUTIONS.get(institution or InstitutionType.OTHER, ("人民医院",))
        return st.sampled_from(names).map(lambda n: f"{place}{n}食堂")
    parts: tuple[SearchStrategy[str], ...]
    if business_type in _PRODUCERS:
        parts = (st.just(place), brand, st.sampled_from(_PRODUCER_GOODS), st.just("有限公司"))
    elif business_type is BusinessType.SELLER:
        parts = (where, brand, st.sampled_from(_SELLER_SUFFIXES))
    elif business_type is BusinessType.CATERER:
        parts = (where, brand, st.sampled_from(_SNACKS), st.sampled_from(_CATERER_SUFFIXES))
    elif business_type is BusinessType.CENTRAL_KITCHEN:
        parts = (st.just(place), brand, st.just("中央厨房"))
    elif business_type is BusinessType.MEAL_DELIVERY:
        parts = (st.just(place), brand, st.just("餐饮配送有限公司"))
    elif business_type is BusinessType.SMALL_WORKSHOP:
        parts = (where, brand, st.sampled_from(_WORKSHOP_GOODS), st.just("坊"))
    elif business_type is BusinessType.SMALL_EATERY:
        parts = (where, brand, st.sampled_from(_SNACKS), st.just("店"))
    elif business_type is BusinessType.SMALL_GROCERY:
        parts = (where, brand, st.sampled_from(("食杂店", "便民店", "小卖部")))
    elif business_type is BusinessType.FOOD_VENDOR:
        parts = (brand, st.sampled_from(_SNACKS), st.just("摊"))
    else:  # banquet undertakers: a rural cook's team
        parts = (where, _person_names(), st.sampled_from(("乡村厨师团队", "宴席服务队")))
    return st.tuples(*parts).map("".join)
