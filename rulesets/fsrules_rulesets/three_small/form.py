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
from fsrules.evidence import evidence
from fsrules.model import BusinessType, Licence, LicenceKind, Operator, VendorRegistration

from .._numbers import exact
from .basis import FSL_ART_35, FSL_ART_36
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    certificates,
    kinds_en,
    kinds_zh,
    licences_valid_on,
    scoped,
)
from .facts import SmallScope
from .in_force import IN_FORCE_DATES
from .tables import AreaLimit, BusinessTable, OnlineDuty, read_table

C = Confidence.CORROBORATED


@evidence
class OversizeEvidence:
    """SMALL-501: a 三小 larger than its category allows, without the licence beyond it."""

    business_type: BusinessType
    area_m2: float
    max_m2: float
    limit_inclusive: bool
    licence_kinds: tuple[LicenceKind, ...]
    certificates_held: tuple[str, ...]
    regime: str

    @property
    def limit(self) -> Text:
        """``≤ 50 平方米`` / ``≤ 50 m²``."""
        mark = "≤" if self.limit_inclusive else "<"
        return Text(f"{mark} {self.max_m2:g} 平方米", f"{mark} {self.max_m2:g} m²")

    @property
    def licences(self) -> Text:
        """The licences that replace the 三小 registration beyond the limit."""
        return Text(kinds_zh(self.licence_kinds), kinds_en(self.licence_kinds))


#: SMALL-502's problems, in words.
_ONLINE_PROBLEMS = {"no_physical_shop": ("没有实体门店", "has no physical shop")}


@evidence
class OnlineEvidence:
    """SMALL-502: what a 三小 selling online lacks (``problems``: codes)."""

    business_type: BusinessType
    problems: tuple[str, ...]
    has_physical_shop: bool | None
    certificate_kinds: tuple[LicenceKind, ...]
    certificates_held: tuple[str, ...]
    regime: str

    @property
    def lacking(self) -> Text:
        """``没有实体门店、没有有效的小餐饮登记证`` / ``has no physical shop and holds …``."""
        zh = {**{k: v[0] for k, v in _ONLINE_PROBLEMS.items()},
              "no_registration": f"没有有效的{kinds_zh(self.certificate_kinds)}"}
        en = {**{k: v[1] for k, v in _ONLINE_PROBLEMS.items()},
              "no_registration": f"holds no valid {kinds_en(self.certificate_kinds)}"}
        return Text("、".join(zh[p] for p in self.problems),
                    " and ".join(en[p] for p in self.problems))


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
        IN_FORCE_DATES,
        Param(name="area_limits", type="table", structure=BusinessTable(AreaLimit), confidence=C,
              description=Text("各业态的面积上限（平方米）、上限本身是否仍属该业态、超限后须持有的许可及依据",
                               "per business type: area limit (m²), whether the limit itself is "
                               "still within the category, the licences needed beyond it, and "
                               "the basis")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=OversizeEvidence,
    message=(
        "{subject}：登记为{business_type}，经营面积 {area_m2} 平方米，超过{business_type}的上限"
        "（{limit}），应取得{licences}，评价日没有有效许可。依据：{basis}（可信度 "
        "{basis_confidence}）。",
        "{subject}: registered as {business_type} with {area_m2} m², beyond the category's "
        "limit ({limit}); it needs a {licences} and holds none valid on the "
        "evaluation date. Basis: {basis} (confidence {basis_confidence}).",
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
        yield ctx.finding(
            legal_basis=[limit.basis],
            subject=op, facts=[item.scope, op],
            evidence=OversizeEvidence(
                business_type=op.business_type, area_m2=area, max_m2=limit.max_m2,
                limit_inclusive=limit.limit_inclusive, licence_kinds=limit.licence_kinds,
                certificates_held=tuple(c.fact.id for c in certs if c.valid_on(ctx.as_of)),
                regime=item.scope.regime),
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
        IN_FORCE_DATES,
        Param(name="online", type="table", structure=BusinessTable(OnlineDuty), confidence=C,
              description=Text("网络经营须具备的条件（实体门店、证照种类）及依据",
                               "what selling online requires (a physical shop, certificate "
                               "kinds), and the basis")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=OnlineEvidence,
    message=(
        "{subject}（{business_type}）从事网络经营，但{lacking}。依据：{basis}（可信度 "
        "{basis_confidence}）。",
        "{subject} ({business_type}) sells online but {lacking}. Basis: {basis} "
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
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[item.scope, op],
            evidence=OnlineEvidence(
                business_type=op.business_type, problems=tuple(problems),
                has_physical_shop=op.has_physical_shop,
                certificate_kinds=duty.certificate_kinds,
                certificates_held=tuple(c.fact.id for c in certs if c.valid_on(ctx.as_of)),
                regime=item.scope.regime),
            trigger=("problems",),
        )
