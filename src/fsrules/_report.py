"""The report: findings, diagnostics, per-rule statistics and provenance.

``Report.to_json()`` is canonical: keys sorted, findings and diagnostics in a
deterministic order, no timings unless asked for, so the same input gives a
byte-identical report whatever the input order.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._findings import Finding
from fsrules._gcpause import paused_gc
from fsrules._i18n import Text
from fsrules._jsontext import all_finite, indented_json, indented_json_text
from fsrules._marks import Lifecycle
from fsrules._params import ResolvedParam
from fsrules._rules import LegalBasis
from fsrules.model import Fact, Severity

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "InputSummary",
    "PluginInfo",
    "Provenance",
    "Report",
    "RuleStat",
    "finding_to_dict",
    "report_json_bytes",
]

#: Version of the JSON report layout (docs/finding.schema.json). Bump the
#: major version on any incompatible change.
REPORT_SCHEMA_VERSION = "1.2"


@attrs.frozen(kw_only=True)
class PluginInfo:
    """A plugin the engine loaded (or failed to load)."""

    name: str
    version: str
    distribution: str | None = None
    builtin: bool = False
    rulesets: tuple[str, ...] = ()
    rule_count: int = 0
    error: str | None = None


@attrs.frozen(kw_only=True)
class RuleStat:
    """What happened to one rule in one evaluation.

    ``status`` is ``ran``, ``not_in_force`` (as_of outside its validity
    window), ``skipped`` (a required parameter is missing) or ``error``.
    """

    rule_id: str
    ruleset: str
    kind: str
    status: str
    findings: int = 0
    derived: int = 0
    seconds: float = 0.0


@attrs.frozen(kw_only=True)
class InputSummary:
    """How many input records there were, and what became of them."""

    total: int = 0
    accepted: int = 0
    rejected: int = 0
    facts_by_kind: dict[str, int] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Provenance:
    """Everything needed to reproduce a report."""

    fsrules_version: str
    as_of: dt.date
    profile: str
    rulesets: dict[str, str]
    plugins: dict[str, str]
    parameter_digest: str
    input_digest: str
    parameters: tuple[ResolvedParam, ...] = ()


def _text(t: Text) -> dict[str, str]:
    return {"zh": t.zh, "en": t.en}


def _legal(b: LegalBasis) -> dict[str, Any]:
    return {
        "instrument": b.instrument,
        "instrument_en": b.instrument_en,
        "article": b.article,
        "article_en": b.article_en,
        "item": b.item,
        "version_date": None if b.version_date is None else b.version_date.isoformat(),
        "jurisdiction": b.jurisdiction,
        "url": b.url,
        "confidence": b.confidence.value,
        "note": b.note,
        "citation": {"zh": b.cite("zh"), "en": b.cite("en")},
    }


class _LegalForms:
    """:func:`_legal` remembered for one report: its findings cite the same few bases.

    Each call returns fresh dicts, so a caller may change one finding's form
    without touching another's.
    """

    def __init__(self) -> None:
        self._seen: dict[int, tuple[LegalBasis, dict[str, Any]]] = {}

    def __call__(self, b: LegalBasis) -> dict[str, Any]:
        hit = self._seen.get(id(b))
        if hit is None:  # the basis is kept with its form, so its id stays its own
            hit = self._seen[id(b)] = (b, _legal(b))
        form = hit[1]
        return {**form, "citation": dict(form["citation"])}


def finding_to_dict(f: Finding, *, legal: Callable[[LegalBasis], dict[str, Any]] = _legal
                    ) -> dict[str, Any]:
    """The JSON form of a finding (one item of the report's ``findings``).

    ``legal`` makes the form of each legal basis (a :class:`_LegalForms` for many findings).
    """
    return {
        "fingerprint": f.fingerprint,
        "rule_id": f.rule_id,
        "rule_version": f.rule_version,
        "ruleset": f.ruleset,
        "ruleset_version": f.ruleset_version,
        "plugin": f.plugin,
        "plugin_version": f.plugin_version,
        "severity": f.severity.value,
        "title": _text(f.title),
        "subject": {
            "kind": f.subject.kind,
            "id": f.subject.id,
            "name": f.subject.name,
            "region_code": f.subject.region_code,
        },
        "period": None if f.period is None else {
            "start": f.period.start.isoformat(), "end": f.period.end.isoformat()
        },
        "evidence": dict(f.evidence),
        "facts": [{"kind": r.kind, "id": r.id} for r in f.facts],
        "message": _text(f.message),
        "legal_basis": [legal(b) for b in f.legal_basis],
        "departments": {
            "lead": list(f.lead_departments),
            "responsible": list(f.responsible_departments),
        },
        "due_date": None if f.due_date is None else f.due_date.isoformat(),
        "fingerprint_keys": list(f.fingerprint_keys),
        # Only on findings decided by an M or ? value (issue 12): the others stay as they were.
        **({"uncertain_parameters": [attrs.asdict(u) for u in f.uncertain_parameters]}
           if f.uncertain_parameters else {}),
    }


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    """The JSON form of a diagnostic."""
    return {
        "level": d.level.value,
        "code": d.code,
        "message": _text(d.message),
        "hint": None if d.hint is None else _text(d.hint),
        "location": d.location or None,
        "file": d.file,
        "row": d.row,
        "field": d.field,
        "value": d.value,
        "kind": d.kind,
        "record_id": d.record_id,
        "rule_id": d.rule_id,
        "plugin": d.plugin,
    }


@attrs.frozen(kw_only=True)
class Report:
    """The result of one evaluation."""

    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    rule_stats: tuple[RuleStat, ...]
    provenance: Provenance
    input: InputSummary
    derived: tuple[Fact, ...] = ()
    """Facts the inference rules derived (incident levels, metrics...), sorted by kind and id.

    Not part of the JSON report; views such as a readiness summary read them.
    """
    lifecycle: Lifecycle | None = None
    """Baseline, waiver and history marks (:func:`fsrules.lifecycle.annotate`); None: none."""

    def derived_of_kind(self, kind: str | type[Fact]) -> tuple[Fact, ...]:
        """The derived facts of one kind."""
        name = kind if isinstance(kind, str) else kind.KIND
        return tuple(f for f in self.derived if name == f.KIND)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """Diagnostics of level error."""
        return tuple(d for d in self.diagnostics if d.level is DiagnosticLevel.ERROR)

    @property
    def rule_errors(self) -> tuple[Diagnostic, ...]:
        """Errors raised by rules or plugins (exit code 3)."""
        return tuple(d for d in self.errors if d.code.startswith(("rule.", "plugin.")))

    @property
    def input_errors(self) -> tuple[Diagnostic, ...]:
        """Errors in the input (exit code 2)."""
        return tuple(d for d in self.errors if d.code.startswith("input."))

    def by_severity(self) -> dict[str, int]:
        """Finding counts per severity, every severity present (0 when none)."""
        counts = Counter(f.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def by_rule(self) -> dict[str, int]:
        """Finding counts per rule id, sorted."""
        return dict(sorted(Counter(f.rule_id for f in self.findings).items()))

    def findings_at_or_above(self, severity: Severity | str) -> tuple[Finding, ...]:
        """Findings as severe as ``severity`` or more."""
        floor = Severity.parse(severity).rank
        return tuple(f for f in self.findings if f.severity.rank >= floor)

    def exit_code(self, fail_on: Severity | str | None = "high") -> int:
        """The CLI's exit code for this report.

        3 when a rule or plugin failed, 2 when input records were rejected,
        1 when there are findings at or above ``fail_on``, else 0. Findings an
        active waiver covers (``lifecycle``) do not count.
        """
        if self.rule_errors:
            return 3
        if self.input_errors:
            return 2
        if fail_on is not None and self.counted(self.findings_at_or_above(fail_on)):
            return 1
        return 0

    def counted(self, findings: tuple[Finding, ...] | None = None) -> tuple[Finding, ...]:
        """``findings`` (default: all) less those an active waiver covers."""
        items = self.findings if findings is None else findings
        if self.lifecycle is None:
            return items
        return tuple(f for f in items if self.lifecycle.counted(f.fingerprint))

    def finding_dicts(self) -> list[dict[str, Any]]:
        """The JSON form of each finding, with its ``lifecycle`` mark when the run has one."""
        legal = _LegalForms()
        findings = [finding_to_dict(f, legal=legal) for f in self.findings]
        if self.lifecycle is not None and self.lifecycle.visible:
            for item, finding in zip(findings, self.findings, strict=True):
                mark = self.lifecycle.mark(finding.fingerprint)
                if mark is not None:
                    item["lifecycle"] = mark.to_dict()
        return findings

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        """The JSON-ready form (see docs/finding.schema.json)."""
        prov = self.provenance
        rules = []
        for s in self.rule_stats:
            item: dict[str, Any] = {
                "rule_id": s.rule_id, "ruleset": s.ruleset, "kind": s.kind, "status": s.status,
                "findings": s.findings, "derived": s.derived,
            }
            if timings:
                item["seconds"] = round(s.seconds, 6)
            rules.append(item)
        findings = self.finding_dicts()
        extra: dict[str, Any] = {}
        if self.lifecycle is not None and self.lifecycle.visible:
            extra["lifecycle"] = self.lifecycle.to_dict()
        return {
            **extra,
            "schema_version": REPORT_SCHEMA_VERSION,
            "provenance": {
                "fsrules_version": prov.fsrules_version,
                "as_of": prov.as_of.isoformat(),
                "profile": prov.profile,
                "rulesets": dict(sorted(prov.rulesets.items())),
                "plugins": dict(sorted(prov.plugins.items())),
                "parameter_digest": prov.parameter_digest,
                "input_digest": prov.input_digest,
                "parameters": [
                    {"rule_id": p.rule_id, "name": p.name, "value": _jsonable(p.value),
                     "source": p.source,
                     "effective_from": None if p.effective_from is None
                     else p.effective_from.isoformat(),
                     "note": p.note}
                    for p in prov.parameters
                ],
            },
            "input": {
                "total": self.input.total,
                "accepted": self.input.accepted,
                "rejected": self.input.rejected,
                "facts_by_kind": dict(sorted(self.input.facts_by_kind.items())),
            },
            "summary": {
                "findings": len(self.findings),
                "by_severity": self.by_severity(),
                "by_rule": self.by_rule(),
                "errors": len(self.errors),
            },
            "findings": findings,
            "diagnostics": [diagnostic_to_dict(d) for d in self.diagnostics],
            "rules": rules,
        }

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """The typed report from ``to_json()`` text; re-serialising it gives the same bytes.

        Raises :class:`~fsrules.exceptions.InputError` for text that is not a
        report of a readable schema version (see :mod:`fsrules._reader`).
        """
        from fsrules._reader import report_from_json

        return report_from_json(text)

    def to_json(self, *, timings: bool = False, indent: int | None = 2) -> str:
        """Canonical JSON text (UTF-8 characters kept, keys sorted, trailing newline)."""
        with paused_gc():  # the JSON form holds no cycles (see fsrules._gcpause)
            data = self.to_dict(timings=timings)
            if indent != 2:
                return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=indent) + "\n"
            return indented_json_text(data, finite=self._finite()) + "\n"

    def _finite(self) -> bool:
        """Whether the JSON form holds no NaN or infinity (see :mod:`fsrules._jsontext`).

        Evidence is checked finite when a finding is made (:mod:`fsrules._evidence`);
        counts are integers; only parameter values (from profiles) and timings can be
        floats from elsewhere.
        """
        return (all_finite([p.value for p in self.provenance.parameters])
                and all(math.isfinite(s.seconds) for s in self.rule_stats))


def report_json_bytes(report: Report, *, timings: bool = False) -> bytes:
    """``report.to_json(timings=timings)`` as UTF-8 bytes, without a round trip through ``str``."""
    with paused_gc():  # the JSON form holds no cycles (see fsrules._gcpause)
        return indented_json(report.to_dict(timings=timings), finite=report._finite()) + b"\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value
