"""SMALL-301…305: operating obligations of the 三小.

Yearly health certificates (食品安全法 Art. 45; Shandong Art. 11 extends them
to all staff), purchase records kept for the province's period (Shandong
Art. 12, Henan Art. 16, Chongqing Arts. 15 and 30), workshop production
records kept (Shandong Art. 20: a year), first-batch and yearly product
testing (Hebei 2016, C) and no contract manufacturing or repacking by
workshops (Shandong Art. 20(3), Chongqing Art. 14(4), Hebei 2026).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.evidence import evidence
from fsrules.model import (
    BusinessType,
    HealthCertificate,
    LicenceKind,
    Operator,
    ProductionRecord,
    ProductTest,
    PurchaseRecord,
    StaffMember,
    VendorRegistration,
)

from .basis import FSL_ART_36, FSL_ART_45
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    Scoped,
    add_months,
    certificates,
    review_window,
    scoped,
)
from .facts import SmallScope
from .in_force import IN_FORCE_DATES, since
from .tables import (
    BasisOnly,
    BusinessTable,
    HealthDuty,
    ProductTestDuty,
    RetentionDuty,
    read_table,
)

C = Confidence.CORROBORATED
V = Confidence.VERIFIED

#: SMALL-301: why a staff member's certificate does not count, in words.
_LACK = {"none": ("无证明", "none"), "expired": ("已过期", "expired"),
         "exam_overdue": ("体检超过一年", "exam over a year ago")}


@evidence
class StaffLacking:
    """One staff member without a valid yearly certificate (``status``: none, expired,
    exam_overdue), with the latest certificate when there is one."""

    person_id: str
    name: str
    status: str
    certificate_id: str | None = None
    examined_on: dt.date | None = None
    valid_until: dt.date | None = None


@evidence
class HealthEvidence:
    """SMALL-301: the staff at work on the evaluation date without a valid certificate."""

    business_type: BusinessType
    regime: str
    count: int
    staff_checked: int
    all_staff: bool
    person_ids: tuple[str, ...]
    staff: tuple[StaffLacking, ...]
    exam_interval_months: int

    @property
    def staff_scope(self) -> Text:
        """Who needs a certificate: all staff, or those handling ready-to-eat food."""
        if self.all_staff:
            return Text("从业人员", "staff")
        return Text("接触直接入口食品的从业人员", "staff handling ready-to-eat food")

    @property
    def people(self) -> Text:
        """``张三（无证明）、李四（已过期）``."""
        return Text("、".join(f"{p.name}（{_LACK[p.status][0]}）" for p in self.staff),
                    ", ".join(f"{p.name} ({_LACK[p.status][1]})" for p in self.staff))


@evidence
class RetainedRecord:
    """A record kept until ``kept_until``, before the ``required_until`` day."""

    id: str
    date: dt.date
    kept_until: dt.date
    required_until: dt.date


@evidence
class RetentionEvidence:
    """SMALL-302/303: the records kept for less than the province's minimum."""

    business_type: BusinessType
    regime: str
    record_kind: str
    count: int
    record_ids: tuple[str, ...]
    min_months: int
    shortest_kept_days: int
    records: tuple[RetainedRecord, ...]

    @property
    def records_label(self) -> Text:
        """``进货记录`` / ``purchase records``."""
        zh, en = _RECORD_KINDS[self.record_kind]
        return Text(zh, en)


_RECORD_KINDS = {"purchase_record": ("进货记录", "purchase records"),
                 "production_record": ("生产记录", "production records")}


@evidence
class TestingEvidence:
    """SMALL-304: the first-batch and/or yearly test missing (``problems``: codes)."""

    business_type: BusinessType
    regime: str
    problems: tuple[str, ...]
    started_on: dt.date
    tests: int
    last_test_on: dt.date | None = None

    @property
    def status(self) -> str:
        """The message variant: ``first_batch``, ``yearly`` or ``both``."""
        return "both" if len(self.problems) > 1 else self.problems[0]


@evidence
class ContractEvidence:
    """SMALL-305: the batches flagged as contract manufacturing or repacking."""

    business_type: BusinessType
    regime: str
    practice: str
    count: int
    record_ids: tuple[str, ...]
    products: tuple[str, ...]

