"""What every school rule needs: which operators are schools' canteens, shops and suppliers.

Reading of the fact model (README.md explains each choice):

* a **school canteen** is an operator of business type ``unit_canteen``
  whose ``institution_type`` is kindergarten, primary school, secondary
  school or university; a canteen without a type takes its school's type
  through ``school_id``;
* ``school_id`` names the school an operator belongs to or serves. The
  school may be an operator record of its own (with an ``institution_type``)
  or, as in the demo county, the school's canteen;
* an **off-campus meal supplier** (校外供餐单位) is a collective-meal
  delivery unit, central kitchen or caterer with a ``school_id``;
* a **campus shop** (校内小卖部/超市) is a seller or small grocery with a
  ``school_id``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fsrules import FactSet, Period, RuleContext
from fsrules.evidence import Code, evidence
from fsrules.matching import TermList, TermMatch, normalize_for_matching
from fsrules.model import BusinessType, InstitutionType, MealService, Operator
from fsrules_rulesets._window import window, window_param

__all__ = [
    "K12",
    "SCHOOL_TYPES",
    "SHOP_TYPES",
    "SUPPLIER_TYPES",
    "Campus",
    "TermMatchEvidence",
    "dish_key",
    "in_window",
    "institution",
    "match_fields",
    "meals_in_window",
    "merge_term_data",
    "term_list",
    "window",
    "window_param",
]

SCHOOL_TYPES = frozenset({InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
                          InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY})
#: Primary and secondary schools and kindergartens: the regulation's stricter scope.
K12 = frozenset(t for t in SCHOOL_TYPES if t.is_k12)
SUPPLIER_TYPES = frozenset({BusinessType.MEAL_DELIVERY, BusinessType.CENTRAL_KITCHEN,
                            BusinessType.CATERER})
SHOP_TYPES = frozenset({BusinessType.SELLER, BusinessType.SMALL_GROCERY})

# Order used when one school id has canteens of several types (a 九年一贯制 school):
# the younger pupils' stricter duties win.
_PRECEDENCE = (InstitutionType.KINDERGARTEN, InstitutionType.PRIMARY_SCHOOL,
               InstitutionType.SECONDARY_SCHOOL, InstitutionType.UNIVERSITY)


class Campus:
    """The school canteens, campus shops and off-campus meal suppliers in a FactSet."""

    def __init__(self, facts: FactSet) -> None:
        self._facts = facts
        operators = facts.of_kind(Operator)
        by_school: dict[str, set[InstitutionType]] = defaultdict(set)
        for op in operators:
            if (op.business_type is BusinessType.UNIT_CANTEEN and op.school_id
                    and op.institution_type in SCHOOL_TYPES):
                by_school[op.school_id].add(op.institution_type)
        self._by_school = by_school
        canteens: list[tuple[Operator, InstitutionType]] = []
        suppliers: list[tuple[Operator, InstitutionType]] = []
        shops: list[tuple[Operator, InstitutionType]] = []
        for op in operators:
            if op.business_type is BusinessType.UNIT_CANTEEN:
                kind = self._canteen_type(op)
                if kind is not None:
                    canteens.append((op, kind))
            elif op.school_id and op.business_type in SUPPLIER_TYPES:
                kind = self.school_type(op.school_id)
                if kind is not None:
                    suppliers.append((op, kind))
            elif op.school_id and op.business_type in SHOP_TYPES:
                kind = self.school_type(op.school_id)
                if kind is not None:
                    shops.append((op, kind))
        self.canteens: tuple[tuple[Operator, InstitutionType], ...] = tuple(canteens)
        self.suppliers: tuple[tuple[Operator, InstitutionType], ...] = tuple(suppliers)
        self.shops: tuple[tuple[Operator, InstitutionType], ...] = tuple(shops)
        self._canteen_of = {op.id: kind for op, kind in canteens}

    def school_type(self, school_id: str) -> InstitutionType | None:
        """The kind of school ``school_id`` is, from its own record or its canteens."""
        school = self._facts.operator(school_id)
        if school is not None and school.institution_type in SCHOOL_TYPES:
            return school.institution_type
        kinds = self._by_school.get(school_id, set())
        return next((k for k in _PRECEDENCE if k in kinds), None)

    def _canteen_type(self, op: Operator) -> InstitutionType | None:
        if op.institution_type in SCHOOL_TYPES:
            return op.institution_type
        if op.institution_type is None and op.school_id:
            return self.school_type(op.school_id)
        return None  # an elderly-care or other unit canteen

    def canteen_type(self, operator_id: str) -> InstitutionType | None:
        """The school kind of canteen ``operator_id``, or None when it is no school canteen."""
        return self._canteen_of.get(operator_id)

    def canteens_of(self, kinds: Iterable[InstitutionType] = SCHOOL_TYPES
                    ) -> Iterator[tuple[Operator, InstitutionType]]:
        """School canteens of the given kinds, by id."""
        wanted = frozenset(kinds)
        return ((op, kind) for op, kind in self.canteens if kind in wanted)


def institution(kind: InstitutionType) -> Code:
    """A school kind as a coded value: ``secondary_school`` reads 中学 / secondary school."""
    return Code(kind.value, kind.zh, kind.value.replace("_", " "))


# --------------------------------------------------------------------------- windows


def in_window(day: dt.date, period: Period) -> bool:
    """True when ``day`` lies in ``period``."""
    return period.start <= day <= period.end


def meals_in_window(ctx: RuleContext, campus: Campus, period: Period,
                    kinds: Iterable[InstitutionType] = SCHOOL_TYPES
                    ) -> Iterator[tuple[Operator, InstitutionType, MealService]]:
    """Meals of school canteens of ``kinds`` served in ``period``, by canteen then date."""
    for op, kind in campus.canteens_of(kinds):
        meals = ctx.facts.for_subject(MealService, op.id, start=period.start, end=period.end)
        for meal in sorted(meals, key=lambda m: (m.served_on, m.meal.value, m.id)):
            yield op, kind, meal


@functools.lru_cache(maxsize=8192)
def dish_key(name: str) -> str:
    """A dish name in the form menus and sample records are compared in.

    Cached per distinct name (a pure function of it; bounded): a canteen's
    menu repeats the same few hundred dishes, and the live monitor looks at
    each day's meals again and again.
    """
    return normalize_for_matching(name)


# --------------------------------------------------------------------------- term lists


def _terms_as_table(raw: Any) -> dict[str, list[str]]:
    if isinstance(raw, Mapping):
        return {str(k): [str(s) for s in v] for k, v in raw.items()}
    if isinstance(raw, list | tuple):
        return {str(t): [] for t in raw}
    raise ValueError(f"terms must be a table or a list, got {raw!r}")


def merge_term_data(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` term-list data with ``extra`` added (a profile's extension).

    A category of ``extra`` that ``base`` has gains its terms, synonyms and
    exclusions; a new category is added whole. Top-level ``negations`` and
    ``exclude`` lists are concatenated.
    """
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, Mapping) else list(v))
                           for k, v in base.items()}
    for name, spec in extra.items():
        if name in ("negations", "exclude"):
            out[name] = [*out.get(name, ()), *spec]
            continue
        if not isinstance(spec, Mapping) or "terms" not in spec:
            raise ValueError(f"extra_terms: category {name!r} needs a 'terms' table or list")
        if name not in out:
            out[name] = dict(spec)
            continue
        merged = dict(out[name])
        terms = _terms_as_table(merged.get("terms", {}))
        for term, synonyms in _terms_as_table(spec["terms"]).items():
            terms[term] = [*terms.get(term, []), *synonyms]
        merged["terms"] = terms
        merged["exclude"] = [*merged.get("exclude", ()), *spec.get("exclude", ())]
        out[name] = merged
    return out


