"""The instruments the case time-limit rules cite.

None of their full texts is in ``shared/domain/texts/``: each is cited
without an article number (``article=None``), with confidence M and a note
saying what was not verified. The time limits themselves are profile
parameters without a ruleset default (``profiles/national.cases.toml``).
"""

from __future__ import annotations

from fsrules import LegalBasis

from .._basis import FOOD_SAFETY_LAW, article

__all__ = [
    "BUSINESS_LICENSING",
    "COMPLAINT_MEASURES",
    "FSL_ART_35",
    "FSL_ART_115",
    "PENALTY_PROCEDURE",
    "PRODUCTION_LICENSING",
    "SAMPLING_MEASURES",
]

SAMPLING_MEASURES = LegalBasis(
    instrument="《食品安全抽样检验管理办法》",
    instrument_en="Measures for Food Safety Sampling and Testing (SAMR Order No. 15, amended)",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：不合格食品核查处置时限常引作第四十五条，条号和时限均未核实，时限由配置设定 / "
         "full text not read: the disposal time limit is usually cited as Art. 45; neither "
         "the article nor the limit was verified, so the limit is a profile parameter",
)

COMPLAINT_MEASURES = LegalBasis(
    instrument="《市场监督管理投诉举报处理暂行办法》",
    instrument_en="Interim Measures for Handling Complaints and Reports on Market Regulation",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：办理时限以记录中的应办结日期为准，条号未核实 / full text not read: the "
         "deadline is the one recorded on the complaint; the article was not verified",
)

PENALTY_PROCEDURE = LegalBasis(
    instrument="《市场监督管理行政处罚程序规定》",
    instrument_en="Provisions on Administrative Penalty Procedures of Market Regulation",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：普通程序案件的办案期限及延长的条号和天数未核实，期限由配置设定，经批准延长的以"
         "记录为准 / full text not read: the article and the days of the handling time limit "
         "and its extensions were not verified; the limit is a profile parameter and an "
         "approved extension is taken from the record",
)

BUSINESS_LICENSING = LegalBasis(
    instrument="《食品经营许可和备案管理办法》",
    instrument_en="Measures for the Administration of Food Business Licensing and Filing (2023)",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：延续申请须在有效期届满前提出，提前天数和条号未核实，由配置设定 / full text "
         "not read: renewal is applied for before the licence expires; the lead time and the "
         "article were not verified, so the lead time is a profile parameter",
)

PRODUCTION_LICENSING = LegalBasis(
    instrument="《食品生产许可管理办法》",
    instrument_en="Measures for the Administration of Food Production Licensing",
    jurisdiction="CN",
    confidence="M",
    note="全文未读：延续申请的提前天数和条号未核实 / full text not read: the renewal lead time "
         "and the article were not verified",
)

#: Food Safety Law Art 35: a food production or business licence is required (V).
FSL_ART_35 = article(FOOD_SAFETY_LAW, "第三十五条", en="Art. 35")
#: Art 115: complaints and reports are handled in time (V).
FSL_ART_115 = article(FOOD_SAFETY_LAW, "第一百一十五条", en="Art. 115")
