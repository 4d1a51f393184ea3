"""Fact builders with sensible defaults, and engines isolated from installed plugins.

A :class:`FactBuilder` makes one valid fact of any built-in kind from a
single call, filling every required field with a plausible value (Wei
County 威县 130533, dates in 2023, valid 统一社会信用代码) so a test only
spells out the fields it is about::

    build = FactBuilder()
    op = build.operator(business_type="banquet_undertaker")
    cert = build.health_certificate(valid_until=date(2023, 5, 31))  # for op's latest staff

Ids are ``kind-N`` with one counter per kind *per builder*: there is no
global counter, so tests that each use a fresh builder (the
``fsrules_builder`` fixture) get the same ids whatever order they run in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import importlib
import importlib.metadata as md
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import cattrs

from fsrules._engine import Engine
from fsrules.exceptions import PluginLoadError, UnknownFactKindError
from fsrules.identifiers import make_uscc as _make_uscc
from fsrules.model import (
    BUILTIN_FACT_KINDS,
    BanquetReport,
    BaobaoAssignment,
    BaobaoTier,
    BusinessType,
    CadreLevel,
    Complaint,
    Disposal,
    DisposalStatus,
    EnforcementCase,
    Fact,
    HealthCertificate,
    Incident,
    IndicatorObservation,
    Inspection,
    InspectionResult,
    Licence,
    LicenceKind,
    MealService,
    MealSlot,
    Operator,
    ProductionRecord,
    ProductTest,
    PurchaseRecord,
    Region,
    RiskAssessment,
    RiskGrade,
    SampleRetention,
    SamplingKind,
    SamplingResult,
    SelfCheck,
    SelfCheckCycle,
    StaffMember,
    StaffRole,
    SupervisionVisit,
    TrainingRecord,
    VendorRegistration,
    Verdict,
    WorkShift,
    fact_converter,
    value_kind,
)

if TYPE_CHECKING:
    from fsrules.testing._kit import FactKit

__all__ = ["FactBuilder", "isolated_engine", "make_uscc", "resolve_plugin"]

F = TypeVar("F", bound=Fact)

def make_uscc(serial: int, *, region_code: str = "130533", department: str = "9",
              category: str = "1") -> str:
    """A valid 统一社会信用代码 whose 主体标识码 is ``MA`` + ``serial`` (6 digits).

    A shorthand for :func:`fsrules.identifiers.make_uscc`, which computes the
    check characters.
    """
    if not 0 <= serial < 1_000_000:
        raise ValueError(f"serial must be in 0..999999, got {serial}")
    return _make_uscc(f"MA{serial:06d}", region_code=region_code, department=department,
                      category=category)


class FactBuilder:
    """Builds valid facts of every built-in kind, with defaults for every required field.

    One method per fact kind, named after its ``KIND``
    (``build.operator(...)``, ``build.sampling_result(...)``,
    ``build.banquet_report(...)`` ...). Each takes an optional ``id`` and
    keyword overrides for any field; overrides go through the same cattrs
    conversion as JSON input, so ``business_type="banquet_undertaker"`` and
    ``held_on="2023-06-10"`` work as well as enum members and dates.

    Defaults:

    * ``id``: ``kind-N``, counted per kind by this builder (ids given
      explicitly are skipped by the counter);
    * places: ``region_code`` (default 130533 威县);
    * dates: in ``year`` (default 2023);
    * links: a fact about an operator, a staff member, a sampling result or
      a meal takes the id of the last one this builder built (or
      ``operator-1`` etc. when it has built none), so
      ``build.operator(); build.licence()`` gives a licence of that operator.

    Kinds beyond the built-in ones (a plugin's, a ruleset's) come from a
    :class:`~fsrules.testing.FactKit`: ``FactKit.for_plugins(plugin).builder()``
    builds them with ``build.fact("kind", ...)`` or ``build.kind(...)``,
    filling each required field from the kind's kit defaults or from its
    type: the builder's region for a division code, a valid USCC, the last
    operator for the kind's subject, the last ``stem`` for a ``stem_id``,
    1 June of ``year`` for a date, the first member of an enum.

    Args:
        region_code: the division code facts are placed in.
        year: the year default dates fall in.
        kit: the kinds this builder knows besides the built-in ones.
    """

    def __init__(self, *, region_code: str = "130533", year: int = 2023,
                 kit: FactKit | None = None) -> None:
        self.region_code = region_code
        self.year = year
        self.kit = kit
        self._counters: dict[str, int] = {}
        self._used: dict[str, set[str]] = {}
        self._last: dict[str, str] = {}

    def __repr__(self) -> str:
        built = ", ".join(f"{k}={len(v)}" for k, v in sorted(self._used.items()))
        return f"FactBuilder(region_code={self.region_code!r}, year={self.year}, built: {built})"

    # ------------------------------------------------------------------ helpers

    def next_id(self, kind: str) -> str:
        """The id the next ``kind`` fact gets when none is given: the first unused ``kind-N``.

        Only a fact actually built uses an id up, so a call that fails (an
        unknown field, a bad value) leaves the numbering as it was.
        """
        used = self._used.get(kind, set())
        n = self._counters.get(kind, 0) + 1
        while f"{kind}-{n}" in used:
            n += 1
        return f"{kind}-{n}"

    def last_id(self, kind: str) -> str | None:
        """The id of the last fact of ``kind`` this builder built, or None."""
        return self._last.get(kind)

    def day(self, month: int = 1, day: int = 1) -> dt.date:
        """A date in the builder's year."""
        return dt.date(self.year, month, day)

    def uscc(self, serial: int, *, region_code: str | None = None) -> str:
        """A valid 统一社会信用代码 number ``serial`` registered in ``region_code``."""
        return make_uscc(serial, region_code=region_code or self.region_code)

    def _ref(self, kind: str) -> str:
        return self._last.get(kind) or f"{kind}-1"

    def _build(self, cls: type[F], fact_id: str | None, defaults: Mapping[str, Any],
               overrides: Mapping[str, Any]) -> F:
        fields = attrs.fields_dict(cls)
        unknown = sorted(set(overrides) - set(fields))
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, list(fields), n=1)
                hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise TypeError(
                f"build.{cls.KIND}() got unknown field(s) {', '.join(hints)}; "
                f"{cls.KIND} fields: {', '.join(fields)}")
        kind = cls.KIND
        new_id = fact_id if fact_id is not None else self.next_id(kind)
        payload = {**defaults, **overrides, "id": new_id}
        try:
            fact = fact_converter().structure(payload, cls)
        except cattrs.BaseValidationError as exc:
            problems = "; ".join(cattrs.transform_error(
                exc, path=kind, format_exception=lambda e, _type: str(e)))
            raise ValueError(f"build.{kind}(id={new_id!r}): {problems}") from exc
        except (TypeError, ValueError) as exc:
            raise ValueError(f"build.{kind}(id={new_id!r}): {exc}") from exc
        used = self._used.setdefault(kind, set())
        used.add(new_id)
        counter = self._counters.get(kind, 0)
        while f"{kind}-{counter + 1}" in used:
            counter += 1
        self._counters[kind] = counter
        self._last[kind] = new_id
        return fact

    def fact(self, kind: str, id: str | None = None, **overrides: Any) -> Fact:
        """A fact of the kind named ``kind`` (``build.fact("licence")``), built-in or the kit's."""
        known = {cls.KIND for cls in BUILTIN_FACT_KINDS}
        if kind in known:
            method: Callable[..., Fact] = getattr(self, kind)
            return method(id, **overrides)
        if self.kit is not None and kind in self.kit.kinds:
            return self._derived(self.kit.kind(kind), id, overrides)
        extra = sorted(self.kit.kinds) if self.kit is not None else []
        raise UnknownFactKindError(kind, sorted(known | set(extra)))

    def __getattr__(self, name: str) -> Callable[..., Fact]:
        kit = self.__dict__.get("kit")
        if name.startswith("_") or kit is None or name not in kit.kinds:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return functools.partial(self.fact, name)

    def _derived(self, cls: type[F], fact_id: str | None, overrides: Mapping[str, Any]) -> F:
        """A fact of a kind without a builder method: defaults from its kit, else its fields."""
        kind = cls.KIND
        new_id = fact_id if fact_id is not None else self.next_id(kind)
        kit = self.kit.kit(kind) if self.kit is not None else None
        defaults = dict(kit.builder_defaults(self)) if kit is not None else {}
        hints = typing.get_type_hints(cls, include_extras=True)
        for attribute in attrs.fields(cls):
            name = attribute.name
            if (name == "id" or name in defaults or name in overrides or not attribute.init
                    or attribute.default is not attrs.NOTHING):
                continue
            defaults[name] = self._default_for(cls, name, hints.get(name), new_id)
        return self._build(cls, new_id, defaults, overrides)

    def _default_for(self, cls: type[Fact], name: str, tp: Any, fact_id: str) -> Any:
        kind = value_kind(tp)
        base, optional = _unwrap(tp)
        if (kind is not None and kind.name == "division_code") or name in (
                cls.REGION_FIELD, "region_code", "parent_code"):
            return self.region_code
        if kind is not None and kind.name == "uscc":
            return make_uscc(len(self._used.get(cls.KIND, ())) + 1, region_code=self.region_code)
        if kind is not None and kind.name == "money":
            return 100.0
        if name == cls.SUBJECT_FIELD or name == "operator_id":
            return self._ref("operator")
        if name.endswith("_id") and base is str:
            return self._ref(name[:-3])
        if optional:
            return None
        if base is dt.datetime:
            return dt.datetime.combine(self.day(6, 1), dt.time(12, 0))
        if base is dt.date:
            return self.day(6, 1)
        if isinstance(base, type) and issubclass(base, enum.Enum):
            return next(iter(base))
        if base is str:
            return f"{name}（{fact_id}）"
        simple: dict[Any, Any] = {bool: False, int: 0, float: 0.0}
        if base in simple:
            return simple[base]
        if typing.get_origin(base) is tuple:
            return ()
        raise TypeError(f"build.{cls.KIND}() has no default for field {name!r} ({tp!r}); "
                        f"pass it, or give the kind builder defaults: "
                        f"KindKit(kind=..., defaults={{{name!r}: ...}})")

    # ------------------------------------------------------------------ places, operators

    def region(self, id: str | None = None, **overrides: Any) -> Region:
        """A county (default 130533 威县, 600,000 residents); ``id`` defaults to the code."""
        code = str(overrides.get("code", self.region_code))
        name, parent = _division_name(code, self.day(7, 1))
        defaults = {"code": code, "name": name, "parent_code": parent,
                    "resident_population": 600_000, "registered_population": 620_000,
                    "population_year": self.year - 1}
        return self._build(Region, id if id is not None else code, defaults, overrides)

    def operator(self, id: str | None = None, **overrides: Any) -> Operator:
        """A small eatery (小餐饮) in the builder's region with a valid USCC."""
        fact_id = id if id is not None else self.next_id("operator")
        region = str(overrides.get("region_code", self.region_code))
        serial = len(self._used.get("operator", ())) + 1
        try:
            uscc: str | None = make_uscc(serial, region_code=region)
        except ValueError:  # a bad region_code: the fact's own validator says so
            uscc = None
        defaults = {"name": f"测试食品经营者（{fact_id}）",
                    "business_type": BusinessType.SMALL_EATERY,
                    "region_code": region, "uscc": uscc,
                    "township": "洺州镇" if region == "130533" else None,
                    "address": "测试路1号"}
        return self._build(Operator, fact_id, defaults, overrides)

    def licence(self, id: str | None = None, **overrides: Any) -> Licence:
        """A food business licence (JY) of the last operator, valid 2023-01-01 for 5 years."""
        fact_id = id if id is not None else self.next_id("licence")
        seq = len(self._used.get("licence", ())) + 1
        defaults = {"operator_id": self._ref("operator"), "licence_kind": LicenceKind.BUSINESS,
                    "number": f"JY2{self.region_code[:6]}{seq:06d}0",
                    "issued_on": self.day(1, 1),
                    "valid_until": dt.date(self.year + 4, 12, 31), "scope": ("热食类食品制售",)}
        return self._build(Licence, fact_id, defaults, overrides)

    def vendor_registration(self, id: str | None = None, **overrides: Any) -> VendorRegistration:
        """A vendor filing card (食品摊贩备案卡) of the last operator, valid for three years."""
        fact_id = id if id is not None else self.next_id("vendor_registration")
        seq = len(self._used.get("vendor_registration", ())) + 1
        defaults = {"operator_id": self._ref("operator"),
                    "licence_kind": LicenceKind.VENDOR_FILING,
                    "number": f"TF{self.region_code[:6]}{seq:04d}",
                    "issued_on": self.day(1, 1), "valid_until": dt.date(self.year + 2, 12, 31),
                    "products": ("热食",)}
        return self._build(VendorRegistration, fact_id, defaults, overrides)

    # ------------------------------------------------------------------ supervision

    def inspection(self, id: str | None = None, **overrides: Any) -> Inspection:
        """A conforming routine inspection of the last operator on 06-01."""
        defaults = {"operator_id": self._ref("operator"), "inspected_on": self.day(6, 1),
                    "result": InspectionResult.CONFORMING}
        return self._build(Inspection, id, defaults, overrides)

    def sampling_result(self, id: str | None = None, **overrides: Any) -> SamplingResult:
        """A passing supervisory sample of 小麦粉 taken on 06-01 in the builder's region."""
        defaults = {"region_code": self.region_code, "sampling_kind": SamplingKind.SUPERVISORY,
                    "sampled_on": self.day(6, 1), "product_name": "小麦粉",
                    "verdict": Verdict.PASS}
        return self._build(SamplingResult, id, defaults, overrides)

    def disposal(self, id: str | None = None, **overrides: Any) -> Disposal:
        """A completed 核查处置 of the last sampling result (06-20 to 07-10)."""
        defaults = {"sampling_id": self._ref("sampling_result"),
                    "status": DisposalStatus.COMPLETED, "started_on": self.day(6, 20),
                    "completed_on": self.day(7, 10)}
        return self._build(Disposal, id, defaults, overrides)

    def incident(self, id: str | None = None, **overrides: Any) -> Incident:
        """A minor incident (3 ill) on 06-01 in the builder's region, level left to inference."""
        defaults = {"region_code": self.region_code, "occurred_on": self.day(6, 1), "ill": 3}
        return self._build(Incident, id, defaults, overrides)

    def complaint(self, id: str | None = None, **overrides: Any) -> Complaint:
        """A 12315 complaint received on 06-01, closed on 06-10."""
        defaults = {"region_code": self.region_code, "received_on": self.day(6, 1),
                    "closed_on": self.day(6, 10)}
        return self._build(Complaint, id, defaults, overrides)

    def enforcement_case(self, id: str | None = None, **overrides: Any) -> EnforcementCase:
        """A case opened on 06-01 and closed on 08-01."""
        defaults = {"region_code": self.region_code, "opened_on": self.day(6, 1),
                    "closed_on": self.day(8, 1)}
        return self._build(EnforcementCase, id, defaults, overrides)

    def risk_assessment(self, id: str | None = None, **overrides: Any) -> RiskAssessment:
        """Grade B for the last operator, assessed on 03-01."""
        defaults = {"operator_id": self._ref("operator"), "assessed_on": self.day(3, 1),
                    "grade": RiskGrade.B}
        return self._build(RiskAssessment, id, defaults, overrides)

    # ------------------------------------------------------------------ 两个责任

    def baobao_assignment(self, id: str | None = None, **overrides: Any) -> BaobaoAssignment:
        """Township cadre ``cadre-1`` assigned to the last operator (tier D) on 01-01."""
        defaults = {"operator_id": self._ref("operator"), "cadre_id": "cadre-1",
                    "cadre_name": "包保干部", "cadre_level": CadreLevel.TOWNSHIP,
                    "tier": BaobaoTier.D, "assigned_on": self.day(1, 1),
                    "commitment_signed_on": self.day(1, 15)}
        return self._build(BaobaoAssignment, id, defaults, overrides)

    def supervision_visit(self, id: str | None = None, **overrides: Any) -> SupervisionVisit:
        """A 督导 visit by ``cadre-1`` to the last operator on 03-01."""
        defaults = {"operator_id": self._ref("operator"), "cadre_id": "cadre-1",
                    "visited_on": self.day(3, 1)}
        return self._build(SupervisionVisit, id, defaults, overrides)

    def self_check(self, id: str | None = None, **overrides: Any) -> SelfCheck:
        """A 日管控 record by the safety officer of the last operator on 06-01."""
        defaults = {"operator_id": self._ref("operator"), "cycle": SelfCheckCycle.DAILY,
                    "checked_on": self.day(6, 1), "role": StaffRole.SAFETY_OFFICER}
        return self._build(SelfCheck, id, defaults, overrides)

    def staff_member(self, id: str | None = None, **overrides: Any) -> StaffMember:
        """A food handler of the last operator who touches ready-to-eat food."""
        fact_id = id if id is not None else self.next_id("staff_member")
        defaults = {"operator_id": self._ref("operator"), "name": f"员工（{fact_id}）",
                    "role": StaffRole.FOOD_HANDLER, "touches_ready_to_eat": True}
        return self._build(StaffMember, fact_id, defaults, overrides)

    def work_shift(self, id: str | None = None, **overrides: Any) -> WorkShift:
        """A day (06-01) worked by the last staff member for the last operator."""
        defaults = {"operator_id": self._ref("operator"), "person_id": self._ref("staff_member"),
                    "worked_on": self.day(6, 1)}
        return self._build(WorkShift, id, defaults, overrides)

    def health_certificate(self, id: str | None = None, **overrides: Any) -> HealthCertificate:
        """The last staff member's health certificate, valid for the whole year."""
        defaults = {"operator_id": self._ref("operator"), "person_id": self._ref("staff_member"),
                    "issued_on": self.day(1, 1), "valid_until": self.day(12, 31)}
        return self._build(HealthCertificate, id, defaults, overrides)

    def training_record(self, id: str | None = None, **overrides: Any) -> TrainingRecord:
        """8 hours of food-safety training for the last staff member on 03-01."""
        defaults = {"person_id": self._ref("staff_member"), "trained_on": self.day(3, 1),
                    "hours": 8.0, "operator_id": self._ref("operator"), "topic": "食品安全知识"}
        return self._build(TrainingRecord, id, defaults, overrides)

    # ------------------------------------------------------------------ canteens

    def meal_service(self, id: str | None = None, **overrides: Any) -> MealService:
        """Lunch for 100 on 06-01 at the last operator."""
        defaults = {"operator_id": self._ref("operator"), "served_on": self.day(6, 1),
                    "meal": MealSlot.LUNCH, "dishes": ("米饭", "西红柿炒鸡蛋", "青菜"),
                    "diners": 100}
        return self._build(MealService, id, defaults, overrides)

    def sample_retention(self, id: str | None = None, **overrides: Any) -> SampleRetention:
        """A 125 g 留样 of one dish of the last meal."""
        defaults = {"operator_id": self._ref("operator"),
                    "meal_service_id": self._ref("meal_service"), "served_on": self.day(6, 1),
                    "dish": "西红柿炒鸡蛋", "weight_g": 125.0}
        return self._build(SampleRetention, id, defaults, overrides)

    def purchase_record(self, id: str | None = None, **overrides: Any) -> PurchaseRecord:
        """A purchase of 大米 by the last operator on 06-01."""
        defaults = {"operator_id": self._ref("operator"), "purchased_on": self.day(6, 1),
                    "item": "大米", "supplier_name": "测试粮油店", "category": "米"}
        return self._build(PurchaseRecord, id, defaults, overrides)

    def production_record(self, id: str | None = None, **overrides: Any) -> ProductionRecord:
        """A batch of 挂面 made by the last operator on 06-01."""
        defaults = {"operator_id": self._ref("operator"), "produced_on": self.day(6, 1),
                    "product_name": "挂面", "quantity": "100 kg"}
        return self._build(ProductionRecord, id, defaults, overrides)

    def product_test(self, id: str | None = None, **overrides: Any) -> ProductTest:
        """A passing test of 挂面 commissioned by the last operator on 06-15."""
        defaults = {"operator_id": self._ref("operator"), "tested_on": self.day(6, 15),
                    "product_name": "挂面", "verdict": Verdict.PASS}
        return self._build(ProductTest, id, defaults, overrides)

    # ------------------------------------------------------------------ banquets, indicators

    def banquet_report(self, id: str | None = None, **overrides: Any) -> BanquetReport:
        """An 80-diner banquet on 06-10, reported on 06-05, with its sittings and dishes."""
        defaults = {"region_code": self.region_code, "held_on": self.day(6, 10), "diners": 80,
                    "reported_on": self.day(6, 5), "organiser": "张家", "sittings": 2,
                    "dishes": ("回锅肉", "清蒸鱼", "青椒土豆丝"), "site": "村委会院坝"}
        return self._build(BanquetReport, id, defaults, overrides)

    def indicator_observation(self, id: str | None = None, **overrides: Any
                              ) -> IndicatorObservation:
        """A satisfaction score of 85 for January to November in the builder's region."""
        defaults = {"region_code": self.region_code, "indicator": "satisfaction",
                    "period_start": self.day(1, 1), "period_end": self.day(11, 30),
                    "value": 85.0, "unit": "分"}
        return self._build(IndicatorObservation, id, defaults, overrides)


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """The type under Annotated and ``| None`` layers, and whether None is allowed."""
    if typing.get_origin(tp) is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    args = typing.get_args(tp)
    if type(None) in args and typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _unwrap(rest[0])[0], True
    return tp, False


