"""Campus-wide duties: 明厨亮灶, term-start inspections, campus shops.

Sources: seed 004 item 33 (V): "互联网+明厨亮灶" in every school canteen and
off-campus meal supplier (coverage 100%); item 7 (V): spring and autumn
term-start inspections of campus food safety (coverage 100%);
《学校食品安全与营养健康管理规定》 (2019, C; article number not verified):
primary and secondary schools and kindergartens generally may not run a
campus shop; one that is needed is licensed and avoids high-salt, -sugar
and -fat foods.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from fsrules import Param, Period, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.matching import TermMatch
from fsrules.model import (
    Inspection,
    InspectionKind,
    InstitutionType,
    Licence,
    Operator,
    PurchaseRecord,
    VendorRegistration,
)

from ._common import (
    K12,
    Campus,
    TermMatchEvidence,
    institution,
    match_fields,
    term_list,
    window,
    window_param,
)
from .basis import DEMO_CITY_RULES, SCHOOL_REGULATION_IN_FORCE, school_article_unknown, weixian_item

__all__ = ["bright_kitchen", "shop_licence", "shop_unhealthy_food", "term_start_inspection"]

EDUCATION = ("县教育局",)
MARKET = ("县市场监管局",)
HEALTH = ("县卫健局",)


# --------------------------------------------------------------------------- SCHOOL-014

_ROLE = Code.table({"canteen": ("学校食堂", "school canteen"),
                    "meal_supplier": ("校外供餐单位", "off-campus meal supplier")})


@evidence
class BrightKitchenEvidence:
    """SCHOOL-014: a canteen or supplier recorded without 明厨亮灶 (or not recorded)."""

    role: Code
    institution_type: InstitutionType
    school_id: str | None
    status: str



@rule(
    id="SCHOOL-014",
    version="1.0",
    grain="operator",
    identity=("status",),
    evidence=BrightKitchenEvidence,
    title=("学校食堂或校外供餐单位未实现“互联网+明厨亮灶”",
           "School canteen or off-campus meal supplier without internet-linked open kitchen"),
    severity=Severity.MEDIUM,
    reads=[Operator],
    legal_basis=[weixian_item(33), DEMO_CITY_RULES],
    lead=EDUCATION,
    responsible=MARKET,
    message=("{subject}：{role}未实现“互联网+明厨亮灶”。",
             "{subject}: this {role} has no internet-linked open kitchen (互联网+明厨亮灶)."),
    messages={"not_recorded": ("{subject}：{role}是否实现“互联网+明厨亮灶”未记录，无法计入覆盖率。",
                               "{subject}: whether this {role} has 互联网+明厨亮灶 is not "
                               "recorded; it cannot count towards coverage.")},
    description=(
        "学校食堂和校外供餐单位（带 school_id 的集体用餐配送单位、中央厨房、餐饮服务单位）须实现"
        "“互联网+明厨亮灶”，覆盖率100%。记录为“否”的为一般问题；未记录的给出提示（无法计入覆盖）。"
        "只看评价日在营的单位。",
        "School canteens and off-campus meal suppliers (meal-delivery units, central kitchens "
        "and caterers with a school_id) need 互联网+明厨亮灶, coverage 100%. Recorded 'no' is "
        "a finding; not recorded is an info finding (it cannot count as covered). Only "
        "operators open on the evaluation date.",
    ),
)
def bright_kitchen(ctx: RuleContext) -> Iterator[object]:
    """School canteens and meal suppliers without (or without a record of) 明厨亮灶."""
    campus = Campus(ctx.facts)
    targets = [(op, kind, "canteen") for op, kind in campus.canteens] + [
        (op, kind, "meal_supplier") for op, kind in campus.suppliers]
    for op, kind, role in sorted(targets, key=lambda t: t[0].id):
        if not op.active_on(ctx.as_of) or op.has_bright_kitchen is True:
            continue
        recorded = op.has_bright_kitchen is not None
        evidence = BrightKitchenEvidence(role=_ROLE(role), institution_type=kind,
                                         school_id=op.school_id,
                                         status="absent" if recorded else "not_recorded")
        yield ctx.finding(subject=op, facts=[op], evidence=evidence, trigger=("status",),
                          severity=None if recorded else Severity.INFO)


# --------------------------------------------------------------------------- SCHOOL-015

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def _due(text: str, year: int, name: str) -> dt.date:
    match = _MONTH_DAY.match(text)
    if match is None:
        raise ValueError(f"SCHOOL-015 {name}: expected MM-DD such as 03-31, got {text!r}")
    return dt.date(year, int(match[1]), int(match[2]))


_SEASONS = (("spring", "春季", 1, 6), ("autumn", "秋季", 7, 12))


@evidence
class TermStartEvidence:
    """SCHOOL-015: a term-start inspection missing or late (``season``: 2023-autumn)."""

    season: str
    due_on: dt.date
    status: str
    inspection_id: str | None
    inspected_on: dt.date | None
    institution_type: InstitutionType

    @property
    def season_label(self) -> Text:
        """The term as it reads: 2023年秋季 / 2023-autumn."""
        year, name = self.season.split("-", 1)
        zh = next(z for n, z, _, _ in _SEASONS if n == name)
        return Text(f"{year}年{zh}", self.season)


@rule(
    id="SCHOOL-015",
    version="1.0",
    grain="operator",
    identity=("season",),
    evidence=TermStartEvidence,
    title=("学校食堂未按时接受春秋季开学食品安全检查",
           "School canteen without its spring or autumn term-start inspection"),
    severity=Severity.MEDIUM,
    reads=[Operator, Inspection],
    legal_basis=[weixian_item(7), DEMO_CITY_RULES],
    parameters=[
        window_param(),
        Param(name="spring_due", type="str", confidence="?",
              description=Text("春季开学检查的完成期限（MM-DD；未查到全国期限，须在配置文件中设定）",
                               "deadline of the spring term-start inspection (MM-DD; no "
                               "national deadline found: set it in a profile)")),
        Param(name="autumn_due", type="str", confidence="?",
              description=Text("秋季开学检查的完成期限（MM-DD；未查到全国期限，须在配置文件中设定）",
                               "deadline of the autumn term-start inspection (MM-DD; no "
                               "national deadline found: set it in a profile)")),
    ],
    lead=MARKET,
    responsible=(*EDUCATION, *HEALTH),
    message=("{subject}：{season_label}开学检查未进行（期限 {due_on}）。",
             "{subject}: the {season} term-start inspection is missing (due {due_on})."),
    messages={"late": ("{subject}：{season_label}开学检查逾期（{inspected_on} 才检查）（期限 {due_on}）。",
                       "{subject}: the {season} term-start inspection was late ({inspected_on}) "
                       "(due {due_on}).")},
    description=(
        "每所学校食堂每年春季（1–6月）和秋季（7–12月）各须有一次“开学季检查”，在期限"
        "（spring_due、autumn_due）前完成；期限已过仍没有的为“未检查”，期限后才检查的为“逾期”。"
        "只判断期限在评价窗口内且已过的学期，食堂须在学期开始和期限当日均在营。",
        "Every school canteen needs a term-start inspection each spring (Jan-Jun) and autumn "
        "(Jul-Dec), done by spring_due and autumn_due; none by a passed deadline is "
        "'missing', one after it 'late'. Only terms whose deadline lies in the window and has "
        "passed are judged, for canteens open on the term's first day and on the deadline.",
    ),
)
def term_start_inspection(ctx: RuleContext) -> Iterator[object]:
    """Spring and autumn term-start inspections missing or late."""
    campus = Campus(ctx.facts)
    period = window(ctx)
    for op, kind in campus.canteens:
        for year in range(period.start.year, ctx.as_of.year + 1):
            for season, _, first, last in _SEASONS:
                name = f"{season}_due"
                due = _due(ctx.param(name), year, name)
                if not (period.start <= due < ctx.as_of):
                    continue
                term = Period(start=dt.date(year, first, 1),
                              end=dt.date(year, last, 31 if last == 12 else 30))
                if not (op.active_on(term.start) and op.active_on(due)):
                    continue
                checks = sorted((i for i in ctx.facts.for_subject(
                    Inspection, op.id, start=term.start, end=min(term.end, ctx.as_of))
                    if i.inspection_kind is InspectionKind.TERM_START),
                    key=lambda i: (i.inspected_on, i.id))
                if any(i.inspected_on <= due for i in checks):
                    continue
                late = checks[0] if checks else None
                status = "late" if late else "missing"
                yield ctx.finding(
                    subject=op, period=term, due_date=due, facts=[late] if late else [],
                    evidence=TermStartEvidence(
                        season=f"{year}-{season}", due_on=due, status=status,
                        inspection_id=late.id if late else None,
                        inspected_on=late.inspected_on if late else None,
                        institution_type=kind),
                    trigger=("season",),
                )


# --------------------------------------------------------------------------- SCHOOL-016 / 017


def _permits_on(ctx: RuleContext, op: Operator, day: dt.date
                ) -> tuple[list[Licence | VendorRegistration], list[Licence | VendorRegistration]]:
    """(permits valid on ``day``, all permits) of ``op``."""
    licences = list(ctx.facts.for_subject(Licence, op.id))
    cards = list(ctx.facts.for_subject(VendorRegistration, op.id))
    valid: list[Licence | VendorRegistration] = [x for x in licences if x.valid_on(day)]
    valid += [c for c in cards
              if c.issued_on <= day and (c.valid_until is None or day <= c.valid_until)]
    return valid, [*licences, *cards]


_SHOP_BASIS = school_article_unknown(
    "中小学、幼儿园一般不得在校内设置小卖部、超市等食品经营场所，确有需要设置的，应当依法取得许可，"
    "并避免售卖高盐、高糖及高脂食品",
    "primary and secondary schools and kindergartens generally may not run campus shops; "
    "one that is needed must be licensed and avoid high-salt, high-sugar and high-fat foods")


@evidence
class ShopLicenceEvidence:
    """SCHOOL-016: a K-12 campus shop without a permit valid on ``as_of``."""

    school_id: str | None
    school_name: str | None
    institution_type: Code
    as_of: dt.date
    permits_found: int
    status: str
    latest_valid_until: dt.date | None

    @property
    def permit_note(self) -> Text:
        """The latest permit's end, or that there is none."""
        if self.latest_valid_until is None:
            return Text("（无任何证照记录）", " (no permit on record)")
        day = self.latest_valid_until.isoformat()
        return Text(f"（最近一份有效期至 {day}）", f" (latest valid until {day})")


