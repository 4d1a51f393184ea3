"""fsrules.testing.strategies: valid facts, complete field tables, checked arguments.

Each strategy must produce facts that pass the attrs validators, round-trip
through their JSON form, keep every date in range, carry division codes in
use on the fact's date and valid 统一社会信用代码; bundles must be
referentially complete; boundary strategies must reach both sides of their
threshold.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fsrules import FactSet
from fsrules.identifiers import (
    DivisionLevel,
    DivisionRegistry,
    normalize_text,
    parse_licence_number,
    validate_uscc,
)
from fsrules.model import (
    BUILTIN_FACT_KINDS,
    BanquetReport,
    BaobaoAssignment,
    BusinessType,
    Complaint,
    Disposal,
    DisposalStatus,
    DivisionCode,
    EnforcementCase,
    Fact,
    HealthCertificate,
    Incident,
    IndicatorObservation,
    Licence,
    LicenceKind,
    MealService,
    Money,
    Operator,
    ProductionRecord,
    PurchaseRecord,
    Region,
    SampleRetention,
    SamplingKind,
    SamplingResult,
    StaffMember,
    SupervisionVisit,
    Uscc,
    VendorRegistration,
    Verdict,
    dump_fact,
    load_fact,
)
from fsrules.testing import strategies
from fsrules.testing.strategies import (
    FactBundle,
    _kinds,
    _vocab,
    chinese_names,
    dates,
    diner_counts,
    division_codes,
    fact_bundles,
    fact_strategy,
    facts,
    operators,
    pass_rate_batches,
    regions,
    sample_weights,
    satisfaction_scores,
    uscc_codes,
)

_DEEP = os.environ.get("FSRULES_HYPOTHESIS_PROFILE") == "deep"
SETTINGS = settings(max_examples=300 if _DEEP else 25, deadline=None, database=None,
                    derandomize=not _DEEP, suppress_health_check=[HealthCheck.too_slow])
KINDS = {k.KIND: k for k in BUILTIN_FACT_KINDS}
REGISTRY = DivisionRegistry()
LO, HI = dt.date(2015, 1, 1), dt.date(2024, 12, 31)
DIVISION_FIELDS = ("code", "parent_code", "region_code")
LEVELS: tuple[DivisionLevel, ...] = ("county", "prefecture", "province")
LIST_SEPARATORS = ";；、,，|\n"
NUMBERED = (LicenceKind.BUSINESS, LicenceKind.PRODUCTION, LicenceKind.FILING)

#: Field pairs whose dates must not go backwards (earlier, later).
DATE_ORDER: dict[type[Fact], list[tuple[str, str]]] = {
    Operator: [("opened_on", "closed_on")],
    Licence: [("issued_on", "valid_until"), ("issued_on", "revoked_on")],
    VendorRegistration: [("issued_on", "valid_until")],
    SamplingResult: [("sampled_on", "result_received_on"), ("sampled_on", "published_on"),
                     ("result_received_on", "published_on")],
    Disposal: [("started_on", "completed_on")],
    Complaint: [("received_on", "due_on"), ("received_on", "closed_on")],
    EnforcementCase: [("clue_received_on", "opened_on"), ("opened_on", "closed_on"),
                      ("opened_on", "extended_until")],
    BaobaoAssignment: [("assigned_on", "ended_on"), ("assigned_on", "commitment_signed_on")],
    StaffMember: [("joined_on", "left_on")],
    HealthCertificate: [("issued_on", "valid_until")],
    SampleRetention: [("retained_at", "discarded_at")],
    PurchaseRecord: [("purchased_on", "record_kept_until")],
    ProductionRecord: [("produced_on", "record_kept_until")],
    BanquetReport: [("reported_on", "held_on")],
    IndicatorObservation: [("period_start", "period_end")],
}


def strategy_for(kind: type[Fact]) -> Callable[..., st.SearchStrategy[Any]]:
    return getattr(strategies, f"{kind.KIND}s")  # type: ignore[no-any-return]


def as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def assert_valid(fact: Fact, lo: dt.date = LO, hi: dt.date = HI) -> None:
    """Every promise the strategies make about one fact."""
    assert attrs.evolve(fact) == fact  # the validators pass on construction
    data = dump_fact(fact)
    assert load_fact(json.loads(json.dumps(data, ensure_ascii=False)), KINDS) == fact
    for field in attrs.fields(type(fact)):
        value = getattr(fact, field.name)
        if isinstance(value, dt.date):
            assert lo <= as_date(value) <= hi, (field.name, value)
        if isinstance(value, str):
            assert normalize_text(value) == value, (field.name, value)
        if isinstance(value, tuple):
            for item in value:
                assert item and normalize_text(item) == item, (field.name, item)
                assert not any(sep in item for sep in LIST_SEPARATORS), (field.name, item)
        if field.name in DIVISION_FIELDS and value is not None:
            days = [fact.fact_date] if fact.fact_date is not None else [lo, hi]
            for day in days:
                assert REGISTRY.status(value, day) == "valid", (field.name, value, day)
    assert fact.id
    for earlier, later in DATE_ORDER.get(type(fact), ()):
        first, second = getattr(fact, earlier), getattr(fact, later)
        if first is not None and second is not None:
            assert first <= second, (earlier, first, later, second)
    if isinstance(fact, Operator) and fact.uscc is not None:
        result = validate_uscc(fact.uscc, strict=True)
        assert result.warnings == ()
        assert result.region_code == fact.region_code
    if isinstance(fact, Licence) and fact.licence_kind in NUMBERED:
        assert parse_licence_number(fact.number).value == fact.number


# --------------------------------------------------------------------------- completeness


def test_every_builtin_kind_has_a_public_strategy() -> None:
    for kind in BUILTIN_FACT_KINDS:
        name = f"{kind.KIND}s"
        assert name in strategies.__all__, name
        assert (strategy_for(kind).__doc__ or "").strip(), f"{name} has no docstring"


def test_all_is_sorted_and_documented() -> None:
    assert strategies.__all__ == sorted(strategies.__all__)
    assert (strategies.__doc__ or "").strip()
    for name in strategies.__all__:
        assert (getattr(strategies, name).__doc__ or "").strip(), name


@pytest.mark.parametrize("kind", BUILTIN_FACT_KINDS, ids=lambda k: k.KIND)
def test_built_in_kits_name_only_real_fields(kind: type[Fact]) -> None:
    """A built-in kind's field rules are about its own fields (the others are derived)."""
    kit = _kinds._SPECS[kind]
    assert kit.kind is kind
    assert set(kit.fields) <= {a.name for a in attrs.fields(kind)}


