"""Public strategies of single values: dates, division codes, USCCs, Chinese names."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.identifiers import DivisionLevel
from fsrules.model import (
    BusinessType,
    InstitutionType,
)
from fsrules.testing.strategies._common import (
    _LEVELS,
    _check_bounds,
    _check_strategy,
    _date_source,
    _fail,
)
from fsrules.testing.strategies._divisions import _stable_codes
from fsrules.testing.strategies._values import _USCC_CATEGORIES, _name_for, _usccs
from fsrules.testing.strategies._vocab import _PLACES


def dates(min_value: dt.date | None = None,
          max_value: dt.date | None = None) -> SearchStrategy[dt.date]:
    """Dates from ``min_value`` to ``max_value`` (default 2015-01-01 to 2024-12-31).

    The default range is the one every fact strategy uses; it ends with the
    bundled division history. A late ``min_value`` alone (or an early
    ``max_value`` alone) moves the other bound with it.
    """
    lo, hi = _check_bounds("dates()", min_value, max_value, ("min_value", "max_value"))
    return st.dates(lo, hi)


def division_codes(on: dt.date | SearchStrategy[dt.date] | None = None, *,
                   level: DivisionLevel = "county") -> SearchStrategy[str]:
    """GB/T 2260 division codes of ``level`` in use on ``on`` (mainland divisions only).

    ``on`` is a date or a strategy of dates; by default any date in the
    default range of :func:`dates`. ``level`` is ``"county"`` (the default;
    what operators' ``region_code`` holds), ``"prefecture"`` or ``"province"``.
    Validity follows :class:`fsrules.identifiers.DivisionRegistry`: yearly
    granularity, dates outside 1981-2024 answered as of the nearest year.
    """
    where = "division_codes()"
    if level not in _LEVELS:
        raise _fail(where, f"level must be one of {', '.join(_LEVELS)}, got {level!r}")
    days = _date_source(where, "on", on, dates())
    return days.flatmap(lambda day: st.sampled_from(_stable_codes(day, day, level)))


def uscc_codes(region_code: SearchStrategy[str] | None = None) -> SearchStrategy[str]:
    """统一社会信用代码 (GB 32100) that :func:`fsrules.identifiers.validate_uscc` accepts strictly.

    Positions 3-8 (the registering authority) come from ``region_code`` (by
    default :func:`division_codes`); the 组织机构代码 and both check
    characters are computed, so codes carry no warnings.
    """
    regions_ = division_codes() if region_code is None else _check_strategy(
        "uscc_codes()", "region_code", region_code)
    return _usccs(st.sampled_from(_USCC_CATEGORIES), regions_)


def chinese_names(places: SearchStrategy[str] | None = None, *,
                  business_type: SearchStrategy[BusinessType] | None = None,
                  ) -> SearchStrategy[str]:
    """Realistic operator names: place + brand + goods + suffix, e.g. 威县老王家烧饼店.

    ``places`` gives the place names (by default Hebei counties around 威县);
    ``business_type`` shapes the name (a 食堂, a 有限公司, a 摊...) and is
    any business type by default.
    """
    where = "chinese_names()"
    places_ = st.sampled_from(_PLACES) if places is None else _check_strategy(
        where, "places", places)
    types_ = st.sampled_from(BusinessType) if business_type is None else _check_strategy(
        where, "business_type", business_type)
    institutions = st.sampled_from(InstitutionType)
    return st.tuples(types_, places_, institutions).flatmap(lambda t: _name_for(*t))
