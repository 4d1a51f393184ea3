"""Static risk-factor tables: parsed from TOML, applied to one operator.

A table (``scoring/national.toml``) has categories (保健食品生产者, 食品销售企业,
餐饮服务提供者...), each with factors scored either by options (raw-material
type → points) or by bands of a number (business area → points). An
operator is scored in every category that applies to it and the highest
category score counts ("score the highest applicable category"); an item
without a value scores 0 (regulations.md §1.5, C).

Points are exact fractions: ``2.5 + 0.5`` is compared with a band bound
exactly, never through binary floats.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from fsrules.model import Operator

from .._numbers import exact
from .facts import RiskFactor

__all__ = [
    "CATEGORY_FACTOR",
    "Band",
    "Category",
    "CategoryScore",
    "Factor",
    "Option",
    "Scorer",
    "ScoringTable",
    "latest_factors",
    "norm",
    "show",
]

#: Factor names that declare an extra scoring category for an operator.
CATEGORY_FACTOR = frozenset({"category", "风险分级类别", "适用类别", "评分类别"})


def norm(text: object) -> str:
    """The lookup form of a name: NFKC, no white space, case-folded."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def show(value: Fraction) -> float | int:
    """A score as people write it: 13 not 13.0, 2.5 as 2.5."""
    return int(value) if value.denominator == 1 else float(value)


