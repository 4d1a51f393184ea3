"""The generic fact strategy: every field derived from the attrs class, unless a kit says otherwise.

A field's strategy comes from, in order: a strategy passed to the public
function (an override), the kind's :class:`~fsrules.testing.KindKit` rule,
else its type and metadata:

* ``id``: ``<kind>-N``; a ``*_id`` field: ``<stem>-N``;
* a :data:`~fsrules.model.DivisionCode` (or the kind's ``REGION_FIELD``):
  a county code in use on the fact's date (its ``DATE_FIELD``, drawn first),
  else over the whole range;
* a :data:`~fsrules.model.Uscc`: a valid 统一社会信用代码 registered in the
  fact's county when it has one;
* :data:`~fsrules.model.Money`: 0 to 100,000.00 元 in whole 分;
* ``latitude``/``longitude``: a point in mainland China;
* dates in range, enums, booleans, small non-negative numbers, words from a
  CSV-safe vocabulary, tuples of those, ``X | None`` as None or an X.

The kit's ``constraints`` hook then fixes invariants between fields. A kind
with no field rules of its own is filtered by its validators: a draw they
reject (an end before its start) is discarded, so its strategy works without
a kit, and Hypothesis' health check says when too many are.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.model import Fact, value_kind
from fsrules.testing.strategies._common import F, _check_bounds, _check_strategy, _fail
from fsrules.testing.strategies._divisions import _codes_on, _stable_codes
from fsrules.testing.strategies._values import (
    _USCC_CATEGORIES,
    _dates_between,
    _ids,
    _plus,
    _usccs,
    _word_lists,
)
from fsrules.testing.strategies._vocab import _WORDS

if TYPE_CHECKING:
    from fsrules.testing._kit import KindKit


class Draft:
    """The values drawn so far for one fact, and the date range every date keeps to.

    A field rule (``KindKit.fields``) receives the draft: ``draft["held_on"]``
    is a field drawn before, :meth:`day`, :meth:`after` and :meth:`codes_on`
    give dates and division codes that keep the fact in range.

    Attributes:
        lo, hi: the first and last date any date of the fact may take.
        values: the fields drawn so far, by name.
    """

    __slots__ = ("hi", "lo", "values")

    def __init__(self, lo: dt.date, hi: dt.date) -> None:
        self.lo = lo
        self.hi = hi
        self.values: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        """The field ``name`` if drawn already, else ``default``."""
        return self.values.get(name, default)

    def day(self) -> SearchStrategy[dt.date]:
        """Any date in range."""
        return st.dates(self.lo, self.hi)

    def after(self, start: dt.date | None, max_days: int | None = None,
              min_days: int = 0) -> SearchStrategy[dt.date]:
        """A date from ``start`` (+ min_days) to at most ``max_days`` later, in range."""
        first = _plus(self.lo if start is None else start, min_days)
        last = self.hi if max_days is None else min(self.hi, _plus(first, max_days))
        if first > last and min_days:
            return st.nothing()  # no later day in range: callers make the field None
        return _dates_between(first, last)

    def codes_on(self, day: dt.date | None) -> SearchStrategy[str]:
        """County codes in use on ``day`` (or over the whole range)."""
        return _codes_on(day, self.lo, self.hi)


_Ctx = Draft  # the built-in kinds' tables predate the public name

#: A field rule: the strategy of a field given the values drawn before it.
#: ``None`` means "derive the strategy from the field's type".
_Rule = Callable[[Draft], SearchStrategy[Any]] | None


def _opt(strategy: SearchStrategy[Any]) -> SearchStrategy[Any]:
    return st.none() | strategy


def _pick(pool: Sequence[Any]) -> _Rule:
    return lambda c: st.sampled_from(pool)


def _maybe(pool: Sequence[Any]) -> _Rule:
    return lambda c: _opt(st.sampled_from(pool))


def _id(prefix: str) -> _Rule:
    return lambda c: _ids(prefix)


def _day(c: Draft) -> SearchStrategy[dt.date]:
    return c.day()


def _after(field: str, max_days: int | None = None) -> _Rule:
    """None, or a date from the ``field``'s date to ``max_days`` later."""
    return lambda c: _opt(c.after(c[field], max_days))


def _code_on(field: str) -> _Rule:
    return lambda c: c.codes_on(c[field])


# --------------------------------------------------------------------------- derivation


def _hints(cls: type[Fact]) -> dict[str, Any]:
    """The field annotations of ``cls`` with their Annotated extras (value kinds)."""
    return typing.get_type_hints(cls, include_extras=True)


def _strip(tp: Any) -> Any:
    """``tp`` without Annotated layers (``X | None`` keeps its None)."""
    if typing.get_origin(tp) is typing.Annotated:
        return _strip(typing.get_args(tp)[0])
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = tuple(_strip(a) for a in typing.get_args(tp))
        return typing.Union[args]  # noqa: UP007 - built from a runtime tuple
    return tp


