"""School canteens' bulk purchasing: designated channel, licensed and clean suppliers.

Sources: seed 004 item 20 (V): school canteens buy meat, eggs, milk, rice,
flour and oil (大宗食品) through 集中定点采购; 食品安全法 Art 53 (V): a food
business checks its supplier's licence; 《学校食堂大宗食材采购验收管理工作指引》
(2025, C): bulk-ingredient suppliers are legally qualified, with no
food-safety incident and no serious-dishonesty listing in the last three
years. Bulk categories are read from ``bulk_foods.toml``.

Each rule reports one finding per canteen and category (or supplier) over
the window, listing the purchases, so a weekly habit is one problem, not
fifty; the fingerprint is the category (or supplier).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fsrules import FactRef, Param, Period, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.matching import TermList, normalize_for_matching
from fsrules.model import (
    Incident,
    InstitutionType,
    Licence,
    Operator,
    PurchaseChannel,
    PurchaseRecord,
    VendorRegistration,
)

from ._common import Campus, window, window_param
from .basis import (
    BULK_PROCUREMENT_GUIDELINE,
    DEMO_CITY_RULES,
    FOOD_SAFETY_LAW,
    IMPLEMENTING_REGULATIONS,
    article,
    weixian_item,
)
from .facts import DishonestyListing

__all__ = ["BulkFoods", "channel", "supplier_licence", "supplier_record"]

EDUCATION = ("县教育局",)
MARKET = ("县市场监管局",)
TOWNSHIPS = ("各乡镇政府",)

#: SCHOOL-013 judges purchases from the day the 2025 guideline was issued.
GUIDELINE_FROM = dt.date(2025, 8, 2)


class BulkFoods:
    """Which bulk category (meat, egg, milk, rice, flour, oil) a purchase belongs to."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.terms = TermList.from_mapping(data["terms"])
        self._labels = {normalize_for_matching(label): category
                        for category, labels in data.get("labels", {}).items()
                        for label in labels}

    def categories(self, purchase: PurchaseRecord) -> tuple[str, ...]:
        """The bulk categories of ``purchase`` (usually one; none for vegetables etc.)."""
        if purchase.category:
            exact = self._labels.get(normalize_for_matching(purchase.category))
            if exact is not None:
                return (exact,)
        found = self.terms.categories(purchase.item)
        if not found and purchase.category:
            found = self.terms.categories(purchase.category)
        return found

    def label(self, category: str, lang: str = "zh") -> str:
        """The category's label."""
        return self.terms.label(category, lang)


class _BulkPurchases:
    """A canteen's purchases of the bulk categories a rule judges.

    The term list and the ``categories`` parameter are read on first use and
    then kept for the rule's run (not rebuilt for every canteen).
    """

    def __init__(self, ctx: RuleContext) -> None:
        self._ctx = ctx
        self._judged: tuple[BulkFoods, set[str]] | None = None

    def _setup(self) -> tuple[BulkFoods, set[str]]:
        if self._judged is None:
            ctx = self._ctx
            bulk = BulkFoods(ctx.data("bulk_foods.toml"))
            wanted = set(ctx.param("categories"))
            unknown = wanted - set(bulk.terms.category_names)
            if unknown:
                raise ValueError(f"{ctx.rule.id} categories: {', '.join(sorted(unknown))} not "
                                 f"in bulk_foods.toml ({', '.join(bulk.terms.category_names)})")
            self._judged = (bulk, wanted)
        return self._judged

    def __call__(self, op: Operator, period: Period
                 ) -> Iterator[tuple[PurchaseRecord, tuple[str, ...]]]:
        """The canteen's purchases in ``period`` of a bulk category the rule judges."""
        bulk, wanted = self._setup()
        for purchase in sorted(self._ctx.facts.for_subject(PurchaseRecord, op.id,
                                                           start=period.start, end=period.end),
                               key=lambda p: (p.purchased_on, p.id)):
            cats = tuple(c for c in bulk.categories(purchase) if c in wanted)
            if cats:
                yield purchase, cats


def _categories_param() -> Param:
    return Param(name="categories", type="list", confidence="V",
                 description=Text("判断的大宗食品类别（bulk_foods.toml：meat、egg、milk、rice、"
                                  "flour、oil）", "bulk categories judged (bulk_foods.toml: "
                                                  "meat, egg, milk, rice, flour, oil)"))


def _purchase_summary(purchases: Sequence[PurchaseRecord]) -> dict[str, Any]:
    return {"purchase_ids": tuple(p.id for p in purchases), "purchase_count": len(purchases),
            "items": tuple(dict.fromkeys(p.item for p in purchases)),
            "first_purchased_on": purchases[0].purchased_on,
            "last_purchased_on": purchases[-1].purchased_on}


