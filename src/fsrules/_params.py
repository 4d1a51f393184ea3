"""Parameters and profiles: thresholds live in data, keyed by effective date.

A value in ``parameters.toml`` or a profile is either plain::

    ["VETO-005"]
    min_pass_rate = 98.0

or wrapped, with a note and/or dated values (OpenFisca style: the value in
force on a day is the one with the latest ``from`` on or before it)::

    ["INFER-INCIDENT-LEVEL"]
    iv_min_ill = { value = 30, note = "lower bound from memory (M)" }
    window_years = { dated = [{ from = "2016-01-01", value = 3 }] }

Resolution order for a rule's parameter: the active profile, its parents
(``extends``), then the ruleset's ``parameters.toml`` — the last only for
values whose confidence is V or C. A parameter with no value anywhere is
missing: the rule does not run, and the report says which profile key to set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._frozen import freeze_parameters
from fsrules._i18n import Text
from fsrules.exceptions import MissingParameterError, ParameterError

if TYPE_CHECKING:
    from fsrules._rules import Rule

__all__ = [
    "DatedValue", "ParamResolver", "Profile", "ResolvedParam", "missing_hint_zh", "parse_values",
    "read_toml",
]


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, naming the file in the error on failure."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: invalid TOML: {exc}", source=str(path)) from exc


@attrs.frozen(kw_only=True)
class DatedValue:
    """A parameter value and the day it takes effect (None: always)."""

    value: Any
    effective_from: dt.date | None = None
    note: str = ""


def parse_values(raw: Any, *, source: str) -> tuple[DatedValue, ...]:
    """Turn a TOML value (plain or wrapped) into dated values, sorted by date."""
    if isinstance(raw, dict) and ("value" in raw or "dated" in raw):
        note = str(raw.get("note", ""))
        if "dated" in raw:
            items = []
            for entry in raw["dated"]:
                if not isinstance(entry, dict) or "value" not in entry or "from" not in entry:
                    raise ParameterError(
                        f"{source}: each dated entry needs 'from' and 'value', got {entry!r}",
                        source=source,
                    )
                start = entry["from"]
                if isinstance(start, str):
                    start = dt.date.fromisoformat(start)
                items.append(DatedValue(value=entry["value"], effective_from=start,
                                        note=str(entry.get("note", note))))
            return tuple(sorted(items, key=lambda d: d.effective_from or dt.date.min))
        return (DatedValue(value=raw["value"], note=note),)
    return (DatedValue(value=raw),)


def value_on(values: tuple[DatedValue, ...], day: dt.date) -> DatedValue | None:
    """The value in force on ``day``: the latest one whose start is on or before it."""
    chosen = None
    for item in values:
        if item.effective_from is None or item.effective_from <= day:
            chosen = item
    return chosen


@attrs.frozen(kw_only=True)
class Profile:
    """A named set of parameter overrides: national default, a province, a county.

    ``jurisdiction`` is the division code prefix the profile is meant for
    (``"13"`` for Hebei); ``rulesets`` lists the rulesets it enables by
    default (empty: the engine's defaults).
    """

    name: str
    title: Text
    # Read-only (issue 13, D11): a loaded profile cannot be changed behind the engine's back.
    parameters: Mapping[str, Mapping[str, tuple[DatedValue, ...]]] = attrs.field(
        factory=dict, converter=freeze_parameters)
    extends: str | None = None
    jurisdiction: str | None = None
    rulesets: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    sources: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    """The file each rule's values came from, where it is not ``source`` (a fragment such
    as ``hebei.three-small.toml``): rule id -> file."""

    def source_of(self, rule_id: str) -> str:
        """The file that sets ``rule_id``'s values in this profile."""
        return self.sources.get(rule_id, self.source)

    @classmethod
    def from_toml(cls, path: Path) -> Profile:
        """Read a profile file (see the module docstring for the format)."""
        data = read_toml(path)
        head = data.get("profile")
        if not isinstance(head, dict) or "name" not in head:
            raise ParameterError(f"{path}: a profile starts with [profile] name = \"...\"",
                                 source=str(path))
        return cls.from_mapping(head, data.get("parameters", {}), source=str(path))

    @classmethod
    def from_mapping(
        cls, head: Mapping[str, Any], parameters: Mapping[str, Mapping[str, Any]], *,
        source: str = "<mapping>", sources: Mapping[str, str] | None = None,
    ) -> Profile:
        """Build a profile from already-parsed data (used by tests and plugins)."""
        params = {
            rule_id: {name: parse_values(raw, source=f"{source} [{rule_id}] {name}")
                      for name, raw in table.items()}
            for rule_id, table in parameters.items()
        }
        name = str(head["name"])
        return cls(
            name=name,
            title=Text(str(head.get("title_zh", name)), str(head.get("title_en", name))),
            parameters=params,
            extends=head.get("extends"),
            jurisdiction=head.get("jurisdiction"),
            rulesets=tuple(head.get("rulesets", ())),
            description=str(head.get("description", "")),
            source=source,
            sources=dict(sources or {}),
        )


