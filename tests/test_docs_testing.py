"""docs/testing.md: the QA guide's regression test runs, and catches what it says it catches."""

from __future__ import annotations

import os
import re
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "testing.md"
BLOCK = re.compile(r"<!-- testing-guide: begin -->\n```python\n(.*?)```\n<!-- testing-guide: end -->",
                   re.DOTALL)


def guide_code() -> str:
    found = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(found) == 1, "docs/testing.md has one marked regression-test block"
    return str(found[0])


@pytest.fixture(scope="module")
def guide() -> Iterator[types.ModuleType]:
    """The guide's code as a module, run from the repository root (its data path is relative)."""
    module = types.ModuleType("test_county_regression")
    here = Path.cwd()
    os.chdir(REPO)
    try:
        exec(compile(guide_code(), str(GUIDE), "exec"), module.__dict__)
        yield module
    finally:
        os.chdir(here)


def test_the_guide_defines_three_tests(guide: types.ModuleType) -> None:
    tests = sorted(n for n in vars(guide) if n.startswith("test_"))
    assert tests == ["test_more_failed_samples_never_lift_a_pass_rate_veto",
                     "test_our_report_does_not_depend_on_row_order",
                     "test_satisfaction_veto_follows_our_threshold"]


@pytest.mark.parametrize("name", ["test_satisfaction_veto_follows_our_threshold",
                                  "test_more_failed_samples_never_lift_a_pass_rate_veto",
                                  "test_our_report_does_not_depend_on_row_order"])
def test_the_guide_tests_pass_on_the_demo_county(guide: types.ModuleType, name: str) -> None:
    getattr(guide, name)()


def test_the_threshold_test_catches_a_wrong_threshold(guide: types.ModuleType,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the threshold off by a point, the guide's test would fail: it is not vacuous."""
    real = guide.parameter_value
    monkeypatch.setattr(guide, "parameter_value",
                        lambda plan, rule, name: real(plan, rule, name) + 1.0)
    with pytest.raises(AssertionError):
        guide.test_satisfaction_veto_follows_our_threshold()


def test_the_guide_only_uses_public_names() -> None:
    private = re.findall(r"^\s*(?:from|import) (fsrules\S*\._\w+)", guide_code(), re.MULTILINE)
    assert private == []
