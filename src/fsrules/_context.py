"""RuleContext: what a rule's evaluate function is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from fsrules._factset import FactSet
from fsrules._findings import FactRef, Finding, Period, Subject
from fsrules._i18n import LANGS, Lang, Text, fill_lenient, placeholders, render
from fsrules._params import ResolvedParam
from fsrules._rules import LegalBasis, Rule
from fsrules.evidence import display, optional_fields, to_mapping
from fsrules.exceptions import EvidenceError
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
        self._title: Text | None = None
        self._names: dict[str, tuple[str, ...]] = {}  # template -> its placeholders

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
        evidence: Any,
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

        ``evidence`` is an instance of the rule's declared evidence type
        (:mod:`fsrules.evidence`); the title and message are the rule's
        templates rendered in both languages from it, the parameters,
        ``subject``, the period's ``start``/``end`` and ``due_date`` (a
        ``status`` field picks a variant from ``messages``). A rule without
        an evidence type passes a mapping and may pass a prebuilt ``message``
        (legacy). ``trigger`` names the evidence keys that identify the
        problem for the fingerprint; when it is not given, the rule's
        declared ``identity`` is used (default: all of them).

        ``legal_basis`` is the finding's own basis, resolved from a parameter (a
        province's article, from the profile's table): it comes first in the
        finding's ``legal_basis``, before the rule's declared bases, and the
        message may cite it as ``{basis}`` (the citation in the message's
        language) and ``{basis_confidence}``.
        """
        # As plain LegalBasis: a subclass's extra fields (a province's in-force day) are
        # not in the report, and a finding read back from JSON must equal this one.
        own = tuple(_plain(b) for b in legal_basis)
        rule = self.rule
        subj = subject if isinstance(subject, Subject) else Subject.of(subject)
        builtins: dict[str, Any] = {"subject": subj.name or subj.id}
        if period is not None:
            builtins.update(start=period.start.isoformat(), end=period.end.isoformat())
        if due_date is not None:
            builtins["due_date"] = due_date.isoformat()
        if rule.evidence is not None:
            if not isinstance(evidence, rule.evidence_types):
                names = " or ".join(t.__name__ for t in rule.evidence_types)
                raise EvidenceError(
                    f"rule {rule.id} declares evidence {names} but passed a "
                    f"{type(evidence).__name__}", key="(evidence)")
            if message is not None:
                raise EvidenceError(f"rule {rule.id} has typed evidence: declare its wording "
                                    "in messages=, not ctx.finding(message=...)",
                                    key="(message)")
            mapping = to_mapping(evidence)
            template = rule.message_for(getattr(evidence, "status", None))
            text = Text(*(self._render(template.get(lang), {**builtins, **_cited(own, lang)},
                                       evidence, lang)
                          for lang in LANGS))
        else:
            mapping = dict(evidence)
            values = {**builtins, **{k: _display(v) for k, v in mapping.items()}}
            if own:  # legacy templates name the citation per language
                values.update(basis_citation=own[0].cite("zh"),
                              basis_citation_en=own[0].cite("en"))
                values.update(_cited(own, "zh"))
            text = fill_lenient(message or rule.message_for(mapping.get("status")), values)
        return Finding(
            rule_id=rule.id,
            rule_version=rule.version,
            ruleset=self._ruleset,
            ruleset_version=self._ruleset_version,
            plugin=self._plugin,
            plugin_version=self._plugin_version,
            severity=severity or rule.severity,
            title=self.title(),
            subject=subj,
            period=period,
            evidence=mapping,
            facts=tuple(facts),
            message=text,
            legal_basis=(*own, *(b for b in rule.legal_basis if b not in own)),
            lead_departments=rule.lead_departments,
            responsible_departments=rule.responsible_departments,
            due_date=due_date,
            trigger=tuple(trigger) or rule.trigger_for(mapping),
            fingerprint_period=fingerprint_period,
        )

    def title(self) -> Text:
        """The rule's title with its parameter placeholders filled (values on ``as_of``)."""
        if self._title is None:
            title = self.rule.title
            names = {*placeholders(title.zh), *placeholders(title.en)}
            self._title = title if not names else Text(*(
                render(title.get(lang), {n: self._param_display(n, lang) for n in names})
                for lang in ("zh", "en")))
        return self._title

    def _param_display(self, name: str, lang: Lang) -> Any:
        return display(self.param(name), lang)

    def _render(self, template: str, builtins: dict[str, Any], evidence: Any,
                lang: Lang) -> str:
        """``template`` in ``lang``: only the values it names are worked out.

        A placeholder is a built-in, else an evidence field or display property
        (an optional field that is None falls back to the parameter of that
        name, else reads ``-``), else a parameter (checked at declaration).
        """
        names = self._names.get(template)
        if names is None:
            names = self._names[template] = tuple(dict.fromkeys(placeholders(template)))
        optional = optional_fields(type(evidence))
        params = {p.name for p in self.rule.parameters}
        values: dict[str, Any] = {}
        for name in names:
            if name in builtins:
                values[name] = builtins[name]
                continue
            value = getattr(evidence, name, _ABSENT)
            if value is _ABSENT or (value is None and name in optional and name in params):
                values[name] = self._param_display(name, lang)
            else:
                values[name] = display(value, lang)
        return render(template, values)


#: An attribute the evidence does not have (the placeholder names a parameter).
_ABSENT = object()


def _plain(basis: LegalBasis) -> LegalBasis:
    if type(basis) is LegalBasis:
        return basis
    return LegalBasis(**{f.name: getattr(basis, f.name) for f in attrs.fields(LegalBasis)})


def _cited(own: tuple[LegalBasis, ...], lang: Lang) -> dict[str, Any]:
    """``{basis}`` and ``{basis_confidence}``: the finding's own first basis, cited in ``lang``."""
    if not own:
        return {}
    return {"basis": own[0].cite(lang), "basis_confidence": own[0].confidence.value}


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