def _division_name(code: str, on: dt.date) -> tuple[str, str | None]:
    """(name, parent code) of a division, from the bundled history when it knows the code."""
    from fsrules.exceptions import IdentifierError
    from fsrules.identifiers import validate_division

    try:
        division = validate_division(code, on)
    except IdentifierError:
        return code, None
    parent = division.prefecture_code if division.prefecture_code != code else None
    if parent is None and division.province_code != code:
        parent = division.province_code
    return division.name, parent


# --------------------------------------------------------------------------- engines


def resolve_plugin(name: str) -> tuple[str, object | None]:
    """How to load the plugin called ``name``.

    Returns ``("entry_point", None)`` when ``name`` is an entry point of the
    ``fsrules`` group, else ``("module", module)`` after importing ``name`` as
    a module path. Raises :class:`~fsrules.exceptions.PluginLoadError`
    naming the installed entry points when it is neither.
    """
    eps = md.entry_points(group="fsrules")
    if any(ep.name == name for ep in eps):
        return "entry_point", None
    try:
        return "module", importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or name
        if not (name == missing or name.startswith(missing + ".")):
            raise  # the plugin exists but one of its own imports is missing
        installed = ", ".join(sorted({ep.name for ep in eps})) or "（无 / none）"
        raise PluginLoadError(
            f"找不到插件 {name!r}：既不是已安装的 fsrules 入口点，也不是可导入的模块 / "
            f"no plugin {name!r}: it is neither an installed entry point of the 'fsrules' "
            f"group nor an importable module path; installed entry points: {installed}",
            plugin=name) from None


def isolated_engine(*plugins: object | str, profile: str = "national",
                    builtins: bool = True) -> Engine:
    """An engine with the built-ins plus exactly the given plugins, nothing installed.

    Entry points of other installed plugins are not loaded, so a test sees
    the same rules on every machine. Each plugin is an object (a module, or
    an instance with ``@fsrules.hookimpl`` methods) or a name: an entry-point
    name of the ``fsrules`` group (``"sichuan_banquet"``) or an importable
    module path (``"fsrules_sichuan_banquet"``). Loading is strict: a plugin
    that fails to load raises :class:`~fsrules.exceptions.PluginLoadError`.

    Args:
        plugins: the plugins to register besides the built-ins.
        profile: the engine's default profile.
        builtins: register the built-in fact kinds, rulesets and profiles.
    """
    objects: list[object] = []
    entry_points: set[str] = set()
    for plugin in plugins:
        if isinstance(plugin, str):
            how, obj = resolve_plugin(plugin)
            if how == "entry_point":
                entry_points.add(plugin)
            else:
                objects.append(obj)
        else:
            objects.append(plugin)
    return Engine(profile=profile, plugins=objects, builtins=builtins,
                  entry_points=bool(entry_points), allowed_plugins=entry_points, strict=True)