@attrs.frozen(kw_only=True)
class RegionWithArea(Region):
    KIND: ClassVar[str] = "region_with_area"
    DATE_FIELD: ClassVar[str | None] = "surveyed_on"
    area_km2: Money | None = None
    surveyed_on: dt.date = attrs.field(factory=lambda: dt.date(2020, 1, 1))
    office_uscc: Uscc | None = None
    office_region: DivisionCode = "130533"


@SETTINGS
@given(fact_strategy(RegionWithArea, min_date=dt.date(2019, 1, 1), max_date=dt.date(2021, 12, 31)))
def test_a_new_kind_or_field_is_derived_from_the_class(region: RegionWithArea) -> None:
    """No table to update: a kind's new fields get strategies from their types."""
    assert dt.date(2019, 1, 1) <= region.surveyed_on <= dt.date(2021, 12, 31)
    assert region.area_km2 is None or (region.area_km2 >= 0
                                       and round(region.area_km2, 2) == region.area_km2)
    for code in (region.code, region.office_region):
        assert REGISTRY.validate(code, region.surveyed_on).code == code
    if region.office_uscc is not None:
        assert validate_uscc(region.office_uscc, strict=True).warnings == ()
    assert region.id.startswith("region_with_area-")


def test_a_field_the_kit_cannot_derive_fails_loudly() -> None:
    @attrs.frozen(kw_only=True)
    class WithComplex(Region):
        KIND: ClassVar[str] = "with_complex"
        ratio: complex = 0j

    with pytest.raises(TypeError, match=r"no generic strategy for WithComplex\.ratio"):
        find(fact_strategy(WithComplex), lambda _: True, settings=settings(database=None))


