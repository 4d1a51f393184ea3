"""Jurisdiction (issue 12, item 3): facts outside a ruleset's or profile's prefix never reach it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from fsrules import (
    Engine,
    LegalBasis,
    Profile,
    RuleContext,
    Ruleset,
    Text,
    hookimpl,
    rule,
)
from fsrules._jurisdiction import DISJOINT, narrower, normalise
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import BanquetReport, Fact, Licence, Operator
from fsrules.testing import FactBuilder

AS_OF = dt.date(2023, 12, 31)
BASIS = [LegalBasis(instrument="《测试办法》", article="第1条", confidence="V")]


class Seen:
    """What a recording rule saw: (jurisdiction, the facts' kinds and ids)."""

    def __init__(self) -> None:
        self.runs: list[tuple[str | None, set[tuple[str, str]]]] = []


def recording_ruleset(seen: Seen, *, jurisdiction: str | None) -> Ruleset:
    def evaluate(ctx: RuleContext) -> Iterator[object]:
        seen.runs.append((ctx.jurisdiction, {f.key for f in ctx.facts}))
        for op in ctx.facts.of_kind(Operator):
            yield ctx.finding(subject=op, evidence={"operator": op.id})

    r = rule(id="TEST-001", version="1", title=("测试", "test"), severity="low",
             reads=[Operator, BanquetReport, Licence], legal_basis=BASIS,
             message=("{subject}", "{subject}"), lead=("县市场监管局",))(evaluate)
    return Ruleset(id="recording", version="0.1", title=("测试", "test"), rules=[r],
                   jurisdiction=jurisdiction)


class Plugin:
    def __init__(self, ruleset: Ruleset, *profiles: Profile) -> None:
        self.ruleset = ruleset
        self.profiles = profiles
        self.__name__ = "recording-plugin"

    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
        register(self.ruleset)

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        for profile in self.profiles:
            register(profile)


def two_provinces() -> list[Fact]:
    """A Sichuan (510116) and a Hebei (130533) operator, each with a licence and a banquet."""
    facts: list[Fact] = []
    for code, tag in (("510116", "sc"), ("130533", "hb")):
        build = FactBuilder(region_code=code, year=2023)
        facts += [build.operator(f"op-{tag}"),
                  build.licence(f"lic-{tag}", operator_id=f"op-{tag}"),  # located by its operator
                  build.banquet_report(f"bq-{tag}")]
    return facts


def engine(seen: Seen, jurisdiction: str | None, *profiles: Profile) -> Engine:
    return Engine(plugins=[Plugin(recording_ruleset(seen, jurisdiction=jurisdiction),
                                  *profiles)], entry_points=False)


def test_a_plugin_for_51_never_sees_facts_of_130533() -> None:
    seen = Seen()
    report = engine(seen, "51").evaluate(two_provinces(), as_of=AS_OF,
                                         rulesets=["recording"])
    [(where, keys)] = seen.runs
    assert where == "51"
    assert keys == {("operator", "op-sc"), ("licence", "lic-sc"), ("banquet_report", "bq-sc")}
    assert [f.subject.id for f in report.findings] == ["op-sc"]


def test_without_a_jurisdiction_every_fact_reaches_the_rule() -> None:
    seen = Seen()
    engine(seen, None).evaluate(two_provinces(), as_of=AS_OF, rulesets=["recording"])
    [(where, keys)] = seen.runs
    assert where is None and len(keys) == 6


def test_the_profile_jurisdiction_applies_to_every_ruleset() -> None:
    seen = Seen()
    hebei_county = Profile.from_mapping({"name": "county", "extends": "national",
                                         "jurisdiction": "130533"}, {})
    engine(seen, None, hebei_county).evaluate(two_provinces(), as_of=AS_OF, profile="county",
                                              rulesets=["recording"])
    [(where, keys)] = seen.runs
    assert where == "130533"
    assert {k for _, k in keys} == {"op-hb", "lic-hb", "bq-hb"}


def test_a_child_profile_inherits_its_parents_jurisdiction() -> None:
    seen = Seen()
    parent = Profile.from_mapping({"name": "prov", "extends": "national",
                                   "jurisdiction": "510000"}, {})
    child = Profile.from_mapping({"name": "town", "extends": "prov"}, {})
    eng = engine(seen, None, parent, child)
    assert eng.catalogue.jurisdiction_of("town") == "51"
    eng.evaluate(two_provinces(), as_of=AS_OF, profile="town", rulesets=["recording"])
    assert seen.runs[0][0] == "51"


def test_ruleset_and_profile_narrow_each_other() -> None:
    seen = Seen()
    hebei = Profile.from_mapping({"name": "hb", "extends": "national", "jurisdiction": "13"}, {})
    report = engine(seen, "51", hebei).evaluate(two_provinces(), as_of=AS_OF, profile="hb",
                                                rulesets=["recording"])
    [(where, keys)] = seen.runs
    assert where == DISJOINT and keys == set() and report.findings == ()


def test_derived_facts_follow_the_jurisdiction() -> None:
    """Facts a derivation adds reach a jurisdiction's rules only when located inside it."""
    from fsrules import derivation

    seen = Seen()

    @derivation(id="TEST-DERIVE", version="1", title=("派生", "derive"), reads=[Operator],
                produces=[BanquetReport], legal_basis=BASIS)
    def derive(ctx: RuleContext) -> Iterator[Fact]:
        for op in ctx.facts.of_kind(Operator):
            yield FactBuilder(region_code=op.region_code, year=2023).banquet_report(
                f"derived-{op.id}")

    base = recording_ruleset(seen, jurisdiction="51")
    ruleset = Ruleset(id="recording", version="0.1", title=("测试", "test"),
                      rules=[*base.rules, derive], jurisdiction=None)
    # The derivation has no jurisdiction; the check reads what it derived, filtered.
    checks = Ruleset(id="scoped", version="0.1", title=("测试", "test"),
                     rules=[rule(id="TEST-002", version="1", title=("测试", "test"),
                                 severity="low", reads=[BanquetReport], legal_basis=BASIS,
                                 message=("{subject}", "{subject}"), lead=("县市场监管局",))(
                         lambda ctx: iter(seen.runs.append(
                             (ctx.jurisdiction, {f.key for f in ctx.facts})) or ()))],
                     jurisdiction="51")

    class Both(Plugin):
        @hookimpl
        def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
            register(ruleset)
            register(checks)

    eng = Engine(plugins=[Both(ruleset)], entry_points=False)
    eng.evaluate(two_provinces(), as_of=AS_OF, rulesets=["scoped"])
    [(where, keys)] = seen.runs
    assert where == "51"
    assert ("banquet_report", "derived-op-sc") in keys
    assert ("banquet_report", "derived-op-hb") not in keys


@pytest.mark.parametrize(("raw", "expected"), [
    ("51", "51"), ("510000", "51"), ("130500", "1305"), ("130533", "130533"),
    ("CN", None), ("", None), (None, None),
])
def test_prefixes_are_normalised(raw: str | None, expected: str | None) -> None:
    assert normalise(raw) == expected


def test_a_bad_prefix_is_refused_at_declaration() -> None:
    with pytest.raises(RuleDefinitionError, match="division-code prefix"):
        Ruleset(id="bad", version="1", title=Text("x", "x"), rules=[], jurisdiction="5")
    assert narrower("13", "1305", None) == "1305"
    assert narrower("51", "13") == DISJOINT


def test_the_sichuan_plugin_declares_its_jurisdiction() -> None:
    pytest.importorskip("fsrules_sichuan_banquet")
    from fsrules_sichuan_banquet import RULESET

    assert RULESET.jurisdiction == "51"
    plan = Engine.default(profile="national").catalogue.plan(
        profile="national", as_of=AS_OF, rulesets=["sichuan-banquet"])
    assert {plan.origins[r.id].jurisdiction for r in plan.rules} == {"51"}


def test_a_bad_profile_prefix_fails_at_load_naming_the_file() -> None:
    from fsrules import load_catalogue
    from fsrules.exceptions import ParameterError

    bad = Profile.from_mapping({"name": "typo", "extends": "national", "jurisdiction": "5l"},
                               {}, source="typo.toml")
    with pytest.raises(ParameterError, match=r"typo\.toml.*division-code prefix"):
        load_catalogue(plugins=[Plugin(recording_ruleset(Seen(), jurisdiction=None), bad)],
                       entry_points=False)


def test_a_rule_changing_a_fact_outside_an_earlier_scope_is_still_caught() -> None:
    """A filtered scope snapshots a kind from the full set: later rules stay watched."""
    from fsrules.exceptions import FactMutationError

    seen = Seen()

    def rename(ctx: RuleContext) -> Iterator[object]:
        for op in ctx.facts.of_kind(Operator):
            if op.id == "op-hb":
                object.__setattr__(op, "name", "改名")
        return iter(())

    mutating = rule(id="ZZZ-001", version="1", title=("改", "mutate"), severity="low",
                    reads=[Operator], legal_basis=BASIS, message=("{subject}", "{subject}"),
                    lead=("县市场监管局",))(rename)
    scoped = recording_ruleset(seen, jurisdiction="51")  # TEST-001 runs first, sees Sichuan
    everywhere = Ruleset(id="everywhere", version="0.1", title=("测试", "test"),
                         rules=[mutating])

    class Both(Plugin):
        @hookimpl
        def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
            register(scoped)
            register(everywhere)

    eng = Engine(plugins=[Both(scoped)], entry_points=False)
    with pytest.raises(FactMutationError, match="ZZZ-001"):
        eng.evaluate(two_provinces(), as_of=AS_OF, rulesets=["recording", "everywhere"])
    assert seen.runs and seen.runs[0][0] == "51"
