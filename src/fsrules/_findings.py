"""Findings: which rule is broken, by whom, on what legal basis, and by when.

A finding's ``fingerprint`` is computed from the rule id, the subject, the
period and the normalised trigger values only — never from timestamps,
input order or message wording — so the same problem keeps the same
fingerprint across runs until it is closed (逐项销号).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from fsrules._evidence import check_evidence
from fsrules._i18n import Text
from fsrules._rules import LegalBasis
from fsrules._uncertain import UncertainParameter
from fsrules.dates import add_months
from fsrules.model import Fact, Operator, Region, Severity

__all__ = ["FactRef", "Finding", "Period", "Subject", "normalise_value"]

JSONScalar = str | int | float | bool | None


def normalise_value(value: Any) -> Any:
    """A JSON-safe, canonical form of an evidence value.

    Floats are rounded to 6 decimal places (so 0.1 + 0.2 and 0.3 agree),
    dates become ISO strings, enums their value, sequences lists.
    """
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, decimal.Decimal):
        return normalise_value(float(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and hasattr(value, "zh"):  # LabelledEnum
        return value.value
    if isinstance(value, Mapping):
        return {str(k): normalise_value(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [normalise_value(v) for v in value]
        if isinstance(value, set | frozenset):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return str(value)


def _checked_evidence(value: Any) -> Any:
    """Evidence checked to be JSON data (no NaN, no arbitrary objects), then normalised."""
    return normalise_value(check_evidence(value))


@attrs.frozen(kw_only=True)
class Subject:
    """Who or what a finding is about: an operator, a region, a cadre..."""

    kind: str
    id: str
    name: str = ""
    region_code: str | None = None

    @classmethod
    def of(cls, fact: Fact) -> Subject:
        """The subject for an operator or region fact (or any fact, by its kind and id)."""
        if isinstance(fact, Operator):
            return cls(kind="operator", id=fact.id, name=fact.name, region_code=fact.region_code)
        if isinstance(fact, Region):
            return cls(kind="region", id=fact.code, name=fact.name, region_code=fact.code)
        name = str(getattr(fact, "name", "") or "")
        return cls(kind=fact.KIND, id=fact.id, name=name, region_code=fact.own_region)


@attrs.frozen(kw_only=True)
class Period:
    """The period a finding covers, both ends inclusive."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year."""
        return cls(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))

    @classmethod
    def ending(cls, end: dt.date, *, years: int = 0, months: int = 0, days: int = 0) -> Period:
        """The period of the given length ending on ``end`` (inclusive)."""
        start = add_months(end, -(years * 12 + months)) if years or months else end
        start -= dt.timedelta(days=days)
        return cls(start=start + dt.timedelta(days=1) if start < end else start, end=end)


@attrs.frozen(kw_only=True, order=True)
class FactRef:
    """A pointer to a fact a finding rests on."""

    kind: str
    id: str

    @classmethod
    def of(cls, fact: Fact) -> FactRef:
        """The reference to ``fact``."""
        return cls(kind=fact.KIND, id=fact.id)


def _fact_refs(items: Iterable[Fact | FactRef]) -> tuple[FactRef, ...]:
    refs = {item if isinstance(item, FactRef) else FactRef.of(item) for item in items}
    return tuple(sorted(refs))


@attrs.frozen(kw_only=True)
class Finding:
    """One broken rule for one subject and period."""

    rule_id: str
    rule_version: str
    ruleset: str
    ruleset_version: str
    plugin: str
    plugin_version: str
    severity: Severity
    title: Text
    subject: Subject
    period: Period | None
    evidence: Mapping[str, Any] = attrs.field(converter=_checked_evidence)
    facts: tuple[FactRef, ...] = attrs.field(converter=_fact_refs)
    message: Text
    legal_basis: tuple[LegalBasis, ...]
    lead_departments: tuple[str, ...]
    responsible_departments: tuple[str, ...]
    due_date: dt.date | None = None
    trigger: tuple[str, ...] = ()
    fingerprint_period: bool = True
    fingerprint: str = ""
    uncertain_parameters: tuple[UncertainParameter, ...] = ()
    """The M or ? parameters the outcome depends on (issue 12); never in the fingerprint."""

    def __attrs_post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", self.compute_fingerprint())

    def compute_fingerprint(self) -> str:
        """SHA-256 (first 32 hex digits) of rule id, subject, period and trigger values.

        ``trigger`` names the evidence keys that identify the problem; when it
        is empty every evidence value counts. Rules whose period is a window
        rolling with ``as_of`` set ``fingerprint_period=False`` so the same
        problem keeps its fingerprint from one run to the next.
        """
        keys = self.fingerprint_keys
        period = self.period if self.fingerprint_period else None
        payload = {
            "rule": self.rule_id,
            "subject": [self.subject.kind, self.subject.id],
            "period": None if period is None else [period.start.isoformat(),
                                                    period.end.isoformat()],
            "trigger": {k: self.evidence.get(k) for k in keys},
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    @property
    def fingerprint_keys(self) -> tuple[str, ...]:
        """The evidence keys the fingerprint covers."""
        return self.trigger or tuple(sorted(self.evidence))

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        """Deterministic report order: most severe first, then rule, subject, period."""
        period = "" if self.period is None else self.period.start.isoformat()
        return (-self.severity.rank, self.rule_id, self.subject.kind, self.subject.id, period,
                self.fingerprint)