def test_vocabularies_survive_a_csv_round_trip() -> None:
    pools = [value for name, value in vars(_vocab).items()
             if name.startswith("_") and isinstance(value, tuple)
             and value and all(isinstance(v, str) for v in value)]
    pools += list(_vocab._SCOPES.values())
    pools += list(_vocab._INSTITUTIONS.values())
    assert len(pools) > 20
    for pool in pools:
        for item in pool:
            assert normalize_text(item) == item, item
            assert not any(sep in item for sep in LIST_SEPARATORS), item


# --------------------------------------------------------------------------- valid facts


@pytest.mark.parametrize("kind", BUILTIN_FACT_KINDS, ids=lambda k: k.KIND)
@SETTINGS
@given(data=st.data())
def test_strategy_produces_valid_facts(kind: type[Fact], data: st.DataObject) -> None:
    fact = data.draw(strategy_for(kind)())
    assert type(fact) is kind
    assert_valid(fact)


@pytest.mark.parametrize("kind", BUILTIN_FACT_KINDS, ids=lambda k: k.KIND)
@SETTINGS
@given(data=st.data())
def test_dates_stay_in_a_narrow_range(kind: type[Fact], data: st.DataObject) -> None:
    lo, hi = dt.date(2020, 2, 28), dt.date(2020, 3, 2)
    fact = data.draw(strategy_for(kind)(min_date=lo, max_date=hi))
    assert_valid(fact, lo, hi)


@SETTINGS
@given(facts())
def test_facts_draws_valid_facts_of_any_kind(fact: Fact) -> None:
    assert_valid(fact)


@SETTINGS
@given(facts(kinds=[SamplingResult, Incident]))
def test_facts_keeps_to_the_given_kinds(fact: Fact) -> None:
    assert isinstance(fact, SamplingResult | Incident)


@SETTINGS
@given(operators(region_code=st.just("130533") | division_codes(dt.date(2023, 6, 1)),
                 business_type=st.sampled_from([BusinessType.UNIT_CANTEEN]),
                 opened_on=st.just(dt.date(2023, 6, 1))))
def test_overrides_are_respected_and_followed(op: Operator) -> None:
    assert op.business_type is BusinessType.UNIT_CANTEEN
    assert op.opened_on == dt.date(2023, 6, 1)
    assert REGISTRY.status(op.region_code, dt.date(2023, 6, 1)) == "valid"
    assert op.institution_type is not None
    place = REGISTRY.lookup(op.region_code, dt.date(2023, 6, 1))
    assert place is not None and op.name.startswith(place.name) and op.name.endswith("食堂")
    assert_valid(op)


@SETTINGS
@given(strategies.sampling_results(sampling_kind=st.just(SamplingKind.RISK_MONITORING)))
def test_sampling_verdict_follows_the_kind(result: SamplingResult) -> None:
    assert result.verdict in (Verdict.PROBLEM, Verdict.NO_PROBLEM)
    assert bool(result.failed_items) == (result.verdict is Verdict.PROBLEM)


@SETTINGS
@given(strategies.disposals())
def test_disposal_dates_follow_the_status(disposal: Disposal) -> None:
    started, completed = disposal.started_on is not None, disposal.completed_on is not None
    expected = {DisposalStatus.NOT_STARTED: (False, False),
                DisposalStatus.IN_PROGRESS: (True, False),
                DisposalStatus.COMPLETED: (True, True)}[disposal.status]
    assert (started, completed) == expected


@SETTINGS
@given(strategies.incidents())
def test_incident_numbers_are_consistent(incident: Incident) -> None:
    assert incident.deaths <= incident.ill
    assert (incident.provinces_affected <= incident.cities_affected
            <= incident.counties_affected)


@SETTINGS
@given(regions())
def test_regions_are_named_after_their_code(region: Region) -> None:
    assert region.id == region.code
    record = REGISTRY.lookup(region.code, HI)
    assert record is not None and record.name == region.name
    if region.parent_code is not None:
        assert REGISTRY.is_within(region.code, region.parent_code)


# --------------------------------------------------------------------------- value strategies


