"""Prohibited and high-risk foods on school menus, and nitrite in canteen records.

Source: 《学校食品安全与营养健康管理规定》 (2019, C; the article number is not
verified — often cited as Art 30, M): primary and secondary schools and
kindergartens may not make or sell 冷荤类食品、生食类食品、裱花蛋糕; no school
canteen may process 四季豆、鲜黄花菜、野生蘑菇、发芽土豆 and similar high-risk
foods (provinces may publish more); school canteens may not buy, store or
use nitrite.

Menus are free text: dishes are matched against the term lists in
``foods.toml`` and ``nitrite.toml`` (fsrules.matching), and every finding
names the category, the canonical term and the form that matched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fsrules import Param, Period, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.matching import TermList
from fsrules.model import (
    Inspection,
    InstitutionType,
    MealService,
    MealSlot,
    Operator,
    PurchaseRecord,
)

from ._common import (
    K12,
    SCHOOL_TYPES,
    Campus,
    TermMatchEvidence,
    dish_key,
    match_fields,
    meals_in_window,
    term_list,
    window,
    window_param,
)
from .basis import SCHOOL_REGULATION_IN_FORCE, school_article_unknown

__all__ = ["high_risk_food", "k12_prohibited_food", "nitrite"]

EDUCATION = ("县教育局",)
MARKET = ("县市场监管局",)

_FOODS_BASIS = school_article_unknown(
    "中小学、幼儿园食堂不得制售冷荤类食品、生食类食品、裱花蛋糕；学校食堂不得加工制作四季豆、鲜黄花菜、"
    "野生蘑菇、发芽土豆等高风险食品；不得采购、贮存、使用亚硝酸盐",
    "primary/secondary/kindergarten canteens may not make or sell cold meat dishes, raw food "
    "or decorated cakes; school canteens may not process green beans, fresh daylily, wild "
    "mushrooms, sprouted potatoes and similar high-risk foods, nor buy, store or use nitrite",
    cited_as="第三十条",
)


@evidence
class MenuFoodEvidence:
    """SCHOOL-006/007: a dish of a meal that matched a prohibited or high-risk category."""

    meal_service_id: str
    served_on: dt.date
    meal: MealSlot
    dish: str
    institution_type: InstitutionType
    matches: tuple[TermMatchEvidence, ...]
    categories: tuple[Code, ...]
    terms: tuple[str, ...]
    matched: tuple[Code, ...]


#: SCHOOL-008: the record kinds (their codes are the fact kinds) and what each shows.
_RECORD = Code.table({"purchase_record": ("进货记录", "purchase record"),
                      "inspection": ("监督检查记录", "inspection")})
_ACTION = Code.table({"purchased": ("采购了", "bought"),
                      "found_on_inspection": ("贮存或使用", "stored or used")})


@evidence
class NitriteEvidence:
    """SCHOOL-008: a purchase or inspection record that shows nitrite."""

    record_kind: Code
    record_id: str
    record_date: dt.date
    action: Code
    text: str
    institution_type: InstitutionType
    matches: tuple[TermMatchEvidence, ...]
    categories: tuple[Code, ...]
    terms: tuple[str, ...]
    matched: tuple[Code, ...]


def _categories_param(zh: str, en: str) -> Param:
    return Param(name="categories", type="list", confidence="C",
                 description=Text(f"判断的 foods.toml 类别（{zh}）",
                                  f"foods.toml categories judged ({en})"))


def _extra_terms_param() -> Param:
    return Param(name="extra_terms", type="table", confidence="C",
                 description=Text(
                     "配置文件追加的词表（格式同 foods.toml：类别→terms/exclude；新类别一并判断）",
                     "terms a profile adds (foods.toml format: category → terms/exclude; new "
                     "categories are judged too)"))


def _menu_terms(ctx: RuleContext) -> tuple[TermList, tuple[str, ...]]:
    """The menu term list with the profile's extra terms, and the categories this rule judges."""
    extra: Mapping[str, Any] = ctx.param("extra_terms")
    terms = term_list(ctx, "foods.toml", extra)
    base = set(ctx.data("foods.toml"))
    added = [c for c in extra if c not in base and c not in ("negations", "exclude")]
    wanted = tuple(dict.fromkeys([*ctx.param("categories"), *added]))
    unknown = [c for c in wanted if c not in terms.category_names]
    if unknown:
        raise ValueError(f"{ctx.rule.id} categories: {', '.join(unknown)} not in foods.toml "
                         f"(it has {', '.join(terms.category_names)})")
    return terms, wanted


