"""Legal instruments the built-in rulesets cite.

The national instruments are public in :mod:`fsrules.instruments` (plugins
import them from there); they are re-exported here for the rulesets' old
imports. The demo county's plan is the built-in rulesets' own.
"""

from __future__ import annotations

import datetime as dt

from fsrules import LegalBasis
from fsrules.instruments import (
    DEMO_CITY_RULES,
    FOOD_SAFETY_LAW,
    IMPLEMENTING_REGULATIONS,
    INCIDENT_PLAN,
    ORDER_49,
    article,
)

__all__ = [
    "DEMO_CITY_RULES",
    "FOOD_SAFETY_LAW",
    "IMPLEMENTING_REGULATIONS",
    "INCIDENT_PLAN",
    "ORDER_49",
    "WEIXIAN_PLAN",
    "article",
]

WEIXIAN_PLAN = LegalBasis(
    instrument="《威县创建国家食品安全示范城市工作实施方案》",
    instrument_en="Wei County plan for the national food-safety demonstration city (2023)",
    version_date=dt.date(2023, 1, 19),
    jurisdiction="130533",
    confidence="V",
    note="已核对方案原文 / checked against the text of the plan",
)