@SETTINGS
@given(st.data())
def test_division_codes_are_in_use_on_the_date(data: st.DataObject) -> None:
    day = data.draw(st.dates(dt.date(1985, 1, 1), dt.date(2030, 12, 31)))
    level = data.draw(st.sampled_from(LEVELS))
    code = data.draw(division_codes(day, level=level))
    record = REGISTRY.lookup(code, day)
    assert record is not None and record.level == level
    from_strategy = data.draw(division_codes(st.just(day)))
    assert REGISTRY.status(from_strategy, day) == "valid"


@SETTINGS
@given(division_codes())
def test_division_codes_default_to_the_default_range(code: str) -> None:
    assert REGISTRY.is_known(code)
    assert code[:2] not in ("71", "81", "82")


@SETTINGS
@given(uscc_codes(region_code=st.just("130533")), uscc_codes())
def test_uscc_codes_validate_strictly(fixed: str, anywhere: str) -> None:
    for code in (fixed, anywhere):
        result = validate_uscc(code, strict=True)
        assert result.value == code and result.warnings == ()
    assert fixed[2:8] == "130533"


@SETTINGS
@given(chinese_names(), chinese_names(st.just("威县"),
                                       business_type=st.just(BusinessType.SMALL_EATERY)))
def test_chinese_names(any_name: str, eatery: str) -> None:
    for name in (any_name, eatery):
        assert name and normalize_text(name) == name
    assert eatery.endswith("店")


@SETTINGS
@given(dates(), dates(dt.date(2023, 1, 1), dt.date(2023, 1, 31)), dates(dt.date(2030, 5, 1)))
def test_dates_respect_bounds(default: dt.date, january: dt.date, late: dt.date) -> None:
    assert LO <= default <= HI
    assert january.month == 1 and january.year == 2023
    assert dt.date(2030, 5, 1) <= late <= dt.date(2030, 12, 31)


# --------------------------------------------------------------------------- bundles


def assert_consistent(bundle: FactBundle) -> None:
    by_kind: dict[str, list[Fact]] = {}
    for fact in bundle.facts:
        by_kind.setdefault(fact.KIND, []).append(fact)
    for kind, items in by_kind.items():
        counts = Counter(f.id for f in items)
        assert max(counts.values()) == 1, (kind, counts.most_common(1))
    FactSet(bundle.facts)  # rejects duplicate ids too

    ops = {o.id: o for o in bundle.of_kind(Operator)}
    samples = {s.id: s for s in bundle.of_kind(SamplingResult)}
    staff = {s.id: s for s in bundle.of_kind(StaffMember)}
    meals = {m.id: m for m in bundle.of_kind(MealService)}
    cadres = {(a.operator_id, a.cadre_id) for a in bundle.of_kind(BaobaoAssignment)}
    regions_ = {r.code: r for r in bundle.of_kind(Region)}
    assert set(regions_) == set(bundle.region_codes)
    assert all(r.resident_population for r in regions_.values())
    start = bundle.as_of - dt.timedelta(days=5 * 365)

    for fact in bundle.facts:
        assert_valid(fact, start, bundle.as_of)
        for name in ("operator_id", "supplier_id", "undertaker_id", "school_id"):
            ref = getattr(fact, name, None)
            if ref is not None:
                assert ref in ops, (fact.KIND, fact.id, name, ref)
        person = getattr(fact, "person_id", None)
        if person is not None:
            assert person in staff and staff[person].operator_id == fact.subject_id
        region = getattr(fact, "region_code", None)
        if region is not None:
            assert region in regions_, (fact.KIND, fact.id, region)
    for disposal in bundle.of_kind(Disposal):
        sample = samples[disposal.sampling_id]
        assert disposal.operator_id == sample.operator_id
        assert disposal.started_on is None or disposal.started_on >= sample.sampled_on
    failed = {s.id for s in samples.values() if s.verdict in (Verdict.FAIL, Verdict.PROBLEM)}
    assert failed == {d.sampling_id for d in bundle.of_kind(Disposal)}
    for retention in bundle.of_kind(SampleRetention):
        meal = meals[retention.meal_service_id]
        assert retention.dish in meal.dishes and retention.served_on == meal.served_on
        assert retention.operator_id == meal.operator_id
    for visit in bundle.of_kind(SupervisionVisit):
        assert (visit.operator_id, visit.cadre_id) in cadres
    for sample in samples.values():
        assert sample.operator_id is not None
        assert sample.region_code == ops[sample.operator_id].region_code
    for lic in bundle.of_kind(Licence):
        if lic.licence_kind in NUMBERED:
            parsed = parse_licence_number(lic.number)
            assert parsed.region_code == ops[lic.operator_id].region_code


