"""The Engine: one plugin manager, its registries, and evaluation.

Each engine owns its pluggy manager and every registry (fact kinds,
rulesets, rules, profiles, output formats); two engines in one process
never see each other's plugins, rules or parameters. Evaluation takes an
explicit ``as_of`` date and never reads the wall clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import attrs
import pluggy

from fsrules import hookspecs
from fsrules._budget import (
    DEFAULT_RULE_BUDGET,
    PluginAbort,
    budget_diagnostic,
    call_trapping,
    call_with_budget,
)
from fsrules._context import RuleContext
from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._evidence import evidence_diagnostic
from fsrules._factset import FactSet
from fsrules._findings import Finding
from fsrules._i18n import Text
from fsrules._params import (
    Profile,
    ResolvedParam,
    digest,
    missing,
    missing_hint_zh,
    read_toml,
    value_on,
)
from fsrules._params import parse_values as _parse_values
from fsrules._plugins import Candidate, allowed_names, builtin_modules, entry_point_candidates
from fsrules._report import InputSummary, PluginInfo, Provenance, Report, RuleStat
from fsrules._rules import Rule, RuleKind, Ruleset
from fsrules._version import __version__
from fsrules._writers import OutputFormat
from fsrules.exceptions import (
    DuplicateRegistrationError,
    EvidenceError,
    FsrulesError,
    MissingParameterError,
    ParameterError,
    PluginLoadError,
    RuleBudgetError,
    RuleDefinitionError,
    UnknownFactKindError,
    UnknownProfileError,
    UnknownRuleError,
    UnknownRulesetError,
)
from fsrules.model import Fact

__all__ = ["Engine", "RegisteredRuleset", "RuleExplanation"]

_HOOK_PREFIX = "fsrules_"


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


class _Staging:
    """Items one hook implementation registered, committed only if it returns."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def __call__(self, item: Any) -> None:
        self.items.append(item)