def term_list(ctx: RuleContext, filename: str, extra: Mapping[str, Any] | None = None
              ) -> TermList:
    """The term list in ``filename`` of this ruleset's folder, extended by ``extra``."""
    data = ctx.data(filename)
    return TermList.from_mapping(merge_term_data(data, extra) if extra else data)


@evidence
class TermMatchEvidence:
    """One term match: the category, the canonical term and the form that matched."""

    category: str
    term: str
    matched: str


def _quoted(text: str) -> Code:
    return Code(text, f"“{text}”", f"“{text}”")


def match_fields(terms: TermList, matches: Sequence[TermMatch]) -> dict[str, Any]:
    """Typed evidence fields for term matches (``**match_fields(...)`` into an evidence class).

    ``categories`` are :class:`~fsrules.evidence.Code` read by their term-list
    labels, ``matched`` the surface forms (read quoted: “凉拌鸡丝”).
    """
    categories = tuple(dict.fromkeys(m.category for m in matches))
    return {
        "matches": tuple(TermMatchEvidence(**m.as_evidence()) for m in matches),
        "categories": tuple(Code(c, terms.label(c, "zh"), terms.label(c, "en"))
                            for c in categories),
        "terms": tuple(dict.fromkeys(m.term for m in matches)),
        "matched": tuple(_quoted(m) for m in dict.fromkeys(x.matched for x in matches)),
    }
