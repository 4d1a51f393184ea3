"""Testing kit for rule authors: fact builders, isolated engines, finding assertions, scenarios.

Everything a plugin's tests need, through public names only::

    from fsrules.testing import FactBuilder, assert_finding, isolated_engine

    def test_late_report_fires() -> None:
        build = FactBuilder(region_code="510116")
        engine = isolated_engine("fsrules_sichuan_banquet")
        report = engine.evaluate([build.banquet_report("b1", diners=120,
                                                       reported_on="2023-06-09")],
                                 as_of=date(2023, 6, 30))
        assert_finding(report, "SCBQ-001", subject="b1", evidence={"lead_days": 1})

* :class:`FactBuilder`: valid facts of every built-in kind with defaults;
* :class:`FactKit`, :class:`KindKit`: the kinds plugins add, with builders
  and Hypothesis strategies derived from their fields (plugins register
  field rules and cross-field constraints through the
  ``fsrules_register_fact_strategies`` hook);
* :func:`isolated_engine`: the built-ins plus exactly the named plugins;
* :func:`assert_finding`, :func:`assert_no_finding`: assertions whose
  failures show expected vs actual evidence as a diff;
* :class:`Scenario`, :func:`load_scenarios`, :func:`run_scenario`: scenario
  files ("given these facts as of this date → exactly these findings"),
  which the pytest plugin collects from ``scenario_*.toml`` files.

The pytest plugin (entry point ``fsrules`` of ``pytest11``) adds the
``fsrules_builder`` and ``fsrules_engine_factory`` fixtures. Hypothesis
strategies live in :mod:`fsrules.testing.strategies`, imported separately
so this package never imports Hypothesis.
"""

from __future__ import annotations

from fsrules.testing._assertions import assert_finding, assert_no_finding
from fsrules.testing._builders import FactBuilder, isolated_engine
from fsrules.testing._kit import FactKit, KindKit
from fsrules.testing._scenarios import (
    ExpectedFinding,
    Scenario,
    ScenarioFailure,
    ScenarioResult,
    load_scenarios,
    run_scenario,
)

__all__ = [
    "ExpectedFinding",
    "FactBuilder",
    "FactKit",
    "KindKit",
    "Scenario",
    "ScenarioFailure",
    "ScenarioResult",
    "assert_finding",
    "assert_no_finding",
    "isolated_engine",
    "load_scenarios",
    "run_scenario",
]
