"""Configuration without a plugin: a local profile file and a project config (issue 13).

A **local profile** is a TOML file that extends a registered profile::

    [profile]
    name = "county"            # optional; default: the file name
    extends = "hebei"          # required: a built-in or plugin profile

    [parameters."BAOBAO-004"]
    visits_per_year = { value = { A = 4, B = 4, C = 2, D = 1 }, note = "县局2024年决定" }

A **project config** is ``fsrules.toml`` or the ``[tool.fsrules]`` table of
``pyproject.toml``, found in the working directory or the nearest parent
that has one. Its keys are defaults for the command line (an option given on
the command line wins)::

    profile = "hebei"                 # a profile name, or a local profile file
    rulesets = ["veto", "risk"]
    as_of = 2023-12-31
    output = "reports/问题清单.xlsx"
    format = "xlsx"
    fail_on = "high"
    lang = "zh"
    rule_budget = 60                  # seconds one rule may run
    waivers = "waivers.toml"          # reserved: read by a later release
    store = ".fsrules"                # reserved: read by a later release

    [parameters."BAOBAO-004"]         # overrides on top of the chosen profile
    visits_per_year = { value = { A = 4, B = 4, C = 2, D = 1 } }

Paths are relative to the file that names them.

**Verified legal thresholds** (numeric parameters of confidence V, such as
VETO-005's 98 % pass rate) are the law, not a local choice. A file that
changes one must say so, with the reason, in an ``[acknowledge]`` table::

    [acknowledge."VETO-005"]
    min_pass_rate = "试点期间经县食安委同意暂按0执行（2024-03-01会议纪要）"

Without it the file is refused (:class:`~fsrules.exceptions.ConfigError`).
With it, every finding of the rule says so and the report carries a warning
diagnostic naming the parameter, the legal value and the value used
(:func:`annotate_report`). Nothing here prints; the CLI does.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules._params import Profile, parse_values
from fsrules._report import Report
from fsrules._rules import Confidence
from fsrules.exceptions import ConfigError, FsrulesError
from fsrules.hookspecs import hookimpl

__all__ = [
    "CONFIG_KEYS",
    "LocalProfile",
    "Override",
    "ProjectConfig",
    "annotate_report",
    "find_config",
    "is_profile_file",
    "load_config",
    "plugin_profile_overrides",
    "read_local_profile",
    "verified_overrides",
]

#: Keys of a project config and what each must be.
CONFIG_KEYS: dict[str, str] = {
    "profile": "a profile name or a .toml file",
    "rulesets": "a list of ruleset ids",
    "as_of": "a date (2023-12-31)",
    "output": "a file name",
    "format": "an output format name",
    "fail_on": "a severity (info, low, medium, high, critical, none)",
    "lang": "zh or en",
    "rule_budget": "seconds (a positive number)",
    "waivers": "a file name (reserved)",
    "store": "a folder name (reserved)",
    "parameters": "a table of rule tables",
    "acknowledge": "a table of rule tables of reasons",
}
_SEVERITIES = ("info", "low", "medium", "high", "critical", "none")


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", source=str(path),
                          zh=f"{path}：不是有效的 TOML：{exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror or exc}",
                          source=str(path),
                          zh=f"{path}：无法读取文件：{exc.strerror or exc}") from None


def is_profile_file(value: str) -> bool:
    """True when a ``--profile`` value names a file rather than a registered profile."""
    return value.endswith(".toml") or "/" in value or "\\" in value


# --------------------------------------------------------------------------- local profiles


@attrs.frozen(kw_only=True)
class LocalProfile:
    """A profile read from a user's file, with the thresholds it acknowledges changing."""

    profile: Profile
    acknowledged: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def plugin(self) -> object:
        """A plugin object registering this profile (pass it to ``Engine(plugins=[...])``)."""
        return _ProfilePlugin(self.profile)


class _ProfilePlugin:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.__name__ = f"local-profile:{profile.name}"

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(self.profile)


def _tables(data: Any, what: str, source: str) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(f"{source}: [{what}] must hold one table per rule, e.g. "
                          f'[{what}."VETO-005"]', source=source, key=what,
                          zh=f'{source}：[{what}] 下应为每条规则一个表，如 [{what}."VETO-005"]')
    return {str(k): dict(v) for k, v in data.items()}


