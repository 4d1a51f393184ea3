"""SMALL-SCOPE: which 三小 operators the profile in force judges, and under which regime.

食品安全法第三十六条第三款 leaves the rules for small workshops and vendors to
the provinces, so every three-small rule judges an operator under the
regime of the profile in force for the run: a province profile sets
``regime`` and the business types its regulation ``covered`` (Chongqing's
regulation, for one, has no 小餐饮). Operators outside the profile's
jurisdiction (its ``[profile] jurisdiction``, a division-code prefix) never
reach the rule: the plan leaves them out of ``ctx.facts`` (issue 12).

The ``national`` profile covers no business type: there is no national 三小
regime to judge by, so under ``national`` the ruleset produces no finding.
Choose the province's profile (``hebei``, ``shandong``, ``henan``,
``chongqing``) or a county profile extending one.
"""

from __future__ import annotations

from collections.abc import Iterator

from fsrules import Confidence, Param, RuleContext, RuleKind, Text, rule
from fsrules.model import BusinessType, Operator

from .basis import FSL_ART_36, ORDER_49_ART_54
from .facts import SmallScope

V = Confidence.VERIFIED


@rule(
    id="SMALL-SCOPE",
    version="1.0",
    kind=RuleKind.INFERENCE,
    title=("三小适用范围（按配置文件的省级规定）", "Three-small scope under the profile's province"),
    severity="info",
    reads=[Operator],
    produces=[SmallScope],
    legal_basis=[FSL_ART_36, ORDER_49_ART_54],
    parameters=[
        Param(name="regime", type="str", confidence=V,
              description=Text("适用的省级三小规定（配置文件名）",
                               "the province regime applied (its profile name)")),
        Param(name="covered", type="list", confidence=V,
              description=Text("该省规定覆盖的业态", "business types the province's regulation covers")),
    ],
    message=("{operator} 按 {regime} 规定判断", "{operator} judged under {regime}"),
    description=(
        "每个三小经营者按本次运行配置文件所属省份的规定判断：只判断区划代码以该省前缀开头、业态在该省条例"
        "覆盖范围内的经营者。全国默认配置（national）不覆盖任何业态——食品安全法第三十六条把三小的具体管理"
        "办法交给省级制定，没有全国统一的三小规定可依。",
        "Each 三小 operator is judged under the province regime of the profile in force: only "
        "operators whose division code starts with the province's prefix and whose business "
        "type the province's regulation covers. The national profile covers none: Food Safety "
        "Law Art. 36 leaves the rules for 三小 to the provinces.",
    ),
)
def small_scope(ctx: RuleContext) -> Iterator[SmallScope]:
    """One scope record per covered 三小 operator inside the profile's jurisdiction."""
    covered = {BusinessType.parse(t) for t in ctx.param("covered")}
    if not covered:
        return
    regime = ctx.param("regime")
    # Operators outside the profile's jurisdiction never reach this rule (ctx.facts).
    prefix = ctx.jurisdiction or ""
    for op in ctx.facts.of_kind(Operator):
        if op.business_type in covered and op.business_type.is_three_small:
            yield SmallScope(id=op.id, operator_id=op.id, region_code=op.region_code,
                             business_type=op.business_type, regime=regime, jurisdiction=prefix)
