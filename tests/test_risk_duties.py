"""Enterprise duties: 日管控/周排查/月调度 (DUTY-001…003), 总监 (DUTY-004), training
(DUTY-005), 安全员 (DUTY-006), and which operators are bound (INFER-DUTY-SCOPE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from fsrules import Engine, Severity
from fsrules.model import (
    BusinessType,
    InstitutionType,
    OperatorScale,
    SelfCheck,
    SelfCheckCycle,
    StaffRole,
    WorkShift,
)
from fsrules.testing import assert_finding, assert_no_finding
from fsrules_rulesets.risk.facts import DutyClosure, parse_weekday

from .test_risk_support import (
    DUTIES,
    d,
    derived,
    engine_with,
    enterprise,
    only,
    operator,
    run,
    self_check,
    staff,
    training,
)

YEAR = [dt.date(2023, 1, 1) + dt.timedelta(days=k) for k in range(365)]
DAILY, WEEKLY, MONTHLY = SelfCheckCycle.DAILY, SelfCheckCycle.WEEKLY, SelfCheckCycle.MONTHLY
OFFICER, DIRECTOR, PRINCIPAL = (StaffRole.SAFETY_OFFICER, StaffRole.DIRECTOR,
                                StaffRole.PRINCIPAL)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return engine_with(last_year=("national", {
        "DUTY-001": {"period": "previous_year"}, "DUTY-005": {"period": "previous_year"}}))


def people(oid: str = "ent1", *, director: bool = True) -> list:
    roles = [OFFICER, PRINCIPAL, *([DIRECTOR] if director else [])]
    return [staff(f"{oid}-{r.value}", oid, r) for r in roles]


def records(cycle: SelfCheckCycle, days: Iterable[dt.date], role: StaffRole,
            oid: str = "ent1", prefix: str = "") -> list[SelfCheck]:
    return [self_check(f"{prefix or cycle.value}-{day}", oid, cycle, day, role) for day in days]


def fridays() -> list[dt.date]:
    return [day for day in YEAR if day.weekday() == 4]


def month_ends() -> list[dt.date]:
    return [day for day in YEAR if (day + dt.timedelta(days=1)).day == 1]


def complete(oid: str = "ent1", *, director: bool = True, daily_days: Iterable[dt.date] = YEAR
             ) -> list:
    """An enterprise keeping every record in 2023, its director and officer trained 40 hours."""
    return [enterprise(oid), *people(oid, director=director),
            *(training(f"{oid}-t-{r.value}", f"{oid}-{r.value}", oid, "2023-05-01", 40)
              for r in (OFFICER, *([DIRECTOR] if director else []))),
            *records(DAILY, daily_days, OFFICER, oid),
            *records(WEEKLY, fridays(), DIRECTOR if director else OFFICER, oid),
            *records(MONTHLY, month_ends(), PRINCIPAL, oid)]


def test_a_complete_enterprise_is_quiet(engine: Engine) -> None:
    report = run(engine, complete(), DUTIES)
    for rule_id in ("DUTY-001", "DUTY-002", "DUTY-003", "DUTY-004", "DUTY-005", "DUTY-006"):
        assert_no_finding(report, rule_id)


# --------------------------------------------------------------------------- DUTY-001


def test_duty_001_missing_days(engine: Engine) -> None:
    gap = {d("2023-03-06"), d("2023-03-07"), d("2023-03-08"), d("2023-07-01")}
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.cycle is DAILY
                                           and f.checked_on in gap)]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-001", subject="ent1",
                       evidence={"year": 2023, "operating_days": 365, "recorded_days": 361,
                                 "missing_days": 4, "first_missing": "2023-03-06",
                                 "last_missing": "2023-07-01", "longest_gap": 3,
                                 "missing_sample": ["2023-03-06", "2023-03-07", "2023-03-08",
                                                    "2023-07-01"],
                                 "wrong_role_days": 0},
                       legal_basis_contains="第60号")
    assert f.severity is Severity.MEDIUM
    assert f.period is not None and (f.period.start, f.period.end) == (d("2023-01-01"),
                                                                        d("2023-12-31"))
    assert "4 天没有食品安全员的日管控记录" in f.message.zh


def test_duty_001_a_record_by_another_role_does_not_count(engine: Engine) -> None:
    day = d("2023-05-05")
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.checked_on == day
                                           and f.cycle is DAILY)]
    facts.append(self_check("by-director", "ent1", DAILY, day, DIRECTOR))
    assert_finding(run(engine, facts, DUTIES), "DUTY-001", subject="ent1",
                   evidence={"missing_days": 1, "wrong_role_days": 1})


def test_duty_001_only_operating_days_count(engine: Engine) -> None:
    """Sundays off (a weekly closure) and a closed fortnight need no daily record."""
    open_days = [day for day in YEAR if day.weekday() != 6
                 and not d("2023-02-01") <= day <= d("2023-02-14")]
    facts = [*complete(daily_days=open_days),
             DutyClosure(id="rest", operator_id="ent1", start_on=d("2020-01-01"),
                         weekdays=("周日",)),
             DutyClosure(id="spring", operator_id="ent1", start_on=d("2023-02-01"),
                         end_on=d("2023-02-14"), reason="春节休业")]
    assert_no_finding(run(engine, facts, DUTIES), "DUTY-001")
    without_closures = [f for f in facts if not isinstance(f, DutyClosure)]
    assert_finding(run(engine, without_closures, DUTIES), "DUTY-001", subject="ent1",
                   evidence={"missing_days": 365 - len(open_days)})


def test_duty_001_a_roster_marks_the_operating_days(engine: Engine) -> None:
    weekdays = [day for day in YEAR if day.weekday() < 5]
    shifts = [WorkShift(id=f"s-{day}", operator_id="ent1", person_id="ent1-safety_officer",
                        worked_on=day) for day in weekdays]
    facts = [*complete(daily_days=weekdays), *shifts]
    assert_no_finding(run(engine, facts, DUTIES), "DUTY-001")
    no_roster = engine_with(p=("national", {"DUTY-001": {"roster_marks_open_days": False}}))
    assert_finding(run(no_roster, facts, DUTIES, profile="p"), "DUTY-001", subject="ent1",
                   evidence={"operating_days": 365, "missing_days": 365 - len(weekdays)})


def test_duty_001_counts_from_opening_and_from_order_60(engine: Engine) -> None:
    late = [f for f in complete() if f.id != "ent1"]
    late.append(enterprise("ent1", opened_on=d("2023-12-20")))
    days = derived(run(engine, late, DUTIES), "duty_enterprise")["ent1"]
    assert days.duties_from == d("2023-12-20")
    assert_no_finding(run(engine, late, DUTIES), "DUTY-001")
    # previous_year as of 2023-03-01 judges 2022 from Order 60's date, 2022-11-01.
    f = assert_finding(run(engine, [enterprise(), *people()], DUTIES, profile="last_year",
                           as_of=d("2023-03-01")), "DUTY-001", subject="ent1",
                       evidence={"year": 2022, "operating_days": 61, "missing_days": 61})
    assert f.period is not None and f.period.start == d("2022-11-01")


def test_duty_rules_not_in_force_before_order_60(engine: Engine) -> None:
    report = run(engine, [enterprise(), *people()], DUTIES, as_of=d("2022-10-31"))
    stats = {s.rule_id: s.status for s in report.rule_stats}
    assert {stats[r] for r in ("INFER-DUTY-SCOPE", "DUTY-001", "DUTY-004")} == {"not_in_force"}
    assert report.findings == () or all(f.rule_id.startswith("BAOBAO")
                                        for f in report.findings)


def test_who_is_bound(engine: Engine) -> None:
    """Enterprises of the listed types; not individual businesses, the 三小 or (before
    2025-04-15) unit canteens."""
    facts = [enterprise("firm"),
             enterprise("solo", uscc="92130533MA0000011X"),
             enterprise("eat", business_type=BusinessType.SMALL_EATERY),
             enterprise("canteen", business_type=BusinessType.UNIT_CANTEEN)]
    bound = derived(run(engine, facts, DUTIES), "duty_enterprise")
    assert set(bound) == {"firm"}
    later = derived(run(engine, facts, DUTIES, as_of=d("2025-06-30")), "duty_enterprise")
    assert set(later) == {"firm", "canteen"}


# --------------------------------------------------------------------------- DUTY-002


def test_duty_002_missing_week(engine: Engine) -> None:
    skip = d("2023-06-16")  # the Friday of the week starting Monday 2023-06-12
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.checked_on == skip
                                           and f.cycle is WEEKLY)]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-002", subject="ent1",
                       evidence={"weeks_judged": 52, "weeks_missing": 1,
                                 "first_missing_week": "2023-06-12",
                                 "missing_weeks": ["2023-06-12"], "director_appointed": True})
    assert "没有食品安全总监的周排查记录" in f.message.zh


def test_duty_002_officer_only_where_there_is_no_director(engine: Engine) -> None:
    assert_no_finding(run(engine, complete(director=False), DUTIES), "DUTY-002")
    # With a director in post, the officer's weekly records do not count.
    facts = [*complete(director=False), staff("ent1-director", "ent1", DIRECTOR)]
    assert_finding(run(engine, facts, DUTIES), "DUTY-002", subject="ent1",
                   evidence={"weeks_missing": 52, "wrong_role_weeks": 52})


def test_duty_002_judges_whole_weeks_only(engine: Engine) -> None:
    """As of Wednesday 2023-06-14 the current week is not yet judged."""
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.cycle is WEEKLY
                                           and f.checked_on >= d("2023-06-12"))]
    assert_no_finding(run(engine, facts, DUTIES, as_of=d("2023-06-14")), "DUTY-002")
    assert_finding(run(engine, facts, DUTIES, as_of=d("2023-06-18")), "DUTY-002",
                   subject="ent1", evidence={"weeks_missing": 1})


# --------------------------------------------------------------------------- DUTY-003


def test_duty_003_missing_month(engine: Engine) -> None:
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.cycle is MONTHLY
                                           and f.checked_on.month == 5)]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-003", subject="ent1",
                       evidence={"months_judged": 12, "months_missing": 1,
                                 "missing_months": ["2023-05"], "roles": ["principal"]})
    assert "没有主要负责人的月调度记录" in f.message.zh


def test_duty_003_current_month_and_wrong_role(engine: Engine) -> None:
    facts = [f for f in complete() if not (isinstance(f, SelfCheck) and f.cycle is MONTHLY
                                           and f.checked_on.month == 12)]
    assert_no_finding(run(engine, facts, DUTIES, as_of=d("2023-12-30")), "DUTY-003")
    facts.append(self_check("m-dir", "ent1", MONTHLY, d("2023-12-29"), DIRECTOR))
    assert_finding(run(engine, facts, DUTIES), "DUTY-003", subject="ent1",
                   evidence={"missing_months": ["2023-12"], "wrong_role_months": 1})


# --------------------------------------------------------------------------- DUTY-004


def test_duty_004_large_seller_without_director(engine: Engine) -> None:
    facts = [enterprise("big", scale=OperatorScale.LARGE), *people("big", director=False)]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-004", subject="big",
                       evidence={"reasons": ["large_medium"], "scale": "large",
                                 "former_director_ids": []},
                       legal_basis_contains="第六条")
    assert f.severity is Severity.HIGH and "应配备食品安全总监" in f.message.zh


def test_duty_004_a_director_who_left_does_not_count(engine: Engine) -> None:
    facts = [enterprise("big"), *people("big", director=False),
             staff("old-dir", "big", DIRECTOR, left="2023-10-01")]
    assert_finding(run(engine, facts, DUTIES), "DUTY-004", subject="big",
                   evidence={"former_director_ids": ["old-dir"]})
    assert_no_finding(run(engine, facts, DUTIES, as_of=d("2023-09-30")), "DUTY-004")


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"business_type": BusinessType.HEALTH_FOOD_PRODUCER, "scale": OperatorScale.SMALL},
         "special_food"),
        ({"is_special_food": True, "business_type": BusinessType.PRODUCER,
          "scale": OperatorScale.MICRO}, "special_food"),
        ({"is_chain_hq": True, "scale": OperatorScale.SMALL}, "chain_hq"),
        ({"business_type": BusinessType.CENTRAL_KITCHEN}, "large_medium"),
    ],
)
def test_duty_004_other_reasons(engine: Engine, kw: dict, reason: str) -> None:
    facts = [enterprise("x", **kw), *people("x", director=False)]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-004", subject="x")
    assert reason in f.evidence["reasons"]


@pytest.mark.parametrize(
    ("institution", "diners", "fires"),
    [
        # School and kindergarten canteens are SCHOOL-010's (school ruleset), never DUTY-004's.
        (InstitutionType.KINDERGARTEN, 300, False), (InstitutionType.PRIMARY_SCHOOL, 500, False),
        (InstitutionType.SECONDARY_SCHOOL, 500, False),
        (InstitutionType.OTHER, 999, False), (InstitutionType.OTHER, 1000, True),
        (None, 1000, True),
        (InstitutionType.ELDERLY_CARE, 300, False),   # 1000 until the 2025 rule
    ],
)
def test_duty_004_canteen_thresholds(engine: Engine, institution: InstitutionType | None,
                                     diners: int, fires: bool) -> None:
    canteen = operator("cant", business_type=BusinessType.UNIT_CANTEEN,
                       institution_type=institution, avg_diners_per_meal=diners,
                       scale=OperatorScale.SMALL)
    report = run(engine, [canteen], DUTIES)
    if fires:
        assert_finding(report, "DUTY-004", subject="cant",
                       evidence={"reasons": ["canteen_diners"], "avg_diners_per_meal": diners})
    else:
        assert_no_finding(report, "DUTY-004")


def test_duty_004_elderly_care_from_2025(engine: Engine) -> None:
    canteen = operator("home", business_type=BusinessType.UNIT_CANTEEN,
                       institution_type=InstitutionType.ELDERLY_CARE, avg_diners_per_meal=300)
    assert_finding(run(engine, [canteen], DUTIES, as_of=d("2025-04-15")), "DUTY-004",
                   subject="home", evidence={"diner_threshold": 300})
    assert_no_finding(run(engine, [canteen], DUTIES, as_of=d("2025-04-14")), "DUTY-004")


@pytest.mark.parametrize("institution", [InstitutionType.OTHER, None,
                                         InstitutionType.ELDERLY_CARE])
def test_duty_004_canteen_with_unknown_diners_is_no_data(
        engine: Engine, institution: InstitutionType | None) -> None:
    """Issue 10, defect 5 sibling: whether a director is needed cannot be told: say so."""
    canteen = operator("cant", business_type=BusinessType.UNIT_CANTEEN,
                       institution_type=institution, avg_diners_per_meal=None,
                       scale=OperatorScale.SMALL)
    f = assert_finding(run(engine, [canteen], DUTIES), "DUTY-004", subject="cant", evidence={
        "reasons": [], "status": "no_data", "avg_diners_per_meal": None,
        "diner_threshold": 1000})
    assert f.severity.value == "info"
    assert "平均每餐就餐人数未记录" in f.message.zh and "1000" in f.message.zh
    assert "cannot be judged" in f.message.en


def test_duty_004_unknown_diners_is_quiet_with_a_director_or_for_schools(
        engine: Engine) -> None:
    canteen = operator("cant", business_type=BusinessType.UNIT_CANTEEN,
                       avg_diners_per_meal=None, scale=OperatorScale.SMALL)
    assert_no_finding(run(engine, [canteen, *people("cant")], DUTIES), "DUTY-004")
    school = operator("sch", business_type=BusinessType.UNIT_CANTEEN,
                      institution_type=InstitutionType.PRIMARY_SCHOOL,
                      avg_diners_per_meal=None, scale=OperatorScale.SMALL)
    assert_no_finding(run(engine, [school], DUTIES), "DUTY-004")  # SCHOOL-010's


def test_duty_004_small_seller_needs_none(engine: Engine) -> None:
    facts = [enterprise("small", scale=OperatorScale.SMALL), *people("small", director=False)]
    assert_no_finding(run(engine, facts, DUTIES), "DUTY-004")


# --------------------------------------------------------------------------- DUTY-005


def trained(hours: float, *, joined: str = "2020-01-01", role: StaffRole = DIRECTOR) -> list:
    return [enterprise("ent1"), staff("p1", "ent1", role, joined=joined),
            training("t1", "p1", "ent1", "2023-04-01", hours / 2),
            training("t2", "p1", "ent1", "2023-09-01", hours / 2),
            training("t0", "p1", "ent1", "2022-09-01", 40)]   # last year's hours do not count


def test_duty_005_fires_below_40_hours(engine: Engine) -> None:
    f = assert_finding(run(engine, trained(39.5), DUTIES), "DUTY-005", subject="ent1",
                       evidence={"person_id": "p1", "role": "director", "year": 2023,
                                 "hours": 39.5, "min_hours": 40, "shortfall": 0.5,
                                 "training_ids": ["t1", "t2"], "window_open": False},
                       legal_basis_contains="19")
    assert f.due_date == dt.date(2023, 12, 31) and f.severity is Severity.MEDIUM
    assert "2023年培训 39.5 学时，少于 40 学时（差 0.5 学时）" in f.message.zh


def test_duty_005_quiet_at_40_hours(engine: Engine) -> None:
    assert_no_finding(run(engine, trained(40), DUTIES), "DUTY-005")


def test_duty_005_scope(engine: Engine) -> None:
    assert_finding(run(engine, trained(8, role=OFFICER), DUTIES), "DUTY-005", subject="ent1",
                   evidence={"role": "safety_officer"})
    assert_no_finding(run(engine, trained(8, role=PRINCIPAL), DUTIES), "DUTY-005")
    assert_no_finding(run(engine, trained(8, joined="2023-03-01"), DUTIES), "DUTY-005")
    midyear = assert_finding(run(engine, trained(20), DUTIES, as_of=d("2023-10-01")),
                             "DUTY-005", subject="ent1", evidence={"window_open": True})
    assert midyear.severity is Severity.INFO
    assert_finding(run(engine, trained(20), DUTIES, profile="last_year", as_of=d("2024-02-01")),
                   "DUTY-005", subject="ent1", evidence={"year": 2023, "hours": 20})


# --------------------------------------------------------------------------- DUTY-006


def test_duty_006_no_safety_officer(engine: Engine) -> None:
    facts = [enterprise(), staff("boss", "ent1", PRINCIPAL),
             staff("gone", "ent1", OFFICER, left="2023-08-01")]
    f = assert_finding(run(engine, facts, DUTIES), "DUTY-006", subject="ent1",
                       evidence={"former_officer_ids": ["gone"]})
    assert f.severity is Severity.HIGH and "没有在任的食品安全员" in f.message.zh
    assert_no_finding(run(engine, [*facts, staff("new", "ent1", OFFICER,
                                                 joined="2023-08-01")], DUTIES), "DUTY-006")


def test_duty_006_not_for_individual_businesses(engine: Engine) -> None:
    solo = enterprise("solo", uscc="92130533MA0000011X")
    assert_no_finding(run(engine, [solo], DUTIES), "DUTY-006")
    assert only(run(engine, [solo], DUTIES), "DUTY-001") == []


# --------------------------------------------------------------------------- inputs


def test_closures_load_from_csv_with_chinese_weekdays(tmp_path: Path) -> None:
    from fsrules.loading import load_bundle

    bundle = tmp_path / "b"
    bundle.mkdir()
    (bundle / "duty_closure.csv").write_text(
        "编号,主体编号,起始日期,截止日期,每周休息日,原因\n"
        "c1,ent1,2023-01-01,,周六、星期天,双休\n", encoding="utf-8-sig")
    loaded = load_bundle([bundle], kinds=Engine(profile="national").fact_kinds)
    assert loaded.errors == ()
    [closure] = loaded.facts
    assert isinstance(closure, DutyClosure) and closure.weekdays == ("sat", "sun")
    assert closure.closes(d("2023-06-03")) and not closure.closes(d("2023-06-05"))
    assert parse_weekday("7") == parse_weekday("周日") == 6
    with pytest.raises(ValueError, match="not a weekday"):
        parse_weekday("周八")
