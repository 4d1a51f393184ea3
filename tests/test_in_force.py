"""Every dated instrument, walked: quiet the day before it took effect, judging from that day.

Issue 10, defect 2: a province's 三小 regulation was applied to facts from
before it existed. This test is data-driven: it reads every profile of the
default engine (plugins included), every three-small table entry and the
in-force date of the instrument the entry cites, and every rule with a
static ``valid_from``. A new profile, table entry or dated instrument is
covered without editing this file; a new *table parameter* needs an entry
in ``ENTRY_KINDS`` and a new three-small *rule* a fact maker in ``MAKERS``
(the test says so when one is missing).

For each (profile, rule, business type, in-force day D):

* as of D-1, with facts dated D-1: no finding for the operator, and the rule
  is ``not_in_force`` when none of its entries applies yet;
* as of D, with facts dated D: a finding for the operator (where one day of
  facts can make the rule fire);
* as of D+60, with *event* facts dated D-1: no finding — a fact dated before
  the instrument is not judged by it, even when the evaluation date is later.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from fsrules import Engine, Fact, Report
from fsrules.exceptions import MissingParameterError
from fsrules.model import BusinessType, InstitutionType
from fsrules.testing import FactBuilder
from fsrules_rulesets.three_small import RULESET as THREE_SMALL
from fsrules_rulesets.three_small.facts import VendorObservation
from fsrules_rulesets.three_small.in_force import IN_FORCE_DATES, in_force_from
from fsrules_rulesets.three_small.tables import (
    AreaLimit,
    BasisOnly,
    CertificateDuty,
    HealthDuty,
    OnlineDuty,
    ProductTestDuty,
    ProhibitedList,
    RetentionDuty,
    parse_table,
    read_basis,
)

from ._hebei_dated import HEBEI_2026_DAY, HebeiDated

FAR = dt.date(2100, 1, 1)
ONE_DAY = dt.timedelta(days=1)

#: The entry type of each table parameter of the three-small rules.
ENTRY_KINDS: dict[str, type] = {
    "certificates": CertificateDuty, "prohibited": ProhibitedList, "health": HealthDuty,
    "purchase_records": RetentionDuty, "production_records": RetentionDuty,
    "product_testing": ProductTestDuty, "no_contract": BasisOnly, "zones": BasisOnly,
    "area_limits": AreaLimit, "online": OnlineDuty,
}

#: A division code inside each jurisdiction prefix, valid across the years tested.
CODES = {"13": "130533", "130533": "130533", "37": "370102", "41": "410102", "50": "500103"}


@functools.cache
def engine() -> Engine:
    """Built-ins, installed plugins and the test profile dating Hebei's 2026 revision."""
    return Engine.default(profile="national", plugins=[HebeiDated()])


@attrs.frozen
class Case:
    profile: str
    rule_id: str
    business_type: BusinessType
    in_force: dt.date
    entry: Any
    all_entries_from: dt.date  # the earliest in-force day of the rule's entries

    def __str__(self) -> str:
        return f"{self.profile}:{self.rule_id}:{self.business_type.value}@{self.in_force}"


def _param(profile: str, rule_id: str, name: str, day: dt.date) -> Any:
    eng = engine()
    return eng.resolve_param(eng.rule(rule_id), name, day, profile).value


@attrs.frozen
class Undated:
    """An entry whose instrument's day is unknown and not given by the profile."""

    profile: str
    rule_id: str
    business_type: BusinessType
    not_before: dt.date
    entry: Any

    def __str__(self) -> str:
        return f"{self.profile}:{self.rule_id}:{self.business_type.value}>={self.not_before}"


def _day_given(profile: str, rule_id: str, basis: Any) -> dt.date | None:
    """The in-force day of ``basis``: its own, else the profile's (None: not given)."""
    own = in_force_from(basis)
    if own is not None:
        return own
    try:
        given = _param(profile, rule_id, IN_FORCE_DATES.name, FAR)
    except MissingParameterError:
        return None
    value = given.get(basis.key)
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


UNDATED: list[Undated] = []