_REVIEW = Param(name="review_months", type="int", minimum=1, maximum=60, unit="月", confidence=V,
                description=Text("查看评价日前多少个月的记录（报告设置）",
                                 "months of records reviewed (a reporting choice)"))


# --------------------------------------------------------------------------- SMALL-301


@rule(
    id="SMALL-301",
    version="1.0",
    grain="operator",
    identity=("person_ids",),
    title=("三小从业人员无有效健康证明", "三小 staff without a valid yearly health certificate"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, StaffMember, HealthCertificate],
    legal_basis=[FSL_ART_45, FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="health", type="table", structure=BusinessTable(HealthDuty), confidence=C,
              description=Text("各业态是否要求全部从业人员（否则仅接触直接入口食品的人员）持证，及依据",
                               "per business type: whether every staff member needs a "
                               "certificate (else only those handling ready-to-eat food), and "
                               "the legal basis")),
        Param(name="exam_interval_months", type="int", minimum=1, maximum=36, unit="月",
              confidence=V,
              description=Text("健康检查间隔（每年一次）", "interval between health checks (yearly)")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=HealthEvidence,
    message=(
        "{subject}（{business_type}）：{count} 名{staff_scope}没有有效的年度健康证明（{people}）。"
        "依据：{basis}（可信度 {basis_confidence}）。",
        "{subject} ({business_type}): {count} {staff_scope} without a valid yearly health "
        "certificate ({people}). Basis: {basis} (confidence {basis_confidence}).",
    ),
    description=(
        "评价日在岗的从业人员（山东、河北为全部从业人员，其他省份为接触直接入口食品的人员）须持有评价日有效、"
        "且体检日期在 exam_interval_months 个月以内的健康证明；没有证明、证明已过期或体检已超过一年的列出。",
        "Staff at work on the evaluation date (all staff in Shandong and Hebei, those handling "
        "ready-to-eat food elsewhere) need a certificate valid on that date from an exam within "
        "exam_interval_months; those with none, an expired one or an exam over a year old are "
        "listed.",
    ),
)
def health_certificates(ctx: RuleContext) -> Iterator[object]:
    """One finding per operator listing the staff without a valid yearly certificate."""
    duties = read_table(ctx, "health", HealthDuty)
    if not duties:
        return
    interval = ctx.param("exam_interval_months")
    oldest_exam = add_months(ctx.as_of, -interval)
    for item in scoped(ctx, duties):
        op = item.operator
        if not op.active_on(ctx.as_of):
            continue
        duty = duties[op.business_type]
        staff = [p for p in ctx.facts.for_subject(StaffMember, op.id)
                 if (p.joined_on is None or p.joined_on <= ctx.as_of)
                 and (p.left_on is None or p.left_on > ctx.as_of)
                 and (duty.all_staff or p.touches_ready_to_eat)]
        if not staff:
            continue
        by_person: dict[str, list[HealthCertificate]] = defaultdict(list)
        for cert in ctx.facts.for_subject(HealthCertificate, op.id):
            if cert.issued_on <= ctx.as_of:
                by_person[cert.person_id].append(cert)
        lacking: list[StaffLacking] = []
        facts: list[Any] = [item.scope]
        for person in staff:
            certs = sorted(by_person.get(person.id, ()), key=lambda c: (c.issued_on, c.id))
            valid = [c for c in certs if c.valid_on(ctx.as_of)]
            if any(c.issued_on >= oldest_exam for c in valid):
                continue
            if valid:
                status, last = "exam_overdue", valid[-1]
            elif certs:
                status, last = "expired", certs[-1]
            else:
                status, last = "none", None
            facts.append(person)
            if last is not None:
                facts.append(last)
            lacking.append(StaffLacking(
                person_id=person.id, name=person.name, status=status,
                certificate_id=last.id if last else None,
                examined_on=last.issued_on if last else None,
                valid_until=last.valid_until if last else None))
        if not lacking:
            continue
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, facts=facts,
            evidence=HealthEvidence(
                business_type=op.business_type, regime=item.scope.regime, count=len(lacking),
                staff_checked=len(staff), all_staff=duty.all_staff,
                person_ids=tuple(p.person_id for p in lacking), staff=tuple(lacking),
                exam_interval_months=interval),
            trigger=("person_ids",),
        )


