"""durable_rules, wrapped: the only module of fsrules that imports ``durable``.

durable_rules 2.0.28 has sharp edges (measured on this machine, see
docs/live.md), and this module is where they are handled:

* ``durable.lang`` keeps global rulesets and a global host, and every
  ``durable.engine.Host`` starts timer threads (never joined) that fire
  wall-clock timers. Neither is used: rulesets are ``durable.engine.Ruleset``
  objects owned by one monitor, their actions run synchronously in the
  caller's thread, and there are no timers (event time is the monitor's);
* ruleset names are content-addressed (a digest of the JSON definition), so
  two monitors never collide and a definition is recognisable in a dump;
* the C core hangs creating a ruleset of more than 512 rules: refused here;
* every ``sid`` costs about 100 KB of C memory that ``delete_state`` does not
  give back, the C core refuses the 1,025th live sid of a ruleset, and
  ``delete_state`` aborts the process (``free(): invalid pointer``) on a sid
  whose fact was retracted or whose event matched nothing. So a monitor
  keeps its per-subject state in Python and gives durable_rules one sid per
  ruleset: records cross as facts retracted as soon as their actions ran
  (batched, one per kind and day), so durable's memory stays flat however
  long the stream;
* messages carry explicit string ids (the C core's default identity is a
  32-bit hash of the content: collisions raise ``MessageObservedException``);
* ``MessageNotHandledException`` ("no rule matched") is not an error here;
* an exception inside an action is stored in the sid's state, not raised:
  it is re-raised here as :class:`~fsrules.exceptions.LiveRuleError` naming
  the fsrules rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from durable import engine as _engine  # the extra: see fsrules.live.__init__

from fsrules.exceptions import LiveRuleError

__all__ = ["MAX_RULES", "Action", "DurableRuleset", "ruleset_name"]

#: The C core hangs creating a ruleset of 513 rules.
MAX_RULES = 512

Action = Callable[[Any], None]
"""A rule's action: called with durable's closure ``c`` (``c.s`` state, ``c.m`` or named facts)."""


class _NoHost:
    """The host a durable Ruleset asks for named actions: ours are all callables."""

    def get_action(self, action_name: str) -> Any:
        raise KeyError(f"durable action {action_name!r}: fsrules passes callables only")


def ruleset_name(prefix: str, definition: Mapping[str, Any]) -> str:
    """``prefix`` and a digest of the JSON ``definition`` (without actions)."""
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class DurableRuleset:
    """One correlation's rules in durable_rules, on one sid; synchronous.

    ``definition`` maps rule names to durable JSON conditions (``{"all": [...]}``);
    ``actions`` maps the same names to Python callables taking durable's
    closure ``c``. ``rule_id`` is the fsrules rule the correlation belongs to
    (named in errors).
    """

    SID = "live"

    def __init__(self, rule_id: str, definition: Mapping[str, Mapping[str, Any]],
                 actions: Mapping[str, Action]) -> None:
        if len(definition) > MAX_RULES:
            raise ValueError(f"{rule_id}: {len(definition)} durable rules; at most {MAX_RULES} "
                             f"fit one ruleset (split the correlation)")
        if set(definition) != set(actions):
            raise ValueError(f"{rule_id}: every durable rule needs exactly one action")
        self.rule_id = rule_id
        self.name = ruleset_name(rule_id.lower(), definition)
        self._definition = {k: dict(v) for k, v in definition.items()}
        rules = {name: {**cond, "run": actions[name]} for name, cond in self._definition.items()}
        self._ruleset = _engine.Ruleset(self.name, _NoHost(), rules)

    @property
    def definition(self) -> dict[str, dict[str, Any]]:
        """The JSON definition (as registered, without actions)."""
        return {k: dict(v) for k, v in self._definition.items()}

    def _run(self, call: Callable[[Mapping[str, Any]], Any], message: Mapping[str, Any]) -> bool:
        if "id" not in message:
            raise ValueError("durable messages need an explicit id")
        outcome: list[Any] = [None, None]

        def complete(error: Any, state: Any) -> None:
            outcome[0], outcome[1] = error, state

        try:
            handle = call(dict(message, sid=self.SID))
        except (_engine.MessageNotHandledException, _engine.MessageObservedException):
            return False  # no rule matched / this id is asserted already: not errors
        self._ruleset.do_actions(handle, complete)
        error, state = outcome
        if error is None and isinstance(state, dict) and "exception" in state:
            error = state["exception"]
            self._ruleset.update_state({"sid": self.SID, "id": f"sid-{self.SID}"})
        if error is not None:
            raise LiveRuleError(f"live correlation of {self.rule_id} failed: {error}",
                                rule_id=self.rule_id) from (
                error if isinstance(error, BaseException) else None)
        return True

    def post(self, event: Mapping[str, Any]) -> bool:
        """Post an event (consumed once matched); False when no rule matched."""
        return self._run(self._ruleset.assert_event, event)

    def assert_fact(self, fact: Mapping[str, Any]) -> bool:
        """Assert a fact; False when it exists already or nothing could match it."""
        return self._run(self._ruleset.assert_fact, fact)

    def retract_fact(self, fact: Mapping[str, Any]) -> bool:
        """Retract a fact asserted before (matched by its id and content)."""
        return self._run(self._ruleset.retract_fact, fact)

    def facts(self) -> list[dict[str, Any]]:
        """The facts durable holds (the monitor keeps none there: for tests)."""
        result: list[dict[str, Any]] = self._ruleset.get_facts(self.SID)
        return result
