"""SMALL-201/202/203: what a workshop may not produce and an eatery or vendor may not sell.

Each province lists the food a 小作坊 may not make (Shandong Art. 19, Henan
Art. 23, Chongqing Art. 13, Hebei's 2026 revision), and what a 小餐饮 or a
vendor may not sell (Shandong Arts. 26 and 30, Chongqing Art. 29, Hebei's
2026 revision). The lists are profile data (the ``prohibited`` table names
categories of ``product_categories.toml``); product names are free text
matched with :mod:`fsrules.matching`, so the evidence shows which term
matched which product, and production records with an SC food-category code
are also matched by code (SMALL-201 ``sc_codes``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from fsrules import Confidence, Fact, Param, Period, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.matching import TermList
from fsrules.model import (
    BusinessType,
    Licence,
    MealService,
    Operator,
    ProductionRecord,
    VendorRegistration,
)

from .basis import FSL_ART_36
from .common import MARKET_BUREAU, TOWNSHIP, Scoped, certificates, review_window, scoped
from .facts import SmallScope, VendorObservation
from .heads import HeadRule
from .in_force import IN_FORCE_DATES, since
from .tables import (
    BusinessTable,
    ProfileTableError,
    ProhibitedList,
    read_table,
)

C = Confidence.CORROBORATED
M = Confidence.MEMORY
V = Confidence.VERIFIED

CATALOGUE = "product_categories.toml"

_REVIEW = Param(name="review_months", type="int", minimum=1, maximum=60, unit="月", confidence=V,
                description=Text("查看评价日前多少个月的生产、供餐和巡查记录（报告设置）",
                                 "months of production, meal and patrol records reviewed "
                                 "(a reporting choice)"))
_PROHIBITED = Param(name="prohibited", type="table", structure=BusinessTable(ProhibitedList), confidence=C,
                    description=Text("各业态禁止的品类（product_categories.toml）、所在条款项及依据",
                                     "per business type: the prohibited categories "
                                     "(product_categories.toml), the article item listing "
                                     "each, and the legal basis"))

_ITEM = re.compile(r"^第([一二三四五六七八九十]+)项$")
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _item_en(item: str) -> str:
    """``第三项`` → ``item 3`` (other wording is kept as it is)."""
    m = _ITEM.match(item)
    if not m:
        return item
    text = m.group(1)
    if text == "十":
        return "item 10"
    if text.startswith("十"):
        return f"item {10 + _DIGITS[text[1]]}"
    return f"item {_DIGITS[text[0]]}"


@attrs.frozen(kw_only=True)
class _Source:
    """A product name (and SC code) found in one fact."""

    fact: Fact
    on: dt.date | None
    text: str
    code: str | None = None


@attrs.frozen(kw_only=True)
class _Hit:
    """A source matched to a category, by term and/or by SC code."""

    source: _Source
    category: str
    term: str | None
    matched: str | None
    code_prefix: str | None

    def evidence(self) -> ProductMatch:
        coded = self.code_prefix is not None
        return ProductMatch(source=self.source.fact.KIND, id=self.source.fact.id,
                            date=self.source.on, product=self.source.text, term=self.term,
                            matched=self.matched,
                            sc_code=self.source.code if coded else None,
                            sc_code_prefix=self.code_prefix)


@evidence
class ProductMatch:
    """One product name (or SC code) of a record that matched a prohibited category."""

    source: str
    id: str
    product: str
    date: dt.date | None = None
    term: str | None = None
    matched: str | None = None
    sc_code: str | None = None
    sc_code_prefix: str | None = None


@evidence
class ProhibitedEvidence:
    """SMALL-201/202/203: one prohibited category found for an operator.

    ``category`` is a :class:`~fsrules.evidence.Code` of ``product_categories.toml``
    (stored as its key, shown by its label).
    """

    category: Code
    products: tuple[str, ...]
    terms: tuple[str, ...]
    sc_codes: tuple[str, ...]
    matches: tuple[ProductMatch, ...]
    business_type: BusinessType
    regime: str

    @property
    def verb(self) -> Text:
        """What the operator does with it: a workshop produces, the others sell."""
        if self.business_type is BusinessType.SMALL_WORKSHOP:
            return Text("生产加工", "produces")
        return Text("经营", "sells")

    @property
    def matched_by(self) -> Text:
        """The terms and codes that matched (the code table is from memory: M)."""
        return Text(
            "、".join([*(f"“{t}”" for t in self.terms),
                      *(f"食品类别编码 {c}（编码对照可信度 M）" for c in self.sc_codes)]),
            ", ".join([*(f"'{t}'" for t in self.terms),
                       *(f"SC category code {c} (code table confidence M)"
                         for c in self.sc_codes)]))


def normalise_sc_code(code: str | None) -> str | None:
    """An SC food-category code as the catalogue's category number (``05``, ``0301``, ``32``).

    Accepts the catalogue's 2- or 4-digit numbers, and the 3-digit prefix of
    an SC licence number (``1`` + category for food, ``2..`` for a food
    additive, read as category 32). Returns None for anything else.
    """
    if code is None:
        return None
    digits = re.sub(r"\D", "", code)
    if code.strip().upper().startswith("SC"):
        digits = digits[:3]
    if len(digits) == 3:
        return digits[1:] if digits[0] == "1" else ("32" if digits[0] == "2" else None)
    if len(digits) in (2, 4):
        return digits
    return None


def _heads(ctx: RuleContext) -> HeadRule:
    return HeadRule.from_catalogue(ctx.data(CATALOGUE))


def _terms(ctx: RuleContext, categories: Iterable[str]) -> TermList:
    data = ctx.data(CATALOGUE)
    known: Mapping[str, Any] = data["category"]
    wanted = list(dict.fromkeys(categories))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ProfileTableError(f"{ctx.rule.id}.prohibited: unknown categor(y/ies) "
                                f"{', '.join(unknown)}; {CATALOGUE} has {', '.join(known)}")
    return TermList.from_mapping({c: known[c] for c in wanted},
                                 negations=data.get("negations", ()),
                                 exclude=data.get("exclude", ()))


def _term_lists(ctx: RuleContext, duties: Mapping[BusinessType, ProhibitedList]
                ) -> dict[BusinessType, TermList]:
    """One term list per business type with a non-empty catalogue, built once per run."""
    return {bt: _terms(ctx, duty.categories) for bt, duty in duties.items() if duty.categories}


def _sc_codes(ctx: RuleContext, categories: Iterable[str]) -> dict[str, tuple[str, ...]]:
    raw = ctx.param("sc_codes")
    if not isinstance(raw, Mapping):
        raise ProfileTableError(f"{ctx.rule.id}.sc_codes: expected a table category → codes")
    wanted = set(categories)
    out: dict[str, tuple[str, ...]] = {}
    for cat, codes in raw.items():
        if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
            raise ProfileTableError(f"{ctx.rule.id}.sc_codes.{cat}: expected a list of codes")
        if cat in wanted:
            out[str(cat)] = tuple(codes)
    return out


def _match(sources: Iterable[_Source], terms: TermList, heads: HeadRule,
           codes: Mapping[str, tuple[str, ...]] | None = None) -> list[_Hit]:
    """Every (source, category) pair that matches, by term or by code (one hit each).

    A term counts only where it names what the product is (:class:`.heads.HeadRule`:
    酱油 in 酿造酱油, not in 酱油瓜子); and where the record carries an SC food-category
    code, the code says what the product is: a name match in a category whose codes
    the code is not among does not count.
    """
    hits: list[_Hit] = []
    for src in sources:
        found: dict[str, _Hit] = {}
        norm = normalise_sc_code(src.code)
        for m in heads.products(src.text, terms.find(src.text)):
            prefixes = codes.get(m.category, ()) if codes else ()
            if norm is not None and prefixes and not any(norm.startswith(p) for p in prefixes):
                continue  # the record's category code says it is something else
            if m.category not in found:
                found[m.category] = _Hit(source=src, category=m.category, term=m.term,
                                         matched=m.matched, code_prefix=None)
        if norm is not None and codes:
            for cat, prefixes in codes.items():
                prefix = next((p for p in prefixes if norm.startswith(p)), None)
                if prefix is None:
                    continue
                old = found.get(cat)
                found[cat] = (attrs.evolve(old, code_prefix=prefix) if old is not None else
                              _Hit(source=src, category=cat, term=None, matched=None,
                                   code_prefix=prefix))
        hits.extend(found[c] for c in sorted(found))
    return hits


def _certificate_sources(ctx: RuleContext, operator_id: str) -> list[_Source]:
    """Products and scope of the operator's certificates valid on ``as_of``."""
    out: list[_Source] = []
    for cert in certificates(ctx, operator_id):
        if cert.valid_on(ctx.as_of):
            out.extend(_Source(fact=cert.fact, on=cert.issued_on, text=p) for p in cert.products)
    return out