# --------------------------------------------------------------------------- SMALL-302/303


def _retention(ctx: RuleContext, item: Scoped, duty: RetentionDuty,
               records: Sequence[PurchaseRecord | ProductionRecord],
               dated: dict[str, dt.date], record_kind: str) -> Iterator[object]:
    """A finding listing the records kept for less than the province's minimum."""
    short = []
    for rec in records:
        kept = rec.record_kept_until
        if kept is None:
            continue  # nothing recorded about retention: nothing to judge
        required = add_months(dated[rec.id], duty.min_months)
        if kept < required:
            short.append((rec, kept, required))
    if not short:
        return
    window = review_window(ctx, ctx.param("review_months"))
    shortest = min((kept - dated[rec.id]).days for rec, kept, _ in short)
    yield ctx.finding(
        legal_basis=[duty.basis],
        subject=item.operator, period=window, facts=[item.scope, *(r for r, _, _ in short)],
        evidence=RetentionEvidence(
            business_type=item.operator.business_type, regime=item.scope.regime,
            record_kind=record_kind, count=len(short),
            record_ids=tuple(r.id for r, _, _ in short), min_months=duty.min_months,
            shortest_kept_days=shortest,
            records=tuple(RetainedRecord(id=r.id, date=dated[r.id], kept_until=kept,
                                         required_until=req) for r, kept, req in short)),
        trigger=("min_months",), fingerprint_period=False,
    )


_RETENTION_MESSAGE = (
    "{subject}（{business_type}）：{start} 至 {end} 的 {count} 条{records_label}保存期限不足"
    " {min_months} 个月（最短仅 {shortest_kept_days} 日）。依据：{basis}（可信度 "
    "{basis_confidence}）。",
    "{subject} ({business_type}): {count} {records_label} from {start} to {end} are kept for "
    "less than {min_months} months (the shortest {shortest_kept_days} days). Basis: "
    "{basis} (confidence {basis_confidence}).",
)


@rule(
    id="SMALL-302",
    version="1.0",
    grain="operator",
    identity=("min_months",),
    title=("三小进货票据保存期限不足", "三小 purchase records not kept for the required period"),
    severity=Severity.LOW,
    reads=[SmallScope, Operator, PurchaseRecord],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="purchase_records", type="table", structure=BusinessTable(RetentionDuty), confidence=V,
              description=Text("各业态进货票据最短保存月数及依据",
                               "per business type: minimum months purchase records are kept, "
                               "and the legal basis")),
        _REVIEW,
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=RetentionEvidence,
    message=_RETENTION_MESSAGE,
    description=(
        "评价日前 review_months 个月的进货记录，记录保存至的日期早于进货日加省规定月数（如山东第十二条不少于"
        "六个月）的列出；“不少于”即恰好满期限为合规。河南、重庆按保质期计算的期限无法由记录得出，以进货日起"
        "六个月为下限判断。",
        "Purchase records of the last review_months kept until a day before the purchase date "
        "plus the province's months (Shandong Art. 12: at least six) are listed; exactly the "
        "minimum complies. Henan's and Chongqing's shelf-life-based periods cannot be computed "
        "from the records, so six months from purchase is used as the lower bound.",
    ),
)
def purchase_records(ctx: RuleContext) -> Iterator[object]:
    """Purchase records kept for less than the province's minimum."""
    duties = read_table(ctx, "purchase_records", RetentionDuty)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    for item in scoped(ctx, duties):
        span = since(window, duties[item.operator.business_type].basis)
        records = () if span is None else ctx.facts.for_subject(
            PurchaseRecord, item.operator.id, start=span.start, end=span.end)
        yield from _retention(ctx, item, duties[item.operator.business_type], records,
                              {r.id: r.purchased_on for r in records}, "purchase_record")


