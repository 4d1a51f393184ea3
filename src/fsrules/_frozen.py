"""A read-only, picklable mapping (issue 13, D11: profiles are immutable once loaded).

``types.MappingProxyType`` is read-only but cannot be pickled, and a loaded
profile must be (the model is loaded once and handed to runs, possibly in
other processes). :class:`FrozenMapping` copies the items it is given and
offers only the read-only :class:`~collections.abc.Mapping` interface.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMapping", "freeze_parameters"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMapping(Mapping[K, V]):
    """A mapping that cannot be changed after it is built (no ``__setitem__``, no ``update``)."""

    __slots__ = ("_items",)
    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_items", dict(items or {}))

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def __hash__(self) -> int:
        return hash(tuple(sorted(map(repr, self._items.items()))))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._items,))


def freeze_parameters(value: Mapping[str, Mapping[str, Any]]
                      ) -> FrozenMapping[str, FrozenMapping[str, Any]]:
    """``{rule_id: {name: values}}`` as two levels of :class:`FrozenMapping`."""
    if isinstance(value, FrozenMapping) and all(isinstance(v, FrozenMapping)
                                                for v in value.values()):
        return value
    return FrozenMapping({rule_id: FrozenMapping(table) for rule_id, table in value.items()})