def _findings(ctx: RuleContext, item: Scoped, duty: ProhibitedList, hits: list[_Hit],
              terms: TermList, period: Period) -> Iterator[object]:
    """One finding per prohibited category found for the operator."""
    by_category: dict[str, list[_Hit]] = defaultdict(list)
    for hit in hits:
        by_category[hit.category].append(hit)
    op = item.operator
    for category in sorted(by_category, key=lambda c: list(duty.categories).index(c)):
        mine = by_category[category]
        cat_item = duty.categories[category]
        basis = duty.basis
        if cat_item:
            # 第十三条 第二款 + 第一项 → 第二款第一项; "Art. 13(2)" → "Art. 13(2), item 1"
            basis = attrs.evolve(basis, item=(basis.item or "") + cat_item, article_en=(
                f"{basis.article_en}, {_item_en(cat_item)}" if basis.article_en else None))
        products = list(dict.fromkeys(h.source.text for h in mine))
        matched = list(dict.fromkeys(h.term for h in mine if h.term))
        codes = list(dict.fromkeys(h.source.code for h in mine if h.code_prefix))
        # The code → category table is from memory (M): matched_by says so for a code.
        yield ctx.finding(
            legal_basis=[basis],
            subject=op, period=period, facts=[item.scope, *(h.source.fact for h in mine)],
            evidence=ProhibitedEvidence(
                category=Code(category, terms.label(category), terms.label(category, "en")),
                products=tuple(products), terms=tuple(t for t in matched if t),
                sc_codes=tuple(c for c in codes if c),
                matches=tuple(h.evidence() for h in mine), business_type=op.business_type,
                regime=item.scope.regime),
            trigger=("category",), fingerprint_period=False,
        )


