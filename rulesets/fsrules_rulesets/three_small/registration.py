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
from typing import Any

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.model import BusinessType, Licence, LicenceKind, Operator, VendorRegistration

from .basis import FSL_ART_35, FSL_ART_36
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    Certificate,
    certificates,
    kind_en,
    kinds_en,
    kinds_zh,
    scoped,
)
from .facts import SmallScope
from .in_force import IN_FORCE_DATES, in_force_from
from .tables import BusinessTable, CertificateDuty, read_table

C = Confidence.CORROBORATED
V = Confidence.VERIFIED


@evidence
class RegistrationEvidence:
    """SMALL-101: the certificate missing, expired, revoked or due for renewal.

    ``status`` is ``missing``, ``expired``, ``revoked`` or ``renewal_due``;
    ``certificate_id`` is ``-`` when none is held (the pair identifies the
    problem). ``certificate_label`` names what the province requires (its
    own name, e.g. 河南 小经营店登记证, when it has one).
    """

    business_type: BusinessType
    required_kinds: tuple[LicenceKind, ...]
    alternatives: tuple[LicenceKind, ...]
    certificate_label: Code
    regime: str
    status: str
    certificate_id: str
    certificate_kind: LicenceKind | None = None
    certificate_number: str | None = None
    issued_on: dt.date | None = None
    valid_until: dt.date | None = None
    validity_source: str | None = None
    renew_days_before: int | None = None
    renewal_deadline: dt.date | None = None
    days_to_expiry: int | None = None
    ended_on: dt.date | None = None
    days_since_end: int | None = None
    opened_on: dt.date | None = None
    file_within_days: int | None = None
    within_period: bool | None = None
    due_on: dt.date | None = None
    lapsed_licence_id: str | None = None
    lapsed_kind: LicenceKind | None = None
    lapsed_number: str | None = None
    lapsed_on: dt.date | None = None

    def _label(self, lang: str) -> str:
        kind = self.certificate_kind
        name = (kind.zh if lang == "zh" else kind_en(kind)) if kind is not None else ""
        return f"{name} {self.certificate_number or self.certificate_id}"

    @property
    def problem(self) -> Text:
        """What is wrong, in words (the message's core)."""
        required = self.certificate_label
        lead = self.renew_days_before
        if self.status == "renewal_due":
            late = lead is not None and (self.days_to_expiry or 0) < lead
            if lead is None:
                when_zh, when_en = "应在到期前申请延续", "renewal is due before expiry"
            else:
                when_zh = f"应于 {self.renewal_deadline} 前（到期前{lead}日）申请延续"
                when_en = f"renewal is due by {self.renewal_deadline} ({lead} days before expiry)"
            return Text(f"{self._label('zh')} 将于 {self.valid_until} 到期，尚无延续证照，{when_zh}"
                        + ("（已逾申请期限）" if late else ""),
                        f"{self._label('en')} expires on {self.valid_until} with no renewal on "
                        f"file; {when_en}" + (" — overdue" if late else ""))
        if self.status == "revoked":
            return Text(f"{self._label('zh')} 已于 {self.ended_on} 注销，未重新取得{required.zh}",
                        f"{self._label('en')} was revoked on {self.ended_on} and not replaced")
        if self.status == "expired":
            when_zh = f"（延续申请期限 {self.due_on}）" if lead else ""
            when_en = f" (renewal was due by {self.due_on})" if lead else ""
            return Text(f"{self._label('zh')} 已于 {self.ended_on} 到期，未延续{when_zh}",
                        f"{self._label('en')} expired on {self.ended_on} and was not "
                        f"renewed{when_en}")
        if self.lapsed_kind is not None and self.lapsed_on is not None:
            lapsed = self.lapsed_number or self.lapsed_licence_id
            held_zh = f"（所持{self.lapsed_kind.zh} {lapsed} 已于 {self.lapsed_on} 失效）"
            held_en = f" (its {kind_en(self.lapsed_kind)} {lapsed} lapsed on {self.lapsed_on})"
        else:
            held_zh = f"，应于 {self.due_on} 前办理" if self.due_on is not None else ""
            held_en = f"; due by {self.due_on}" if self.due_on is not None else ""
        if self.within_period:
            held_zh += "（尚在办理期限内）"
            held_en += " (still within the filing period)"
        return Text(f"未取得有效的{required.zh}{held_zh}", f"no valid {required.en} on file{held_en}")


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
        IN_FORCE_DATES,
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
    evidence=RegistrationEvidence,
    message=(
        "{subject}（{business_type}）：{problem}。依据：{basis}（可信度 "
        "{basis_confidence}）。",
        "{subject} ({business_type}): {problem}. Basis: {basis} (confidence "
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
        base: dict[str, Any] = {
            "business_type": op.business_type, "required_kinds": duty.kinds,
            "alternatives": duty.alternatives, "regime": item.scope.regime,
            "certificate_label": Code("+".join(str(k.value) for k in duty.kinds),
                                      duty.label_zh or kinds_zh(duty.kinds),
                                      duty.label_en or kinds_en(duty.kinds))}
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
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[item.scope, current.fact], due_date=deadline,
            # Before the deadline nothing is wrong yet: a reminder, below the problem scale.
            severity=Severity.MEDIUM if late else Severity.INFO,
            evidence=RegistrationEvidence(
                **base, status="renewal_due", certificate_id=current.fact.id,
                certificate_kind=current.kind, certificate_number=current.number or "-",
                issued_on=current.issued_on, valid_until=expiry,
                validity_source="recorded" if current.valid_until else "profile",
                renew_days_before=lead, renewal_deadline=deadline,
                days_to_expiry=(expiry - ctx.as_of).days),
            trigger=("status", "certificate_id"),
        )