def _points(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: points must be a number, got {value!r}")
    if value < 0:
        raise ValueError(f"{where}: points must not be negative, got {value!r}")
    return exact(value)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class Option:
    """One choice of an option factor (提取物 → 13)."""

    code: str
    zh: str
    points: Fraction
    aliases: tuple[str, ...] = ()
    # Worked out once: operators are scored many times against one table.
    _names: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    @_names.default
    def _names_once(self) -> frozenset[str]:
        return frozenset(norm(n) for n in (self.code, self.zh, *self.aliases))

    def names(self) -> set[str]:
        """Every spelling that selects this option."""
        return set(self._names)


@attrs.frozen(kw_only=True)
class Band:
    """Values up to ``max`` (inclusive; None: no upper bound) score ``points``."""

    max: Fraction | None
    points: Fraction


@attrs.frozen(kw_only=True)
class Factor:
    """One item of a category's table."""

    code: str
    title_zh: str
    title_en: str
    unit: str = ""
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    operator_field: str | None = None
    business_types: frozenset[str] = frozenset()
    institution_types: frozenset[str] = frozenset()
    # Spelling -> the first option it selects, worked out once.
    _option_by_name: Mapping[str, Option] = attrs.field(init=False, eq=False, repr=False)
    _decimal_bounds: tuple[Decimal | None, ...] | None = attrs.field(init=False, eq=False,
                                                                      repr=False)

    @_option_by_name.default
    def _option_index(self) -> Mapping[str, Option]:
        index: dict[str, Option] = {}
        for option in self.options:
            for name in option._names:
                index.setdefault(name, option)
        return index

    @_decimal_bounds.default
    def _bounds_once(self) -> tuple[Decimal | None, ...] | None:
        # Band bounds as decimals, when every one is a finite decimal (None: use fractions).
        bounds: list[Decimal | None] = []
        for band in self.bands:
            if band.max is None:
                bounds.append(None)
                continue
            try:
                bounds.append(_EXACT.divide(Decimal(band.max.numerator),
                                            Decimal(band.max.denominator)))
            except Inexact:
                return None
        return tuple(bounds)

    def keys(self, category: str) -> tuple[str, ...]:
        """Factor names that select this item, the category-qualified one first."""
        return (norm(f"{category}.{self.code}"), norm(self.code), norm(self.title_zh),
                norm(self.title_en))

    def from_operator(self, op: Operator) -> Any:
        """The operator's own value for this item (e.g. its business area), or None."""
        if self.operator_field is None:
            return None
        if self.business_types and op.business_type.value not in self.business_types:
            return None
        if self.institution_types and (op.institution_type is None or
                                       op.institution_type.value not in self.institution_types):
            return None
        return getattr(op, self.operator_field, None)

    def score(self, raw: Any, *, round_numbers: bool) -> tuple[Fraction, str] | None:
        """(points, the value as shown) for ``raw``, or None when it is not understood."""
        if self.options:
            option = self._option_by_name.get(norm(raw))
            return None if option is None else (option.points, option.zh)
        if self._decimal_bounds is not None:
            # The same exact comparisons in decimal arithmetic (no fraction per value).
            value = _decimal(raw)
            if value is not None:
                if value < 0:
                    return None
                if round_numbers:
                    value = value.to_integral_value(rounding=ROUND_HALF_UP)  # 200.5 → 201
                for band, bound in zip(self.bands, self._decimal_bounds, strict=True):
                    if bound is None or value <= bound:
                        return band.points, f"{_show_decimal(value)}{self.unit}"
                return None  # pragma: no cover - a parsed table always ends with an open band
        number = _number(raw)
        if number is None or number < 0:
            return None
        if round_numbers:
            number = Fraction(math.floor(number + Fraction(1, 2)))  # half up: 200.5 → 201
        for band in self.bands:
            if band.max is None or number <= band.max:
                return band.points, f"{show(number)}{self.unit}"
        return None  # pragma: no cover - a parsed table always ends with an open band


_ZERO = Fraction(0)

#: Decimal arithmetic that never rounds (Inexact trapped): exact like fractions.
_EXACT = Context(prec=60, traps=[Inexact])


def _decimal(raw: Any) -> Decimal | None:
    """``_number(raw)`` as a finite decimal, or None where ``_number`` must decide."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        value = (Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
                 if isinstance(raw, int) else Decimal(raw.replace(",", "").replace("，", "")
                                                      .strip()))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _show_decimal(value: Decimal) -> float | int:
    """``show(Fraction(value))`` without the fraction."""
    return int(value) if value == value.to_integral_value() else float(value)


def _number(raw: Any) -> Fraction | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return exact(raw)
    try:
        return Fraction(Decimal(str(raw).replace(",", "").replace("，", "").strip()))
    except (InvalidOperation, ValueError):
        return None


@attrs.frozen(kw_only=True)
class Category:
    """A static table: the business types it applies to and its factors."""

    code: str
    title_zh: str
    title_en: str
    confidence: str
    note: str
    business_types: frozenset[str]
    factors: tuple[Factor, ...]
    round_numbers: bool = False
    # Worked out once: operators are scored many times against one table.
    _names: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    _factor_keys: tuple[tuple[str, ...], ...] = attrs.field(init=False, eq=False, repr=False)

    @_names.default
    def _names_once(self) -> frozenset[str]:
        return frozenset((norm(self.code), norm(self.title_zh), norm(self.title_en)))

    @_factor_keys.default
    def _factor_keys_once(self) -> tuple[tuple[str, ...], ...]:
        return tuple(f.keys(self.code) for f in self.factors)

    def names(self) -> set[str]:
        """Spellings that name this category in a ``category`` risk factor."""
        return set(self._names)


@attrs.frozen(kw_only=True)
class CategoryScore:
    """An operator's points in one category, item by item."""

    category: Category
    total: Fraction
    parts: tuple[tuple[Factor, str | None, Fraction, str], ...]
    """(factor, value shown or None when missing, points, status) per item;
    status is ``recorded``, ``operator``, ``missing`` or ``not_understood``."""

    def part_codes(self) -> tuple[str, ...]:
        """``category.code=value:points`` per item with a value."""
        return tuple(f"{self.category.code}.{f.code}={shown}:{show(points)}"
                     for f, shown, points, status in self.parts
                     if status in ("recorded", "operator"))

    def explain(self, lang: str) -> str:
        """One line: the category and each item's points."""
        items = []
        for factor, shown, points, status in self.parts:
            title = factor.title_en if lang == "en" else factor.title_zh
            if status == "missing":
                items.append(f"{title}: not recorded, 0" if lang == "en" else f"{title}未记录，0分")
            elif status == "not_understood":
                items.append(f"{title}: value not in the table, 0" if lang == "en"
                             else f"{title}取值不在评分表中，0分")
            else:
                items.append(f"{title} {shown}: {show(points)}" if lang == "en"
                             else f"{title}={shown} {show(points)}分")
        name = self.category.title_en if lang == "en" else self.category.title_zh
        sep = "; " if lang == "en" else "；"
        return f"{name}: {sep.join(items)}" if lang == "en" else f"{name}：{sep.join(items)}"


@attrs.frozen(kw_only=True)
class ScoringTable:
    """A parsed static scoring table."""

    title_zh: str
    title_en: str
    source: str
    categories: tuple[Category, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str) -> ScoringTable:
        """Parse a table; :class:`ValueError` names the file and the item that is wrong."""
        raw = data.get("categories")
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError(f"{source}: a scoring table needs [categories.NAME] tables")
        categories = []
        for code, spec in raw.items():
            where = f"{source} [categories.{code}]"
            if not isinstance(spec, Mapping):
                raise ValueError(f"{where}: must be a table")
            factors = []
            for i, fspec in enumerate(spec.get("factors", ()), start=1):
                factors.append(_factor(fspec, f"{where} factor #{i}"))
            if not factors:
                raise ValueError(f"{where}: needs at least one [[...factors]] item")
            categories.append(Category(
                code=str(code), title_zh=str(spec.get("title_zh", code)),
                title_en=str(spec.get("title_en", code)),
                confidence=str(spec.get("confidence", "")), note=str(spec.get("note", "")),
                business_types=frozenset(_strings(spec.get("business_types"), where)),
                factors=tuple(factors), round_numbers=bool(spec.get("round", False)),
            ))
        return cls(title_zh=str(data.get("title_zh", source)),
                   title_en=str(data.get("title_en", source)),
                   source=str(data.get("source", source)), categories=tuple(categories))

    def applicable(self, op: Operator, factors: Sequence[RiskFactor]) -> list[Category]:
        """Categories ``op`` is scored in: by business type, by a recorded ``category``
        factor, or by a recorded item qualified with a category (``seller.suppliers``)."""
        wanted = set()
        for record in factors:
            key = norm(record.factor)
            if key in CATEGORY_FACTOR:
                wanted.add(norm(record.value))
            elif "." in key:
                wanted.add(key.split(".", 1)[0])
        return [c for c in self.categories
                if op.business_type.value in c.business_types or not c._names.isdisjoint(wanted)]

    def score(self, category: Category, op: Operator, latest: Mapping[str, RiskFactor],
              cap: Fraction) -> CategoryScore:
        """``op``'s points in ``category`` from its latest factor records (by name)."""
        parts: list[tuple[Factor, str | None, Fraction, str]] = []
        for factor, keys in zip(category.factors, category._factor_keys, strict=True):
            record = next((latest[k] for k in keys if k in latest), None)
            raw: Any = record.value if record is not None else factor.from_operator(op)
            if raw is None:
                parts.append((factor, None, _ZERO, "missing"))
                continue
            scored = factor.score(raw, round_numbers=category.round_numbers)
            if scored is None:
                parts.append((factor, str(raw), _ZERO, "not_understood"))
                continue
            points, shown = scored
            parts.append((factor, shown, points, "recorded" if record else "operator"))
        # Adding zeros changes nothing: only the items with points are added.
        total = min(sum((p for _, _, p, _ in parts if p), _ZERO), cap)
        return CategoryScore(category=category, total=total, parts=tuple(parts))


class Scorer:
    """Scores operators against one table, once per distinct input (a per-evaluation cache).

    An operator's points in a category depend only on, per item, whether the
    value was recorded and the value itself: operators with the same inputs
    share one :class:`CategoryScore` (immutable) and its explanations, so the
    exact-fraction arithmetic and the text are done once per distinct input.
    """

    __slots__ = ("_cap", "_codes", "_explained", "_scores", "_shown", "table")

    def __init__(self, table: ScoringTable, cap: Fraction) -> None:
        self.table = table
        self._cap = cap
        self._scores: dict[tuple[Any, ...], CategoryScore] = {}
        # Keyed by id(): every score is kept alive in ``_scores``.
        self._explained: dict[tuple[int, str], str] = {}
        self._shown: dict[int, float | int] = {}
        self._codes: dict[int, tuple[str, ...]] = {}

    def score(self, category: Category, op: Operator, latest: Mapping[str, RiskFactor]
              ) -> CategoryScore:
        """``table.score(category, op, latest, cap)``, remembered by its inputs."""
        inputs: list[tuple[bool, type, Any]] = []
        for factor, keys in zip(category.factors, category._factor_keys, strict=True):
            record = next((latest[k] for k in keys if k in latest), None) if latest else None
            raw = record.value if record is not None else factor.from_operator(op)
            # The type too: 1, 1.0 and True are equal keys but score differently.
            inputs.append((record is not None, type(raw), raw))
        key = (category.code, *inputs)
        found = self._scores.get(key)
        if found is None:
            found = self._scores[key] = self.table.score(category, op, latest, self._cap)
        return found

    def explain(self, score: CategoryScore, lang: str) -> str:
        """``score.explain(lang)``, worked out once per score."""
        key = (id(score), lang)
        text = self._explained.get(key)
        if text is None:
            text = self._explained[key] = score.explain(lang)
        return text

    def shown(self, score: CategoryScore) -> float | int:
        """``show(score.total)``, worked out once per score."""
        shown = self._shown.get(id(score))
        if shown is None:
            shown = self._shown[id(score)] = show(score.total)
        return shown

    def part_codes(self, score: CategoryScore) -> tuple[str, ...]:
        """``score.part_codes()``, worked out once per score."""
        codes = self._codes.get(id(score))
        if codes is None:
            codes = self._codes[id(score)] = score.part_codes()
        return codes


def _factor(spec: Any, where: str) -> Factor:
    if not isinstance(spec, Mapping) or "code" not in spec:
        raise ValueError(f"{where}: needs a code")
    options = tuple(
        Option(code=str(o["code"]), zh=str(o.get("zh", o["code"])),
               points=_points(o.get("points"), f"{where} option {o.get('code')!r}"),
               aliases=_strings(o.get("aliases"), f"{where} option {o.get('code')!r}"))
        for o in spec.get("options", ()) if isinstance(o, Mapping) and "code" in o)
    bands = []
    previous: Fraction | None = None
    raw_bands = spec.get("bands", ())
    for j, b in enumerate(raw_bands, start=1):
        if not isinstance(b, Mapping):
            raise ValueError(f"{where} band #{j}: must be a table like {{ max = 200, points = 1 }}")
        upper = None if b.get("max") is None else _points(b["max"], f"{where} band #{j} max")
        if upper is not None and previous is not None and upper <= previous:
            raise ValueError(f"{where} band #{j}: bounds must increase")
        if upper is None and j != len(raw_bands):
            raise ValueError(f"{where} band #{j}: only the last band may have no max")
        bands.append(Band(max=upper, points=_points(b.get("points"), f"{where} band #{j}")))
        previous = upper
    if bool(options) == bool(bands):
        raise ValueError(f"{where} ({spec['code']}): give either options or bands")
    if bands and bands[-1].max is not None:
        raise ValueError(f"{where} ({spec['code']}): the last band must have no max")
    return Factor(
        code=str(spec["code"]), title_zh=str(spec.get("title_zh", spec["code"])),
        title_en=str(spec.get("title_en", spec["code"])), unit=str(spec.get("unit", "")),
        options=options, bands=tuple(bands),
        operator_field=None if spec.get("operator_field") is None
        else str(spec["operator_field"]),
        business_types=frozenset(_strings(spec.get("business_types"), where)),
        institution_types=frozenset(_strings(spec.get("institution_types"), where)),
    )


def latest_factors(records: Iterable[RiskFactor]) -> dict[str, RiskFactor]:
    """The latest record per factor name (by date, then id), keyed by its lookup form."""
    latest: dict[str, RiskFactor] = {}
    for record in sorted(records, key=lambda r: (r.recorded_on, r.id)):
        latest[norm(record.factor)] = record
    return latest
