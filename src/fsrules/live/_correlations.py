"""Which rules the live monitor covers, and when each must look again.

A :class:`Correlation` says, for one rule, what in the stream can change its
findings for a subject:

* a record of a kind the rule (or a derivation it depends on) reads, for
  that subject: the subject is *touched* and looked at again when the day
  completes;
* the passing of event time: each date on such a record, moved by the
  correlation's *offsets* (a deadline after an event, the end of a look-back
  window, a report due N days before an event), is a *wake* day on which the
  subject is looked at again.

Both are compiled into one durable_rules ruleset per correlation (see
:func:`compile_rules`): records are events matched on their kind, wake days
are facts joined with the day's tick. What the finding *is* stays with the
rule: the monitor re-runs the rule's own ``evaluate`` over the subject's
facts, so a live finding is the batch finding, fingerprint and all.

Offsets are generous on purpose (the day before and after each boundary
too): a spare wake costs one evaluation, a missing one a wrong answer.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from fsrules._plan import Plan
from fsrules._rules import Rule
from fsrules.exceptions import ParameterError
from fsrules.model import Fact, MealService, SampleRetention

__all__ = [
    "CORRELATIONS",
    "Correlation",
    "Offset",
    "correlation_of",
    "fact_dates",
    "from_shape",
    "rule_bounds",
    "touch_condition",
    "wake_days",
    "wake_days_from",
]


@attrs.frozen
class Offset:
    """A move in event time: ``amount`` (a number, or a rule parameter's name) of ``unit``.

    ``sign`` -1 moves back (a report due ``lead_days`` before a banquet).
    """

    unit: str  # "days", "months" or "years"
    amount: int | str | tuple[str, ...] = 0
    """A number, a parameter's name, or names whose values are summed (every combination)."""
    sign: int = 1
    slack: tuple[int, ...] = (-1, 0, 1)
    """Days around the moved date that wake too (a boundary read as ``<`` or ``<=``)."""
    exit: bool = False
    """The record leaves the rule's look-back window around that day: findings about
    it can only go away then, never appear. A case with none open and no new
    record is not looked at on such a day, only closed when it is its last."""


@attrs.frozen
class Correlation:
    """One rule's live correlation (see the module docstring)."""

    rule_id: str
    shape: str
    """``absence`` (a record missing within a window), ``deadline`` (an obligation
    after an event), ``recurrence`` (k events within a window) or ``lifecycle``
    (a case whose state changes as its records are updated)."""
    grain: str
    """``operator``: one subject per operator; ``all``: one subject for the whole stream."""
    offsets: tuple[Offset, ...] = (Offset("days"),)
    yearly: bool = False
    """Periods by calendar year: wake on each 1 January and 31 December too."""
    case: Callable[[Fact], str | None] | None = None
    """The case a record belongs to (e.g. a meal and its 留样): the rule is re-run on
    that case's records only, and they are dropped when the case closes. ``None``
    for a record that is context for all the subject's cases (its operator).
    Without ``case`` the subject is one case."""
    note: str = ""


def _months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(total, 12)
    if year < 1:
        return dt.date.min
    if year > 9999:
        return dt.date.max
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _amounts(offset: Offset, rule: Rule, plan: Plan, day: dt.date) -> list[int]:
    if isinstance(offset.amount, int):
        return [offset.amount]
    if isinstance(offset.amount, tuple):
        sums = {0}
        for name in offset.amount:
            sums = {a + b for a in sums for b in _param_ints(rule, plan, name, day)}
        return sorted(sums)
    return _param_ints(rule, plan, offset.amount, day)


def _param_ints(rule: Rule, plan: Plan, name: str, day: dt.date) -> list[int]:
    """Every integer in parameter ``name``'s value (a table's too): candidate offsets."""
    try:
        value = plan.resolve(rule, name, on=day).value
    except ParameterError:
        return []
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    found: list[int] = []

    def walk(item: Any) -> None:
        if isinstance(item, bool):
            return
        if isinstance(item, int):
            found.append(item)
        elif isinstance(item, Mapping):
            for v in item.values():
                walk(v)
        elif isinstance(item, list | tuple):
            for v in item:
                walk(v)

    walk(value)
    return sorted(set(found))


_DATE_FIELDS: dict[str, tuple[str, ...]] = {}


def _date_fields(cls: type[Fact]) -> tuple[str, ...]:
    """The names of ``cls``'s fields typed as a date or datetime (cached per kind)."""
    key = f"{cls.__module__}.{cls.__qualname__}"
    found = _DATE_FIELDS.get(key)
    if found is None:
        found = tuple(f.name for f in attrs.fields(cls) if "date" in str(f.type))
        _DATE_FIELDS[key] = found
    return found


def fact_dates(fact: Fact) -> Iterator[dt.date]:
    """Every date (and the day of every datetime) recorded on ``fact``."""
    for name in _date_fields(type(fact)):
        value = getattr(fact, name)
        if isinstance(value, dt.datetime):
            yield value.date()
        elif isinstance(value, dt.date):
            yield value


def wake_days_from(corr: Correlation, rule: Rule, plan: Plan, base: dt.date) -> set[dt.date]:
    """The days on which a record dated ``base`` may change ``rule``'s findings."""
    days: set[dt.date] = set()
    for offset in corr.offsets:
        for amount in _amounts(offset, rule, plan, base):
            n = amount * offset.sign
            try:
                if offset.unit == "days":
                    moved = base + dt.timedelta(days=n)
                elif offset.unit == "months":
                    moved = _months(base, n)
                else:
                    moved = _months(base, 12 * n)
            except OverflowError:
                continue
            for slack in offset.slack:
                with contextlib.suppress(OverflowError):
                    days.add(moved + dt.timedelta(days=slack))
    if corr.yearly:
        days.update({dt.date(base.year, 1, 1), dt.date(base.year, 12, 31),
                     dt.date(min(base.year + 1, 9999), 1, 1)})
    return days


def rule_bounds(rule: Rule) -> set[dt.date]:
    """The days around the rule's own validity window (it starts or stops applying)."""
    days: set[dt.date] = set()
    for bound in (rule.valid_from, rule.valid_to):
        if bound is not None:
            for slack in (-1, 0, 1):
                with contextlib.suppress(OverflowError):
                    days.add(bound + dt.timedelta(days=slack))
    return days


def wake_days(corr: Correlation, rule: Rule, plan: Plan, fact: Fact) -> set[dt.date]:
    """The days on which ``fact`` may change ``rule``'s findings for its subject."""
    days = rule_bounds(rule)
    for base in set(fact_dates(fact)):
        days |= wake_days_from(corr, rule, plan, base)
    return days


def _meal(fact: Fact) -> str | None:
    """A meal and its 留样 records are one case."""
    if isinstance(fact, MealService):
        return fact.id
    if isinstance(fact, SampleRetention):
        return fact.meal_service_id
    return None


_W = Offset("months", "window_months", exit=True)
#: A meal is judged on the day it is served (and its record dropped from the window later).
_ON_THE_DAY = Offset("days", slack=(0,))
_Y = Offset("years", "window_years")

CORRELATIONS: Mapping[str, Correlation] = {c.rule_id: c for c in (
    Correlation("SCHOOL-002", "absence", "operator", (_ON_THE_DAY, _W), case=_meal,
                note="a meal served without a 留样 record for a dish: found when the day "
                     "completes, resolved when the sample is recorded"),
    Correlation("SCHOOL-003", "absence", "operator", (_ON_THE_DAY, _W), case=_meal,
                note="a 留样 below the required weight (summed per dish)"),
    Correlation("RISK-003", "deadline", "operator", (Offset("days"), _Y),
                note="no full-checklist inspection within window_years of the last one "
                     "(or of opening)"),
    Correlation("SMALL-101", "deadline", "operator",
                (Offset("days"), Offset("days", "certificates"),
                 Offset("days", "certificates", sign=-1),
                 Offset("days", "remind_days", sign=-1),
                 Offset("days", ("certificates", "remind_days"), sign=-1),
                 Offset("years", "certificates")),
                note="a 三小 registration or filing card expiring without renewal filed "
                     "(reminded remind_days before the renewal deadline)"),
    Correlation("BAOBAO-004", "recurrence", "operator", (Offset("days"),), yearly=True,
                note="fewer 包保 visits in the year than the operator's tier requires"),
    Correlation("RISK-004", "recurrence", "operator", (Offset("days"),), yearly=True,
                note="an Art 28 trigger (e.g. repeated sampling failures) without the "
                     "recorded risk grade raised"),
    Correlation("VETO-002", "lifecycle", "all", (Offset("days"), _Y),
                note="an incident whose level rises as its counts are updated: the veto "
                     "fires when it reaches 重大 (level II)"),
    Correlation("SCBQ-001", "deadline", "all",
                (Offset("days"), Offset("days", "lead_days", sign=-1)),
                note="a banquet held without a report lead_days before it"),
)}


def _amount(value: Any) -> int | str | None:
    """A described shape value: a parameter's name, a number, or None."""
    if isinstance(value, dict) and isinstance(value.get("parameter"), str):
        return str(value["parameter"])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def from_shape(rule: Rule) -> Correlation | None:
    """The correlation of a rule declared with a shape (:mod:`fsrules.shapes`), from ``describe()``.

    Absence and recurrence wake at the end of their window after each record;
    a deadline at its deadline (``offset`` days before or after the anchor).
    A scope of operators gives one subject per operator; any other scope one
    subject for the stream. Threshold shapes (rates over a period) are not live.
    """
    shape = getattr(rule, "shape", None)
    if shape is None:
        return None
    described = shape.describe()
    kind = described.get("shape")
    offsets = [Offset("days")]
    if kind in ("absence", "recurrence"):
        window = _amount(described.get("window"))
        if window is None:
            return None
        offsets.append(Offset(str(described.get("unit", "days")), window))
    elif kind == "deadline":
        offset = _amount(described.get("offset"))
        if offset is None:
            return None
        offsets.append(Offset("days", offset, sign=-1 if described.get("before") else 1))
    else:
        return None
    scope = described.get("scope", {})
    operator_scope = scope.get("kind") == "operator" and scope.get("key") in (None, "id")
    case = None
    if kind == "deadline" and not operator_scope:
        case = _event_case(str(scope.get("kind")), str(scope.get("key") or "id"),
                           described.get("done", {}))
    return Correlation(rule.id, str(kind), "operator" if operator_scope else "all",
                       tuple(offsets), case=case, note=f"compiled from the rule's {kind} shape")


def _event_case(kind: str, key: str, done: Mapping[str, Any]) -> Callable[[Fact], str | None]:
    """A deadline's cases: each event (by the scope's key) with the records that close it.

    A record of the scope's kind is the case of its key; a follow-up record
    (``done``'s kind) the case of its link (default: its subject); any other
    record (an operator the rule reads) is context for every case.
    """
    done_kind = done.get("kind")
    link = done.get("link")

    def case_of(fact: Fact) -> str | None:
        if kind == fact.KIND:
            value = getattr(fact, key, None)
        elif done_kind == fact.KIND:
            value = getattr(fact, link, None) if link else fact.subject_id
        else:
            return None
        return None if value is None else str(value)

    return case_of


def correlation_of(rule: Rule) -> Correlation | None:
    """The rule's correlation: a hand-written one, else one compiled from its shape."""
    return CORRELATIONS.get(rule.id) or from_shape(rule)


def touch_condition(kinds: frozenset[str]) -> dict[str, Any]:
    """The durable_rules condition matching a record event of one of ``kinds``."""
    ordered = sorted(kinds)
    kind_test: dict[str, Any] = ({"k": ordered[0]} if len(ordered) == 1
                                 else {"$or": [{"k": k} for k in ordered]})
    return {"all": [{"m": {"$and": [{"t": "rec"}, kind_test]}}]}
