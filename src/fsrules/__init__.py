"""fsrules: China's food-safety supervision rules as code.

Facts in (operators, licences, inspections, sampling results, incidents...),
findings out (which rule is broken, by whom, on what legal basis, how
serious, which department must act, and by when)::

    from datetime import date
    import fsrules

    engine = fsrules.Engine.default(profile="national")
    loaded = engine.load(["examples/weixian"], as_of=date(2023, 12, 31))
    report = engine.evaluate(loaded, as_of=date(2023, 12, 31))

or, with the parts the Engine is a façade over::

    catalogue = fsrules.load_catalogue()            # plugins loaded once; immutable
    plan = catalogue.plan(profile="national", as_of=date(2023, 12, 31))   # frozen, picklable
    report = plan.run(loaded)                       # pure

This module only re-exports; the implementation lives in private modules.
"""

from __future__ import annotations

from fsrules._catalogue import Catalogue, load_catalogue
from fsrules._context import RuleContext
from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._digest import InputDigest, input_digest
from fsrules._engine import Engine, RegisteredRuleset, RuleExplanation
from fsrules._factset import FactSet
from fsrules._findings import FactRef, Finding, Period, Subject
from fsrules._i18n import Text
from fsrules._params import DatedValue, Profile, ResolvedParam
from fsrules._plan import Plan
from fsrules._reader import report_schema
from fsrules._report import (
    REPORT_SCHEMA_VERSION,
    InputSummary,
    PluginInfo,
    Provenance,
    Report,
    RuleStat,
)
from fsrules._rules import (
    Confidence,
    LegalBasis,
    Param,
    Rule,
    RuleKind,
    Ruleset,
    derivation,
    revisions,
    rule,
)
from fsrules._version import __version__
from fsrules._writers import OutputFormat
from fsrules.hookspecs import hookimpl
from fsrules.model import Fact, Severity

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "Catalogue",
    "Confidence",
    "DatedValue",
    "Diagnostic",
    "DiagnosticLevel",
    "Engine",
    "Fact",
    "FactRef",
    "FactSet",
    "Finding",
    "InputDigest",
    "InputSummary",
    "LegalBasis",
    "OutputFormat",
    "Param",
    "Period",
    "Plan",
    "PluginInfo",
    "Profile",
    "Provenance",
    "RegisteredRuleset",
    "Report",
    "ResolvedParam",
    "Rule",
    "RuleContext",
    "RuleExplanation",
    "RuleKind",
    "RuleStat",
    "Ruleset",
    "Severity",
    "Subject",
    "Text",
    "__version__",
    "derivation",
    "hookimpl",
    "input_digest",
    "load_catalogue",
    "report_schema",
    "revisions",
    "rule",
]
