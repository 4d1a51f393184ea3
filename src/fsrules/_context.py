"""RuleContext: what a rule's evaluate function is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fsrules._factset import FactSet
from fsrules._findings import FactRef, Finding, Period, Subject
from fsrules._i18n import Text
from fsrules._params import ResolvedParam
from fsrules._rules import LegalBasis, Rule
from fsrules.model import Fact, Severity

__all__ = ["RuleContext"]


class RuleContext:
    """The facts, the date and the parameters one rule evaluates with.

    ``ctx.facts`` is the indexed :class:`~fsrules.FactSet` (derived facts
    included; only those inside ``ctx.jurisdiction``), ``ctx.as_of`` the
    evaluation date, ``ctx.param(name)`` a parameter's value in force on
    ``as_of`` (or on another day with ``on=``),
    and ``ctx.finding(...)`` builds a finding with the rule's metadata filled in.
    """

    def __init__(
        self,
        *,
        rule: Rule,
        facts: FactSet,
        as_of: dt.date,
        resolve: Callable[[Rule, str, dt.date], ResolvedParam],
        ruleset: str,
        ruleset_version: str,
        plugin: str,
        plugin_version: str,
        profile: str,
        data: Callable[[str], Any],
        jurisdiction: str | None = None,
    ) -> None:
        self.rule = rule
        self.facts = facts
        self.as_of = as_of
        self.profile = profile
        #: The division-code prefix this rule judges (its ruleset's or the profile's,
        #: the narrower; None: every code). ``ctx.facts`` holds no fact located outside it.
        self.jurisdiction = jurisdiction
        self._resolve = resolve
        self._ruleset = ruleset
        self._ruleset_version = ruleset_version
        self._plugin = plugin
        self._plugin_version = plugin_version
        self._data = data
        self.used: dict[tuple[str, str], ResolvedParam] = {}

    def param(self, name: str, *, on: dt.date | None = None) -> Any:
        """The value of parameter ``name`` in force on ``on`` (default: ``as_of``).

        A structured parameter's value comes parsed (see :attr:`Param.structure`).
        """
        resolved = self._resolve(self.rule, name, on or self.as_of)
        self.used[(name, (on or self.as_of).isoformat())] = resolved
        return resolved.typed

    def data(self, filename: str) -> Any:
        """A parsed data file (TOML or JSON) from the rule's ruleset folder."""
        return self._data(filename)

    def finding(
        self,
        *,
        subject: Subject | Fact,
        evidence: Mapping[str, Any],
        facts: Iterable[Fact | FactRef] = (),
        period: Period | None = None,
        due_date: dt.date | None = None,
        trigger: Iterable[str] = (),
        fingerprint_period: bool = True,
        severity: Severity | None = None,
        message: Text | None = None,
        legal_basis: Iterable[LegalBasis] = (),
    ) -> Finding:
        """A finding of this rule.

        The message is the rule's template filled from ``evidence`` (plus
        ``subject`` and the period's ``start``/``end``). ``trigger`` names the
        evidence keys that identify the problem for the fingerprint; when it
        is not given, the rule's declared ``identity`` is used (default: all
        of them).

        ``legal_basis`` is the finding's own basis, resolved from a parameter (a
        province's article, from the profile's table): it comes first in the
        finding's ``legal_basis``, before the rule's declared bases, and the
        message may cite it as ``{basis_citation}`` (``{basis_citation_en}`` in
        English) and ``{basis_confidence}``.
        """
        subj = subject if isinstance(subject, Subject) else Subject.of(subject)
        own = tuple(legal_basis)
        values: dict[str, Any] = {"subject": subj.name or subj.id}
        if own:
            values.update(basis_citation=own[0].cite("zh"), basis_citation_en=own[0].cite("en"),
                          basis_confidence=own[0].confidence.value)
        if period is not None:
            values.update(start=period.start.isoformat(), end=period.end.isoformat())
        if due_date is not None:
            values["due_date"] = due_date.isoformat()
        values.update({k: _display(v) for k, v in evidence.items()})
        text = (message or self.rule.message).format(values)
        rule = self.rule
        return Finding(
            rule_id=rule.id,
            rule_version=rule.version,
            ruleset=self._ruleset,
            ruleset_version=self._ruleset_version,
            plugin=self._plugin,
            plugin_version=self._plugin_version,
            severity=severity or rule.severity,
            title=rule.title,
            subject=subj,
            period=period,
            evidence=dict(evidence),
            facts=tuple(facts),
            message=text,
            legal_basis=(*own, *(b for b in rule.legal_basis if b not in own)),
            lead_departments=rule.lead_departments,
            responsible_departments=rule.responsible_departments,
            due_date=due_date,
            trigger=tuple(trigger) or rule.trigger_for(evidence),
            fingerprint_period=fingerprint_period,
        )


def _display(value: Any) -> Any:
    """Numbers as people write them in a message: 80 not 80.0, at most 4 decimals.

    Rules round values shown next to a threshold away from it (see the
    built-in rulesets' ``_numbers``), so this rounding never changes them.
    """
    if isinstance(value, float):
        rounded = round(value, 4)
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
