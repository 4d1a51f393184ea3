"""Health certificates on every day worked (SCHOOL-009) and the 食品安全总监 (SCHOOL-010)."""

from __future__ import annotations

import datetime as dt

import pytest

from fsrules import Engine
from fsrules.model import InstitutionType
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding

from .test_school_week import (
    AS_OF,
    KINDERGARTEN,
    PRIMARY,
    SECONDARY,
    WEEK,
    build_week,
    changed,
    cook_id,
    only,
    run,
    without,
)

COOK = cook_id(PRIMARY, 1)          # 王桂芳, works Mon-Fri


# --------------------------------------------------------------------------- SCHOOL-009


def test_009_lists_the_days_a_certificate_did_not_cover(engine: Engine) -> None:
    # The 2023 certificate was only issued on Wednesday; the 2022 one ran out in April.
    facts = changed(build_week(), f"{COOK}-hc2023", issued_on=WEEK[2])
    finding = assert_finding(run(engine, facts), "SCHOOL-009", subject=PRIMARY, evidence={
        "person_id": COOK, "name": "王桂芳", "role": "cook", "days_worked": 5,
        "uncovered_days": [WEEK[0], WEEK[1]], "uncovered_count": 2, "status": "not_valid",
        "latest_certificate_id": f"{COOK}-hc2023"}, legal_basis_contains="第四十五条")
    assert finding.message.zh.startswith(
        "威县第一实验小学食堂：接触直接入口食品的王桂芳（ct-primary-cook1）有 2 个工作日"
        "（2023-05-15 至 2023-05-16）没有有效的健康证明")
    assert finding.severity.value == "high"
    assert finding.period is not None and finding.period.end == AS_OF


@pytest.mark.parametrize(("valid_until", "uncovered"), [
    (WEEK[4], 0), (WEEK[3], 1), (WEEK[0] - dt.timedelta(days=1), 5)])
def test_009_boundary_on_the_last_valid_day(engine: Engine, valid_until: dt.date,
                                            uncovered: int) -> None:
    facts = without(build_week(), f"{COOK}-hc2023")
    facts = changed(facts, f"{COOK}-hc2022", valid_until=valid_until)
    found = only(run(engine, facts), "SCHOOL-009")
    assert sum(f.evidence["uncovered_count"] for f in found) == uncovered


def test_009_no_certificate_at_all(engine: Engine) -> None:
    facts = without(build_week(), f"{COOK}-hc2022", f"{COOK}-hc2023")
    finding = assert_finding(run(engine, facts), "SCHOOL-009", evidence={
        "status": "no_certificate", "uncovered_count": 5, "latest_certificate_id": None})
    assert "没有任何健康证明记录" in finding.message.zh


def test_009_quiet_for_staff_not_handling_ready_to_eat_food(engine: Engine) -> None:
    b = FactBuilder()
    shifts = [b.work_shift(f"p-{d:%d}", operator_id=PRIMARY, person_id=f"{PRIMARY}-principal",
                           worked_on=d) for d in WEEK]
    unknown = b.work_shift("ghost", operator_id=PRIMARY, person_id="nobody", worked_on=WEEK[0])
    assert_no_finding(run(engine, [*build_week(), *shifts, unknown]), "SCHOOL-009")


def test_009_a_certificate_filed_under_another_employer_counts(engine: Engine) -> None:
    facts = changed(build_week(), f"{COOK}-hc2023", operator_id="previous-employer")
    assert_no_finding(run(engine, facts), "SCHOOL-009")


def test_009_fingerprint_survives_a_later_run(engine: Engine) -> None:
    facts = without(build_week(), f"{COOK}-hc2023")
    first = only(run(engine, facts), "SCHOOL-009")[0]
    later = only(run(engine, facts, as_of=dt.date(2023, 9, 30)), "SCHOOL-009")[0]
    assert first.fingerprint == later.fingerprint
    assert first.period != later.period


def test_009_quiet_outside_the_window(engine: Engine) -> None:
    facts = without(build_week(), f"{COOK}-hc2023")
    assert_no_finding(run(engine, facts, as_of=dt.date(2024, 6, 30)), "SCHOOL-009")


# --------------------------------------------------------------------------- SCHOOL-010


