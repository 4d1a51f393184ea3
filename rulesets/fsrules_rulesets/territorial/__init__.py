"""The territorial ruleset (属地管理责任): what the county and its townships must do themselves.

The seed systems the other rulesets leave out (issue 16): the 三单一书 of
townships, departments and 包保 cadres; the 风险隐患清单＋治理责任清单; the
oversight cadence (月督查、季通报、年考核, the county committee's quarterly
hearing, the quarterly risk review); cadre training; 四不两直 inspections and
你点我检 nominations; the plan's phases and deliverables; liability insurance
and traceability coverage of the sectors the plan's item 22 names; and the
quarterly 红黑榜 of townships (``red_black``), shown by ``--format summary``.

Its fact kinds (``facts.py``) are registered through
``fsrules_register_fact_kinds``. Not a default ruleset: select it with
``--ruleset territorial`` or a profile's ``rulesets`` (the demo profile does).
Values the seeds leave open have no default: a profile sets them
(``profiles/demo.territorial.toml`` for the demo county). docs/territorial.md
explains the model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Fact, Ruleset, Text, hookimpl

from .cadence import CADENCE_RULES, township_cadence
from .coverage import insurance_coverage, traceability_coverage
from .documents import cadre_documents, department_documents, township_documents
from .facts import ALL_FACT_KINDS
from .milestones import county_milestone, department_deliverable, township_deliverable
from .oversight import cadre_training, nomination_follow_up, unannounced_share
from .red_black import red_black, render_red_black, township_roster
from .register import county_rectification_rate, overdue_entry, township_rectification_rate

__all__ = ["RULESET", "red_black", "render_red_black"]

RULESET = Ruleset(
    id="territorial",
    version="1.0.0",
    title=Text("属地管理责任", "Territorial accountability"),
    rules=[township_roster,
           township_documents, department_documents, cadre_documents,
           overdue_entry, township_rectification_rate, county_rectification_rate,
           *CADENCE_RULES, township_cadence,
           cadre_training, unannounced_share, nomination_follow_up,
           county_milestone, township_deliverable, department_deliverable,
           insurance_coverage, traceability_coverage],
    data_dir=Path(__file__).parent,
    default=False,
    description=Text(
        "种子文件所述属地管理责任制度：乡镇、部门和包保干部的三单一书，风险隐患清单＋治理责任清单，"
        "月督查、季通报、年考核和县委常委会季度听取汇报、季度风险研判，包保干部培训，“四不两直”检查和"
        "“你点我检”，创建方案的阶段和节点，第22项所列行业的责任保险和追溯覆盖，以及乡镇季度红黑榜。",
        "The territorial-accountability systems of the seeds: the 三单一书 of townships, "
        "departments and 包保 cadres; the hidden-risk and governance lists; the monthly, "
        "quarterly and yearly oversight cadence with the committee's hearing and the risk "
        "review; cadre training; unannounced inspections and 你点我检 nominations; the "
        "plan's phases and deliverables; insurance and traceability coverage of the "
        "sectors of item 22; and the townships' quarterly red/black list.",
    ),
)


@hookimpl
def fsrules_register_fact_kinds(register: Callable[[type[Fact]], None]) -> None:
    """Register the territorial fact kinds (townships, 三单一书, risk register...)."""
    for kind in ALL_FACT_KINDS:
        register(kind)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the territorial ruleset."""
    register(RULESET)
