"""School-canteen staff: health certificates on every day worked, and the 食品安全总监.

Sources: 食品安全法 Art 45 (V): staff handling ready-to-eat food have a yearly
health check and a certificate before they work; seed 004 item 20 (V). The
director thresholds (kindergarten canteens ≥300 diners per meal, school
canteens ≥500) are corroborated (C) for the 2022 guidance accompanying SAMR
Order 60 and for the 2025 rule on collective dining units.

Coordination with the ``risk`` ruleset: SCHOOL-010 is the director rule for
every school canteen (kindergartens, primary and secondary schools,
universities); the general director rule should leave those canteens out so
no canteen is reported twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from fsrules import Param, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.model import (
    HealthCertificate,
    InstitutionType,
    Operator,
    StaffMember,
    StaffRole,
    WorkShift,
)

from ._common import Campus, institution, window, window_param
from .basis import (
    COLLECTIVE_DINING_RULES,
    ENTERPRISE_DUTIES,
    FOOD_SAFETY_LAW,
    article,
    weixian_item,
)

__all__ = ["director", "health_certificate"]

EDUCATION = ("县教育局",)
MARKET = ("县市场监管局",)

#: SCHOOL-010 applies from the 2022 requirement (in force with Order 60).
DIRECTOR_FROM = dt.date(2022, 11, 1)


# --------------------------------------------------------------------------- SCHOOL-009


@evidence
class CertificateEvidence:
    """SCHOOL-009: the days a food handler worked without a valid certificate."""

    person_id: str
    name: str
    role: StaffRole
    institution_type: InstitutionType
    days_worked: int
    uncovered_days: tuple[dt.date, ...]
    uncovered_count: int
    first_uncovered: dt.date
    last_uncovered: dt.date
    status: str
    latest_certificate_id: str | None
    latest_valid_until: dt.date | None
    latest_issued_on: dt.date | None = None


@evidence
class DirectorEvidence:
    """SCHOOL-010: a canteen at or over the diners threshold with no director."""

    institution_type: Code
    avg_diners_per_meal: int
    threshold: int
    threshold_parameter: str


@evidence
class DinersUnknownEvidence:
    """SCHOOL-010 (info): no director, and the average diners per meal is not recorded."""

    institution_type: Code
    threshold: int
    threshold_parameter: str
    status: str = "no_data"



@rule(
    id="SCHOOL-009",
    version="1.0",
    grain="operator",
    identity=("person_id",),
    evidence=CertificateEvidence,
    title=("学校食堂从业人员在岗时无有效健康证明",
           "School-canteen food handler working without a valid health certificate"),
    severity=Severity.HIGH,
    reads=[Operator, StaffMember, WorkShift, HealthCertificate],
    legal_basis=[article(FOOD_SAFETY_LAW, "第四十五条", "第二款", en="Art. 45 para. 2"),
                 weixian_item(20)],
    parameters=[window_param()],
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：接触直接入口食品的{name}（{person_id}）有 {uncovered_count} 个工作日"
             "（{first_uncovered} 至 {last_uncovered}）没有有效的健康证明（最近一份 "
             "{latest_certificate_id} 有效期 {latest_issued_on} 至 {latest_valid_until}）。",
             "{subject}: {name} ({person_id}), who handles ready-to-eat food, worked "
             "{uncovered_count} day(s) ({first_uncovered} to {last_uncovered}) without a valid "
             "health certificate (latest: {latest_certificate_id}, valid {latest_issued_on} to "
             "{latest_valid_until})."),
    messages={"no_certificate": (
        "{subject}：接触直接入口食品的{name}（{person_id}）有 {uncovered_count} 个工作日"
        "（{first_uncovered} 至 {last_uncovered}）没有有效的健康证明（没有任何健康证明记录）。",
        "{subject}: {name} ({person_id}), who handles ready-to-eat food, worked "
        "{uncovered_count} day(s) ({first_uncovered} to {last_uncovered}) without a valid "
        "health certificate (no certificate on record).")},
    description=(
        "按排班记录（work_shift）逐日核对：学校食堂中接触直接入口食品的人员，每个工作日都须有当日"
        "有效的健康证明（按人员编号查找，不论登记在哪个主体名下）。每人一条，列出未覆盖的日期；"
        "没有排班记录的人员不作判断。",
        "Day by day from the rosters (work_shift): each school-canteen staff member handling "
        "ready-to-eat food needs a health certificate valid on every day worked (looked up by "
        "person id, under any operator). One finding per person listing the uncovered days; "
        "staff without roster records are not judged.",
    ),
)
def health_certificate(ctx: RuleContext) -> Iterator[object]:
    """Days worked by a ready-to-eat food handler without a valid certificate."""
    campus = Campus(ctx.facts)
    period = window(ctx)
    certificates: dict[str, list[HealthCertificate]] = defaultdict(list)
    for cert in ctx.facts.of_kind(HealthCertificate):
        certificates[cert.person_id].append(cert)
    for op, kind in campus.canteens:
        days: dict[str, set[dt.date]] = defaultdict(set)
        for shift in ctx.facts.for_subject(WorkShift, op.id, start=period.start, end=period.end):
            days[shift.person_id].add(shift.worked_on)
        for person_id in sorted(days):
            staff = ctx.facts.get(StaffMember, person_id)
            if staff is None or not staff.touches_ready_to_eat:
                continue
            mine = certificates.get(person_id, [])
            uncovered = sorted(d for d in days[person_id]
                               if not any(c.valid_on(d) for c in mine))
            if not uncovered:
                continue
            latest = max(mine, key=lambda c: (c.valid_until, c.id)) if mine else None
            yield ctx.finding(
                subject=op, period=period, facts=[staff, *mine],
                evidence=CertificateEvidence(
                    person_id=person_id, name=staff.name, role=staff.role, institution_type=kind,
                    days_worked=len(days[person_id]), uncovered_days=tuple(uncovered),
                    uncovered_count=len(uncovered), first_uncovered=uncovered[0],
                    last_uncovered=uncovered[-1],
                    status="no_certificate" if latest is None else "not_valid",
                    latest_certificate_id=latest.id if latest else None,
                    latest_valid_until=latest.valid_until if latest else None,
                    latest_issued_on=latest.issued_on if latest else None),
                trigger=("person_id",), fingerprint_period=False,
            )


# --------------------------------------------------------------------------- SCHOOL-010


def _active(staff: StaffMember, day: dt.date) -> bool:
    if staff.joined_on is not None and day < staff.joined_on:
        return False
    return staff.left_on is None or day < staff.left_on


@rule(
    id="SCHOOL-010",
    version="1.0",
    grain="operator",
    identity=("institution_type",),
    evidence=(DirectorEvidence, DinersUnknownEvidence),
    title=("达到规模的学校、幼儿园食堂未配备食品安全总监",
           "Large school or kindergarten canteen without a food-safety director"),
    severity=Severity.MEDIUM,
    reads=[Operator, StaffMember],
    legal_basis=[ENTERPRISE_DUTIES, COLLECTIVE_DINING_RULES],
    parameters=[
        Param(name="kindergarten_min_diners", type="int", minimum=1, unit="人", confidence="C",
              description=Text("幼儿园食堂平均每餐就餐人数达到此数（含）须配备总监",
                               "kindergarten canteens need a director from this many average "
                               "diners per meal (inclusive)")),
        Param(name="school_min_diners", type="int", minimum=1, unit="人", confidence="C",
              description=Text("学校食堂平均每餐就餐人数达到此数（含）须配备总监",
                               "school canteens need a director from this many average diners "
                               "per meal (inclusive)")),
    ],
    valid_from=DIRECTOR_FROM,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{institution_type}食堂平均每餐就餐 {avg_diners_per_meal} 人，达到 {threshold} 人，"
             "但没有在任的食品安全总监。",
             "{subject}: a {institution_type} canteen with {avg_diners_per_meal} diners per "
             "meal on average (threshold {threshold}) has no food-safety director in post."),
    messages={"no_data": ("{subject}：没有在任的食品安全总监，平均每餐就餐人数未记录，"
                          "无法判断是否达到须配备总监的 {threshold} 人。",
                          "{subject}: no food-safety director in post and the average diners "
                          "per meal is not recorded, so whether the {threshold}-diner threshold "
                          "for a director is met cannot be judged.")},
    description=(
        "“300人以上”“500人以上”含本数。总监可登记在食堂或其学校（school_id）名下，评价日须在任。"
        "本规则覆盖全部学校食堂（幼儿园、中小学、高等学校）；risk 规则集的通用总监规则应排除这些食堂。",
        "'300 or more' and '500 or more' include the number. The director may be registered "
        "under the canteen or its school (school_id) and must be in post on the evaluation "
        "date. This rule covers every school canteen (kindergartens, primary and secondary "
        "schools, universities); the risk ruleset's general director rule leaves them out. "
        "A canteen with no director whose average diners per meal is not recorded cannot be "
        "judged: an info finding (status no_data) says so instead of silence.",
    ),
)
def director(ctx: RuleContext) -> Iterator[object]:
    """School canteens at or over the diners threshold with no director in post."""
    campus = Campus(ctx.facts)
    day = ctx.as_of
    for op, kind in campus.canteens:
        if not op.active_on(day):
            continue
        holders = [op.id, *([op.school_id] if op.school_id else [])]
        directors = [s for oid in holders for s in ctx.facts.for_subject(StaffMember, oid)
                     if s.role is StaffRole.DIRECTOR and _active(s, day)]
        if directors:
            continue
        name = ("kindergarten_min_diners" if kind is InstitutionType.KINDERGARTEN
                else "school_min_diners")
        threshold = ctx.param(name)
        diners = op.avg_diners_per_meal
        if diners is None:
            # Whether a director is required cannot be told: "no data", not "met" (issue 10).
            yield ctx.finding(
                subject=op, severity=Severity.INFO,
                evidence=DinersUnknownEvidence(institution_type=institution(kind),
                                               threshold=threshold, threshold_parameter=name),
                trigger=("institution_type", "status"),
            )
            continue
        if diners < threshold:
            continue
        yield ctx.finding(
            subject=op,
            evidence=DirectorEvidence(institution_type=institution(kind),
                                      avg_diners_per_meal=diners, threshold=threshold,
                                      threshold_parameter=name),
            trigger=("institution_type",),
        )