@evidence
class ShopProductEvidence:
    """SCHOOL-017: one product text that matched, and where it was recorded."""

    source: str
    record_id: str
    text: str
    terms: tuple[str, ...]


@evidence
class ShopFoodEvidence:
    """SCHOOL-017: the high-salt, -sugar or -fat products of a K-12 campus shop."""

    school_id: str | None
    institution_type: InstitutionType
    products: tuple[ShopProductEvidence, ...]
    matches: tuple[TermMatchEvidence, ...]
    categories: tuple[Code, ...]
    terms: tuple[str, ...]
    matched: tuple[Code, ...]

    @property
    def product_names(self) -> tuple[str, ...]:
        """The product texts, as they read in the message."""
        return tuple(p.text for p in self.products)


@rule(
    id="SCHOOL-016",
    version="1.0",
    grain="operator",
    identity=("school_id",),
    evidence=ShopLicenceEvidence,
    title=("中小学、幼儿园校内食品经营场所无有效许可",
           "Unlicensed campus shop at a primary or secondary school or kindergarten"),
    severity=Severity.HIGH,
    reads=[Operator, Licence, VendorRegistration],
    legal_basis=[_SHOP_BASIS],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：设在{school_name}（{institution_type}）校内的食品经营场所在 {as_of} 没有有效的"
             "许可或备案{permit_note}。",
             "{subject}: this campus shop of {school_name} ({institution_type}) held no valid "
             "licence or filing on {as_of}{permit_note}."),
    description=(
        "校内小卖部、超市（带 school_id 的食品销售者、小食杂店）在评价日须有有效的食品经营许可、备案"
        "或三小登记备案，任一有效即可。",
        "A campus shop (a seller or small grocery with a school_id) needs a food business "
        "licence, filing or 三小 registration valid on the evaluation date.",
    ),
)
def shop_licence(ctx: RuleContext) -> Iterator[object]:
    """K-12 campus shops with no permit valid on the evaluation date."""
    campus = Campus(ctx.facts)
    for op, kind in campus.shops:
        if kind not in K12 or not op.active_on(ctx.as_of):
            continue
        valid, every = _permits_on(ctx, op, ctx.as_of)
        if valid:
            continue
        ends = [x.valid_until for x in every if x.valid_until is not None]
        latest = max(ends) if ends else None
        school = ctx.facts.operator(op.school_id or "")
        yield ctx.finding(
            subject=op, facts=[op, *every],
            evidence=ShopLicenceEvidence(
                school_id=op.school_id, school_name=school.name if school else op.school_id,
                institution_type=institution(kind), as_of=ctx.as_of, permits_found=len(every),
                status="expired" if every else "none", latest_valid_until=latest),
            trigger=("school_id",),
        )