@SETTINGS
@given(fact_bundles())
def test_bundles_are_referentially_consistent(bundle: FactBundle) -> None:
    assert_consistent(bundle)
    assert 1 <= len(bundle.of_kind(Operator)) <= 4
    assert all(isinstance(f, Fact) for f in bundle.facts)
    assert list(bundle.facts) == sorted(bundle.facts, key=lambda f: (f.KIND, f.id))


@SETTINGS
@given(fact_bundles(min_operators=0, max_operators=0, as_of=dt.date(2023, 12, 31),
                    region_codes=st.just("130533"), id_prefix="X-"))
def test_bundle_arguments_are_respected(bundle: FactBundle) -> None:
    assert_consistent(bundle)
    assert bundle.as_of == dt.date(2023, 12, 31)
    assert bundle.region_codes == ("130533",)
    assert bundle.of_kind(Operator) == ()
    assert all(f.id.startswith("X-") for f in bundle.facts if not isinstance(f, Region))


@SETTINGS
@given(fact_bundles(min_operators=3, max_operators=3,
                    as_of=st.sampled_from([dt.date(2021, 2, 28), dt.date(2024, 2, 29)])))
def test_bundle_as_of_may_be_a_strategy(bundle: FactBundle) -> None:
    assert bundle.as_of in (dt.date(2021, 2, 28), dt.date(2024, 2, 29))
    assert len(bundle.of_kind(Operator)) == 3
    assert_consistent(bundle)


# --------------------------------------------------------------------------- boundaries


def rate(pair: tuple[int, int]) -> Fraction:
    passed, failed = pair
    return Fraction(100 * passed, passed + failed)


@pytest.mark.parametrize("threshold", [98.0, 98, 99.9, 50.0, 0.5])
def test_pass_rate_batches_straddle_the_threshold(threshold: float) -> None:
    exact = Fraction(str(threshold))
    quiet = settings(database=None, max_examples=2000)
    below = find(pass_rate_batches(threshold), lambda p: rate(p) < exact, settings=quiet)
    above = find(pass_rate_batches(threshold), lambda p: rate(p) > exact, settings=quiet)
    at = find(pass_rate_batches(threshold), lambda p: rate(p) == exact, settings=quiet)
    assert rate(below) < exact < rate(above) and rate(at) == exact


@SETTINGS
@given(pass_rate_batches(max_batches=500))
def test_pass_rate_batches_are_the_nearest_rates(pair: tuple[int, int]) -> None:
    passed, failed = pair
    total = passed + failed
    assert 1 <= total <= 500 and passed >= 0 and failed >= 0
    r = rate(pair)
    # No other split of the same total lies strictly between this rate and 98 %.
    if r < 98:
        assert Fraction(100 * (passed + 1), total) >= 98
    elif r > 98:
        assert Fraction(100 * (passed - 1), total) <= 98


def test_diner_counts_straddle() -> None:
    quiet = settings(database=None)
    assert find(diner_counts(100), lambda n: n < 100, settings=quiet) == 99
    assert find(diner_counts(100), lambda n: n == 100, settings=quiet) == 100
    assert find(diner_counts(300), lambda n: n > 300, settings=quiet) == 301


@pytest.mark.parametrize(("make", "threshold", "lo", "hi"), [
    (sample_weights, 125.0, 0.0, math.inf),
    (satisfaction_scores, 80.0, 0.0, 100.0),
    (satisfaction_scores, 99.99, 0.0, 100.0),
])
def test_float_boundaries_straddle(make: Callable[[float], st.SearchStrategy[float]],
                                   threshold: float, lo: float, hi: float) -> None:
    quiet = settings(database=None, max_examples=1000)
    strategy = make(threshold)
    assert find(strategy, lambda v: v == math.nextafter(threshold, -math.inf),
                settings=quiet) < threshold
    assert find(strategy, lambda v: v == threshold, settings=quiet) == threshold
    assert find(strategy, lambda v: v > threshold, settings=quiet) > threshold

    @SETTINGS
    @given(strategy)
    def in_bounds(value: float) -> None:
        assert lo <= value <= hi and abs(value - threshold) <= 1.0

    in_bounds()


