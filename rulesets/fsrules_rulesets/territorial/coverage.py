"""Liability insurance and traceability coverage of the sectors the plan's item 22 names.

Seed 004 item 22 (V) encourages meat, egg, dairy and liquor producers, school
canteens, rural collective banquets, collective-meal distributors and central
kitchens to buy 食品安全责任保险; Food Safety Law Art 43 (V): the State
encourages it. Item 21 (V) and Art 42 (V): traceability systems. The seeds
set no coverage target (?): ``targets`` (sector → lowest percent) has no
default, and a sector without a target is not judged.

``sectors`` (C: the sectors are item 22's, V; how they are read from the
operator records is ours) says which operators make up each sector:
``business_types`` (业态 values), ``institution_types`` (for canteens) and
``scope_terms`` (a licence's 经营项目 must contain one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fsrules import Fact, Param, RuleContext, Severity, Text, rule
from fsrules.model import BusinessType, InstitutionType, Licence, Operator

from .._numbers import floor_to, percent, rate_below
from ._common import MARKET, TOWNSHIP_GOV, counties
from .basis import COUNTY_SPEECH, FOOD_SAFETY_LAW, article, plan_item
from .evidence import CoverageEvidence, sector_code
from .facts import InsurancePolicy, TraceabilityEnrolment

__all__ = ["insurance_coverage", "sector_members", "traceability_coverage"]


def _sectors_param() -> Param:
    return Param(name="sectors", type="table", confidence="C",
                 description=Text("第22项所列行业如何从主体记录识别：sector → {business_types, "
                                  "institution_types, scope_terms}",
                                  "how item 22's sectors are read from the operator records: "
                                  "sector → {business_types, institution_types, scope_terms}"))


def _targets_param(zh: str, en: str) -> Param:
    return Param(name="targets", type="table", confidence="?",
                 description=Text(f"{zh}：sector → 最低覆盖率（%）；种子未规定，由配置设定",
                                  f"{en}: sector → lowest coverage (%); no seed says, a "
                                  "profile sets it"))


def _members(ctx: RuleContext, spec: Mapping[str, Any], county: str) -> list[Operator]:
    types = {BusinessType.parse(t) for t in spec.get("business_types", ())}
    insts = {InstitutionType.parse(t) for t in spec.get("institution_types", ())}
    terms = tuple(str(t) for t in spec.get("scope_terms", ()))
    out = []
    for op in ctx.facts.of_kind(Operator):
        if op.region_code != county or not op.active_on(ctx.as_of):
            continue
        if types and op.business_type not in types:
            continue
        if insts and op.institution_type not in insts:
            continue
        if terms:
            scope = [s for lic in ctx.facts.for_subject(Licence, op.id) if lic.valid_on(ctx.as_of)
                     for s in lic.scope]
            if not any(t in s for t in terms for s in scope):
                continue
        out.append(op)
    return sorted(out, key=lambda o: o.id)


def sector_members(ctx: RuleContext, sector: str, county: str) -> list[Operator]:
    """The active operators of county ``county`` in ``sector`` of the ``sectors`` table."""
    table = ctx.param("sectors")
    if sector not in table:
        raise ValueError(f"sector {sector!r} is not in the sectors table")
    return _members(ctx, table[sector], county)


def _coverage(ctx: RuleContext, kind: type[InsurancePolicy] | type[TraceabilityEnrolment],
              measure: str) -> Iterator[object]:
    sectors: Mapping[str, Any] = ctx.param("sectors")
    targets: Mapping[str, Any] = ctx.param("targets")
    for county in counties(ctx.facts):
        for sector in sorted(targets):
            if sector not in sectors:
                raise ValueError(f"targets names sector {sector!r}, which sectors does not "
                                 f"define (known: {', '.join(sorted(sectors))})")
            threshold = float(targets[sector])
            members = _members(ctx, sectors[sector], county.id)
            if not members:
                continue
            covered: list[Fact] = []
            missing: list[str] = []
            for op in members:
                records = [r for r in ctx.facts.for_subject(kind, op.id)
                           if r.covers(ctx.as_of)]
                if records:
                    covered.extend(records)
                else:
                    missing.append(op.id)
            n = len(members) - len(missing)
            if not rate_below(n, len(members), threshold):
                continue
            yield ctx.finding(
                subject=county, facts=covered,
                evidence=CoverageEvidence(
                    measure=measure, sector=sector_code(sector), operators=len(members),
                    covered=n, coverage_percent=floor_to(float(percent(n, len(members)))),
                    min_percent=threshold, not_covered=tuple(missing)),
            )


_INSURANCE_BASIS = [plan_item(22), article(FOOD_SAFETY_LAW, "第四十三条", "第二款",
                                           en="Art. 43 para. 2"), COUNTY_SPEECH]
_TRACE_BASIS = [plan_item(21), article(FOOD_SAFETY_LAW, "第四十二条", "第二款",
                                       en="Art. 42 para. 2"), COUNTY_SPEECH]


@rule(
    id="TERR-701", version="1.0", grain="region", identity=("measure", "sector"),
    title=("重点行业食品安全责任保险覆盖率低于目标",
           "Liability-insurance coverage of an item-22 sector below target"),
    severity=Severity.LOW,
    reads=[Operator, Licence, InsurancePolicy, "territorial_township", "region"],
    legal_basis=_INSURANCE_BASIS,
    parameters=[_sectors_param(), _targets_param("投保覆盖目标", "insurance targets")],
    lead=MARKET, responsible=TOWNSHIP_GOV, evidence=CoverageEvidence,
    message=("{subject}：“{sector}”行业 {operators} 户中评价日有有效食品安全责任保险的 {covered} 户，"
             "覆盖率 {coverage_percent}%，低于目标 {min_percent}%。",
             "{subject}: {covered} of {operators} operators ({sector}) hold "
             "food-safety liability insurance on the evaluation date ({coverage_percent}%, "
             "below the target {min_percent}%)."),
    description=("按县、按 targets 所列行业：评价日在营主体中有有效保单（territorial_insurance_policy）"
                 "的比例低于目标。",
                 "Per county and sector of ``targets``: the share of active operators with a "
                 "policy in force on the evaluation date (territorial_insurance_policy) is "
                 "below the target."),
)
def insurance_coverage(ctx: RuleContext) -> Iterator[object]:
    """Sectors whose insurance coverage is below target."""
    return _coverage(ctx, InsurancePolicy, "insurance")


@rule(
    id="TERR-702", version="1.0", grain="region", identity=("measure", "sector"),
    title=("重点行业追溯体系覆盖率低于目标", "Traceability coverage of an item-22 sector below target"),
    severity=Severity.LOW,
    reads=[Operator, Licence, TraceabilityEnrolment, "territorial_township", "region"],
    legal_basis=_TRACE_BASIS,
    parameters=[_sectors_param(), _targets_param("追溯覆盖目标", "traceability targets")],
    lead=MARKET, responsible=TOWNSHIP_GOV, evidence=CoverageEvidence,
    message=("{subject}：“{sector}”行业 {operators} 户中评价日已接入追溯体系的 {covered} 户，"
             "覆盖率 {coverage_percent}%，低于目标 {min_percent}%。",
             "{subject}: {covered} of {operators} operators ({sector}) are enrolled "
             "in a traceability system on the evaluation date ({coverage_percent}%, below "
             "the target {min_percent}%)."),
    description=("按县、按 targets 所列行业：评价日在营主体中已接入追溯体系（territorial_traceability）"
                 "的比例低于目标。",
                 "Per county and sector of ``targets``: the share of active operators enrolled "
                 "in a traceability system on the evaluation date (territorial_traceability) "
                 "is below the target."),
)
def traceability_coverage(ctx: RuleContext) -> Iterator[object]:
    """Sectors whose traceability coverage is below target."""
    return _coverage(ctx, TraceabilityEnrolment, "traceability")
