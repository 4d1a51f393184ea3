"""Catalogue -> Plan -> run: picklable, independent plans; the input digest; immutable facts."""

from __future__ import annotations

import csv
import datetime as dt
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import fsrules
from fsrules import (
    Catalogue,
    Engine,
    FactSet,
    LegalBasis,
    Plan,
    RuleContext,
    Ruleset,
    hookimpl,
    load_catalogue,
    rule,
)
from fsrules._digest import InputDigest, input_digest
from fsrules.exceptions import FactMutationError
from fsrules.loading import LoadResult, dump_bundle, load_bundle
from fsrules.model import Inspection, InspectionResult, Operator

from .conftest import REPO, SHARED, operator

AS_OF = dt.date(2023, 12, 31)
DEMO = REPO / "examples" / "weixian"
FINGERPRINTS = SHARED / "baselines" / "demo-fingerprints.tsv"
#: Wave-1 findings that rested on Hebei's 2026 三小 revision, which is not in
#: force on 2023-12-31 (issue 10, defect 2; CHANGELOG "Demo report changes").
#: No other fingerprint may change.
REMOVED_BY_ISSUE_10 = frozenset({
    "SMALL-201\t81bbf85bbd7c01efba2053c5250673a1",
    "SMALL-202\t8e2bb77cba4ed80ed3420615b3fef306",
    "SMALL-203\t5430f771b518a1752f4f501f9f0fc4fa",
    "SMALL-305\td11ab93473bad65ed1ebd10e87735c36",
    "SMALL-502\tbfc80c5d60436b93cb019da0b0e33b42",
    "SMALL-502\td01930d94b3ccf8229ab915cfcf48c89",
})


#: Findings of the territorial ruleset (issue 16), new in the demo report: additions
#: only, every earlier fingerprint is unchanged (CHANGELOG "Demo report changes").
ADDED_BY_ISSUE_16 = 29
#: The case time limits (ruleset ``cases``, CASE-001…004) added these demo findings.
ADDED_BY_ISSUE_14 = 22


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(entry_points=True, allowed_plugins=())


@pytest.fixture(scope="module")
def demo(catalogue: Catalogue) -> LoadResult:
    loaded: LoadResult = load_bundle([DEMO], kinds=catalogue.fact_kinds, as_of=AS_OF)
    return loaded


@pytest.fixture(scope="module")
def demo_json(catalogue: Catalogue, demo: LoadResult) -> str:
    return catalogue.plan(profile="demo", as_of=AS_OF).run(demo).to_json()


# ---------------------------------------------------------------------- plan and engine


def test_engine_evaluate_is_plan_run(demo: LoadResult, demo_json: str) -> None:
    engine = Engine(profile="demo")
    report = engine.evaluate(demo, as_of=AS_OF)
    assert report.to_json() == engine.catalogue.plan(profile="demo", as_of=AS_OF).run(
        demo).to_json()
    assert report.to_json() == demo_json
    assert len(report.findings) == (302 - len(REMOVED_BY_ISSUE_10) + ADDED_BY_ISSUE_16
                                    + ADDED_BY_ISSUE_14)
    wrapped = Engine(profile="demo", catalogue=engine.catalogue)
    assert wrapped.evaluate(demo, as_of=AS_OF).to_json() == demo_json


def test_plan_pickles_and_gives_the_same_report(catalogue: Catalogue, demo: LoadResult,
                                                demo_json: str) -> None:
    plan = catalogue.plan(profile="demo", as_of=AS_OF)
    copy = pickle.loads(pickle.dumps(plan))
    assert isinstance(copy, Plan)
    assert [r.id for r in copy.rules] == [r.id for r in plan.rules]
    assert copy.run(demo).to_json() == demo_json


def test_catalogue_pickles(catalogue: Catalogue, demo: LoadResult, demo_json: str) -> None:
    copy = pickle.loads(pickle.dumps(catalogue))
    assert copy.digest == catalogue.digest
    assert copy.plan(profile="demo", as_of=AS_OF).run(demo).to_json() == demo_json


def test_two_plans_of_one_catalogue_do_not_affect_each_other(
        catalogue: Catalogue, demo: LoadResult, demo_json: str) -> None:
    national = catalogue.plan(profile="national", as_of=AS_OF)
    demo_plan = catalogue.plan(profile="demo", as_of=AS_OF)
    first_national = national.run(demo).to_json()
    assert demo_plan.run(demo).to_json() == demo_json
    assert national.run(demo).to_json() == first_national
    assert first_national != demo_json
    assert national.profile == "national" and demo_plan.profile == "demo"
    # the same parameter resolves per plan, never leaking from one to the other
    shared = set(national.parameters) & set(demo_plan.parameters)
    differ = [k for k in shared if national.parameters[k].source != demo_plan.parameters[k].source]
    assert differ, "the demo profile overrides some national values"