def _acknowledged(data: Any, source: str) -> dict[str, dict[str, str]]:
    tables = _tables(data, "acknowledge", source)
    for rule_id, table in tables.items():
        for name, reason in table.items():
            if not isinstance(reason, str) or not reason.strip():
                raise ConfigError(
                    f"{source}: acknowledge.{rule_id}.{name} must be the reason for the change "
                    "(non-empty text: who decided it, when)", source=source,
                    key=f"acknowledge.{rule_id}.{name}",
                    zh=f"{source}：acknowledge.{rule_id}.{name} 应写明修改理由（谁、何时决定）")
    return tables


def _profile(name: str, extends: str, parameters: Any, source: str, title: str = "") -> Profile:
    tables = _tables(parameters, "parameters", source)
    try:
        for rule_id, table in tables.items():
            for pname, raw in table.items():
                parse_values(raw, source=f"{source} [{rule_id}] {pname}")
        return Profile.from_mapping({"name": name, "extends": extends,
                                     "title_zh": title or name, "title_en": title or name},
                                    tables, source=source)
    except (FsrulesError, ValueError, TypeError) as exc:
        raise ConfigError(f"{source}: {exc}", source=source,
                          zh=f"{source}：参数设置无效：{exc}") from None


def read_local_profile(path: Path) -> LocalProfile:
    """Read a local profile file; it must ``extends`` a registered profile."""
    source = str(path)
    if not path.is_file():
        raise ConfigError(f"profile file {source} does not exist (a --profile value ending in "
                          ".toml or holding a / is read as a file)", source=source,
                          zh=f"配置文件 {source} 不存在（--profile 的值以 .toml 结尾或含有 / "
                             "时按文件读取）")
    data = _read(path)
    unknown = sorted(set(data) - {"profile", "parameters", "acknowledge"})
    if unknown:
        raise ConfigError(f"{source}: unknown table(s) {', '.join(unknown)}; a profile file "
                          "holds [profile], [parameters.\"RULE\"] and [acknowledge.\"RULE\"]",
                          source=source, key=unknown[0],
                          zh=f"{source}：未知的表 {'、'.join(unknown)}；配置文件只含 [profile]、"
                             "[parameters.\"规则\"] 和 [acknowledge.\"规则\"]")
    head = data.get("profile", {})
    if not isinstance(head, dict) or not isinstance(head.get("extends"), str):
        raise ConfigError(
            f"{source}: a profile file needs [profile] extends = \"national\" (or another "
            "built-in profile such as hebei): it changes some values of that profile",
            source=source, key="profile.extends",
            zh=f"{source}：配置文件须在 [profile] 中写明 extends = \"national\"（或 hebei 等"
               "内置配置文件）：它只修改该配置文件的部分取值")
    name = str(head.get("name") or path.stem)
    profile = _profile(name, head["extends"], data.get("parameters", {}), source,
                       str(head.get("title", "")))
    return LocalProfile(profile=profile,
                        acknowledged=_acknowledged(data.get("acknowledge", {}), source))


# --------------------------------------------------------------------------- project config