class Engine:
    """Holds plugins and rules, and evaluates facts.

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

    ``rule_budget`` (seconds, default 60; None: no limit) is how long one
    rule may run before it is abandoned and reported (``rule.timeout``); set
    it on an instance, e.g. ``engine.rule_budget = 5.0``.
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
    ) -> None:
        self.profile_name = profile
        self.strict = strict
        self._pm = pluggy.PluginManager("fsrules")
        self._pm.add_hookspecs(hookspecs)
        self._fact_kinds: dict[str, tuple[type[Fact], str]] = {}
        self._rulesets: dict[str, RegisteredRuleset] = {}
        self._rules: dict[str, tuple[Rule, str]] = {}
        self._profiles: dict[str, tuple[Profile, str]] = {}
        self._formats: dict[str, tuple[OutputFormat, str]] = {}
        self._plugin_info: dict[str, PluginInfo] = {}
        self._versions: dict[str, str] = {}
        self._distributions: dict[str, str | None] = {}
        self._raise_for: set[str] = set()
        self.load_diagnostics: list[Diagnostic] = []
        self._defaults_cache: dict[str, dict[str, dict[str, tuple[Any, ...]]]] = {}
        self._data_cache: dict[tuple[str, str], Any] = {}

        if builtins:
            for module in builtin_modules():
                self._register_plugin(module, name=module.__name__, version=__version__,
                                      distribution="fsrules", builtin=True, raise_errors=True)
        for obj in plugins:
            name = getattr(obj, "__name__", None) or type(obj).__name__
            version = str(getattr(obj, "__version__", "0"))
            self._register_plugin(obj, name=name, version=version, distribution=None,
                                  builtin=False, raise_errors=True)
        if entry_points:
            allowed = None if allowed_plugins is None else set(allowed_plugins)
            for candidate in entry_point_candidates(allowed):
                self._load_candidate(candidate)
        self._run_registration()

    @classmethod
    def default(
        cls, profile: str = "national", *, strict: bool = False,
        environ: Mapping[str, str] | None = None, plugins: Iterable[object] = (),
    ) -> Engine:
        """Built-ins plus every installed plugin ``FSRULES_PLUGINS`` allows."""
        env = os.environ if environ is None else environ
        return cls(profile=profile, plugins=plugins, builtins=True, entry_points=True,
                   allowed_plugins=allowed_names(env), strict=strict)

    # ------------------------------------------------------------------ plugin loading

    def _fail(self, error: PluginLoadError, *, raise_errors: bool) -> None:
        if raise_errors or self.strict:
            raise error
        self.load_diagnostics.append(Diagnostic(
            level=DiagnosticLevel.ERROR,
            code="plugin.load_error",
            message=Text(f"插件 {error.plugin} 加载失败：{error}",
                         f"plugin {error.plugin} failed to load: {error}"),
            hint=Text("修复或卸载该插件，或用环境变量 FSRULES_PLUGINS 排除它",
                      "fix or uninstall the plugin, or exclude it with FSRULES_PLUGINS"),
            plugin=error.plugin,
        ))
        info = self._plugin_info.get(error.plugin)
        self._plugin_info[error.plugin] = PluginInfo(
            name=error.plugin, version=info.version if info else "?",
            distribution=error.distribution, builtin=False, error=str(error),
        )

    def _load_candidate(self, candidate: Candidate) -> None:
        try:
            obj = call_trapping(candidate.load)  # sys.exit() at import too (issue 13, D6)
        except Exception as caught:  # a broken plugin must not take down the host
            exc = caught.original if isinstance(caught, PluginAbort) else caught
            err = PluginLoadError(
                f"importing entry point {candidate.name!r} of distribution "
                f"{candidate.distribution!r} raised {type(exc).__name__}: {exc}",
                plugin=candidate.name, distribution=candidate.distribution,
            )
            err.__cause__ = exc
            self._fail(err, raise_errors=False)
            return
        if self._pm.is_registered(obj):
            return  # also passed explicitly with plugins=[...]: register it once
        self._register_plugin(obj, name=candidate.name, version=candidate.version,
                              distribution=candidate.distribution, builtin=False,
                              raise_errors=False)

    def _register_plugin(
        self, obj: object, *, name: str, version: str, distribution: str | None, builtin: bool,
        raise_errors: bool,
    ) -> None:
        if raise_errors:
            self._raise_for.add(name)
        if self._pm.has_plugin(name) or self._pm.is_registered(obj):
            self._fail(PluginLoadError(f"plugin {name!r} is registered twice", plugin=name,
                                       distribution=distribution), raise_errors=raise_errors)
            return
        try:
            self._check_hook_names(obj, name)
            self._pm.register(obj, name=name)
            self._pm.check_pending()
        except (pluggy.PluginValidationError, PluginLoadError) as exc:
            if self._pm.is_registered(obj):
                self._pm.unregister(obj)
            err = exc if isinstance(exc, PluginLoadError) else PluginLoadError(
                f"plugin {name!r}: {exc}", plugin=name, distribution=distribution)
            self._fail(err, raise_errors=raise_errors)
            return
        self._versions[name] = version
        self._distributions[name] = distribution
        self._plugin_info[name] = PluginInfo(name=name, version=version,
                                             distribution=distribution, builtin=builtin)

    @staticmethod
    def _check_hook_names(obj: object, name: str) -> None:
        """A function named like a hook but not a known hook is a misspelling: fail loudly."""
        known = {n for n in dir(hookspecs) if n.startswith(_HOOK_PREFIX)}
        for attr in dir(obj):
            value = getattr(obj, attr, None)
            if getattr(value, "__module__", None) == hookspecs.__name__:
                continue  # a hookspec imported by name, not an implementation
            if attr.startswith(_HOOK_PREFIX) and callable(value):
                if attr not in known:
                    close = [k for k in sorted(known) if k[:20] == attr[:20]] or sorted(known)
                    raise PluginLoadError(
                        f"plugin {name!r} defines {attr!r}, which is not an fsrules hook; "
                        f"known hooks: {', '.join(close)}",
                        plugin=name,
                    )
                if not hasattr(getattr(obj, attr), "fsrules_impl"):
                    raise PluginLoadError(
                        f"plugin {name!r} defines {attr!r} without the @fsrules.hookimpl "
                        f"decorator, so it would never be called",
                        plugin=name,
                    )

    def _run_registration(self) -> None:
        """Call the registration hooks, one implementation at a time."""
        steps: list[tuple[str, Callable[[Any, str], None]]] = [
            ("fsrules_register_fact_kinds", self._add_fact_kind),
            ("fsrules_register_profiles", self._add_profile),
            ("fsrules_register_rulesets", self._add_ruleset),
            ("fsrules_register_output_formats", self._add_format),
        ]
        for hook_name, add in steps:
            hook = getattr(self._pm.hook, hook_name)
            # get_hookimpls() lists implementations in registration order
            # (pluggy *calls* them in reverse); plugin order keeps "first
            # plugin" in duplicate messages true.
            for impl in hook.get_hookimpls():
                plugin = impl.plugin_name
                if plugin in self._plugin_info and self._plugin_info[plugin].error:
                    continue
                staging = _Staging()
                try:
                    call_trapping(functools.partial(impl.function, register=staging))
                    for item in staging.items:
                        add(item, plugin)
                except FsrulesError as exc:
                    if plugin in self._raise_for or self.strict:
                        self._forget(plugin)
                        raise
                    err = PluginLoadError(f"plugin {plugin!r}: {exc}", plugin=plugin,
                                          distribution=self._distributions.get(plugin))
                    err.__cause__ = exc
                    self._forget(plugin)
                    self._fail(err, raise_errors=plugin in self._raise_for)
                except Exception as caught:
                    cause = caught.original if isinstance(caught, PluginAbort) else caught
                    err = PluginLoadError(
                        f"plugin {plugin!r}: {hook_name} raised {type(cause).__name__}: {cause}",
                        plugin=plugin, distribution=self._distributions.get(plugin))
                    err.__cause__ = cause
                    self._forget(plugin)
                    self._fail(err, raise_errors=plugin in self._raise_for)
        self._validate_profiles()
        for name, info in list(self._plugin_info.items()):
            if info.error:
                continue
            mine = sorted(r for r, reg in self._rulesets.items() if reg.plugin == name)
            count = sum(len(self._rulesets[r].ruleset.rules) for r in mine)
            self._plugin_info[name] = attrs.evolve(info, rulesets=tuple(mine), rule_count=count)

    def _validate_profiles(self) -> None:
        """Check every profile against the registered rules: fail early, not mid-run."""
        for name, (prof, plugin) in sorted(self._profiles.items()):
            problems: list[str] = []
            if prof.extends is not None and prof.extends not in self._profiles:
                problems.append(f"extends unknown profile {prof.extends!r}")
            for rule_id, table in sorted(prof.parameters.items()):
                if rule_id not in self._rules:
                    self.load_diagnostics.append(Diagnostic(
                        level=DiagnosticLevel.WARNING, code="plugin.profile_unknown_rule",
                        message=Text(f"配置文件 {name} 为未注册的规则 {rule_id} 设置了参数（插件未安装？）",
                                     f"profile {name} sets parameters of rule {rule_id}, which "
                                     f"is not registered (plugin not installed?)"),
                        plugin=plugin, rule_id=rule_id))
                    continue
                rule = self._rules[rule_id][0]
                for pname, values in sorted(table.items()):
                    try:
                        param = rule.param(pname)
                    except KeyError:
                        known = ", ".join(p.name for p in rule.parameters) or "(none)"
                        problems.append(f"{rule_id}.{pname} is not a parameter of the rule; "
                                        f"it has: {known}")
                        continue
                    for item in values:
                        try:
                            param.coerce(item.value)
                        except ValueError as exc:
                            problems.append(f"{rule_id}.{pname}: {exc}")
            if not problems:
                continue
            err = ParameterError(f"profile {name!r} ({prof.source}): " + "; ".join(problems),
                                 source=prof.source)
            if plugin in self._raise_for or self.strict:
                raise err
            del self._profiles[name]
            self._fail(PluginLoadError(str(err), plugin=plugin,
                                       distribution=self._distributions.get(plugin)),
                       raise_errors=False)

    def _forget(self, plugin: str) -> None:
        """Drop everything a failed plugin registered."""
        for reg in (self._fact_kinds, self._profiles, self._formats):
            for key in [k for k, v in reg.items() if v[1] == plugin]:
                del reg[key]
        for rid in [r for r, reg in self._rulesets.items() if reg.plugin == plugin]:
            for rule in self._rulesets[rid].ruleset.rules:
                self._rules.pop(rule.id, None)
            del self._rulesets[rid]
            self._defaults_cache.pop(rid, None)
        if self._pm.has_plugin(plugin):
            self._pm.unregister(name=plugin)

    def _add_fact_kind(self, cls: Any, plugin: str) -> None:
        if not (isinstance(cls, type) and issubclass(cls, Fact) and cls.KIND):
            raise RuleDefinitionError(
                f"fact kinds must be attrs subclasses of fsrules.Fact with a KIND, got {cls!r}")
        kind: type[Fact] = cls
        if not attrs.has(cast(type, kind)):  # cast: keep `kind` typed as a Fact class
            raise RuleDefinitionError(f"fact kind {kind.KIND!r} must be an attrs class")
        if kind.KIND in self._fact_kinds:
            raise DuplicateRegistrationError("fact kind", kind.KIND,
                                             self._fact_kinds[kind.KIND][1], plugin)
        self._fact_kinds[kind.KIND] = (kind, plugin)

    def _add_profile(self, profile: Any, plugin: str) -> None:
        if not isinstance(profile, Profile):
            raise RuleDefinitionError(f"register() takes fsrules.Profile, got {profile!r}")
        if profile.name in self._profiles:
            raise DuplicateRegistrationError("profile", profile.name,
                                             self._profiles[profile.name][1], plugin)
        self._profiles[profile.name] = (profile, plugin)

    def _add_format(self, fmt: Any, plugin: str) -> None:
        if not isinstance(fmt, OutputFormat):
            raise RuleDefinitionError(f"register() takes fsrules.OutputFormat, got {fmt!r}")
        if fmt.name in self._formats:
            raise DuplicateRegistrationError("output format", fmt.name,
                                             self._formats[fmt.name][1], plugin)
        self._formats[fmt.name] = (fmt, plugin)

    def _add_ruleset(self, ruleset: Any, plugin: str) -> None:
        if not isinstance(ruleset, Ruleset):
            raise RuleDefinitionError(f"register() takes fsrules.Ruleset, got {ruleset!r}")
        if ruleset.id in self._rulesets:
            raise DuplicateRegistrationError("ruleset", ruleset.id,
                                             self._rulesets[ruleset.id].plugin, plugin)
        for kind in ruleset.fact_kinds:
            self._add_fact_kind(kind, plugin)
        for rule in ruleset.rules:
            if rule.id in self._rules:
                other = self._rulesets[self._rules[rule.id][1]].plugin
                raise DuplicateRegistrationError("rule", rule.id, other, plugin)
            unknown = [k for k in (*rule.reads, *rule.produces) if k not in self._fact_kinds]
            if unknown:
                raise UnknownFactKindError(unknown[0], list(self._fact_kinds))
        self._defaults_cache[ruleset.id] = self._read_defaults(ruleset)
        self._rulesets[ruleset.id] = RegisteredRuleset(
            ruleset=ruleset, plugin=plugin, plugin_version=self._versions.get(plugin, "0"))
        for rule in ruleset.rules:
            self._rules[rule.id] = (rule, ruleset.id)

    @staticmethod
    def _read_defaults(ruleset: Ruleset) -> dict[str, dict[str, tuple[Any, ...]]]:
        """Parse and check ``parameters.toml``: known rules and parameters, V/C only."""
        raw = ruleset.defaults()
        rules = {r.id: r for r in ruleset.rules}
        source = f"{ruleset.data_dir}/parameters.toml"
        out: dict[str, dict[str, tuple[Any, ...]]] = {}
        for rule_id, table in raw.items():
            if rule_id not in rules:
                raise ParameterError(f"{source}: [{rule_id}] is not a rule of ruleset "
                                     f"{ruleset.id!r}", rule_id=rule_id, source=source)
            rule = rules[rule_id]
            out[rule_id] = {}
            for name, value in table.items():
                try:
                    param = rule.param(name)
                except KeyError:
                    raise ParameterError(f"{source}: rule {rule_id} declares no parameter "
                                         f"{name!r}", rule_id=rule_id, parameter=name,
                                         source=source) from None
                if param.confidence.needs_profile:
                    raise ParameterError(
                        f"{source}: {rule_id}.{name} has confidence "
                        f"{param.confidence.value}; such values may not have a ruleset default "
                        f"— set them in a profile", rule_id=rule_id, parameter=name,
                        source=source)
                dated = _parse_values(value, source=f"{source} [{rule_id}] {name}")
                for item in dated:
                    try:
                        param.coerce(item.value)
                    except ValueError as exc:
                        raise ParameterError(f"{source}: {rule_id}.{name}: {exc}",
                                             rule_id=rule_id, parameter=name,
                                             source=source) from None
                out[rule_id][name] = dated
        return out

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
        """Every plugin the engine tried to load, sorted by name."""
        return [self._plugin_info[k] for k in sorted(self._plugin_info)]

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

    def profile(self, name: str | None = None) -> Profile:
        """The profile ``name`` (default: the engine's)."""
        key = name or self.profile_name
        try:
            return self._profiles[key][0]
        except KeyError:
            raise UnknownProfileError(key, list(self._profiles)) from None

    def _profile_chain(self, name: str) -> list[Profile]:
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

    # ------------------------------------------------------------------ parameters

    def resolve_param(self, rule: Rule, name: str, on: dt.date, profile: str | None = None
                      ) -> ResolvedParam:
        """The value of ``rule``'s parameter ``name`` in force on ``on`` under ``profile``.

        Raises :class:`~fsrules.exceptions.MissingParameterError` when no
        profile in the chain and (for V/C values) no ruleset default sets it.
        """
        param = rule.param(name)
        prof_name = profile or self.profile_name
        for prof in self._profile_chain(prof_name):
            values = prof.parameters.get(rule.id, {}).get(name)
            if values:
                chosen = value_on(values, on)
                if chosen is not None:
                    try:
                        value = param.coerce(chosen.value)
                    except ValueError as exc:
                        raise ParameterError(
                            f"profile {prof.name!r} ({prof.source}): {rule.id}.{name}: {exc}",
                            rule_id=rule.id, parameter=name, source=prof.name) from None
                    return ResolvedParam(rule_id=rule.id, name=name, value=value,
                                         source=f"profile:{prof.name}",
                                         effective_from=chosen.effective_from,
                                         note=chosen.note)
        ruleset = self._rules[rule.id][1] if rule.id in self._rules else None
        if ruleset is not None and not param.confidence.needs_profile:
            values = self._defaults_cache.get(ruleset, {}).get(rule.id, {}).get(name)
            if values:
                chosen = value_on(values, on)
                if chosen is not None:
                    return ResolvedParam(rule_id=rule.id, name=name,
                                         value=param.coerce(chosen.value),
                                         source=f"ruleset:{ruleset}",
                                         effective_from=chosen.effective_from, note=chosen.note)
        raise missing(rule.id, name, prof_name, param.confidence.value)

    def explain(self, rule_id: str, *, as_of: dt.date, profile: str | None = None
                ) -> RuleExplanation:
        """A rule's metadata and its parameters as resolved on ``as_of``."""
        rule = self.rule(rule_id)
        reg = self.ruleset_of(rule_id)
        params: list[tuple[str, ResolvedParam | None, str]] = []
        for p in rule.parameters:
            try:
                params.append((p.name, self.resolve_param(rule, p.name, as_of, profile), ""))
            except ParameterError as exc:
                params.append((p.name, None, str(exc)))
        return RuleExplanation(
            rule=rule, ruleset=reg.ruleset.id, ruleset_version=reg.ruleset.version,
            plugin=reg.plugin, plugin_version=reg.plugin_version,
            profile=profile or self.profile_name, as_of=as_of, parameters=tuple(params),
        )

    def _data(self, ruleset: Ruleset, filename: str) -> Any:
        key = (ruleset.id, filename)
        if key not in self._data_cache:
            if ruleset.data_dir is None:
                raise FileNotFoundError(f"ruleset {ruleset.id!r} has no data folder")
            path = Path(ruleset.data_dir) / filename
            if path.suffix == ".toml":
                self._data_cache[key] = read_toml(path)
            else:
                self._data_cache[key] = json.loads(path.read_text(encoding="utf-8"))
        return self._data_cache[key]

    # ------------------------------------------------------------------ evaluation

    def select_rules(self, rulesets: Sequence[str] | None = None, profile: str | None = None
                     ) -> tuple[list[Rule], list[Rule]]:
        """(inference rules in dependency order, check rules by id) for a run."""
        if rulesets:
            for rid in rulesets:
                if rid not in self._rulesets:
                    raise UnknownRulesetError(rid, list(self._rulesets))
            chosen = list(dict.fromkeys(rulesets))
        else:
            named: tuple[str, ...] = ()
            for prof in self._profile_chain(profile or self.profile_name):
                if prof.rulesets:
                    named = prof.rulesets
                    break
            for rid in named:
                if rid not in self._rulesets:
                    raise UnknownRulesetError(rid, list(self._rulesets))
            chosen = list(named) or [
                rid for rid, reg in sorted(self._rulesets.items()) if reg.ruleset.default]
        checks = sorted((r for rid in chosen for r in self._rulesets[rid].ruleset.rules
                         if r.kind is RuleKind.CHECK), key=lambda r: r.id)
        inference = {r.id: r for rid in chosen for r in self._rulesets[rid].ruleset.rules
                     if r.kind is RuleKind.INFERENCE}
        producers: dict[str, list[Rule]] = {}
        for rule, _ in self._rules.values():
            if rule.kind is RuleKind.INFERENCE:
                for kind in rule.produces:
                    producers.setdefault(kind, []).append(rule)
        # Pull in every inference rule that produces a kind a chosen rule reads.
        queue = [k for r in (*checks, *inference.values()) for k in r.reads]
        while queue:
            kind = queue.pop()
            for rule in producers.get(kind, ()):
                if rule.id not in inference:
                    inference[rule.id] = rule
                    queue.extend(rule.reads)
        return self._toposort(list(inference.values())), checks

    @staticmethod
    def _toposort(rules: list[Rule]) -> list[Rule]:
        """Order inference rules so producers run before readers (ties by id)."""
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
        diagnostic and the other rules still run.
        """
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
        prof_name = profile or self.profile_name
        self.profile(prof_name)
        diagnostics: list[Diagnostic] = list(self.load_diagnostics)
        summary: InputSummary
        if hasattr(facts, "diagnostics") and hasattr(facts, "facts"):
            loaded: Any = facts
            diagnostics.extend(loaded.diagnostics)
            factset = FactSet(loaded.facts)
            summary = InputSummary(total=loaded.total, accepted=loaded.accepted,
                                   rejected=loaded.rejected, facts_by_kind=factset.counts())
        else:
            factset = facts if isinstance(facts, FactSet) else FactSet(facts)
            summary = InputSummary(total=len(factset), accepted=len(factset), rejected=0,
                                   facts_by_kind=factset.counts())
        input_digest = factset.digest()
        inference, checks = self.select_rules(rulesets, prof_name)

        resolve = functools.partial(self._resolve_for, profile=prof_name)
        stats: list[RuleStat] = []
        findings: list[Finding] = []
        used: dict[tuple[str, str], ResolvedParam] = {}

        pending: list[Fact] = []
        produced_pending: set[str] = set()
        derived_keys: set[tuple[str, str]] = set()
        all_derived: list[Fact] = []
        for rule in inference:
            if produced_pending & set(rule.reads):
                factset = factset.with_facts(pending)
                pending, produced_pending = [], set()
            stat, items = self._run(rule, factset, as_of, resolve, prof_name, diagnostics, used)
            good = []
            for item in items:
                if not (isinstance(item, Fact) and item.KIND in rule.produces):
                    diagnostics.append(self._rule_error(
                        rule, TypeError(f"yielded {type(item).__name__}, expected one of "
                                        f"{', '.join(rule.produces)}")))
                elif item.key in derived_keys or factset.get(item.KIND, item.id) is not None:
                    diagnostics.append(self._rule_error(
                        rule, ValueError(f"derived fact {item.KIND} {item.id!r} exists already")))
                else:
                    derived_keys.add(item.key)
                    good.append(item)
            pending.extend(good)
            all_derived.extend(good)
            produced_pending.update(rule.produces)
            stats.append(attrs.evolve(stat, derived=len(good)))
        if pending:
            factset = factset.with_facts(pending)

        for rule in checks:
            stat, items = self._run(rule, factset, as_of, resolve, prof_name, diagnostics, used)
            good_findings = []
            for item in items:
                if isinstance(item, Finding):
                    good_findings.append(item)
                else:
                    diagnostics.append(self._rule_error(
                        rule, TypeError(f"yielded {type(item).__name__}, expected a Finding "
                                        f"(use ctx.finding(...))")))
            findings.extend(good_findings)
            stats.append(attrs.evolve(stat, findings=len(good_findings)))

        # Record every declared parameter of the rules that ran, for provenance.
        for stat in stats:
            if stat.status != "ran":
                continue
            rule = self.rule(stat.rule_id)
            for p in rule.parameters:
                key = (rule.id, p.name)
                if key not in used:
                    with contextlib.suppress(ParameterError):
                        used[key] = self.resolve_param(rule, p.name, as_of, prof_name)
        params = tuple(sorted(used.values(), key=lambda r: (r.rule_id, r.name)))
        selected = {self._rules[r.id][1] for r in (*inference, *checks)}
        provenance = Provenance(
            fsrules_version=__version__,
            as_of=as_of,
            profile=prof_name,
            rulesets={rid: self._rulesets[rid].ruleset.version for rid in sorted(selected)},
            plugins={p.name: p.version for p in self.plugins},
            parameter_digest=digest(list(params)),
            input_digest=input_digest,
            parameters=params,
        )
        return Report(
            findings=tuple(sorted(findings, key=Finding.sort_key)),
            diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
            rule_stats=tuple(stats),
            provenance=provenance,
            input=summary,
            derived=tuple(sorted(all_derived, key=lambda f: f.key)),
        )

    def _resolve_for(self, rule: Rule, name: str, on: dt.date, *, profile: str) -> ResolvedParam:
        return self.resolve_param(rule, name, on, profile)

    def _run(
        self,
        rule: Rule,
        facts: FactSet,
        as_of: dt.date,
        resolve: Callable[[Rule, str, dt.date], ResolvedParam],
        profile: str,
        diagnostics: list[Diagnostic],
        used: dict[tuple[str, str], ResolvedParam],
    ) -> tuple[RuleStat, list[Any]]:
        ruleset_id = self._rules[rule.id][1]
        reg = self._rulesets[ruleset_id]
        base = RuleStat(rule_id=rule.id, ruleset=ruleset_id, kind=rule.kind.value,
                        status="ran")
        if not rule.in_force(as_of):
            return attrs.evolve(base, status="not_in_force"), []
        ctx = RuleContext(
            rule=rule, facts=facts, as_of=as_of, resolve=resolve, ruleset=ruleset_id,
            ruleset_version=reg.ruleset.version, plugin=reg.plugin,
            plugin_version=reg.plugin_version, profile=profile,
            data=functools.partial(self._data, reg.ruleset),
        )
        started = time.perf_counter()  # duration only; never part of the canonical report
        try:
            items = call_with_budget(lambda: list(rule.evaluate(ctx)),
                                     seconds=self.rule_budget, rule_id=rule.id)
        except MissingParameterError as exc:
            diagnostics.append(Diagnostic(
                level=DiagnosticLevel.WARNING, code="rule.missing_parameter",
                message=Text(f"规则 {rule.id} 未运行：缺少参数 {exc.parameter}",
                             f"rule {rule.id} did not run: parameter {exc.parameter} is not set"),
                hint=Text(missing_hint_zh(rule.id, str(exc.parameter), profile), str(exc)),
                rule_id=rule.id, plugin=reg.plugin))
            return attrs.evolve(base, status="skipped"), []
        except (RuleBudgetError, EvidenceError) as exc:  # issue 13: D6, D7
            diagnostics.append(budget_diagnostic(exc, plugin=reg.plugin)
                               if isinstance(exc, RuleBudgetError)
                               else evidence_diagnostic(exc, rule_id=rule.id, plugin=reg.plugin))
            return attrs.evolve(base, status="error"), []
        except Exception as exc:  # a failing rule must not stop the others
            diagnostics.append(self._rule_error(rule, exc))
            return attrs.evolve(base, status="error",
                                seconds=time.perf_counter() - started), []
        for (name, _day), resolved in ctx.used.items():
            used.setdefault((rule.id, name), resolved)
        return attrs.evolve(base, seconds=time.perf_counter() - started), items

    def _rule_error(self, rule: Rule, exc: BaseException) -> Diagnostic:
        plugin = self._rulesets[self._rules[rule.id][1]].plugin
        return Diagnostic(
            level=DiagnosticLevel.ERROR, code="rule.error",
            message=Text(f"规则 {rule.id} 运行出错：{type(exc).__name__}: {exc}",
                         f"rule {rule.id} failed: {type(exc).__name__}: {exc}"),
            hint=Text(f"请向插件 {plugin} 的维护者报告此问题",
                      f"report this to the maintainers of plugin {plugin}"),
            rule_id=rule.id, plugin=plugin)

    # ------------------------------------------------------------------ loading

    def load(self, paths: Sequence[str | os.PathLike[str]], *, as_of: dt.date | None = None
             ) -> Any:
        """Load a fact bundle with this engine's fact kinds (see :mod:`fsrules.loading`)."""
        from fsrules.loading import load_bundle

        return load_bundle(paths, kinds=self.fact_kinds, as_of=as_of)
