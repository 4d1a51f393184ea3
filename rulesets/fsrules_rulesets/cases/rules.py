"""Case time limits: a case still open past its deadline (CASE-001 … CASE-004).

Each rule is on the :class:`~fsrules.shapes.Deadline` shape (an event, a
deadline after or before it, the record that closes it), so the live
monitor compiles it without extra code: the finding completes the day the
deadline passes and is resolved when the closing record arrives. Only cases
*still open* past their deadline are findings: one closed late is closed
(the demo-city rates count late closures), and a licence renewed late is
renewed (the record carries the renewal's issue date, not when it was
applied for).

The time limits are values the regulations' texts here do not give
(confidence M): profile parameters without a ruleset default.
"""

from __future__ import annotations

import datetime as dt

from fsrules import Finding, Param, RuleContext, Severity, Subject, Text
from fsrules.evidence import evidence
from fsrules.model import (
    Complaint,
    EnforcementCase,
    Licence,
    LicenceKind,
    Operator,
    SamplingResult,
)
from fsrules.shapes import Deadline, Hit, Records, Scope, check, one_of

from .basis import (
    BUSINESS_LICENSING,
    COMPLAINT_MEASURES,
    FSL_ART_35,
    FSL_ART_115,
    PENALTY_PROCEDURE,
    PRODUCTION_LICENSING,
    SAMPLING_MEASURES,
)

__all__ = ["ALL_RULES", "case_closing", "complaint_closing", "disposal_deadline",
           "licence_renewal"]

M = "M"
MARKET_BUREAU = ("县市场监管局",)


def _operator_name(ctx: RuleContext, operator_id: str | None) -> str | None:
    if operator_id is None:
        return None
    operator = ctx.facts.operator(operator_id)
    return None if operator is None else operator.name


def _record_subject(record: SamplingResult | Complaint | EnforcementCase,
                    name: str = "") -> Subject:
    """The finding's subject: the case record itself, in its region."""
    return Subject(kind=record.KIND, id=record.id, name=name, region_code=record.region_code)


def _days_overdue(hit: Hit) -> int:
    return int((hit.ctx.as_of - hit.values["deadline"]).days)


# --------------------------------------------------------------------------- CASE-001


@evidence
class DisposalEvidence:
    """CASE-001: a non-conforming result whose 核查处置 is not completed past the limit."""

    sampling_id: str
    product_name: str
    sampled_on: dt.date
    received_on: dt.date
    max_days: int
    deadline: dt.date
    days_overdue: int
    operator_id: str | None = None
    operator_name: str | None = None


def _disposal_finding(hit: Hit) -> Finding | None:
    result = hit.subject
    assert isinstance(result, SamplingResult)
    if hit.values["status"] == "late":
        return None  # completed, if late: closed
    ctx = hit.ctx
    name = _operator_name(ctx, result.operator_id)
    return hit.finding(
        subject=_record_subject(result, name=result.product_name),
        evidence=DisposalEvidence(
            sampling_id=result.id, product_name=result.product_name,
            sampled_on=result.sampled_on, received_on=hit.values["anchor"],
            max_days=hit.values["offset"], deadline=hit.values["deadline"],
            days_overdue=_days_overdue(hit), operator_id=result.operator_id,
            operator_name=name))


#: CASE-001: 核查处置 completed within ``max_days`` of receiving a non-conforming result.
disposal_deadline = check(
    Deadline(
        scope=Scope(kind=SamplingResult, where={"verdict": "fail"}),
        anchor=("result_received_on", "sampled_on"),
        offset=Param(name="max_days", type="int", minimum=1, maximum=365, unit="天",
                     confidence=M,
                     description=Text("核查处置时限：自收到不合格检验结果之日起的天数",
                                      "disposal time limit: days from receiving the "
                                      "non-conforming result")),
        done=Records(kind="disposal", link="sampling_id", where={"status": "completed"},
                     date="completed_on"),
        before=False, finding=_disposal_finding),
    id="CASE-001", version="1.0", grain="sampling_result", identity=("sampling_id",),
    title=("不合格食品核查处置逾期未完成", "Disposal of a non-conforming result not completed in time"),
    severity=Severity.HIGH,
    reads=["operator"],
    legal_basis=[SAMPLING_MEASURES],
    lead=MARKET_BUREAU, responsible=MARKET_BUREAU, evidence=DisposalEvidence,
    message=("{subject}（{sampling_id}）：{sampled_on} 抽样、{received_on} 收到不合格检验结论，"
             "核查处置应于 {deadline} 前（{max_days} 日内）完成，已逾期 {days_overdue} 天仍未完成。",
             "{subject} ({sampling_id}): sampled on {sampled_on}, non-conforming result received on "
             "{received_on}; its disposal was due by {deadline} (within {max_days} days) and "
             "is {days_overdue} day(s) overdue."),
    description=("每个不合格抽检批次：自收到检验结论之日（未记录时取抽样日）起 max_days 日内应有一条"
                 "已完成的核查处置记录（以完成日期为准）。期限已过仍未完成的为问题；逾期后完成的即销号"
                 "（按时完成率由 DEMO-08D 统计）。",
                 "Each non-conforming batch: a completed disposal record (dated by its "
                 "completion) is due within max_days of receiving the result (else of "
                 "sampling). One still not completed past that is a finding; completed late, "
                 "it is closed (DEMO-08D counts timeliness)."),
)


