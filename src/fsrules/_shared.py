"""Work several rules share: ``facts.shared(compute, *args)``, computed once per FactSet.

Rules often work out the same thing from the same facts: the duty rules
each group an enterprise's self-check records by cycle. A rule hands the
computation to :meth:`FactSet.shared <fsrules.FactSet.shared>` instead, and
the first rule to ask pays for it; the value lives with the FactSet's lazy
indexes (one run's facts, or one jurisdiction's view of them), not in
global state, and a FactSet with derived facts added starts afresh.

``compute`` must be a pure function of the facts and ``args`` (hashable):
a rule parameter it depends on is one of ``args``. The facts ``compute``
reads are recorded as handed to every rule that asks for the value, not
only the first, so the mutation guard still names the rule that changed
one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fsrules._factset import FactSet

__all__ = ["SharedValues"]


class SharedValues:
    """The values shared through one FactSet: ``(compute, args)`` → (value, facts read)."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[tuple[Callable[..., Any], tuple[Hashable, ...]],
                           tuple[Any, list[Any]]] = {}

    def get(self, facts: FactSet, compute: Callable[..., Any], args: tuple[Hashable, ...]
            ) -> Any:
        """``compute(facts, *args)``, computed on first use; what it read noted on ``facts``."""
        key = (compute, args)
        found = self._values.get(key)
        if found is None:
            read: list[Any] = []
            value = compute(facts._traced(read, facts._guard), *args)
            found = self._values[key] = (value, read)
        trace = facts._trace
        if trace is not None:
            trace.extend(found[1])
        return found[0]
