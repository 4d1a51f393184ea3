"""风险隐患清单＋治理责任清单: overdue entries, and the rectification rate per township and county.

Seed 002 (V): a quarterly risk review keeps a list of hidden risks and a list
of who must govern each. Seed 003 (V) follows the rectification rate of the
hidden risks found; seed 004 §六 (V) closes problems 逐项销号. Food Safety
Law Art 117 (V): a government that does not remove hidden risks in time can
be summoned for a talk.

The rate a township or county must reach is not in any seed (?):
``min_rate_percent`` has no default. An entry counts in the rate when its
deadline lies in the look-back window and has passed; it is on time when
rectified on or before its deadline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from fsrules import Finding, Param, Period, RuleContext, Severity, Subject, Text, rule
from fsrules.shapes import Deadline, Hit, Scope, check

from .._numbers import floor_to, percent, rate_below
from ._common import COUNTY_OFFICE, TOWNSHIP_GOV, Townships, counties, township_subject, window
from ._common import window_param as _window_param
from .basis import COUNTY_REVIEW, FOOD_SAFETY_LAW, PROVINCE_SPEECH, article, plan_steps
from .evidence import EntryEvidence, RateEvidence
from .facts import RiskEntry

__all__ = ["county_rectification_rate", "overdue_entry", "township_rectification_rate"]

_ART_117 = article(FOOD_SAFETY_LAW, "第一百一十七条", None, en="Art. 117")


def _town_subject(towns: Townships, entry: RiskEntry) -> Subject:
    town = towns.get(entry.township_id)
    if town is not None:
        return township_subject(town)
    return Subject(kind="township", id=entry.township_id, name=entry.township_id)


# --------------------------------------------------------------------------- TERR-201


def _overdue_finding(hit: Hit) -> Finding | None:
    """The township's finding for an entry still open past its deadline (late ones are closed)."""
    entry = hit.subject
    assert isinstance(entry, RiskEntry)
    if hit.values["status"] != "missed":
        return None  # rectified, if late: TERR-202 counts it, nothing is open
    ctx = hit.ctx
    return ctx.finding(
        subject=_town_subject(Townships(ctx.facts), entry), facts=[entry],
        due_date=entry.deadline,
        evidence=EntryEvidence(
            entry_id=entry.id, hazard=entry.hazard, found_on=entry.found_on,
            found_by=entry.found_by, department=entry.department, deadline=entry.deadline,
            days_overdue=(ctx.as_of - entry.deadline).days, operator_id=entry.operator_id))


#: TERR-201 on the Deadline shape: due on the entry's own deadline, done when rectified.
overdue_entry = check(
    Deadline(scope=Scope(kind=RiskEntry), anchor="deadline", offset=0, done="rectified_on",
             before=False, finding=_overdue_finding),
    id="TERR-201", version="1.0", grain="township", identity=("entry_id",),
    title=("风险隐患逾期未整改", "Hidden risk on the register past its rectification deadline"),
    severity=Severity.HIGH,
    reads=[RiskEntry, "territorial_township", "operator"],
    legal_basis=[COUNTY_REVIEW, _ART_117, plan_steps()],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV, evidence=EntryEvidence,
    message=("{subject}：风险隐患 {entry_id}（{hazard}）整改期限 {deadline} 已过 {days_overdue} 天，"
             "仍未整改，治理责任单位 {department}。",
             "{subject}: hidden risk {entry_id} ({hazard}) is {days_overdue} day(s) past its "
             "rectification deadline {deadline} and still open; responsible: {department}."),
    description=("风险隐患清单中整改期限早于评价日、评价日仍未整改完成的条目，每条一个问题，主体为所在乡镇"
                 "（Deadline 形状：以整改期限为到期日、整改完成日为办结日）。",
                 "Register entries whose deadline is before the evaluation date and that are "
                 "still open on it; one finding per entry, about its township (the Deadline "
                 "shape: due on the entry's deadline, done when rectified)."),
)


# --------------------------------------------------------------------------- TERR-202 / 203


def _min_rate() -> Param:
    return Param(name="min_rate_percent", type="float", minimum=0, maximum=100, unit="%",
                 confidence="?",
                 description=Text("到期风险隐患按期整改率下限（种子未规定，由配置设定）",
                                  "lowest share of due hidden risks rectified on time (no "
                                  "seed says; a profile sets it)"))