# --------------------------------------------------------------------------- CASE-002


@evidence
class ComplaintEvidence:
    """CASE-002: a food complaint not closed by its deadline."""

    complaint_id: str
    channel: str
    received_on: dt.date
    due_on: dt.date
    days_overdue: int
    operator_id: str | None = None
    operator_name: str | None = None


def _complaint_finding(hit: Hit) -> Finding | None:
    complaint = hit.subject
    assert isinstance(complaint, Complaint)
    if hit.values["status"] == "late":
        return None
    ctx = hit.ctx
    return hit.finding(
        subject=_record_subject(complaint),
        evidence=ComplaintEvidence(
            complaint_id=complaint.id, channel=complaint.channel,
            received_on=complaint.received_on, due_on=hit.values["deadline"],
            days_overdue=_days_overdue(hit), operator_id=complaint.operator_id,
            operator_name=_operator_name(ctx, complaint.operator_id)))


#: CASE-002: a food complaint closed (办结) by the deadline recorded on it.
complaint_closing = check(
    Deadline(scope=Scope(kind=Complaint, where={"is_food": True}), anchor="due_on", offset=0,
             done="closed_on", before=False, finding=_complaint_finding),
    id="CASE-002", version="1.0", grain="complaint", identity=("complaint_id",),
    title=("食品类投诉逾期未办结", "Food complaint not closed by its deadline"),
    severity=Severity.MEDIUM,
    reads=["operator"],
    legal_basis=[COMPLAINT_MEASURES, FSL_ART_115],
    lead=MARKET_BUREAU, responsible=MARKET_BUREAU, evidence=ComplaintEvidence,
    message=("投诉 {subject}（{channel}，{received_on} 登记）：应于 {due_on} 前办结，已逾期 {days_overdue} 天"
             "仍未办结。",
             "Complaint {subject} ({channel}, received {received_on}): due to be closed by {due_on}, "
             "still open {days_overdue} day(s) later."),
    description=("每件食品类投诉：过了记录中的办理时限（应办结日期）仍未办结的为问题，办结即销号；"
                 "没有办理时限的不判断（按时办结率由示范城市指标统计）。",
                 "Each food complaint still open after the deadline recorded on it is a "
                 "finding, closed when it is closed; complaints without a recorded deadline "
                 "are not judged (the demo-city indicator counts the on-time rate)."),
)


# --------------------------------------------------------------------------- CASE-003


@evidence
class CaseEvidence:
    """CASE-003: an enforcement case not closed within its handling time limit."""

    case_id: str
    opened_on: dt.date
    closing_days: int
    deadline: dt.date
    days_overdue: int
    extended_until: dt.date | None = None
    operator_id: str | None = None
    operator_name: str | None = None


def _case_finding(hit: Hit) -> Finding | None:
    case = hit.subject
    assert isinstance(case, EnforcementCase)
    if hit.values["status"] == "late":
        return None
    ctx = hit.ctx
    return hit.finding(
        subject=_record_subject(case),
        evidence=CaseEvidence(
            case_id=case.id, opened_on=hit.values["anchor"], closing_days=hit.values["offset"],
            deadline=hit.values["deadline"], days_overdue=_days_overdue(hit),
            extended_until=case.extended_until, operator_id=case.operator_id,
            operator_name=_operator_name(ctx, case.operator_id)))


#: CASE-003: a case closed (结案) within ``closing_days`` of filing, or by its approved extension.
case_closing = check(
    Deadline(scope=Scope(kind=EnforcementCase), anchor="opened_on",
             offset=Param(name="closing_days", type="int", minimum=1, maximum=730, unit="天",
                          confidence=M,
                          description=Text("普通程序案件自立案之日起的办案期限（天）",
                                           "handling time limit of a case: days from filing")),
             done="closed_on", before=False, extended="extended_until",
             finding=_case_finding),
    id="CASE-003", version="1.0", grain="enforcement_case", identity=("case_id",),
    title=("行政处罚案件超过办案期限未结案", "Enforcement case not closed within its time limit"),
    severity=Severity.MEDIUM,
    reads=["operator"],
    legal_basis=[PENALTY_PROCEDURE],
    lead=MARKET_BUREAU, responsible=MARKET_BUREAU, evidence=CaseEvidence,
    message=("案件 {subject}：{opened_on} 立案，应于 {deadline} 前结案（办案期限 {closing_days} 日，"
             "经批准延长的以延长后为准），已逾期 {days_overdue} 天仍未结案。",
             "Case {subject}: filed on {opened_on}, due to be closed by {deadline} ({closing_days} "
             "days, or an approved extension), still open {days_overdue} day(s) later."),
    description=("每件已立案的案件：自立案之日起 closing_days 日内应结案；记录了经批准延长的期限"
                 "（extended_until）且更晚的，以延长后的日期为准。期限已过仍未结案的为问题，结案即销号。",
                 "Each filed case is due to be closed within closing_days of filing, or by its "
                 "recorded approved extension (extended_until) when later. One still open past "
                 "that is a finding, closed when the case is closed."),
)


