"""The oversight cadence: 月督查、季通报、年考核, the committee's hearing, the risk review.

Each rule is an absence within a calendar period: no event of its kind held
by the county in a complete month, quarter or year whose end lies in the
look-back window is one finding for that period.

* TERR-301 督查 every month, TERR-302 通报 every quarter, TERR-303 考核 every
  year: seed 001 (V) "月督查调度、季通报评比、年考核问效"; seed 000 (V) the
  county 食安委 "定期督查、评估、考核"; Food Safety Law Art 7 (V) 评议、考核.
* TERR-304 the county Party committee's standing committee hears food-safety
  work every quarter, TERR-305 a risk review every quarter: seed 002 (V).
* TERR-306 a township's own cadence: no seed fixes one (?), so the table
  ``cadence`` (event kind → months) has no default; a profile sets it.

``period_months`` of TERR-301…305 default to the seeds' month, quarter and
year (V); a county with another rhythm overrides them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from fsrules import LegalBasis, Param, Rule, RuleContext, Severity, Text, rule

from ._common import (
    COUNTY_OFFICE,
    TOWNSHIP_GOV,
    Townships,
    calendar_periods,
    counties,
    period_label,
    township_subject,
    window,
    window_param,
)
from .basis import CITY_CADENCE, COUNTY_REVIEW, COUNTY_SPEECH, FOOD_SAFETY_LAW, article, plan_item
from .evidence import CadenceEvidence
from .facts import CadenceKind, OversightEvent

__all__ = ["CADENCE_RULES", "township_cadence"]

_ART_7 = article(FOOD_SAFETY_LAW, "第七条", None, en="Art. 7")


def _period_param() -> Param:
    return Param(name="period_months", type="int", minimum=1, maximum=12, unit="月",
                 confidence="V",
                 description=Text("每多少个月至少一次（1 月、3 季、12 年）",
                                  "at least once every this many months (1 month, 3 "
                                  "quarter, 12 year)"))


@attrs.frozen(kw_only=True)
class _Spec:
    rule_id: str
    cadence: CadenceKind
    title: tuple[str, str]
    legal_basis: Sequence[LegalBasis]
    description: tuple[str, str]
    severity: Severity = Severity.MEDIUM


_SPECS = (
    _Spec(rule_id="TERR-301", cadence=CadenceKind.OVERSIGHT,
          title=("当月未开展食品安全督查", "No food-safety oversight (督查) in a month"),
          legal_basis=[CITY_CADENCE, COUNTY_SPEECH, plan_item(1)],
          description=("每个完整月份（参数 period_months，默认 1）县级至少开展一次督查（cadence=督查）。",
                       "At least one county 督查 (cadence oversight) in every complete "
                       "period of ``period_months`` (default 1).")),
    _Spec(rule_id="TERR-302", cadence=CadenceKind.BULLETIN,
          title=("当季未通报食品安全工作", "No food-safety bulletin (通报) in a quarter"),
          legal_basis=[CITY_CADENCE, plan_item(1)],
          description=("每个完整季度（period_months，默认 3）县级至少通报一次（cadence=通报）。",
                       "At least one county bulletin in every complete period of "
                       "``period_months`` (default 3).")),
    _Spec(rule_id="TERR-303", cadence=CadenceKind.ASSESSMENT,
          title=("当年未开展食品安全考核", "No food-safety assessment (考核) in a year"),
          legal_basis=[CITY_CADENCE, _ART_7, plan_item(1)],
          description=("每个完整年度（period_months，默认 12）至少开展一次考核（cadence=考核）。",
                       "At least one assessment in every complete period of "
                       "``period_months`` (default 12).")),
    _Spec(rule_id="TERR-304", cadence=CadenceKind.COMMITTEE_HEARING,
          title=("县委常委会当季未听取食品安全工作汇报",
                 "County standing committee did not hear food-safety work in a quarter"),
          legal_basis=[COUNTY_REVIEW, plan_item(1)],
          description=("每个完整季度县委常委会至少听取一次食品安全工作汇报。",
                       "The county Party standing committee hears food-safety work at least "
                       "once in every complete quarter (``period_months``, default 3).")),
    _Spec(rule_id="TERR-305", cadence=CadenceKind.RISK_REVIEW,
          title=("当季未开展食品安全风险研判", "No quarterly food-safety risk review"),
          legal_basis=[COUNTY_REVIEW, plan_item(4)],
          description=("每个完整季度县级至少开展一次风险研判（更新风险隐患清单＋治理责任清单）。",
                       "At least one county risk review (which renews the hidden-risk and "
                       "governance lists) in every complete quarter (default 3 months).")),
)

_MESSAGE = ("{subject}：{period_label}（{start} 至 {end}）没有“{what}”记录。",
            "{subject}: no {what} recorded in {period_label} ({start} to {end}).")


def _missed(ctx: RuleContext, events: Sequence[OversightEvent], months: int
            ) -> Iterator[tuple[Any, str, int]]:
    """(period, label, events in window) for each complete period without an event."""
    days = sorted(e.held_on for e in events)
    for period in calendar_periods(months, ctx.as_of, window(ctx)):
        if not any(period.start <= d <= period.end for d in days):
            yield period, period_label(period, months), len(days)


def _cadence_rule(spec: _Spec) -> Rule:
    def evaluate(ctx: RuleContext) -> Iterator[object]:
        months = ctx.param("period_months")
        for county in counties(ctx.facts):
            events = [e for e in ctx.facts.of_kind(OversightEvent)
                      if e.cadence is spec.cadence and e.region_code == county.id
                      and e.township_id is None]
            for period, label, _n in _missed(ctx, events, months):
                yield ctx.finding(
                    subject=county, period=period,
                    evidence=CadenceEvidence(cadence=spec.cadence, period_label=label,
                                             period_months=months),
                )

    return rule(
        id=spec.rule_id, version="1.0", grain="region", identity=("cadence", "period_label"),
        title=spec.title, severity=spec.severity,
        reads=[OversightEvent, "territorial_township", "region"],
        legal_basis=spec.legal_basis,
        parameters=[_period_param(), window_param()],
        lead=COUNTY_OFFICE,
        evidence=CadenceEvidence, message=_MESSAGE,
        description=spec.description,
    )(evaluate)


#: TERR-301 … TERR-305, one per cadence of the seeds.
CADENCE_RULES: tuple[Rule, ...] = tuple(_cadence_rule(s) for s in _SPECS)


# --------------------------------------------------------------------------- TERR-306


@rule(
    id="TERR-306", version="1.0", grain="township", identity=("cadence", "period_label"),
    title=("乡镇未按要求频次开展督查调度", "Township missed its own oversight cadence"),
    severity=Severity.MEDIUM,
    reads=[OversightEvent, "territorial_township", "operator"],
    legal_basis=[COUNTY_SPEECH, CITY_CADENCE, plan_item(27)],
    parameters=[
        Param(name="cadence", type="table", confidence="?",
              description=Text("乡镇须开展的事项及频次（事项 → 月数，如 {risk_review = 3}）；种子未规定",
                               "the township's events and their rhythm (event kind → "
                               "months, e.g. {risk_review = 3}); no seed fixes one")),
        window_param(),
    ],
    lead=COUNTY_OFFICE, responsible=TOWNSHIP_GOV,
    evidence=CadenceEvidence, message=_MESSAGE,
    description=("乡镇食安办也须“及时分析研究本级食品安全形势”（种子000）。参数 cadence 列出乡镇须开展的"
                 "事项和频次；每个乡镇、每个事项、每个缺少记录的完整期间一条。",
                 "Township food-safety offices also review their own situation (seed 000). "
                 "``cadence`` lists the township's events and rhythm; one finding per "
                 "township, event kind and complete period without a record."),
)
def township_cadence(ctx: RuleContext) -> Iterator[object]:
    """Townships without their own events in a complete period."""
    table: Mapping[str, Any] = ctx.param("cadence")
    wanted = sorted(((CadenceKind.parse(k), int(v)) for k, v in table.items()),
                    key=lambda kv: kv[0].value)
    towns = Townships(ctx.facts)
    events: dict[str, list[OversightEvent]] = defaultdict(list)
    for e in ctx.facts.of_kind(OversightEvent):
        town = towns.get(e.township_id)
        if town is not None:
            events[town.id].append(e)
    for town in towns.all:
        subject = township_subject(town)
        for kind, months in wanted:
            mine = [e for e in events.get(town.id, []) if e.cadence is kind]
            for period, label, _n in _missed(ctx, mine, months):
                yield ctx.finding(
                    subject=subject, period=period,
                    evidence=CadenceEvidence(cadence=kind, period_label=label,
                                             period_months=months),
                )