@pytest.mark.parametrize(("diners", "fires"), [(299, False), (300, True), (360, True)])
def test_010_kindergarten_boundary_at_300(engine: Engine, diners: int, fires: bool) -> None:
    facts = changed(build_week(), KINDERGARTEN, "operator", avg_diners_per_meal=diners)
    found = only(run(engine, facts), "SCHOOL-010")
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["threshold"] == 300
        assert found[0].evidence["threshold_parameter"] == "kindergarten_min_diners"


@pytest.mark.parametrize(("diners", "fires"), [(499, False), (500, True)])
def test_010_school_boundary_at_500(engine: Engine, diners: int, fires: bool) -> None:
    facts = without(build_week(), f"{PRIMARY}-director")
    facts = changed(facts, PRIMARY, "operator", avg_diners_per_meal=diners)
    assert bool(only(run(engine, facts), "SCHOOL-010")) is fires


def test_010_content(engine: Engine) -> None:
    facts = changed(build_week(), KINDERGARTEN, "operator", avg_diners_per_meal=360)
    finding = assert_finding(run(engine, facts), "SCHOOL-010", subject=KINDERGARTEN, evidence={
        "institution_type": "kindergarten", "avg_diners_per_meal": 360, "threshold": 300})
    assert finding.message.zh == ("威县实验幼儿园食堂：幼儿园食堂平均每餐就餐 360 人，达到 300 人，"
                                  "但没有在任的食品安全总监。")
    assert any("集中用餐单位" in b.instrument for b in finding.legal_basis)
    assert finding.period is None


def test_010_a_director_who_left_does_not_count(engine: Engine) -> None:
    facts = changed(build_week(), f"{SECONDARY}-director", left_on=dt.date(2023, 3, 1))
    assert_finding(run(engine, facts), "SCHOOL-010", subject=SECONDARY,
                   evidence={"avg_diners_per_meal": 1350, "threshold": 500})


def test_010_a_director_of_the_school_counts(engine: Engine) -> None:
    # The school (operator "school-2") employs the director; its canteen points to it.
    b = FactBuilder()
    school = b.operator("school-2", name="威县第二中学", business_type="unit_canteen",
                        institution_type="secondary_school", has_bright_kitchen=True)
    head = b.staff_member("school-2-director", operator_id="school-2", role="director",
                          touches_ready_to_eat=False, joined_on=dt.date(2020, 1, 1))
    facts = without(build_week(), f"{SECONDARY}-director")
    facts = changed(facts, SECONDARY, "operator", school_id="school-2")
    assert_no_finding(run(engine, [*facts, school, head]), "SCHOOL-010", subject=SECONDARY)


def test_010_quiet_for_other_canteens_closed_ones_and_before_2022_11(engine: Engine) -> None:
    facts = without(build_week(), f"{SECONDARY}-director")
    elderly = changed(facts, SECONDARY, "operator",
                      institution_type=InstitutionType.ELDERLY_CARE)
    assert_no_finding(run(engine, elderly), "SCHOOL-010")
    closed = changed(facts, SECONDARY, "operator", closed_on=dt.date(2023, 6, 1))
    assert_no_finding(run(engine, closed), "SCHOOL-010")
    early = run(engine, facts, as_of=dt.date(2022, 10, 31))
    assert {s.rule_id: s.status for s in early.rule_stats}["SCHOOL-010"] == "not_in_force"


def test_010_unknown_diners_without_a_director_is_no_data(engine: Engine) -> None:
    """Issue 10, defect 5 sibling: a canteen whose diners are not recorded cannot be judged."""
    facts = without(build_week(), f"{SECONDARY}-director")
    facts = changed(facts, SECONDARY, "operator", avg_diners_per_meal=None)
    found = assert_finding(run(engine, facts), "SCHOOL-010", subject=SECONDARY, evidence={
        "institution_type": "secondary_school", "status": "no_data", "threshold": 500})
    assert "avg_diners_per_meal" not in found.evidence
    assert found.severity.value == "info"
    assert "平均每餐就餐人数未记录" in found.message.zh and "500" in found.message.zh
    assert "cannot be judged" in found.message.en
    assert any("集中用餐单位" in b.instrument for b in found.legal_basis)


def test_010_unknown_diners_with_a_director_needs_no_data(engine: Engine) -> None:
    facts = changed(build_week(), SECONDARY, "operator", avg_diners_per_meal=None)
    assert_no_finding(run(engine, facts), "SCHOOL-010", subject=SECONDARY)
