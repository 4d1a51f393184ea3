"""The input digest: one SHA-256 name for a set of facts, computed once, at load.

Definition (version 2): each fact is encoded canonically as the compact JSON
array ``[KIND, value of each attrs field in declaration order]`` (dates and
datetimes as ISO strings, enums by value, tuples as arrays, floats by
``repr``) and hashed with SHA-256. The 256-bit per-fact hashes are added
modulo 2**256 and the digest is the SHA-256 of a version tag, the fact count
and that sum.

Because addition commutes, the digest does not depend on record order or on
the file format the records came from (CSV and XLSX of the same records give
the same facts, so the same digest), and it composes: partitions of a
province each keep an :class:`InputDigest`, and :meth:`InputDigest.merge`
gives the digest of their union without touching a fact again.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import operator
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from fsrules.model import Fact

__all__ = ["InputDigest", "fact_bytes", "input_digest"]

_MODULUS = 1 << 256
_TAG = b"fsrules-input-digest/2\n"

_getters: dict[type[Any], Callable[[Any], Any]] = {}


def _values(cls: type[Fact]) -> Callable[[Any], Any]:
    getter = _getters.get(cls)
    if getter is None:
        names = [a.name for a in attrs.fields(cls)]
        getter = operator.attrgetter(*names) if len(names) > 1 else (
            lambda fact, _n=names[0]: (getattr(fact, _n),))
        _getters[cls] = getter
    return getter


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return str(value)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default).encode


def fact_bytes(fact: Fact) -> bytes:
    """The canonical encoding of one fact that the digest hashes."""
    return _encode([fact.KIND, _values(type(fact))(fact)]).encode()


class InputDigest:
    """An order-independent, mergeable digest of a multiset of facts."""

    __slots__ = ("count", "total")

    def __init__(self, count: int = 0, total: int = 0) -> None:
        self.count = count
        self.total = total

    def add(self, fact: Fact) -> None:
        """Count one fact in."""
        self.total = (self.total + int.from_bytes(
            hashlib.sha256(fact_bytes(fact)).digest(), "big")) % _MODULUS
        self.count += 1

    def update(self, facts: Iterable[Fact]) -> InputDigest:
        """Count every fact in; returns self."""
        total = self.total
        count = self.count
        sha = hashlib.sha256
        encode = _encode
        for fact in facts:
            total += int.from_bytes(
                sha(encode([fact.KIND, _values(type(fact))(fact)]).encode()).digest(), "big")
            count += 1
        self.total = total % _MODULUS
        self.count = count
        return self

    def merge(self, other: InputDigest) -> InputDigest:
        """The digest of both multisets together (partitions of one input)."""
        return InputDigest(self.count + other.count, (self.total + other.total) % _MODULUS)

    def hexdigest(self) -> str:
        """The digest as 64 hex digits."""
        return hashlib.sha256(_TAG + self.count.to_bytes(8, "big")
                              + self.total.to_bytes(32, "big")).hexdigest()

    def __getstate__(self) -> tuple[int, int]:
        return (self.count, self.total)

    def __setstate__(self, state: tuple[int, int]) -> None:
        self.count, self.total = state


def input_digest(facts: Iterable[Fact]) -> str:
    """The input digest of ``facts`` (see the module docstring)."""
    return InputDigest().update(facts).hexdigest()