def _menu_findings(ctx: RuleContext, kinds: Iterable[InstitutionType]) -> Iterator[object]:
    terms, wanted = _menu_terms(ctx)
    campus = Campus(ctx.facts)
    period = window(ctx, since=SCHOOL_REGULATION_IN_FORCE)
    for op, kind, meal in meals_in_window(ctx, campus, period, kinds):
        seen: set[str] = set()
        for dish in meal.dishes:
            key = dish_key(dish)
            if not key or key in seen:
                continue
            seen.add(key)
            hits = terms.find(dish, categories=wanted)
            if not hits:
                continue
            yield ctx.finding(
                subject=op, facts=[meal], period=Period(start=meal.served_on, end=meal.served_on),
                evidence=MenuFoodEvidence(
                    meal_service_id=meal.id, served_on=meal.served_on, meal=meal.meal,
                    dish=dish, institution_type=kind, **match_fields(terms, hits)),
                trigger=("meal_service_id", "dish"),
            )


# --------------------------------------------------------------------------- SCHOOL-006


@rule(
    id="SCHOOL-006",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=MenuFoodEvidence,
    title=("中小学、幼儿园食堂制售冷荤类、生食类食品或裱花蛋糕",
           "K-12 canteen serving cold meat dishes, raw food or decorated cakes"),
    severity=Severity.HIGH,
    reads=[Operator, MealService],
    legal_basis=[_FOODS_BASIS],
    parameters=[window_param(),
                _categories_param("冷荤类、生食类、裱花蛋糕", "cold meat, raw food, decorated "
                                                              "cake"),
                _extra_terms_param()],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的菜品“{dish}”属于{categories}（匹配{matched}），"
             "中小学、幼儿园食堂不得制售。",
             "{subject}: “{dish}” served at the {meal} of {served_on} is {categories} "
             "(matched {matched}), which primary and secondary school and kindergarten "
             "canteens may not make or sell."),
    description=(
        "按 foods.toml 的词表（同义词、繁体、排除词）识别菜单中的冷荤类、生食类食品和裱花蛋糕，"
        "每餐每道菜一条。“生煎包”不是生食，“卤肉饭”“京酱肉丝”不是冷荤。",
        "Finds cold meat dishes, raw food and decorated cakes on K-12 menus with the term "
        "list of foods.toml (synonyms, traditional characters, exclusions): one finding per "
        "dish of a meal. 生煎包 is no raw food, 卤肉饭 and 京酱肉丝 are no cold meat dish.",
    ),
)
def k12_prohibited_food(ctx: RuleContext) -> Iterator[object]:
    """K-12 menu dishes in a prohibited category."""
    yield from _menu_findings(ctx, K12)


# --------------------------------------------------------------------------- SCHOOL-007


