"""A test profile: Hebei with its 2026 revision dated.

The day Hebei's revised 三小 regulation took effect was not found (``?``), so
the shipped ``hebei`` profile does not set it: from 2026-01-01 (the earliest
day it can apply) the rules citing it do not run until a profile gives the day
(``instrument_in_force``). Tests that judge Hebei operators under the revision
use this profile, which gives a day on purpose different from that floor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fsrules import Profile, hookimpl
from fsrules_rulesets.three_small import RULESET as THREE_SMALL
from fsrules_rulesets.three_small.in_force import IN_FORCE_DATES

NAME = "hebei-dated"
#: The day this test profile says the revision took effect (not a real date).
HEBEI_2026_DAY = dt.date(2026, 3, 1)


def _parameters() -> dict[str, dict[str, Any]]:
    value = {"hebei-2026": HEBEI_2026_DAY.isoformat()}
    return {r.id: {IN_FORCE_DATES.name: {"value": value, "note": "test day (?)"}}
            for r in THREE_SMALL.rules if IN_FORCE_DATES in r.parameters}


class HebeiDated:
    """A plugin object registering the ``hebei-dated`` profile."""

    @staticmethod
    @hookimpl
    def fsrules_register_profiles(register: Any) -> None:
        register(Profile.from_mapping({"name": NAME, "extends": "hebei"}, _parameters(),
                                      source="tests/_hebei_dated.py"))