_MESSAGE = (
    "{subject}（{business_type}）{verb}{category}（{products}；匹配 {matched_by}），"
    "属禁止{verb}的食品。依据：{basis}（可信度 {basis_confidence}）。",
    "{subject} ({business_type}) {verb} {category} ({products}; matched "
    "{matched_by}), which it may not. Basis: {basis} (confidence "
    "{basis_confidence}).",
)


@rule(
    id="SMALL-201",
    version="1.0",
    grain="operator",
    identity=("category",),
    title=("食品小作坊生产加工禁止生产加工的食品", "Small workshop produces a prohibited food"),
    severity=Severity.HIGH,
    reads=[SmallScope, Operator, ProductionRecord, Licence, VendorRegistration],
    legal_basis=[FSL_ART_36],
    parameters=[
        IN_FORCE_DATES,
        _PROHIBITED,
        Param(name="sc_codes", type="table", confidence=M,
              description=Text("品类对应的食品生产许可分类目录编码（类别号或品种号前缀）",
                               "per category: SC food-category numbers (category or "
                               "sub-category prefixes)")),
        _REVIEW,
    ],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=ProhibitedEvidence,
    message=_MESSAGE,
    description=(
        "查看评价日前 review_months 个月的生产记录（产品名称、食品类别编码）和有效登记证载明的品种，按省级"
        "禁止目录（profile 的 prohibited 表）逐项匹配；每个品类一条问题，证据列出产品、匹配词或编码。看似相"
        "同而实为他物的名称（果冻橙、料酒、汽水馍等）不算。",
        "Reviews the production records of the last review_months (product names and SC "
        "category codes) and the products on the valid registration, against the province's "
        "prohibited catalogue (the profile's prohibited table); one finding per category, "
        "with the products and the term or code that matched. Look-alike names (果冻橙, 料酒, "
        "汽水馍...) are not matches.",
    ),
)
def workshop_products(ctx: RuleContext) -> Iterator[object]:
    """Workshops producing a category the province prohibits."""
    duties = read_table(ctx, "prohibited", ProhibitedList)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    lists = _term_lists(ctx, duties)
    heads = _heads(ctx)
    codes_by_type = {bt: _sc_codes(ctx, duties[bt].categories) for bt in lists}
    for item in scoped(ctx, lists):
        duty = duties[item.operator.business_type]
        terms = lists[item.operator.business_type]
        codes = codes_by_type[item.operator.business_type]
        span = since(window, duty.basis)  # no batch before the instrument is judged by it
        sources = [] if span is None else [
            _Source(fact=r, on=r.produced_on, text=r.product_name, code=r.food_category_code)
            for r in ctx.facts.for_subject(ProductionRecord, item.operator.id,
                                           start=span.start, end=span.end)]
        sources += _certificate_sources(ctx, item.operator.id)
        hits = _match(sources, terms, heads, codes)
        yield from _findings(ctx, item, duty, hits, terms, window)


