"""Case time limits (ruleset ``cases``, CASE-001 … CASE-004): each fires and stays quiet.

Each is on the Deadline shape; the live side (the closing record arrives,
the finding is resolved) is in tests/test_live.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from fsrules import Engine, Finding, Profile, Report, Severity, hookimpl
from fsrules.model import (
    Complaint,
    Disposal,
    DisposalStatus,
    EnforcementCase,
    Fact,
    Licence,
    LicenceKind,
    SamplingKind,
    SamplingResult,
    Verdict,
)

from .conftest import AS_OF, operator


def run(engine: Engine, facts: list[Fact], as_of: dt.date = AS_OF, **kw: Any) -> Report:
    return engine.evaluate(facts, as_of=as_of, rulesets=["cases"], **kw)


def only(report: Report, rule_id: str) -> list[Finding]:
    assert not [d for d in report.diagnostics if d.rule_id == rule_id], report.diagnostics
    return [f for f in report.findings if f.rule_id == rule_id]


def instruments(finding: Finding) -> list[str]:
    return [b.instrument for b in finding.legal_basis]


# --------------------------------------------------------------------------- CASE-001


def result(rid: str = "s1", **kw: Any) -> SamplingResult:
    kw.setdefault("region_code", "130533")
    kw.setdefault("sampling_kind", SamplingKind.SUPERVISORY)
    kw.setdefault("sampled_on", dt.date(2023, 3, 1))
    kw.setdefault("result_received_on", dt.date(2023, 3, 20))
    kw.setdefault("product_name", "酱卤肉")
    kw.setdefault("verdict", Verdict.FAIL)
    kw.setdefault("operator_id", "op1")
    return SamplingResult(id=rid, **kw)


def disposal(did: str = "d1", sampling_id: str = "s1", **kw: Any) -> Disposal:
    kw.setdefault("status", DisposalStatus.COMPLETED)
    kw.setdefault("started_on", dt.date(2023, 3, 22))
    kw.setdefault("completed_on", dt.date(2023, 5, 1))
    return Disposal(id=did, sampling_id=sampling_id, operator_id="op1", **kw)


def test_case_001_fires_when_disposal_is_not_completed_past_the_limit(engine: Engine) -> None:
    in_progress = disposal(status=DisposalStatus.IN_PROGRESS, completed_on=None)
    [f] = only(run(engine, [operator(), result(), in_progress]), "CASE-001")
    assert (f.subject.kind, f.subject.id, f.subject.name) == ("sampling_result", "s1", "酱卤肉")
    assert f.severity is Severity.HIGH
    assert f.evidence["received_on"] == dt.date(2023, 3, 20).isoformat()
    assert f.evidence["max_days"] == 90
    assert f.evidence["deadline"] == dt.date(2023, 6, 18).isoformat()
    assert f.due_date == dt.date(2023, 6, 18)
    assert f.evidence["days_overdue"] == (AS_OF - dt.date(2023, 6, 18)).days
    assert f.evidence["operator_name"] == "威县测试食品店op1"
    assert "《食品安全抽样检验管理办法》" in instruments(f)
    assert all(b.confidence.value == "M" for b in f.legal_basis)
    assert "2023-06-18" in f.message.zh and "核查处置" in f.message.zh
    assert f.lead_departments == ("县市场监管局",)


def test_case_001_counts_from_sampling_when_the_result_date_is_not_recorded(
        engine: Engine) -> None:
    [f] = only(run(engine, [result(result_received_on=None)]), "CASE-001")
    assert f.evidence["received_on"] == dt.date(2023, 3, 1).isoformat()
    assert f.evidence["deadline"] == dt.date(2023, 5, 30).isoformat()


@pytest.mark.parametrize("why", ["completed in time", "completed late", "conforming",
                                 "not due yet"])
def test_case_001_quiet(engine: Engine, why: str) -> None:
    facts: list[Fact] = [operator(), result(), disposal()]
    as_of = AS_OF
    if why == "completed late":
        facts[2] = disposal(completed_on=dt.date(2023, 8, 1))   # closed: DEMO-08D counts it
    elif why == "conforming":
        facts[1:] = [result(verdict=Verdict.PASS)]
    elif why == "not due yet":
        facts[2:] = []
        as_of = dt.date(2023, 6, 18)                            # the deadline day is in time
    assert only(run(engine, facts, as_of), "CASE-001") == []


def test_case_001_disposal_completed_after_as_of_is_not_known_yet(engine: Engine) -> None:
    facts = [result(), disposal(completed_on=dt.date(2024, 1, 5))]
    [f] = only(run(engine, facts), "CASE-001")
    assert f.subject.id == "s1"
    assert only(run(engine, facts, dt.date(2024, 1, 5)), "CASE-001") == []


# --------------------------------------------------------------------------- CASE-002


def complaint(cid: str = "c1", **kw: Any) -> Complaint:
    kw.setdefault("region_code", "130533")
    kw.setdefault("received_on", dt.date(2023, 5, 2))
    kw.setdefault("due_on", dt.date(2023, 6, 1))
    kw.setdefault("operator_id", "op1")
    return Complaint(id=cid, **kw)


def test_case_002_fires_on_a_food_complaint_open_past_its_deadline(engine: Engine) -> None:
    [f] = only(run(engine, [operator(), complaint()]), "CASE-002")
    assert (f.subject.kind, f.subject.id) == ("complaint", "c1")
    assert f.severity is Severity.MEDIUM
    assert f.evidence["due_on"] == dt.date(2023, 6, 1).isoformat()
    assert f.due_date == dt.date(2023, 6, 1)
    assert f.evidence["days_overdue"] == (AS_OF - dt.date(2023, 6, 1)).days
    assert f.evidence["channel"] == "12315"
    assert "《市场监督管理投诉举报处理暂行办法》" in instruments(f)
    assert any(b.article == "第一百一十五条" and b.confidence.value == "V"
               for b in f.legal_basis)
    assert f.message.zh.startswith("投诉 c1（12315，2023-05-02 登记）")


@pytest.mark.parametrize("change", [{"closed_on": dt.date(2023, 5, 20)},
                                    {"closed_on": dt.date(2023, 7, 20)},
                                    {"is_food": False}, {"due_on": None}])
def test_case_002_quiet(engine: Engine, change: dict[str, Any]) -> None:
    assert only(run(engine, [complaint(**change)]), "CASE-002") == []


def test_case_002_quiet_before_the_deadline_passes(engine: Engine) -> None:
    assert only(run(engine, [complaint()], dt.date(2023, 6, 1)), "CASE-002") == []
    assert len(only(run(engine, [complaint()], dt.date(2023, 6, 2)), "CASE-002")) == 1


# --------------------------------------------------------------------------- CASE-003


def case(cid: str = "k1", **kw: Any) -> EnforcementCase:
    kw.setdefault("region_code", "130533")
    kw.setdefault("opened_on", dt.date(2023, 6, 1))
    kw.setdefault("operator_id", "op1")
    return EnforcementCase(id=cid, **kw)


def test_case_003_fires_on_a_case_open_past_its_time_limit(engine: Engine) -> None:
    [f] = only(run(engine, [operator(), case()]), "CASE-003")
    assert (f.subject.kind, f.subject.id) == ("enforcement_case", "k1")
    assert f.evidence["closing_days"] == 90
    assert f.evidence["deadline"] == dt.date(2023, 8, 30).isoformat()
    assert f.due_date == dt.date(2023, 8, 30)
    assert "extended_until" not in f.evidence          # None values are left out
    assert "《市场监督管理行政处罚程序规定》" in instruments(f)
    assert "2023-08-30" in f.message.zh


def test_case_003_an_approved_extension_moves_the_deadline(engine: Engine) -> None:
    [f] = only(run(engine, [case(extended_until=dt.date(2023, 10, 1))]), "CASE-003")
    assert f.evidence["deadline"] == dt.date(2023, 10, 1).isoformat()
    assert f.evidence["extended_until"] == dt.date(2023, 10, 1).isoformat()
    assert only(run(engine, [case(extended_until=dt.date(2024, 1, 31))]), "CASE-003") == []
    # an "extension" earlier than the limit does not shorten it
    [g] = only(run(engine, [case(extended_until=dt.date(2023, 7, 1))]), "CASE-003")
    assert g.evidence["deadline"] == dt.date(2023, 8, 30).isoformat()


@pytest.mark.parametrize("change", [{"closed_on": dt.date(2023, 8, 1)},
                                    {"closed_on": dt.date(2023, 11, 1)},
                                    {"opened_on": None}, {"opened_on": dt.date(2023, 10, 15)}])
def test_case_003_quiet(engine: Engine, change: dict[str, Any]) -> None:
    assert only(run(engine, [case(**change)]), "CASE-003") == []


# --------------------------------------------------------------------------- CASE-004


def licence(lid: str = "l1", **kw: Any) -> Licence:
    kw.setdefault("operator_id", "op1")
    kw.setdefault("licence_kind", LicenceKind.BUSINESS)
    kw.setdefault("number", "JY11305330000011")
    kw.setdefault("issued_on", dt.date(2019, 1, 16))
    kw.setdefault("valid_until", dt.date(2024, 1, 15))
    return Licence(id=lid, **kw)


def test_case_004_fires_before_expiry_once_the_renewal_deadline_passed(engine: Engine) -> None:
    [f] = only(run(engine, [operator(), licence()]), "CASE-004")
    assert (f.subject.kind, f.subject.id, f.subject.name) == ("operator", "op1",
                                                              "威县测试食品店op1")
    assert f.severity is Severity.MEDIUM
    assert f.evidence["status"] == "overdue"
    assert f.evidence["renewal_deadline"] == dt.date(2023, 12, 16).isoformat()
    assert f.due_date == dt.date(2023, 12, 16)
    assert f.evidence["renew_days_before"] == 30
    assert f.evidence["licence_id"] == "l1"
    assert "食品经营许可证 JY11305330000011" in f.message.zh and "申请延续" in f.message.zh
    assert "《食品经营许可和备案管理办法》" in instruments(f)
    assert any(b.article == "第三十五条" for b in f.legal_basis)


def test_case_004_expired_without_renewal_is_high_and_keeps_its_fingerprint(
        engine: Engine) -> None:
    facts = [operator(), licence()]
    [before] = only(run(engine, facts), "CASE-004")
    [after] = only(run(engine, facts, dt.date(2024, 2, 1)), "CASE-004")
    assert after.severity is Severity.HIGH
    assert after.evidence["status"] == "expired"
    assert "已于 2024-01-15 到期，未延续" in after.message.zh
    assert after.fingerprint == before.fingerprint          # one problem, as it worsens


def test_case_004_production_licences_too(engine: Engine) -> None:
    prod = licence(licence_kind=LicenceKind.PRODUCTION, number="SC10113053300011")
    [f] = only(run(engine, [operator(), prod]), "CASE-004")
    assert "食品生产许可证" in f.message.zh


@pytest.mark.parametrize("why", ["renewed", "renewed late", "revoked", "operator closed",
                                 "filing", "not due yet", "no expiry recorded"])
def test_case_004_quiet(engine: Engine, why: str) -> None:
    facts: list[Fact] = [operator(), licence()]
    as_of = AS_OF
    if why == "renewed":
        facts.append(licence("l2", issued_on=dt.date(2023, 12, 1),
                             valid_until=dt.date(2029, 1, 15)))
    elif why == "renewed late":   # the record has the issue date, not the application's
        facts.append(licence("l2", issued_on=dt.date(2023, 12, 28),
                             valid_until=dt.date(2029, 1, 15)))
    elif why == "revoked":
        facts[1] = licence(revoked_on=dt.date(2023, 9, 1))
    elif why == "operator closed":
        facts[0] = operator(closed_on=dt.date(2023, 11, 1))
    elif why == "filing":
        facts[1] = licence(licence_kind=LicenceKind.FILING)
    elif why == "not due yet":
        as_of = dt.date(2023, 12, 16)
    elif why == "no expiry recorded":
        facts[1] = licence(valid_until=None)
    assert only(run(engine, facts, as_of), "CASE-004") == []


def test_case_004_an_earlier_licence_is_not_a_renewal(engine: Engine) -> None:
    old = licence("l0", issued_on=dt.date(2014, 1, 16), valid_until=dt.date(2019, 1, 15))
    [f] = only(run(engine, [operator(), old, licence()]), "CASE-004")
    assert f.evidence["licence_id"] == "l1"      # l0 was renewed in time by l1


# --------------------------------------------------------------------------- parameters


class _Bare:
    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping({"name": "bare-cases", "title": ["无参数", "bare"]}, {}))


def test_time_limits_have_no_silent_default() -> None:
    engine = Engine(plugins=[_Bare()], builtins=True, profile="bare-cases")
    facts: list[Fact] = [operator(), result(), complaint(), case(), licence()]
    report = run(engine, facts)
    status = {s.rule_id: s.status for s in report.rule_stats}
    assert status == {"CASE-001": "skipped", "CASE-002": "ran", "CASE-003": "skipped",
                      "CASE-004": "skipped"}
    missing = {d.rule_id: d for d in report.diagnostics}
    assert set(missing) == {"CASE-001", "CASE-003", "CASE-004"}
    assert all(d.code == "rule.missing_parameter" for d in missing.values())
    assert [f.rule_id for f in report.findings] == ["CASE-002"]


def test_case_004_a_licence_of_another_kind_is_not_its_renewal(engine: Engine) -> None:
    business = licence("l2", issued_on=dt.date(2023, 1, 10), valid_until=dt.date(2028, 1, 9))
    prod = licence("l3", licence_kind=LicenceKind.PRODUCTION, number="SC10113053300011")
    [f] = only(run(engine, [operator(), business, prod]), "CASE-004")
    assert f.evidence["licence_id"] == "l3"
