"""The veto ruleset (一票否决): the five veto items of the demonstration-city evaluation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Ruleset, Text, hookimpl

from .rules import (
    evaluative_pass_rate,
    leaders_duties,
    major_incident,
    satisfaction,
    social_impact_event,
)

RULESET = Ruleset(
    id="veto",
    version="1.0.0",
    title=Text("示范城市否决项", "Demonstration-city veto items"),
    rules=[leaders_duties, major_incident, social_impact_event, satisfaction,
           evaluative_pass_rate],
    data_dir=Path(__file__).parent,
    description=Text(
        "国家食品安全示范城市评价的五项一票否决指标，按地区在评价窗口内判断。",
        "The five veto items of the national food-safety demonstration-city evaluation, "
        "judged per region over the evaluation window.",
    ),
)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the veto ruleset."""
    register(RULESET)
