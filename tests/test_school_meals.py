"""陪餐 (SCHOOL-001) and 留样 (SCHOOL-002 … 005): one change to the school week each."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from fsrules import Engine, Fact
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
    engine_with,
    find,
    meal_id,
    only,
    run,
    without,
)

MON_LUNCH = meal_id(PRIMARY, WEEK[0], "lunch")   # 米饭、西红柿炒鸡蛋、土豆烧牛肉、蒜蓉油麦菜、紫菜蛋花汤


def sample(n: int, meal: str = MON_LUNCH) -> str:
    """The id of the n-th sample of a meal (dishes in menu order, from 1)."""
    return f"{meal}-s{n}"


# --------------------------------------------------------------------------- SCHOOL-001


def test_001_fires_without_leader_and_record(engine: Engine) -> None:
    facts = changed(build_week(), MON_LUNCH, accompanying_leader=None,
                    accompanying_recorded=False)
    finding = assert_finding(run(engine, facts), "SCHOOL-001", subject=PRIMARY, evidence={
        "meal_service_id": MON_LUNCH, "served_on": WEEK[0], "meal": "lunch",
        "missing": ["leader", "record"], "accompanying_leader": None,
        "institution_type": "primary_school"}, legal_basis_contains="第十三条")
    assert finding.message.zh == ("威县第一实验小学食堂：2023-05-15午餐没有学校负责人陪餐，"
                                  "也没有陪餐记录。")
    assert finding.period is not None and finding.period.start == WEEK[0]
    assert finding.lead_departments == ("县教育局",)


def test_001_fires_when_only_the_record_is_missing(engine: Engine) -> None:
    mid = meal_id(SECONDARY, WEEK[2], "dinner")
    facts = changed(build_week(), mid, accompanying_recorded=False)
    finding = assert_finding(run(engine, facts), "SCHOOL-001", subject=SECONDARY,
                             evidence={"missing": ["record"], "accompanying_leader": "张立新"})
    assert "有陪餐人（张立新）但没有陪餐记录" in finding.message.zh


def test_001_fires_when_only_the_leader_is_missing(engine: Engine) -> None:
    facts = changed(build_week(), meal_id(KINDERGARTEN, WEEK[1], "breakfast"),
                    accompanying_leader="  ")
    assert_finding(run(engine, facts), "SCHOOL-001", subject=KINDERGARTEN,
                   evidence={"missing": ["leader"], "meal": "breakfast"})


def test_001_snacks_need_no_leader_unless_a_profile_says_so() -> None:
    week = build_week()        # the kindergarten's snacks have no leader
    assert_no_finding(run(Engine(), week), "SCHOOL-001")
    eng = engine_with({"SCHOOL-001": {"meals": ["breakfast", "lunch", "dinner", "snack"]}})
    assert len(only(run(eng, week), "SCHOOL-001")) == 5


def test_001_quiet_at_a_university(engine: Engine) -> None:
    facts = changed(build_week(), PRIMARY, "operator", institution_type=InstitutionType.UNIVERSITY)
    facts = changed(facts, MON_LUNCH, accompanying_leader=None, accompanying_recorded=False)
    assert_no_finding(run(engine, facts), "SCHOOL-001")


def test_001_quiet_outside_the_window_and_before_the_regulation(engine: Engine) -> None:
    facts = changed(build_week(), MON_LUNCH, accompanying_leader=None,
                    accompanying_recorded=False)
    assert_no_finding(run(engine, facts, as_of=dt.date(2024, 6, 30)), "SCHOOL-001")
    old = [attrs.evolve(f, served_on=dt.date(2019, 3, 29)) if f.id == MON_LUNCH else f
           for f in facts]
    assert_no_finding(run(engine, old, as_of=dt.date(2019, 12, 31)), "SCHOOL-001")


def test_001_fingerprint_is_the_meal(engine: Engine) -> None:
    facts = changed(build_week(), MON_LUNCH, accompanying_leader=None,
                    accompanying_recorded=False)
    first = only(run(engine, facts), "SCHOOL-001")[0]
    later = only(run(engine, facts, as_of=dt.date(2023, 12, 31)), "SCHOOL-001")[0]
    assert first.fingerprint == later.fingerprint


# --------------------------------------------------------------------------- SCHOOL-002


def test_002_fires_for_a_dish_without_sample(engine: Engine) -> None:
    facts = without(build_week(), sample(3))        # 土豆烧牛肉
    report = run(engine, facts)
    finding = assert_finding(report, "SCHOOL-002", subject=PRIMARY, evidence={
        "meal_service_id": MON_LUNCH, "dish": "土豆烧牛肉", "scope": "every_dish",
        "sample_ids": [], "samples_for_meal": 4}, legal_basis_contains="第二十八条")
    assert finding.message.zh == "威县第一实验小学食堂：2023-05-15午餐的菜品“土豆烧牛肉”没有留样记录。"
    assert finding.severity.value == "high"
    assert [f.rule_id for f in report.findings] == ["SCHOOL-002"]
    assert any(b.article is None and "第三十八条" in b.note for b in finding.legal_basis)


def test_002_one_finding_per_dish_when_a_meal_has_no_samples(engine: Engine) -> None:
    facts = without(build_week(), *(sample(n) for n in range(1, 6)))
    found = only(run(engine, facts), "SCHOOL-002")
    assert sorted(f.evidence["dish"] for f in found) == sorted(
        ["米饭", "西红柿炒鸡蛋", "土豆烧牛肉", "蒜蓉油麦菜", "紫菜蛋花汤"])
    assert len({f.fingerprint for f in found}) == 5


def test_002_pairs_samples_and_dishes_after_normalisation(engine: Engine) -> None:
    facts = changed(build_week(), sample(5), dish="紫菜 蛋花湯")      # space, traditional
    assert run(engine, facts).findings == ()


def test_002_a_sample_of_another_meal_does_not_count(engine: Engine) -> None:
    facts = changed(build_week(), sample(2), meal_service_id=meal_id(PRIMARY, WEEK[1], "lunch"))
    assert_finding(run(engine, facts), "SCHOOL-002", evidence={"dish": "西红柿炒鸡蛋"})


def _university(facts: list[Fact]) -> list[Fact]:
    return changed(facts, SECONDARY, "operator", institution_type=InstitutionType.UNIVERSITY)


def test_002_university_ordinary_meal_only_cold_raw_and_cake_dishes(engine: Engine) -> None:
    mid = meal_id(SECONDARY, WEEK[0], "lunch")
    facts = _university(changed(build_week(), mid, dishes=("米饭", "鱼香肉丝", "拍黄瓜")))
    facts = [f for f in facts if not (f.KIND == "sample_retention" and f.id.startswith(mid))]
    finding = assert_finding(run(engine, facts), "SCHOOL-002", subject=SECONDARY)
    assert finding.evidence["dish"] == "拍黄瓜"
    assert finding.evidence["scope"] == "category:cold_food"


def test_002_university_large_event_every_dish(engine: Engine) -> None:
    mid = meal_id(SECONDARY, WEEK[0], "lunch")
    facts = _university(changed(build_week(), mid, large_event=True))
    facts = without(facts, f"{mid}-s1", f"{mid}-s2")
    found = only(run(engine, facts), "SCHOOL-002")
    assert [f.evidence["dish"] for f in found] == ["米饭", "鱼香肉丝"]
    assert {f.evidence["scope"] for f in found} == {"large_event"}


def test_002_quiet_at_an_elderly_care_canteen(engine: Engine) -> None:
    facts = changed(build_week(), PRIMARY, "operator", institution_type=InstitutionType.ELDERLY_CARE)
    assert_no_finding(run(engine, without(facts, sample(3))), "SCHOOL-002")


def test_002_a_canteen_without_type_takes_its_schools_type(engine: Engine) -> None:
    b = FactBuilder()
    school = b.operator("school-x", name="威县第三小学", business_type="unit_canteen",
                        institution_type="primary_school", has_bright_kitchen=True)
    canteen = b.operator("ct-x", name="威县第三小学二食堂", business_type="unit_canteen",
                         school_id="school-x", has_bright_kitchen=True)
    meal = b.meal_service("m-x", operator_id="ct-x", served_on=WEEK[0], dishes=("米饭",),
                          accompanying_leader="校长", accompanying_recorded=True)
    report = run(engine, [school, canteen, meal])
    assert_finding(report, "SCHOOL-002", subject="ct-x",
                   evidence={"institution_type": "primary_school", "dish": "米饭"})


# --------------------------------------------------------------------------- SCHOOL-003


@pytest.mark.parametrize(("weight", "fires"), [(124.9, True), (125.0, False), (125.1, False),
                                               (90.0, True)])
def test_003_boundary_at_125_grams(engine: Engine, weight: float, fires: bool) -> None:
    facts = changed(build_week(), sample(2), weight_g=weight)
    found = only(run(engine, facts), "SCHOOL-003")
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["weight_g"] == weight
        assert found[0].evidence["min_weight_g"] == 125
        assert found[0].evidence["shortfall_g"] == round(125 - weight, 4)


def test_003_message_and_content(engine: Engine) -> None:
    facts = changed(build_week(), sample(2), weight_g=124.9)
    finding = assert_finding(run(engine, facts), "SCHOOL-003", subject=PRIMARY, evidence={
        "dish": "西红柿炒鸡蛋", "weight_g": 124.9, "shortfall_g": 0.1,
        "sample_ids": [sample(2)]})
    assert "留样 124.9 克，不足 125 克（差 0.1 克）" in finding.message.zh


def test_003_several_samples_of_a_dish_are_added_up(engine: Engine) -> None:
    base = changed(build_week(), sample(2), weight_g=70.0)
    extra = attrs.evolve(find(base, sample(2)), id="extra", weight_g=60.0)
    assert_no_finding(run(engine, [*base, extra]), "SCHOOL-003")
    short = attrs.evolve(extra, weight_g=50.0)
    assert_finding(run(engine, [*base, short]), "SCHOOL-003",
                   evidence={"weight_g": 120, "sample_ids": [sample(2), "extra"]})


def test_003_unknown_weight_is_left_to_005(engine: Engine) -> None:
    report = run(engine, changed(build_week(), sample(2), weight_g=None))
    assert_no_finding(report, "SCHOOL-003")
    assert_finding(report, "SCHOOL-005", evidence={"missing": ["weight_g"]})


def test_003_a_profile_may_raise_the_minimum() -> None:
    eng = engine_with({"SCHOOL-003": {"min_weight_g": {"value": 200.0,
                                                       "note": "某省要求200克"}}})
    found = only(run(eng, build_week()), "SCHOOL-003")
    assert found and all(f.evidence["min_weight_g"] == 200 for f in found)


# --------------------------------------------------------------------------- SCHOOL-004


def _kept(facts: list[Fact], sample_id: str, hours: float) -> list[Fact]:
    taken = find(facts, sample_id).retained_at  # type: ignore[attr-defined]
    return changed(facts, sample_id, discarded_at=taken + dt.timedelta(hours=hours))


@pytest.mark.parametrize(("hours", "fires"), [(47 + 59 / 60, True), (48.0, False),
                                              (24.0, True), (72.0, False)])
def test_004_boundary_at_48_hours(engine: Engine, hours: float, fires: bool) -> None:
    found = only(run(engine, _kept(build_week(), sample(4), hours)), "SCHOOL-004")
    assert bool(found) is fires


def test_004_content(engine: Engine) -> None:
    facts = _kept(build_week(), sample(4), 36.2)
    finding = assert_finding(run(engine, facts), "SCHOOL-004", subject=PRIMARY, evidence={
        "dish": "蒜蓉油麦菜", "problems": ["kept_too_short"], "hours_kept": 36.2,
        "min_hours": 48, "dedicated_fridge": True})
    assert "保存不足48小时（仅36.2小时）" in finding.message.zh


def test_004_hours_shown_are_rounded_down(engine: Engine) -> None:
    facts = _kept(build_week(), sample(4), 47 + 59.9 / 60)
    [finding] = only(run(engine, facts), "SCHOOL-004")
    assert finding.evidence["hours_kept"] == 47.99      # never "48.0 is below 48"


def test_004_a_sample_still_kept_is_fine(engine: Engine) -> None:
    facts = changed(build_week(), sample(4), discarded_at=None)
    assert run(engine, facts).findings == ()


def test_004_not_in_a_dedicated_fridge(engine: Engine) -> None:
    facts = changed(build_week(), sample(4), dedicated_fridge=False)
    assert_finding(run(engine, facts), "SCHOOL-004", evidence={
        "problems": ["not_dedicated_fridge"], "hours_kept": None, "dedicated_fridge": False})


def test_004_discarded_before_it_was_taken(engine: Engine) -> None:
    facts = _kept(build_week(), sample(4), -1)
    assert_finding(run(engine, facts), "SCHOOL-004",
                   evidence={"problems": ["discarded_before_retained"]})


# --------------------------------------------------------------------------- SCHOOL-005


def test_005_fires_for_a_missing_person(engine: Engine) -> None:
    facts = changed(build_week(), sample(1), recorded_by=" ")
    finding = assert_finding(run(engine, facts), "SCHOOL-005", subject=PRIMARY, evidence={
        "dish": "米饭", "missing": ["recorded_by"]})
    assert finding.message.zh.endswith("“米饭”留样记录缺少留样人。")
    assert finding.severity.value == "low"


def test_005_lists_every_missing_field(engine: Engine) -> None:
    facts = changed(build_week(), sample(1), weight_g=None, retained_at=None)
    report = run(engine, facts)
    finding = assert_finding(report, "SCHOOL-005",
                             evidence={"missing": ["weight_g", "retained_at"]})
    assert finding.message.zh.endswith("留样记录缺少留样量、留样时间。")
    assert finding.message.en.endswith("lacks the quantity, time sampled.")
    assert [f.rule_id for f in report.findings] == ["SCHOOL-005"]   # no 003/004 guesswork


def test_005_quiet_when_complete(engine: Engine) -> None:
    assert_no_finding(run(engine, build_week()), "SCHOOL-005")


def test_as_of_is_after_the_week() -> None:
    assert WEEK[-1] < AS_OF
