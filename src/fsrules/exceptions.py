"""Every exception fsrules raises, under one base class.

Each subclass also inherits the builtin it behaves like, so callers that
already catch ``KeyError`` or ``ValueError`` keep working. Exceptions carry
structured attributes (rule id, plugin, file, row, field) so that a service
can route them without parsing messages; the messages themselves say what
was wrong, where, and how to fix it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigError",
    "DuplicateRegistrationError",
    "EvidenceError",
    "FactMutationError",
    "FsrulesError",
    "IdentifierError",
    "InputError",
    "LiveRuleError",
    "LiveUnavailableError",
    "MissingParameterError",
    "ParameterError",
    "PluginLoadError",
    "RuleBudgetError",
    "RuleDefinitionError",
    "RuleNotInForce",
    "TemplateError",
    "UnknownFactKindError",
    "UnknownProfileError",
    "UnknownRuleError",
    "UnknownRulesetError",
]


class FsrulesError(Exception):
    """Base class of every error raised by fsrules."""


class IdentifierError(FsrulesError, ValueError):
    """An identifier (USCC, licence number, division code) is not valid.

    Attributes:
        scheme: ``"uscc"``, ``"jy"``, ``"sc"``, ``"division"`` ...
        value: the value as given.
        reason: a short machine-readable reason (``"checksum"``, ``"length"``...).
        hint: how to fix it.
    """

    def __init__(self, message: str, *, scheme: str, value: str, reason: str, hint: str = "") -> None:
        super().__init__(message)
        self.scheme = scheme
        self.value = value
        self.reason = reason
        self.hint = hint


class InputError(FsrulesError, ValueError):
    """A record of an input file could not be accepted.

    ``file``, ``row`` and ``field`` locate the problem; ``value`` is what was
    read; ``hint`` says how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: Any = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.field = field
        self.value = value
        self.hint = hint


