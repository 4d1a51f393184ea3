"""JSON form of facts, through cattrs.

Dates are ISO strings, enums their stable English value, tuples lists. The
converter is built once per call of :func:`fact_converter` (cached: it holds
no state that depends on plugins, since cattrs handles any attrs class).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from fsrules.model._enums import LabelledEnum
from fsrules.model._facts import Fact

if TYPE_CHECKING:
    import cattrs

__all__ = ["dump_fact", "fact_converter", "load_fact"]

F = TypeVar("F", bound=Fact)


@functools.cache
def fact_converter() -> cattrs.Converter:
    """The cattrs converter for facts (and findings): ISO dates, enum values."""
    import cattrs  # only when facts are (de)serialised: `fsrules check` starts without it

    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat(timespec="seconds"))
    conv.register_structure_hook(dt.datetime, lambda v, _: v if isinstance(v, dt.datetime)
                                 else dt.datetime.fromisoformat(v))
    conv.register_structure_hook(dt.date, lambda v, _: v if isinstance(v, dt.date)
                                 else dt.date.fromisoformat(v))
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, LabelledEnum), lambda e: e.value
    )
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, LabelledEnum), lambda v, t: t.parse(v)
    )
    return conv


def dump_fact(fact: Fact) -> dict[str, Any]:
    """The JSON-ready dict of ``fact``, with its ``kind`` first."""
    data: dict[str, Any] = {"kind": fact.KIND}
    data.update(fact_converter().unstructure(fact, unstructure_as=type(fact)))
    return data


def load_fact(data: Mapping[str, Any], kinds: Mapping[str, type[Fact]]) -> Fact:
    """Build a fact from its JSON dict; ``data["kind"]`` picks the class from ``kinds``."""
    payload = dict(data)
    kind = payload.pop("kind")
    cls = kinds[kind]
    return fact_converter().structure(payload, cls)
