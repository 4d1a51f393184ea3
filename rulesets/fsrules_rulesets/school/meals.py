"""陪餐 and 留样: what each meal of a school canteen must come with.

Sources: 《学校食品安全与营养健康管理规定》 (2019, C): Art 13 陪餐 (number
confirmed, C); 留样 — every dish of every meal, ≥125 g, ≥48 h in a dedicated
refrigerated cabinet, with dish, quantity, time and person recorded —
article number not verified. 实施条例 Art 28 (V): collective-dining
canteens run a 食品留样 system.

One finding per meal (陪餐) or per dish of a meal (留样): the fingerprint is
the meal id (and the dish as written on the menu), so the same gap keeps the
same fingerprint from run to run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from fsrules import Param, Period, RuleContext, Severity, Text, rule
from fsrules.evidence import Code, evidence
from fsrules.matching import TermList
from fsrules.model import InstitutionType, MealService, MealSlot, Operator, SampleRetention

from .._numbers import ceil_to, exact, floor_to
from ._common import (
    K12,
    Campus,
    dish_key,
    meals_in_window,
    term_list,
    window,
    window_param,
)
from .basis import (
    IMPLEMENTING_REGULATIONS,
    SCHOOL_REGULATION,
    SCHOOL_REGULATION_IN_FORCE,
    article,
    school_article_unknown,
    weixian_item,
)

__all__ = [
    "accompanying_meal",
    "sample_incomplete",
    "sample_missing",
    "sample_storage",
    "sample_underweight",
]

EDUCATION = ("县教育局",)
MARKET = ("县市场监管局",)

#: Categories of foods.toml that make a dish of an ordinary university meal need a 留样.
UNIVERSITY_SAMPLED = ("cold_meat", "cold_food", "raw_food", "decorated_cake")


def _day(meal: MealService) -> Period:
    return Period(start=meal.served_on, end=meal.served_on)


@evidence
class MealEvidence:
    """The meal a finding is about."""

    meal_service_id: str
    served_on: dt.date
    meal: MealSlot
    institution_type: InstitutionType


def _meal_evidence(meal: MealService, kind: InstitutionType) -> dict[str, Any]:
    return {"meal_service_id": meal.id, "served_on": meal.served_on, "meal": meal.meal,
            "institution_type": kind}


@evidence
class AccompanyingEvidence(MealEvidence):
    """SCHOOL-001: what the meal's 陪餐 lacks (``missing``: leader, record)."""

    accompanying_leader: str | None
    accompanying_recorded: bool
    missing: tuple[str, ...]
    diners: int | None

    @property
    def gap(self) -> Text:
        """The gap in words."""
        if len(self.missing) == 2:
            return Text("没有学校负责人陪餐，也没有陪餐记录",
                        "had no school leader eating with the pupils and no 陪餐 record")
        if self.missing == ("leader",):
            return Text("记有陪餐记录但没有填写陪餐负责人",
                        "has a 陪餐 record but no accompanying leader named")
        return Text(f"有陪餐人（{self.accompanying_leader}）但没有陪餐记录",
                    f"names a leader ({self.accompanying_leader}) but has no 陪餐 record")


@evidence
class DishEvidence(MealEvidence):
    """A dish of a meal that needs a 留样, and the samples recorded for it."""

    dish: str
    scope: str
    sample_ids: tuple[str, ...]


@evidence
class SampleMissingEvidence(DishEvidence):
    """SCHOOL-002: no sample of the dish (how many the meal has)."""

    samples_for_meal: int


@evidence
class SampleWeightEvidence(DishEvidence):
    """SCHOOL-003: the dish's samples weigh less than the minimum."""

    weight_g: float
    min_weight_g: float
    shortfall_g: float


#: SCHOOL-004's problem codes: how each reads (``{min_hours}``, ``{hours_kept}`` filled).
_STORAGE = {"kept_too_short": ("保存不足{min_hours}小时（仅{hours_kept}小时）",
                               "kept less than {min_hours} hours (only {hours_kept} h)"),
            "discarded_before_retained": ("销毁时间早于留样时间", "discarded before it was taken"),
            "not_dedicated_fridge": ("未存放于专用冷藏设施", "not kept in a dedicated refrigerator")}