def test_plan_resolves_parameters_and_exposes_grain(catalogue: Catalogue) -> None:
    plan = catalogue.plan(profile="demo", as_of=AS_OF)
    veto = plan.rule("VETO-005")
    resolved = plan.parameters[("VETO-005", "min_pass_rate")]
    assert resolved.value == plan.resolve(veto, "min_pass_rate").value
    # another day goes through the pickled resolver, not the as_of table
    assert plan.resolve(veto, "min_pass_rate", dt.date(2020, 1, 1)).rule_id == "VETO-005"
    assert all(r.is_derivation for r in plan.derivations)
    assert not any(r.is_derivation for r in plan.rules)
    # the territorial ruleset's findings are about townships, departments and cadres,
    # the case time limits' about the case (a sampling result, a complaint, a case)
    assert {r.grain for r in plan.rules} == {"operator", "region", "township", "department",
                                             "cadre", "sampling_result", "complaint",
                                             "enforcement_case"}
    assert all(r.identity for r in plan.rules)


def test_plan_needs_a_date(catalogue: Catalogue) -> None:
    with pytest.raises(TypeError, match="as_of"):
        catalogue.plan(profile="demo")
    with pytest.raises(TypeError, match="as_of"):
        catalogue.plan(profile="demo", as_of=dt.datetime(2023, 12, 31))  # type: ignore[arg-type]


def test_catalogue_digest_is_stable_across_processes(catalogue: Catalogue) -> None:
    code = ("import fsrules; print(fsrules.load_catalogue(entry_points=True, "
            "allowed_plugins=()).digest)")
    digests = set()
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={"PYTHONHASHSEED": seed, "PATH": ""})
        digests.add(out.stdout.strip())
    assert digests == {catalogue.digest}
    assert load_catalogue(builtins=False, entry_points=False).digest != catalogue.digest


def test_load_catalogue_honours_fsrules_plugins() -> None:
    none = load_catalogue(environ={"FSRULES_PLUGINS": ""})
    assert all(p.builtin for p in none.plugins)


def test_rule_pickles_by_reference_and_its_function_stays_importable() -> None:
    from fsrules_rulesets.veto import rules as veto_rules

    engine_rule = Engine(profile="national").rule("VETO-005")
    assert pickle.loads(pickle.dumps(engine_rule)) is engine_rule
    module_rule = next(v for v in vars(veto_rules).values()
                       if isinstance(v, fsrules.Rule) and v.id == "VETO-005")
    assert module_rule.evaluate.__qualname__.endswith(".evaluate")
    assert pickle.loads(pickle.dumps(module_rule.evaluate)) is module_rule.evaluate


# ---------------------------------------------------------------------- the demo fingerprints


@pytest.mark.skipif(not FINGERPRINTS.exists(), reason=f"{FINGERPRINTS} not found")
def test_demo_fingerprints_match_the_baseline(catalogue: Catalogue, demo: LoadResult) -> None:
    report = catalogue.plan(profile="demo", as_of=AS_OF).run(demo)
    got = sorted(f"{f.rule_id}\t{f.fingerprint}" for f in report.findings
                 if f.ruleset not in ("territorial", "cases"))
    want = sorted(line for line in FINGERPRINTS.read_text(encoding="utf-8").splitlines()
                  if line and line not in REMOVED_BY_ISSUE_10)
    assert got == want
    added = [f for f in report.findings if f.ruleset == "territorial"]
    assert len(added) == ADDED_BY_ISSUE_16
    cases = [f for f in report.findings if f.ruleset == "cases"]
    assert len(cases) == ADDED_BY_ISSUE_14


# ---------------------------------------------------------------------- input digest


def _facts() -> list[Any]:
    ops = [operator(f"op{i}") for i in range(5)]
    insp = [Inspection(id=f"i{i}", operator_id=f"op{i % 5}", inspected_on=dt.date(2023, 3, i + 1),
                       result=InspectionResult.CONFORMING) for i in range(7)]
    return [*ops, *insp]


def test_input_digest_ignores_order_and_composes() -> None:
    facts = _facts()
    whole = input_digest(facts)
    assert input_digest(list(reversed(facts))) == whole
    left = InputDigest().update(facts[:4])
    right = InputDigest().update(facts[4:])
    assert left.merge(right).hexdigest() == whole == right.merge(left).hexdigest()
    assert pickle.loads(pickle.dumps(left)).hexdigest() == left.hexdigest()
    assert input_digest(facts[1:]) != whole


