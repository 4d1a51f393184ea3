"""Structured parameters are checked when the catalogue loads (issue 12, item 3).

A :class:`~fsrules.Param` with a ``structure`` (a province's table of typed
entries, say) is parsed from every value any registered profile or ruleset
``parameters.toml`` gives it — every dated value, not only today's — as the
catalogue is built. A malformed table therefore fails at load, with a
:class:`~fsrules.exceptions.ParameterError` naming the file, the profile,
and the key at fault, instead of passing a strict load and failing the rule
during evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from fsrules._params import DatedValue, Profile
from fsrules._rules import Param, Rule, Ruleset
from fsrules.exceptions import ParameterError

__all__ = ["check_structured"]


def _values(table: Mapping[str, Mapping[str, tuple[DatedValue, ...]]], rule: Rule
            ) -> Iterator[tuple[Param, DatedValue]]:
    values = table.get(rule.id, {})
    for param in rule.parameters:
        if param.structure is not None:
            for dated in values.get(param.name, ()):
                yield param, dated


def _check(rule: Rule, param: Param, dated: DatedValue, where: str) -> None:
    try:
        param.parse(param.coerce(dated.value), f"{rule.id}.{param.name}")
    except ValueError as exc:
        since = "" if dated.effective_from is None else f" (from {dated.effective_from})"
        raise ParameterError(f'{where}: [parameters."{rule.id}"] {param.name}{since}: {exc}',
                             rule_id=rule.id, parameter=param.name, source=where) from None


def check_structured(rules: Mapping[str, Rule], rulesets: Mapping[str, Ruleset],
                     defaults: Mapping[str, Mapping[str, Mapping[str, tuple[DatedValue, ...]]]],
                     profiles: Mapping[str, Profile]) -> None:
    """Parse every value of every structured parameter; raise on the first bad one.

    ``rules`` maps rule id to rule, ``rulesets`` ruleset id to ruleset (for the
    name of its ``parameters.toml``), ``defaults`` ruleset id to that file's
    values, ``profiles`` name to profile.
    """
    structured = {rid: r for rid, r in rules.items()
                  if any(p.structure is not None for p in r.parameters)}
    if not structured:
        return
    for ruleset_id, table in sorted(defaults.items()):
        data_dir = rulesets[ruleset_id].data_dir if ruleset_id in rulesets else None
        where = str(Path(data_dir) / "parameters.toml") if data_dir else ruleset_id
        for rule_id in sorted(table):
            if rule_id in structured:
                for param, dated in _values(table, structured[rule_id]):
                    _check(structured[rule_id], param, dated, where)
    for name, profile in sorted(profiles.items()):
        for rule_id in sorted(profile.parameters):
            if rule_id in structured:
                where = f"{profile.source_of(rule_id)} (profile {name!r})"
                for param, dated in _values(profile.parameters, structured[rule_id]):
                    _check(structured[rule_id], param, dated, where)
