"""Values the regulations leave uncertain, made visible where they decide (issue 12, item 5).

A parameter declared with confidence M (from memory) or ? (not found) has no
silent default: a profile sets it, often the ``national`` one. A finding
whose outcome depends on such a value says so itself — not only the
provenance or ``fsrules explain`` — naming the parameter and where its
value came from:

* ``Finding.uncertain_parameters`` (JSON ``uncertain_parameters``), one
  :class:`UncertainParameter` per value;
* a 【待核实】 / "[To verify]" sentence at the end of the message;
* a ※ beside the rule id in the terminal table and a 待核实 column in
  CSV/XLSX (:mod:`fsrules._writers`).

A check depends on the M/? values it read, and on every M/? value the plan
resolves for the derivations producing the fact kinds it reads
(transitively): what a derivation reads may depend on the facts, and a
finding's flag must not depend on other facts of the run.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from fsrules._i18n import Text

__all__ = ["UncertainParameter", "uncertain_sentence"]


@attrs.frozen(kw_only=True, order=True)
class UncertainParameter:
    """One M or ? parameter a finding depends on, and where its value came from."""

    rule_id: str
    """The rule that declares the parameter (the finding's own, or a derivation's)."""
    name: str
    confidence: str
    """``"M"`` or ``"?"``: the parameter's declared confidence."""
    source: str
    """Where the value came from: ``profile:national``, ``ruleset:risk``…"""
    note: str = ""
    """The profile's note on the value (why this value, how sure)."""

    @property
    def label(self) -> str:
        """``RULE.name``."""
        return f"{self.rule_id}.{self.name}"


def uncertain_sentence(items: Iterable[UncertainParameter]) -> Text:
    """The sentence a message ends with when its finding rests on uncertain values."""
    listed = sorted(set(items))
    zh = "；".join(f"{u.label}（可信度 {u.confidence}，取自 {u.source}）" for u in listed)
    en = "; ".join(f"{u.label} (confidence {u.confidence}, from {u.source})" for u in listed)
    return Text(f"【待核实】本结论取决于未经核实的参数：{zh}。",
                f"[To verify] This finding depends on unverified parameter values: {en}.")
