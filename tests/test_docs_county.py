"""The county plugin of docs/plugins.md ("小餐饮 with no inspection in N days") runs as written.

The block after the ``county-example`` marker is the whole plugin module: it
is loaded as a module, registered in an isolated engine and evaluated.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import sys
import types
from collections.abc import Iterator

import pytest

from fsrules import Engine
from fsrules.model import BusinessType, Fact, Inspection, InspectionResult, Operator
from fsrules.testing import assert_finding, assert_no_finding, isolated_engine

from .conftest import REPO

AS_OF = dt.date(2023, 12, 31)
NAME = "fsrules_weixian_docs_example"


def example() -> str:
    text = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- county-example[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/plugins.md lost its county-example block"
    return found.group(1)


def rule_code_lines(code: str) -> list[str]:
    """Lines of rule code: not blank, not an import, not the module docstring."""
    lines = [line for line in code.splitlines() if line.strip()]
    return [line for line in lines[1:] if not line.startswith(("from ", "import "))]


@pytest.fixture(scope="module")
def plugin() -> Iterator[types.ModuleType]:
    module = types.ModuleType(NAME)
    sys.modules[NAME] = module  # rules pickle by reference to their module
    try:
        exec(compile(example(), f"docs/plugins.md:{NAME}", "exec"), module.__dict__)
        yield module
    finally:
        del sys.modules[NAME]


@pytest.fixture(scope="module")
def engine(plugin: types.ModuleType) -> Engine:
    return isolated_engine(plugin, profile="weixian")


def eatery(oid: str, **kw: object) -> Operator:
    kw.setdefault("business_type", BusinessType.SMALL_EATERY)
    return Operator(id=oid, name=f"小餐饮{oid}", region_code="130533", **kw)  # type: ignore[arg-type]


def inspected(oid: str, day: dt.date) -> Inspection:
    return Inspection(id=f"i-{oid}", operator_id=oid, inspected_on=day,
                      result=InspectionResult.CONFORMING)


def test_the_rule_is_at_most_25_lines_on_a_template(plugin: types.ModuleType) -> None:
    code = example()
    assert len(rule_code_lines(code)) <= 25
    assert "def evaluate" not in code and "ctx." not in code
    assert plugin.NOT_INSPECTED.shape.describe()["shape"] == "absence"
    assert plugin.NOT_INSPECTED.evidence.__name__ == "AbsenceEvidence"  # typed, for free


def test_it_reports_an_eatery_not_inspected_in_max_days(engine: Engine) -> None:
    facts: list[Fact] = [
        eatery("late"), inspected("late", dt.date(2023, 6, 1)),
        eatery("never"),
        eatery("ok"), inspected("ok", dt.date(2023, 7, 15)),
        eatery("new", opened_on=dt.date(2023, 9, 1)),
        eatery("closed", closed_on=dt.date(2023, 5, 1)),
        eatery("shop", business_type=BusinessType.SELLER),
    ]
    report = engine.evaluate(facts, as_of=AS_OF)
    late = assert_finding(report, "WX-001", subject="late", evidence={
        "records": "inspection", "window": 180, "due_on": "2023-11-28",
        "last_on": "2023-06-01", "days_since": 213, "days_overdue": 33},
        legal_basis_contains="第二十二条")
    assert late.due_date == dt.date(2023, 11, 28)
    assert late.message.zh == "小餐饮late：180 天内未接受监督检查（上次：2023-06-01）"
    assert late.lead_departments == ("县市场监管局",)
    never = assert_finding(report, "WX-001", subject="never", evidence={"last_on": None})
    assert never.message.en == "小餐饮never: not inspected in 180 days (last: -)"
    for quiet in ("ok", "new", "closed", "shop"):
        assert_no_finding(report, "WX-001", subject=quiet)
    # the county's own value, from its profile
    assert [(p.name, p.value) for p in report.provenance.parameters
            if p.rule_id == "WX-001"] == [("max_days", 180)]


def test_the_plan_with_the_county_rule_pickles(engine: Engine) -> None:
    plan = engine.catalogue.plan(profile="weixian", as_of=AS_OF, rulesets=["weixian"])
    again = pickle.loads(pickle.dumps(plan))
    facts: list[Fact] = [eatery("never")]
    assert again.run(facts).findings == plan.run(facts).findings
