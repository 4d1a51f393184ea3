"""Legal instruments the demonstration-city rules cite besides the shared ones (``_basis``).

Articles were checked in shared/domain/texts/ where the text is there (V);
instruments whose text is not there are cited with ``article=None`` and a
note that the article number was not verified.
"""

from __future__ import annotations

import attrs

from fsrules import LegalBasis

from .._basis import DEMO_CITY_RULES, IMPLEMENTING_REGULATIONS, WEIXIAN_PLAN, article
from .._basis import ORDER_49 as INSPECTION_MEASURES
from .vocabulary import vocabulary

__all__ = [
    "IMPLEMENTING_REGULATIONS",
    "INSPECTION_MEASURES",
    "PENALTY_PROCEDURE",
    "SAMPLING_MEASURES",
    "plan_basis",
]



SAMPLING_MEASURES = LegalBasis(
    instrument="《食品安全抽样检验管理办法》",
    instrument_en="Measures for Food Safety Sampling and Testing (SAMR Order No. 15, amended)",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：核查处置时限常引作第四十五条，条号和90日时限均未核实 / full text not read: "
         "the disposal time limit is usually cited as Art. 45; neither the article nor the "
         "90 days was verified (confidence M)",
)

PENALTY_PROCEDURE = LegalBasis(
    instrument="《市场监督管理行政处罚程序规定》",
    instrument_en="Provisions on Administrative Penalty Procedures of Market Regulation",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：立案和办案时限的条号未核实 / full text not read: the articles setting the "
         "filing and handling time limits were not verified",
)


_RULES_ITEM_UNKNOWN = attrs.evolve(
    DEMO_CITY_RULES,
    note="全文未公开，指标在细则中的条目号未核实，以县实施方案条目为准 / full text not public: "
         "the indicator's item number in the evaluation rules was not verified; the county "
         "plan's item is cited instead",
)


def plan_basis(item: int) -> list[LegalBasis]:
    """The county plan's item ``item`` (V) and the 2021 evaluation rules (C, item unknown)."""
    group = vocabulary().group_of(item)
    return [
        article(WEIXIAN_PLAN, group.section, str(item),
                en=f"{group.section_en} item {item}"),
        _RULES_ITEM_UNKNOWN,
    ]
