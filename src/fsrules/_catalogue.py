"""The Catalogue: everything the plugins registered, immutable and picklable.

``fsrules.load_catalogue()`` loads the plugins once (see
:mod:`fsrules._host`) and returns a :class:`Catalogue`: fact kinds,
rulesets, rules, profiles, output formats, plugin information, load
diagnostics and parameter defaults. It holds no module and no pluggy object,
so it pickles; rules pickle by reference to their defining module. Its
:attr:`~Catalogue.digest` names its content (rules and versions, parameter
files, profiles, data files). :meth:`Catalogue.plan` makes the frozen
:class:`~fsrules.Plan` a run needs.

The text renderings of the catalogue live in :mod:`fsrules._render`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._diagnostics import Diagnostic
from fsrules._params import DatedValue, ParamResolver, Profile, ResolvedParam
from fsrules._plan import DataFiles
from fsrules._plugins import allowed_names
from fsrules._report import PluginInfo
from fsrules._rules import Rule, RuleKind, Ruleset
from fsrules._version import __version__
from fsrules._writers import OutputFormat
from fsrules.exceptions import (
    ParameterError,
    RuleDefinitionError,
    UnknownProfileError,
    UnknownRuleError,
    UnknownRulesetError,
)
from fsrules.model import Fact

if TYPE_CHECKING:
    from fsrules._plan import Plan

    # The renderings' old home: `from fsrules._catalogue import render_catalogue` still works.
    from fsrules._render import CATALOGUE_FORMATS as CATALOGUE_FORMATS
    from fsrules._render import catalogue_entries as catalogue_entries
    from fsrules._render import default_explain_date as default_explain_date
    from fsrules._render import explanation_dict as explanation_dict
    from fsrules._render import render_catalogue as render_catalogue
    from fsrules._render import render_cli_reference as render_cli_reference
    from fsrules._render import render_explanation as render_explanation

__all__ = ["Catalogue", "RegisteredRuleset", "RuleExplanation", "load_catalogue"]

_Defaults = Mapping[str, Mapping[str, Mapping[str, tuple[DatedValue, ...]]]]


@attrs.frozen(kw_only=True)
class RegisteredRuleset:
    """A ruleset with the plugin that registered it."""

    ruleset: Ruleset
    plugin: str
    plugin_version: str


@attrs.frozen(kw_only=True)
class RuleExplanation:
    """Everything ``fsrules explain`` shows about a rule."""

    rule: Rule
    ruleset: str
    ruleset_version: str
    plugin: str
    plugin_version: str
    profile: str
    as_of: dt.date
    parameters: tuple[tuple[str, ResolvedParam | None, str], ...]
    """(name, resolved value or None when missing, problem text) per declared parameter."""


def load_catalogue(
    plugins: Iterable[object] = (),
    builtins: bool = True,
    entry_points: bool = True,
    allowed_plugins: Collection[str] | None = None,
    strict: bool = False,
    *,
    environ: Mapping[str, str] | None = None,
) -> Catalogue:
    """Load plugins once and return the immutable catalogue.

    With ``entry_points`` and no ``allowed_plugins``, the ``FSRULES_PLUGINS``
    environment variable (or ``environ``) restricts which installed plugins
    load, as :meth:`Engine.default` does. Errors in ``plugins`` (the
    caller's own code) are raised; a broken installed plugin becomes a load
    diagnostic unless ``strict``.
    """
    from fsrules._host import PluginHost

    if entry_points and allowed_plugins is None:
        allowed_plugins = allowed_names(os.environ if environ is None else environ)
    return PluginHost(plugins=plugins, builtins=builtins, entry_points=entry_points,
                      allowed_plugins=allowed_plugins, strict=strict).catalogue()


@attrs.frozen(kw_only=True, eq=False)
class Catalogue:
    """The registries of one plugin load; build it with :func:`load_catalogue`.

    Registry values pair each item with the plugin that registered it. The
    catalogue never changes after it is built: to change plugins, load a new
    one (and swap it atomically where it is used).
    """

    _fact_kinds: Mapping[str, tuple[type[Fact], str]]
    _rulesets: Mapping[str, RegisteredRuleset]
    _rules: Mapping[str, tuple[Rule, str]]
    """Rule id -> (rule, ruleset id)."""
    _profiles: Mapping[str, tuple[Profile, str]]
    _formats: Mapping[str, tuple[OutputFormat, str]]
    plugin_info: Mapping[str, PluginInfo]
    load_diagnostics: tuple[Diagnostic, ...]
    defaults: _Defaults
    """Parameter defaults: ruleset id -> rule id -> parameter -> dated values."""
    digest: str = attrs.field(init=False)
    """SHA-256 of the catalogue's content, stable across processes and machines."""
    data_files: DataFiles = attrs.field(init=False, repr=False)
    """The rulesets' data files (``ctx.data``), parsed on first use and shared by plans."""

    def __attrs_post_init__(self) -> None:
        from fsrules._structured import check_structured

        # Bad tables fail here, naming file and key, not during a run (issue 12).
        check_structured({k: v[0] for k, v in self._rules.items()},
                         {k: v.ruleset for k, v in self._rulesets.items()}, self.defaults,
                         {k: v[0] for k, v in self._profiles.items()})
        for name in self._profiles:
            self.jurisdiction_of(name)  # a malformed prefix fails at load, naming the file
        object.__setattr__(self, "digest", _content_digest(self))
        object.__setattr__(self, "data_files", DataFiles(
            {rid: reg.ruleset.data_dir for rid, reg in self._rulesets.items()}))

    # ------------------------------------------------------------------ registries

    @property
    def fact_kinds(self) -> dict[str, type[Fact]]:
        """Registered fact kinds by name."""
        return {k: v[0] for k, v in sorted(self._fact_kinds.items())}

    @property
    def rulesets(self) -> dict[str, RegisteredRuleset]:
        """Registered rulesets by id."""
        return dict(sorted(self._rulesets.items()))

    @property
    def rules(self) -> dict[str, Rule]:
        """Registered rules by id."""
        return {k: v[0] for k, v in sorted(self._rules.items())}

    @property
    def profiles(self) -> dict[str, Profile]:
        """Registered profiles by name."""
        return {k: v[0] for k, v in sorted(self._profiles.items())}

    @property
    def output_formats(self) -> dict[str, OutputFormat]:
        """Registered output formats by name."""
        return {k: v[0] for k, v in sorted(self._formats.items())}

    @property
    def plugins(self) -> list[PluginInfo]:
        """Every plugin the host tried to load, sorted by name."""
        return [self.plugin_info[k] for k in sorted(self.plugin_info)]

    def rule(self, rule_id: str) -> Rule:
        """The rule with ``rule_id``."""
        try:
            return self._rules[rule_id][0]
        except KeyError:
            raise UnknownRuleError(rule_id, list(self._rules)) from None

    def ruleset_of(self, rule_id: str) -> RegisteredRuleset:
        """The registered ruleset a rule belongs to."""
        self.rule(rule_id)
        return self._rulesets[self._rules[rule_id][1]]

    def profile(self, name: str) -> Profile:
        """The profile ``name``."""
        try:
            return self._profiles[name][0]
        except KeyError:
            raise UnknownProfileError(name, list(self._profiles)) from None

    def profile_chain(self, name: str) -> list[Profile]:
        """The profile ``name`` and the ones it extends, nearest first."""
        chain: list[Profile] = []
        seen: set[str] = set()
        current: str | None = name
        while current is not None:
            if current in seen:
                raise ParameterError(f"profile {name!r} extends itself through {current!r}")
            seen.add(current)
            prof = self.profile(current)
            chain.append(prof)
            current = prof.extends
        return chain

    def jurisdiction_of(self, profile: str) -> str | None:
        """The division-code prefix ``profile`` is for: its own, else its nearest parent's."""
        from fsrules._jurisdiction import normalise

        for prof in self.profile_chain(profile):
            if prof.jurisdiction is not None:
                try:
                    return normalise(prof.jurisdiction)
                except ValueError as exc:
                    raise ParameterError(f"profile {prof.name!r} ({prof.source}): {exc}",
                                         source=prof.source) from None
        return None

    # ------------------------------------------------------------------ parameters

    def resolver(self, profile: str, rules: Iterable[Rule] | None = None) -> ParamResolver:
        """The parameter resolver for ``profile`` (for ``rules`` only, if given)."""
        wanted = None if rules is None else {r.id for r in rules}
        table: dict[str, tuple[str, Mapping[str, tuple[DatedValue, ...]]]] = {}
        for rule_id, (_, ruleset) in self._rules.items():
            if wanted is not None and rule_id not in wanted:
                continue
            values = self.defaults.get(ruleset, {}).get(rule_id)
            if values:
                table[rule_id] = (ruleset, values)
        return ParamResolver(profile=profile, chain=tuple(self.profile_chain(profile)),
                             defaults=table)

    def resolve_param(self, rule: Rule, name: str, on: dt.date, profile: str
                      ) -> ResolvedParam:
        """The value of ``rule``'s parameter ``name`` in force on ``on`` under ``profile``.

        Raises :class:`~fsrules.exceptions.MissingParameterError` when no
        profile in the chain and (for V/C values) no ruleset default sets it.
        """
        return self.resolver(profile, [rule]).resolve(rule, name, on)

    def explain(self, rule_id: str, *, as_of: dt.date, profile: str) -> RuleExplanation:
        """A rule's metadata and its parameters as resolved on ``as_of``."""
        rule = self.rule(rule_id).revision_on(as_of)
        reg = self.ruleset_of(rule_id)
        resolver = self.resolver(profile, [rule])
        params: list[tuple[str, ResolvedParam | None, str]] = []
        for p in rule.parameters:
            try:
                params.append((p.name, resolver.resolve(rule, p.name, as_of), ""))
            except ParameterError as exc:
                params.append((p.name, None, str(exc)))
        return RuleExplanation(
            rule=rule, ruleset=reg.ruleset.id, ruleset_version=reg.ruleset.version,
            plugin=reg.plugin, plugin_version=reg.plugin_version,
            profile=profile, as_of=as_of, parameters=tuple(params),
        )

    # ------------------------------------------------------------------ planning

    def select_rules(self, rulesets: Sequence[str] | None = None, profile: str = "national"
                     ) -> tuple[list[Rule], list[Rule]]:
        """(derivations in dependency order, check rules by id) for a run."""
        known = self._rulesets
        if rulesets:
            for rid in rulesets:
                if rid not in known:
                    raise UnknownRulesetError(rid, list(known))
            chosen = list(dict.fromkeys(rulesets))
        else:
            named: tuple[str, ...] = ()
            for prof in self.profile_chain(profile):
                if prof.rulesets:
                    named = prof.rulesets
                    break
            for rid in named:
                if rid not in known:
                    raise UnknownRulesetError(rid, list(known))
            chosen = list(named) or [
                rid for rid, reg in sorted(known.items()) if reg.ruleset.default]
        checks = sorted((r for rid in chosen for r in known[rid].ruleset.rules
                         if r.kind is RuleKind.CHECK), key=lambda r: r.id)
        inference = {r.id: r for rid in chosen for r in known[rid].ruleset.rules
                     if r.kind is RuleKind.INFERENCE}
        producers: dict[str, list[Rule]] = {}
        for rule, _ in self._rules.values():
            if rule.kind is RuleKind.INFERENCE:
                for kind in rule.produces:
                    producers.setdefault(kind, []).append(rule)
        # Pull in every derivation that produces a kind a chosen rule reads.
        queue = [k for r in (*checks, *inference.values()) for k in r.reads]
        while queue:
            kind = queue.pop()
            for rule in producers.get(kind, ()):
                if rule.id not in inference:
                    inference[rule.id] = rule
                    queue.extend(rule.reads)
        return toposort(list(inference.values())), checks

    def plan(self, profile: str = "national", as_of: dt.date | None = None,
             rulesets: Sequence[str] | None = None) -> Plan:
        """The frozen, picklable plan of a run: rules ordered, parameters resolved.

        ``as_of`` is required (a run never reads the wall clock).
        """
        from fsrules._plan import make_plan

        if as_of is None or not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
        return make_plan(self, profile=profile, as_of=as_of, rulesets=rulesets)


def toposort(rules: list[Rule]) -> list[Rule]:
    """Order derivations so producers run before readers (ties by id)."""
    remaining = {r.id: r for r in rules}
    done: list[Rule] = []
    produced_by = {k: {r.id for r in rules if k in r.produces} for r in rules
                   for k in r.produces}
    while remaining:
        ready = sorted(
            rid for rid, r in remaining.items()
            if not any(p in remaining and p != rid
                       for k in r.reads for p in produced_by.get(k, ()))
        )
        if not ready:
            raise RuleDefinitionError(
                "inference rules depend on each other in a cycle: "
                + ", ".join(sorted(remaining)))
        for rid in ready:
            done.append(remaining.pop(rid))
    return done


# ---------------------------------------------------------------------- content digest


def _jsonable(value: Any) -> Any:
    if isinstance(value, DatedValue):
        return [None if value.effective_from is None else value.effective_from.isoformat(),
                _jsonable(value.value), value.note]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _data_files(data_dir: Path | None) -> dict[str, str]:
    """SHA-256 of every file in a ruleset's data folder, by relative path."""
    if data_dir is None or not Path(data_dir).is_dir():
        return {}
    out: dict[str, str] = {}
    root = Path(data_dir)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _content_digest(cat: Catalogue) -> str:
    """What the catalogue contains, canonically: rules, versions, parameters, data."""
    content = {
        "fsrules": __version__,
        "plugins": {p.name: [p.version, p.error] for p in cat.plugins},
        "fact_kinds": {k: [v[0].__module__, v[0].__qualname__,
                           [a.name for a in attrs.fields(v[0])]]
                       for k, v in sorted(cat._fact_kinds.items())},
        "rulesets": {
            rid: {
                "version": reg.ruleset.version,
                "plugin": reg.plugin,
                "default": reg.ruleset.default,
                "rules": {r.id: [r.version, r.kind.value, r.severity.value,
                                 [[p.name, p.type, p.confidence.value] for p in r.parameters],
                                 None if r.valid_from is None else r.valid_from.isoformat(),
                                 None if r.valid_to is None else r.valid_to.isoformat(),
                                 *([[v.version, str(v.valid_from)] for v in r.revisions]
                                   if r.revisions else [])]
                          for r in reg.ruleset.rules},
                "data": _data_files(reg.ruleset.data_dir),
                **({} if reg.ruleset.jurisdiction is None
                   else {"jurisdiction": reg.ruleset.jurisdiction}),
            }
            for rid, reg in sorted(cat._rulesets.items())
        },
        "defaults": _jsonable(cat.defaults),
        "profiles": {
            name: {"extends": prof.extends, "jurisdiction": prof.jurisdiction,
                   "rulesets": list(prof.rulesets), "parameters": _jsonable(prof.parameters)}
            for name, (prof, _) in sorted(cat._profiles.items())
        },
        "formats": sorted(cat._formats),
    }
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


# ---------------------------------------------------------------------- old module name

_RENDER_NAMES = frozenset({
    "CATALOGUE_FORMATS", "catalogue_entries", "default_explain_date", "explanation_dict",
    "render_catalogue", "render_cli_reference", "render_explanation",
})


def __getattr__(name: str) -> Any:
    """The renderings lived here before :mod:`fsrules._render`: keep old imports working."""
    if name in _RENDER_NAMES or name.startswith("render_"):
        from fsrules import _render

        return getattr(_render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