@attrs.frozen(kw_only=True)
class ProjectConfig:
    """The settings of ``fsrules.toml`` / ``[tool.fsrules]`` (all optional)."""

    source: str
    profile: str | None = None
    rulesets: tuple[str, ...] = ()
    as_of: dt.date | None = None
    output: str | None = None
    format: str | None = None
    fail_on: str | None = None
    lang: str | None = None
    rule_budget: float | None = None
    waivers: Path | None = None
    """Reserved for the waiver list of a later release; validated, not yet read."""
    store: Path | None = None
    """Reserved for the findings store of a later release; validated, not yet read."""
    parameters: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    acknowledged: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def defaults(self) -> dict[str, Any]:
        """Command-line defaults (option name → value) for the keys the file sets."""
        out: dict[str, Any] = {}
        for key in ("profile", "as_of", "output", "fail_on"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.format is not None:
            out["fmt_name"] = self.format
        if self.rulesets:
            out["rulesets"] = self.rulesets
        if self.rule_budget is not None:
            out["rule_budget"] = self.rule_budget
        return out

    def overrides_profile(self, base: str) -> LocalProfile | None:
        """The ``[parameters]`` of the file as a profile on top of ``base`` (None if none)."""
        if not self.parameters:
            return None
        profile = _profile(f"{base}+{Path(self.source).name}", base, self.parameters,
                           self.source)
        return LocalProfile(profile=profile, acknowledged=self.acknowledged)


def find_config(start: Path) -> Path | None:
    """``fsrules.toml``, or a ``pyproject.toml`` with ``[tool.fsrules]``, in ``start`` or above."""
    for folder in (start, *start.parents):
        candidate = folder / "fsrules.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "fsrules" in data["tool"]:
                return pyproject
    return None


def _expect(ok: bool, source: str, key: str) -> None:
    if not ok:
        raise ConfigError(f"{source}: {key} must be {CONFIG_KEYS[key]}", source=source, key=key,
                          zh=f"{source}：{key} 的值无效，应为 {CONFIG_KEYS[key]}")


def load_config(path: Path) -> ProjectConfig:
    """Read and validate a project config (``fsrules.toml`` or a pyproject's ``[tool.fsrules]``)."""
    source = str(path)
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("fsrules", {})
        source = f"{path} [tool.fsrules]"
        if not isinstance(data, dict):
            raise ConfigError(f"{source} must be a table", source=source)
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; known keys: "
                          f"{', '.join(CONFIG_KEYS)}", source=source, key=unknown[0],
                          zh=f"{source}：未知的设置 {'、'.join(unknown)}；可用的设置："
                             f"{'、'.join(CONFIG_KEYS)}")
    here = path.parent
    values: dict[str, Any] = {}
    for key in ("profile", "output", "format", "lang", "fail_on", "waivers", "store"):
        if key in data:
            _expect(isinstance(data[key], str) and bool(data[key].strip()), source, key)
            values[key] = data[key]
    if "lang" in values:
        _expect(values["lang"] in ("zh", "en"), source, "lang")
    if "fail_on" in values:
        _expect(values["fail_on"] in _SEVERITIES, source, "fail_on")
    if "profile" in values and is_profile_file(values["profile"]):
        values["profile"] = str(here / values["profile"])
    for key in ("output", "waivers", "store"):
        if key in values:
            resolved = here / values[key]
            values[key] = str(resolved) if key == "output" else resolved
    if "rulesets" in data:
        _expect(isinstance(data["rulesets"], list)
                and all(isinstance(r, str) for r in data["rulesets"]), source, "rulesets")
        values["rulesets"] = tuple(data["rulesets"])
    if "as_of" in data:
        raw = data["as_of"]
        if isinstance(raw, str):
            try:
                raw = dt.date.fromisoformat(raw)
            except ValueError:
                raw = None
        _expect(isinstance(raw, dt.date) and not isinstance(raw, dt.datetime), source, "as_of")
        values["as_of"] = raw
    if "rule_budget" in data:
        raw = data["rule_budget"]
        _expect(isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0,
                source, "rule_budget")
        values["rule_budget"] = float(raw)
    parameters = _tables(data.get("parameters", {}), "parameters", source)
    acknowledged = _acknowledged(data.get("acknowledge", {}), source)
    return ProjectConfig(source=source, parameters=parameters, acknowledged=acknowledged,
                         **values)


# --------------------------------------------------------------------------- verified overrides


@attrs.frozen(kw_only=True)
class Override:
    """A verified legal threshold a user's file changed, with the reason it gave."""

    rule_id: str
    name: str
    legal: Any
    used: Any
    profile: str
    reason: str


