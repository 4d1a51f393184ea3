"""The case time-limit ruleset (案件时限): cases still open past their deadline.

A non-conforming sampling result without a completed 核查处置, a food
complaint not closed, an enforcement case not closed, a food licence
expiring without renewal: each an event with a deadline and the record
that closes it, on the :class:`~fsrules.shapes.Deadline` shape, so the live
monitor (``fsrules watch``) runs them as they are. The time limits are
profile parameters (``profiles/national.cases.toml``): the texts that set
them are not verified here (confidence M). Not a default ruleset: select it
with ``--ruleset cases`` or a profile's ``rulesets`` (the demo profile does).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Ruleset, Text, hookimpl

from .rules import ALL_RULES

__version__ = "1.0.0"

RULESET = Ruleset(
    id="cases",
    version=__version__,
    title=Text("案件时限", "Case time limits"),
    rules=list(ALL_RULES),
    data_dir=Path(__file__).parent,
    # Opt-in, like territorial: bureaus choose it (the demo profile lists it); a
    # default ruleset would add findings to every existing national report.
    default=False,
    description=Text(
        "不合格食品核查处置、食品类投诉办结、行政处罚案件结案和食品生产经营许可证延续：过了期限仍未完成的"
        "案件，每件一个问题，完成即销号。",
        "Disposal of non-conforming food, food complaints, enforcement cases and food licence "
        "renewals: each case still open past its deadline is a finding, closed when it is "
        "done.",
    ),
)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the case time-limit ruleset."""
    register(RULESET)