@attrs.frozen(kw_only=True)
class ResolvedParam:
    """A parameter's value for one rule on one day, and where it came from."""

    rule_id: str
    name: str
    value: Any
    source: str
    effective_from: dt.date | None = None
    note: str = ""
    parsed: Any = attrs.field(default=None, eq=False, repr=False)
    """The value as its parameter's ``structure`` parsed it (None: no structure)."""

    @property
    def typed(self) -> Any:
        """What ``ctx.param`` returns: the parsed value of a structured parameter, else ``value``."""
        return self.value if self.parsed is None else self.parsed


def missing(rule_id: str, name: str, profile: str, confidence: str) -> MissingParameterError:
    """The error for a required parameter no profile sets."""
    # Never "edit profile national": a pip user cannot (and must not) edit the
    # installed package. A local profile file or fsrules.toml is the way (issue 13).
    return MissingParameterError(
        f"rule {rule_id} needs parameter {name!r} (confidence {confidence}: the regulations "
        f"leave it open, so there is no default); set it in a profile file of your own, e.g. "
        f'county.toml with [profile] extends = "{profile}" and [parameters."{rule_id}"] '
        f"{name} = ..., then run with --profile ./county.toml (or put the "
        f'[parameters."{rule_id}"] table in fsrules.toml)',
        rule_id=rule_id,
        parameter=name,
        source=profile,
    )


def missing_hint_zh(rule_id: str, name: str, profile: str) -> str:
    """The Chinese fix for a missing parameter (see :func:`missing`)."""
    return (f"新建本地配置文件（如 county.toml），写明 [profile] extends = \"{profile}\" 和 "
            f'[parameters."{rule_id}"] {name} = ...，运行时加 --profile ./county.toml'
            f'（或把 [parameters."{rule_id}"] 写入项目的 fsrules.toml）')


def digest(resolved: list[ResolvedParam]) -> str:
    """SHA-256 of the resolved values, independent of order."""
    payload = sorted(
        [r.rule_id, r.name, json.dumps(r.value, sort_keys=True, default=str, ensure_ascii=False)]
        for r in resolved
    )
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


#: Parameter defaults of one ruleset: rule id -> parameter -> dated values.
Defaults = Mapping[str, Mapping[str, tuple[DatedValue, ...]]]


@attrs.frozen(kw_only=True)
class ParamResolver:
    """Resolves rules' parameters under one profile: plain data, so it pickles.

    ``chain`` is the profile and its parents (``extends``), nearest first;
    ``defaults`` maps a rule id to its ruleset id and that ruleset's
    ``parameters.toml`` values for the rule.
    """

    profile: str
    chain: tuple[Profile, ...]
    defaults: Mapping[str, tuple[str, Mapping[str, tuple[DatedValue, ...]]]]

    def resolve(self, rule: Rule, name: str, on: dt.date) -> ResolvedParam:
        """The value of ``rule``'s parameter ``name`` in force on ``on``.

        Raises :class:`~fsrules.exceptions.MissingParameterError` when no
        profile in the chain and (for V/C values) no ruleset default sets it.
        """
        param = rule.param(name)
        for prof in self.chain:
            values = prof.parameters.get(rule.id, {}).get(name)
            if values:
                chosen = value_on(values, on)
                if chosen is not None:
                    try:
                        value = param.coerce(chosen.value)
                        parsed = param.parse(value, f"{rule.id}.{name}")
                    except ValueError as exc:
                        raise ParameterError(
                            f"profile {prof.name!r} ({prof.source_of(rule.id)}): "
                            f"{rule.id}.{name}: {exc}",
                            rule_id=rule.id, parameter=name, source=prof.name) from None
                    return ResolvedParam(rule_id=rule.id, name=name, value=value,
                                         source=f"profile:{prof.name}",
                                         effective_from=chosen.effective_from,
                                         note=chosen.note, parsed=parsed)
        entry = self.defaults.get(rule.id)
        if entry is not None and not param.confidence.needs_profile:
            ruleset, table = entry
            values = table.get(name)
            if values:
                chosen = value_on(values, on)
                if chosen is not None:
                    value = param.coerce(chosen.value)
                    return ResolvedParam(rule_id=rule.id, name=name, value=value,
                                         source=f"ruleset:{ruleset}",
                                         effective_from=chosen.effective_from, note=chosen.note,
                                         parsed=param.parse(value, f"{rule.id}.{name}"))
        raise missing(rule.id, name, self.profile, param.confidence.value)