@rule(
    id="SCHOOL-017",
    version="1.0",
    grain="operator",
    identity=("school_id",),
    evidence=ShopFoodEvidence,
    title=("中小学、幼儿园校内食品经营场所售卖高盐、高糖、高脂食品",
           "Campus shop at a primary or secondary school or kindergarten selling high-salt, "
           "-sugar or -fat food"),
    severity=Severity.MEDIUM,
    reads=[Operator, Licence, VendorRegistration, PurchaseRecord],
    legal_basis=[_SHOP_BASIS],
    parameters=[
        window_param(),
        Param(name="extra_terms", type="table", confidence="C",
              description=Text("配置文件追加的词表（格式同 campus_shop_foods.toml）",
                               "terms a profile adds (campus_shop_foods.toml format)")),
    ],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=EDUCATION,
    responsible=MARKET,
    message=("{subject}：中小学、幼儿园校内食品经营场所售卖{categories}（{product_names}）。",
             "{subject}: this campus shop sells {categories} ({product_names})."),
    description=(
        "按 campus_shop_foods.toml 的词表，查看校内食品经营场所的登记经营品种、许可经营项目和窗口内的"
        "进货品名（进货即为售卖），识别高盐、高糖、高脂食品。每个场所一条。“无糖”“低脂”等说法不算。",
        "Matches the shop's registered products, licensed items and the items it bought in the "
        "window (bought for sale) against campus_shop_foods.toml: one finding per shop. "
        "'Sugar-free', 'low-fat' forms do not count.",
    ),
)
def shop_unhealthy_food(ctx: RuleContext) -> Iterator[object]:
    """K-12 campus shops whose products include high-salt, -sugar or -fat foods."""
    campus = Campus(ctx.facts)
    period = window(ctx, since=SCHOOL_REGULATION_IN_FORCE)
    terms = term_list(ctx, "campus_shop_foods.toml", ctx.param("extra_terms"))
    for op, kind in campus.shops:
        if kind not in K12 or not op.active_on(ctx.as_of):
            continue
        sources: list[tuple[str, str, str]] = []  # (source, record id, text)
        for card in ctx.facts.for_subject(VendorRegistration, op.id):
            sources += [("vendor_registration", card.id, p) for p in card.products]
        for lic in ctx.facts.for_subject(Licence, op.id):
            sources += [("licence", lic.id, s) for s in lic.scope]
        for purchase in ctx.facts.for_subject(PurchaseRecord, op.id, start=period.start,
                                              end=period.end):
            sources.append(("purchase_record", purchase.id, purchase.item))
        products: list[ShopProductEvidence] = []
        all_hits: list[TermMatch] = []
        seen: set[str] = set()
        for source, record_id, text in sources:
            hits = terms.find(text)
            if not hits:
                continue
            all_hits.extend(hits)
            if text not in seen:
                seen.add(text)
                products.append(ShopProductEvidence(
                    source=source, record_id=record_id, text=text,
                    terms=tuple(dict.fromkeys(h.term for h in hits))))
        if not products:
            continue
        yield ctx.finding(
            subject=op, period=period,
            evidence=ShopFoodEvidence(school_id=op.school_id, institution_type=kind,
                                      products=tuple(products), **match_fields(terms, all_hits)),
            trigger=("school_id",), fingerprint_period=False,
        )
