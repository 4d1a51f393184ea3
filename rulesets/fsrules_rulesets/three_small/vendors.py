"""SMALL-401/402: where and when food vendors trade.

Townships or the city-management department designate vendors' zones and
time slots (Shandong Art. 27, Henan Art. 32, Chongqing Art. 25) and, in
Shandong, no-vending zones around kindergartens and schools (Art. 27). The
filing card records the vendor's place and slot (Shandong Art. 28, Henan
Art. 31, Chongqing Art. 26); patrol records (``vendor_observation``) say
where and when a vendor was actually seen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from typing import Any

from fsrules import Confidence, Param, RuleContext, Severity, Text, rule
from fsrules.evidence import evidence
from fsrules.matching import normalize_for_matching
from fsrules.model import BusinessType, LicenceKind, Operator, VendorRegistration

from .._numbers import floor_to
from .basis import FSL_ART_36
from .common import (
    MARKET_BUREAU,
    TOWNSHIP,
    URBAN_MANAGEMENT,
    Certificate,
    certificates,
    review_window,
    scoped,
)
from .facts import SmallScope, VendorObservation
from .in_force import IN_FORCE_DATES, since
from .tables import (
    BasisOnly,
    BusinessTable,
    basis_entry,
    read_basis,
    read_table,
)

V = Confidence.VERIFIED
NOT_FOUND = Confidence.NOT_FOUND

#: Mean Earth radius (IUGG), metres: the haversine distance is good to a few metres
#: at the distances that matter here.
EARTH_RADIUS_M = 6_371_008.8

_REVIEW = Param(name="review_months", type="int", minimum=1, maximum=60, unit="月", confidence=V,
                description=Text("查看评价日前多少个月的巡查记录（报告设置）",
                                 "months of patrol records reviewed (a reporting choice)"))

_SLOT = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-－–—~～至到]\s*(\d{1,2})[:：](\d{2})$")


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_slots(text: str) -> list[tuple[dt.time, dt.time]] | None:
    """``06:00-10:00``, ``06:00—10:00、17:00-22:00``… as (start, end) pairs; None if unreadable.

    ``24:00`` is the end of the day; a slot whose end is before its start runs
    past midnight.
    """
    slots = []
    for part in re.split(r"[、,，;；/]", normalize_for_matching(text)):
        if not part:
            continue
        m = _SLOT.match(part)
        if not m:
            return None
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            return None
        end = dt.time(23, 59, 59, 999999) if h2 == 24 else dt.time(h2, m2)
        slots.append((dt.time(h1, m1), end))
    return slots or None


def in_slots(moment: dt.time, slots: list[tuple[dt.time, dt.time]]) -> bool:
    """True when ``moment`` lies in one of the slots (both ends included)."""
    for start, end in slots:
        if start <= end and start <= moment <= end:
            return True
        if start > end and (moment >= start or moment <= end):
            return True
    return False


def same_zone(card: str, seen: str) -> bool:
    """The patrol's place is the card's zone, or one names a part of the other."""
    a, b = normalize_for_matching(card), normalize_for_matching(seen)
    return bool(a and b) and (a in b or b in a)


@evidence
class ZoneSighting:
    """A patrol sighting outside the card's zone or time slot (``issues``: zone, time)."""

    id: str
    observed_at: dt.datetime
    card_id: str
    issues: tuple[str, ...]
    zone: str | None = None
    card_zone: str | None = None
    card_slot: str | None = None


def _or_dash(value: str | None) -> str:
    return value or "-"


@evidence
class ZoneEvidence:
    """SMALL-401: the sightings outside the zone or slot of the vendor's filing card."""

    count: int
    observation_ids: tuple[str, ...]
    issues: tuple[str, ...]
    observations: tuple[ZoneSighting, ...]
    regime: str

    @property
    def sightings(self) -> Text:
        """``2023-05-01 18:30 在东街（备案：西街 17:00-21:00）`` per sighting."""
        return Text(
            "、".join(f"{o.observed_at:%Y-%m-%d %H:%M} 在{_or_dash(o.zone)}（备案："
                     f"{_or_dash(o.card_zone)} {_or_dash(o.card_slot)}）"
                     for o in self.observations),
            "; ".join(f"{o.observed_at:%Y-%m-%d %H:%M} at {_or_dash(o.zone)} (card: "
                      f"{_or_dash(o.card_zone)} {_or_dash(o.card_slot)})"
                      for o in self.observations))


