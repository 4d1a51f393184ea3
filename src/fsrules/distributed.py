"""Province scale: evaluate county partitions on Dask, merge into one report.

::

    from datetime import date
    from distributed import Client, LocalCluster
    import fsrules
    from fsrules import distributed

    catalogue = fsrules.load_catalogue()
    plan = catalogue.plan(profile="demo", as_of=date(2023, 12, 31))
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        report = distributed.run(plan, "province/", client, kinds=catalogue.fact_kinds)

The input is partitioned by county (division code): a folder of county
bundles is one partition per bundle, loaded on the workers; one bundle (or a
:class:`~fsrules.loading.LoadResult`, or facts in memory) with many division
codes is loaded here and split by :func:`fsrules._partition.split_by_county`.
Every rule of the plan runs in each partition (per-operator and per-county
rules need nothing else), and the partitions' reports are merged into the
report one process gives for the same input, byte for byte in JSON:
findings, diagnostics, rule statistics, input summary and provenance, the
input digest included (:meth:`fsrules._digest.InputDigest.merge`). Region
records above county level are refused
(:class:`~fsrules._partition.PartitionError`): aggregates over several
counties need every derivation they read to declare its reduce step.

A partition must hold every record of its operators and regions: a county
bundle is self-contained. Dask (``pip install "fsrules[dask]"``) is imported
only by :func:`connect`; :func:`run` takes any :class:`distributed.Client`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._digest import InputDigest
from fsrules._factset import FactSet
from fsrules._partition import PartitionError, merge_reports, split_by_county, sum_summaries
from fsrules._report import InputSummary, Report
from fsrules.model import Fact

if TYPE_CHECKING:  # pragma: no cover
    from fsrules._plan import Plan

__all__ = ["PartitionError", "connect", "province_parts", "run"]

_DATA_SUFFIXES = (".csv", ".jsonl", ".json", ".xlsx")


@attrs.frozen
class _Job:
    """What every worker gets once: the plan, and the fact kinds to load bundles with."""

    plan: Plan
    kinds: Mapping[str, type[Fact]] | None


@attrs.frozen
class _Part:
    """What a worker sends back for one partition."""

    report: Report
    summary: InputSummary
    digest: InputDigest


def _evaluate(job: _Job, part: str | tuple[Fact, ...]) -> _Part:
    """Load (a bundle path) or take (facts) one partition, and run the plan on it."""
    from fsrules.loading import load_bundle

    if isinstance(part, str):
        loaded = load_bundle([part], kinds=job.kinds, as_of=job.plan.as_of)
        digest = InputDigest().update(loaded.facts)
        summary = InputSummary(total=loaded.total, accepted=loaded.accepted,
                               rejected=loaded.rejected)
        report = job.plan.run(loaded)
    else:
        digest = InputDigest().update(part)
        summary = InputSummary(total=len(part), accepted=len(part), rejected=0)
        report = job.plan.run(FactSet(part, digest=digest.hexdigest()))
    summary = attrs.evolve(summary, facts_by_kind=dict(report.input.facts_by_kind))
    return _Part(report=report, summary=summary, digest=digest)


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
    plan: Plan,
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Iterable[Fact] | Any,
    client: Any,
    *,
    kinds: Mapping[str, type[Fact]] | None = None,
) -> Report:
    """Evaluate a province on Dask and return the merged report.

    Args:
        plan: the run plan (``catalogue.plan(...)``); it is shipped to every worker.
        inputs: a province folder (county bundle folders, or one bundle of many
            counties), a list of bundle paths (one partition each), a
            :class:`~fsrules.loading.LoadResult` or facts (split by county here).
        client: a :class:`distributed.Client`.
        kinds: the fact kinds bundles are loaded with (``catalogue.fact_kinds``;
            default: the built-in kinds).

    Raises:
        PartitionError: facts above county level, or that belong to no county.
    """
    from fsrules.loading import load_bundle

    paths: list[Path] | None = None
    single: Any = None
    if isinstance(inputs, str | os.PathLike):
        paths = province_parts(inputs)
        if paths is None:
            single = load_bundle([inputs], kinds=kinds, as_of=plan.as_of)
    elif isinstance(inputs, Sequence) and inputs and all(
            isinstance(p, str | os.PathLike) for p in inputs):
        paths = [Path(p) for p in inputs]
    else:
        single = inputs

    job = client.scatter(_Job(plan=plan, kinds=dict(kinds) if kinds else None),
                         broadcast=True, hash=False)
    summary: InputSummary | None = None
    load_diagnostics: list[Any] = []
    if paths is not None:
        futures = [client.submit(_evaluate, job, os.fspath(p), pure=False) for p in paths]
    else:
        if hasattr(single, "diagnostics") and hasattr(single, "facts"):
            load_diagnostics = list(single.diagnostics)
            facts = list(single.facts)
            summary = InputSummary(total=single.total, accepted=single.accepted,
                                   rejected=single.rejected)
        else:
            facts = list(single)
            summary = InputSummary(total=len(facts), accepted=len(facts), rejected=0)
        counties = split_by_county(facts)
        scattered = client.scatter([tuple(v) for v in counties.values()], hash=False)
        futures = [client.submit(_evaluate, job, part, pure=False) for part in scattered]
    parts: list[_Part] = client.gather(futures)
    summed = sum_summaries(p.summary for p in parts)
    summary = (summed if summary is None
               else attrs.evolve(summary, facts_by_kind=summed.facts_by_kind))
    digest = InputDigest()
    for part in parts:
        digest = digest.merge(part.digest)
    return merge_reports([p.report for p in parts], summary=summary,
                         digest_of_input=digest.hexdigest(), extra_diagnostics=load_diagnostics)


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
        # Shutdown chatter (a worker killed after a timeout) is not ours to print; failures
        # reach the caller as exceptions from the client.
        with dask.LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.CRITICAL
                               ) as cluster, dask.Client(cluster) as client:
            yield client
    else:
        with dask.Client(address) as client:
            yield client