# --------------------------------------------------------------------------- argument checks


D = dt.date(2023, 1, 1)
UNTYPED: Any = strategies  # the calls below pass wrong types on purpose


@pytest.mark.parametrize("call", [
    lambda: UNTYPED.operators(region_code="130533"),  # a value, not a strategy
    lambda: UNTYPED.operators(nonexistent=st.just(1)),
    lambda: UNTYPED.operators(min_date=dt.datetime(2023, 1, 1)),
    lambda: UNTYPED.operators(min_date="2023-01-01"),
    lambda: UNTYPED.operators(min_date=dt.date(2023, 1, 2), max_date=D),
    lambda: UNTYPED.regions(code=130533),
    lambda: UNTYPED.indicator_observations(indicator="satisfaction"),
    lambda: UNTYPED.dates(5),
    lambda: UNTYPED.dates(dt.date(2024, 1, 1), dt.date(2023, 1, 1)),
    lambda: UNTYPED.division_codes(level="township"),
    lambda: UNTYPED.division_codes("2023-01-01"),
    lambda: UNTYPED.uscc_codes(region_code="130533"),
    lambda: UNTYPED.chinese_names(places="威县"),
    lambda: UNTYPED.chinese_names(business_type=BusinessType.SELLER),
    lambda: UNTYPED.facts(kinds=[]),
    lambda: UNTYPED.facts(kinds=[str]),
    lambda: UNTYPED.fact_bundles(min_operators=-1),
    lambda: UNTYPED.fact_bundles(min_operators=3, max_operators=2),
    lambda: UNTYPED.fact_bundles(max_operators=21),
    lambda: UNTYPED.fact_bundles(min_operators=True),
    lambda: UNTYPED.fact_bundles(max_regions=0),
    lambda: UNTYPED.fact_bundles(as_of="2023-12-31"),
    lambda: UNTYPED.fact_bundles(region_codes="130533"),
    lambda: UNTYPED.fact_bundles(id_prefix=" X"),
    lambda: UNTYPED.fact_bundles(id_prefix="A;B"),
    lambda: UNTYPED.pass_rate_batches(100),
    lambda: UNTYPED.pass_rate_batches(0),
    lambda: UNTYPED.pass_rate_batches(math.nan),
    lambda: UNTYPED.pass_rate_batches(True),
    lambda: UNTYPED.pass_rate_batches(max_batches=0),
    lambda: UNTYPED.diner_counts(0),
    lambda: UNTYPED.diner_counts(),  # no threshold and no plan to read SCBQ-001's from
    lambda: UNTYPED.fact_strategy(str),
    lambda: UNTYPED.facts(kinds=[dict]),
    lambda: UNTYPED.diner_counts(1.5),
    lambda: UNTYPED.sample_weights(0),
    lambda: UNTYPED.sample_weights(math.inf),
    lambda: UNTYPED.satisfaction_scores(100),
    lambda: UNTYPED.satisfaction_scores("80"),
])
def test_bad_arguments_are_rejected_eagerly(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        call()


def test_error_message_says_how_to_fix_a_value() -> None:
    with pytest.raises(InvalidArgument, match=r"region_code=st\.just\('130533'\)"):
        UNTYPED.operators(region_code="130533")
    with pytest.raises(InvalidArgument, match="Operator has no field 'nonexistent'; fields: id"):
        operators(nonexistent=st.just(1))


@pytest.mark.parametrize("strategy", [
    strategies.incidents(ill=st.just(-1)),
    division_codes(st.just("2023-01-01")),  # type: ignore[arg-type]
    fact_bundles(as_of=st.just("2023-12-31")),  # type: ignore[arg-type]
], ids=["invalid-fact", "bad-date-from-strategy", "bad-as-of-from-strategy"])
def test_bad_values_from_strategies_are_reported(strategy: st.SearchStrategy[Any]) -> None:
    @settings(database=None, max_examples=1)
    @given(strategy)
    def draw(_: object) -> None:
        pass

    with pytest.raises(InvalidArgument):
        draw()
