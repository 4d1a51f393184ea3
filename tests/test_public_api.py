"""The public surface is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import fsrules
import fsrules.exceptions
import fsrules.identifiers
import fsrules.loading
import fsrules.matching
import fsrules.model
import fsrules.shapes
import fsrules.testing

EXPECTED = [
    "REPORT_SCHEMA_VERSION", "Catalogue", "Confidence", "DatedValue", "Diagnostic",
    "DiagnosticLevel", "Engine", "Fact", "FactRef", "FactSet", "Finding", "InputDigest",
    "InputSummary", "LegalBasis", "OutputFormat", "Param", "Period", "Plan", "PluginInfo",
    "Profile", "Provenance", "RegisteredRuleset", "Report", "ResolvedParam", "Rule",
    "RuleContext", "RuleExplanation", "RuleKind", "RuleStat", "Ruleset", "Severity", "Subject",
    "Text", "__version__", "derivation", "hookimpl", "input_digest", "load_catalogue",
    "report_schema", "revisions", "rule",
]


def test_top_level_names_are_pinned() -> None:
    assert fsrules.__all__ == EXPECTED
    for name in EXPECTED:
        assert hasattr(fsrules, name), name


def test_all_lists_are_sorted_and_resolvable() -> None:
    for module in (fsrules, fsrules.model, fsrules.exceptions, fsrules.identifiers,
                   fsrules.loading, fsrules.matching, fsrules.shapes, fsrules.testing):
        names = list(module.__all__)
        # isort-style order, as ruff's RUF022 keeps it: CONSTANTS, Classes, functions
        key = lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)  # noqa: E731
        assert names == sorted(names, key=key), module.__name__
        for name in names:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_exceptions_share_one_base_and_builtin_behaviour() -> None:
    from fsrules import exceptions as e

    for name in e.__all__:
        cls = getattr(e, name)
        assert issubclass(cls, e.FsrulesError), name
    assert issubclass(e.UnknownRuleError, KeyError)
    assert issubclass(e.InputError, ValueError)
    assert issubclass(e.PluginLoadError, ImportError)


def test_init_only_reexports() -> None:
    """``fsrules/__init__.py`` holds no logic: every public object lives elsewhere."""
    for name in fsrules.__all__:
        obj = getattr(fsrules, name)
        module = getattr(obj, "__module__", "fsrules")
        assert module != "fsrules" or name in {"REPORT_SCHEMA_VERSION", "__version__"}, name
