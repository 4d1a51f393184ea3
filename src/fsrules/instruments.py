"""Legal instruments every ruleset and plugin may cite, declared once (issue 12).

National instruments (the Food Safety Law, its implementing regulations,
SAMR Order No. 49, the incident plan, the demonstration-city rules) as
:class:`~fsrules.LegalBasis` values without an article; :func:`article`
narrows one to an article and item::

    from fsrules.instruments import FOOD_SAFETY_LAW, article

    FSL_ART_36 = article(FOOD_SAFETY_LAW, "第三十六条", en="Art. 36")

Confidence labels follow shared/domain/regulations.md: V verified in the
primary text, C corroborated, M from memory, ? not found. A province's
instruments live with the ruleset or plugin that judges under them.
"""

from __future__ import annotations

import datetime as dt

import attrs

from fsrules._rules import LegalBasis

__all__ = [
    "DEMO_CITY_RULES",
    "FOOD_SAFETY_LAW",
    "IMPLEMENTING_REGULATIONS",
    "INCIDENT_PLAN",
    "ORDER_49",
    "article",
]

FOOD_SAFETY_LAW = LegalBasis(
    instrument="《中华人民共和国食品安全法》",
    instrument_en="Food Safety Law of the PRC (2021 amendment)",
    version_date=dt.date(2021, 4, 29),
    jurisdiction="CN",
    url="https://flk.npc.gov.cn/",
    confidence="V",
)

IMPLEMENTING_REGULATIONS = LegalBasis(
    instrument="《中华人民共和国食品安全法实施条例》",
    instrument_en="Regulations for the Implementation of the Food Safety Law (2019 revision)",
    version_date=dt.date(2019, 10, 11),
    jurisdiction="CN",
    url="https://flk.npc.gov.cn/",
    confidence="V",
)

ORDER_49 = LegalBasis(
    instrument="《食品生产经营监督检查管理办法》（国家市场监督管理总局令第49号）",
    instrument_en="Measures for the Supervision and Inspection of Food Production and Trade "
                  "(SAMR Order No. 49)",
    version_date=dt.date(2021, 12, 24),
    jurisdiction="CN",
    confidence="V",
    note="2022-03-15施行 / in force 2022-03-15",
)

DEMO_CITY_RULES = LegalBasis(
    instrument="《国家食品安全示范城市评价细则（2021版）》",
    instrument_en="National Food Safety Demonstration City Evaluation Rules (2021)",
    version_date=dt.date(2021, 1, 1),
    jurisdiction="CN",
    confidence="C",
    note="全文未公开；否决项内容经示范县实施方案（V）核对 / full text not public; "
         "veto items checked against the county plan (V)",
)

INCIDENT_PLAN = LegalBasis(
    instrument="《国家食品安全事故应急预案》",
    instrument_en="National Food Safety Incident Emergency Plan",
    article="事故分级",
    version_date=dt.date(2011, 10, 1),
    jurisdiction="CN",
    confidence="C",
    note="分级标准据河北省、县级预案转述核对，国家原文未读；Ⅳ级下限30人为记忆值(M) / "
         "criteria as reproduced in Hebei county plans; national text not read; "
         "the level-IV lower bound of 30 ill is from memory (M)",
)


def article(basis: LegalBasis, art: str, item: str | None = None, *, en: str | None = None
            ) -> LegalBasis:
    """``basis`` narrowed to one article (and item); ``en`` is their English form."""
    return attrs.evolve(basis, article=art, item=item, article_en=en)
