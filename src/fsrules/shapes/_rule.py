"""``check(shape, ...)``: a check rule whose evaluate is a shape."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import attrs

from fsrules._rules import Param, Rule, rule
from fsrules.model import Fact
from fsrules.shapes._base import Shape, kind_name

__all__ = ["check"]


def check(
    shape: Shape,
    *,
    reads: Iterable[str | type[Fact]] = (),
    parameters: Iterable[Param] = (),
    grain: str | None = None,
    module: str | None = None,
    **metadata: Any,
) -> Rule:
    """A check rule evaluated by ``shape``: :func:`fsrules.rule` without an evaluate function.

    ``metadata`` are :func:`fsrules.rule`'s keywords (``id``, ``version``,
    ``title``, ``severity``, ``legal_basis``, ``message``, ``lead``,
    ``identity``...). The fact kinds and parameters the shape names are
    declared for you (``reads`` and ``parameters`` add more, for hooks, or
    set their order); ``grain`` defaults to the scope's kind. Without hooks the
    evidence is the shape's own typed evidence (``AbsenceEvidence``...). The rule
    pickles by reference to the module that calls ``check`` (or
    ``module``): keep it at module level, or in a module-level tuple or
    list, like any rule.
    """
    where = module or sys._getframe(1).f_globals.get("__name__", "")
    declared: dict[str, Param] = {}
    for p in (*parameters, *shape.parameters()):  # the rule's own order first
        declared.setdefault(p.name, p)
    kinds = dict.fromkeys((*shape.reads(), *(kind_name(k) for k in reads)))
    if "evidence" not in metadata and not shape.has_hooks():
        metadata["evidence"] = shape.EVIDENCE  # what the shape measures, typed
    return rule(reads=list(kinds), parameters=list(declared.values()),
                grain=grain or shape.scope.kind, **metadata)(attrs.evolve(shape, module=where))