def verified_overrides(engine: Any, local: LocalProfile, *, on: dt.date | None = None,
                       refuse: bool = True) -> list[Override]:
    """Every numeric V parameter ``local`` sets to a value other than its base profile's.

    Raises :class:`~fsrules.exceptions.ConfigError` for the first one the
    file does not acknowledge (with ``refuse`` false — a plugin's profile,
    which has no file to acknowledge in — it is returned with an empty
    reason instead). ``engine`` must know the profile ``local`` extends;
    ``on`` is the day compared (default: each value's own date).
    """
    prof = local.profile
    base = prof.extends
    out: list[Override] = []
    if base is None:
        return out
    rules = engine.rules
    for rule_id, table in sorted(prof.parameters.items()):
        rule = rules.get(rule_id)
        if rule is None:
            continue  # reported by the engine's own profile validation
        for name, values in sorted(table.items()):
            try:
                param = rule.param(name)
            except KeyError:
                continue
            if param.confidence is not Confidence.VERIFIED or param.type not in ("int",
                                                                                  "float"):
                continue
            for item in values:
                day = on or item.effective_from or dt.date(9999, 12, 31)
                try:
                    legal = engine.resolve_param(rule, name, day, base).value
                except FsrulesError:
                    continue
                try:
                    used = param.coerce(item.value)
                except ValueError as exc:
                    raise ConfigError(f"{prof.source}: {rule_id}.{name}: {exc}",
                                      source=prof.source, key=f"{rule_id}.{name}") from None
                if used == legal:
                    continue
                reason = local.acknowledged.get(rule_id, {}).get(name)
                if reason is None and not refuse:
                    reason = ""
                if reason is None:
                    raise ConfigError(
                        f"{prof.source}: {rule_id}.{name} is a verified legal threshold "
                        f"({legal!r} in profile {base!r}); this file sets it to {used!r}. "
                        f"If that is intended, say why: add [acknowledge.\"{rule_id}\"] "
                        f"{name} = \"reason (who decided, when)\" to the file",
                        source=prof.source, key=f"{rule_id}.{name}",
                        zh=f"{prof.source}：{rule_id}.{name} 是已核实的法定标准（配置文件 "
                           f"{base} 中为 {legal!r}），本文件改为 {used!r}。如确需修改，请在文件中"
                           f"加上 [acknowledge.\"{rule_id}\"] {name} = \"理由（谁、何时决定）\"")
                out.append(Override(rule_id=rule_id, name=name, legal=legal, used=used,
                                    profile=prof.name, reason=reason))
    return out


def plugin_profile_overrides(engine: Any, profile: str, local: list[str]) -> list[Override]:
    """Verified thresholds changed by the non-local profiles in ``profile``'s chain.

    A plugin's profile cannot acknowledge a change, but it must not be
    silent either: each change is returned (with an empty reason) so that
    :func:`annotate_report` shows it. ``local`` names the local profiles,
    already checked by :func:`verified_overrides`.
    """
    out: list[Override] = []
    seen: set[str] = set()
    current: str | None = profile
    while current is not None and current not in seen and current in engine.profiles:
        seen.add(current)
        prof = engine.profiles[current]
        if current not in local:
            out.extend(verified_overrides(engine, LocalProfile(profile=prof), refuse=False))
        current = prof.extends
    return out


def _override_text(o: Override) -> Text:
    why_zh = f"理由：{o.reason}" if o.reason else "未说明理由"
    why_en = f"reason: {o.reason}" if o.reason else "no reason given"
    return Text(
        f"注意：{o.rule_id}.{o.name} 为已核实的法定标准 {o.legal}，配置文件 {o.profile} 改为 "
        f"{o.used}（{why_zh}）",
        f"note: {o.rule_id}.{o.name} is a verified legal threshold of {o.legal}; profile "
        f"{o.profile} changed it to {o.used} ({why_en})")


def annotate_report(report: Report, overrides: list[Override]) -> Report:
    """``report`` with each override shown on the rule's findings and as a warning diagnostic."""
    if not overrides:
        return report
    by_rule: dict[str, list[Override]] = {}
    for o in overrides:
        by_rule.setdefault(o.rule_id, []).append(o)
    findings = []
    for finding in report.findings:
        notes = by_rule.get(finding.rule_id)
        if notes:
            texts = [_override_text(o) for o in notes]
            message = Text(finding.message.zh + "（" + "；".join(t.zh for t in texts) + "）",
                           finding.message.en + " (" + "; ".join(t.en for t in texts) + ")")
            finding = attrs.evolve(finding, message=message)
        findings.append(finding)
    warnings = [Diagnostic(level=DiagnosticLevel.WARNING, code="profile.verified_override",
                           message=_override_text(o), rule_id=o.rule_id,
                           hint=Text("法定标准被本地配置修改：结果不代表按法定标准的评价",
                                     "a legal threshold was changed locally: the result is not "
                                     "an assessment against the law")) for o in overrides]
    diagnostics = sorted([*report.diagnostics, *warnings], key=Diagnostic.sort_key)
    return attrs.evolve(report, findings=tuple(findings), diagnostics=tuple(diagnostics))
