"""Splitting facts by county, and merging per-county reports into one.

A province is evaluated county by county (:mod:`fsrules.distributed`). This
module holds the pure parts of that: which county a fact belongs to, and
the merge of the counties' reports into the report a single run over the
same input gives (findings, diagnostics, rule statistics, input summary and
provenance; the input digest is merged by :class:`fsrules._digest.InputDigest`).

A county partition holds every record of its operators and regions. Region
records above county level (a prefecture or province ``region``) would need
their aggregates reduced across counties; they are refused with
:class:`PartitionError` until rules declare how their derivations reduce.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from fsrules._diagnostics import Diagnostic
from fsrules._findings import Finding
from fsrules._params import ResolvedParam, digest
from fsrules._report import InputSummary, Provenance, Report, RuleStat
from fsrules.exceptions import FsrulesError
from fsrules.model import Fact, Operator

__all__ = [
    "PartitionError",
    "county_of_code",
    "merge_reports",
    "split_by_county",
    "sum_summaries",
]


class PartitionError(FsrulesError, ValueError):
    """The facts cannot be split into self-contained county partitions."""


def county_of_code(code: str) -> str | None:
    """The 6-digit county code of a division code, or None above county level."""
    county = code[:6]
    if len(county) < 6 or county.endswith("00"):
        return None  # a province (xx0000) or prefecture (xxxx00)
    return county


def split_by_county(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by the county they belong to, counties in code order.

    A fact belongs to the county of its own division code; a fact without
    one to its operator's county; a fact without either to the county of
    the record an ``*_id`` field names (a training record through its staff
    member, a disposal through its sampling result), or else of the placed
    records that name the same ``*_id`` value (a 包保 cadre's training through
    the cadre's assignments), followed until every fact is placed.

    Raises:
        PartitionError: a fact is located above county level, or cannot be
            placed in any county.
    """
    items = list(facts)
    place: dict[int, str] = {}
    by_id: dict[str, set[str]] = {}
    pending: list[int] = []
    operators: dict[str, str] = {}
    for fact in items:
        if isinstance(fact, Operator) and fact.own_region:
            home = county_of_code(fact.own_region)
            if home is not None:
                operators[fact.id] = home
    for index, fact in enumerate(items):
        own = fact.own_region
        county: str | None
        if own:
            county = county_of_code(own)
            if county is None:
                raise PartitionError(
                    f"{fact.KIND} {fact.id!r} is located at {own}, above county level: "
                    "a province run takes county-level records only (prefecture and "
                    "province aggregates need the rules' reduce step)")
        elif fact.subject_id is not None and fact.subject_id in operators:
            county = operators[fact.subject_id]
        else:
            pending.append(index)
            continue
        place[index] = county
        by_id.setdefault(fact.id, set()).add(county)
    # Values of ``*_id`` fields that name no record (a cadre, a township
    # code) place a fact through the placed records that name them too.
    by_ref: dict[str, set[str]] = {}
    for index, county in place.items():
        for value in _references(items[index]):
            by_ref.setdefault(value, set()).add(county)
    while pending:
        progress: list[int] = []
        for index in pending:
            fact = items[index]
            refs = _references(fact)
            found = {c for v in refs for c in by_id.get(v, ())}
            if not found:
                found = {c for v in refs for c in by_ref.get(v, ())}
            if len(found) == 1:
                place[index] = found.pop()
                progress.append(index)
        if not progress:
            fact = items[pending[0]]
            raise PartitionError(
                f"{len(pending)} record(s) belong to no single county, e.g. {fact.KIND} "
                f"{fact.id!r}: give them a division code or an operator")
        for index in progress:
            by_id.setdefault(items[index].id, set()).add(place[index])
            for value in _references(items[index]):
                by_ref.setdefault(value, set()).add(place[index])
        done = set(progress)
        pending = [i for i in pending if i not in done]
    out: dict[str, list[Fact]] = {}
    for index, fact in enumerate(items):
        out.setdefault(place[index], []).append(fact)
    return dict(sorted(out.items()))


