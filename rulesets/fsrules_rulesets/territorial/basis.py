"""Legal basis of the territorial rules: the instruments and the seeds' plan items.

Confidence labels follow shared/domain/regulations.md (V verified in the
primary text, C corroborated, M from memory, ? not found). Articles of the
Food Safety Law and Order 49 were checked in shared/domain/texts/ (V). The
2022 mechanism behind 三单一书 and 包保 and the 2019 responsibility provisions
were not read (their text is not public or not in the texts folder): they are
cited without an article and say so. The seeds other than the county plan are
speeches and a review summary, not instruments: they are cited as the
county's and city's own documents they name, with the seed as the source.
"""

from __future__ import annotations

import datetime as dt

from fsrules import LegalBasis

from .._basis import FOOD_SAFETY_LAW, ORDER_49, WEIXIAN_PLAN, article

__all__ = [
    "CITY_CADENCE",
    "COUNTY_REVIEW",
    "FOOD_SAFETY_LAW",
    "LEADERS_RESPONSIBILITY",
    "ORDER_49",
    "PROVINCE_SPEECH",
    "TERRITORIAL_MECHANISM",
    "WEIXIAN_PLAN",
    "article",
    "plan_item",
    "plan_steps",
]

TERRITORIAL_MECHANISM = LegalBasis(
    instrument="《关于建立健全分层分级精准防控末端发力终端见效工作机制推动食品安全属地管理责任落地落实的意见》",
    instrument_en="State Council Food Safety Commission opinions on the layered, graded "
                  "mechanism for territorial food-safety responsibility (2022)",
    version_date=None,
    jurisdiction="CN",
    confidence="C",
    note="国务院食安委2022年印发，全文未公开，未读原文，条号未核实；三单一书（责任清单、任务清单、督查清单、"
         "责任与任务承诺书）据种子000（县讲话，V）和种子001（市讲话，V） / issued 2022, not "
         "public, not read, no article cited; the 三单一书 (responsibility, task and "
         "supervision lists and the commitment letter) as seeds 000 and 001 describe them (V)",
)

LEADERS_RESPONSIBILITY = LegalBasis(
    instrument="《地方党政领导干部食品安全责任制规定》",
    instrument_en="Provisions on the Food-Safety Responsibility of Local Party and Government "
                  "Leaders (2019)",
    version_date=None,
    jurisdiction="CN",
    confidence="C",
    note="中共中央办公厅、国务院办公厅2019年印发；种子004第五(一)1项和否决项引用（V），"
         "全文未读，条号未核实 / issued 2019; cited by the county plan (seed 004 item 1 "
         "and the veto items, V); text not read, no article cited",
)

COUNTY_REVIEW = LegalBasis(
    instrument="县级省级食品安全示范县复审工作总结（种子002）",
    instrument_en="A county's review summary for the provincial food-safety model county "
                  "(seed 002)",
    jurisdiction="CN",
    confidence="V",
    note="县委常委会每季度听取食品安全工作汇报；每季度开展风险研判，实行“风险隐患清单＋治理责任清单”管理；"
         "按县“三条底线”红黑榜通报机制及专项考核办法每季度开展食品安全红黑榜考核；开展“你点我检”“你点我查” / "
         "quarterly hearing by the county standing committee; a quarterly risk review with a "
         "hidden-risk list and a governance-responsibility list; a quarterly red/black list "
         "of townships under the county's 'three bottom lines' measure; 你点我检 nominations",
)

CITY_CADENCE = LegalBasis(
    instrument="市创建国家食品安全示范城市工作推进会议讲话（种子001）",
    instrument_en="A city's speech at the demonstration-city campaign meeting (seed 001)",
    jurisdiction="CN",
    confidence="V",
    note="建立健全“月督查调度、季通报评比、年考核问效”督查考评机制；第三方评估问题列出整改清单、逐项销号 / "
         "monthly oversight and dispatch, quarterly bulletin and ranking, yearly assessment; "
         "the third-party assessment's problem list closed item by item",
)

PROVINCE_SPEECH = LegalBasis(
    instrument="省“守底线、查隐患、保安全”专项行动讲话（种子003）",
    instrument_en="A province's speech on the 'hold the bottom line, find hidden risks' "
                  "campaign (seed 003)",
    jurisdiction="CN",
    confidence="V",
    note="视情采取“四不两直”方式开展明察暗访；对推进不力的制发督办通知书 / inspections made "
         "'four nots, two straights' (unannounced, straight to the site); laggards are put "
         "under supervision",
)

COUNTY_SPEECH = LegalBasis(
    instrument="县食品安全工作会议讲话（种子000）",
    instrument_en="A county's food-safety work meeting speech (seed 000)",
    jurisdiction="CN",
    confidence="V",
    note="各乡镇、各部门对照三单一书；按《县落实食品安全“两个责任”包保干部培训指南》常态化抓好包保干部培训；"
         "县食安委定期督查、评估、考核；推进购买食品安全责任保险；建立食品安全追溯体系 / townships and "
         "departments hold the 三单一书; cadres trained by the county's training guide; "
         "periodic oversight, evaluation and assessment; liability insurance; traceability",
)


def plan_item(n: int) -> LegalBasis:
    """Item ``n`` of the Wei County plan's task list (seed 004 §五, V)."""
    group = "五(一)" if n <= 11 else "五(二)" if n <= 18 else "五(三)" if n <= 23 else (
        "五(四)" if n <= 26 else "五(五)")
    return article(WEIXIAN_PLAN, group, f"{n}", en=f"§5 item {n}")


def plan_steps() -> LegalBasis:
    """The plan's working steps with their dates (seed 004 §六, V)."""
    return article(WEIXIAN_PLAN, "六", None, en="§6 (working steps)")


#: The day the Wei County plan was issued (seed 004).
PLAN_ISSUED = dt.date(2023, 1, 19)
