"""The plan's phases and dated deliverables, past their date as of the evaluation date.

Seed 004 §六 (V) dates the campaign: 安排部署 by the end of January 2023, 全面创建
February–December 2023 (every township and department sends its
self-inspection report to the county 食安办 by 2023-11-10; the county applies
to the city with its own report by the end of December 2023), 市级初评
January–June 2024, 省验收 July–December 2024. Every county's plan has its own
table, so the table is data a profile sets (``milestones``/``deliverables``,
no default; the demo profile holds 威县's): a table keyed by milestone id,
each entry ``{ title_zh, title_en, due }``.

A milestone is done when a ``territorial_milestone_report`` names it and its
holder (the county code, or the township's or department's id) on or before
the evaluation date. A milestone whose ``due`` day has passed without one is a
finding; completing it late closes the finding.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fsrules import Param, RuleContext, Severity, Subject, Text, rule
from fsrules.evidence import Code

from ._common import (
    COUNTY_OFFICE,
    TOWNSHIP_GOV,
    Townships,
    counties,
    department_subject,
    township_subject,
)
from .basis import plan_steps
from .evidence import MilestoneEvidence
from .facts import Department, MilestoneReport

__all__ = ["county_milestone", "department_deliverable", "township_deliverable"]

_MESSAGE = ("{subject}：创建节点“{milestone}”（{milestone.value}）应于 {due} 前完成，已逾期 "
            "{days_overdue} 天，尚无完成记录。",
            "{subject}: milestone '{milestone}' ({milestone.value}) was due by {due}; "
            "{days_overdue} day(s) overdue with no completion on record.")


def _table_param(name: str, zh: str, en: str) -> Param:
    return Param(name=name, type="table", confidence="?",
                 description=Text(f"{zh}：节点编号 → {{title_zh, title_en, due}}（各县方案不同，由配置设定）",
                                  f"{en}: milestone id → {{title_zh, title_en, due}} (each "
                                  "county's plan differs; a profile sets it)"))


def _entries(table: Mapping[str, Any]) -> list[tuple[str, str, str, dt.date]]:
    out = []
    for key in sorted(table):
        entry = table[key]
        if not isinstance(entry, Mapping) or "due" not in entry:
            raise ValueError(f"milestone {key!r} needs a table with 'due' (a date)")
        due = entry["due"]
        if isinstance(due, str):
            due = dt.date.fromisoformat(due)
        if not isinstance(due, dt.date):
            raise ValueError(f"milestone {key!r}: due must be a date, got {due!r}")
        out.append((key, str(entry.get("title_zh", key)), str(entry.get("title_en", key)), due))
    return out


def _judge(ctx: RuleContext, table: Mapping[str, Any],
           holders: Iterable[tuple[Subject, tuple[str, ...]]]) -> Iterator[object]:
    done: dict[tuple[str, str], list[MilestoneReport]] = defaultdict(list)
    for r in ctx.facts.of_kind(MilestoneReport):
        if r.completed_on <= ctx.as_of:
            done[(r.milestone, r.holder_id)].append(r)
    entries = _entries(table)
    for subject, keys in holders:
        for milestone, title_zh, title_en, due in entries:
            if due >= ctx.as_of:
                continue
            if any(done.get((milestone, k)) for k in keys):
                continue
            yield ctx.finding(
                subject=subject, due_date=due,
                evidence=MilestoneEvidence(milestone=Code(milestone, title_zh, title_en),
                                           due=due, days_overdue=(ctx.as_of - due).days),
            )


@rule(
    id="TERR-601", version="1.0", grain="region", identity=("milestone",),
    title=("创建阶段或县级节点逾期未完成", "Plan phase or county deliverable past its date"),
    severity=Severity.HIGH,
    reads=[MilestoneReport, "territorial_township", "territorial_oversight_event", "region"],
    legal_basis=[plan_steps()],
    parameters=[_table_param("milestones", "县级阶段和节点", "the county's phases and deliverables")],
    lead=COUNTY_OFFICE,
    evidence=MilestoneEvidence, message=_MESSAGE,
    description=("县实施方案的工作步骤：每个阶段（截止日为阶段末日）和县级交付物（如向市食安委提交初评申请和"
                 "自查报告）到期后须有完成记录。",
                 "The plan's working steps: each phase (due on its last day) and county "
                 "deliverable (such as the application and self-inspection report to the "
                 "city) needs a completion record once due."),
)
def county_milestone(ctx: RuleContext) -> Iterator[object]:
    """County phases and deliverables past their date without a completion record."""
    table = ctx.param("milestones")
    return _judge(ctx, table, ((c, (c.id,)) for c in counties(ctx.facts)))


@rule(
    id="TERR-602", version="1.0", grain="township", identity=("milestone",),
    title=("乡镇创建节点逾期未完成", "Township deliverable past its date"),
    severity=Severity.HIGH,
    reads=[MilestoneReport, "territorial_township", "operator"],
    legal_basis=[plan_steps()],
    parameters=[_table_param("deliverables", "每个乡镇须交付的节点",
                             "what every township delivers")],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV,
    evidence=MilestoneEvidence, message=_MESSAGE,
    description=("每个乡镇须按期交付的节点（如 2023-11-10 前报送自查报告），到期后须有完成记录。",
                 "Deliverables due from every township (such as the self-inspection report "
                 "by 2023-11-10) need a completion record once due."),
)
def township_deliverable(ctx: RuleContext) -> Iterator[object]:
    """Township deliverables past their date without a completion record."""
    table = ctx.param("deliverables")
    towns = Townships(ctx.facts).all
    return _judge(ctx, table, ((township_subject(t), (t.id, t.name)) for t in towns))


@rule(
    id="TERR-603", version="1.0", grain="department", identity=("milestone",),
    title=("部门创建节点逾期未完成", "Department deliverable past its date"),
    severity=Severity.HIGH,
    reads=[MilestoneReport, Department],
    legal_basis=[plan_steps()],
    parameters=[_table_param("deliverables", "每个部门须交付的节点",
                             "what every member department delivers")],
    lead=COUNTY_OFFICE,
    evidence=MilestoneEvidence, message=_MESSAGE,
    description=("每个食安委成员单位须按期交付的节点，到期后须有完成记录。",
                 "Deliverables due from every member department need a completion record "
                 "once due."),
)
def department_deliverable(ctx: RuleContext) -> Iterator[object]:
    """Department deliverables past their date without a completion record."""
    table = ctx.param("deliverables")
    deps = sorted(ctx.facts.of_kind(Department), key=lambda d: d.id)
    return _judge(ctx, table, ((department_subject(d), (d.id, d.name)) for d in deps))
