"""Evidence values must be JSON-representable, finite and deterministic (issue 13, D7).

A finding's evidence is written to the JSON report and feeds its
fingerprint. Before this check, an arbitrary object was written as its
``str()`` — for most objects ``<Foo object at 0x7f...>``, a memory address
that differs between runs, so output and fingerprints changed — and NaN or
infinity were written as bare ``NaN``/``Infinity``, which is not JSON.

:func:`check_evidence` walks the evidence a rule hands to a finding and
raises :class:`~fsrules.exceptions.EvidenceError` naming the key and the
problem; the engine turns that into a ``rule.bad_evidence`` diagnostic
naming the rule, and the other rules still run.

Accepted: ``None``, ``bool``, ``int``, ``str``, finite ``float`` and
``Decimal``, ``date``/``datetime``, enums, and mappings (with ``str``,
``int`` or enum keys), lists, tuples, sets and frozensets of those.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
from collections.abc import Mapping
from typing import Any

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules.exceptions import EvidenceError

__all__ = ["check_evidence", "evidence_diagnostic"]

_SCALARS = (str, int, dt.date, enum.Enum)  # bool is an int; datetime a date
_MAX_DEPTH = 32


def check_evidence(evidence: Any) -> Any:
    """Return ``evidence`` unchanged if every value in it is allowed, else raise.

    Raises :class:`~fsrules.exceptions.EvidenceError` with ``key`` set to
    the path of the first offending value (``rates[2]``, ``by_kind.x``).
    """
    _check(evidence, "", 0)
    return evidence


def _fail(path: str, problem: str) -> EvidenceError:
    where = path or "(evidence)"
    return EvidenceError(f"evidence {where!r} {problem}; evidence must be JSON data "
                         "(text, numbers, dates, lists, mappings) and the same in every run",
                         key=where)


def _check(value: Any, path: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise _fail(path, f"is nested more than {_MAX_DEPTH} levels deep")
    if value is None or isinstance(value, _SCALARS):
        return
    if hasattr(value, "value") and hasattr(value, "zh"):  # LabelledEnum-like
        return
    if isinstance(value, float | decimal.Decimal):
        if (math.isnan(value) or math.isinf(value)) if isinstance(value, float) \
                else not value.is_finite():
            raise _fail(path, f"is {value} (not a finite number: JSON cannot hold it)")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str | int | enum.Enum) or isinstance(key, bool):
                raise _fail(path, f"has a key of type {type(key).__name__}")
            _check(item, f"{path}.{key}" if path else str(key), depth + 1)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]", depth + 1)
        return
    raise _fail(path, f"holds a {type(value).__name__} object, whose text form would not be "
                      "the same in every run")


def evidence_diagnostic(exc: EvidenceError, *, rule_id: str, plugin: str) -> Diagnostic:
    """The ``rule.bad_evidence`` error diagnostic: the rule's findings are dropped."""
    return Diagnostic(
        level=DiagnosticLevel.ERROR, code="rule.bad_evidence",
        message=Text(f"规则 {rule_id} 的问题证据无效（{exc.key}）：{exc}；该规则的问题未输出",
                     f"rule {rule_id} produced invalid evidence ({exc.key}): {exc}; its "
                     "findings were dropped"),
        hint=Text(f"请向插件 {plugin} 的维护者报告：证据只能是文本、有限数值、日期、列表或映射",
                  f"report this to the maintainers of plugin {plugin}: evidence may only hold "
                  "text, finite numbers, dates, lists and mappings"),
        rule_id=rule_id, plugin=plugin)
