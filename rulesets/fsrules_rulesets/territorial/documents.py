"""三单一书: every township, department and 包保 cadre holds its documents, and keeps them current.

Seed 000 (V): townships and departments work from the 三单一书 — 责任清单,
任务清单, 督查清单 and the 责任与任务承诺书; cadres must master their task list.
Seed 001 (V): every cadre signs the commitment letter (checked on the
assignment record by BAOBAO-003, so TERR-103 asks cadres only for the
documents its parameter lists, by default the task list).

How old a document may be before it is "out of date" is not in any seed (?):
``max_age_months`` has no default, a profile sets it (the demo profile: 12,
the lists being renewed with each year's work plan).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from fsrules import Param, RuleContext, Severity, Subject, Text, rule
from fsrules.model import BaobaoAssignment

from ._common import COUNTY_OFFICE, TOWNSHIP_GOV, Townships, department_subject, township_subject
from .basis import COUNTY_SPEECH, TERRITORIAL_MECHANISM, plan_item
from .evidence import DocumentEvidence
from .facts import Department, DocumentKind, DutyDocument, HolderKind

__all__ = ["cadre_documents", "department_documents", "township_documents"]

_MISSING = ("{subject}：三单一书缺少“{label}”。", "{subject}: the 三单一书 lack the {label}.")
_MESSAGES = {
    "out_of_date": ("{subject}：三单一书中的“{label}”于 {issued_on} 印发，已满 "
                    "{max_age_months} 个月未更新。",
                    "{subject}: the {label} of the 三单一书, issued {issued_on}, is "
                    "{max_age_months} months old or more."),
}


def _documents_param(confidence: str) -> Param:
    return Param(name="documents", type="list", confidence=confidence,
                 choices=(),
                 description=Text("须持有的文书（responsibility_list、task_list、"
                                  "supervision_list、commitment）",
                                  "documents the holder must have (responsibility_list, "
                                  "task_list, supervision_list, commitment)"))


def _max_age() -> Param:
    return Param(name="max_age_months", type="int", minimum=1, maximum=60, unit="月",
                 confidence="?",
                 description=Text("文书印发后多少个月须更新（种子未规定，由配置设定）",
                                  "months after which a document is out of date (no seed "
                                  "says; a profile sets it)"))


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def _judge(ctx: RuleContext, kind: HolderKind,
           holders: Iterable[tuple[str, Subject, tuple[str, ...]]]) -> Iterator[object]:
    """Findings for each holder ``(id, subject, aliases)`` missing or holding stale documents."""
    wanted = [DocumentKind.parse(d) for d in ctx.param("documents")]
    max_age = ctx.param("max_age_months")
    held: dict[str, dict[DocumentKind, list[DutyDocument]]] = defaultdict(
        lambda: defaultdict(list))
    for doc in ctx.facts.of_kind(DutyDocument):
        if doc.holder_kind is kind and doc.issued_on <= ctx.as_of:
            held[doc.holder_id][doc.document].append(doc)
    for holder_id, subject, aliases in holders:
        mine: dict[DocumentKind, list[DutyDocument]] = defaultdict(list)
        for key in (holder_id, *aliases):
            for document, docs in held.get(key, {}).items():
                mine[document].extend(docs)
        for document in wanted:
            docs = mine.get(document, [])
            if not docs:
                status, latest = "missing", None
            else:
                latest = max(docs, key=lambda d: (d.issued_on, d.id))
                if _months_between(latest.issued_on, ctx.as_of) < max_age:
                    continue
                status = "out_of_date"
            yield ctx.finding(
                subject=subject, facts=[latest] if latest else [],
                evidence=DocumentEvidence(
                    holder_kind=kind, document=document, status=status,
                    issued_on=latest.issued_on if latest else None,
                    document_id=latest.id if latest else None, max_age_months=max_age),
            )


# --------------------------------------------------------------------------- TERR-101


def _townships(ctx: RuleContext) -> Iterator[tuple[str, Subject, tuple[str, ...]]]:
    for town in Townships(ctx.facts).all:
        yield town.id, township_subject(town), (town.name,)


@rule(
    id="TERR-101", version="1.0", grain="township", identity=("document", "status"),
    title=("乡镇三单一书不全或未更新", "Township's 三单一书 incomplete or out of date"),
    severity=Severity.MEDIUM,
    reads=[DutyDocument, "territorial_township", "operator"],
    legal_basis=[TERRITORIAL_MECHANISM, COUNTY_SPEECH, plan_item(27)],
    parameters=[_documents_param("V"), _max_age()],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV,
    evidence=DocumentEvidence, message=_MISSING, messages=_MESSAGES,
    description=("每个乡镇须持有参数 documents 所列三单一书文书（默认四种），且最近一次印发距评价日不超过 "
                 "max_age_months 个月。每个乡镇每种文书一条。",
                 "Every township holds the 三单一书 documents listed in ``documents`` (by "
                 "default all four), each issued within ``max_age_months`` of the evaluation "
                 "date. One finding per township and document."),
)
def township_documents(ctx: RuleContext) -> Iterator[object]:
    """Townships missing a 三单一书 document, or holding one out of date."""
    return _judge(ctx, HolderKind.TOWNSHIP, _townships(ctx))


# --------------------------------------------------------------------------- TERR-102


def _departments(ctx: RuleContext) -> Iterator[tuple[str, Subject, tuple[str, ...]]]:
    for dep in sorted(ctx.facts.of_kind(Department), key=lambda d: d.id):
        yield dep.id, department_subject(dep), (dep.name,)


@rule(
    id="TERR-102", version="1.0", grain="department", identity=("document", "status"),
    title=("部门三单一书不全或未更新", "Department's 三单一书 incomplete or out of date"),
    severity=Severity.MEDIUM,
    reads=[DutyDocument, Department],
    legal_basis=[TERRITORIAL_MECHANISM, COUNTY_SPEECH, plan_item(2)],
    parameters=[_documents_param("V"), _max_age()],
    lead=COUNTY_OFFICE,
    evidence=DocumentEvidence, message=_MISSING, messages=_MESSAGES,
    description=("每个食安委成员单位（territorial_department）须持有 documents 所列文书，且未超过 "
                 "max_age_months 个月。",
                 "Every member department (territorial_department) holds the documents "
                 "listed in ``documents``, none older than ``max_age_months``."),
)
def department_documents(ctx: RuleContext) -> Iterator[object]:
    """Departments missing a 三单一书 document, or holding one out of date."""
    return _judge(ctx, HolderKind.DEPARTMENT, _departments(ctx))


# --------------------------------------------------------------------------- TERR-103


def _cadres(ctx: RuleContext) -> Iterator[tuple[str, Subject, tuple[str, ...]]]:
    seen: dict[str, BaobaoAssignment] = {}
    for a in ctx.facts.of_kind(BaobaoAssignment):
        active = a.assigned_on <= ctx.as_of and (a.ended_on is None or a.ended_on > ctx.as_of)
        if active and (a.cadre_id not in seen or a.id < seen[a.cadre_id].id):
            seen[a.cadre_id] = a
    for cadre_id in sorted(seen):
        a = seen[cadre_id]
        op = ctx.facts.operator(a.operator_id)
        yield cadre_id, Subject(kind="cadre", id=cadre_id, name=a.cadre_name,
                                region_code=op.region_code if op else None), ()


@rule(
    id="TERR-103", version="1.0", grain="cadre", identity=("document", "status"),
    title=("包保干部缺少或未更新三单一书文书", "包保 cadre without a current 三单一书 document"),
    severity=Severity.LOW,
    reads=[DutyDocument, BaobaoAssignment, "operator"],
    legal_basis=[TERRITORIAL_MECHANISM, COUNTY_SPEECH, plan_item(27)],
    parameters=[_documents_param("C"), _max_age()],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV,
    evidence=DocumentEvidence, message=_MISSING, messages=_MESSAGES,
    description=("评价日有在包主体的包保干部须持有 documents 所列文书（默认任务清单；承诺书由 BAOBAO-003 "
                 "按包保关系核对），且未超过 max_age_months 个月。",
                 "Every cadre with an assignment on the evaluation date holds the documents "
                 "in ``documents`` (by default the task list; the commitment letter is "
                 "BAOBAO-003's, on the assignment record), none older than "
                 "``max_age_months``."),
)
def cadre_documents(ctx: RuleContext) -> Iterator[object]:
    """包保 cadres missing a document of their own, or holding one out of date."""
    return _judge(ctx, HolderKind.CADRE, _cadres(ctx))