@evidence
class PurchasesEvidence:
    """The purchases a finding sums up."""

    institution_type: InstitutionType
    purchase_ids: tuple[str, ...]
    purchase_count: int
    items: tuple[str, ...]
    first_purchased_on: dt.date
    last_purchased_on: dt.date


@evidence
class ChannelEvidence(PurchasesEvidence):
    """SCHOOL-011: bulk purchases of one category outside the designated channel."""

    category: Code
    suppliers: tuple[str, ...]
    channels: tuple[PurchaseChannel, ...]


@evidence
class SupplierLicenceEvidence(PurchasesEvidence):
    """SCHOOL-012: bulk purchases from a supplier with no permit valid on the day."""

    supplier_id: str
    supplier_name: str
    permits_found: int
    latest_valid_until: dt.date | None

    @property
    def permit_note(self) -> Text:
        """The latest permit's end, or that there is none."""
        if self.latest_valid_until is None:
            return Text("（无任何许可证照记录）", " (no permit on record)")
        day = self.latest_valid_until.isoformat()
        return Text(f"（最近一份证照有效期至 {day}）", f" (latest permit valid until {day})")


@evidence
class RecordedEventEvidence:
    """An incident or dishonesty listing of a supplier, and its date."""

    id: str
    on: dt.date


@evidence
class SupplierRecordEvidence(PurchasesEvidence):
    """SCHOOL-013: bulk purchases from a supplier with a recent incident or listing."""

    supplier_id: str
    supplier_name: str
    incident_ids: tuple[str, ...]
    listing_ids: tuple[str, ...]
    lookback_years: int
    incidents: tuple[RecordedEventEvidence, ...] = ()
    listings: tuple[RecordedEventEvidence, ...] = ()

    @property
    def record(self) -> Text:
        """The supplier's incidents and listings, in words."""
        zh: list[str] = []
        en: list[str] = []
        if self.incidents:
            zh.append("发生食品安全事故（" + "、".join(
                f"{i.id}，{i.on}" for i in self.incidents) + "）")
            en.append("a food-safety incident (" + "; ".join(
                f"{i.id}, {i.on}" for i in self.incidents) + ")")
        if self.listings:
            zh.append("被列入严重违法失信名单（" + "、".join(
                f"{x.id}，{x.on}" for x in self.listings) + "）")
            en.append("a serious-dishonesty listing (" + "; ".join(
                f"{x.id}, {x.on}" for x in self.listings) + ")")
        return Text("，且".join(zh), " and ".join(en))


# --------------------------------------------------------------------------- SCHOOL-011


@rule(
    id="SCHOOL-011",
    version="1.0",
    grain="operator",
    identity=("category",),
    evidence=ChannelEvidence,
    title=("学校食堂大宗食品未集中定点采购",
           "School canteen buying bulk food outside the designated channel"),
    severity=Severity.MEDIUM,
    reads=[Operator, PurchaseRecord],
    legal_basis=[weixian_item(20), DEMO_CITY_RULES],
    parameters=[window_param(), _categories_param()],
    lead=EDUCATION,
    responsible=TOWNSHIPS,
    message=("{subject}：{start} 至 {end} 有 {purchase_count} 笔{category}采购未通过集中定点采购"
             "（{first_purchased_on} 至 {last_purchased_on}，供货方：{suppliers}）。",
             "{subject}: {purchase_count} purchase(s) of {category} between {start} and "
             "{end} were not made through the designated centralised channel "
             "({first_purchased_on} to {last_purchased_on}; suppliers: {suppliers})."),
    description=(
        "学校食堂以肉蛋奶、米面油为重点实行大宗食品集中定点采购。采购方式不是“集中定点采购”的大宗食品"
        "采购，按食堂和类别汇总为一条。类别按 bulk_foods.toml 从采购记录的类别和品名识别。",
        "School canteens buy meat, eggs, milk, rice, flour and oil through the designated "
        "centralised channel. Bulk purchases made another way are summed up per canteen and "
        "category in one finding; categories come from bulk_foods.toml.",
    ),
)
def channel(ctx: RuleContext) -> Iterator[object]:
    """Bulk purchases not made through the designated channel, per canteen and category."""
    campus = Campus(ctx.facts)
    period = window(ctx)
    bulk = BulkFoods(ctx.data("bulk_foods.toml"))
    bulk_purchases = _BulkPurchases(ctx)
    for op, kind in campus.canteens:
        outside: dict[str, list[PurchaseRecord]] = defaultdict(list)
        for purchase, cats in bulk_purchases(op, period):
            if purchase.channel is not PurchaseChannel.DESIGNATED:
                for cat in cats:
                    outside[cat].append(purchase)
        for cat, purchases in sorted(outside.items()):
            suppliers = list(dict.fromkeys(p.supplier_name or p.supplier_id or "未记录"
                                           for p in purchases))
            yield ctx.finding(
                subject=op, period=period, facts=purchases,
                evidence=ChannelEvidence(
                    category=Code(cat, bulk.label(cat), bulk.label(cat, "en")),
                    institution_type=kind, **_purchase_summary(purchases),
                    suppliers=tuple(suppliers),
                    channels=tuple(dict.fromkeys(p.channel for p in purchases))),
                trigger=("category",), fingerprint_period=False,
            )