@evidence
class SampleStorageEvidence(DishEvidence):
    """SCHOOL-004: samples kept too short or outside a dedicated fridge."""

    problems: tuple[str, ...]
    hours_kept: float | None
    min_hours: int
    retained_at: dt.datetime | None
    discarded_at: dt.datetime | None
    dedicated_fridge: bool

    @property
    def problem_text(self) -> Text:
        """The problems in words."""
        fill = {"min_hours": self.min_hours,
                "hours_kept": "-" if self.hours_kept is None else f"{self.hours_kept:g}"}
        return Text("，".join(Text(*_STORAGE[p]).format(fill).zh for p in self.problems),
                    "; ".join(Text(*_STORAGE[p]).format(fill).en for p in self.problems))


#: SCHOOL-005's record fields, as they read.
_FIELD = Code.table({"weight_g": ("留样量", "quantity"), "retained_at": ("留样时间", "time sampled"),
                     "recorded_by": ("留样人", "name of the person who took it")})


@evidence
class SampleRecordEvidence(DishEvidence):
    """SCHOOL-005: the record fields the dish's samples leave blank."""

    missing: tuple[Code, ...]


# --------------------------------------------------------------------------- SCHOOL-001


@rule(
    id="SCHOOL-001",
    version="1.0",
    grain="operator",
    identity=("meal_service_id",),
    evidence=AccompanyingEvidence,
    title=("中小学、幼儿园供餐无学校负责人陪餐或无陪餐记录",
           "K-12 meal without an accompanying school leader or its record"),
    severity=Severity.MEDIUM,
    reads=[Operator, MealService],
    legal_basis=[article(SCHOOL_REGULATION, "第十三条", en="Art. 13"), weixian_item(7)],
    parameters=[
        window_param(),
        Param(name="meals", type="list", confidence="C",
              description=Text("须陪餐的餐次（MealSlot 取值；加餐默认不要求）",
                               "meals that need a leader (MealSlot values; snacks are not "
                               "required by default)")),
    ],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=EDUCATION,
    responsible=MARKET,
    message=("{subject}：{served_on}{meal}{gap}。",
             "{subject}: the {meal} of {served_on} {gap}."),
    description=(
        "中小学、幼儿园每餐均应有学校相关负责人与学生共同用餐并做好陪餐记录。陪餐人为空或未记录"
        "陪餐（陪餐记录=否）即为一条问题，每餐一条。",
        "At primary and secondary schools and kindergartens every meal needs a school leader "
        "eating with the pupils and a 陪餐 record. A blank leader or no record is one finding "
        "per meal.",
    ),
)
def accompanying_meal(ctx: RuleContext) -> Iterator[object]:
    """K-12 meals whose 陪餐 leader or record is missing."""
    campus = Campus(ctx.facts)
    period = window(ctx, since=SCHOOL_REGULATION_IN_FORCE)
    slots = set(ctx.param("meals"))
    for op, kind, meal in meals_in_window(ctx, campus, period, K12):
        if meal.meal.value not in slots:
            continue
        leader = (meal.accompanying_leader or "").strip()
        missing = [name for name, gap in (("leader", not leader),
                                          ("record", not meal.accompanying_recorded)) if gap]
        if not missing:
            continue
        yield ctx.finding(
            subject=op, facts=[meal], period=_day(meal),
            evidence=AccompanyingEvidence(
                **_meal_evidence(meal, kind), accompanying_leader=leader or None,
                accompanying_recorded=meal.accompanying_recorded, missing=tuple(missing),
                diners=meal.diners),
            trigger=("meal_service_id",),
        )


# --------------------------------------------------------------------------- 留样 helpers


@attrs.frozen(kw_only=True)
class _Dish:
    """One dish of one meal that needs a 留样, with the samples recorded for it."""

    canteen: Operator
    kind: InstitutionType
    meal: MealService
    dish: str
    scope: str
    samples: tuple[SampleRetention, ...]
    samples_for_meal: int

    def evidence(self) -> dict[str, Any]:
        return {**_meal_evidence(self.meal, self.kind), "dish": self.dish, "scope": self.scope,
                "sample_ids": tuple(s.id for s in self.samples)}


