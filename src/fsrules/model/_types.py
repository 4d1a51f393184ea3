"""Typed aliases for values with a meaning beyond their Python type.

``DivisionCode``, ``Uscc`` and ``Money`` are ``typing.Annotated`` aliases of
``str`` and ``float``: mypy, cattrs and the loaders see the plain type, while
tools that ask for the annotation's extras (``typing.get_type_hints(cls,
include_extras=True)``) find a :class:`ValueKind` saying what the value is.
The testing kit (:mod:`fsrules.testing.strategies`) draws each kind of value
from its own strategy: a division code in use on the fact's date, a
统一社会信用代码 with correct check characters, an amount in 元 with two
decimals. A plugin's fact kind uses them like the built-in kinds do::

    from fsrules.model import DivisionCode, Money

    @attrs.frozen(kw_only=True)
    class BanquetDeposit(Fact):
        KIND: ClassVar[str] = "banquet_deposit"
        region_code: DivisionCode = attrs.field()
        amount: Money = attrs.field()
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

import attrs

__all__ = ["DivisionCode", "Money", "Uscc", "ValueKind", "value_kind"]


@attrs.frozen
class ValueKind:
    """What an annotated value is: ``"division_code"``, ``"uscc"`` or ``"money"``."""

    name: str


DivisionCode = Annotated[str, ValueKind("division_code")]
"""A GB/T 2260 行政区划代码 (6 digits; 12 for an NBS township)."""

Uscc = Annotated[str, ValueKind("uscc")]
"""A 统一社会信用代码 (GB 32100-2015, 18 characters)."""

Money = Annotated[float, ValueKind("money")]
"""An amount of money in 元 (yuan)."""


def value_kind(tp: Any) -> ValueKind | None:
    """The :class:`ValueKind` of an annotation (``X``, ``X | None``), or None."""
    if typing.get_origin(tp) is Annotated:
        for extra in getattr(tp, "__metadata__", ()):
            if isinstance(extra, ValueKind):
                return extra
        return None
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if len(args) == 1 and len(typing.get_args(tp)) == 2:
        return value_kind(args[0])
    return None