@evidence
class SchoolSighting:
    """A sighting within the no-vending distance of a school (its nearest, rounded down)."""

    id: str
    observed_at: dt.datetime
    school_id: str
    school_name: str
    distance_m: float


@evidence
class SchoolZoneEvidence:
    """SMALL-402: the sightings within ``distance_m`` of a school or kindergarten."""

    count: int
    distance_m: float
    school_ids: tuple[str, ...]
    observation_ids: tuple[str, ...]
    nearest_m: float
    sightings_list: tuple[SchoolSighting, ...]
    regime: str

    @property
    def sightings(self) -> Text:
        """``2023-05-01 07:40 距威县第一小学 62.3 米`` per sighting."""
        return Text(
            "、".join(f"{h.observed_at:%Y-%m-%d %H:%M} 距{h.school_name} {h.distance_m} 米"
                     for h in self.sightings_list),
            "; ".join(f"{h.observed_at:%Y-%m-%d %H:%M} {h.distance_m} m from "
                      f"{h.school_name}" for h in self.sightings_list))


def _card_on(certs: list[Certificate], day: dt.date) -> Certificate | None:
    """The latest filing card valid on ``day`` that records a zone or a slot."""
    valid = [c for c in certs if c.valid_on(day) and (c.zone or c.time_slot)]
    return valid[-1] if valid else None


@rule(
    id="SMALL-401",
    version="1.0",
    grain="operator",
    identity=("issues",),
    title=("食品摊贩未在划定的经营区域、时段内经营", "Food vendor trading outside its zone or time slot"),
    severity=Severity.LOW,
    reads=[SmallScope, Operator, VendorRegistration, VendorObservation],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="zones", type="table", structure=BusinessTable(BasisOnly), confidence=V,
              description=Text("须在划定区域、时段内经营的业态及依据",
                               "business types bound to their designated zone and time slot, "
                               "and the basis")),
        _REVIEW,
    ],
    lead=(TOWNSHIP,),
    responsible=(URBAN_MANAGEMENT, MARKET_BUREAU),
    evidence=ZoneEvidence,
    message=(
        "{subject}：{start} 至 {end} 有 {count} 次在备案的经营区域、时段外经营（{sightings}）。"
        "依据：{basis}（可信度 {basis_confidence}）。",
        "{subject}: seen {count} time(s) outside the zone or time slot on its filing card between "
        "{start} and {end} ({sightings}). Basis: {basis} (confidence "
        "{basis_confidence}).",
    ),
    description=(
        "把评价日前 review_months 个月的巡查记录与当日有效备案卡载明的经营区域和时段比较：地点与区域不符"
        "（互不包含）或时间不在时段内（含起止时刻，跨午夜的时段可用）的列出。备案卡没有区域或时段、或写法"
        "无法识别的，不判断该项。",
        "Compares the patrol records of the last review_months with the zone and time slot of "
        "the filing card valid that day: a place that is not the zone (neither names part of "
        "the other) or a time outside the slot (both ends included; slots may run past "
        "midnight) is listed. A card without a zone or slot, or one that cannot be read, is "
        "not judged on it.",
    ),
)
def outside_zone(ctx: RuleContext) -> Iterator[object]:
    """Vendors seen trading outside their card's zone or time slot."""
    duties = read_table(ctx, "zones", BasisOnly)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    for item in scoped(ctx, duties):
        op = item.operator
        cards = certificates(ctx, op.id, [LicenceKind.VENDOR_FILING])
        seen: list[ZoneSighting] = []
        facts: list[Any] = [item.scope]
        span = since(window, duties[op.business_type].basis)
        for obs in () if span is None else ctx.facts.for_subject(
                VendorObservation, op.id, start=span.start, end=span.end):
            card = _card_on(cards, obs.observed_at.date())
            if card is None:
                continue  # no card that day: SMALL-101's concern
            issues = []
            if card.zone and obs.zone and not same_zone(card.zone, obs.zone):
                issues.append("zone")
            slots = parse_slots(card.time_slot) if card.time_slot else None
            if slots and not in_slots(obs.observed_at.time(), slots):
                issues.append("time")
            if issues:
                facts.extend([obs, card.fact])
                seen.append(ZoneSighting(id=obs.id, observed_at=obs.observed_at,
                                         zone=obs.zone, card_id=card.fact.id,
                                         card_zone=card.zone, card_slot=card.time_slot,
                                         issues=tuple(issues)))
        if not seen:
            continue
        yield ctx.finding(
            legal_basis=[duties[op.business_type].basis],
            subject=op, period=window, facts=facts,
            evidence=ZoneEvidence(
                count=len(seen), observation_ids=tuple(o.id for o in seen),
                issues=tuple(sorted({i for o in seen for i in o.issues})),
                observations=tuple(seen), regime=item.scope.regime),
            trigger=("issues",), fingerprint_period=False,
        )


