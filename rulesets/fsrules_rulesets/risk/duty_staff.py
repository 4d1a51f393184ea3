"""Enterprise duties (企业主体责任), the people: a 食品安全总监 where one is
required (DUTY-004), a 食品安全员 in every bound enterprise (DUTY-006), and
their 40 training hours a year (DUTY-005).

SAMR Order 60 (in force 2022-11-01, C) and the 2025 rules on enterprise and
collective-dining duties. The records the enterprise keeps (日管控 / 周排查 /
月调度) are judged in :mod:`.duties`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.model import (
    BusinessType,
    InstitutionType,
    Operator,
    OperatorScale,
    StaffMember,
    StaffRole,
    TrainingRecord,
)

from .._basis import FOOD_SAFETY_LAW, WEIXIAN_PLAN
from .._numbers import exact, exact_sum
from ._common import (
    COUNTY_BUREAU,
    MARKET_OFFICES,
    judged_year,
    period_param,
    year_end,
)
from ._duty_evidence import (
    REASON,
    DirectorMissingEvidence,
    DirectorNoDataEvidence,
    SafetyOfficerEvidence,
    TrainingEvidence,
)
from .basis import (
    CANTEEN_DUTIES_2025,
    ENTERPRISE_DUTIES_2025,
    IMPLEMENTING_REGULATIONS,
    ORDER_60,
    article,
)
from .duties import ORDER_60_IN_FORCE, bound_enterprises, parse_roles
from .facts import DutyEnterprise

__all__ = ["director_missing", "director_reasons", "safety_officer_missing", "training_hours"]

C = Confidence.CORROBORATED


# --------------------------------------------------------------------------- 总监 and 安全员


def _on_duty(staff: Iterable[StaffMember], role: StaffRole, day: dt.date) -> list[StaffMember]:
    return sorted((p for p in staff if p.role is role
                   and (p.joined_on is None or p.joined_on <= day)
                   and (p.left_on is None or p.left_on > day)), key=lambda p: p.id)


def director_reasons(op: Operator, large_medium: set[str], min_diners: Mapping[str, Any]
                     ) -> list[str]:
    """Why ``op`` must appoint a 食品安全总监 (empty: it need not)."""
    reasons = []
    if op.is_special_food or op.business_type is BusinessType.HEALTH_FOOD_PRODUCER:
        reasons.append("special_food")
    if op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM) and \
            op.business_type.value in large_medium:
        reasons.append("large_medium")
    if op.is_chain_hq:
        reasons.append("chain_hq")
    if (op.business_type is BusinessType.UNIT_CANTEEN and op.avg_diners_per_meal is not None
            and op.institution_type not in _SCHOOLS and op.school_id is None):
        # School and kindergarten canteens are judged by SCHOOL-010 under the
        # school rules; judging them here too would report one gap twice.
        kind = (op.institution_type or InstitutionType.OTHER).value
        threshold = min_diners.get(kind, min_diners.get("other"))
        # "300人以上" includes 300 (以上 counts the number itself).
        if threshold is not None and op.avg_diners_per_meal >= threshold:
            reasons.append("canteen_diners")
    return reasons


def _unknown_diner_threshold(op: Operator, min_diners: Mapping[str, Any]) -> Any:
    """The diner threshold a canteen with no recorded diners might meet (None: not such)."""
    if (op.business_type is not BusinessType.UNIT_CANTEEN or op.avg_diners_per_meal is not None
            or op.institution_type in _SCHOOLS or op.school_id is not None):
        return None
    kind = (op.institution_type or InstitutionType.OTHER).value
    return min_diners.get(kind, min_diners.get("other"))


_SCHOOLS = frozenset({InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
                      InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY})

@rule(
    id="DUTY-004",
    version="1.0",
    grain="operator",
    identity=("reasons",),
    evidence=(DirectorMissingEvidence, DirectorNoDataEvidence),
    title=("应配备而未配备食品安全总监", "No food-safety director (食品安全总监) where one is required"),
    severity=Severity.HIGH,
    reads=[Operator, StaffMember],
    legal_basis=[ORDER_60,
                 article(ENTERPRISE_DUTIES_2025, "第六条", en="Art. 6"),
                 CANTEEN_DUTIES_2025,
                 article(WEIXIAN_PLAN, "五(五)", "27", en="§5(5) item 27")],
    parameters=[
        Param(name="large_medium_types", type="list", confidence=C,
              description=Text("大中型即须配备总监的业态（生产、销售、餐饮，含中央厨房、集体用餐配送单位）",
                               "business types whose large and medium members need a director "
                               "(producers, sellers, caterers incl. central kitchens and "
                               "meal-delivery units)")),
        Param(name="canteen_min_diners", type="table", confidence=C, unit="人/餐",
              description=Text("单位食堂平均每餐就餐人数达到该值须配备总监（幼儿园300、学校500、其他1000；"
                               "2025-04-15起养老机构300）",
                               "average diners per meal from which a canteen needs a director "
                               "(kindergartens 300, schools 500, others 1000; elderly care 300 "
                               "from 2025-04-15)")),
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject}（{reasons}）应配备食品安全总监，评价日没有在任的食品安全总监。",
        "{subject} ({reasons}) must appoint a food-safety director; none is in post on the "
        "evaluation date.",
    ),
    messages={
        "no_data": ("{subject}：没有在任的食品安全总监，平均每餐就餐人数未记录，"
                    "无法判断是否达到须配备总监的 {diner_threshold} 人。",
                    "{subject}: no food-safety director in post and the average "
                    "diners per meal is not recorded, so whether the "
                    "{diner_threshold}-diner threshold for a director is met cannot "
                    "be judged."),
    },
    description=(
        "须配备食品安全总监的：特殊食品生产者；大中型食品生产、销售、餐饮服务企业（含中央厨房、集体用餐配送单位）；"
        "连锁经营总部；平均每餐就餐人数幼儿园（2025-04-15起含养老机构）≥300、学校≥500、其他单位≥1000的食堂"
        "（“以上”含本数；学校、幼儿园食堂由 SCHOOL-010 判断）。"
        "评价日没有岗位为食品安全总监且在职的人员即报告。"
        "食堂没有总监、平均每餐就餐人数又未记录的，无法判断，给出提示（info，status=no_data）而不是不报告。",
        "A director is required for special-food producers; large and medium producers, "
        "sellers and caterers (central kitchens and meal-delivery units included); chain "
        "headquarters; canteens averaging ≥ 300 diners a meal for kindergartens (and, from "
        "2025-04-15, elderly care), ≥ 500 for schools and ≥ 1000 for others (school and "
        "kindergarten canteens are judged by SCHOOL-010). Reported when no "
        "staff member holds the post on the evaluation date. A canteen with no director "
        "whose average diners per meal is not recorded cannot be judged: an info finding "
        "(status no_data) says so instead of silence.",
    ),
)
def director_missing(ctx: RuleContext) -> Iterator[object]:
    """Required 总监 not in post on ``as_of``."""
    large_medium = set(ctx.param("large_medium_types"))
    min_diners = ctx.param("canteen_min_diners")
    for op in ctx.facts.of_kind(Operator):
        if not op.active_on(ctx.as_of):
            continue
        reasons = director_reasons(op, large_medium, min_diners)
        unknown = None if reasons else _unknown_diner_threshold(op, min_diners)
        if not reasons and unknown is None:
            continue
        staff = ctx.facts.for_subject(StaffMember, op.id)
        if _on_duty(staff, StaffRole.DIRECTOR, ctx.as_of):
            continue
        if unknown is not None:
            # Whether a director is required cannot be told: "no data", not "met" (issue 10).
            yield ctx.finding(
                subject=op, severity=Severity.INFO,
                evidence=DirectorNoDataEvidence(avg_diners_per_meal=None,
                                                diner_threshold=unknown),
                facts=[op], trigger=("reasons", "status"), fingerprint_period=False,
            )
            continue
        kind = (op.institution_type or InstitutionType.OTHER).value
        former = [p for p in staff if p.role is StaffRole.DIRECTOR]
        yield ctx.finding(
            subject=op,
            evidence=DirectorMissingEvidence(
                reasons=tuple(REASON(r) for r in reasons),
                business_type=op.business_type.value,
                scale=op.scale.value if op.scale else None,
                avg_diners_per_meal=op.avg_diners_per_meal,
                diner_threshold=min_diners.get(kind, min_diners.get("other"))
                if "canteen_diners" in reasons else None,
                former_director_ids=tuple(p.id for p in former)),
            facts=[op, *former], trigger=("reasons",), fingerprint_period=False,
        )


@rule(
    id="DUTY-006",
    version="1.0",
    grain="operator",
    identity=("business_type",),
    evidence=SafetyOfficerEvidence,
    title=("未配备食品安全员", "No food-safety officer (食品安全员)"),
    severity=Severity.HIGH,
    reads=[DutyEnterprise, Operator, StaffMember],
    legal_basis=[ORDER_60, article(FOOD_SAFETY_LAW, "第四十四条", en="Art. 44"),
                 article(IMPLEMENTING_REGULATIONS, "第十九条", en="Art. 19"),
                 article(ENTERPRISE_DUTIES_2025, "第六条", en="Art. 6")],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 评价日没有在任的食品安全员（第60号令要求企业配备食品安全员）。",
        "{subject} has no food-safety officer in post on the evaluation date (Order 60 "
        "requires every enterprise to appoint one).",
    ),
    description=(
        "适用主体责任规定的企业（见 INFER-DUTY-SCOPE）都应配备食品安全员；评价日没有岗位为食品安全员且在职的"
        "人员即报告。",
        "Every enterprise bound by the duty rules (see INFER-DUTY-SCOPE) appoints a safety "
        "officer; reported when none holds the post on the evaluation date.",
    ),
)
def safety_officer_missing(ctx: RuleContext) -> Iterator[object]:
    """No 安全员 in post on ``as_of``."""
    for _scope, op in bound_enterprises(ctx):
        if not op.active_on(ctx.as_of):
            continue
        staff = ctx.facts.for_subject(StaffMember, op.id)
        if _on_duty(staff, StaffRole.SAFETY_OFFICER, ctx.as_of):
            continue
        former = [p for p in staff if p.role is StaffRole.SAFETY_OFFICER]
        yield ctx.finding(
            subject=op,
            evidence=SafetyOfficerEvidence(business_type=op.business_type.value,
                                           former_officer_ids=tuple(p.id for p in former)),
            facts=[op, *former], trigger=("business_type",), fingerprint_period=False,
        )


# --------------------------------------------------------------------------- training


@rule(
    id="DUTY-005",
    version="1.0",
    grain="operator",
    identity=("person_id",),
    evidence=TrainingEvidence,
    title=("食品安全总监、安全员年度培训不足{min_hours}学时",
           "Director or safety officer trained less than {min_hours} hours in the year"),
    severity=Severity.MEDIUM,
    reads=[StaffMember, TrainingRecord, Operator],
    legal_basis=[ENTERPRISE_DUTIES_2025,
                 article(WEIXIAN_PLAN, "五(五)", "19", en="§5(5) item 19"),
                 article(IMPLEMENTING_REGULATIONS, "第二十条", en="Art. 20"),
                 ORDER_60],
    parameters=[
        Param(name="min_hours", type="float", minimum=0, unit="学时", confidence=C,
              description=Text("每人每年最少培训学时", "minimum training hours per person a "
                               "year")),
        Param(name="roles", type="list", confidence=C,
              description=Text("要求培训的岗位（总监、安全员；示范县方案还包括单位负责人）",
                               "posts that must be trained (director and safety officer; the "
                               "demo county's plan adds the principal)")),
        period_param("培训学时", "training hours are counted"),
    ],
    valid_from=ORDER_60_IN_FORCE,
    lead=COUNTY_BUREAU,
    responsible=MARKET_OFFICES,
    message=(
        "{subject} 的{role_name} {person_name}（{person_id}）{year}年培训 {hours} 学时，少于 {min_hours} 学时"
        "（差 {shortfall} 学时），应于 {due_date} 前补足。",
        "{subject}: {role_name} {person_name} ({person_id}) was trained {hours} hours in {year}, "
        "less than {min_hours} (short by {shortfall}); due by {due_date}.",
    ),
    description=(
        "食品安全总监、食品安全员每年培训不少于40学时（2025年规定，C；示范县实施方案第19项要求单位负责人和质量安全"
        "管理人员每年集中培训不低于40学时，V）。只判断整个统计年度（截至评价日）都在岗的人员；年度未结束时为提示。",
        "Directors and safety officers are trained at least 40 hours a year (2025 rule, C; the "
        "demo county's plan item 19 asks 40 hours of the heads and quality staff, V). Only "
        "people in post for the whole year (to the evaluation date) are judged; while the "
        "year is open the finding is info.",
    ),
)
def training_hours(ctx: RuleContext) -> Iterator[object]:
    """Hours trained in the year below the minimum."""
    floor = exact(ctx.param("min_hours"))
    roles = parse_roles(ctx.param("roles"))
    year = judged_year(ctx.as_of, ctx.param("period"))
    to = min(year.end, ctx.as_of)
    hours: dict[str, list[TrainingRecord]] = defaultdict(list)
    for record in ctx.facts.between(TrainingRecord, year.start, to):
        hours[record.person_id].append(record)
    for person in ctx.facts.of_kind(StaffMember):
        if person.role not in roles:
            continue
        if person.joined_on is not None and person.joined_on > year.start:
            continue
        if person.left_on is not None and person.left_on <= to:
            continue
        op = ctx.facts.operator(person.operator_id)
        if op is None or not op.active_on(to):
            continue
        records = sorted(hours.get(person.id, ()), key=lambda r: (r.trained_on, r.id))
        total = exact_sum(r.hours for r in records)
        if total >= floor:
            continue
        window_open = ctx.as_of < year.end
        yield ctx.finding(
            subject=op, period=year, due_date=year_end(year.end),
            severity=Severity.INFO if window_open else None,
            evidence=TrainingEvidence(
                person_id=person.id, person_name=person.name, role=person.role,
                year=year.end.year, hours=float(total), min_hours=float(ctx.param("min_hours")),
                shortfall=float(floor - total), training_ids=tuple(r.id for r in records),
                window_open=window_open),
            facts=[op, person, *records], trigger=("person_id",),
        )

