"""Check shapes (fsrules.shapes): each shape fires, stays quiet, describes itself and pickles."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from fsrules import Engine, LegalBasis, Param, Profile, Report, Rule, Ruleset, Text, hookimpl
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import (
    BanquetReport,
    BusinessType,
    Fact,
    Incident,
    Inspection,
    InspectionResult,
    Operator,
)
from fsrules.shapes import (
    Absence,
    AbsenceEvidence,
    Condition,
    Deadline,
    DeadlineEvidence,
    Hit,
    Records,
    Recurrence,
    RecurrenceEvidence,
    Scope,
    Threshold,
    at_least,
    check,
    one_of,
)
from fsrules.testing import assert_finding, assert_no_finding

AS_OF = dt.date(2023, 12, 31)
LAW = LegalBasis(instrument="《中华人民共和国食品安全法》", instrument_en="Food Safety Law",
                 article="第八十七条", article_en="Art. 87")
COMMON: dict[str, Any] = {"version": "1.0", "severity": "medium", "legal_basis": [LAW],
                          "lead": ["县市场监管局"]}


def _days(name: str) -> Param:
    return Param(name=name, type="int", minimum=1, description=Text("天数", "days"))


NO_INSPECTION = check(
    Absence(scope=Scope(kind=Operator, where={"business_type": "small_eatery"}, active=True),
            records=Records(kind=Inspection), window=_days("max_days"), since="opened_on"),
    id="SHAPE-001", title=("小餐饮久未检查", "Small eatery not inspected"),
    message=("{subject}：{window} 天内没有检查（上次 {last_on}）",
             "{subject}: no inspection in {window} days (last {last_on})"),
    identity=("records",), **COMMON)


def _key_items(fact: Fact) -> int | None:
    return getattr(fact, "key_items_failed", None) if isinstance(fact, Inspection) else None


def _no_inspection(hit: Hit) -> Any:
    return hit.finding(evidence={"status": "no_data"}, severity="info")


KEY_ITEMS = check(
    Threshold(scope=Scope(kind=Operator, where={"business_type": one_of("caterer",
                                                                           "small_eatery")}),
              measure=Records(kind=Inspection, where={"result": "non_conforming"}),
              value=_key_items, comparison="<=",
              limit=Param(name="max_key_items", type="int", description=Text("项", "items")),
              unknown=_no_inspection),
    id="SHAPE-002", title=("重点项不符合过多", "Too many key items failed"),
    message=("{subject}：{value} > {threshold}", "{subject}: {value} > {threshold}"),
    **COMMON)


def _banquet_evidence(hit: Hit) -> dict[str, Any]:
    assert isinstance(hit.subject, BanquetReport)
    return {**hit.values, "diners": hit.subject.diners}


REPORTED = check(
    Deadline(scope=Scope(kind=BanquetReport, region="51", params_on="held_on",
                         where={"diners": at_least(Param(
                             name="min_diners", type="int", description=Text("人", "diners")))}),
             anchor="held_on", offset=_days("lead_days"), done="reported_on",
             evidence=_banquet_evidence),
    id="SHAPE-003", title=("聚餐未按时报告", "Banquet not reported in time"),
    message=("{subject}：{status}", "{subject}: {status}"), identity=("anchor",), **COMMON)

INSPECTED_AFTER = check(
    Deadline(scope=Scope(kind=Incident, key="operator_id"), anchor="occurred_on",
             offset=_days("within_days"), before=False, done=Records(kind=Inspection)),
    id="SHAPE-004", title=("事故后未及时检查", "No inspection after an incident"),
    message=("{subject}：{status}", "{subject}: {status}"), identity=("anchor",), **COMMON)

REPEATED = check(
    Recurrence(scope=Scope(kind=Operator), records=Records(kind=Inspection,
                                                           where={"result": "non_conforming"}),
               count=Param(name="min_count", type="int", description=Text("次", "times")),
               window=365),
    id="SHAPE-005", title=("一年内多次检查不合格", "Failed inspections recur"),
    message=("{subject}：{count} 次", "{subject}: {count} times"), identity=("records",),
    **COMMON)

RULES = (NO_INSPECTION, KEY_ITEMS, REPORTED, INSPECTED_AFTER, REPEATED)
VALUES = {"SHAPE-001": {"max_days": 90}, "SHAPE-002": {"max_key_items": 2},
          "SHAPE-003": {"min_diners": 100, "lead_days": 2},
          "SHAPE-004": {"within_days": 7}, "SHAPE-005": {"min_count": 3}}


class _Plugin:
    def __init__(self, rules: tuple[Rule, ...], values: dict[str, Any]) -> None:
        self.rules, self.values = rules, values

    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
        register(Ruleset(id="shapes-test", version="1.0", title=("测试", "test"),
                         rules=self.rules))

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping({"name": "shapes-test", "title": ["测试", "test"],
                                       "extends": "national"}, self.values))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[_Plugin(RULES, VALUES)], builtins=True, profile="shapes-test")


def run(engine: Engine, facts: list[Fact], as_of: dt.date = AS_OF) -> Report:
    return engine.evaluate(facts, as_of=as_of, rulesets=["shapes-test"])


def eatery(oid: str = "op1", **kw: Any) -> Operator:
    kw.setdefault("business_type", BusinessType.SMALL_EATERY)
    return Operator(id=oid, name=f"小餐饮{oid}", region_code="130533", **kw)


def inspection(iid: str, day: dt.date, *, op: str = "op1", failed: int = 0) -> Inspection:
    return Inspection(id=iid, operator_id=op, inspected_on=day, key_items_failed=failed,
                      result=InspectionResult.NON_CONFORMING if failed else InspectionResult.CONFORMING)


# --------------------------------------------------------------------------- Absence


def test_absence_fires_without_a_record_in_the_window(engine: Engine) -> None:
    report = run(engine, [eatery(), inspection("i1", dt.date(2023, 9, 1))])
    finding = assert_finding(report, "SHAPE-001", subject="op1", evidence={
        "records": "inspection", "window": 90, "due_on": "2023-11-30", "last_id": "i1",
        "last_on": "2023-09-01", "days_since": 121, "days_overdue": 31},
        legal_basis_contains="第八十七条")
    assert finding.due_date == dt.date(2023, 11, 30)
    assert "90 天内没有检查（上次 2023-09-01）" in finding.message.zh
    assert {f.id for f in finding.facts} == {"op1", "i1"}


def test_absence_is_quiet_with_a_record_out_of_scope_or_too_new(engine: Engine) -> None:
    # due 90 days after the last record: on the day itself it is not overdue yet
    assert_no_finding(run(engine, [eatery(), inspection("i1", dt.date(2023, 10, 2))]),
                      "SHAPE-001")
    assert_finding(run(engine, [eatery(), inspection("i1", dt.date(2023, 10, 1))]),
                   "SHAPE-001", evidence={"days_overdue": 1})
    assert_no_finding(run(engine, [eatery(business_type=BusinessType.SELLER)]), "SHAPE-001")
    assert_no_finding(run(engine, [eatery(opened_on=dt.date(2023, 10, 2))]), "SHAPE-001")
    assert_finding(run(engine, [eatery(opened_on=dt.date(2023, 10, 1))]), "SHAPE-001",
                   evidence={"last_on": None, "due_on": "2023-12-30", "days_overdue": 1})
    assert_no_finding(run(engine, [eatery(closed_on=dt.date(2023, 6, 1))]), "SHAPE-001")
    # a record after as_of is not known yet
    never = assert_finding(run(engine, [eatery(), inspection("i9", dt.date(2024, 1, 2))]),
                           "SHAPE-001", evidence={"last_on": None, "days_since": None,
                                                  "due_on": None, "days_overdue": None})
    assert never.fingerprint == assert_finding(run(engine, [eatery()]), "SHAPE-001").fingerprint


def test_absence_fingerprint_does_not_roll_with_as_of(engine: Engine) -> None:
    facts: list[Fact] = [eatery()]
    one = assert_finding(run(engine, facts), "SHAPE-001")
    two = assert_finding(run(engine, facts, as_of=dt.date(2024, 3, 31)), "SHAPE-001")
    assert one.fingerprint == two.fingerprint


# --------------------------------------------------------------------------- Threshold


def test_threshold_fires_over_the_limit_and_reports_unknown(engine: Engine) -> None:
    report = run(engine, [eatery(), inspection("i1", dt.date(2023, 5, 1), failed=3),
                          inspection("i2", dt.date(2023, 6, 1), failed=2),
                          eatery("op2", business_type=BusinessType.CATERER)])
    found = assert_finding(report, "SHAPE-002", subject="op1", evidence={
        "value": 3, "threshold": 2, "comparison": "<="})
    assert {f.id for f in found.facts} == {"op1", "i1"}
    assert "3 > 2" in found.message.en
    assert len([f for f in report.findings if f.rule_id == "SHAPE-002"
                and f.subject.id == "op1"]) == 1  # i2 is at the limit
    unknown = assert_finding(report, "SHAPE-002", subject="op2", evidence={"status": "no_data"})
    assert unknown.severity.value == "info"


def test_threshold_is_quiet_at_the_limit_and_out_of_scope(engine: Engine) -> None:
    assert_no_finding(run(engine, [eatery(), inspection("i1", dt.date(2023, 5, 1), failed=2)]),
                      "SHAPE-002")
    assert_no_finding(run(engine, [eatery(business_type=BusinessType.SELLER),
                                   inspection("i1", dt.date(2023, 5, 1), failed=9)]),
                      "SHAPE-002")


# --------------------------------------------------------------------------- Deadline


def banquet(bid: str, held: dt.date, reported: dt.date | None = None, diners: int = 120,
            region: str = "510104") -> BanquetReport:
    return BanquetReport(id=bid, region_code=region, held_on=held, diners=diners,
                         reported_on=reported)


def test_deadline_statuses(engine: Engine) -> None:
    day = dt.date(2023, 12, 20)
    report = run(engine, [banquet("late", day, dt.date(2023, 12, 19)),
                          banquet("missed", day),
                          banquet("overdue", dt.date(2024, 1, 1)),
                          banquet("ok", day, dt.date(2023, 12, 18)),
                          banquet("future", dt.date(2024, 1, 5)),
                          banquet("small", day, diners=99),
                          banquet("hebei", day, region="130533")])
    late = assert_finding(report, "SHAPE-003", subject="late", evidence={
        "status": "late", "deadline": "2023-12-18", "done_on": "2023-12-19", "days_late": 1,
        "diners": 120, "offset": 2})
    assert late.due_date == dt.date(2023, 12, 18)
    assert_finding(report, "SHAPE-003", subject="missed", evidence={"status": "missed"})
    assert_finding(report, "SHAPE-003", subject="overdue", evidence={
        "status": "overdue", "deadline": "2023-12-30", "done_on": None})
    for quiet in ("ok", "future", "small", "hebei"):
        assert not [f for f in report.findings if f.subject.id == quiet
                    and f.rule_id == "SHAPE-003"], quiet


def test_deadline_after_an_event_with_records(engine: Engine) -> None:
    incident = Incident(id="inc1", region_code="130533", occurred_on=dt.date(2023, 12, 1),
                        operator_id="op1")
    assert_finding(run(engine, [eatery(), incident]), "SHAPE-004", subject="inc1",
                   evidence={"status": "missed", "deadline": "2023-12-08"})
    late = assert_finding(run(engine, [eatery(), incident,
                                       inspection("i1", dt.date(2023, 12, 10))]),
                          "SHAPE-004", evidence={"status": "late", "done_on": "2023-12-10"})
    assert {f.id for f in late.facts} == {"inc1", "i1"}
    assert_no_finding(run(engine, [eatery(), incident, inspection("i0", dt.date(2023, 11, 1)),
                                   inspection("i1", dt.date(2023, 12, 8))]), "SHAPE-004")
    assert_no_finding(run(engine, [eatery(), incident], as_of=dt.date(2023, 12, 8)),
                      "SHAPE-004")


# --------------------------------------------------------------------------- Recurrence


def test_recurrence_fires_at_k_within_the_window(engine: Engine) -> None:
    facts: list[Fact] = [eatery(), *(inspection(f"i{m}", dt.date(2023, m, 1), failed=1)
                                     for m in (3, 6, 9))]
    assert_finding(run(engine, facts), "SHAPE-005", subject="op1", evidence={
        "count": 3, "min_count": 3, "window": 365, "first_on": "2023-03-01",
        "record_ids": ["i3", "i6", "i9"]})
    assert_no_finding(run(engine, facts[:3]), "SHAPE-005")
    assert_no_finding(run(engine, facts, as_of=dt.date(2024, 3, 1)), "SHAPE-005")


# --------------------------------------------------------------------------- declaration


def test_check_declares_reads_parameters_and_grain() -> None:
    assert REPORTED.reads == ("banquet_report",)
    assert [p.name for p in REPORTED.parameters] == ["min_diners", "lead_days"]
    assert INSPECTED_AFTER.reads == ("incident", "inspection")
    assert NO_INSPECTION.grain == "operator"
    assert REPEATED.parameters[0].name == "min_count"
    assert NO_INSPECTION.shape is NO_INSPECTION.evaluate
    assert isinstance(NO_INSPECTION.shape, Absence)
    # without hooks a rule's evidence is its shape's typed evidence; with one, the hook's
    assert (NO_INSPECTION.evidence, INSPECTED_AFTER.evidence, REPEATED.evidence) == (
        AbsenceEvidence, DeadlineEvidence, RecurrenceEvidence)
    assert KEY_ITEMS.evidence is None and REPORTED.evidence is None


def test_describe_is_plain_data_naming_kinds_parameters_and_hooks() -> None:
    for rule in RULES:
        described = rule.shape.describe()
        assert json.loads(json.dumps(described)) == described
        assert set(described["parameters"]) == {p.name for p in rule.parameters}
    desc = REPORTED.shape.describe()
    assert desc["shape"] == "deadline"
    assert desc["scope"]["where"] == [{"field": "diners", "op": ">=",
                                       "value": {"parameter": "min_diners", "type": "int"}}]
    assert desc["scope"]["region"] == "510000"
    assert desc["offset"] == {"parameter": "lead_days", "type": "int"}
    assert desc["hooks"]["evidence"] == "tests.test_shapes:_banquet_evidence"
    assert NO_INSPECTION.shape.describe()["records"]["kind"] == "inspection"
    assert KEY_ITEMS.shape.describe()["comparison"] == "<="


def test_rules_pickle_by_reference(engine: Engine) -> None:
    for rule in RULES:
        blob = pickle.dumps(rule)
        assert b"_banquet_evidence" not in blob or rule is REPORTED
        assert len(blob) < 400, rule.id  # by reference: module and id, not the shape
        assert pickle.loads(blob) is rule
    plan = engine.catalogue.plan(profile="shapes-test", as_of=AS_OF, rulesets=["shapes-test"])
    again = pickle.loads(pickle.dumps(plan))
    facts: list[Fact] = [eatery()]
    assert again.run(facts).findings == plan.run(facts).findings


def test_bad_declarations_fail_at_import() -> None:
    with pytest.raises(RuleDefinitionError, match="unit"):
        Absence(scope=Scope(kind="operator"), records=Records(kind="inspection"), window=3,
                unit="weeks")
    with pytest.raises(RuleDefinitionError, match="comparison"):
        Threshold(scope=Scope(kind="operator"), value="x", comparison="=",
                  limit=_days("x"))
    with pytest.raises(RuleDefinitionError, match="operator"):
        Condition(field="x", op="~", value=1)
