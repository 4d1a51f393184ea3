"""The plugin host: one pluggy manager, staged registration, load failures.

The host imports and registers plugins, calls their registration hooks one
implementation at a time (committing what an implementation registered only
if it returns), reports a broken plugin as a load diagnostic instead of
failing (unless strict), and hands the result over as an immutable
:class:`~fsrules.Catalogue`. Nothing of the host (no module, no pluggy
object) ends up in the catalogue.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from typing import Any, cast

import attrs
import pluggy

from fsrules import hookspecs
from fsrules._budget import PluginAbort, call_trapping
from fsrules._catalogue import Catalogue, RegisteredRuleset
from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules._params import DatedValue, Profile
from fsrules._params import parse_values as _parse_values
from fsrules._plugins import Candidate, builtin_modules, entry_point_candidates
from fsrules._report import PluginInfo
from fsrules._rules import Rule, Ruleset
from fsrules._version import __version__
from fsrules._writers import OutputFormat
from fsrules.exceptions import (
    DuplicateRegistrationError,
    FsrulesError,
    ParameterError,
    PluginLoadError,
    RuleDefinitionError,
    UnknownFactKindError,
)
from fsrules.model import Fact

__all__ = ["PluginHost"]

_HOOK_PREFIX = "fsrules_"


class _Staging:
    """Items one hook implementation registered, committed only if it returns."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def __call__(self, item: Any) -> None:
        self.items.append(item)


class PluginHost:
    """Loads plugins into registries; :meth:`catalogue` freezes them.

    Args: as :func:`fsrules.load_catalogue`.
    """

    def __init__(
        self,
        *,
        plugins: Iterable[object] = (),
        builtins: bool = True,
        entry_points: bool = False,
        allowed_plugins: Collection[str] | None = None,
        strict: bool = False,
    ) -> None:
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
        self._defaults_cache: dict[str, dict[str, dict[str, tuple[DatedValue, ...]]]] = {}

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

    def catalogue(self) -> Catalogue:
        """The immutable catalogue of everything registered."""
        return Catalogue(
            fact_kinds=dict(sorted(self._fact_kinds.items())),
            rulesets=dict(sorted(self._rulesets.items())),
            rules=dict(sorted(self._rules.items())),
            profiles=dict(sorted(self._profiles.items())),
            formats=dict(sorted(self._formats.items())),
            plugin_info=dict(sorted(self._plugin_info.items())),
            load_diagnostics=tuple(self.load_diagnostics),
            defaults=dict(sorted(self._defaults_cache.items())),
        )

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

