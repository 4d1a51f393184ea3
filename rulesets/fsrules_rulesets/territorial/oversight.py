"""Cadre training, 四不两直 inspections and 你点我检 nominations.

* TERR-401: every 包保 cadre is trained by the county's training guide (seed
  000, V). The hours a cadre needs in a year are not in any seed (?):
  ``min_hours`` has no default.
* TERR-501: inspections made 四不两直 — unannounced, straight to the site
  (seed 003, V; Order 49 Arts 22 and 53 define the unannounced 飞行检查, V).
  The share a county must reach is not in any seed (?): ``min_share_percent``
  has no default. Only inspections with a recorded mode count; the others are
  reported as ``unrecorded``.
* TERR-502: the public nominates products and places for sampling and
  inspection (你点我检/你点我查, seed 002, V). The days within which a
  nomination must be followed up are not in any seed (?): ``max_days`` has no
  default. A nomination still open after ``max_days`` is ``open``; one followed
  up later than that within the window is ``late``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from fsrules import Fact, Finding, Param, RuleContext, Severity, Subject, Text, rule
from fsrules.model import BaobaoAssignment, Inspection
from fsrules.shapes import Deadline, Hit, Scope, check

from .._numbers import floor_to, percent, rate_below
from ._common import COUNTY_OFFICE, MARKET, TOWNSHIP_GOV, Townships, counties, window, window_param
from .basis import (
    COUNTY_REVIEW,
    COUNTY_SPEECH,
    ORDER_49,
    PROVINCE_SPEECH,
    TERRITORIAL_MECHANISM,
    article,
    plan_item,
)
from .evidence import NominationEvidence, ShareEvidence, TrainingEvidence
from .facts import CadreTraining, InspectionMode, Nomination

__all__ = ["cadre_training", "nomination_follow_up", "unannounced_share"]


# --------------------------------------------------------------------------- TERR-401


@rule(
    id="TERR-401", version="1.0", grain="cadre", identity=("cadre_id",),
    title=("包保干部培训学时不足", "包保 cadre without the required training"),
    severity=Severity.LOW,
    reads=[BaobaoAssignment, CadreTraining, "operator"],
    legal_basis=[COUNTY_SPEECH, TERRITORIAL_MECHANISM, plan_item(27)],
    parameters=[
        Param(name="min_hours", type="float", minimum=0, unit="学时", confidence="?",
              description=Text("包保干部在统计窗口内须完成的培训学时（种子未规定）",
                               "training hours a cadre needs within the window (no seed "
                               "says)")),
        window_param(),
    ],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV, evidence=TrainingEvidence,
    message=("{subject}（{cadre_id}）包保 {operators} 个主体，{start} 至 {end} 培训 {hours} 学时，"
             "不足 {min_hours} 学时。",
             "{subject} ({cadre_id}) covers {operators} operator(s) and was trained "
             "{hours} hour(s) from {start} to {end}, fewer than {min_hours}."),
    description=("评价日有在包主体的包保干部，统计窗口内包保干部培训（territorial_cadre_training）合计"
                 "学时少于 min_hours 的，每人一条。",
                 "Each cadre with an assignment on the evaluation date whose cadre training "
                 "(territorial_cadre_training) in the window adds up to fewer than "
                 "``min_hours``; one finding per cadre."),
)
def cadre_training(ctx: RuleContext) -> Iterator[object]:
    """Cadres in post with too few training hours in the window."""
    period = window(ctx)
    need = ctx.param("min_hours")
    assigned: dict[str, list[BaobaoAssignment]] = defaultdict(list)
    for a in ctx.facts.of_kind(BaobaoAssignment):
        if a.assigned_on <= ctx.as_of and (a.ended_on is None or a.ended_on > ctx.as_of):
            assigned[a.cadre_id].append(a)
    trained: dict[str, list[CadreTraining]] = defaultdict(list)
    for t in ctx.facts.between(CadreTraining, period.start, period.end):
        trained[t.cadre_id].append(t)
    for cadre_id in sorted(assigned):
        mine = sorted(trained.get(cadre_id, []), key=lambda t: (t.trained_on, t.id))
        hours = sum(t.hours for t in mine)
        if hours >= need:
            continue
        first = min(assigned[cadre_id], key=lambda a: a.id)
        op = ctx.facts.operator(first.operator_id)
        yield ctx.finding(
            subject=Subject(kind="cadre", id=cadre_id, name=first.cadre_name,
                            region_code=op.region_code if op else None),
            period=period, fingerprint_period=False, facts=mine,
            evidence=TrainingEvidence(
                cadre_id=cadre_id, hours=floor_to(float(hours)), min_hours=float(need),
                trainings=len(mine),
                operators=len({a.operator_id for a in assigned[cadre_id]})),
        )


# --------------------------------------------------------------------------- TERR-501


@rule(
    id="TERR-501", version="1.0", grain="region", identity=("measure",),
    title=("“四不两直”检查占比低于要求", "Share of unannounced (四不两直) inspections below target"),
    severity=Severity.MEDIUM,
    reads=[Inspection, InspectionMode, "operator", "territorial_township", "region"],
    legal_basis=[PROVINCE_SPEECH,
                 article(ORDER_49, "第二十二条", None, en="Art. 22"),
                 article(ORDER_49, "第五十三条", None, en="Art. 53")],
    parameters=[
        Param(name="min_share_percent", type="float", minimum=0, maximum=100, unit="%",
              confidence="?",
              description=Text("统计窗口内“四不两直”检查占已登记检查方式的检查的最低比例（种子未规定）",
                               "lowest share of unannounced inspections among those whose "
                               "mode is recorded, within the window (no seed says)")),
        window_param(),
    ],
    lead=MARKET, evidence=ShareEvidence,
    message=("{subject}：{start} 至 {end} 登记了检查方式的 {recorded} 次检查中“四不两直” {unannounced} 次，"
             "占 {share_percent}%，低于 {min_share_percent}%。",
             "{subject}: {unannounced} of {recorded} inspections with a recorded mode from "
             "{start} to {end} were unannounced ({share_percent}%, below "
             "{min_share_percent}%)."),
    description=("按县统计窗口内的监督检查（经营主体在该县）；检查方式见 territorial_inspection_mode。"
                 "未登记方式的检查不计入分母，在证据中列为 unrecorded。",
                 "Per county, inspections in the window of operators in the county; the mode "
                 "comes from territorial_inspection_mode. Inspections without a recorded "
                 "mode are left out of the share and counted as ``unrecorded``."),
)
def unannounced_share(ctx: RuleContext) -> Iterator[object]:
    """Counties whose unannounced inspections fall below their share."""
    period = window(ctx)
    threshold = ctx.param("min_share_percent")
    modes = {m.inspection_id: m for m in ctx.facts.of_kind(InspectionMode)}
    for county in counties(ctx.facts):
        recorded = unannounced = unrecorded = 0
        for ins in ctx.facts.between(Inspection, period.start, period.end):
            op = ctx.facts.operator(ins.operator_id)
            if op is None or op.region_code != county.id:
                continue
            mode = modes.get(ins.id)
            if mode is None:
                unrecorded += 1
                continue
            recorded += 1
            unannounced += mode.unannounced
        if not recorded or not rate_below(unannounced, recorded, threshold):
            continue
        yield ctx.finding(
            subject=county, period=period, fingerprint_period=False,
            evidence=ShareEvidence(
                measure="unannounced_share", recorded=recorded, unannounced=unannounced,
                unrecorded=unrecorded,
                share_percent=floor_to(float(percent(unannounced, recorded))),
                min_share_percent=float(threshold)),
        )


# --------------------------------------------------------------------------- TERR-502


def _recent_or_open(ctx: RuleContext, nom: Fact) -> bool:
    """Nominations made in the window, or not followed up by ``as_of``."""
    assert isinstance(nom, Nomination)
    return (nom.nominated_on >= window(ctx).start or nom.followed_up_on is None
            or nom.followed_up_on > ctx.as_of)


def _nomination_finding(hit: Hit) -> Finding:
    """The county's finding for a nomination the Deadline shape found late or missed."""
    nom = hit.subject
    assert isinstance(nom, Nomination)
    ctx = hit.ctx
    town = Townships(ctx.facts).get(nom.township_id)
    county = next((c for c in counties(ctx.facts) if c.id == nom.region_code),
                  Subject(kind="region", id=nom.region_code, name=nom.region_code,
                          region_code=nom.region_code))
    return ctx.finding(
        subject=county, facts=[nom], due_date=hit.due_date,
        evidence=NominationEvidence(
            nomination_id=nom.id, target=nom.target, nominated_on=nom.nominated_on,
            status="late" if hit.values["status"] == "late" else "open",
            followed_up_on=hit.values["done_on"], max_days=hit.values["offset"],
            due=hit.values["deadline"], township_id=town.id if town else nom.township_id,
            operator_id=nom.operator_id))


