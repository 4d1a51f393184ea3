"""Before a deadline there is no breach: a finding naming a future deadline is only a reminder.

Issue 10, defect 3: a Chongqing vendor still inside the ten days Art. 26 allows
for filing was reported at *high*, and a Shandong renewal reminder 40 days
ahead at *low*. A reminder is not a problem: its severity is ``info``, below
the problem scale. This test walks every finding of the demo report and of
every scenario file (the built-in rulesets' and the Sichuan plugin's) and
checks that none whose own message names a deadline after the evaluation
date is on the problem scale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fsrules import Engine, Finding, Severity
from fsrules.testing import load_scenarios, run_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIO_FILES = sorted([*(REPO / "tests" / "scenarios").glob("*.toml"),
                         *(REPO / "plugins").glob("*/tests/scenario_*.toml")])

_DATE = r"(\d{4}-\d{2}-\d{2})"
#: How messages name a deadline: "应于 2024-01-05 前", "期限 2023-09-30", "due by 2024-01-05".
DEADLINE = re.compile("|".join([
    rf"(?:应于|应在|须于|须在|截至|期限为?|期限：)\s*{_DATE}",
    rf"{_DATE}\s*(?:前|之前|以前)",
    rf"将于\s*{_DATE}\s*到期",
    rf"\bdue (?:by |on |before )?{_DATE}",
    rf"\bdeadline (?:is |of )?{_DATE}",
    rf"\bexpires on {_DATE}",
]))


def deadlines(finding: Finding) -> list[dt.date]:
    """The deadlines the finding's own message names (Chinese and English)."""
    found = []
    for text in (finding.message.zh, finding.message.en):
        for match in DEADLINE.finditer(text):
            day = next(g for g in match.groups() if g)
            found.append(dt.date.fromisoformat(day))
    return found


def future_deadline_problems(findings: Iterator[Finding] | tuple[Finding, ...],
                             as_of: dt.date) -> list[str]:
    return [f"{f.rule_id} {f.subject.id if f.subject else '-'} {f.severity.value}: "
            f"{f.message.zh}"
            for f in findings
            if f.severity is not Severity.INFO and any(d > as_of for d in deadlines(f))]


def test_the_pattern_reads_the_messages_it_is_meant_for() -> None:
    assert DEADLINE.search("未取得有效的食品摊贩备案卡，应于 2024-01-05 前办理")
    assert DEADLINE.search("renewal is due by 2024-01-01 (30 days before expiry)")
    assert DEADLINE.search("秋季开学检查未进行（期限 2023-09-30）")
    assert not DEADLINE.search("2023-01-01 至 2023-12-31 没有产品检验记录")
    assert DEADLINE.search("备案卡 将于 2024-01-20 到期，尚无延续证照")
    assert not DEADLINE.search("已于 2022-08-13 到期，未延续")


def test_demo_report_names_no_future_deadline_on_the_problem_scale() -> None:
    engine = Engine.default(profile="demo")
    as_of = dt.date(2023, 12, 31)
    report = engine.evaluate(engine.load([REPO / "examples" / "weixian"], as_of=as_of),
                             as_of=as_of)
    assert report.findings
    assert future_deadline_problems(report.findings, as_of) == []
    reminders = [f for f in report.findings if f.severity is Severity.INFO
                 and any(d > as_of for d in deadlines(f))]
    assert reminders, "the demo has a renewal reminder (陈记水果摊, card ending 2024-01-20)"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_scenarios_name_no_future_deadline_on_the_problem_scale(path: Path) -> None:
    problems = []
    for scenario in load_scenarios(path):
        result = run_scenario(scenario)
        if result.report is None:
            continue
        problems += future_deadline_problems(result.report.findings, scenario.as_of)
    assert problems == []
