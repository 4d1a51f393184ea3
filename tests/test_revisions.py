"""Dated revisions: one rule id, the revision in force on as_of, fingerprints continue."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import fsrules
from fsrules import (
    Engine,
    LegalBasis,
    Param,
    Profile,
    RuleContext,
    Ruleset,
    Severity,
    Subject,
    Text,
    hookimpl,
    rule,
)
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import BusinessType, Fact, Inspection, InspectionResult, Operator
from fsrules.shapes import Absence, Records, Scope, check
from fsrules.testing import assert_finding, assert_no_finding

LAW_2021 = LegalBasis(instrument="《中华人民共和国食品安全法》", instrument_en="Food Safety Law",
                      article="第八十七条", article_en="Art. 87", version_date=dt.date(2021, 4, 29))
META: dict[str, Any] = {"title": ("小餐饮久未检查", "Small eatery not inspected"),
                        "legal_basis": [LAW_2021], "lead": ["县市场监管局"],
                        "identity": ("records",), "id": "REV-001"}
SCOPE = Scope(kind=Operator, where={"business_type": "small_eatery"})
DAYS = Param(name="max_days", type="int", minimum=1, description=Text("天数", "days"))

#: 2022: once a year, a medium finding.
REV_2022 = check(Absence(scope=SCOPE, records=Records(kind=Inspection), window=DAYS),
                 version="2022.1", valid_from=dt.date(2022, 1, 1), severity="medium",
                 message=("{subject}：{window} 天未检查", "{subject}: {window} days"), **META)
#: 2024: twice a year (a new parameter), a high finding.
REV_2024 = check(Absence(scope=SCOPE, records=Records(kind=Inspection), window=attrs.evolve(
    DAYS, name="max_days_2024")), version="2024.1", valid_from=dt.date(2024, 1, 1),
    severity="high", message=("{subject}：{window} 天未检查（2024 版）",
                              "{subject}: {window} days (2024 revision)"), **META)

NOT_INSPECTED = fsrules.revisions(REV_2024, REV_2022)


class _Plugin:
    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[fsrules.Ruleset], None]) -> None:
        register(Ruleset(id="revisions-test", version="1.0", title=("测试", "test"),
                         rules=[NOT_INSPECTED]))

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping(
            {"name": "revisions-test", "title": ["测试", "test"], "extends": "national"},
            {"REV-001": {"max_days": 365, "max_days_2024": 180}}))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[_Plugin()], profile="revisions-test")


def facts(as_of: dt.date) -> list[Fact]:
    """Never inspected (op1) and inspected 200 days before ``as_of`` (op2)."""
    ops = [Operator(id=o, name=o, business_type=BusinessType.SMALL_EATERY,
                    region_code="130533") for o in ("op1", "op2")]
    return [*ops, Inspection(id=f"i{as_of.year}", operator_id="op2",
                             inspected_on=as_of - dt.timedelta(days=200),
                             result=InspectionResult.CONFORMING)]


def test_the_revision_in_force_on_as_of_decides_with_the_same_fingerprint(
        engine: Engine) -> None:
    old_day, new_day = dt.date(2022, 12, 31), dt.date(2024, 12, 31)
    old = engine.evaluate(facts(old_day), as_of=old_day, rulesets=["revisions-test"])
    new = engine.evaluate(facts(new_day), as_of=new_day, rulesets=["revisions-test"])
    # 2022 verdict: a year without inspection, medium; op2 (200 days) is fine
    first = assert_finding(old, "REV-001", subject="op1", evidence={"window": 365})
    assert (first.rule_version, first.severity) == ("2022.1", Severity.MEDIUM)
    assert_no_finding(old, "REV-001", subject="op2")
    # 2024 verdict: half a year, high; op2 is now overdue
    second = assert_finding(new, "REV-001", subject="op1", evidence={"window": 180})
    assert (second.rule_version, second.severity) == ("2024.1", Severity.HIGH)
    assert "2024 版" in second.message.zh
    assert_finding(new, "REV-001", subject="op2")
    assert first.fingerprint == second.fingerprint
    # the provenance records the parameter the revision in force read
    assert [p.name for p in old.provenance.parameters] == ["max_days"]
    assert [p.name for p in new.provenance.parameters] == ["max_days_2024"]


def test_revisions_are_ordered_and_bounded() -> None:
    assert [r.version for r in NOT_INSPECTED.revisions] == ["2022.1", "2024.1"]
    assert NOT_INSPECTED.revisions[0].valid_to == dt.date(2023, 12, 31)
    assert NOT_INSPECTED.valid_from == dt.date(2022, 1, 1)
    assert NOT_INSPECTED.version == "2024.1"
    assert NOT_INSPECTED.revision_on(dt.date(2023, 12, 31)).version == "2022.1"
    assert NOT_INSPECTED.revision_on(dt.date(2024, 1, 1)).version == "2024.1"
    assert NOT_INSPECTED.revision_on(dt.date(2020, 1, 1)).version == "2022.1"
    assert not NOT_INSPECTED.revision_on(dt.date(2020, 1, 1)).in_force(dt.date(2020, 1, 1))
    assert REV_2022.revision_on(dt.date(2030, 1, 1)) is REV_2022


def test_before_the_first_revision_the_rule_is_not_in_force(engine: Engine) -> None:
    day = dt.date(2021, 6, 30)
    report = engine.evaluate(facts(day), as_of=day, rulesets=["revisions-test"])
    assert not report.findings
    assert [s.status for s in report.rule_stats if s.rule_id == "REV-001"] == ["not_in_force"]


def test_plans_pickle_the_revision_in_force_by_reference(engine: Engine) -> None:
    for day, version in ((dt.date(2022, 12, 31), "2022.1"), (dt.date(2024, 12, 31), "2024.1")):
        plan = engine.catalogue.plan(profile="revisions-test", as_of=day,
                                     rulesets=["revisions-test"])
        planned = plan.rule("REV-001")
        assert planned.version == version
        blob = pickle.dumps(planned)
        assert len(blob) < 400
        assert pickle.loads(blob) is planned
        again = pickle.loads(pickle.dumps(plan))
        assert again.run(facts(day)).findings == plan.run(facts(day)).findings


def test_explain_shows_the_revision_in_force(engine: Engine) -> None:
    old = engine.catalogue.explain("REV-001", as_of=dt.date(2022, 6, 1), profile="revisions-test")
    assert old.rule.version == "2022.1"
    assert [p[0] for p in old.parameters] == ["max_days"]


def _imperative(day: dt.date) -> Callable[[RuleContext], Iterator[object]]:
    def evaluate(ctx: RuleContext) -> Iterator[object]:
        yield ctx.finding(subject=Subject(kind="region", id="130533"), evidence={"day": day})
    return evaluate


def test_bad_revisions_fail_at_declaration() -> None:
    def make(version: str, valid_from: dt.date | None, **kw: Any) -> fsrules.Rule:
        return rule(id=kw.pop("id", "REV-002"), version=version, valid_from=valid_from,
                    severity="low", reads=["region"], legal_basis=[LAW_2021],
                    title=("t", "t"), message=("m", "m"), lead=["县市场监管局"], **kw)(
            _imperative(valid_from or dt.date.min))

    a, b = make("1", None), make("2", dt.date(2024, 1, 1))
    assert fsrules.revisions(a, b).revision_on(dt.date(1999, 1, 1)).version == "1"
    with pytest.raises(RuleDefinitionError, match="one id"):
        fsrules.revisions(a, make("2", dt.date(2024, 1, 1), id="REV-003"))
    with pytest.raises(RuleDefinitionError, match="own version"):
        fsrules.revisions(a, make("1", dt.date(2024, 1, 1)))
    with pytest.raises(RuleDefinitionError, match="valid_from"):
        fsrules.revisions(a, make("2", None))
    with pytest.raises(RuleDefinitionError, match="same day"):
        fsrules.revisions(b, make("3", dt.date(2024, 1, 1)))
    with pytest.raises(RuleDefinitionError, match="identity"):
        fsrules.revisions(a, make("2", dt.date(2024, 1, 1), identity=("day",)))