def _cases() -> list[Case]:
    out: list[Case] = []
    for profile in sorted(engine().profiles):
        covered = _param(profile, "SMALL-SCOPE", "covered", FAR)
        if not covered:
            continue  # national: no 三小 regime at all
        for rule in THREE_SMALL.rules:
            tables = [p for p in rule.parameters if p.type == "table"
                      and p.name not in ("sc_codes", "basis", IN_FORCE_DATES.name)]
            found: list[tuple[BusinessType, Any]] = []
            for param in tables:
                assert param.name in ENTRY_KINDS, f"add {param.name} to ENTRY_KINDS"
                raw = _param(profile, rule.id, param.name, FAR)
                found += parse_table(rule.id, param.name, raw, ENTRY_KINDS[param.name]).items()
            if rule.id == "SMALL-402" and _param(profile, rule.id, "distance_m", FAR) > 0:
                ctx = _FakeContext(rule, profile)
                found.append((BusinessType.FOOD_VENDOR,
                              BasisOnly(basis=read_basis(ctx, "basis"))))  # type: ignore[arg-type]
            dated = [(bt, e, _day_given(profile, rule.id, e.basis)) for bt, e in found]
            for bt, e, day in dated:
                if day is None:
                    assert e.basis.not_before is not None, (
                        f"{profile} {rule.id} {bt.value}: no in-force date")
                    UNDATED.append(Undated(profile, rule.id, bt, e.basis.not_before, e))
            dated = [(bt, e, day) for bt, e, day in dated if day is not None]
            if not dated:
                continue
            first = min(d for _, _, d in dated if d is not None)
            out.extend(Case(profile, rule.id, bt, day, e, first)
                       for bt, e, day in dated if day is not None)
    return out


class _FakeContext:
    """Just enough of a RuleContext for ``read_basis`` (a far date: always in force)."""

    def __init__(self, rule: Any, profile: str) -> None:
        self.rule, self.profile, self.as_of = rule, profile, FAR

    def param(self, name: str) -> Any:
        return _param(self.profile, self.rule.id, name, FAR)


CASES = _cases()


# --------------------------------------------------------------------------- fact makers

#: (facts, dated) for an operator ``op`` of the case's business type, trading since 2000,
#: with the facts that make the rule fire dated ``day``; ``dated`` says whether the
#: finding rests on dated events (so facts from before the instrument must stay quiet)
#: or on the state on the evaluation date. None: one day of facts cannot make it fire.
Maker = Callable[[Case, FactBuilder, dt.date], tuple[list[Fact], bool] | None]


def _op(case: Case, build: FactBuilder, **kw: Any) -> Fact:
    kw.setdefault("opened_on", dt.date(2000, 1, 1))
    return build.operator("op", business_type=case.business_type, **kw)


def _term(case: Case) -> str:
    data = engine().rulesets["three-small"].ruleset
    assert data.data_dir is not None
    import tomllib

    catalogue = tomllib.loads((data.data_dir / "product_categories.toml").read_text("utf-8"))
    category = next(iter(case.entry.categories))
    terms = catalogue["category"][category]["terms"]
    return str(next(iter(terms)))


def _make_101(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build)], False


def _make_201(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.production_record(operator_id="op", produced_on=day,
                                                      product_name=_term(case))], True


def _make_202(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.meal_service(operator_id="op", served_on=day,
                                                 dishes=(_term(case),))], True


def _make_203(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    seen = VendorObservation(id="seen", operator_id="op",
                             observed_at=dt.datetime.combine(day, dt.time(10, 0)),
                             products=(_term(case),))
    return [_op(case, build), seen], True


def _make_301(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.staff_member(operator_id="op", joined_on=day)], False


def _make_302(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.purchase_record(operator_id="op", purchased_on=day,
                                                    record_kept_until=day)], True


def _make_303(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.production_record(operator_id="op", produced_on=day,
                                                      record_kept_until=day)], True


def _make_304(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool] | None:
    if not case.entry.first_batch:
        return None  # a yearly test is owed only after a whole year under the instrument
    return [_op(case, build, opened_on=day),
            build.production_record(operator_id="op", produced_on=day)], True


def _make_305(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build), build.production_record(operator_id="op", produced_on=day,
                                                      contract_manufacturing=True)], True