@rule(
    id="SCHOOL-007",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=MenuFoodEvidence,
    title=("学校食堂加工制作四季豆、鲜黄花菜、野生蘑菇、发芽土豆等高风险食品",
           "School canteen processing green beans, fresh daylily, wild mushrooms, sprouted "
           "potatoes or similar high-risk food"),
    severity=Severity.HIGH,
    reads=[Operator, MealService],
    legal_basis=[_FOODS_BASIS],
    parameters=[window_param(),
                _categories_param("四季豆、鲜黄花菜、野生蘑菇、发芽土豆", "green beans, fresh "
                                  "daylily, wild mushrooms, sprouted potatoes"),
                _extra_terms_param()],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的菜品“{dish}”含{categories}（匹配{matched}），"
             "学校食堂不得加工制作。",
             "{subject}: “{dish}” served at the {meal} of {served_on} contains {categories} "
             "(matched {matched}), which school canteens may not process."),
    description=(
        "所有学校（含高等学校）食堂。按 foods.toml 的词表识别菜单中的高风险食品，每餐每道菜一条；"
        "省级配置文件可用 extra_terms 追加本省的高风险食品名单。“黄花鱼”不是黄花菜，“四季豆腐汤”不是四季豆。",
        "Every school canteen, universities included. Finds high-risk foods on menus with the "
        "term list of foods.toml: one finding per dish of a meal; a province profile extends "
        "the list with extra_terms. 黄花鱼 is no daylily, 四季豆腐汤 no green beans.",
    ),
)
def high_risk_food(ctx: RuleContext) -> Iterator[object]:
    """School menu dishes containing a high-risk food."""
    yield from _menu_findings(ctx, SCHOOL_TYPES)


# --------------------------------------------------------------------------- SCHOOL-008


@rule(
    id="SCHOOL-008",
    version="1.0",
    grain="operator",
    identity=("record_kind", "record_id"),
    evidence=NitriteEvidence,
    title=("学校食堂采购、贮存或使用亚硝酸盐", "School canteen buying, storing or using nitrite"),
    severity=Severity.HIGH,
    reads=[Operator, PurchaseRecord, Inspection],
    legal_basis=[_FOODS_BASIS],
    parameters=[window_param()],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{record_date} 的{record_kind}（{record_id}）显示{action}亚硝酸盐"
             "（“{text}”，匹配{matched}），学校食堂不得采购、贮存、使用亚硝酸盐。",
             "{subject}: the {record_kind} {record_id} of {record_date} shows nitrite {action} "
             "(“{text}”, matched {matched}); school canteens may not buy, store or use nitrite."),
    description=(
        "查看学校食堂的进货记录（品名、类别）和监督检查发现的问题项（贮存、使用），按 nitrite.toml "
        "识别亚硝酸盐；“未发现亚硝酸盐”等否定说法不算。每条记录一条。",
        "Reads school canteens' purchase records (item, category) and the problems "
        "inspections found (storage, use), matched with nitrite.toml; negated mentions "
        "(未发现亚硝酸盐) do not count. One finding per record.",
    ),
)
def nitrite(ctx: RuleContext) -> Iterator[object]:
    """Nitrite in a school canteen's purchases or in what an inspection found."""
    terms = term_list(ctx, "nitrite.toml")
    campus = Campus(ctx.facts)
    period = window(ctx, since=SCHOOL_REGULATION_IN_FORCE)
    for op, kind in campus.canteens:
        records: list[tuple[PurchaseRecord | Inspection, tuple[str, ...]]] = [
            (p, (p.item, p.category or "")) for p in
            ctx.facts.for_subject(PurchaseRecord, op.id, start=period.start, end=period.end)]
        records += [(i, i.failed_items) for i in
                    ctx.facts.for_subject(Inspection, op.id, start=period.start, end=period.end)]
        for record, texts in records:
            found = next(((t, hits) for t in texts if (hits := terms.find(t))), None)
            if found is None:
                continue
            text, hits = found
            purchase = isinstance(record, PurchaseRecord)
            day = record.purchased_on if isinstance(record, PurchaseRecord) else record.inspected_on
            yield ctx.finding(
                subject=op, facts=[record], period=Period(start=day, end=day),
                evidence=NitriteEvidence(
                    record_kind=_RECORD(record.KIND), record_id=record.id, record_date=day,
                    action=_ACTION("purchased" if purchase else "found_on_inspection"),
                    text=text, institution_type=kind, **match_fields(terms, hits)),
                trigger=("record_kind", "record_id"),
            )
