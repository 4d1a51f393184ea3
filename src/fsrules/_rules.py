"""The rules API: what a rule declares before it sees any fact.

A rule is a frozen :class:`Rule` holding its metadata and an ``evaluate``
function. Authors write the function and declare the metadata with the
:func:`rule` decorator; a :class:`Ruleset` groups rules with the data folder
their parameter defaults live in. Because everything is declared up front,
the catalogue is known before any fact is seen, and "ran and found nothing"
differs from "did not run".
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._i18n import Text
from fsrules._templates import check_templates
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import Fact, Severity

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = [
    "Confidence",
    "LegalBasis",
    "Param",
    "Rule",
    "RuleKind",
    "Ruleset",
    "derivation",
    "revisions",
    "rule",
]

#: ``identity`` value meaning "every evidence key identifies the problem".
ALL_EVIDENCE = "*"

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_RULESET_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_PARAM = re.compile(r"^[a-z][a-z0-9_]*$")


class Confidence(enum.Enum):
    """How sure we are of a regulatory value (shared/domain/regulations.md).

    ``V`` verified in the primary text, ``C`` corroborated, ``M`` from
    memory, ``?`` not found. V and C values may have ruleset defaults; M and
    ? values must be set by a profile.
    """

    VERIFIED = "V"
    CORROBORATED = "C"
    MEMORY = "M"
    NOT_FOUND = "?"

    @property
    def needs_profile(self) -> bool:
        """True for M and ?: no silent default is allowed."""
        return self in (Confidence.MEMORY, Confidence.NOT_FOUND)


def _confidence(value: Confidence | str) -> Confidence:
    return value if isinstance(value, Confidence) else Confidence(value)


@attrs.frozen(kw_only=True)
class LegalBasis:
    """Where a rule comes from: instrument, article and item, version, jurisdiction.

    ``article`` is ``None`` when the article number is not known; say so in
    ``note`` rather than guessing one. ``article_en`` is the English form of
    article and item together (``"Art. 102"``), used in English citations.
    """

    instrument: str
    instrument_en: str = ""
    article: str | None = None
    item: str | None = None
    article_en: str | None = None
    version_date: dt.date | None = None
    jurisdiction: str = "CN"
    url: str | None = None
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=_confidence)
    note: str = ""

    def cite(self, lang: str = "zh") -> str:
        """A one-line citation, e.g. ``《食品安全法》第一百零二条``."""
        name = self.instrument if lang == "zh" or not self.instrument_en else self.instrument_en
        parts = [name]
        if lang != "zh" and self.article_en:
            parts.append(self.article_en)
        else:
            parts.extend(p for p in (self.article, self.item) if p)
        if self.version_date and lang != "zh":
            parts.append(f"({self.version_date.isoformat()})")
        elif self.version_date:
            parts.append(f"（{self.version_date.isoformat()}版）")
        return " ".join(parts)


_PARAM_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "date": (dt.date,),
    "list": (list, tuple),
    "table": (dict, list, tuple),
}


@attrs.frozen(kw_only=True)
class Param:
    """A typed parameter a rule reads (a threshold, a window, a term list).

    The *value* is not here: it comes from the ruleset's ``parameters.toml``
    (for V and C values) or from a profile (always possible, and required
    for M and ? values). ``type`` is one of ``int``, ``float``, ``str``,
    ``bool``, ``date``, ``list`` and ``table``; a ``table`` may declare its
    ``structure`` (typed entries checked when the catalogue loads).
    """

    name: str
    type: str
    description: Text
    unit: str = ""
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=_confidence)
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    structure: Callable[[Any, str], Any] | None = attrs.field(default=None, eq=False,
                                                             repr=False)
    """For a structured parameter (a table of typed entries): parses the checked value into
    its typed form, raising :class:`ValueError` naming the key at fault (``where`` is
    ``"RULE.param"``). Every profile's and ruleset's value is parsed when the catalogue
    loads, so a bad table fails then, naming file and key; ``ctx.param`` returns the
    parsed value."""

    def __attrs_post_init__(self) -> None:
        if not _PARAM.match(self.name):
            raise RuleDefinitionError(f"parameter name {self.name!r} must be snake_case")
        if self.type not in _PARAM_TYPES:
            raise RuleDefinitionError(
                f"parameter {self.name!r} has type {self.type!r}; use one of "
                f"{', '.join(_PARAM_TYPES)}"
            )

    def coerce(self, value: Any) -> Any:
        """Check and convert ``value`` (from TOML) to this parameter's type.

        Raises :class:`ValueError` saying what was expected.
        """
        if self.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        expected = _PARAM_TYPES[self.type]
        if isinstance(value, bool) and self.type in ("int", "float"):
            raise ValueError(f"expected {self.type}, got a boolean")
        if not isinstance(value, expected):
            raise ValueError(f"expected {self.type}, got {type(value).__name__} {value!r}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{value} is below the minimum {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{value} is above the maximum {self.maximum}")
        if self.choices and value not in self.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(self.choices)}")
        if isinstance(value, list):
            value = tuple(value)
        return value

    def parse(self, value: Any, where: str) -> Any:
        """``value`` (already :meth:`coerce`-d) in its typed form (itself without ``structure``)."""
        return value if self.structure is None else self.structure(value, where)


class RuleKind(enum.Enum):
    """Derivations (inference rules) add derived facts; check rules emit findings."""

    INFERENCE = "inference"
    CHECK = "check"

    #: The newer name of an inference rule: a derivation.
    DERIVATION = "inference"  # noqa: PIE796 -- an alias of INFERENCE


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(value or ())


def _text(value: Text | tuple[str, str] | Sequence[str]) -> Text:
    if isinstance(value, Text):
        return value
    zh, en = value
    return Text(zh, en)


def _identity(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _messages(value: Mapping[str, Text | tuple[str, str]] | Iterable[tuple[str, Text]] | None
              ) -> tuple[tuple[str, Text], ...]:
    items = value.items() if isinstance(value, Mapping) else (value or ())
    return tuple(sorted((str(k), _text(v)) for k, v in items))




def _severity(value: Severity | str) -> Severity:
    return Severity.parse(value)


@attrs.frozen(kw_only=True)
class Rule:
    """A rule's metadata and its evaluate function.

    ``evaluate(ctx)`` receives a :class:`~fsrules.RuleContext`; a check rule
    yields findings built with ``ctx.finding(...)``, an inference rule yields
    derived facts (instances of the kinds it ``produces``).
    """

    id: str
    version: str
    title: Text = attrs.field(converter=_text)
    severity: Severity = attrs.field(converter=_severity)
    reads: tuple[str, ...] = attrs.field(converter=_tuple)
    legal_basis: tuple[LegalBasis, ...] = attrs.field(converter=_tuple)
    message: Text = attrs.field(converter=_text)
    evaluate: Callable[[RuleContext], Iterable[Any]] = attrs.field(repr=False, eq=False)
    kind: RuleKind = RuleKind.CHECK
    produces: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    parameters: tuple[Param, ...] = attrs.field(default=(), converter=_tuple)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    lead_departments: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    responsible_departments: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    description: Text | None = None
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    grain: str | None = None
    """What one finding is about: ``"operator"``, ``"region"`` or another subject kind
    (the ``kind`` of :class:`~fsrules.Subject`, e.g. ``"staff"``); None: undeclared."""
    identity: tuple[str, ...] | None = attrs.field(default=None, converter=_identity)
    """The evidence keys that identify the problem (the fingerprint's trigger);
    ``("*",)`` means every evidence key; None: undeclared."""
    reduce: Callable[[Sequence[Fact]], Iterable[Fact]] | None = attrs.field(
        default=None, repr=False, eq=False)
    """For a derivation whose facts aggregate a region: combines the facts derived in
    several partitions (e.g. counties) into the facts of their parent region."""
    evidence: type | tuple[type, ...] | None = None
    """The evidence type (a class made with :func:`fsrules.evidence.evidence`), or a
    tuple of them when findings of different statuses carry different evidence
    (the first is the main one: ``identity`` names its fields); None: the rule
    still hands ``ctx.finding`` a plain mapping (legacy)."""
    messages: tuple[tuple[str, Text], ...] = attrs.field(default=(), converter=_messages)
    """Message variants keyed by the evidence's ``status`` value (default: ``message``)."""

    @property
    def evidence_types(self) -> tuple[type, ...]:
        """The declared evidence types (empty for legacy dict evidence)."""
        if self.evidence is None:
            return ()
        return self.evidence if isinstance(self.evidence, tuple) else (self.evidence,)

    def message_for(self, status: Any) -> Text:
        """The message template for a finding whose evidence ``status`` is ``status``."""
        key = getattr(status, "value", status)
        for name, text in self.messages:
            if name == key:
                return text
        return self.message

    revisions: tuple[Rule, ...] = attrs.field(default=(), converter=_tuple, repr=False,
                                              eq=False)
    """Every dated revision of this rule, oldest first (see :func:`revisions`); empty
    for a rule with a single revision."""

    @property
    def shape(self) -> Any:
        """The :mod:`fsrules.shapes` shape this rule evaluates (None: imperative)."""
        return self.evaluate if hasattr(self.evaluate, "describe") and hasattr(
            self.evaluate, "SHAPE") else None

    def revision_on(self, day: dt.date) -> Rule:
        """The revision in force on ``day`` (the oldest when ``day`` precedes them all)."""
        if not self.revisions:
            return self
        chosen = self.revisions[0]
        for revision in self.revisions:
            if revision.valid_from is None or revision.valid_from <= day:
                chosen = revision
        return chosen

    @property
    def is_derivation(self) -> bool:
        """True for a derivation (an inference rule): it yields facts, not findings."""
        return self.kind is RuleKind.INFERENCE

    def trigger_for(self, evidence: Mapping[str, Any]) -> tuple[str, ...]:
        """The fingerprint trigger the declared ``identity`` gives (``()``: all evidence)."""
        if self.identity is None or self.identity == (ALL_EVIDENCE,):
            return ()
        return self.identity

    def __reduce_ex__(self, protocol: Any) -> Any:
        # A rule defined in a module pickles by reference: unpickling imports its
        # module and takes the rule from there (how a plan ships to Dask). That
        # covers @rule functions (bound to a module-level name) and rules a
        # module builds in a loop and keeps in a module-level tuple or list.
        # A shape (fsrules.shapes) names the module that declared its rule; a
        # revision is found among its head rule's revisions, by version.
        module = (getattr(self.evaluate, "rule_module", None)
                  or getattr(self.evaluate, "__module__", None))
        if module and _module_rules(module, self.id, self.version) == [self]:
            return (_import_rule, (module, self.id, self.version))
        return super().__reduce_ex__(protocol)

    def __attrs_post_init__(self) -> None:
        where = f"rule {self.id!r}"
        if not _RULE_ID.match(self.id):
            raise RuleDefinitionError(
                f"{where}: ids are upper-case with a dash, like 'VETO-005'", rule_id=self.id
            )
        if not self.version:
            raise RuleDefinitionError(f"{where}: version must not be empty", rule_id=self.id)
        if not self.legal_basis:
            raise RuleDefinitionError(
                f"{where}: every rule cites its legal basis (legal_basis=[LegalBasis(...)])",
                rule_id=self.id,
            )
        if not self.reads:
            raise RuleDefinitionError(f"{where}: declare the fact kinds it reads", rule_id=self.id)
        if self.kind is RuleKind.INFERENCE and not self.produces:
            raise RuleDefinitionError(
                f"{where}: an inference rule declares the kinds it produces", rule_id=self.id
            )
        if self.kind is RuleKind.CHECK and not (self.lead_departments or
                                                self.responsible_departments):
            raise RuleDefinitionError(
                f"{where}: a check rule names its lead department (牵头单位)", rule_id=self.id
            )
        names = [p.name for p in self.parameters]
        if len(names) != len(set(names)):
            raise RuleDefinitionError(f"{where}: duplicate parameter names", rule_id=self.id)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise RuleDefinitionError(f"{where}: valid_to is before valid_from", rule_id=self.id)
        check_templates(self, where, names)

    def param(self, name: str) -> Param:
        """The declared parameter ``name`` (of this rule, else of one of its revisions)."""
        for p in (*self.parameters, *(q for r in self.revisions[::-1] for q in r.parameters)):
            if p.name == name:
                return p
        raise KeyError(f"rule {self.id} declares no parameter {name!r}")

    def in_force(self, day: dt.date) -> bool:
        """True when ``day`` lies in the rule's validity window."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


def _module_rules(module: str, rule_id: str, version: str | None = None) -> list[Rule]:
    """The rules with ``rule_id`` (and ``version``, revisions included) a module holds at
    top level (or in a top-level collection)."""
    try:
        namespace = vars(importlib.import_module(module))
    except ImportError:
        return []
    found: list[Rule] = []
    revised: list[Rule] = []  # a head's revisions win over a revision also bound to a name
    for value in list(namespace.values()):
        items = value if isinstance(value, tuple | list) else (value,)
        for item in items:
            if not isinstance(item, Rule) or item.id != rule_id:
                continue
            for candidate in item.revisions or (item,):
                into = revised if item.revisions else found
                if (version is None or candidate.version == version) and not any(
                        candidate is f for f in into):
                    into.append(candidate)
    return revised or found


def _import_rule(module: str, rule_id: str, version: str | None = None) -> Rule:
    """Unpickle a rule by reference (see :meth:`Rule.__reduce_ex__`)."""
    found = _module_rules(module, rule_id, version)
    if len(found) != 1:
        raise LookupError(f"module {module} does not define rule {rule_id} (exactly once)")
    return found[0]


def _keep_importable(func: Callable[..., Any]) -> None:
    """Make the decorated function importable under the rule's name.

    ``@rule`` binds the module-level name to the :class:`Rule`; the function
    stays reachable as ``<name>.evaluate``, so its qualified name says so and
    pickle finds it by reference.
    """
    qualname = getattr(func, "__qualname__", "")
    if qualname and "<locals>" not in qualname and not qualname.endswith(".evaluate"):
        func.__qualname__ = f"{qualname}.evaluate"


def rule(
    *,
    id: str,
    version: str,
    title: Text | tuple[str, str],
    severity: Severity | str,
    reads: Iterable[str | type[Fact]],
    legal_basis: Iterable[LegalBasis],
    message: Text | tuple[str, str],
    kind: RuleKind | str = RuleKind.CHECK,
    produces: Iterable[str | type[Fact]] = (),
    parameters: Iterable[Param] = (),
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    lead: Iterable[str] = (),
    responsible: Iterable[str] = (),
    description: Text | tuple[str, str] | None = None,
    tags: Iterable[str] = (),
    grain: str | None = None,
    identity: Iterable[str] | str | None = None,
    reduce: Callable[[Sequence[Fact]], Iterable[Fact]] | None = None,
    evidence: type | tuple[type, ...] | None = None,
    messages: Mapping[str, Text | tuple[str, str]] | None = None,
) -> Callable[[Callable[[RuleContext], Iterable[Any]]], Rule]:
    """Declare a rule: decorate its evaluate function with its metadata.

    ``reads`` and ``produces`` take fact kind names or fact classes. ``lead``
    and ``responsible`` are the 牵头单位 and 责任单位. ``grain`` says what a
    finding is about (``"operator"``, ``"region"``, another subject kind) and
    ``identity`` which evidence keys identify the problem (``"*"``: all);
    ``ctx.finding`` then takes its fingerprint trigger from ``identity``.
    ``evidence`` is the evidence type (:mod:`fsrules.evidence`); ``title``
    is a template over the parameters, ``message`` (and the variants in
    ``messages``, keyed by the evidence's ``status``) templates over the
    evidence fields, the parameters, ``subject``, ``start``, ``end`` and
    ``due_date`` — an unknown placeholder raises here, at declaration.
    The module-level name is bound to the :class:`Rule`; the function stays
    importable as ``<name>.evaluate`` (so rules pickle by reference).
    """

    def kind_name(k: str | type[Fact]) -> str:
        return k if isinstance(k, str) else k.KIND

    def decorate(func: Callable[[RuleContext], Iterable[Any]]) -> Rule:
        _keep_importable(func)
        return Rule(
            id=id,
            version=version,
            title=_text(title),
            severity=severity,
            reads=tuple(kind_name(k) for k in reads),
            legal_basis=tuple(legal_basis),
            message=_text(message),
            evaluate=func,
            kind=RuleKind(kind) if isinstance(kind, str) else kind,
            produces=tuple(kind_name(k) for k in produces),
            parameters=tuple(parameters),
            valid_from=valid_from,
            valid_to=valid_to,
            lead_departments=tuple(lead),
            responsible_departments=tuple(responsible),
            description=None if description is None else _text(description),
            tags=tuple(tags),
            grain=grain,
            identity=identity,
            reduce=reduce,
            evidence=evidence,
            messages=_messages(messages),
        )

    return decorate


def derivation(
    *,
    id: str,
    version: str,
    title: Text | tuple[str, str],
    reads: Iterable[str | type[Fact]],
    produces: Iterable[str | type[Fact]],
    legal_basis: Iterable[LegalBasis],
    parameters: Iterable[Param] = (),
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    description: Text | tuple[str, str] | None = None,
    tags: Iterable[str] = (),
    grain: str | None = None,
    reduce: Callable[[Sequence[Fact]], Iterable[Fact]] | None = None,
) -> Callable[[Callable[[RuleContext], Iterable[Any]]], Rule]:
    """Declare a derivation: a rule that yields derived facts, never findings.

    A derivation has no severity and no message (``@rule(kind="inference")``
    is the older spelling of the same thing). ``reduce``, for facts that
    aggregate a region (sampling metrics carrying numerator and denominator),
    combines the facts derived per partition into the parent region's facts.
    """
    return rule(id=id, version=version, title=title, severity=Severity.INFO, reads=reads,
                legal_basis=legal_basis, message=Text("", ""), kind=RuleKind.INFERENCE,
                produces=produces, parameters=parameters, valid_from=valid_from,
                valid_to=valid_to, description=description, tags=tags, grain=grain,
                reduce=reduce)


def revisions(*dated: Rule) -> Rule:
    """One rule id, several dated revisions: the rule the catalogue holds.

    Each revision is a complete rule (its own version, ``valid_from``,
    logic, parameters, messages) with the same id; the plan evaluates the
    one in force on ``as_of`` (a revision runs until the next one's
    ``valid_from``), so 2022 facts are re-assessed under the 2022 logic.
    Fingerprints do not depend on the version: a problem keeps its
    fingerprint across revisions. The returned head is the latest revision,
    valid from the first one's date, with every revision in ``revisions``::

        VETO_X = fsrules.revisions(veto_x_2022, veto_x_2024)
    """
    if not dated:
        raise RuleDefinitionError("revisions() needs at least one rule")
    rule_id = dated[0].id
    where = f"rule {rule_id!r}"
    if any(r.id != rule_id for r in dated):
        raise RuleDefinitionError(f"{where}: revisions share one id, got "
                                  f"{', '.join(sorted({r.id for r in dated}))}", rule_id=rule_id)
    versions = [r.version for r in dated]
    if len(set(versions)) != len(versions):
        raise RuleDefinitionError(f"{where}: each revision has its own version", rule_id=rule_id)
    if any(r.valid_from is None for r in dated[1:]) or any(r.revisions for r in dated):
        raise RuleDefinitionError(f"{where}: every revision but the first has a valid_from "
                                  f"(and revisions do not nest)", rule_id=rule_id)
    ordered = sorted(dated, key=lambda r: r.valid_from or dt.date.min)
    if len({r.valid_from for r in ordered}) != len(ordered):
        raise RuleDefinitionError(f"{where}: two revisions start on the same day",
                                  rule_id=rule_id)
    if len({(r.kind, r.grain, r.identity) for r in ordered}) != 1:
        raise RuleDefinitionError(f"{where}: revisions keep the kind, grain and identity "
                                  f"(fingerprints continue across them)", rule_id=rule_id)
    chain: list[Rule] = []
    for current, nxt in itertools.zip_longest(ordered, ordered[1:]):
        if nxt is not None:
            assert nxt.valid_from is not None
            last = nxt.valid_from - dt.timedelta(days=1)
            if current.valid_to is not None and current.valid_to < last:
                last = current.valid_to
            current = attrs.evolve(current, valid_to=last)
        chain.append(current)
    return attrs.evolve(chain[-1], valid_from=chain[0].valid_from, revisions=tuple(chain))


@attrs.frozen(kw_only=True)
class Ruleset:
    """A group of rules reviewed and versioned together, with its data folder.

    ``data_dir`` holds ``parameters.toml`` (parameter defaults keyed by
    rule id, optionally by effective date) and any catalogues the rules
    read. ``default`` rulesets run when no ``--ruleset`` is given.
    ``jurisdiction`` is the division-code prefix the ruleset is for (``"51"``
    for a Sichuan plugin; None: wherever the profile applies): facts located
    outside it never reach its rules (see :mod:`fsrules._jurisdiction`).
    """

    id: str
    version: str
    title: Text = attrs.field(converter=_text)
    rules: tuple[Rule, ...] = attrs.field(converter=_tuple)
    data_dir: Path | None = None
    description: Text | None = None
    default: bool = True
    fact_kinds: tuple[type[Fact], ...] = attrs.field(default=(), converter=_tuple)
    jurisdiction: str | None = None

    def __attrs_post_init__(self) -> None:
        if not _RULESET_ID.match(self.id):
            raise RuleDefinitionError(f"ruleset id {self.id!r} must be lower-case, like 'veto'")
        from fsrules._jurisdiction import normalise

        try:
            object.__setattr__(self, "jurisdiction", normalise(self.jurisdiction))
        except ValueError as exc:
            raise RuleDefinitionError(f"ruleset {self.id!r}: {exc}") from None
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise RuleDefinitionError(f"ruleset {self.id!r} declares {', '.join(dupes)} twice")

    def defaults(self) -> Mapping[str, Mapping[str, Any]]:
        """The raw ``parameters.toml`` table (rule id → parameter → value), or empty."""
        from fsrules._params import read_toml

        if self.data_dir is None:
            return {}
        path = self.data_dir / "parameters.toml"
        return read_toml(path) if path.exists() else {}