@rule(
    id="SMALL-303",
    version="1.0",
    grain="operator",
    identity=("min_months",),
    title=("食品小作坊生产记录保存期限不足", "Workshop production records not kept long enough"),
    severity=Severity.LOW,
    reads=[SmallScope, Operator, ProductionRecord],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="production_records", type="table", structure=BusinessTable(RetentionDuty), confidence=V,
              description=Text("生产记录最短保存月数及依据",
                               "minimum months production records are kept, and the basis")),
        _REVIEW,
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=RetentionEvidence,
    message=_RETENTION_MESSAGE,
    description=(
        "评价日前 review_months 个月的生产记录，保存至的日期早于生产日期加省规定月数（山东第二十条：不少于"
        "一年）的列出；恰好满期限为合规。",
        "Production records of the last review_months kept until a day before the production "
        "date plus the province's months (Shandong Art. 20: at least a year) are listed; "
        "exactly the minimum complies.",
    ),
)
def production_records(ctx: RuleContext) -> Iterator[object]:
    """Workshop production records kept for less than the province's minimum."""
    duties = read_table(ctx, "production_records", RetentionDuty)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    for item in scoped(ctx, duties):
        span = since(window, duties[item.operator.business_type].basis)
        records = () if span is None else ctx.facts.for_subject(
            ProductionRecord, item.operator.id, start=span.start, end=span.end)
        yield from _retention(ctx, item, duties[item.operator.business_type], records,
                              {r.id: r.produced_on for r in records}, "production_record")


# --------------------------------------------------------------------------- SMALL-304


@rule(
    id="SMALL-304",
    version="1.0",
    grain="operator",
    identity=("problems",),
    title=("食品小作坊未按规定进行首批或年度产品检验",
           "Workshop without the first-batch or yearly product test"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, ProductTest, ProductionRecord, VendorRegistration],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="product_testing", type="table", structure=BusinessTable(ProductTestDuty), confidence=C,
              description=Text("是否要求首批检验、年度检验，及依据",
                               "whether first-batch and yearly tests are required, and the "
                               "basis")),
        Param(name="review_months", type="int", minimum=1, maximum=60, unit="月", confidence=V,
              description=Text("年度检验的考察期（评价日前的月数）",
                               "the yearly-test period: months ending on the evaluation date")),
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=TestingEvidence,
    message=(
        "{subject}：{started_on} 开始生产加工，没有首批产品检验记录。依据：{basis}（可信度 "
        "{basis_confidence}）。",
        "{subject}: producing since {started_on} without a first-batch test. Basis: {basis} "
        "(confidence {basis_confidence}).",
    ),
    messages={
        "yearly": (
            "{subject}：{start} 至 {end} 没有产品检验记录（每年应检验）。依据：{basis}（可信度 "
            "{basis_confidence}）。",
            "{subject}: no product test between {start} and {end} (a yearly test is "
            "required). Basis: {basis} (confidence {basis_confidence}).",
        ),
        "both": (
            "{subject}：{started_on} 开始生产加工，没有首批产品检验记录；{start} 至 {end} 没有产品检验"
            "记录（每年应检验）。依据：{basis}（可信度 {basis_confidence}）。",
            "{subject}: producing since {started_on} without a first-batch test; no product "
            "test between {start} and {end} (a yearly test is required). Basis: {basis} "
            "(confidence {basis_confidence}).",
        ),
    },
    description=(
        "首批检验：在考察期内首次登记（或首次有生产记录）的小作坊，须有首批检验记录（产品检验 first_batch）。"
        "年度检验：考察期开始前已登记或生产的小作坊，考察期内须至少有一次产品检验。整改期限为首次登记日"
        "（首批，须检验合格后销售）或上次检验满一年之日。",
        "First batch: a workshop first registered (or first producing) within the period needs a "
        "first-batch test record. Yearly: a workshop registered or producing before the period "
        "needs at least one product test within it. Due: the first registration date (the "
        "first batch is tested before sale) or a year after the last test.",
    ),
)
def product_testing(ctx: RuleContext) -> Iterator[object]:
    """Workshops missing the first-batch test or this year's test."""
    duties = read_table(ctx, "product_testing", ProductTestDuty)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    for item in scoped(ctx, duties):
        op = item.operator
        duty = duties[op.business_type]
        if not op.active_on(ctx.as_of) or not (duty.first_batch or duty.yearly):
            continue
        regs = certificates(ctx, op.id, [LicenceKind.WORKSHOP_REGISTRATION])
        runs = [r.produced_on for r in ctx.facts.for_subject(ProductionRecord, op.id)
                if r.produced_on <= ctx.as_of]
        starts = [c.issued_on for c in regs] + runs
        if not starts:
            continue  # neither registered nor producing: SMALL-101's concern
        started = min(starts)
        tests = sorted((t for t in ctx.facts.for_subject(ProductTest, op.id)
                        if t.tested_on <= ctx.as_of), key=lambda t: (t.tested_on, t.id))
        problems: list[str] = []
        dues: list[dt.date] = []
        # Nothing before the instrument took effect is judged by it: production begun
        # earlier is no "first batch" under it, and a yearly test is owed only for a
        # review window wholly under it.
        span = since(window, duty.basis)
        under = span is not None and span.start == window.start
        if (duty.first_batch and started >= window.start and span is not None
                and started >= span.start and not any(t.first_batch for t in tests)):
            problems.append("first_batch")
            dues.append(started)
        recent = [t for t in tests if t.tested_on >= window.start]
        if duty.yearly and under and started < window.start and not recent:
            problems.append("yearly")
            dues.append(add_months(tests[-1].tested_on if tests else started, 12))
        if not problems:
            continue
        yield ctx.finding(
            legal_basis=[duty.basis],
            subject=op, period=window, due_date=min(dues), facts=[item.scope, *tests[-1:]],
            evidence=TestingEvidence(
                business_type=op.business_type, regime=item.scope.regime,
                problems=tuple(problems), started_on=started, tests=len(tests),
                last_test_on=tests[-1].tested_on if tests else None),
            trigger=("problems",), fingerprint_period=False,
        )


