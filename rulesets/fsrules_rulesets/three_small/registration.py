"""SMALL-101: 登记证 / 备案卡 missing, expired, revoked or due for renewal.

Workshops and small eateries hold a registration certificate (登记证),
vendors a filing card (备案卡 / 信息公示卡); which business type holds
which, how long it is valid and how early it must be renewed is the
province's (profile table ``certificates``). A valid licence of the kinds
the table lists as ``alternatives`` (a 食品经营许可证 instead of a 小餐饮
登记证, as Shandong Art. 10(3) allows) also covers the operator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.model import Licence, Operator, VendorRegistration

from .basis import FSL_ART_35, FSL_ART_36
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    Certificate,
    certificates,
    kinds_en,
    kinds_zh,
    scoped,
)
from .facts import SmallScope
from .in_force import in_force_from
from .tables import BusinessTable, CertificateDuty, read_table

C = Confidence.CORROBORATED
V = Confidence.VERIFIED


@rule(
    id="SMALL-101",
    version="1.0",
    grain="operator",
    identity=("status", "certificate_id"),
    title=("三小未取得有效登记证或备案卡（含到期未延续、临近到期）",
           "三小 registration certificate or filing card missing, expired or due for renewal"),
    severity=Severity.HIGH,
    reads=[SmallScope, Operator, Licence, VendorRegistration],
    legal_basis=[FSL_ART_36, FSL_ART_35],
    parameters=[
        Param(name="certificates", type="table", structure=BusinessTable(CertificateDuty), confidence=C,
              description=Text("各业态须持有的证照、有效期（年）、延续提前天数、备案期限（天）及依据",
                               "per business type: certificate kinds, validity (years), renewal "
                               "lead time (days), filing deadline (days) and legal basis")),
        Param(name="remind_days", type="int", minimum=0, maximum=365, unit="日", confidence=V,
              description=Text("在延续申请期限前多少天开始提示（报告设置，非法定）",
                               "days before the renewal deadline from which to remind "
                               "(a reporting choice, not a legal value)")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    message=(
        "{subject}（{business_type_zh}）：{problem_zh}。依据：{basis_citation}（可信度 "
        "{basis_confidence}）。",
        "{subject} ({business_type}): {problem_en}. Basis: {basis_citation_en} (confidence "
        "{basis_confidence}).",
    ),
    description=(
        "按配置文件所属省份的规定，检查食品小作坊、小餐饮的登记证和食品摊贩的备案卡：评价日没有有效证照的"
        "（从未取得、已过期、已注销）为严重问题，但仍在法定办理期限内的（如重庆摊贩开业后10日内备案）只是提示"
        "（info）；有效证照将到期、且尚无延续证照的，自延续申请期限（到期日前规定天数，如山东、河南、重庆为30日）"
        "前 remind_days 天起提示（info），过了申请期限（期限当日仍可申请）为一般问题。证照没有记录"
        "有效期时按省规定的有效年限推算。持有表中 alternatives 所列许可证（如食品经营许可证）的视为已取得。"
        "整改期限：未取得的为开业日期（重庆摊贩为开业后10日），到期的为延续申请期限。",
        "Checks the 登记证 of small workshops and eateries and the filing card of vendors under "
        "the province's rules: none valid on the evaluation date (never held, expired, "
        "revoked) is high, but only a reminder (info) while the filing period the law allows "
        "runs (Chongqing vendors: 10 days from opening); a valid one that expires without a "
        "renewal on file is reminded of (info) from remind_days before the renewal deadline "
        "(expiry minus the province's lead time, 30 days in Shandong, Henan and Chongqing), "
        "and is medium once that deadline has passed (the deadline day itself is in time). "
        "Without a "
        "recorded expiry the province's validity applies. A valid licence of the kinds listed "
        "as alternatives counts. Due date: the opening date (10 days after it for Chongqing "
        "vendors) when none was held, the renewal deadline otherwise.",
    ),
)
def registration(ctx: RuleContext) -> Iterator[object]:
    """One finding per operator without a valid certificate, or with one due for renewal."""
    duties = read_table(ctx, "certificates", CertificateDuty)
    if not duties:
        return
    remind = ctx.param("remind_days")
    for item in scoped(ctx, duties):
        op = item.operator
        if not op.active_on(ctx.as_of):
            continue
        duty = duties[op.business_type]
        certs = certificates(ctx, op.id)
        own = [c for c in certs if c.kind in duty.kinds]
        if any(c.valid_on(ctx.as_of) for c in certs if c.kind in duty.alternatives):
            continue  # licensed instead (e.g. a 食品经营许可证)
        valid = [c for c in own if c.valid_on(ctx.as_of, duty.validity_years)]
        base = {"business_type": op.business_type.value,
                "business_type_zh": op.business_type.zh,
                "required_kinds": [k.value for k in duty.kinds],
                "alternatives": [k.value for k in duty.alternatives],
                "regime": item.scope.regime}
        if not valid:
            alternatives = [c for c in certs if c.kind in duty.alternatives]
            yield _not_held(ctx, op, duty, own, alternatives, base)
            continue
        current = max(valid, key=lambda c: c.expiry(duty.validity_years) or dt.date.max)
        expiry = current.expiry(duty.validity_years)
        if expiry is None:
            continue
        lead = duty.renew_days_before
        deadline = expiry - dt.timedelta(days=lead or 0)
        if ctx.as_of < deadline - dt.timedelta(days=remind):
            continue
        # Applying on the deadline day itself is still in time ("届满三十日前").
        late = ctx.as_of > deadline
        if lead is None:
            when_zh, when_en = "应在到期前申请延续", "renewal is due before expiry"
        else:
            when_zh = f"应于 {deadline} 前（到期前{lead}日）申请延续"
            when_en = f"renewal is due by {deadline} ({lead} days before expiry)"
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[item.scope, current.fact], due_date=deadline,
            # Before the deadline nothing is wrong yet: a reminder, below the problem scale.
            severity=Severity.MEDIUM if late else Severity.INFO,
            evidence={**base, "status": "renewal_due", "certificate_id": current.fact.id,
                      "certificate_number": current.number or "-",
                      "issued_on": current.issued_on, "valid_until": expiry,
                      "validity_source": "recorded" if current.valid_until else "profile",
                      "renew_days_before": lead if lead is not None else "-",
                      "renewal_deadline": deadline,
                      "days_to_expiry": (expiry - ctx.as_of).days,
                      "problem_zh": f"{current.label} 将于 {expiry} 到期，尚无延续证照，{when_zh}"
                                    + ("（已逾申请期限）" if late and lead else ""),
                      "problem_en": f"{current.label_en} expires on {expiry} with no renewal "
                                    f"on file; {when_en}"
                                    + (" — overdue" if late and lead else "")},
            trigger=("status", "certificate_id"),
        )


def _not_held(ctx: RuleContext, op: Operator, duty: CertificateDuty, own: list[Certificate],
              alternatives: list[Certificate], base: dict[str, object]) -> object:
    """The finding for an operator with no valid certificate of the required kinds."""
    required_zh = duty.label_zh or kinds_zh(duty.kinds)
    required_en = duty.label_en or kinds_en(duty.kinds)
    if not own:
        lapsed = alternatives[-1] if alternatives else None
        end = None
        if lapsed is not None:
            revoked = lapsed.revoked_on is not None and lapsed.revoked_on <= ctx.as_of
            end = lapsed.revoked_on if revoked else lapsed.expiry()
        if lapsed is not None and end is not None:
            # Covered by a licence until it lapsed: that is when cover was due.
            due: dt.date | None = end
            held_zh = f"（所持{lapsed.label} 已于 {end} 失效）"
            held_en = f" (its {lapsed.label_en} lapsed on {end})"
        else:
            due = op.opened_on
            start = in_force_from(duty.basis)
            if due is not None and start is not None and due < start:
                # Opened before the instrument took effect: the duty dates from that day.
                due = start
            if due is not None and duty.file_within_days:
                due += dt.timedelta(days=duty.file_within_days)
            held_zh = f"，应于 {due} 前办理" if due is not None else ""
            held_en = f"; due by {due}" if due is not None else ""
        # Within the filing period the law allows (重庆第二十六条：开业后十日内) nothing is
        # wrong yet: a reminder, below the problem scale, until the last day has passed.
        pending = due is not None and ctx.as_of <= due and bool(duty.file_within_days)
        if pending:
            held_zh += "（尚在办理期限内）"
            held_en += " (still within the filing period)"
        return ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[op, *([lapsed.fact] if lapsed else [])], due_date=due,
            severity=Severity.INFO if pending else None,
            evidence={**base, "status": "missing", "certificate_id": "-",
                      "opened_on": op.opened_on or "-",
                      "file_within_days": duty.file_within_days or 0,
                      "within_period": pending,
                      "lapsed_licence_id": lapsed.fact.id if lapsed else "-",
                      "problem_zh": f"未取得有效的{required_zh}{held_zh}",
                      "problem_en": f"no valid {required_en} on file{held_en}"},
            trigger=("status", "certificate_id"),
        )
    last = own[-1]
    if last.revoked_on is not None and last.revoked_on <= ctx.as_of:
        status, end, due = "revoked", last.revoked_on, None
        problem_zh = f"{last.label} 已于 {end} 注销，未重新取得{required_zh}"
        problem_en = f"{last.label_en} was revoked on {end} and not replaced"
    else:
        status, end = "expired", last.expiry(duty.validity_years)
        lead = duty.renew_days_before
        due = None if end is None else end - dt.timedelta(days=lead or 0)
        when_zh = f"（延续申请期限 {due}）" if lead else ""
        when_en = f" (renewal was due by {due})" if lead else ""
        problem_zh = f"{last.label} 已于 {end} 到期，未延续{when_zh}"
        problem_en = f"{last.label_en} expired on {end} and was not renewed{when_en}"
    return ctx.finding(
        legal_basis=[duty.basis],
        subject=op, facts=[op, last.fact], due_date=due,
        evidence={**base, "status": status, "certificate_id": last.fact.id,
                  "certificate_number": last.number or "-", "issued_on": last.issued_on,
                  "ended_on": end or "-",
                  "days_since_end": (ctx.as_of - end).days if end else 0,
                  "problem_zh": problem_zh, "problem_en": problem_en},
        trigger=("status", "certificate_id"),
    )
