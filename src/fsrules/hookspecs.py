"""Every hook fsrules calls, with its markers. Plugin authors import ``fsrules.hookimpl``.

Registration hooks receive a ``register`` callback (the pattern of
simonw/llm): call it once per item. The host validates each item, rejects a
duplicate id with a message naming both plugins, and records which plugin
contributed it. Each hook is called once per engine, when the engine is
built; none is called during evaluation, so evaluation stays deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from fsrules._params import Profile
    from fsrules._rules import Ruleset
    from fsrules._writers import OutputFormat
    from fsrules.model import Fact
    from fsrules.testing import KindKit

__all__ = [
    "fsrules_register_fact_kinds",
    "fsrules_register_fact_strategies",
    "fsrules_register_output_formats",
    "fsrules_register_profiles",
    "fsrules_register_rulesets",
    "hookimpl",
    "hookspec",
]

hookspec = pluggy.HookspecMarker("fsrules")
hookimpl = pluggy.HookimplMarker("fsrules")


@hookspec
def fsrules_register_fact_kinds(register: Callable[[type[Fact]], None]) -> None:
    """Register new fact kinds.

    Args:
        register: call ``register(FactClass)`` for each kind. ``FactClass`` is
            a frozen, keyword-only attrs subclass of :class:`fsrules.Fact`
            with a unique ``KIND``; its fields' ``metadata["zh"]`` list the
            Chinese column headers the loaders accept.

    Called once when the engine is built, before rulesets are registered.
    Registering a ``KIND`` that exists already raises
    :class:`~fsrules.exceptions.DuplicateRegistrationError`.
    """


@hookspec
def fsrules_register_fact_strategies(register: Callable[[KindKit], None]) -> None:
    """Register how the testing kit makes facts of your kinds (optional).

    Every fact kind gets a Hypothesis strategy and builder defaults derived
    from its attrs fields without this hook (see
    :func:`fsrules.testing.strategies.fact_strategy`); implement it to add
    what cannot be derived: a field's own strategy, an invariant between
    fields, builder defaults.

    Args:
        register: call ``register(KindKit(kind=..., fields=..., constraints=...,
            defaults=...))`` (:class:`fsrules.testing.KindKit`) once per kind.

    Called only by the testing kit (:meth:`fsrules.testing.FactKit.for_plugins`),
    never when an engine is built, so an implementation may import Hypothesis
    inside its field rules without making it a dependency of the plugin.
    """


@hookspec
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register rulesets.

    Args:
        register: call ``register(ruleset)`` for each :class:`fsrules.Ruleset`.
            Rule ids must be unique across every plugin; a duplicate is
            rejected naming both plugins. The fact kinds the rules read must
            be registered (by the core or by ``fsrules_register_fact_kinds``).

    Called once when the engine is built. Built-in rulesets are registered
    through this same hook.
    """


@hookspec
def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
    """Register parameter profiles (a province, a county).

    Args:
        register: call ``register(profile)`` for each :class:`fsrules.Profile`,
            typically ``Profile.from_toml(path)`` for a file shipped with the
            plugin. A profile may ``extends`` another, e.g. ``"national"``.

    Called once when the engine is built.
    """


@hookspec
def fsrules_register_output_formats(register: Callable[[OutputFormat], None]) -> None:
    """Register report writers for ``fsrules check --format NAME``.

    Args:
        register: call ``register(OutputFormat(name=..., write=..., ...))``.
            ``write(report, stream, lang)`` writes the report to a binary
            stream.

    Called once when the engine is built.
    """
