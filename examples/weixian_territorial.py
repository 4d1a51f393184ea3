"""The territorial records of the synthetic 威县 bundle (ruleset ``territorial``, issue 16).

Called by ``examples/generate_weixian.py`` after every other record is built:
:func:`territorial_facts` reads the county's operators, 包保 assignments,
inspections and licences and adds what the county food-safety office keeps
about itself — townships and member departments, their 三单一书, the risk
register, the oversight cadence, cadre training, inspection modes, 你点我检
nominations, the plan's milestones, liability insurance and traceability.

It draws from its own seeded :class:`random.Random`, so the records of every
other kind stay byte-identical. Everything is invented. The problems planted
for the ``demo`` profile as of 2023-12-31 are listed in :data:`README_LINES`
(copied into the bundle's README).
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from collections.abc import Sequence
from pathlib import Path

from fsrules import Fact
from fsrules.model import (
    BaobaoAssignment,
    BusinessType,
    Inspection,
    InstitutionType,
    Licence,
    Operator,
)
from fsrules_rulesets.territorial.facts import (
    ALL_FACT_KINDS,
    CadenceKind,
    CadreTraining,
    Department,
    DocumentKind,
    DutyDocument,
    FoundBy,
    HolderKind,
    InspectionMode,
    InspectionSource,
    InsurancePolicy,
    MilestoneReport,
    Nomination,
    OversightEvent,
    RiskEntry,
    Township,
    TownshipRoster,
    TraceabilityEnrolment,
)

__all__ = ["KINDS", "README_LINES", "territorial_facts"]

#: Input kinds written to the bundle, in this order (the roster is derived, never written).
KINDS: tuple[type[Fact], ...] = tuple(k for k in ALL_FACT_KINDS if k is not TownshipRoster)

COUNTY = "130533"
YEAR = 2023
AS_OF = dt.date(2023, 12, 31)

DEPARTMENTS = ("县市场监管局", "县农业农村局", "县卫健局", "县教育局", "县公安局", "县商务局",
               "县发改局", "县财政局")

# Planted problems (README_LINES says what each shows).
MISSING_LIST = ("固献镇", DocumentKind.SUPERVISION_LIST)          # TERR-101 missing
STALE_LIST = ("章台镇", DocumentKind.TASK_LIST, dt.date(2022, 3, 15))  # TERR-101 out of date
DEPARTMENT_NO_COMMITMENT = "县商务局"                             # TERR-102
CADRES_WITHOUT_TASK_LIST = 3                                      # TERR-103
OVERDUE_TOWNS = ("贺营镇", "贺营镇", "七级镇")                      # TERR-201
LATE_TOWN = "贺营镇"                                               # TERR-202
MISSED_OVERSIGHT_MONTH = 8                                        # TERR-301
MISSED_HEARING_QUARTER = 3                                        # TERR-304
MISSED_TOWN_REVIEWS = (("第什营镇", 2), ("第什营镇", 3), ("赵村镇", 4))  # TERR-306
UNDERTRAINED_CADRES = 5                                           # TERR-401
UNANNOUNCED_EVERY = 6                                             # TERR-501: 1 in 6 < 20 %
TOWN_WITHOUT_REPORT = "高公庄乡"                                    # TERR-602
TOWN_LATE_REPORT = "常屯乡"                                         # done late: quiet
DEPARTMENT_WITHOUT_REPORT = "县发改局"                              # TERR-603

README_LINES: tuple[str, ...] = (
    "* territorial (`profiles/demo.territorial.toml`, the phase table of 威县's plan and",
    "  illustrative values): the 16 townships and 8 member departments; 固献镇 without its",
    "  督查清单 and 章台镇 whose 任务清单 dates from March 2022 (`TERR-101`), 县商务局",
    "  without its 承诺书 (`TERR-102`), three cadres without a task list (`TERR-103`); three",
    "  hidden risks open past their deadline, two in 贺营镇 and one in 七级镇 (`TERR-201`),",
    "  and 贺营镇 rectifying on time less than 90 % (`TERR-202`); no county 督查 in August",
    "  2023 (`TERR-301`) and no county standing-committee hearing in the third quarter",
    "  (`TERR-304`); 第什营镇 without its own risk review in the second and third quarters",
    "  and 赵村镇 in the fourth (`TERR-306`); five cadres trained fewer than 8 hours",
    "  (`TERR-401`); one inspection in six made 四不两直, below the demo's 20 %",
    "  (`TERR-501`); a 你点我检 nomination still open and one followed up late",
    "  (`TERR-502`); 高公庄乡 and 县发改局 without the self-inspection report due",
    "  2023-11-10 (`TERR-602`, `TERR-603`; 常屯乡 sent it late, which is not a finding);",
    "  a school canteen without liability insurance, four of ten banquet cooks insured",
    "  (`TERR-701`) and a dairy outside every traceability system (`TERR-702`). The",
    "  county's self-inspection report to the city is due on 2023-12-31 and not on",
    "  record: `TERR-601` reports it from the next day. `--format summary` ranks the",
    "  townships on the quarter's 红黑榜.",
)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _month_start(month: int) -> dt.date:
    return dt.date(YEAR, month, 1)


def _sector_table() -> dict[str, dict[str, list[str]]]:
    import fsrules_rulesets.territorial as pkg

    path = Path(pkg.__file__).parent / "parameters.toml"
    with path.open("rb") as fh:
        table: dict[str, dict[str, list[str]]] = tomllib.load(fh)["TERR-701"]["sectors"]
    return table


def _in_sector(op: Operator, spec: dict[str, list[str]], scopes: dict[str, list[str]]) -> bool:
    types = {BusinessType.parse(t) for t in spec.get("business_types", [])}
    insts = {InstitutionType.parse(t) for t in spec.get("institution_types", [])}
    terms = spec.get("scope_terms", [])
    if types and op.business_type not in types:
        return False
    if insts and op.institution_type not in insts:
        return False
    return not terms or any(t in s for t in terms for s in scopes.get(op.id, []))


class _Territory:
    def __init__(self, facts: Sequence[Fact], townships: Sequence[tuple[str, str]],
                 seed: int) -> None:
        self.rng = random.Random(seed * 31 + 16)
        self.ops = [f for f in facts if isinstance(f, Operator)]
        self.assignments = [f for f in facts if isinstance(f, BaobaoAssignment)]
        self.inspections = [f for f in facts if isinstance(f, Inspection)]
        self.licences = [f for f in facts if isinstance(f, Licence)]
        self.towns = [Township(id=code, name=name, county_code=COUNTY)
                      for code, name in townships]
        self.town_of = {t.name: t for t in self.towns}
        self.deps = [Department(id=f"WXDEP{i + 1:02d}", name=name, region_code=COUNTY)
                     for i, name in enumerate(DEPARTMENTS)]
        self.out: list[Fact] = []
        self.counter: dict[str, int] = {}

    def next_id(self, prefix: str) -> str:
        self.counter[prefix] = self.counter.get(prefix, 0) + 1
        return f"{prefix}{self.counter[prefix]:05d}"

    def active_cadres(self) -> list[BaobaoAssignment]:
        first: dict[str, BaobaoAssignment] = {}
        for a in self.assignments:
            if a.assigned_on <= AS_OF and (a.ended_on is None or a.ended_on > AS_OF):
                first.setdefault(a.cadre_id, a)
        return [first[c] for c in sorted(first)]

    # ------------------------------------------------------------------ records

    def documents(self) -> list[DutyDocument]:
        out = []
        holders = [(HolderKind.TOWNSHIP, t.id, t.name) for t in self.towns]
        holders += [(HolderKind.DEPARTMENT, d.id, d.name) for d in self.deps]
        for kind, holder_id, name in holders:
            for doc in DocumentKind:
                if (name, doc) == MISSING_LIST:
                    continue
                if kind is HolderKind.DEPARTMENT and name == DEPARTMENT_NO_COMMITMENT \
                        and doc is DocumentKind.COMMITMENT:
                    continue
                issued = _day(self.rng, dt.date(YEAR, 2, 6), dt.date(YEAR, 3, 10))
                if (name, doc) == STALE_LIST[:2]:
                    issued = STALE_LIST[2]
                out.append(DutyDocument(id=self.next_id("WXSD"), holder_kind=kind,
                                        holder_id=holder_id, document=doc, issued_on=issued,
                                        reference=f"威食安〔{issued.year}〕{self.rng.randrange(1, 90)}号"))
        cadres = self.active_cadres()
        skip = {a.cadre_id for a in cadres[5::max(1, len(cadres) // CADRES_WITHOUT_TASK_LIST)]
                [:CADRES_WITHOUT_TASK_LIST]}
        for a in cadres:
            if a.cadre_id in skip:
                continue
            issued = max(a.assigned_on, dt.date(YEAR, 2, 20)) + dt.timedelta(
                days=self.rng.randrange(15))
            out.append(DutyDocument(id=self.next_id("WXSD"), holder_kind=HolderKind.CADRE,
                                    holder_id=a.cadre_id, document=DocumentKind.TASK_LIST,
                                    issued_on=min(issued, AS_OF)))
        return out

    def risk_register(self) -> list[RiskEntry]:
        hazards = ("农村自建房集体聚餐场所无消毒设施", "校园周边流动摊贩售卖三无食品",
                   "小作坊原料进货查验记录缺失", "农贸市场活禽宰杀区卫生不达标",
                   "冷链食品储存温度记录不全", "小餐饮后厨防鼠设施缺失",
                   "超市临期食品未单独存放", "养老机构食堂留样不规范", "网络订餐商户无实体门店公示")
        departments = ("县市场监管局", "县农业农村局", "县卫健局", "县教育局", "县商务局")
        out: list[RiskEntry] = []
        for town in self.towns:
            for _ in range(3 + self.rng.randrange(2)):
                found = _day(self.rng, dt.date(YEAR, 1, 5), dt.date(YEAR, 9, 30))
                deadline = found + dt.timedelta(days=30 + 15 * self.rng.randrange(3))
                rectified = deadline - dt.timedelta(days=self.rng.randrange(1, 20))
                out.append(RiskEntry(
                    id=self.next_id("WXFX"), hazard=self.rng.choice(hazards),
                    township_id=town.id, found_on=found,
                    found_by=self.rng.choice([f for f in FoundBy if f is not FoundBy.FINDING]),
                    department=self.rng.choice(departments), deadline=deadline,
                    rectified_on=max(found, rectified)))
        for name in OVERDUE_TOWNS:  # open past their deadline
            found = _day(self.rng, dt.date(YEAR, 8, 1), dt.date(YEAR, 9, 30))
            out.append(RiskEntry(
                id=self.next_id("WXFX"), hazard="小作坊超范围生产未整改",
                township_id=self.town_of[name].id,
                found_on=found, found_by=FoundBy.INSPECTION, department="县市场监管局",
                deadline=found + dt.timedelta(days=45)))
        for _ in range(2):  # rectified, but late
            found = _day(self.rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 6, 30))
            deadline = found + dt.timedelta(days=30)
            out.append(RiskEntry(
                id=self.next_id("WXFX"), hazard="集体聚餐场所清洗消毒设施不全",
                township_id=self.town_of[LATE_TOWN].id, found_on=found,
                found_by=FoundBy.BAOBAO, department="县市场监管局", deadline=deadline,
                rectified_on=deadline + dt.timedelta(days=12)))
        return out

    def cadence(self) -> list[OversightEvent]:
        out: list[OversightEvent] = []

        def add(kind: CadenceKind, day: dt.date, town: Township | None = None,
                topic: str = "") -> None:
            out.append(OversightEvent(id=self.next_id("WXDC"), cadence=kind, region_code=COUNTY,
                                      held_on=day, township_id=town.id if town else None,
                                      topic=topic))

        for month in range(1, 13):
            if month != MISSED_OVERSIGHT_MONTH:
                add(CadenceKind.OVERSIGHT, _month_start(month) + dt.timedelta(
                    days=self.rng.randrange(8, 25)), topic="两个责任落实情况督查")
            add(CadenceKind.DISPATCH, _month_start(month) + dt.timedelta(
                days=self.rng.randrange(2, 8)), topic="创建工作月调度")
        for quarter in range(1, 5):
            last = _month_start(3 * quarter)
            add(CadenceKind.BULLETIN, last + dt.timedelta(days=self.rng.randrange(10, 25)),
                topic="季度通报评比")
            add(CadenceKind.RISK_REVIEW, last + dt.timedelta(days=self.rng.randrange(5, 20)),
                topic="季度食品安全风险研判")
            if quarter != MISSED_HEARING_QUARTER:
                add(CadenceKind.COMMITTEE_HEARING, _month_start(3 * quarter - 1)
                    + dt.timedelta(days=self.rng.randrange(5, 25)), topic="听取食品安全工作汇报")
            for town in self.towns:
                if (town.name, quarter) in MISSED_TOWN_REVIEWS:
                    continue
                add(CadenceKind.RISK_REVIEW, _month_start(3 * quarter - 1) + dt.timedelta(
                    days=self.rng.randrange(0, 40)), town, "乡镇季度风险研判")
        add(CadenceKind.ASSESSMENT, dt.date(YEAR, 12, 20), topic="年度食品安全工作考核")
        add(CadenceKind.STANDING_MEETING, dt.date(YEAR, 5, 16), topic="研究食品安全示范城市创建工作")
        return out

    def training(self) -> list[CadreTraining]:
        out = []
        cadres = self.active_cadres()
        short = {a.cadre_id for a in cadres[3::max(1, len(cadres) // UNDERTRAINED_CADRES)]
                 [:UNDERTRAINED_CADRES]}
        for a in cadres:
            sessions = [dt.date(YEAR, 4, 12), dt.date(YEAR, 9, 7)]
            if a.cadre_id in short:
                sessions = sessions[:1]
            for day in sessions:
                out.append(CadreTraining(id=self.next_id("WXBP"), cadre_id=a.cadre_id,
                                         trained_on=day + dt.timedelta(days=self.rng.randrange(3)),
                                         hours=4.0, course="包保干部培训指南专题培训"))
        return out

    def modes_and_nominations(self) -> tuple[list[InspectionMode], list[Nomination]]:
        modes: list[InspectionMode] = []
        recent = sorted((i for i in self.inspections if i.inspected_on.year == YEAR),
                        key=lambda i: i.id)
        ops = {o.id: o for o in self.ops}
        nominations: list[Nomination] = []
        nominated = recent[10::max(1, len(recent) // 10)][:10]
        for n, ins in enumerate(nominated):
            op = ops.get(ins.operator_id)
            town = self.town_of.get(op.township or "") if op else None
            day = ins.inspected_on - dt.timedelta(days=5 + self.rng.randrange(10))
            nominations.append(Nomination(
                id=self.next_id("WXDJ"), region_code=COUNTY,
                nominated_on=max(day, dt.date(YEAR, 1, 1)),
                target=op.name if op else ins.operator_id,
                township_id=town.id if town else None, operator_id=ins.operator_id,
                followed_up_on=ins.inspected_on, follow_up_ref=ins.id))
            if n == 0 and ins.inspected_on > dt.date(YEAR, 3, 1):  # late
                nominations[-1] = Nomination(
                    id=nominations[-1].id, region_code=COUNTY,
                    nominated_on=ins.inspected_on - dt.timedelta(days=45),
                    target=nominations[-1].target, township_id=nominations[-1].township_id,
                    operator_id=ins.operator_id, followed_up_on=ins.inspected_on,
                    follow_up_ref=ins.id)
        seat = self.towns[0]
        nominations.append(Nomination(  # still open
            id=self.next_id("WXDJ"), region_code=COUNTY, nominated_on=dt.date(YEAR, 10, 20),
            target="洺州镇夜市烧烤摊点", township_id=seat.id))
        by_inspection = {n.follow_up_ref: n for n in nominations if n.follow_up_ref}
        for k, ins in enumerate(recent):
            nom = by_inspection.get(ins.id)
            source = (InspectionSource.NOMINATION if nom else
                      InspectionSource.COMPLAINT if k % 11 == 4 else InspectionSource.ROUTINE)
            modes.append(InspectionMode(id=f"FS{ins.id}", inspection_id=ins.id,
                                        unannounced=k % UNANNOUNCED_EVERY == 0, source=source,
                                        nomination_id=nom.id if nom else None))
        return modes, nominations

    def milestones(self) -> list[MilestoneReport]:
        out = [MilestoneReport(id=self.next_id("WXJD"), milestone="phase1_deployment",
                               holder_id=COUNTY, completed_on=dt.date(YEAR, 1, 28),
                               reference="威政办〔2023〕3号"),
               MilestoneReport(id=self.next_id("WXJD"), milestone="phase2_creation",
                               holder_id=COUNTY, completed_on=dt.date(YEAR, 12, 28))]
        for town in self.towns:
            if town.name == TOWN_WITHOUT_REPORT:
                continue
            day = dt.date(YEAR, 11, 20) if town.name == TOWN_LATE_REPORT else _day(
                self.rng, dt.date(YEAR, 10, 25), dt.date(YEAR, 11, 10))
            out.append(MilestoneReport(id=self.next_id("WXJD"), milestone="self_inspection_report",
                                       holder_id=town.id, completed_on=day))
        for dep in self.deps:
            if dep.name == DEPARTMENT_WITHOUT_REPORT:
                continue
            out.append(MilestoneReport(
                id=self.next_id("WXJD"), milestone="self_inspection_report", holder_id=dep.id,
                completed_on=_day(self.rng, dt.date(YEAR, 10, 25), dt.date(YEAR, 11, 10))))
        return out

    def coverage(self) -> tuple[list[InsurancePolicy], list[TraceabilityEnrolment]]:
        sectors = _sector_table()
        scopes: dict[str, list[str]] = {}
        for lic in self.licences:
            if lic.valid_on(AS_OF):
                scopes.setdefault(lic.operator_id, []).extend(lic.scope)
        members: dict[str, list[Operator]] = {}
        for name in sorted(sectors):
            members[name] = [o for o in sorted(self.ops, key=lambda o: o.id)
                             if o.active_on(AS_OF) and _in_sector(o, sectors[name], scopes)]
        insured: list[Operator] = []
        traced: list[Operator] = []
        for name, ops in members.items():
            if name == "school_canteens":
                insured += ops[:-1]          # one school canteen uninsured
                traced += ops
            elif name == "rural_banquets":
                insured += ops[:4]           # four of the cooks insured
            elif name == "meat_egg_dairy_liquor_producers":
                insured += ops
                dairy = [o for o in ops if any(t in s for t in ("牛奶", "酸奶")
                                               for s in scopes.get(o.id, []))]
                traced += [o for o in ops if o not in dairy[:1]]
            else:
                insured += ops
                traced += ops
        policies = [InsurancePolicy(id=self.next_id("WXBX"), operator_id=o.id,
                                    starts_on=dt.date(YEAR, 3, 1) + dt.timedelta(
                                        days=self.rng.randrange(60)),
                                    ends_on=dt.date(YEAR + 1, 2, 28),
                                    insurer="中国人民财产保险股份有限公司威县支公司")
                    for o in sorted(set(insured), key=lambda o: o.id)]
        enrolments = [TraceabilityEnrolment(id=self.next_id("WXZS"), operator_id=o.id,
                                            enrolled_on=dt.date(2022, 6, 1) + dt.timedelta(
                                                days=self.rng.randrange(200)),
                                            system="河北省食品安全追溯平台")
                      for o in sorted(set(traced), key=lambda o: o.id)]
        return policies, enrolments

    def build(self) -> list[Fact]:
        documents = self.documents()
        register = self.risk_register()
        cadence = self.cadence()
        training = self.training()
        modes, nominations = self.modes_and_nominations()
        milestones = self.milestones()
        policies, enrolments = self.coverage()
        by_kind: dict[str, list[Fact]] = {k.KIND: [] for k in KINDS}
        for fact in (*self.towns, *self.deps, *documents, *register, *cadence, *training,
                     *modes, *nominations, *policies, *enrolments, *milestones):
            by_kind[fact.KIND].append(fact)
        return [f for k in KINDS for f in by_kind[k.KIND]]


def territorial_facts(facts: Sequence[Fact], townships: Sequence[tuple[str, str]],
                      seed: int) -> list[Fact]:
    """The territorial records of the county whose other records are ``facts``."""
    return _Territory(facts, townships, seed).build()
