"""Building instances of frozen slotted attrs classes without ``object.__setattr__`` per field.

A frozen attrs class refuses ``fact.field = value``; attrs' own ``__init__``
(and the loader's fast row functions) therefore set each field with
``object.__setattr__(fact, "field", value)``, a slot-wrapper call that
builds two argument tuples per field: about a quarter of the time a county
load spends on its 340,000 facts.

:func:`unfrozen_twin` makes a class with exactly the same memory layout
(same bases, same ``__slots__``) whose attribute stores are the plain,
specialised ones. A row function creates the instance as the twin, stores
its fields, and then makes it an instance of the real class by assigning
``__class__``, which Python allows between classes of identical layout (it
checks the layout at every assignment). The object is then indistinguishable
from one built by ``__init__`` with the same, already converted and validated,
values; no twin instance is ever handed out.
"""

from __future__ import annotations

__all__ = ["unfrozen_twin"]


def unfrozen_twin(cls: type) -> type | None:
    """A class laid out as ``cls`` whose instances take plain attribute stores.

    None when ``cls`` has no ``__slots__`` of its own, a metaclass other than
    ``type``, or a layout Python will not let an instance switch from.
    """
    slots = cls.__dict__.get("__slots__")
    if type(cls) is not type or slots is None:
        return None
    try:
        twin = type(cls.__name__, cls.__bases__, {
            "__slots__": slots, "__module__": cls.__module__,
            "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        })
        probe: object = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:
        return None
    return twin