def _sample_index(ctx: RuleContext) -> dict[str, dict[str, list[SampleRetention]]]:
    """Samples by meal id, then by normalised dish name."""
    index: dict[str, dict[str, list[SampleRetention]]] = defaultdict(lambda: defaultdict(list))
    for sample in ctx.facts.of_kind(SampleRetention):
        index[sample.meal_service_id][dish_key(sample.dish)].append(sample)
    return index


def _dishes_to_sample(ctx: RuleContext) -> Iterator[_Dish]:
    """Every dish of every meal in the window that the regulation says must be sampled.

    K-12 canteens: every dish of every meal. Universities: every dish of a
    large-event collective meal, and in other meals the cold, raw and
    decorated-cake dishes (the regulation's "冷食类、生食类食品、裱花蛋糕").
    Its "批量制售的热食" cannot be told from a menu and is not judged.
    """
    campus = Campus(ctx.facts)
    period = window(ctx, since=SCHOOL_REGULATION_IN_FORCE)
    foods: TermList | None = None  # built when a university's meal needs it
    index = _sample_index(ctx)
    for op, kind, meal in meals_in_window(ctx, campus, period):
        seen: set[str] = set()
        for dish in meal.dishes:
            key = dish_key(dish)
            if not key or key in seen:
                continue
            seen.add(key)
            if kind in K12:
                scope = "every_dish"
            elif meal.large_event:
                scope = "large_event"
            else:
                if foods is None:
                    foods = term_list(ctx, "foods.toml")
                hits = foods.find(dish, categories=UNIVERSITY_SAMPLED)
                if not hits:
                    continue
                scope = f"category:{hits[0].category}"
            recorded = index.get(meal.id, {})
            samples = tuple(sorted(recorded.get(key, ()), key=lambda s: s.id))
            yield _Dish(canteen=op, kind=kind, meal=meal, dish=dish, scope=scope,
                        samples=samples, samples_for_meal=sum(len(v) for v in recorded.values()))


_SAMPLE_BASIS = [
    school_article_unknown("留样：每餐次每种食品成品留样不少于125克，专柜冷藏保存48小时以上，"
                           "记录名称、数量、时间、留样人", "sample retention: every food of "
                           "every meal, at least 125 g, kept 48 hours or more in a dedicated "
                           "refrigerated cabinet, with name, quantity, time and person recorded",
                           cited_as="第三十八条"),
    article(IMPLEMENTING_REGULATIONS, "第二十八条", en="Art. 28"),
]

_SAMPLE_SCOPE = (
    "中小学、幼儿园食堂：每餐每道菜；高等学校食堂：大型活动集体用餐的每道菜，以及其他餐次中按 foods.toml "
    "识别为冷荤、冷食、生食、裱花蛋糕的菜品（“批量制售的热食”无法从菜单判断，不作判断）。"
    "菜品与留样记录按规范化后的菜名对应。",
    "K-12 canteens: every dish of every meal; universities: every dish of a large-event "
    "collective meal, and in other meals the dishes foods.toml recognises as cold meat, cold, "
    "raw food or decorated cake (batch hot food cannot be told from a menu and is not judged). "
    "Dishes and samples are paired by normalised dish name.",
)


# --------------------------------------------------------------------------- SCHOOL-002


@rule(
    id="SCHOOL-002",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=SampleMissingEvidence,
    title=("学校食堂菜品未留样", "School-canteen dish without a retained sample"),
    severity=Severity.HIGH,
    reads=[Operator, MealService, SampleRetention],
    legal_basis=_SAMPLE_BASIS,
    parameters=[window_param()],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的菜品“{dish}”没有留样记录。",
             "{subject}: no retained sample of “{dish}” from the {meal} of {served_on}."),
    description=("须留样的菜品在该餐没有对应的留样记录，每道菜一条。" + _SAMPLE_SCOPE[0],
                 "A dish that must be sampled has no sample record for that meal: one finding "
                 "per dish. " + _SAMPLE_SCOPE[1]),
)
def sample_missing(ctx: RuleContext) -> Iterator[object]:
    """Dishes of a meal with no retained sample."""
    for item in _dishes_to_sample(ctx):
        if item.samples:
            continue
        yield ctx.finding(
            subject=item.canteen, facts=[item.meal], period=_day(item.meal),
            evidence=SampleMissingEvidence(**item.evidence(),
                                           samples_for_meal=item.samples_for_meal),
            trigger=("meal_service_id", "dish"),
        )


