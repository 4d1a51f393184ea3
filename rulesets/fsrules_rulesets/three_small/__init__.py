"""The three-small ruleset (三小): food small workshops, small eateries and groceries, vendors.

Every rule judges a 三小 operator under the province regime of the profile in
force (SMALL-SCOPE): the province's numbers and article citations are profile
data (``profiles/<profile>.three-small.toml``), the product catalogue and its
term lists are ``product_categories.toml`` here, and each finding's
``legal_basis`` cites the province's instrument and article first (from the
profile's table, with its confidence), then the Food Safety Law.
Under the ``national`` profile no operator is judged: 食品安全法第三十六条 leaves
the 三小 rules to the provinces.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Ruleset, Text, hookimpl

from .facts import SmallScope, VendorObservation
from .form import online_sales, oversize
from .operations import (
    contract_manufacturing,
    health_certificates,
    product_testing,
    production_records,
    purchase_records,
)
from .products import eatery_products, vendor_products, workshop_products
from .registration import registration
from .scope import small_scope
from .vendors import near_school, outside_zone

__version__ = "1.0.0"

RULESET = Ruleset(
    id="three-small",
    version=__version__,
    title=Text("三小（食品小作坊、小餐饮、食品摊贩）", "Three small: workshops, small eateries, vendors"),
    rules=[small_scope, registration, workshop_products, eatery_products, vendor_products,
           health_certificates, purchase_records, production_records, product_testing,
           contract_manufacturing, outside_zone, near_school, oversize, online_sales],
    data_dir=Path(__file__).parent,
    fact_kinds=[VendorObservation, SmallScope],
    description=Text(
        "按配置文件所属省份（河北、山东、河南、重庆）的三小规定，检查登记备案、禁止生产经营的食品、"
        "从业人员健康证明、进货和生产记录、产品检验、摊贩经营区域和时段、面积上限与网络经营。",
        "Registration and filing, prohibited products, staff health certificates, purchase and "
        "production records, product testing, vendors' zones and time slots, area limits and "
        "online sales, under the 三小 rules of the profile's province (Hebei, Shandong, Henan, "
        "Chongqing).",
    ),
)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the three-small ruleset."""
    register(RULESET)
