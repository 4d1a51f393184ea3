"""Province scale: evaluate county partitions on Dask, merge into one report.

::

    from distributed import Client, LocalCluster
    from fsrules.distributed import EnginePlan, run

    plan = EnginePlan(profile="demo", as_of=date(2023, 12, 31))
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        report = run(plan, province_dir, client)     # a folder of county bundles, or one bundle

The input is partitioned by county (division code): a folder of county
bundles is one partition per bundle, loaded on the workers; one bundle (or
facts in memory) with many division codes is loaded here and split with
:func:`fsrules._partition.split_by_county`. Every rule runs in each partition
(per-operator and per-county rules need nothing else), and the partitions'
reports are merged into the report one process gives for the same input,
byte for byte in JSON: findings, diagnostics, rule statistics, input summary
and provenance, input digest included (assembled from the partitions'
canonical lines). Region records above county level are refused
(:class:`~fsrules._partition.PartitionError`): their aggregates need the
rules to declare how derivations reduce.

Dask (``pip install "fsrules[dask]"``) is imported only when :func:`run` is
called. :class:`EnginePlan` is what a worker gets: it is small and picklable,
and each worker process rebuilds its engine from it once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._diagnostics import Diagnostic
from fsrules._engine import Engine
from fsrules._partition import (
    DigestPart,
    PartitionError,
    digest_part,
    input_digest,
    merge_reports,
    split_by_county,
    sum_summaries,
)
from fsrules._report import InputSummary, Report
from fsrules.model import Fact

if TYPE_CHECKING:  # pragma: no cover
    from fsrules.loading import LoadResult

__all__ = ["EnginePlan", "PartitionError", "connect", "province_parts", "run"]

_DATA_SUFFIXES = (".csv", ".jsonl", ".json", ".xlsx")


@attrs.frozen(kw_only=True)
class EnginePlan:
    """What a worker needs to evaluate a partition: picklable, rebuilt per process.

    Attributes:
        profile: the profile to evaluate under.
        as_of: the evaluation date.
        rulesets: ruleset ids to run (None: the profile's, or the defaults).
        plugins: entry-point plugin names to load besides the built-ins
            (None: whatever ``FSRULES_PLUGINS`` allows in the worker).
        strict: a plugin that fails to load is an error.
    """

    profile: str
    as_of: dt.date
    rulesets: tuple[str, ...] | None = None
    plugins: tuple[str, ...] | None = None
    strict: bool = False

    @classmethod
    def of(cls, engine: Engine, *, as_of: dt.date, profile: str | None = None,
           rulesets: Sequence[str] | None = None) -> EnginePlan:
        """The plan of ``engine``: its profile and the entry-point plugins it loaded."""
        names = tuple(sorted(p.name for p in engine.plugins if not p.builtin))
        return cls(profile=profile or engine.profile_name, as_of=as_of,
                   rulesets=tuple(rulesets) if rulesets else None, plugins=names,
                   strict=engine.strict)

    def engine(self) -> Engine:
        """This process's engine for the plan (built on first use)."""
        return _engine(self.profile, self.plugins, self.strict)

    def load(self, paths: Sequence[str | os.PathLike[str]]) -> LoadResult:
        """Load bundles with the engine's fact kinds (division codes checked at ``as_of``)."""
        from fsrules.loading import load_bundle

        return load_bundle(list(paths), kinds=self.engine().fact_kinds, as_of=self.as_of)

    def run(self, facts: Any) -> Report:
        """Evaluate ``facts`` (a LoadResult, FactSet or facts) under this plan."""
        return self.engine().evaluate(facts, as_of=self.as_of,
                                      rulesets=list(self.rulesets) if self.rulesets else None,
                                      profile=self.profile)


@functools.lru_cache(maxsize=4)
def _engine(profile: str, plugins: tuple[str, ...] | None, strict: bool) -> Engine:
    if plugins is None:
        return Engine.default(profile, strict=strict)
    return Engine.default(profile, strict=strict,
                          environ={"FSRULES_PLUGINS": ",".join(plugins)})


@attrs.frozen
class _Part:
    """What a worker sends back for one partition."""

    report: Report
    summary: InputSummary
    digest: DigestPart
    plugin_diagnostics: tuple[Diagnostic, ...]


def _without(diagnostics: Iterable[Diagnostic], drop: Sequence[Diagnostic]) -> list[Diagnostic]:
    left = list(drop)
    out = []
    for diag in diagnostics:
        if diag in left:
            left.remove(diag)
        else:
            out.append(diag)
    return out


def _evaluate(plan: EnginePlan, part: str | tuple[Fact, ...]) -> _Part:
    """Load (a bundle path) or take (facts) one partition and evaluate it."""
    engine = plan.engine()
    loaded: Any
    if isinstance(part, str):
        loaded = plan.load([part])
        facts: Sequence[Fact] = loaded.facts
        summary = InputSummary(total=loaded.total, accepted=loaded.accepted,
                               rejected=loaded.rejected)
    else:
        loaded = facts = part
        summary = InputSummary(total=len(part), accepted=len(part), rejected=0)
    report = plan.run(loaded)
    plugin = tuple(engine.load_diagnostics)
    report = attrs.evolve(report, diagnostics=tuple(_without(report.diagnostics, plugin)))
    summary = attrs.evolve(summary, facts_by_kind=dict(report.input.facts_by_kind))
    return _Part(report=report, summary=summary, digest=digest_part(facts),
                 plugin_diagnostics=plugin)


def province_parts(path: str | os.PathLike[str]) -> list[Path] | None:
    """The county bundles of a province folder, or None when ``path`` is one bundle.

    A province folder holds no data files itself, only bundle folders (one
    per county), taken in name order.
    """
    folder = Path(path)
    if not folder.is_dir():
        return None
    if any(p.is_file() and p.suffix.lower() in _DATA_SUFFIXES for p in folder.iterdir()):
        return None
    parts = sorted(p for p in folder.iterdir() if p.is_dir() and any(
        c.is_file() and c.suffix.lower() in _DATA_SUFFIXES for c in p.iterdir()))
    return parts or None


def run(
    plan: EnginePlan,
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Iterable[Fact] | Any,
    client: Any,
) -> Report:
    """Evaluate a province on Dask and return the merged report.

    ``inputs`` is a province folder (county bundle folders, or one bundle),
    a list of bundle paths (one partition each), a
    :class:`~fsrules.loading.LoadResult` or facts (split by county here).
    ``client`` is a :class:`distributed.Client`.

    Raises:
        PartitionError: facts above county level, or that belong to no county.
    """
    paths: list[Path] | None = None
    single: Any = None
    if isinstance(inputs, str | os.PathLike):
        paths = province_parts(inputs)
        if paths is None:
            single = plan.load([inputs])
    elif isinstance(inputs, Sequence) and inputs and all(
            isinstance(p, str | os.PathLike) for p in inputs):
        paths = [Path(p) for p in inputs]
    else:
        single = inputs

    plan_future = client.scatter(plan, broadcast=True, hash=False)
    if paths is not None:
        futures = [client.submit(_evaluate, plan_future, os.fspath(p), pure=False)
                   for p in paths]
        load_diagnostics: list[Diagnostic] = []
        summary = None
    else:
        if hasattr(single, "diagnostics") and hasattr(single, "facts"):
            load_diagnostics = list(single.diagnostics)
            facts = list(single.facts)
            summary = InputSummary(total=single.total, accepted=single.accepted,
                                   rejected=single.rejected)
        else:
            load_diagnostics = []
            facts = list(single)
            summary = InputSummary(total=len(facts), accepted=len(facts), rejected=0)
        counties = split_by_county(facts)
        scattered = client.scatter([tuple(v) for v in counties.values()], hash=False)
        futures = [client.submit(_evaluate, plan_future, part, pure=False)
                   for part in scattered]
    parts: list[_Part] = client.gather(futures)
    summed = sum_summaries(p.summary for p in parts)
    summary = (summed if summary is None
               else attrs.evolve(summary, facts_by_kind=summed.facts_by_kind))
    return merge_reports(
        [p.report for p in parts], summary=summary,
        digest_of_input=input_digest([p.digest for p in parts]),
        extra_diagnostics=[*parts[0].plugin_diagnostics, *load_diagnostics] if parts else (),
    )


@contextlib.contextmanager
def connect(address: str = "local", *, workers: int = 2) -> Iterator[Any]:
    """A :class:`distributed.Client` for ``address``, closed on exit.

    ``local`` starts a :class:`distributed.LocalCluster` of ``workers`` worker
    processes (one thread each; ``local:N`` for N workers); anything else is
    a scheduler address such as ``tcp://scheduler:8786``.
    """
    try:
        dask: Any = importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ImportError('fsrules.distributed needs Dask: pip install "fsrules[dask]"') from exc
    if address == "local" or address.startswith("local:"):
        count = int(address.partition(":")[2] or workers)
        with dask.LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                               dashboard_address=None) as cluster, dask.Client(cluster) as client:
            yield client
    else:
        with dask.Client(address) as client:
            yield client