def _references(fact: Fact) -> list[str]:
    """The string values of a fact's ``*_id`` fields."""
    return [v for a in attrs.fields(type(fact))
            if a.name.endswith("_id") and isinstance(v := getattr(fact, a.name), str)]


# --------------------------------------------------------------------------- merging

_STATUS_RANK = {"ran": 0, "not_in_force": 1, "skipped": 2, "error": 3}


def _merge_stats(parts: Sequence[Sequence[RuleStat]]) -> tuple[list[RuleStat], set[str]]:
    """Per-rule statistics summed over partitions, and the rules that failed somewhere."""
    merged: dict[str, RuleStat] = {}
    for stats in parts:
        for stat in stats:
            seen = merged.get(stat.rule_id)
            if seen is None:
                merged[stat.rule_id] = stat
                continue
            status = max(seen.status, stat.status, key=lambda s: _STATUS_RANK.get(s, 4))
            merged[stat.rule_id] = attrs.evolve(
                seen, status=status, findings=seen.findings + stat.findings,
                derived=seen.derived + stat.derived, seconds=seen.seconds + stat.seconds)
    failed = {rid for rid, s in merged.items() if s.status in ("error", "skipped")}
    out = []
    order = [s.rule_id for s in parts[0]] if parts else []
    for rid in order:
        stat = merged[rid]
        if rid in failed:
            stat = attrs.evolve(stat, findings=0, derived=0)
        out.append(stat)
    return out, failed


def merge_reports(
    reports: Sequence[Report],
    *,
    summary: InputSummary,
    digest_of_input: str,
    extra_diagnostics: Sequence[Diagnostic] = (),
) -> Report:
    """One report from the partitions' reports (in county order).

    Findings and diagnostics are concatenated and sorted as a single run
    sorts them (diagnostics without a file, such as a plugin that failed to
    load or a rule error, which every partition repeats, are kept once); per-rule counts are summed; a rule
    that failed or was skipped in any partition is reported so, without
    findings, as a single run would stop it; the parameters used are the
    union (the first partition that resolved a parameter wins) and their
    digest is recomputed.
    """
    if not reports:
        raise ValueError("no partitions to merge")
    stats, failed = _merge_stats([r.rule_stats for r in reports])
    findings = [f for r in reports for f in r.findings if f.rule_id not in failed]
    diagnostics: list[Diagnostic] = list(extra_diagnostics)
    # Input diagnostics name their file and add up; the others (plugin load errors, a
    # rule that failed or missed a parameter) each partition repeats: keep them once.
    shared: Counter[Diagnostic] = Counter()
    for report in reports:
        diagnostics.extend(d for d in report.diagnostics if d.file is not None)
        mine = Counter(d for d in report.diagnostics if d.file is None)
        shared = shared | mine
    diagnostics.extend(shared.elements())
    used: dict[tuple[str, str], ResolvedParam] = {}
    for report in reports:
        for param in report.provenance.parameters:
            used.setdefault((param.rule_id, param.name), param)
    params = tuple(sorted(used.values(), key=lambda r: (r.rule_id, r.name)))
    first = reports[0].provenance
    provenance = Provenance(
        fsrules_version=first.fsrules_version, as_of=first.as_of, profile=first.profile,
        rulesets=dict(first.rulesets), plugins=dict(first.plugins),
        parameter_digest=digest(list(params)), input_digest=digest_of_input, parameters=params)
    derived = sorted((f for r in reports for f in r.derived), key=lambda f: f.key)
    return Report(
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
        rule_stats=tuple(stats),
        provenance=provenance,
        input=summary,
        derived=tuple(derived),
    )


def sum_summaries(summaries: Iterable[InputSummary]) -> InputSummary:
    """Input summaries added up (totals and facts per kind)."""
    kinds: Counter[str] = Counter()
    total = accepted = rejected = 0
    for s in summaries:
        total += s.total
        accepted += s.accepted
        rejected += s.rejected
        kinds.update(s.facts_by_kind)
    return InputSummary(total=total, accepted=accepted, rejected=rejected,
                        facts_by_kind=dict(sorted(kinds.items())))