class UnknownRuleError(FsrulesError, KeyError):
    """No registered rule has this id."""

    def __init__(self, rule_id: str, known: list[str] | None = None) -> None:
        hint = ""
        if known:
            close = [k for k in known if k.split("-")[0] == rule_id.split("-")[0]][:5]
            if close:
                hint = f" Did you mean one of: {', '.join(close)}?"
        super().__init__(f"unknown rule {rule_id!r}.{hint} Run `fsrules rules` to list them.")
        self.rule_id = rule_id

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownRulesetError(FsrulesError, KeyError):
    """No registered ruleset has this id."""

    def __init__(self, ruleset_id: str, known: list[str]) -> None:
        super().__init__(
            f"unknown ruleset {ruleset_id!r}; known rulesets: {', '.join(sorted(known)) or '(none)'}"
        )
        self.ruleset_id = ruleset_id
        self.known = sorted(known)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownProfileError(FsrulesError, KeyError):
    """No registered profile has this name."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"unknown profile {name!r}; known profiles: {', '.join(sorted(known)) or '(none)'}"
        )
        self.profile = name
        self.known = sorted(known)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownFactKindError(FsrulesError, KeyError):
    """No registered fact kind has this name."""

    def __init__(self, kind: str, known: list[str]) -> None:
        super().__init__(
            f"unknown fact kind {kind!r}; known kinds: {', '.join(sorted(known))}"
        )
        self.kind = kind
        self.known = sorted(known)

    def __str__(self) -> str:
        return str(self.args[0])


class DuplicateRegistrationError(FsrulesError, ValueError):
    """Two plugins registered the same id (rule, ruleset, profile, fact kind, format)."""

    def __init__(self, what: str, item_id: str, first_plugin: str, second_plugin: str) -> None:
        super().__init__(
            f"{what} {item_id!r} is registered by both plugin {first_plugin!r} and plugin "
            f"{second_plugin!r}; rename one of them or disable a plugin with FSRULES_PLUGINS"
        )
        self.what = what
        self.item_id = item_id
        self.first_plugin = first_plugin
        self.second_plugin = second_plugin


class PluginLoadError(FsrulesError, ImportError):
    """A plugin could not be loaded or registered."""

    def __init__(self, message: str, *, plugin: str, distribution: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.distribution = distribution


class RuleDefinitionError(FsrulesError, TypeError):
    """A rule or ruleset is declared incorrectly (caught at registration time)."""

    def __init__(self, message: str, *, rule_id: str | None = None) -> None:
        super().__init__(message)
        self.rule_id = rule_id


class ParameterError(FsrulesError, ValueError):
    """A parameter value (from a ruleset data file or a profile) is invalid."""

    def __init__(
        self, message: str, *, rule_id: str | None = None, parameter: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.parameter = parameter
        self.source = source


class MissingParameterError(ParameterError, KeyError):
    """A required parameter has no value in the active profile.

    Values the regulations leave open (confidence M or ?) have no silent
    default: a profile must set them.
    """

    def __str__(self) -> str:
        return str(self.args[0])


class FactMutationError(FsrulesError, RuntimeError):
    """A rule changed a fact it was given (facts are shared by every rule of a run).

    Attributes:
        rule_ids: the rule(s) that were handed the changed facts.
        facts: ``(kind, id)`` of each changed fact.
    """

    def __init__(self, message: str, *, rule_ids: tuple[str, ...] = (),
                 facts: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.rule_ids = rule_ids
        self.facts = facts


class RuleNotInForce(FsrulesError, LookupError):
    """Raised by a rule whose instrument is not in force on the evaluation date.

    For rules whose instrument depends on the profile (a province's 三小
    regulation), the rule's static ``valid_from`` cannot say when it applies;
    the rule raises this before yielding anything, and the engine records the
    rule as ``not_in_force`` instead of ``ran``.

    Attributes:
        rule_id: the rule.
        in_force: the earliest day its instrument applies, if known.
    """

    def __init__(self, message: str, *, rule_id: str | None = None,
                 in_force: Any = None) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.in_force = in_force


class EvidenceError(FsrulesError, ValueError):
    """A finding's evidence holds a value that is not JSON data (issue 13, D7).

    NaN, infinity and arbitrary objects (whose text form is a memory address)
    would make the report invalid JSON or differ between runs. ``key`` is the
    path of the offending value inside the evidence.
    """

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


class TemplateError(FsrulesError, KeyError):
    """A message or title template names a placeholder no value fills (issue 12).

    ``placeholder`` is the unknown name. :meth:`fsrules.Text.format` raises it
    rather than leaving ``{name}`` in the text a bureau reads.
    """

    def __init__(self, message: str, *, placeholder: str) -> None:
        super().__init__(message)
        self.placeholder = placeholder

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class RuleBudgetError(FsrulesError, TimeoutError):
    """A rule ran longer than its time budget (issue 13, D6)."""

    def __init__(self, message: str, *, rule_id: str, seconds: float) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.seconds = seconds


class ConfigError(FsrulesError, ValueError):
    """A configuration file (``fsrules.toml``, ``[tool.fsrules]``, a local profile) is invalid.

    ``source`` names the file and ``key`` the offending setting, when known.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None,
                 zh: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.key = key
        self.zh = zh
        """The message in Chinese, when the raiser wrote one."""


class LiveUnavailableError(FsrulesError, ImportError):
    """The live monitor cannot run here: its extra is missing or this Python is unsupported.

    ``fsrules.live`` needs ``pip install "fsrules[live]"`` (durable-rules),
    which builds and imports on Python 3.11 and 3.12 only; the rest of
    fsrules works without it.
    """


class LiveRuleError(FsrulesError, RuntimeError):
    """A live correlation failed inside durable_rules (re-raised from its stored state).

    ``rule_id`` names the fsrules rule whose correlation failed.
    """

    def __init__(self, message: str, *, rule_id: str) -> None:
        super().__init__(message)
        self.rule_id = rule_id
