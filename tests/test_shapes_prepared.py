"""Conditions prepared once per evaluation (shapes ``Prepared``) equal testing each fact alone.

``Condition.test`` reads its parameter and prepares its value for every
fact; ``Prepared`` does it on a condition's first use per day. On random
conditions, facts and parameter values the answers, the parameters read (in
order, per day) and a missing parameter's error are the same. ``latest``
equals the last of ``dated``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from fsrules import Param
from fsrules.exceptions import MissingParameterError
from fsrules.shapes._base import OPERATORS, Condition, Prepared, dated, latest

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None, database=None)


@attrs.frozen
class Row:
    """A stand-in fact: a few fields of the types conditions compare."""

    id: str
    n: Any
    s: str | None
    on: dt.date | None

    KIND = "row"

    @property
    def fact_date(self) -> dt.date | None:
        return self.on


class Ctx:
    """The part of a rule context conditions use: ``param``, recording each read."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.reads: list[tuple[str, dt.date | None]] = []

    def param(self, name: str, on: dt.date | None = None) -> Any:
        self.reads.append((name, on))
        if name not in self.values:
            raise MissingParameterError(name)
        return self.values[name]


NUMBERS = st.sampled_from([None, 0, 1, 2, 0.1, 0.3, 1.0, 2.5, True, False])
TEXTS = st.sampled_from([None, "a", "b", "c"])
DAYS = st.none() | st.integers(0, 5).map(lambda k: dt.date(2023, 1, 1) + dt.timedelta(days=k))


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    field = draw(st.sampled_from(["n", "s"]))
    op = draw(st.sampled_from(OPERATORS))
    values = NUMBERS if field == "n" else TEXTS
    if op in ("in", "not in"):
        value: Any = tuple(draw(st.lists(values, max_size=3)))
    elif op in (">=", "<=", ">", "<") and field == "s":
        op = "=="
        value = draw(values)
    else:
        value = draw(values.filter(lambda v: v is not None) if op not in ("==", "!=")
                     else values)
    if draw(st.booleans()):
        value = Param(name=f"p{draw(st.integers(0, 2))}",
                      type="list" if op in ("in", "not in") else "str", description="test")
    return Condition(field=field, op=op, value=value)


def _params(draw: st.DrawFn, conds: list[Condition]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in conds:
        if isinstance(c.value, Param) and draw(st.integers(0, 9)) > 0:
            values = NUMBERS if c.field == "n" else TEXTS
            if c.op in ("in", "not in"):
                out.setdefault(c.value.name, tuple(draw(st.lists(values, max_size=3))))
            else:
                out.setdefault(c.value.name, draw(values.filter(lambda v: v is not None)))
    return out


def _all(conds: list[Condition], ctx: Ctx, row: Row, day: dt.date | None) -> bool:
    return all(c.test(ctx, row, day) for c in conds)  # type: ignore[arg-type]


def _answer(check: Any) -> Any:
    try:
        return check()
    except (MissingParameterError, TypeError) as exc:
        return type(exc)


@SETTINGS
@given(data=st.data())
def test_prepared_conditions_equal_testing_each_fact(data: st.DataObject) -> None:
    conds = data.draw(st.lists(conditions(), max_size=3))
    values = _params(data.draw, conds)
    rows = data.draw(st.lists(st.builds(Row, id=st.sampled_from("xyz"), n=NUMBERS, s=TEXTS,
                                        on=DAYS), max_size=8))
    days = data.draw(st.lists(DAYS, min_size=len(rows), max_size=len(rows)))
    alone, prepared = Ctx(values), Ctx(values)
    tests = Prepared(prepared, conds)  # type: ignore[arg-type]
    for row, day in zip(rows, days, strict=True):
        expected = _answer(functools.partial(_all, conds, alone, row, day))
        got = _answer(functools.partial(tests, row, day))
        assert got == expected
    # The same parameters are read, on the same days, in the same first-use order.
    assert list(dict.fromkeys(prepared.reads)) == list(dict.fromkeys(alone.reads))


@SETTINGS
@given(rows=st.lists(st.builds(Row, id=st.sampled_from("uvwxyz"), n=st.none(), s=st.none(),
                               on=DAYS), max_size=8),
       end=DAYS.filter(lambda d: d is not None))
def test_latest_is_the_last_dated(rows: list[Row], end: dt.date) -> None:
    unique = list({r.id: r for r in rows}.values())  # one fact per id, as in a FactSet
    found = dated(unique, None, end)  # type: ignore[arg-type]
    assert latest(unique, end) == (found[-1] if found else None)  # type: ignore[arg-type]


@SETTINGS
@given(data=st.data())
def test_selecting_equals_testing_each_fact(data: st.DataObject) -> None:
    """``Prepared.select`` (a condition at a time, once per distinct value) is the
    one-fact-at-a-time filter: the same facts in the same order, the same error,
    the same parameters read in the same first-use order."""
    conds = data.draw(st.lists(conditions(), max_size=3))
    values = _params(data.draw, conds)
    rows = data.draw(st.lists(st.builds(Row, id=st.sampled_from("xyz"), n=NUMBERS, s=TEXTS,
                                        on=DAYS), max_size=12))
    day = data.draw(DAYS)
    alone, selecting = Ctx(values), Ctx(values)
    expected = _answer(lambda: [r for r in rows if _all(conds, alone, r, day)])
    got = _answer(lambda: Prepared(selecting, conds).select(rows, day))  # type: ignore[arg-type]
    assert got == expected
    if isinstance(expected, list):
        assert all(a is b for a, b in zip(got, expected, strict=True))
        assert list(dict.fromkeys(selecting.reads)) == list(dict.fromkeys(alone.reads))
