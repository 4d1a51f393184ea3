"""SMALL-501/502: size and form — when a 三小 is no longer one, and online takeaway.

A 小餐饮 is defined by its area (Shandong Art. 2: under 50 m²; Hebei: 50 m²
or less, C) and Hebei's 小食杂店 by 30 m² (C): larger, it needs a food
business licence instead of the 三小 registration. Hebei's 2026 revision
(C) lets a 三小 sell takeaway online only with a physical shop and a
registration certificate.
"""

from __future__ import annotations

from collections.abc import Iterator

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.model import BusinessType, Licence, Operator, VendorRegistration

from .._numbers import exact
from .basis import FSL_ART_35, FSL_ART_36
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    certificates,
    joined,
    kinds_en,
    kinds_zh,
    licences_valid_on,
    scoped,
)
from .facts import SmallScope
from .tables import AreaLimit, BusinessTable, OnlineDuty, read_table

C = Confidence.CORROBORATED


@rule(
    id="SMALL-501",
    version="1.0",
    grain="operator",
    identity=("max_m2",),
    title=("超过三小面积上限的经营者未取得食品经营许可",
           "三小 above its category's area limit without a food business licence"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, Licence, VendorRegistration],
    legal_basis=[FSL_ART_35, FSL_ART_36],
    parameters=[
        Param(name="area_limits", type="table", structure=BusinessTable(AreaLimit), confidence=C,
              description=Text("各业态的面积上限（平方米）、上限本身是否仍属该业态、超限后须持有的许可及依据",
                               "per business type: area limit (m²), whether the limit itself is "
                               "still within the category, the licences needed beyond it, and "
                               "the basis")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    message=(
        "{subject}：登记为{business_type_zh}，经营面积 {area_m2} 平方米，超过{business_type_zh}的上限"
        "（{limit_text}），应取得{licence_kinds_zh}，评价日没有有效许可。依据：{basis_citation}（可信度 "
        "{basis_confidence}）。",
        "{subject}: registered as {business_type} with {area_m2} m², beyond the category's "
        "limit ({limit_text_en}); it needs a {licence_kinds_en} and holds none valid on the "
        "evaluation date. Basis: {basis_citation_en} (confidence {basis_confidence}).",
    ),
    description=(
        "面积与上限按书写的数值精确比较。山东“不足五十平方米”：恰为50平方米已不是小餐饮；河北“50平方米以下”"
        "（含50）：恰为50平方米仍是小餐饮，小食杂店同理按30平方米（含）。持有表中 licence_kinds 所列的有效"
        "许可即不报告。",
        "Area and limit are compared exactly as written. Shandong's 'under 50 m²': exactly 50 m² "
        "is no longer a 小餐饮; Hebei's '50 m² or less': exactly 50 m² still is, and a 小食杂店 "
        "likewise up to 30 m² inclusive. Holding a valid licence of the listed kinds clears it.",
    ),
)
def oversize(ctx: RuleContext) -> Iterator[object]:
    """三小 larger than their category allows, without the licence that replaces it."""
    limits = read_table(ctx, "area_limits", AreaLimit)
    if not limits:
        return
    for item in scoped(ctx, limits):
        op = item.operator
        area = op.business_area_m2
        if area is None or not op.active_on(ctx.as_of):
            continue
        limit = limits[op.business_type]
        beyond = (exact(area) > exact(limit.max_m2) if limit.limit_inclusive
                  else exact(area) >= exact(limit.max_m2))
        if not beyond:
            continue
        certs = certificates(ctx, op.id)
        if licences_valid_on(certs, limit.licence_kinds, ctx.as_of):
            continue
        held = [c.label for c in certs if c.valid_on(ctx.as_of)]
        mark = "≤" if limit.limit_inclusive else "<"
        yield ctx.finding(
            legal_basis=[limit.basis],
            subject=op, facts=[item.scope, op],
            evidence={"business_type": op.business_type.value,
                      "business_type_zh": op.business_type.zh, "area_m2": area,
                      "max_m2": limit.max_m2, "limit_inclusive": limit.limit_inclusive,
                      "limit_text": f"{mark} {limit.max_m2:g} 平方米",
                      "limit_text_en": f"{mark} {limit.max_m2:g} m²",
                      "licence_kinds": [k.value for k in limit.licence_kinds],
                      "licence_kinds_zh": kinds_zh(limit.licence_kinds),
                      "licence_kinds_en": kinds_en(limit.licence_kinds),
                      "certificates_held": held, "regime": item.scope.regime},
            trigger=("max_m2",),
        )


@rule(
    id="SMALL-502",
    version="1.0",
    grain="operator",
    identity=("problems",),
    title=("三小网络经营不具备实体门店或登记证",
           "三小 selling online without a physical shop or registration"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, Licence, VendorRegistration],
    legal_basis=[FSL_ART_36],
    parameters=[
        Param(name="online", type="table", structure=BusinessTable(OnlineDuty), confidence=C,
              description=Text("网络经营须具备的条件（实体门店、证照种类）及依据",
                               "what selling online requires (a physical shop, certificate "
                               "kinds), and the basis")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    message=(
        "{subject}（{business_type_zh}）从事网络经营，但{problems_zh}。依据：{basis_citation}（可信度 "
        "{basis_confidence}）。",
        "{subject} ({business_type}) sells online but {problems_en}. Basis: {basis_citation_en} "
        "(confidence {basis_confidence}).",
    ),
    description=(
        "河北修订条例（2026年公布，C，施行日期和条号未核实）：三小从事网络外卖须有实体门店并取得登记证。"
        "摊贩按定义没有固定门店（未记录时视为没有）。其他省份的配置文件未设置该表时不判断。",
        "Hebei's revision (published 2026, C; effective date and article not verified): a 三小 "
        "selling takeaway online needs a physical shop and a registration certificate. Vendors "
        "have no fixed shop by definition (taken as none when not recorded). Provinces whose "
        "profile leaves the table empty are not judged.",
    ),
)
def online_sales(ctx: RuleContext) -> Iterator[object]:
    """三小 selling online without the shop or the certificate the province requires."""
    duties = read_table(ctx, "online", OnlineDuty)
    if not duties:
        return
    for item in scoped(ctx, duties):
        op = item.operator
        if not op.sells_online or not op.active_on(ctx.as_of):
            continue
        duty = duties[op.business_type]
        problems: list[str] = []
        shop = op.has_physical_shop
        if shop is None and op.business_type is BusinessType.FOOD_VENDOR:
            shop = False  # 无固定门店 is what makes a vendor (Shandong Art. 2, Henan Art. 3)
        if duty.require_shop and shop is False:
            problems.append("no_physical_shop")
        certs = certificates(ctx, op.id)
        if not licences_valid_on(certs, duty.certificate_kinds, ctx.as_of):
            problems.append("no_registration")
        if not problems:
            continue
        zh = {"no_physical_shop": "没有实体门店",
              "no_registration": f"没有有效的{kinds_zh(duty.certificate_kinds)}"}
        en = {"no_physical_shop": "has no physical shop",
              "no_registration": f"holds no valid {kinds_en(duty.certificate_kinds)}"}
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[item.scope, op],
            evidence={"business_type": op.business_type.value,
                      "business_type_zh": op.business_type.zh, "problems": problems,
                      "problems_zh": "、".join(zh[p] for p in problems),
                      "problems_en": " and ".join(en[p] for p in problems),
                      "has_physical_shop": op.has_physical_shop,
                      "certificate_kinds": [k.value for k in duty.certificate_kinds],
                      "certificates_held": joined(c.label for c in certs
                                                  if c.valid_on(ctx.as_of)),
                      "regime": item.scope.regime},
            trigger=("problems",),
        )
