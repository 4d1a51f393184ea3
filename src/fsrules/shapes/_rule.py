"""``check(shape, ...)``: a check rule whose evaluate is a shape."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable

import attrs

from fsrules._i18n import Text
from fsrules._rules import LegalBasis, Param, Rule, rule
from fsrules.model import Fact, Severity
from fsrules.shapes._base import Shape, kind_name

__all__ = ["check"]


def check(
    shape: Shape,
    *,
    id: str,
    version: str,
    title: Text | tuple[str, str],
    severity: Severity | str,
    legal_basis: Iterable[LegalBasis],
    message: Text | tuple[str, str],
    lead: Iterable[str] = (),
    responsible: Iterable[str] = (),
    reads: Iterable[str | type[Fact]] = (),
    parameters: Iterable[Param] = (),
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    description: Text | tuple[str, str] | None = None,
    tags: Iterable[str] = (),
    grain: str | None = None,
    identity: Iterable[str] | str | None = None,
    module: str | None = None,
) -> Rule:
    """A check rule evaluated by ``shape``: ``rule(...)`` without writing ``evaluate``.

    The fact kinds and parameters the shape names are declared for you
    (``reads`` and ``parameters`` add more, for hooks); ``grain``
    defaults to the scope's kind. The rule pickles by reference to the
    module that calls ``check`` (or ``module``): keep it at module level,
    or in a module-level tuple or list, like any rule.
    """
    where = module or sys._getframe(1).f_globals.get("__name__", "")
    bound = attrs.evolve(shape, module=where)
    declared = {p.name: p for p in (*shape.parameters(), *parameters)}
    kinds = dict.fromkeys((*shape.reads(), *(kind_name(k) for k in reads)))
    return rule(
        id=id, version=version, title=title, severity=severity, reads=list(kinds),
        legal_basis=legal_basis, message=message, parameters=list(declared.values()),
        valid_from=valid_from, valid_to=valid_to, lead=lead, responsible=responsible,
        description=description, tags=tags, grain=grain or shape.scope.kind,
        identity=identity,
    )(bound)