# --------------------------------------------------------------------------- SCHOOL-012


def _permits(ctx: RuleContext, supplier_id: str) -> tuple[list[Licence], list[VendorRegistration]]:
    return (list(ctx.facts.for_subject(Licence, supplier_id)),
            list(ctx.facts.for_subject(VendorRegistration, supplier_id)))


def _permit_valid(licences: Sequence[Licence], registrations: Sequence[VendorRegistration],
                  day: dt.date) -> bool:
    return any(lic.valid_on(day) for lic in licences) or any(
        r.issued_on <= day and (r.valid_until is None or day <= r.valid_until)
        for r in registrations)


def _by_supplier(bulk_purchases: _BulkPurchases, op: Operator, period: Period
                 ) -> dict[str, list[PurchaseRecord]]:
    grouped: dict[str, list[PurchaseRecord]] = defaultdict(list)
    for purchase, _cats in bulk_purchases(op, period):
        if purchase.supplier_id:
            grouped[purchase.supplier_id].append(purchase)
    return grouped


def _supplier_name(ctx: RuleContext, supplier_id: str, purchases: Sequence[PurchaseRecord]
                   ) -> str:
    supplier = ctx.facts.operator(supplier_id)
    if supplier is not None:
        return supplier.name
    return next((p.supplier_name for p in purchases if p.supplier_name), supplier_id)


@rule(
    id="SCHOOL-012",
    version="1.0",
    grain="operator",
    identity=("supplier_id",),
    evidence=SupplierLicenceEvidence,
    title=("学校食堂从无有效许可的供货者采购大宗食品",
           "School canteen buying bulk food from a supplier without a valid licence"),
    severity=Severity.HIGH,
    reads=[Operator, PurchaseRecord, Licence, VendorRegistration],
    legal_basis=[article(FOOD_SAFETY_LAW, "第五十三条", en="Art. 53"),
                 BULK_PROCUREMENT_GUIDELINE],
    parameters=[window_param(), _categories_param()],
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{purchase_count} 笔大宗食品采购（{first_purchased_on} 至 {last_purchased_on}）"
             "的供货者{supplier_name}（{supplier_id}）在采购当日没有有效的许可证照{permit_note}。",
             "{subject}: on the day of {purchase_count} bulk purchase(s) ({first_purchased_on} "
             "to {last_purchased_on}) the supplier {supplier_name} ({supplier_id}) held no "
             "valid licence{permit_note}."),
    description=(
        "采购当日，供货者须有有效的许可证照（食品经营、生产许可或备案、三小登记，任一有效即可）。"
        "按食堂和供货者汇总。未记录供货者编号的采购无法核对，不作判断；供货者既无主体记录也无证照记录时"
        "视为数据缺失，不作判断。注意：仅销售食用农产品者依法无需许可（食品安全法第三十五条），"
        "如肉、蛋由此类供货者供应，可在配置文件中调整 categories。",
        "On the purchase day the supplier must hold a valid permit (business or production "
        "licence, filing or 三小 registration). Summed up per canteen and supplier. Purchases "
        "without a supplier id cannot be checked; a supplier with neither an operator record "
        "nor any permit is missing data and is not judged. Sellers of edible agricultural "
        "products need no licence (Art 35): where meat or eggs come from such sellers, narrow "
        "categories in a profile.",
    ),
)
def supplier_licence(ctx: RuleContext) -> Iterator[object]:
    """Bulk purchases from a supplier with no permit valid on the day."""
    campus = Campus(ctx.facts)
    period = window(ctx)
    bulk_purchases = _BulkPurchases(ctx)
    for op, kind in campus.canteens:
        for supplier_id, purchases in sorted(_by_supplier(bulk_purchases, op, period).items()):
            licences, registrations = _permits(ctx, supplier_id)
            if ctx.facts.operator(supplier_id) is None and not (licences or registrations):
                continue
            uncovered = [p for p in purchases
                         if not _permit_valid(licences, registrations, p.purchased_on)]
            if not uncovered:
                continue
            ends = [d for d in (*(lic.valid_until for lic in licences),
                                *(r.valid_until for r in registrations)) if d is not None]
            latest = max(ends) if ends else None
            yield ctx.finding(
                subject=op, period=period,
                facts=[*uncovered, FactRef(kind=Operator.KIND, id=supplier_id)],
                evidence=SupplierLicenceEvidence(
                    supplier_id=supplier_id,
                    supplier_name=_supplier_name(ctx, supplier_id, uncovered),
                    institution_type=kind, **_purchase_summary(uncovered),
                    permits_found=len(licences) + len(registrations),
                    latest_valid_until=latest),
                trigger=("supplier_id",), fingerprint_period=False,
            )


