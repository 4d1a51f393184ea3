"""The typed reader: a JSON report (``Report.to_json()``) back into a :class:`Report`.

``Report.from_json(text)`` is the inverse of ``Report.to_json()`` for every
field the JSON carries: re-serialising the result gives the same bytes. The
JSON does not carry the derived facts (``Report.derived``), per-rule timings
or parameter values' Python types (an ISO date parameter comes back as a
string); everything a consuming service routes, diffs or tracks by does.

:func:`report_schema` is the JSON Schema of the report, shipped inside the
wheel (``fsrules/report.schema.json``; docs/finding.schema.json is a copy
``make docs`` keeps in sync).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._findings import FactRef, Finding, Period, Subject
from fsrules._i18n import Text
from fsrules._marks import Lifecycle
from fsrules._params import ResolvedParam
from fsrules._rules import LegalBasis
from fsrules._uncertain import UncertainParameter
from fsrules.exceptions import InputError
from fsrules.model import Severity

if TYPE_CHECKING:
    from fsrules._report import Report

__all__ = ["report_from_dict", "report_from_json", "report_schema", "report_schema_text"]


def report_schema_text() -> str:
    """The report's JSON Schema, as shipped in the wheel (text)."""
    return importlib.resources.files("fsrules").joinpath("report.schema.json").read_text(
        encoding="utf-8")


def report_schema() -> dict[str, Any]:
    """The report's JSON Schema (draft 2020-12), as shipped in the wheel.

    Its ``version`` equals :data:`fsrules.REPORT_SCHEMA_VERSION`. Compatibility
    promise: within one major version, fields are only ever added (never
    removed, renamed or retyped); a consumer that ignores unknown keys keeps
    working. An incompatible change bumps the major number.
    """
    schema: dict[str, Any] = json.loads(report_schema_text())
    return schema


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _text(raw: Mapping[str, Any]) -> Text:
    return Text(str(raw["zh"]), str(raw["en"]))


def _legal(raw: Mapping[str, Any]) -> LegalBasis:
    return LegalBasis(
        instrument=raw["instrument"], instrument_en=raw["instrument_en"],
        article=raw["article"], item=raw["item"], article_en=raw["article_en"],
        version_date=_date(raw["version_date"]), jurisdiction=raw["jurisdiction"],
        url=raw["url"], confidence=raw["confidence"], note=raw["note"])


def finding_from_dict(raw: Mapping[str, Any]) -> Finding:
    """One item of the report's ``findings`` (or one ``jsonl`` line) as a :class:`Finding`.

    The fingerprint is kept as written. Whether the rule's period counts in
    it (``fingerprint_period``) is recovered by recomputing it both ways; for a
    finding without a period it has no effect and comes back True.
    """
    period = raw["period"]
    subject = raw["subject"]
    evidence = dict(raw["evidence"])
    keys = tuple(raw["fingerprint_keys"])
    trigger = () if keys == tuple(sorted(evidence)) else keys
    common: dict[str, Any] = {
        "rule_id": raw["rule_id"], "rule_version": raw["rule_version"],
        "ruleset": raw["ruleset"], "ruleset_version": raw["ruleset_version"],
        "plugin": raw["plugin"], "plugin_version": raw["plugin_version"],
        "severity": Severity.parse(raw["severity"]), "title": _text(raw["title"]),
        "subject": Subject(kind=subject["kind"], id=subject["id"], name=subject["name"],
                           region_code=subject["region_code"]),
        "period": None if period is None else Period(start=dt.date.fromisoformat(period["start"]),
                                                     end=dt.date.fromisoformat(period["end"])),
        "evidence": evidence,
        "facts": tuple(FactRef(kind=r["kind"], id=r["id"]) for r in raw["facts"]),
        "message": _text(raw["message"]),
        "legal_basis": tuple(_legal(b) for b in raw["legal_basis"]),
        "lead_departments": tuple(raw["departments"]["lead"]),
        "responsible_departments": tuple(raw["departments"]["responsible"]),
        "due_date": _date(raw["due_date"]),
        "trigger": trigger,
        "uncertain_parameters": tuple(UncertainParameter(**u)
                                      for u in raw.get("uncertain_parameters", ())),
        "fingerprint": raw["fingerprint"],
    }
    finding = Finding(**common)
    if finding.period is not None and finding.compute_fingerprint() != finding.fingerprint:
        rolling = Finding(**common, fingerprint_period=False)
        if rolling.compute_fingerprint() == rolling.fingerprint:
            return rolling
    return finding


def diagnostic_from_dict(raw: Mapping[str, Any]) -> Diagnostic:
    """One item of the report's ``diagnostics``."""
    return Diagnostic(
        level=DiagnosticLevel.parse(raw["level"]), code=raw["code"], message=_text(raw["message"]),
        hint=None if raw["hint"] is None else _text(raw["hint"]), file=raw["file"],
        row=raw["row"], field=raw["field"], value=raw["value"], kind=raw["kind"],
        record_id=raw["record_id"], rule_id=raw["rule_id"], plugin=raw["plugin"])


def report_from_dict(raw: Mapping[str, Any]) -> Report:
    """A report from its JSON-ready form (``Report.to_dict()``)."""
    from fsrules._report import REPORT_SCHEMA_VERSION, InputSummary, Provenance, Report, RuleStat

    version = str(raw.get("schema_version", ""))
    if version.split(".")[0] != REPORT_SCHEMA_VERSION.split(".")[0]:
        raise InputError(f"report schema version {version!r} is not readable by this fsrules "
                         f"(reads {REPORT_SCHEMA_VERSION.split('.')[0]}.x)")
    try:
        prov = raw["provenance"]
        provenance = Provenance(
            fsrules_version=prov["fsrules_version"], as_of=dt.date.fromisoformat(prov["as_of"]),
            profile=prov["profile"], rulesets=dict(prov["rulesets"]),
            plugins=dict(prov["plugins"]), parameter_digest=prov["parameter_digest"],
            input_digest=prov["input_digest"],
            parameters=tuple(ResolvedParam(
                rule_id=p["rule_id"], name=p["name"], value=p["value"], source=p["source"],
                effective_from=_date(p["effective_from"]), note=p["note"])
                for p in prov["parameters"]))
        inp = raw["input"]
        return Report(
            findings=tuple(finding_from_dict(f) for f in raw["findings"]),
            diagnostics=tuple(diagnostic_from_dict(d) for d in raw["diagnostics"]),
            rule_stats=tuple(RuleStat(
                rule_id=s["rule_id"], ruleset=s["ruleset"], kind=s["kind"], status=s["status"],
                findings=s["findings"], derived=s["derived"], seconds=s.get("seconds", 0.0))
                for s in raw["rules"]),
            provenance=provenance,
            input=InputSummary(total=inp["total"], accepted=inp["accepted"],
                               rejected=inp["rejected"],
                               facts_by_kind=dict(inp["facts_by_kind"])),
            lifecycle=None if raw.get("lifecycle") is None
            else Lifecycle.from_dict(raw["lifecycle"], list(raw["findings"])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not an fsrules report: {type(exc).__name__}: {exc}") from exc


def report_from_json(text: str | bytes) -> Report:
    """A report from its JSON text (``Report.to_json()``)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise InputError("not an fsrules report: the JSON is not an object")
    return report_from_dict(raw)