#: TERR-502 on the Deadline shape: due ``max_days`` after the nomination, done when
#: followed up; the hook keeps the county as the subject and names the township.
nomination_follow_up = check(
    Deadline(scope=Scope(kind=Nomination, filter=_recent_or_open), anchor="nominated_on",
             offset=Param(name="max_days", type="int", minimum=1, unit="天", confidence="?",
                          description=Text("群众点单后须在多少天内抽检或检查（种子未规定）",
                                           "days within which a nomination must be sampled "
                                           "or inspected (no seed says)")),
             done="followed_up_on", before=False, finding=_nomination_finding),
    id="TERR-502", version="1.0", grain="region", identity=("nomination_id",),
    title=("“你点我检”点单未按时办理", "你点我检 nomination not followed up in time"),
    severity=Severity.MEDIUM,
    reads=[Nomination, "territorial_township", "region", "operator"],
    legal_basis=[COUNTY_REVIEW, plan_item(11)],
    parameters=[window_param()],
    lead=MARKET, responsible=TOWNSHIP_GOV,
    evidence=NominationEvidence,
    message=("{subject}：群众点单 {nomination_id}（{target}，{nominated_on}）逾期未办理，"
             "办理时限 {max_days} 天（至 {due}）。",
             "{subject}: nomination {nomination_id} ({target}, {nominated_on}) is still "
             "open; limit {max_days} days (by {due})."),
    messages={"late": ("{subject}：群众点单 {nomination_id}（{target}，{nominated_on}）于 "
                       "{followed_up_on} 办理，晚于 {max_days} 天时限（{due}）。",
                       "{subject}: nomination {nomination_id} ({target}, {nominated_on}) "
                       "was followed up on {followed_up_on}, after the {max_days}-day "
                       "limit ({due}).")},
    description=("点单日期在统计窗口内或仍未办理的“你点我检”：超过 max_days 天仍未办理为 open，"
                 "办理晚于时限为 late。以 Deadline 形状判断；主体为县，证据中有乡镇编号。",
                 "Nominations made in the window, or still open: not followed up after "
                 "``max_days`` days is ``open``, followed up later than that is ``late``. "
                 "Judged by the Deadline shape; the subject is the county, the evidence "
                 "names the township."),
)