# --------------------------------------------------------------------------- SCHOOL-003


@rule(
    id="SCHOOL-003",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=SampleWeightEvidence,
    title=("学校食堂留样量不足", "School-canteen sample below the minimum weight"),
    severity=Severity.MEDIUM,
    reads=[Operator, MealService, SampleRetention],
    legal_basis=_SAMPLE_BASIS,
    parameters=[
        window_param(),
        Param(name="min_weight_g", type="float", minimum=0, unit="克", confidence="C",
              description=Text("每道菜留样量下限（“不少于”：恰为下限不算不足）",
                               "least sample weight per dish ('not less than': exactly the "
                               "minimum passes)")),
    ],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的“{dish}”留样 {weight_g} 克，不足 {min_weight_g} 克"
             "（差 {shortfall_g} 克）。",
             "{subject}: the sample of “{dish}” from the {meal} of {served_on} weighs "
             "{weight_g} g, below {min_weight_g} g (short by {shortfall_g} g)."),
    description=("同一道菜有多份留样时按合计重量判断；有留样未记录重量时不在此判断（见 SCHOOL-005）。"
                 "部分地方要求200克，可在配置文件中提高 min_weight_g。" + _SAMPLE_SCOPE[0],
                 "Several samples of one dish are judged on their total; a sample without a "
                 "recorded weight is left to SCHOOL-005. Some local rules ask for 200 g: a "
                 "profile may raise min_weight_g. " + _SAMPLE_SCOPE[1]),
)
def sample_underweight(ctx: RuleContext) -> Iterator[object]:
    """Dishes whose retained samples weigh less than the minimum."""
    floors: dict[dt.date, tuple[float, Fraction]] = {}  # per day served: the minimum
    exacts: dict[float, Fraction] = {}  # per weight written: its exact value
    for item in _dishes_to_sample(ctx):
        weights = [s.weight_g for s in item.samples if s.weight_g is not None]
        if not weights or len(weights) < len(item.samples):
            continue
        day = item.meal.served_on
        if day not in floors:
            minimum = ctx.param("min_weight_g", on=day)
            floors[day] = (minimum, exact(minimum))
        floor, least = floors[day]
        for w in weights:
            if w not in exacts:
                exacts[w] = exact(w)
        total = sum((exacts[w] for w in weights), Fraction(0))
        if total >= least:
            continue
        yield ctx.finding(
            subject=item.canteen, facts=[item.meal, *item.samples], period=_day(item.meal),
            evidence=SampleWeightEvidence(
                **item.evidence(), weight_g=floor_to(float(total)), min_weight_g=floor,
                shortfall_g=ceil_to(float(exact(floor) - total))),
            trigger=("meal_service_id", "dish"),
        )


# --------------------------------------------------------------------------- SCHOOL-004

