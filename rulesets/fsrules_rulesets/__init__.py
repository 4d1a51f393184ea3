"""The built-in rulesets, each an ordinary fsrules plugin module.

One folder per ruleset: the rule logic (``rules.py``) next to its data
(``parameters.toml``, catalogues, term lists) so a domain expert can review
one folder. ``profiles/`` holds the built-in parameter profiles and
``metrics/`` the derived facts several rulesets share.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Plugin modules registered by every engine built with ``builtins=True``.
BUILTIN_PLUGIN_MODULES: tuple[str, ...] = (
    "fsrules_rulesets.profiles",
    "fsrules_rulesets.metrics",
    "fsrules_rulesets.veto",
    "fsrules_rulesets.demo_city",
    "fsrules_rulesets.risk",
    "fsrules_rulesets.school",
    "fsrules_rulesets.three_small",
    "fsrules_rulesets.territorial",
    "fsrules_rulesets.cases",
)


def builtin_plugins() -> list[ModuleType]:
    """Import and return the built-in plugin modules, in registration order."""
    return [importlib.import_module(name) for name in BUILTIN_PLUGIN_MODULES]