def _rate(entries: Iterable[RiskEntry], period: Period, ctx: RuleContext
          ) -> tuple[int, int, list[str]]:
    due = on_time = 0
    late: list[str] = []
    for e in entries:
        if not (period.start <= e.deadline <= period.end) or e.deadline >= ctx.as_of:
            continue
        due += 1
        if e.rectified_on is not None and e.rectified_on <= e.deadline:
            on_time += 1
        else:
            late.append(e.id)
    return due, on_time, sorted(late)


def _rate_finding(ctx: RuleContext, subject: Subject, entries: list[RiskEntry], scope: str,
                  period: Period) -> Iterator[object]:
    due, on_time, late = _rate(entries, period, ctx)
    threshold = ctx.param("min_rate_percent")
    if not due or not rate_below(on_time, due, threshold):
        return
    yield ctx.finding(
        subject=subject, period=period, fingerprint_period=False,
        facts=[e for e in entries if e.id in set(late)],
        evidence=RateEvidence(scope=scope, due=due, on_time=on_time,
                              rate_percent=floor_to(float(percent(on_time, due))),
                              min_rate_percent=float(threshold), not_on_time=tuple(late)),
    )


_RATE_MESSAGE = ("{subject}：{start} 至 {end} 到期的 {due} 条风险隐患按期整改 {on_time} 条，"
                 "整改率 {rate_percent}%，低于 {min_rate_percent}%。",
                 "{subject}: {on_time} of {due} hidden risks due from {start} to {end} were "
                 "rectified on time ({rate_percent}%, below {min_rate_percent}%).")


@rule(
    id="TERR-202", version="1.0", grain="township", identity=("scope",),
    title=("乡镇风险隐患按期整改率低于要求", "Township's on-time rectification rate below its target"),
    severity=Severity.MEDIUM,
    reads=[RiskEntry, "territorial_township", "operator"],
    legal_basis=[COUNTY_REVIEW, PROVINCE_SPEECH, _ART_117],
    parameters=[_min_rate(), _window_param()],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV,
    evidence=RateEvidence, message=_RATE_MESSAGE,
    description=("每个乡镇：整改期限落在统计窗口内且已到期的条目中，按期整改（整改完成日不晚于期限）的"
                 "比例低于 min_rate_percent。",
                 "Per township: among entries whose deadline lies in the window and has "
                 "passed, the share rectified on or before the deadline is below "
                 "``min_rate_percent``."),
)
def township_rectification_rate(ctx: RuleContext) -> Iterator[object]:
    """Townships whose register is rectified on time less often than the target."""
    towns = Townships(ctx.facts)
    by_town: dict[str, list[RiskEntry]] = defaultdict(list)
    for e in ctx.facts.of_kind(RiskEntry):
        town = towns.get(e.township_id)
        by_town[town.id if town else e.township_id].append(e)
    period = window(ctx)
    for town_id in sorted(by_town):
        town = towns.get(town_id)
        subject = township_subject(town) if town else Subject(kind="township", id=town_id,
                                                              name=town_id)
        yield from _rate_finding(ctx, subject, sorted(by_town[town_id], key=lambda e: e.id),
                                 "township", period)


@rule(
    id="TERR-203", version="1.0", grain="region", identity=("scope",),
    title=("全县风险隐患按期整改率低于要求", "County's on-time rectification rate below its target"),
    severity=Severity.MEDIUM,
    reads=[RiskEntry, "territorial_township", "territorial_oversight_event", "region", "operator"],
    legal_basis=[COUNTY_REVIEW, PROVINCE_SPEECH, _ART_117],
    parameters=[_min_rate(), _window_param()],
    lead=COUNTY_OFFICE,
    evidence=RateEvidence, message=_RATE_MESSAGE,
    description=("全县：口径同 TERR-202，合计该县全部乡镇的条目。",
                 "Per county: as TERR-202, over the entries of all its townships."),
)
def county_rectification_rate(ctx: RuleContext) -> Iterator[object]:
    """Counties whose register is rectified on time less often than the target."""
    towns = Townships(ctx.facts)
    period = window(ctx)
    for county in counties(ctx.facts):
        mine = sorted((e for e in ctx.facts.of_kind(RiskEntry)
                       if (t := towns.get(e.township_id)) is not None
                       and t.county_code == county.id), key=lambda e: e.id)
        yield from _rate_finding(ctx, county, mine, "county", period)
