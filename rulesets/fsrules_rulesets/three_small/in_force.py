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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from fsrules import LegalBasis, Period, RuleContext
from fsrules.exceptions import RuleNotInForce

__all__ = ["applies_on", "in_force_entries", "in_force_from", "require_in_force", "since"]

E = TypeVar("E")
K = TypeVar("K")


def in_force_from(basis: LegalBasis) -> dt.date | None:
    """The day ``basis``'s instrument took effect (None: not recorded)."""
    value = getattr(basis, "in_force", None)
    return value if isinstance(value, dt.date) else None


def applies_on(basis: LegalBasis, day: dt.date) -> bool:
    """True when ``basis``'s instrument is in force on ``day``."""
    start = in_force_from(basis)
    return start is None or day >= start


def since(period: Period, basis: LegalBasis) -> Period | None:
    """``period`` cut to start no earlier than the instrument (None: nothing left)."""
    start = in_force_from(basis)
    if start is None or start <= period.start:
        return period
    if start > period.end:
        return None
    return Period(start=start, end=period.end)


def _not_in_force(ctx: RuleContext, bases: list[LegalBasis]) -> RuleNotInForce:
    starts = sorted({d for d in (in_force_from(b) for b in bases) if d is not None})
    first = starts[0] if starts else None
    names = "、".join(dict.fromkeys(b.instrument for b in bases))
    return RuleNotInForce(
        f"rule {ctx.rule.id}: {names} not in force on {ctx.as_of} (from {first})",
        rule_id=ctx.rule.id, in_force=first)


def in_force_entries(ctx: RuleContext, table: Mapping[K, E]) -> dict[K, E]:
    """The entries of a parsed table whose instrument is in force on ``ctx.as_of``.

    Raises :class:`~fsrules.exceptions.RuleNotInForce` when the table has
    entries and none of them is in force yet.
    """
    kept = {k: e for k, e in table.items() if applies_on(_basis(e), ctx.as_of)}
    if table and not kept:
        raise _not_in_force(ctx, [_basis(e) for e in table.values()])
    return kept


def require_in_force(ctx: RuleContext, basis: LegalBasis) -> None:
    """Raise :class:`~fsrules.exceptions.RuleNotInForce` unless ``basis`` applies on as_of."""
    if not applies_on(basis, ctx.as_of):
        raise _not_in_force(ctx, [basis])


def _basis(entry: Any) -> LegalBasis:
    basis = getattr(entry, "basis", None)
    if not isinstance(basis, LegalBasis):
        raise TypeError(f"table entry {entry!r} has no basis")
    return basis