# --------------------------------------------------------------------------- SCHOOL-013


@rule(
    id="SCHOOL-013",
    version="1.0",
    grain="operator",
    identity=("supplier_id",),
    evidence=SupplierRecordEvidence,
    title=("学校食堂大宗食材供应商近三年发生食品安全事故或被列入严重违法失信名单",
           "Bulk-food supplier with a food-safety incident or serious-dishonesty listing in "
           "the last three years"),
    severity=Severity.HIGH,
    reads=[Operator, PurchaseRecord, Incident, DishonestyListing],
    legal_basis=[BULK_PROCUREMENT_GUIDELINE,
                 article(IMPLEMENTING_REGULATIONS, "第六十六条", en="Art. 66")],
    parameters=[
        window_param(),
        _categories_param(),
        Param(name="lookback_years", type="int", minimum=1, maximum=10, unit="年",
              confidence="C",
              description=Text("采购日前多少年内不得有事故或失信记录", "years before each purchase "
                               "that must be free of incidents and listings")),
    ],
    valid_from=GUIDELINE_FROM,
    lead=EDUCATION,
    responsible=MARKET,
    message=("{subject}：大宗食材供应商{supplier_name}（{supplier_id}）在采购前{lookback_years}年内"
             "{record}，仍向其采购 {purchase_count} 笔（{first_purchased_on} 至 "
             "{last_purchased_on}）。",
             "{subject}: the bulk-food supplier {supplier_name} ({supplier_id}) had "
             "{record} in the {lookback_years} years before {purchase_count} purchase(s) "
             "({first_purchased_on} to {last_purchased_on})."),
    description=(
        "对每笔大宗食材采购，看采购日前 lookback_years 年内（含采购日）供应商是否发生过食品安全事故"
        "（incident.operator_id）或在严重违法失信名单上（school_dishonesty_listing，本规则集的事实种类）。"
        "按食堂和供应商汇总。指引2025-08-02印发，此前的采购不判断。",
        "For each bulk purchase, looks at the lookback_years before it (the purchase day "
        "included) for a food-safety incident of the supplier (incident.operator_id) or a "
        "serious-dishonesty listing (school_dishonesty_listing, this ruleset's fact kind). "
        "Summed up per canteen and supplier. The guideline was issued on 2025-08-02; earlier "
        "purchases are not judged.",
    ),
)
def supplier_record(ctx: RuleContext) -> Iterator[object]:
    """Bulk purchases from suppliers with a recent incident or dishonesty listing."""
    campus = Campus(ctx.facts)
    period = window(ctx, since=GUIDELINE_FROM)
    bulk_purchases = _BulkPurchases(ctx)
    for op, kind in campus.canteens:
        for supplier_id, purchases in sorted(_by_supplier(bulk_purchases, op, period).items()):
            incidents: dict[str, Incident] = {}
            listings: dict[str, DishonestyListing] = {}
            hit: list[PurchaseRecord] = []
            for purchase in purchases:
                years = ctx.param("lookback_years", on=purchase.purchased_on)
                back = Period.ending(purchase.purchased_on, years=years)
                found_i = ctx.facts.for_subject(Incident, supplier_id, start=back.start,
                                                end=back.end)
                found_l = [x for x in ctx.facts.for_subject(DishonestyListing, supplier_id)
                           if x.listed_during(back.start, back.end)]
                if found_i or found_l:
                    hit.append(purchase)
                    incidents.update((i.id, i) for i in found_i)
                    listings.update((x.id, x) for x in found_l)
            if not hit:
                continue
            yield ctx.finding(
                subject=op, period=period,
                facts=[*hit, *incidents.values(), *listings.values()],
                evidence=SupplierRecordEvidence(
                    supplier_id=supplier_id,
                    supplier_name=_supplier_name(ctx, supplier_id, hit),
                    institution_type=kind, **_purchase_summary(hit),
                    incident_ids=tuple(sorted(incidents)), listing_ids=tuple(sorted(listings)),
                    lookback_years=ctx.param("lookback_years"),
                    incidents=tuple(RecordedEventEvidence(id=i.id, on=i.occurred_on)
                                    for i in incidents.values()),
                    listings=tuple(RecordedEventEvidence(id=x.id, on=x.listed_on)
                                   for x in listings.values())),
                trigger=("supplier_id",), fingerprint_period=False,
            )
