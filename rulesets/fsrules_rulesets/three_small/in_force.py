"""When a province's instrument applies: the three-small rules judge nothing before it.

Each profile table entry cites its instrument (:func:`.basis.citation`), and
every instrument carries the day it took effect (:attr:`.basis.ProvinceBasis.in_force`).
Two consequences, both from issue 10:

* on an evaluation date before that day the entry does not apply; a rule all
  of whose entries are not yet in force raises
  :class:`~fsrules.exceptions.RuleNotInForce`, so the report records it as
  ``not_in_force`` rather than "ran and found nothing";
* facts dated before that day (a batch produced, a meal served, a vendor seen)
  are not judged by it, even when the evaluation date is later.

An instrument whose day was not found (Hebei's 2026 revision, ``?``) has no
silent default. Before the earliest day it can apply (``not_before``, its
publication) it is simply not in force; from then on the profile must give the
day in the rule's ``instrument_in_force`` parameter (instrument key → date),
or the rule does not run (:class:`~fsrules.exceptions.MissingParameterError`,
a ``rule.missing_parameter`` warning naming the instrument).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from fsrules import Confidence, LegalBasis, Param, Period, RuleContext, Text
from fsrules.exceptions import MissingParameterError, RuleNotInForce

from .basis import ProvinceBasis

__all__ = ["IN_FORCE_DATES", "applies_on", "dated", "in_force_entries", "in_force_from",
           "require_in_force", "since"]

E = TypeVar("E")
K = TypeVar("K")

#: Declared by every rule that reads a profile table: the days instruments of unknown
#: date took effect. No default (``?``): asked for only when such an instrument may apply.
IN_FORCE_DATES = Param(
    name="instrument_in_force", type="table", confidence=Confidence.NOT_FOUND,
    description=Text(
        "施行日期未查到的文件的施行日期，键为 basis 所引文件（如 hebei-2026 = \"YYYY-MM-DD\"）；"
        "该文件可能已施行而未设置时，规则不运行",
        "the day each instrument of unknown date took effect, keyed as the basis entries "
        "cite it (e.g. hebei-2026 = \"YYYY-MM-DD\"); when such an instrument may already "
        "apply and no day is set, the rule does not run"))


def in_force_from(basis: LegalBasis) -> dt.date | None:
    """The day ``basis``'s instrument took effect (None: not recorded)."""
    value = getattr(basis, "in_force", None)
    return value if isinstance(value, dt.date) else None


def _not_before(basis: LegalBasis) -> dt.date | None:
    value = getattr(basis, "not_before", None)
    return value if isinstance(value, dt.date) else None


def applies_on(basis: LegalBasis, day: dt.date) -> bool:
    """True when ``basis``'s instrument is in force on ``day``."""
    start = in_force_from(basis)
    if start is None:
        floor = _not_before(basis)
        return floor is None or day >= floor
    return day >= start


def since(period: Period, basis: LegalBasis) -> Period | None:
    """``period`` cut to start no earlier than the instrument (None: nothing left)."""
    start = in_force_from(basis)
    if start is None or start <= period.start:
        return period
    if start > period.end:
        return None
    return Period(start=start, end=period.end)


def _not_in_force(ctx: RuleContext, bases: list[LegalBasis]) -> RuleNotInForce:
    starts = sorted({d for d in (in_force_from(b) or _not_before(b) for b in bases)
                     if d is not None})
    first = starts[0] if starts else None
    names = "、".join(dict.fromkeys(b.instrument for b in bases))
    return RuleNotInForce(
        f"rule {ctx.rule.id}: {names} not in force on {ctx.as_of} (from {first})",
        rule_id=ctx.rule.id, in_force=first)


def _as_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def dated(ctx: RuleContext, basis: LegalBasis) -> LegalBasis:
    """``basis`` with its in-force day, from the profile when the instrument's is unknown.

    Call it only for a basis that may apply on ``ctx.as_of`` (see :func:`applies_on`).

    Raises:
        MissingParameterError: the day is unknown and the profile does not give it.
    """
    if (not isinstance(basis, ProvinceBasis) or basis.in_force is not None
            or basis.not_before is None):
        return basis
    key = basis.key or basis.instrument
    try:
        given: Mapping[str, Any] = ctx.param(IN_FORCE_DATES.name)
    except MissingParameterError:
        given = {}
    day = _as_day(given.get(key))
    if day is None:
        floor = basis.not_before
        raise MissingParameterError(
            f"rule {ctx.rule.id} needs parameter {IN_FORCE_DATES.name!r} to give the day "
            f"{basis.instrument} ({key}) took effect: it was not found (?) and the "
            f"instrument may apply from {floor}, so there is no default; set it in a profile "
            f'file of your own, e.g. county.toml with [profile] extends = "{ctx.profile}" and '
            f'[parameters."{ctx.rule.id}"] {IN_FORCE_DATES.name} = {{ "{key}" = "YYYY-MM-DD" }}'
            ", then run with --profile ./county.toml",
            rule_id=ctx.rule.id, parameter=IN_FORCE_DATES.name)
    return attrs.evolve(basis, in_force=day)


def in_force_entries(ctx: RuleContext, table: Mapping[K, E]) -> dict[K, E]:
    """The entries of a parsed table whose instrument is in force on ``ctx.as_of``.

    Raises :class:`~fsrules.exceptions.RuleNotInForce` when the table has
    entries and none of them is in force yet, and
    :class:`~fsrules.exceptions.MissingParameterError` when an entry's
    instrument may apply but its day is unknown and not given by the profile.
    """
    kept: dict[K, E] = {}
    for k, e in table.items():
        basis = _basis(e)
        if not applies_on(basis, ctx.as_of):
            continue
        basis_on = dated(ctx, basis)
        if basis_on is not basis:
            if not applies_on(basis_on, ctx.as_of):
                continue
            e = attrs.evolve(e, basis=basis_on)  # type: ignore[misc]
        kept[k] = e
    if table and not kept:
        raise _not_in_force(ctx, [_basis(e) for e in table.values()])
    return kept


def require_in_force(ctx: RuleContext, basis: LegalBasis) -> LegalBasis:
    """``basis`` dated (see :func:`dated`); raise RuleNotInForce unless it applies on as_of."""
    if applies_on(basis, ctx.as_of):
        basis = dated(ctx, basis)
    if not applies_on(basis, ctx.as_of):
        raise _not_in_force(ctx, [basis])
    return basis


def _basis(entry: Any) -> LegalBasis:
    basis = getattr(entry, "basis", None)
    if not isinstance(basis, LegalBasis):
        raise TypeError(f"table entry {entry!r} has no basis")
    return basis