@rule(
    id="SMALL-202",
    version="1.0",
    grain="operator",
    identity=("category",),
    title=("小餐饮经营禁止经营的食品", "Small eatery sells a prohibited food"),
    severity=Severity.HIGH,
    reads=[SmallScope, Operator, Licence, VendorRegistration, MealService],
    legal_basis=[FSL_ART_36],
    parameters=[_PROHIBITED, _REVIEW, IN_FORCE_DATES],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=ProhibitedEvidence,
    message=_MESSAGE,
    description=(
        "对照省级规定中小餐饮不得经营的食品（如山东第二十六条：裱花蛋糕、生食水产品），匹配有效登记证、"
        "许可证载明的经营项目和评价日前 review_months 个月的供餐菜品。",
        "Matches the items on the valid registration or licence and the dishes served in the "
        "last review_months against what the province forbids small eateries to sell (e.g. "
        "Shandong Art. 26: decorated cream cakes, raw aquatic products).",
    ),
)
def eatery_products(ctx: RuleContext) -> Iterator[object]:
    """Small eateries selling a category the province prohibits."""
    duties = read_table(ctx, "prohibited", ProhibitedList)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    lists = _term_lists(ctx, duties)
    heads = _heads(ctx)
    for item in scoped(ctx, lists):
        duty = duties[item.operator.business_type]
        terms = lists[item.operator.business_type]
        sources = _certificate_sources(ctx, item.operator.id)
        span = since(window, duty.basis)  # no meal before the instrument is judged by it
        meals = () if span is None else ctx.facts.for_subject(
            MealService, item.operator.id, start=span.start, end=span.end)
        for meal in meals:
            sources.extend(_Source(fact=meal, on=meal.served_on, text=d) for d in meal.dishes)
        yield from _findings(ctx, item, duty, _match(sources, terms, heads), terms, window)


@rule(
    id="SMALL-203",
    version="1.0",
    grain="operator",
    identity=("category",),
    title=("食品摊贩经营禁止经营的食品", "Food vendor sells a prohibited food"),
    severity=Severity.HIGH,
    reads=[SmallScope, Operator, Licence, VendorRegistration, VendorObservation],
    legal_basis=[FSL_ART_36],
    parameters=[_PROHIBITED, _REVIEW, IN_FORCE_DATES],
    lead=(MARKET_BUREAU,),
    responsible=(TOWNSHIP,),
    evidence=ProhibitedEvidence,
    message=_MESSAGE,
    description=(
        "对照省级规定中食品摊贩不得经营的食品（如山东第三十条、重庆第二十九条），匹配有效备案卡载明的经营"
        "品种和评价日前 review_months 个月巡查记录中的在售食品。河北按小摊点管理的小食杂店同样适用。",
        "Matches the products on the valid filing card and the food seen on sale in the patrol "
        "records of the last review_months against what the province forbids vendors to sell "
        "(e.g. Shandong Art. 30, Chongqing Art. 29); in Hebei also small groceries, which are "
        "managed as 小摊点.",
    ),
)
def vendor_products(ctx: RuleContext) -> Iterator[object]:
    """Vendors (and, where the profile says so, small groceries) selling a prohibited category."""
    duties = read_table(ctx, "prohibited", ProhibitedList)
    if not duties:
        return
    window = review_window(ctx, ctx.param("review_months"))
    lists = _term_lists(ctx, duties)
    heads = _heads(ctx)
    for item in scoped(ctx, lists):
        duty = duties[item.operator.business_type]
        terms = lists[item.operator.business_type]
        sources = _certificate_sources(ctx, item.operator.id)
        span = since(window, duty.basis)  # no sighting before the instrument is judged by it
        seen = () if span is None else ctx.facts.for_subject(
            VendorObservation, item.operator.id, start=span.start, end=span.end)
        for obs in seen:
            sources.extend(_Source(fact=obs, on=obs.observed_at.date(), text=p)
                           for p in obs.products)
        yield from _findings(ctx, item, duty, _match(sources, terms, heads), terms, window)