def test_input_digest_is_the_same_for_csv_and_xlsx(tmp_path: Path) -> None:
    facts = _facts()
    dump_bundle(facts, tmp_path / "csv", fmt="csv")
    workbook = openpyxl.Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for path in sorted((tmp_path / "csv").glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                sheet.append(row)
    (tmp_path / "xlsx").mkdir()
    workbook.save(tmp_path / "xlsx" / "bundle.xlsx")
    from_csv = load_bundle([tmp_path / "csv"])
    from_xlsx = load_bundle([tmp_path / "xlsx"])
    assert not from_csv.errors and not from_xlsx.errors
    assert from_csv.digest == from_xlsx.digest == input_digest(facts)


def test_two_profiles_over_one_load_hash_nothing_again(
        catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _facts()
    loaded = LoadResult(facts=tuple(facts), diagnostics=(), files=(), digest=input_digest(facts))
    calls: list[int] = []
    import fsrules._digest as digest_module

    original = digest_module.InputDigest.update

    def counting(self: InputDigest, items: Iterable[Any]) -> InputDigest:
        calls.append(1)
        return original(self, items)

    monkeypatch.setattr(digest_module.InputDigest, "update", counting)
    a = catalogue.plan(profile="national", as_of=AS_OF).run(loaded)
    b = catalogue.plan(profile="demo", as_of=AS_OF).run(loaded)
    assert calls == []
    assert a.provenance.input_digest == b.provenance.input_digest == loaded.digest
    factset = FactSet(facts)
    catalogue.plan(profile="national", as_of=AS_OF).run(factset)
    catalogue.plan(profile="demo", as_of=AS_OF).run(factset)
    assert calls == [1]  # once per FactSet


# ---------------------------------------------------------------------- lazy FactSet


def test_factset_builds_indexes_lazily_per_kind() -> None:
    facts = FactSet(_facts())
    idx = facts._idx
    assert idx.by_subject == {} and idx.by_region == {} and idx.by_date == {}
    assert [f.id for f in facts.for_subject(Inspection, "op1")] == ["i1", "i6"]
    assert set(idx.by_subject) == {"inspection"} and idx.by_region == {}
    assert [f.id for f in facts.in_region(Inspection, "130000")] == [f"i{i}" for i in range(7)]
    assert set(idx.by_region) == {"inspection"}
    assert [f.id for f in facts.between(Inspection, dt.date(2023, 3, 2), dt.date(2023, 3, 3))
            ] == ["i1", "i2"]
    assert set(idx.by_date) == {"inspection"}
    grown = facts.with_facts([operator("op9")])
    assert grown._idx.by_region == {}  # new operators move regions: rebuilt on demand
    assert set(grown._idx.by_subject) == {"inspection"}  # shared


def test_factset_takes_facts_in_any_order_and_rejects_what_it_must() -> None:
    facts = _facts()
    shuffled = [facts[i] for i in (8, 0, 11, 3, 5, 1, 10, 2, 7, 4, 9, 6)]
    ordered, mixed = FactSet(facts), FactSet(shuffled)
    assert list(mixed) == list(ordered) and len(mixed) == len(ordered) == 12
    assert [f.id for f in mixed.of_kind(Inspection)] == [f"i{i}" for i in range(7)]
    assert mixed.get(Operator, "op3") is facts[3] and mixed.get(Operator, "op9") is None
    assert facts[6] in mixed and operator("op0", name="另一个") not in mixed
    with pytest.raises(ValueError, match="duplicate fact inspection 'i2'"):
        FactSet([*shuffled, facts[7]])
    with pytest.raises(ValueError, match="duplicate fact operator 'op1'"):
        FactSet([operator("op1"), *facts[5:], operator("op1", name="再一个")])
    with pytest.raises(TypeError, match="got str"):
        FactSet([*facts, "op1"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="duplicate fact inspection 'i9'"):
        ordered.with_facts([facts[5].__class__(
            id=f"i{n}", operator_id="op1", inspected_on=dt.date(2023, 5, 1),
            result=InspectionResult.CONFORMING) for n in (8, 9, 9)])


def test_guard_snapshots_only_the_kinds_rules_are_handed() -> None:
    """A kind is snapshotted just before its first fact is handed out, and only then."""
    from fsrules._guard import MutationGuard

    facts = FactSet(_facts())
    guard = MutationGuard()
    trace: list[Any] = []
    view = facts._traced(trace, guard)
    assert view.for_subject(Inspection, "op9") == () and guard.kinds == set()
    assert len(view.for_subject(Inspection, "op1")) == 2
    assert guard.kinds == {"inspection"}
    op = view.operator("op2")
    assert op is not None and guard.kinds == {"inspection", "operator"}
    name = op.name
    object.__setattr__(op, "name", "改名")
    with pytest.raises(FactMutationError, match="rule R-1 changed 1 fact"):
        guard.check({"R-1": trace, "R-2": []})
    object.__setattr__(op, "name", name)  # the very object it held: no change
    guard.check({"R-1": trace})


def test_a_rule_that_changes_a_fact_found_by_subject_is_named() -> None:
    def rename(ctx: RuleContext) -> Iterable[Any]:
        [first, _] = ctx.facts.for_subject(Inspection, "op1")
        object.__setattr__(first, "operator_id", "op2")
        return ()

    engine = Engine(plugins=[_plugin(rename, "TEST-MUT-003")], builtins=True)
    # TEST-QUIET-001 reads every inspection after it, so it is named too
    with pytest.raises(FactMutationError, match="TEST-MUT-003, TEST-QUIET-001 changed 1 fa"
                       ) as info:
        engine.evaluate(_facts(), as_of=AS_OF, rulesets=["mutating"])
    assert info.value.facts == (("inspection", "i1"),)


# ---------------------------------------------------------------------- immutable facts


def _plugin(evaluate: Callable[[RuleContext], Iterable[Any]], rule_id: str) -> object:
    basis = [LegalBasis(instrument="测试", article="第一条")]

    def quiet(ctx: RuleContext) -> Iterable[Any]:
        for op in ctx.facts.of_kind(Inspection):
            assert op.id
        return ()

    rules = [
        rule(id=rule_id, version="1", title=("改", "mutates"), severity="low",
             reads=[Operator], legal_basis=basis, message=("{subject}", "{subject}"),
             lead=["市场监管"])(evaluate),
        rule(id="TEST-QUIET-001", version="1", title=("静", "quiet"), severity="low",
             reads=[Inspection], legal_basis=basis, message=("{subject}", "{subject}"),
             lead=["市场监管"])(quiet),
    ]

    class Plugin:
        @hookimpl
        def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
            register(Ruleset(id="mutating", version="1", title=("改", "mut"), rules=rules))

    return Plugin()


def test_a_rule_that_changes_a_fact_is_named() -> None:
    def rename(ctx: RuleContext) -> Iterable[Any]:
        op = ctx.facts.operator("op1")
        assert op is not None
        object.__setattr__(op, "name", "改名")
        return ()

    engine = Engine(plugins=[_plugin(rename, "TEST-MUT-001")], builtins=True)
    with pytest.raises(FactMutationError, match="rule TEST-MUT-001 changed 1 fact") as info:
        engine.evaluate(_facts(), as_of=AS_OF, rulesets=["mutating"])
    assert info.value.rule_ids == ("TEST-MUT-001",)
    assert info.value.facts == (("operator", "op1"),)


def test_reading_facts_is_not_a_mutation() -> None:
    def read(ctx: RuleContext) -> Iterable[Any]:
        return [ctx.finding(subject=op, evidence={"n": 1}) for op in ctx.facts.of_kind(Operator)]

    engine = Engine(plugins=[_plugin(read, "TEST-MUT-002")], builtins=True)
    report = engine.evaluate(_facts(), as_of=AS_OF, rulesets=["mutating"])
    assert [f.subject.id for f in report.findings] == [f"op{i}" for i in range(5)]
    assert report.findings[0].subject.name == "威县测试食品店op0"


# ---------------------------------------------------------------------- derivations reduce


def test_sampling_metrics_reduce_over_partitions(catalogue: Catalogue, demo: LoadResult) -> None:
    plan = catalogue.plan(profile="demo", as_of=AS_OF, rulesets=["veto"])
    [metrics] = [r for r in plan.derivations if r.id == "INFER-SAMPLING-METRICS"]
    assert metrics.reduce is not None and metrics.grain == "region"
    samples = [f for f in demo.facts if f.KIND == "sampling_result"]
    others = [f for f in demo.facts if f.KIND in ("region", "incident", "indicator_observation")]

    def derived(facts: list[Any]) -> list[Any]:
        return [f for f in plan.run(facts).derived if f.KIND == "sampling_metric"]

    whole = derived([*others, *samples])
    parts = [*derived([*others, *samples[0::2]]), *derived([*others, *samples[1::2]])]
    assert len(parts) == 2 * len(whole)
    reduced = list(metrics.reduce(parts))
    assert reduced == whole
    assert any(m.failed for m in whole) and any(m.pass_rate for m in whole)