def _for_type(tp: Any, c: Draft, where: str) -> SearchStrategy[Any]:
    """The generic strategy of a field type."""
    tp = _strip(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _opt(_for_type(args[0], c, where))
    elif tp is bool:
        return st.booleans()
    elif tp is int:
        return st.integers(0, 1000)
    elif tp is float:
        return st.integers(0, 100_000).map(lambda n: n / 100)
    elif tp is str:
        return st.sampled_from(_WORDS)
    elif tp is dt.datetime:
        return st.builds(dt.datetime.combine, c.day(), st.times().map(
            lambda t: t.replace(microsecond=0)))
    elif tp is dt.date:
        return c.day()
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(tp)
    elif origin is tuple and typing.get_args(tp) == (str, Ellipsis):
        return _word_lists(_WORDS)
    elif origin is tuple and len(typing.get_args(tp)) == 2 and typing.get_args(tp)[1] is Ellipsis:
        item = _for_type(typing.get_args(tp)[0], c, where)
        return st.lists(item, max_size=3).map(tuple)
    elif origin is tuple and typing.get_args(tp) and Ellipsis not in typing.get_args(tp):
        return st.tuples(*(_for_type(a, c, where) for a in typing.get_args(tp)))
    raise TypeError(f"fsrules.testing.strategies has no generic strategy for {where} "
                    f"({tp!r}); give the field a rule: KindKit(kind=..., fields={{...}})")


def _fact_day(cls: type[Fact], c: Draft) -> dt.date | None:
    day = c.get(cls.DATE_FIELD) if cls.DATE_FIELD else None
    return day.date() if isinstance(day, dt.datetime) else day


def _county(cls: type[Fact], c: Draft) -> str | None:
    """The division code drawn for the fact so far, if any (its REGION_FIELD first)."""
    names = [cls.REGION_FIELD] if cls.REGION_FIELD else []
    names += [n for n in c.values if n not in names]
    for name in names:
        value = c.get(name) if name else None
        if isinstance(value, str) and len(value) in (6, 12) and value.isdigit():
            return value[:6]
    return None


#: Fields named for a WGS-84 coordinate, in millionths of a degree (mainland China).
_COORDINATES = {"latitude": (18_200_000, 53_500_000), "longitude": (73_500_000, 134_700_000)}


def _derived(cls: type[Fact], name: str, tp: Any, c: Draft) -> SearchStrategy[Any]:
    """The strategy of field ``name`` derived from its type, metadata and the kind."""
    where = f"{cls.__name__}.{name}"
    kind = value_kind(tp)
    optional = type(None) in typing.get_args(_strip(tp))
    strategy: SearchStrategy[Any]
    if name == "id":
        return st.integers(1, 999_999).map(lambda n: f"{cls.KIND}-{n}")
    if (kind is not None and kind.name == "division_code") or name == cls.REGION_FIELD:
        day = _fact_day(cls, c)
        strategy = c.codes_on(day) if day is not None else st.sampled_from(
            _stable_codes(c.lo, c.hi))
    elif kind is not None and kind.name == "uscc":
        county = _county(cls, c)
        regions = st.just(county) if county else st.sampled_from(_stable_codes(c.lo, c.hi))
        strategy = _usccs(st.sampled_from(_USCC_CATEGORIES), regions)
    elif kind is not None and kind.name == "money":
        strategy = st.integers(0, 10_000_000).map(lambda n: n / 100)
    elif name in _COORDINATES and _strip(tp) in (float, float | None):
        low, high = _COORDINATES[name]  # WGS-84, within mainland China
        strategy = st.integers(low, high).map(lambda n: n / 1_000_000)
    elif name.endswith("_id") and _strip(tp) in (str, str | None):
        stem = name[:-3]
        strategy = st.integers(1, 999).map(lambda n: f"{stem}-{n}")
    else:
        return _for_type(tp, c, where)
    return _opt(strategy) if optional else strategy


def _draw_order(cls: type[Fact], rules: Mapping[str, _Rule]) -> list[str]:
    """The kit's fields in its order, then id, the kind's date, the rest as declared."""
    names = [a.name for a in attrs.fields(cls) if a.init]
    order = [n for n in rules if n in names]
    for name in ("id", cls.DATE_FIELD, *names):
        if name is not None and name in names and name not in order:
            order.append(name)
    return order


@st.composite
def _build(draw: st.DrawFn, cls: type[F], where: str, overrides: Mapping[str, SearchStrategy[Any]],
           lo: dt.date, hi: dt.date, kit: KindKit | None) -> F:
    rules: Mapping[str, _Rule] = kit.fields if kit is not None else {}
    hints = _hints(cls)
    ctx = Draft(lo, hi)
    for name in _draw_order(cls, rules):
        rule = rules.get(name)
        if name in overrides:
            strategy = overrides[name]
        elif rule is None:
            strategy = _derived(cls, name, hints[name], ctx)
        else:
            strategy = rule(ctx)
        ctx.values[name] = draw(strategy)
    values = ctx.values
    if kit is not None and kit.constraints is not None:
        values = dict(kit.constraints(dict(values)))
        values.update({name: ctx.values[name] for name in overrides})
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        if kit is None or not kit.fields:
            # A derived kind: its validators filter what the types cannot say (an end
            # before its start...). Hypothesis reports a kind that rejects most draws.
            reject()
        if overrides:
            raise _fail(where, f"the overridden fields make an invalid {cls.__name__}: {exc}"
                        ) from exc
        raise _fail(where, f"the derived fields make an invalid {cls.__name__}: {exc}; give "
                           f"the field a rule or the kind a constraints hook "
                           f"(fsrules.testing.KindKit)") from exc


def derived_fact_strategy(cls: type[F], where: str, min_date: dt.date | None,
                          max_date: dt.date | None, fields: Mapping[str, object],
                          kit: KindKit | None) -> SearchStrategy[F]:
    """Check the arguments eagerly, then build facts of ``cls`` field by field."""
    names = [a.name for a in attrs.fields(cls) if a.init]
    lo, hi = _check_bounds(where, min_date, max_date)
    overrides: dict[str, SearchStrategy[Any]] = {}
    for name, value in fields.items():
        if name not in names:
            raise _fail(where, f"{cls.__name__} has no field {name!r}; fields: "
                               f"{', '.join(names)}")
        overrides[name] = _check_strategy(where, name, value)
    return _build(cls, where, overrides, lo, hi, kit)