def _not_held(ctx: RuleContext, op: Operator, duty: CertificateDuty, own: list[Certificate],
              alternatives: list[Certificate], base: dict[str, Any]) -> object:
    """The finding for an operator with no valid certificate of the required kinds."""
    if not own:
        lapsed = alternatives[-1] if alternatives else None
        end = None
        if lapsed is not None:
            revoked = lapsed.revoked_on is not None and lapsed.revoked_on <= ctx.as_of
            end = lapsed.revoked_on if revoked else lapsed.expiry()
        if lapsed is not None and end is not None:
            # Covered by a licence until it lapsed: that is when cover was due.
            due: dt.date | None = end
        else:
            due = op.opened_on
            start = in_force_from(duty.basis)
            if due is not None and start is not None and due < start:
                # Opened before the instrument took effect: the duty dates from that day.
                due = start
            if due is not None and duty.file_within_days:
                due += dt.timedelta(days=duty.file_within_days)
        # Within the filing period the law allows (重庆第二十六条：开业后十日内) nothing is
        # wrong yet: a reminder, below the problem scale, until the last day has passed.
        pending = due is not None and ctx.as_of <= due and bool(duty.file_within_days)
        shown = lapsed if lapsed is not None and end is not None else None
        return ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=[op, *([lapsed.fact] if lapsed else [])], due_date=due,
            severity=Severity.INFO if pending else None,
            evidence=RegistrationEvidence(
                **base, status="missing", certificate_id="-", opened_on=op.opened_on,
                file_within_days=duty.file_within_days or 0, within_period=pending,
                due_on=due, lapsed_licence_id=lapsed.fact.id if lapsed else "-",
                lapsed_kind=shown.kind if shown else None,
                lapsed_number=shown.number if shown else None, lapsed_on=end if shown else None),
            trigger=("status", "certificate_id"),
        )
    last = own[-1]
    if last.revoked_on is not None and last.revoked_on <= ctx.as_of:
        status, end, due = "revoked", last.revoked_on, None
    else:
        status, end = "expired", last.expiry(duty.validity_years)
        lead = duty.renew_days_before
        due = None if end is None else end - dt.timedelta(days=lead or 0)
    return ctx.finding(
        legal_basis=[duty.basis],
        subject=op, facts=[op, last.fact], due_date=due,
        evidence=RegistrationEvidence(
            **base, status=status, certificate_id=last.fact.id, certificate_kind=last.kind,
            certificate_number=last.number or "-", issued_on=last.issued_on, ended_on=end,
            days_since_end=(ctx.as_of - end).days if end else 0,
            renew_days_before=duty.renew_days_before if status == "expired" else None,
            due_on=due),
        trigger=("status", "certificate_id"),
    )
