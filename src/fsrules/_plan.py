"""The Plan: one run's rules and parameters, decided before any fact is seen.

``catalogue.plan(profile=..., as_of=..., rulesets=...)`` selects the rules
(derivations in dependency order, then checks by id), resolves every
declared parameter for that date and profile, and fixes the provenance the
report will carry. A plan is frozen and picklable (rules pickle by reference
to their module), so it can be held by a long-running monitor, swapped
atomically, or shipped to Dask workers; :meth:`Plan.run` is pure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._budget import DEFAULT_RULE_BUDGET
from fsrules._diagnostics import Diagnostic
from fsrules._jurisdiction import narrower
from fsrules._params import ParamResolver, ResolvedParam, read_toml
from fsrules._rules import Rule
from fsrules._version import __version__
from fsrules.exceptions import ParameterError
from fsrules.model import Fact

if TYPE_CHECKING:
    from fsrules._catalogue import Catalogue
    from fsrules._factset import FactSet
    from fsrules._report import Report

__all__ = ["DataFiles", "Plan", "RuleOrigin"]


class DataFiles:
    """Parsed data files (TOML or JSON) of rulesets' data folders, read on first use.

    The cache is not pickled: a copy on another machine reads the files
    there (the same installed rulesets).
    """

    __slots__ = ("_cache", "_dirs")

    def __init__(self, dirs: Mapping[str, Path | None]) -> None:
        self._dirs = dict(dirs)
        self._cache: dict[tuple[str, str], Any] = {}

    def load(self, ruleset: str, filename: str) -> Any:
        """The parsed file ``filename`` of ruleset ``ruleset``'s data folder."""
        key = (ruleset, filename)
        if key not in self._cache:
            data_dir = self._dirs.get(ruleset)
            if data_dir is None:
                raise FileNotFoundError(f"ruleset {ruleset!r} has no data folder")
            path = Path(data_dir) / filename
            if path.suffix == ".toml":
                self._cache[key] = read_toml(path)
            else:
                self._cache[key] = json.loads(path.read_text(encoding="utf-8"))
        return self._cache[key]

    def __getstate__(self) -> dict[str, Path | None]:
        return self._dirs

    def __setstate__(self, state: dict[str, Path | None]) -> None:
        self._dirs = state
        self._cache = {}


@attrs.frozen(kw_only=True)
class RuleOrigin:
    """Where a planned rule comes from (stamped on its findings)."""

    ruleset: str
    ruleset_version: str
    plugin: str
    plugin_version: str
    jurisdiction: str | None = None
    """The division-code prefix the rule judges (its ruleset's and the profile's,
    the narrower); None: every code."""


@attrs.frozen(kw_only=True, eq=False)
class Plan:
    """A frozen run plan: build it with :meth:`Catalogue.plan`, run it with :meth:`run`.

    ``derivations`` run first, in dependency order; ``rules`` (the checks)
    then run by id. Each rule's ``grain`` (and each derivation's
    ``reduce``) says how a province can be partitioned for it.
    """

    as_of: dt.date
    profile: str
    catalogue_digest: str
    derivations: tuple[Rule, ...]
    rules: tuple[Rule, ...]
    origins: Mapping[str, RuleOrigin]
    parameters: Mapping[tuple[str, str], ResolvedParam]
    """Every declared parameter of the planned rules resolved on ``as_of`` (missing ones absent)."""
    resolver: ParamResolver
    rulesets: Mapping[str, str]
    """The rulesets the plan draws rules from, with their versions (provenance)."""
    plugins: Mapping[str, str]
    """Every loaded plugin with its version (provenance)."""
    load_diagnostics: tuple[Diagnostic, ...] = ()
    data: DataFiles = attrs.field(factory=lambda: DataFiles({}), repr=False)
    fsrules_version: str = __version__
    rule_budget: float | None = DEFAULT_RULE_BUDGET
    """Seconds one rule may run before it is abandoned (``rule.timeout``); None: no limit."""
    jurisdiction: str | None = None
    """The profile's division-code prefix (nearest in its ``extends`` chain); None: every code."""

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        """Derivations then checks, in the order they run."""
        return (*self.derivations, *self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The planned rule ``rule_id`` (KeyError when it is not in the plan)."""
        for r in self.all_rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"rule {rule_id} is not in this plan")

    def resolve(self, rule: Rule, name: str, on: dt.date | None = None) -> ResolvedParam:
        """``rule``'s parameter ``name`` on ``on`` (default ``as_of``); raises when missing."""
        day = self.as_of if on is None else on
        if day == self.as_of:
            found = self.parameters.get((rule.id, name))
            if found is not None:
                return found
        return self.resolver.resolve(rule, name, day)

    def run(self, facts: FactSet | Iterable[Fact] | Any) -> Report:
        """Evaluate ``facts`` (a FactSet, facts, or a LoadResult) and return the report."""
        from fsrules._run import run_plan

        return run_plan(self, facts)


def make_plan(catalogue: Catalogue, *, profile: str, as_of: dt.date,
              rulesets: Sequence[str] | None) -> Plan:
    """Select, order and resolve (see :meth:`Catalogue.plan`)."""
    catalogue.profile(profile)
    derivations, checks = catalogue.select_rules(rulesets, profile)
    # A rule with dated revisions runs the revision in force on as_of.
    derivations = [r.revision_on(as_of) for r in derivations]
    checks = [r.revision_on(as_of) for r in checks]
    planned = (*derivations, *checks)
    resolver = catalogue.resolver(profile, planned)
    params: dict[tuple[str, str], ResolvedParam] = {}
    for rule in planned:
        for p in rule.parameters:
            try:
                params[(rule.id, p.name)] = resolver.resolve(rule, p.name, as_of)
            except ParameterError:
                continue  # missing or invalid: the rule reports it when it asks
    origins: dict[str, RuleOrigin] = {}
    dirs: dict[str, Path | None] = {}
    where = catalogue.jurisdiction_of(profile)
    for rule in planned:
        reg = catalogue.ruleset_of(rule.id)
        origins[rule.id] = RuleOrigin(ruleset=reg.ruleset.id, ruleset_version=reg.ruleset.version,
                                      plugin=reg.plugin, plugin_version=reg.plugin_version,
                                      jurisdiction=narrower(reg.ruleset.jurisdiction, where))
        dirs[reg.ruleset.id] = reg.ruleset.data_dir
    return Plan(
        as_of=as_of,
        profile=profile,
        catalogue_digest=catalogue.digest,
        derivations=tuple(derivations),
        rules=tuple(checks),
        origins=origins,
        parameters=params,
        resolver=resolver,
        rulesets={rid: catalogue.rulesets[rid].ruleset.version for rid in sorted(dirs)},
        plugins={p.name: p.version for p in catalogue.plugins},
        load_diagnostics=catalogue.load_diagnostics,
        data=catalogue.data_files,
        jurisdiction=where,
    )