# --------------------------------------------------------------------------- CASE-004

_LICENSED = (LicenceKind.BUSINESS.value, LicenceKind.PRODUCTION.value)


@evidence
class RenewalEvidence:
    """CASE-004: a licence expiring, or expired, without a renewal on file.

    ``status`` is ``overdue`` (the renewal deadline passed, still valid) or
    ``expired`` (the licence lapsed).
    """

    status: str
    licence_id: str
    licence_kind: LicenceKind
    number: str
    valid_until: dt.date
    renew_days_before: int
    renewal_deadline: dt.date
    days_overdue: int


def _needs_renewal(ctx: RuleContext, licence: object) -> bool:
    """A licence in force to its expiry: not revoked, its operator not closed on as_of."""
    assert isinstance(licence, Licence)
    if licence.revoked_on is not None and licence.revoked_on <= ctx.as_of:
        return False
    operator = ctx.facts.operator(licence.operator_id)
    return operator is None or operator.active_on(ctx.as_of)


def _renewal_finding(hit: Hit) -> Finding | None:
    licence = hit.subject
    assert isinstance(licence, Licence)
    if hit.values["status"] == "late":
        return None  # renewed, if late (the record has the issue date, not the application)
    ctx = hit.ctx
    operator = ctx.facts.operator(licence.operator_id)
    subject = (Subject.of(operator) if operator is not None
               else Subject(kind=Operator.KIND, id=licence.operator_id, name=licence.operator_id))
    expired = hit.values["anchor"] <= ctx.as_of
    return hit.finding(
        subject=subject, severity=Severity.HIGH if expired else None,
        evidence=RenewalEvidence(
            status="expired" if expired else "overdue", licence_id=licence.id,
            licence_kind=licence.licence_kind, number=licence.number,
            valid_until=hit.values["anchor"], renew_days_before=hit.values["offset"],
            renewal_deadline=hit.values["deadline"], days_overdue=_days_overdue(hit)))


#: CASE-004: a food business or production licence renewed ``renew_days_before`` its expiry.
licence_renewal = check(
    Deadline(
        scope=Scope(kind=Licence, key="operator_id", where={"licence_kind": one_of(*_LICENSED)},
                    filter=_needs_renewal),
        anchor="valid_until",
        offset=Param(name="renew_days_before", type="int", minimum=0, maximum=365, unit="天",
                     confidence=M,
                     description=Text("有效期届满前多少日须申请延续",
                                      "days before expiry by which renewal must be applied for")),
        done=Records(kind="licence", where={"licence_kind": one_of(*_LICENSED)}),
        before=True, after="issued_on", same=("licence_kind",), finding=_renewal_finding),
    id="CASE-004", version="1.0", grain="operator", identity=("licence_id",),
    title=("食品生产经营许可证临近到期或已到期未延续", "Food licence expiring or expired without renewal"),
    severity=Severity.MEDIUM,
    reads=["operator"],
    legal_basis=[FSL_ART_35, BUSINESS_LICENSING, PRODUCTION_LICENSING],
    lead=MARKET_BUREAU, responsible=MARKET_BUREAU, evidence=RenewalEvidence,
    message=("{subject}：{licence_kind} {number} 有效期至 {valid_until}，应于 {renewal_deadline} 前"
             "（届满前 {renew_days_before} 日）申请延续，已逾 {days_overdue} 天，尚无延续后的许可证。",
             "{subject}: {licence_kind} {number} is valid until {valid_until}; renewal was due "
             "by {renewal_deadline} ({renew_days_before} days before expiry), "
             "{days_overdue} day(s) ago, and no renewed licence is on file."),
    messages={
        "expired": ("{subject}：{licence_kind} {number} 已于 {valid_until} 到期，未延续（应于 "
                    "{renewal_deadline} 前申请），已逾 {days_overdue} 天。",
                    "{subject}: {licence_kind} {number} expired on {valid_until} without a "
                    "renewal (due by {renewal_deadline}), {days_overdue} day(s) ago."),
    },
    description=("食品经营许可证和食品生产许可证（未注销、经营主体未歇业）：有效期届满前 renew_days_before "
                 "日仍没有该主体在其后签发的同种许可证的，为一般问题；已过有效期仍未延续的为严重问题。"
                 "延续后的许可证签发即销号；签发晚于申请期限的不再提示（记录只有签发日期，没有申请日期）。"
                 "三小登记证、备案卡的延续由 SMALL-101 按省规定检查。",
                 "Food business and production licences (not revoked, the operator not "
                 "closed): no later licence of the same kind issued to the operator by "
                 "renew_days_before days "
                 "before expiry is medium; expired without one is high. A renewed licence "
                 "closes it; one issued after the deadline is not reported (the record has "
                 "the issue date, not the application date). 三小 certificates and cards are "
                 "SMALL-101's, by the province's rules."),
)

ALL_RULES = (disposal_deadline, complaint_closing, case_closing, licence_renewal)