def _make_401(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    op = _op(case, build)
    card = build.vendor_registration(operator_id="op", issued_on=dt.date(2000, 1, 1),
                                     valid_until=None, zone="甲市场", time_slot="06:00-10:00")
    seen = VendorObservation(id="seen", operator_id="op", zone="乙广场",
                             observed_at=dt.datetime.combine(day, dt.time(19, 30)))
    return [op, card, seen], True


def _make_402(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    school = build.operator("school", business_type="unit_canteen",
                            institution_type=InstitutionType.PRIMARY_SCHOOL,
                            opened_on=dt.date(2000, 1, 1), latitude=36.98, longitude=115.27)
    seen = VendorObservation(id="seen", operator_id="op", latitude=36.98, longitude=115.27,
                             observed_at=dt.datetime.combine(day, dt.time(12, 0)))
    return [_op(case, build), school, seen], True


def _make_501(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build, business_area_m2=case.entry.max_m2 + 10)], False


def _make_502(case: Case, build: FactBuilder, day: dt.date) -> tuple[list[Fact], bool]:
    return [_op(case, build, sells_online=True, has_physical_shop=False)], False


MAKERS: dict[str, Maker] = {
    "SMALL-101": _make_101, "SMALL-201": _make_201, "SMALL-202": _make_202,
    "SMALL-203": _make_203, "SMALL-301": _make_301, "SMALL-302": _make_302,
    "SMALL-303": _make_303, "SMALL-304": _make_304, "SMALL-305": _make_305,
    "SMALL-401": _make_401, "SMALL-402": _make_402, "SMALL-501": _make_501,
    "SMALL-502": _make_502,
}


def _run(case: Case, as_of: dt.date, facts_day: dt.date) -> tuple[Report | None, bool]:
    maker = MAKERS.get(case.rule_id)
    assert maker is not None, f"add a fact maker for {case.rule_id} to MAKERS"
    jurisdiction = engine().catalogue.jurisdiction_of(case.profile)
    assert jurisdiction in CODES, f"add a division code for prefix {jurisdiction!r} to CODES"
    build = FactBuilder(region_code=CODES[jurisdiction], year=facts_day.year)
    made = maker(case, build, facts_day)
    if made is None:
        return None, False
    facts, dated = made
    report = engine().evaluate(facts, as_of=as_of, profile=case.profile,
                               rulesets=["three-small"])
    errors = [d.message.en for d in report.diagnostics if d.code.startswith("rule.")]
    assert errors == []
    return report, dated


def _mine(report: Report, case: Case) -> list[Any]:
    return [f for f in report.findings if f.rule_id == case.rule_id and f.subject.id == "op"]


def test_every_dated_entry_is_walked() -> None:
    """The walk covers the four 三小 provinces and every three-small check rule."""
    profiles = {c.profile for c in CASES}
    assert {"hebei", "shandong", "henan", "chongqing"} <= profiles
    rules = {c.rule_id for c in CASES}
    assert {r.id for r in THREE_SMALL.rules if r.kind.value == "check"} <= rules
    # the instruments' own final articles (V), Hebei's earliest attested day (C)
    days = {(c.profile, c.rule_id, c.business_type.value): c.in_force for c in CASES}
    assert days["shandong", "SMALL-201", "small_workshop"] == dt.date(2017, 6, 1)
    assert days["henan", "SMALL-201", "small_workshop"] == dt.date(2018, 3, 1)
    assert days["chongqing", "SMALL-101", "food_vendor"] == dt.date(2017, 5, 1)
    assert days["hebei", "SMALL-101", "small_workshop"] == dt.date(2016, 7, 20)
    # Hebei's 2026 revision: the day the profile gives (the shipped profile gives none)
    assert days["hebei-dated", "SMALL-201", "small_workshop"] == HEBEI_2026_DAY
    assert days["demo", "SMALL-201", "small_workshop"] == dt.date(2026, 1, 1)
    assert ("hebei", "SMALL-201", "small_workshop") not in days
    undated = {(u.profile, u.rule_id) for u in UNDATED}
    assert {("hebei", r) for r in ("SMALL-201", "SMALL-202", "SMALL-203", "SMALL-305",
                                   "SMALL-502")} == undated


@pytest.mark.parametrize("case", CASES, ids=str)
def test_quiet_the_day_before_in_force(case: Case) -> None:
    before = case.in_force - ONE_DAY
    report, _ = _run(case, before, before)
    if report is None:
        pytest.skip("no fact maker can make this entry fire in one day")
    assert _mine(report, case) == [], f"{case}: fired before its instrument took effect"
    if before < case.all_entries_from:
        status = {s.rule_id: s.status for s in report.rule_stats}[case.rule_id]
        assert status == "not_in_force", f"{case}: status {status}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_judges_from_the_day_in_force(case: Case) -> None:
    report, _ = _run(case, case.in_force, case.in_force)
    if report is None:
        pytest.skip("no fact maker can make this entry fire in one day")
    assert _mine(report, case), f"{case}: quiet on the day its instrument took effect"
    status = {s.rule_id: s.status for s in report.rule_stats}[case.rule_id]
    assert status == "ran"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_facts_before_in_force_stay_quiet_later(case: Case) -> None:
    before = case.in_force - ONE_DAY
    report, dated = _run(case, case.in_force + dt.timedelta(days=60), before)
    if report is None or not dated:
        pytest.skip("the finding rests on the state on the evaluation date, not on events")
    assert _mine(report, case) == [], f"{case}: judged a fact dated before its instrument"


@pytest.mark.parametrize("case", UNDATED, ids=str)
def test_an_instrument_of_unknown_date_asks_for_it_once_it_may_apply(case: Undated) -> None:
    """No silent default: before the earliest day, not in force; from it, the rule asks."""
    jurisdiction = engine().catalogue.jurisdiction_of(case.profile)
    maker = MAKERS[case.rule_id]
    for as_of in (case.not_before - ONE_DAY, case.not_before, case.not_before + ONE_DAY * 200):
        build = FactBuilder(region_code=CODES[jurisdiction], year=as_of.year)
        made = maker(Case(case.profile, case.rule_id, case.business_type, as_of, case.entry,
                          as_of), build, as_of)
        assert made is not None
        report = engine().evaluate(made[0], as_of=as_of, profile=case.profile,
                                   rulesets=["three-small"])
        assert [f for f in report.findings if f.rule_id == case.rule_id] == []
        status = {s.rule_id: s.status for s in report.rule_stats}[case.rule_id]
        missing = [d for d in report.diagnostics if d.rule_id == case.rule_id]
        if as_of < case.not_before:
            assert (status, missing) == ("not_in_force", []), f"{case} on {as_of}"
        else:
            assert status == "skipped", f"{case} on {as_of}: {status}"
            [diag] = missing
            assert diag.code == "rule.missing_parameter"
            assert diag.level.value == "warning"
            assert IN_FORCE_DATES.name in diag.message.en
            assert diag.hint is not None and "hebei-2026" in diag.hint.en


def test_every_rule_with_a_static_validity_is_not_in_force_the_day_before() -> None:
    """Rules dated in code (school, risk, the Sichuan plugin): status on both sides."""
    eng = engine()
    dated = [r for r in eng.rules.values() if r.valid_from is not None]
    assert any(r.id.startswith("SCBQ-") for r in dated)  # the plugin is walked too
    for rule in dated:
        assert rule.valid_from is not None
        ruleset = eng.ruleset_of(rule.id).ruleset.id
        for day, expected in ((rule.valid_from - ONE_DAY, "not_in_force"),
                              (rule.valid_from, "ran")):
            report = eng.evaluate([], as_of=day, rulesets=[ruleset])
            status = {s.rule_id: s.status for s in report.rule_stats}[rule.id]
            assert status in ((expected,) if expected != "ran" else ("ran", "skipped")), (
                f"{rule.id} on {day}: {status}")


@pytest.mark.parametrize(("held_on", "fires"), [(dt.date(2020, 9, 30), False),
                                                (dt.date(2020, 10, 1), True)])
def test_sichuan_banquets_before_the_measures_are_not_judged_later(held_on: dt.date,
                                                                   fires: bool) -> None:
    """The plugin's instrument (in force 2020-10-01): a banquet held before it stays quiet
    even when the evaluation date is months later; one held on the day is judged."""
    build = FactBuilder(region_code="510116", year=2020)
    banquet = build.banquet_report("b1", diners=150, held_on=held_on, reported_on=None)
    report = engine().evaluate([banquet], as_of=dt.date(2020, 12, 31), profile="national",
                               rulesets=["sichuan-banquet"])
    found = [f for f in report.findings if f.rule_id == "SCBQ-001"]
    assert bool(found) is fires
    if fires:
        assert found[0].subject.id == "b1"
        assert found[0].evidence["status"] == "not_reported"
        assert any("农村集体聚餐" in b.instrument for b in found[0].legal_basis)
