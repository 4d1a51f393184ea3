"""Province scale: county partitions on Dask give the single-process report, byte for byte."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import fsrules
from fsrules import FactSet
from fsrules._catalogue import Catalogue
from fsrules._digest import InputDigest
from fsrules._partition import PartitionError, county_of_code, split_by_county
from fsrules._plan import Plan
from fsrules.distributed import province_parts, run
from fsrules.loading import LoadResult, load_bundle
from fsrules.model import Fact, Region

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2023, 12, 31)
COUNTIES = 20
OPERATORS = 60  # the generator's smallest county: about 9,600 facts each


def _province_module() -> ModuleType:
    name = "generate_province"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    gen = _province_module()
    out = tmp_path_factory.mktemp("province")
    counties = gen.province_counties("130000", COUNTIES)
    gen.write_province(counties, OPERATORS, out, seed=7)
    return out


@pytest.fixture(scope="module")
def client() -> Any:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return fsrules.load_catalogue(entry_points=False)


@pytest.fixture(scope="module")
def plan(catalogue: Catalogue) -> Plan:
    return catalogue.plan(profile="demo", as_of=AS_OF)


@pytest.fixture(scope="module")
def loaded(province: Path, catalogue: Catalogue) -> LoadResult:
    """Every county bundle, loaded in one process."""
    parts = province_parts(province)
    assert parts is not None and len(parts) == COUNTIES
    result = load_bundle(parts, kinds=catalogue.fact_kinds, as_of=AS_OF)
    assert result.rejected == 0
    return result


@pytest.fixture(scope="module")
def single(loaded: LoadResult, plan: Plan) -> str:
    """The report of one process over every county bundle."""
    return plan.run(loaded).to_json()


def test_province_of_real_counties(province: Path) -> None:
    parts = province_parts(province)
    assert parts is not None
    codes = [p.name for p in parts]
    assert len(set(codes)) == COUNTIES
    assert all(county_of_code(c) == c and c.startswith("13") for c in codes)


def test_folder_of_county_bundles_on_dask_is_byte_identical(
        province: Path, plan: Plan, catalogue: Catalogue, client: Any, single: str) -> None:
    report = run(plan, province, client, kinds=catalogue.fact_kinds)
    text = report.to_json()
    assert text == single
    # It is a real province run: findings about operators and regions of many counties.
    counties = {f.subject.id[:6] for f in report.findings if f.subject.kind == "region"}
    assert len(counties) == COUNTIES
    assert report.by_rule()["VETO-005"] >= 1
    assert report.input.accepted > COUNTIES * OPERATORS * 100


def test_one_bundle_split_by_division_code_is_byte_identical(
        loaded: LoadResult, plan: Plan, client: Any, single: str) -> None:
    facts = list(loaded.facts)
    random.Random(3).shuffle(facts)  # input order must not matter
    report = run(plan, attrs.evolve(loaded, facts=tuple(facts)), client)
    assert report.to_json() == single


def test_above_county_region_is_refused() -> None:
    prefecture = Region(id="130500", code="130500", name="邢台市", parent_code="130000")
    with pytest.raises(PartitionError, match="above county level"):
        split_by_county([prefecture])


def test_split_follows_references_to_a_county() -> None:
    gen = _province_module()
    county = gen.province_counties("130000", 2)[1]
    facts = gen.relabel(gen._weixian().generate(60, 1), county)
    parts = split_by_county(facts)
    assert list(parts) == [county.code]
    assert len(parts[county.code]) == len(facts)
    # training records name a person and an operator; disposals a sampling result
    assert {f.KIND for f in parts[county.code]} >= {"training_record", "disposal"}


def test_unplaceable_fact_is_refused() -> None:
    @attrs.frozen(kw_only=True)
    class Note(Fact):
        KIND = "note"
        text: str

    with pytest.raises(PartitionError, match="no single county"):
        split_by_county([Note(id="N1", text="?")])


def test_partition_digests_merge_to_the_digest_of_the_whole() -> None:
    gen = _province_module()
    facts: list[Fact] = list(gen._weixian().generate(60, 2))
    random.Random(5).shuffle(facts)
    merged = InputDigest()
    for part in (facts[i::3] for i in range(3)):
        merged = merged.merge(InputDigest().update(part))
    assert merged.hexdigest() == FactSet(facts).digest()


def test_cli_check_dask_writes_the_single_process_report(
        province: Path, client: Any, single: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    from click.testing import CliRunner

    from fsrules import cli
    from fsrules import distributed as fsd

    @contextlib.contextmanager
    def same_client(address: str, **_: Any) -> Any:
        assert address == "local:2"
        yield client

    monkeypatch.setattr(fsd, "connect", same_client)
    monkeypatch.setattr(cli, "make_engine",
                        lambda profile, strict: fsrules.Engine(profile=profile, strict=strict))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli.main, [
        "check", str(province), "--dask", "local:2", "--profile", "demo",
        "--as-of", "2023-12-31", "--format", "json", "-o", str(out), "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == single
