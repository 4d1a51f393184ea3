"""Legal instruments the risk and two-responsibilities rules cite (not in ``_basis``).

Confidence labels follow shared/domain/regulations.md. Where the primary
text was not read, ``article`` is None and the note says so: an article
number is never guessed.
"""

from __future__ import annotations

import datetime as dt

import attrs

from fsrules import Confidence, LegalBasis

from .._basis import IMPLEMENTING_REGULATIONS, ORDER_49, article

__all__ = [
    "BAOBAO_OPINION",
    "CANTEEN_DUTIES_2025",
    "COUNTY_SPEECH",
    "ENTERPRISE_DUTIES_2025",
    "IMPLEMENTING_REGULATIONS",
    "ORDER_49",
    "ORDER_60",
    "PRODUCER_DRAFT_2022",
    "RISK_MEASURE_2016",
    "article",
    "verified",
]

RISK_MEASURE_2016 = LegalBasis(
    instrument="《食品生产经营风险分级管理办法（试行）》",
    instrument_en="Measures for Risk-Graded Management of Food Producers and Traders (trial, CFDA)",
    version_date=None,
    jurisdiction="CN",
    confidence="C",
    note="2016年原国家食品药品监管总局印发，2016年12月起实施分级；第24–28条据法律图书馆转载核对(V)，"
         "其余条文与评分表据转载与地方实施办法佐证(C) / CFDA 2016, grading from Dec 2016; "
         "Arts 24-28 checked in a reposted copy (V), the rest and the score tables corroborated "
         "through reposts and local implementing measures (C)",
)


PRODUCER_DRAFT_2022 = LegalBasis(
    instrument="《食品生产企业风险分级管理办法（征求意见稿）》",
    instrument_en="Risk-graded management of food producers (SAMR draft for comments, 2022)",
    version_date=None,
    jurisdiction="CN",
    confidence="C",
    note="2022年2月公布征求意见（至2022-03-18）；征求意见稿，未见正式发布；安徽省生产企业方案采用同样频次 / "
         "a draft, no final version "
         "found; Anhui's producer scheme uses the same frequencies. Article number not verified",
)


ORDER_60 = LegalBasis(
    instrument="《企业落实食品安全主体责任监督管理规定》（国家市场监督管理总局令第60号）",
    instrument_en="Provisions on Supervising Enterprises' Fulfilment of Food Safety Primary "
                  "Responsibility (SAMR Order No. 60)",
    version_date=dt.date(2022, 11, 1),
    jurisdiction="CN",
    confidence="C",
    note="2022年9月公布、2022-11-01施行；原文未读，条文号未核实，内容据总局新闻发布与地方模板佐证 / "
         "announced Sept 2022, in force 2022-11-01; primary text not read, article numbers not "
         "verified; content from the SAMR press release and local templates",
)

ENTERPRISE_DUTIES_2025 = LegalBasis(
    instrument="《食品生产经营企业落实食品安全主体责任监督管理规定》",
    instrument_en="Provisions on food producers' and traders' primary responsibility (2025 "
                  "revision of Order 60)",
    version_date=dt.date(2025, 2, 23),
    jurisdiction="CN",
    confidence="C",
    note="2025年修订更名；第六条（须配备食品安全总监的企业）与每年40学时培训据两处转载佐证，令号未查到 / "
         "2025 revision; Art 6 (who appoints a food-safety director) and the 40 training hours "
         "a year corroborated by two reposts; the order number was not found",
)

CANTEEN_DUTIES_2025 = LegalBasis(
    instrument="《集中用餐单位落实食品安全主体责任监督管理规定》",
    instrument_en="Provisions on collective-dining units' food safety primary responsibility "
                  "(2025)",
    version_date=dt.date(2025, 4, 15),
    jurisdiction="CN",
    confidence="C",
    note="2025-04-15施行，共27条；就餐人数门槛据多处新闻佐证，条文号未核实 / in force 2025-04-15, "
         "27 articles; diner thresholds corroborated by several news reports, article numbers "
         "not verified",
)

BAOBAO_OPINION = LegalBasis(
    instrument="国务院食品安全委员会《关于建立健全分层分级精准防控末端发力终端见效工作机制 "
               "推动食品安全属地管理责任落地落实的意见》",
    instrument_en="State Council Food Safety Commission opinion on the layered, graded "
                  "responsibility mechanism (包保, 2022)",
    version_date=None,
    jurisdiction="CN",
    confidence="C",
    note="2022年秋印发（日期未核实），全文未公开，条文号未核实；“今年打基础，明年全覆盖”据多地新闻 / "
         "issued in autumn 2022 (date not verified), full text not public, article numbers "
         "not verified; the "
         "slogan 'foundation this year, full coverage next year' from local news",
)

COUNTY_SPEECH = LegalBasis(
    instrument="《2023年全县创建国家食品安全示范城市推进会议讲话》",
    instrument_en="County speech on the 2023 demonstration-city campaign (两个责任, 包保 tiers)",
    version_date=None,
    jurisdiction="130533",
    confidence="V",
    note="A级主体由市领导包保、B级由县领导、C级由乡镇领导干部、D级由村（社区）干部和"
         "乡镇一般干部包保；今年“三小”纳入包保 / tiers A-D covered by city, county, "
         "township leaders and by village cadres or ordinary township cadres; 三小 brought in "
         "this year",
)


def verified(basis: LegalBasis, note: str = "") -> LegalBasis:
    """``basis`` for an article read in the primary text (V), with a note."""
    return attrs.evolve(basis, confidence=Confidence.VERIFIED,
                        note=note or basis.note)