# --------------------------------------------------------------------------- SMALL-305


@rule(
    id="SMALL-305",
    version="1.0",
    grain="operator",
    identity=("practice",),
    title=("食品小作坊接受委托生产加工或分装食品", "Workshop does contract manufacturing or repacking"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, ProductionRecord],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="no_contract", type="table", structure=BusinessTable(BasisOnly), confidence=C,
              description=Text("禁止委托加工、分装的业态及依据",
                               "business types barred from contract manufacturing and "
                               "repacking, and the basis")),
        _REVIEW,
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=ContractEvidence,
    message=(
        "{subject}：{start} 至 {end} 有 {count} 批接受委托加工或分装（{products}）。依据："
        "{basis}（可信度 {basis_confidence}）。",
        "{subject}: {count} batch(es) of contract manufacturing or repacking between {start} "
        "and {end} ({products}). Basis: {basis} (confidence "
        "{basis_confidence}).",
    ),
    description=(
        "评价日前 review_months 个月的生产记录中标记为委托加工或分装的批次。生产记录不区分两者；重庆条例"
        "只禁止分装（第十四条第四项），依据的说明中已注明。",
        "Production batches of the last review_months flagged as contract manufacturing or "
        "repacking. The record does not tell the two apart; Chongqing prohibits repacking only "
        "(Art. 14(4)), as its basis note says.",
    ),
)
def contract_manufacturing(ctx: RuleContext) -> Iterator[object]:
    """Workshop batches flagged as contract manufacturing or repacking."""
    duties = read_table(ctx, "no_contract", BasisOnly)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    for item in scoped(ctx, duties):
        span = since(window, duties[item.operator.business_type].basis)
        batches = [] if span is None else [
            r for r in ctx.facts.for_subject(ProductionRecord, item.operator.id,
                                             start=span.start, end=span.end)
            if r.contract_manufacturing]
        if not batches:
            continue
        products = list(dict.fromkeys(r.product_name for r in batches))
        yield ctx.finding(
            legal_basis=[duties[item.operator.business_type].basis],
            subject=item.operator, period=window, facts=[item.scope, *batches],
            evidence=ContractEvidence(
                business_type=item.operator.business_type, regime=item.scope.regime,
                practice="contract_manufacturing_or_repacking", count=len(batches),
                record_ids=tuple(r.id for r in batches), products=tuple(products)),
            trigger=("practice",), fingerprint_period=False,
        )
