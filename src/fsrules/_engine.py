"""The Engine: a thin façade over a Catalogue, its Plans and their runs.

``Engine(...)`` loads plugins into an immutable :class:`~fsrules.Catalogue`
(see :mod:`fsrules._host`) and keeps a default profile name;
``engine.evaluate(facts, as_of=..., rulesets=..., profile=...)`` is exactly
``engine.catalogue.plan(...).run(facts)``. Two engines in one process never
see each other's plugins, rules or parameters. Evaluation takes an explicit
``as_of`` date and never reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs

from fsrules._budget import DEFAULT_RULE_BUDGET
from fsrules._catalogue import Catalogue, RegisteredRuleset, RuleExplanation
from fsrules._diagnostics import Diagnostic
from fsrules._factset import FactSet
from fsrules._host import PluginHost
from fsrules._params import Profile, ResolvedParam
from fsrules._plan import Plan
from fsrules._plugins import allowed_names
from fsrules._report import PluginInfo, Report
from fsrules._rules import Rule
from fsrules._writers import OutputFormat
from fsrules.model import Fact

__all__ = ["Engine", "RegisteredRuleset", "RuleExplanation"]


class Engine:
    """Holds a catalogue of plugins and rules, and evaluates facts.

    Build one with :meth:`Engine.default` (built-ins plus installed plugins,
    honouring ``FSRULES_PLUGINS``) or directly::

        engine = Engine(plugins=[my_plugin], entry_points=False, profile="national")
        report = engine.evaluate(facts, as_of=date(2023, 12, 31))

    Args:
        profile: name of the default profile for :meth:`evaluate`.
        plugins: plugin objects (modules or instances with ``@hookimpl``
            methods) to register in addition to the built-ins. Errors in
            these are raised: they are the caller's own code.
        builtins: register the built-in rulesets and formats.
        entry_points: load plugins from the ``fsrules`` entry-point group.
        allowed_plugins: if given, only entry points with these names load.
        strict: raise on the first plugin that fails to load instead of
            reporting it and going on.
        catalogue: an already loaded catalogue to wrap (the other plugin
            arguments are then ignored).

    ``rule_budget`` (seconds, default 60; None: no limit) is how long one
    rule may run before it is abandoned and reported (``rule.timeout``); set
    it on an instance, e.g. ``engine.rule_budget = 5.0``. Plans made by
    :meth:`plan` carry it.
    """

    rule_budget: float | None = DEFAULT_RULE_BUDGET

    def __init__(
        self,
        *,
        profile: str = "national",
        plugins: Iterable[object] = (),
        builtins: bool = True,
        entry_points: bool = False,
        allowed_plugins: Collection[str] | None = None,
        strict: bool = False,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.profile_name = profile
        self.strict = strict
        if catalogue is None:
            catalogue = PluginHost(plugins=plugins, builtins=builtins, entry_points=entry_points,
                                   allowed_plugins=allowed_plugins, strict=strict).catalogue()
        self.catalogue: Catalogue = catalogue

    @classmethod
    def default(
        cls, profile: str = "national", *, strict: bool = False,
        environ: Mapping[str, str] | None = None, plugins: Iterable[object] = (),
    ) -> Engine:
        """Built-ins plus every installed plugin ``FSRULES_PLUGINS`` allows."""
        env = os.environ if environ is None else environ
        return cls(profile=profile, plugins=plugins, builtins=True, entry_points=True,
                   allowed_plugins=allowed_names(env), strict=strict)

    # ------------------------------------------------------------------ registries

    @property
    def load_diagnostics(self) -> list[Diagnostic]:
        """Problems met while loading plugins (a broken plugin is reported, not raised)."""
        return list(self.catalogue.load_diagnostics)

    @property
    def fact_kinds(self) -> dict[str, type[Fact]]:
        """Registered fact kinds by name."""
        return self.catalogue.fact_kinds

    @property
    def rulesets(self) -> dict[str, RegisteredRuleset]:
        """Registered rulesets by id."""
        return self.catalogue.rulesets

    @property
    def rules(self) -> dict[str, Rule]:
        """Registered rules by id."""
        return self.catalogue.rules

    @property
    def profiles(self) -> dict[str, Profile]:
        """Registered profiles by name."""
        return self.catalogue.profiles

    @property
    def output_formats(self) -> dict[str, OutputFormat]:
        """Registered output formats by name."""
        return self.catalogue.output_formats

    @property
    def plugins(self) -> list[PluginInfo]:
        """Every plugin the engine tried to load, sorted by name."""
        return self.catalogue.plugins

    def rule(self, rule_id: str) -> Rule:
        """The rule with ``rule_id``."""
        return self.catalogue.rule(rule_id)

    def ruleset_of(self, rule_id: str) -> RegisteredRuleset:
        """The registered ruleset a rule belongs to."""
        return self.catalogue.ruleset_of(rule_id)

    def profile(self, name: str | None = None) -> Profile:
        """The profile ``name`` (default: the engine's)."""
        return self.catalogue.profile(name or self.profile_name)

    # ------------------------------------------------------------------ parameters

    def resolve_param(self, rule: Rule, name: str, on: dt.date, profile: str | None = None
                      ) -> ResolvedParam:
        """The value of ``rule``'s parameter ``name`` in force on ``on`` under ``profile``.

        Raises :class:`~fsrules.exceptions.MissingParameterError` when no
        profile in the chain and (for V/C values) no ruleset default sets it.
        """
        return self.catalogue.resolve_param(rule, name, on, profile or self.profile_name)

    def explain(self, rule_id: str, *, as_of: dt.date, profile: str | None = None
                ) -> RuleExplanation:
        """A rule's metadata and its parameters as resolved on ``as_of``."""
        return self.catalogue.explain(rule_id, as_of=as_of, profile=profile or self.profile_name)

    # ------------------------------------------------------------------ evaluation

    def select_rules(self, rulesets: Sequence[str] | None = None, profile: str | None = None
                     ) -> tuple[list[Rule], list[Rule]]:
        """(derivations in dependency order, check rules by id) for a run."""
        return self.catalogue.select_rules(rulesets, profile or self.profile_name)

    def plan(self, *, as_of: dt.date, rulesets: Sequence[str] | None = None,
             profile: str | None = None) -> Plan:
        """``self.catalogue.plan(...)`` with the engine's default profile."""
        plan = self.catalogue.plan(profile=profile or self.profile_name, as_of=as_of,
                                   rulesets=rulesets)
        if plan.rule_budget != self.rule_budget:
            plan = attrs.evolve(plan, rule_budget=self.rule_budget)
        return plan

    def evaluate(
        self,
        facts: FactSet | Iterable[Fact] | Any,
        *,
        as_of: dt.date,
        rulesets: Sequence[str] | None = None,
        profile: str | None = None,
    ) -> Report:
        """Evaluate ``facts`` as of ``as_of`` and return the report.

        ``facts`` is a :class:`FactSet`, an iterable of facts, or a
        :class:`~fsrules.loading.LoadResult` (whose rejected records then
        appear as input diagnostics). A rule that raises becomes an error
        diagnostic and the other rules still run. The same as
        ``engine.catalogue.plan(profile=..., as_of=..., rulesets=...).run(facts)``.
        """
        return self.plan(as_of=as_of, rulesets=rulesets, profile=profile).run(facts)

    # ------------------------------------------------------------------ loading

    def load(self, paths: Sequence[str | os.PathLike[str]], *, as_of: dt.date | None = None
             ) -> Any:
        """Load a fact bundle with this engine's fact kinds (see :mod:`fsrules.loading`)."""
        from fsrules.loading import load_bundle

        return load_bundle(paths, kinds=self.fact_kinds, as_of=as_of)
