"""Every finding the meta-tests look at: the demo county and every scenario file.

The demo county is evaluated with profiles ``demo`` and ``national``; the
scenario files are those of tests/ and plugins/*/tests (each check rule fires
in at least one: tests/test_meta.py). Computed once per test session.
"""

from __future__ import annotations

import datetime as dt
import functools

from fsrules import Engine, Finding, load_catalogue
from fsrules.loading import load_bundle
from fsrules.testing import load_scenarios, run_scenario

from .conftest import REPO

TEST_DIRS = [REPO / "tests", *sorted((REPO / "plugins").glob("*/tests"))]
AS_OF = dt.date(2023, 12, 31)


@functools.cache
def demo_findings_for(profile: str) -> tuple[Finding, ...]:
    """The demo county's findings under ``profile``."""
    catalogue = load_catalogue(environ={})
    loaded = load_bundle([REPO / "examples" / "weixian"], kinds=catalogue.fact_kinds,
                         as_of=AS_OF)
    return catalogue.plan(profile=profile, as_of=AS_OF).run(loaded).findings


def demo_findings() -> tuple[Finding, ...]:
    """The demo county's findings under profiles demo and national."""
    return demo_findings_for("demo") + demo_findings_for("national")


@functools.cache
def every_finding() -> tuple[Finding, ...]:
    """The demo county's findings and those of every scenario file."""
    found = list(demo_findings())
    engines: dict[tuple[str, tuple[str, ...] | None], Engine] = {}
    for folder in TEST_DIRS:
        for path in sorted(folder.rglob("scenario_*.toml")):
            for scenario in load_scenarios(path):
                key = (scenario.profile, scenario.plugins)
                if key not in engines:
                    engines[key] = scenario.build_engine()
                result = run_scenario(scenario, engine=engines[key])
                if result.report is not None:
                    found.extend(result.report.findings)
    return tuple(found)