@rule(
    id="SCHOOL-004",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=SampleStorageEvidence,
    title=("学校食堂留样未在专用冷藏设施中保存满{min_hours}小时",
           "School-canteen sample not kept {min_hours} hours in a dedicated refrigerator"),
    severity=Severity.MEDIUM,
    reads=[Operator, MealService, SampleRetention],
    legal_basis=_SAMPLE_BASIS,
    parameters=[
        window_param(),
        Param(name="min_hours", type="int", minimum=1, maximum=720, unit="小时", confidence="C",
              description=Text("留样保存时长下限（“48小时以上”：恰满即合格）",
                               "least time a sample is kept (exactly the minimum passes)")),
    ],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的“{dish}”留样{problem_text}。",
             "{subject}: the sample of “{dish}” from the {meal} of {served_on} was "
             "{problem_text}."),
    description=("保存时长=销毁时间−留样时间；尚未销毁的留样仍在保存，不算不足。每份留样都须满足要求。"
                 + _SAMPLE_SCOPE[0],
                 "Time kept = discarded at − retained at; a sample not yet discarded is still "
                 "kept and passes. Every sample of a dish must meet the requirement. "
                 + _SAMPLE_SCOPE[1]),
)
def sample_storage(ctx: RuleContext) -> Iterator[object]:
    """Samples discarded before the minimum time, or kept outside a dedicated fridge."""
    for item in _dishes_to_sample(ctx):
        if not item.samples:
            continue
        min_hours = ctx.param("min_hours", on=item.meal.served_on)
        problems: list[str] = []
        shortest: tuple[dt.timedelta, SampleRetention] | None = None
        for sample in item.samples:
            kept = _kept(sample)
            if kept is not None and kept < dt.timedelta(0):
                problems.append("discarded_before_retained")
            elif kept is not None and kept < dt.timedelta(hours=min_hours):
                problems.append("kept_too_short")
                if shortest is None or kept < shortest[0]:
                    shortest = (kept, sample)
            if not sample.dedicated_fridge:
                problems.append("not_dedicated_fridge")
        if not problems:
            continue
        problems = list(dict.fromkeys(problems))
        hours = floor_to(shortest[0].total_seconds() / 3600, 2) if shortest else None
        worst = shortest[1] if shortest else item.samples[0]
        yield ctx.finding(
            subject=item.canteen, facts=[item.meal, *item.samples], period=_day(item.meal),
            evidence=SampleStorageEvidence(
                **item.evidence(), problems=tuple(problems), hours_kept=hours,
                min_hours=min_hours, retained_at=worst.retained_at,
                discarded_at=worst.discarded_at,
                dedicated_fridge=all(s.dedicated_fridge for s in item.samples)),
            trigger=("meal_service_id", "dish"),
        )


def _kept(sample: SampleRetention) -> dt.timedelta | None:
    if sample.retained_at is None or sample.discarded_at is None:
        return None
    return sample.discarded_at - sample.retained_at


# --------------------------------------------------------------------------- SCHOOL-005

def _blank(sample: SampleRetention, name: str) -> bool:
    if name not in ("weight_g", "retained_at", "recorded_by"):
        raise ValueError(f"SCHOOL-005 required_fields: unknown field {name!r}; use "
                         "weight_g, retained_at, recorded_by")
    value = getattr(sample, name)
    return value is None or (isinstance(value, str) and not value.strip())


@rule(
    id="SCHOOL-005",
    version="1.0",
    grain="operator",
    identity=("meal_service_id", "dish"),
    evidence=SampleRecordEvidence,
    title=("学校食堂留样记录不全", "School-canteen sample record incomplete"),
    severity=Severity.LOW,
    reads=[Operator, MealService, SampleRetention],
    legal_basis=_SAMPLE_BASIS,
    parameters=[
        window_param(),
        Param(name="required_fields", type="list", confidence="C",
              description=Text("留样记录必填项（weight_g、retained_at、recorded_by）",
                               "fields a sample record must fill (weight_g, retained_at, "
                               "recorded_by)")),
    ],
    valid_from=SCHOOL_REGULATION_IN_FORCE,
    lead=MARKET,
    responsible=EDUCATION,
    message=("{subject}：{served_on}{meal}的“{dish}”留样记录缺少{missing}。",
             "{subject}: the sample record of “{dish}” from the {meal} of {served_on} lacks "
             "the {missing}."),
    description=("规定要求记录留样食品名称、留样量、留样时间、留样人员。菜品名称是留样与菜单对应的依据，"
                 "未写菜名的留样按未留样处理（SCHOOL-002）。" + _SAMPLE_SCOPE[0],
                 "The regulation asks for the name, quantity, time and person. The dish name is "
                 "how a sample is paired with the menu, so an unnamed sample counts as missing "
                 "(SCHOOL-002). " + _SAMPLE_SCOPE[1]),
)
def sample_incomplete(ctx: RuleContext) -> Iterator[object]:
    """Sample records without the quantity, time or person."""
    for item in _dishes_to_sample(ctx):
        required = ctx.param("required_fields", on=item.meal.served_on)
        missing = [name for name in required if any(_blank(s, name) for s in item.samples)]
        if not missing:
            continue
        yield ctx.finding(
            subject=item.canteen, facts=[item.meal, *item.samples], period=_day(item.meal),
            evidence=SampleRecordEvidence(**item.evidence(),
                                          missing=tuple(_FIELD(m) for m in missing)),
            trigger=("meal_service_id", "dish"),
        )
