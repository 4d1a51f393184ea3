"""Checks of a rule's evidence type and templates, run when the rule is declared.

An unknown placeholder in a title or message, an identity key the evidence
type lacks, or message variants without a ``status`` to choose them raise
:class:`~fsrules.exceptions.RuleDefinitionError` at import, naming the rule,
the language and the placeholder — never a ``{typo}`` in a report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._i18n import LANGS, Lang, Text, fill_lenient, placeholders
from fsrules.evidence import (
    display,
    display_properties,
    evidence_fields,
    is_evidence_type,
    type_name,
)
from fsrules.exceptions import RuleDefinitionError

if TYPE_CHECKING:
    from fsrules._rules import Rule

__all__ = ["MESSAGE_BUILTINS", "check_templates", "evidence_outline", "resolved_title"]

#: Placeholders every message template may use, besides evidence fields and parameters.
MESSAGE_BUILTINS = ("subject", "start", "end", "due_date", "basis", "basis_confidence")
"""``basis`` and ``basis_confidence`` cite the finding's own legal basis
(``ctx.finding(legal_basis=[...])``), in the message's language."""

#: ``identity`` value meaning "every evidence key identifies the problem".
_ALL_EVIDENCE = "*"


def check_templates(rule: Rule, where: str, params: list[str]) -> None:
    """Evidence type, identity and template placeholders, checked at declaration."""
    fields: tuple[str, ...] | None = None
    if rule.evidence is not None:
        bad = [t for t in rule.evidence_types if not is_evidence_type(t)]
        if bad or not rule.evidence_types:
            raise RuleDefinitionError(
                f"{where}: evidence={rule.evidence!r} is not a class made with "
                "@fsrules.evidence.evidence (or a tuple of them)", rule_id=rule.id)
        fields = tuple(dict.fromkeys(f for t in rule.evidence_types
                                     for f in (*evidence_fields(t), *display_properties(t))))
        primary = evidence_fields(rule.evidence_types[0])
        missing = [k for k in rule.identity or () if k != _ALL_EVIDENCE and k not in primary]
        if missing:
            raise RuleDefinitionError(
                f"{where}: identity names {', '.join(missing)}, which the evidence type "
                f"{rule.evidence_types[0].__name__} does not have", rule_id=rule.id)
    for lang in LANGS:
        unknown = sorted(set(placeholders(rule.title.get(lang))) - set(params))
        if unknown:
            raise RuleDefinitionError(
                f"{where}: the {lang} title names {{{unknown[0]}}}, which is not a declared "
                "parameter (titles are templates over parameters only)", rule_id=rule.id)
    if fields is None:
        return  # legacy dict evidence: its keys are not known before it runs
    known = {*MESSAGE_BUILTINS, *fields, *params}
    for status, text in (("", rule.message), *rule.messages):
        for lang in LANGS:
            unknown = sorted(set(placeholders(text.get(lang))) - known)
            if unknown:
                variant = f"message for status {status!r}" if status else "message"
                raise RuleDefinitionError(
                    f"{where}: the {lang} {variant} names {{{unknown[0]}}}, which is neither "
                    f"an evidence field or property, a "
                    f"parameter nor one of {', '.join(MESSAGE_BUILTINS)}", rule_id=rule.id)
    if rule.messages and "status" not in fields:
        raise RuleDefinitionError(
            f"{where}: messages= are chosen by the evidence's status field, which "
            "no evidence type of the rule has",
            rule_id=rule.id)


def resolved_title(rule: Rule, params: Sequence[Mapping[str, Any]]) -> Text:
    """The rule's title with its parameter placeholders filled from the resolved values.

    A parameter without a value (a profile must set it) stays as ``{name}``.
    """
    def fill(template: str, lang: Lang) -> str:
        values = {p["name"]: display(p["value"], lang) for p in params
                  if p["value"] is not None}
        return fill_lenient(Text(template, template), values).zh

    return Text(fill(rule.title.zh, "zh"), fill(rule.title.en, "en"))


def evidence_outline(rule: Rule) -> list[dict[str, str]]:
    """The evidence fields of ``rule`` (name and type, for the catalogue); [] when untyped.

    Fields of every evidence type, in order, each once; an optional field's
    type ends in ``= None`` (it is left out of the evidence when None).
    """
    seen: dict[str, str] = {}
    for cls in rule.evidence_types:
        for field in attrs.fields(cls):
            optional = " = None" if field.default is None else ""
            seen.setdefault(field.name, type_name(field.type) + optional)
    return [{"name": k, "type": v} for k, v in seen.items()]
