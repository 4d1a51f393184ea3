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

The loader does not encode facts after building them: it writes each fact's
canonical text as it builds the fact, from the JSON text of each distinct
cell value, worked out once (:func:`value_text`, :func:`kind_head`), and
hashes those texts in bulk (:meth:`InputDigest.add_texts`). The texts are the
ones :func:`fact_text` gives, so the digest is the same either way (tested).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import itertools
import json
import operator
from collections.abc import Callable, Iterable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Literal

import attrs

from fsrules.model import Fact

__all__ = ["InputDigest", "fact_bytes", "fact_text", "input_digest", "kind_head", "value_text"]

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


def _fallback(value: Any) -> Any:
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return str(value)


_value_of = operator.attrgetter("_value_")
_DIGEST = operator.methodcaller("digest")
_converters: dict[type[Any], Callable[[Any], Any]] = {
    dt.date: dt.date.isoformat, dt.datetime: dt.datetime.isoformat}


def _default(value: Any) -> Any:
    """JSON form of a value json cannot write: one dict lookup by type, then a C call."""
    convert = _converters.get(type(value))
    if convert is None:
        convert = _value_of if isinstance(value, enum.Enum) else _fallback
        _converters[type(value)] = convert
    return convert(value)


if c_make_encoder is not None:
    # The C encoder made once (json.JSONEncoder.encode makes one per call).
    _chunks = c_make_encoder(None, _default, encode_basestring, None, ":", ",", False, False,
                             True)

    def _encode(obj: Any) -> str:
        return "".join(_chunks(obj, 0))
else:  # pragma: no cover - CPython always has the C encoder
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)

    def _encode(obj: Any) -> str:
        return _encoder.encode(obj)


def fact_text(fact: Fact) -> str:
    """The canonical text of one fact (its UTF-8 bytes are what the digest hashes)."""
    return _encode([fact.KIND, _values(type(fact))(fact)])


def fact_bytes(fact: Fact) -> bytes:
    """The canonical encoding of one fact that the digest hashes."""
    return fact_text(fact).encode()


def value_text(value: object) -> str:
    """The text one field value has inside a fact's canonical text.

    A fact's text is ``kind_head(KIND) + ",".join(value_text(v) for v in
    values) + "]]"``, exactly :func:`fact_text` (JSON writes an array's items
    the same, whatever surrounds them).
    """
    return _encode(value)


def kind_head(kind: str) -> str:
    """The start of the canonical text of every fact of ``kind``, before its values."""
    return "[" + _encode(kind) + ",["


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
        from_bytes = int.from_bytes
        cls: type[Any] | None = None
        values: Callable[[Any], Any] = _values(Fact)
        for fact in facts:
            if type(fact) is not cls:
                cls = type(fact)
                values = _values(cls)
            total += from_bytes(sha(encode([fact.KIND, values(fact)]).encode()).digest(), "big")
            count += 1
        self.total = total % _MODULUS
        self.count = count
        return self

    def add_texts(self, texts: Iterable[str]) -> None:
        """Count in the facts whose canonical texts (:func:`fact_text`) these are."""
        hashes = list(map(_DIGEST, map(hashlib.sha256, map(str.encode, texts))))
        big: Literal["big"] = "big"
        self.total = (self.total + sum(map(int.from_bytes, hashes, itertools.repeat(big)))
                      ) % _MODULUS
        self.count += len(hashes)

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