@rule(
    id="SMALL-402",
    version="1.0",
    grain="operator",
    identity=("school_ids",),
    title=("食品摊贩在学校、幼儿园周边禁止经营区域内经营",
           "Food vendor trading inside the no-vending zone around a school or kindergarten"),
    severity=Severity.MEDIUM,
    reads=[SmallScope, Operator, VendorObservation],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        Param(name="distance_m", type="float", minimum=0, maximum=5000, unit="米",
              confidence=NOT_FOUND,
              description=Text("学校、幼儿园周边禁止摊贩经营的距离（0 表示未划定）",
                               "no-vending distance around schools and kindergartens (0: none "
                               "designated)")),
        Param(name="basis", type="table", structure=basis_entry, confidence=NOT_FOUND,
              description=Text("划定该区域的依据", "the basis of the zone")),
        _REVIEW,
    ],
    lead=(TOWNSHIP,),
    responsible=(URBAN_MANAGEMENT, MARKET_BUREAU),
    evidence=SchoolZoneEvidence,
    message=(
        "{subject}：{count} 次在学校、幼儿园周边 {distance_m} 米禁止经营区域内经营（{sightings}）。"
        "依据：{basis}（可信度 {basis_confidence}）。",
        "{subject}: seen trading {count} time(s) within {distance_m} m of a school or kindergarten "
        "({sightings}). Basis: {basis} (confidence {basis_confidence}).",
    ),
    description=(
        "距离没有全国或省级的数值（山东第二十七条由乡镇、街道划定），由县级配置文件设置 distance_m；为 0 时"
        "不判断。巡查记录的经纬度与中小学、幼儿园（经营主体的单位类型，取其经纬度）之间的距离按半正矢"
        "（haversine）公式计算，距离小于或等于 distance_m 即在区域内。",
        "No national or provincial number exists (Shandong Art. 27 leaves the zone to townships), "
        "so a county profile sets distance_m; 0 means none is designated and nothing is judged. "
        "The haversine distance between the patrol's coordinates and each primary or secondary "
        "school or kindergarten (operators by institution type, at their coordinates) at or "
        "below distance_m is inside the zone.",
    ),
)
def near_school(ctx: RuleContext) -> Iterator[object]:
    """Vendors seen within the no-vending distance of a K-12 school or kindergarten."""
    limit = ctx.param("distance_m")
    if limit <= 0:
        return
    basis = read_basis(ctx, "basis")
    window = review_window(ctx, ctx.param("review_months"))
    span = since(window, basis)  # no sighting before the zone's instrument is judged
    schools = [op for op in ctx.facts.of_kind(Operator)
               if op.institution_type is not None and op.institution_type.is_k12
               and op.latitude is not None and op.longitude is not None]
    if not schools:
        return
    for item in scoped(ctx, [BusinessType.FOOD_VENDOR]):
        op = item.operator
        hits: list[SchoolSighting] = []
        facts: list[Any] = [item.scope]
        for obs in () if span is None else ctx.facts.for_subject(
                VendorObservation, op.id, start=span.start, end=span.end):
            if obs.latitude is None or obs.longitude is None:
                continue
            day = obs.observed_at.date()
            # The nearest school: (distance, id, school), the first of them sorted.
            near = min(
                ((haversine_m(obs.latitude, obs.longitude, s.latitude, s.longitude), s.id, s)
                 for s in schools if s.active_on(day)
                 and s.latitude is not None and s.longitude is not None), default=None)
            if near is None or near[0] > limit:
                continue
            distance, _, school = near
            facts.extend([obs, school])
            hits.append(SchoolSighting(id=obs.id, observed_at=obs.observed_at,
                                       school_id=school.id, school_name=school.name,
                                       # shown rounded down, away from the limit it is within
                                       distance_m=floor_to(distance, 1)))
        if not hits:
            continue
        yield ctx.finding(
            legal_basis=[basis],
            subject=op, period=window, facts=facts,
            evidence=SchoolZoneEvidence(
                count=len(hits), distance_m=limit,
                school_ids=tuple(sorted({h.school_id for h in hits})),
                observation_ids=tuple(h.id for h in hits),
                nearest_m=min(h.distance_m for h in hits), sightings_list=tuple(hits),
                regime=item.scope.regime),
            trigger=("school_ids",), fingerprint_period=False,
        )
