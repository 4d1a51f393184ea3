"""Running a plan over facts: pure, deterministic evaluation.

:func:`run_plan` reads nothing but the plan and the facts: no registry, no
clock (rule durations are measured, but never part of the canonical
report), no global state. Derivations run first, in the plan's order, and
their facts join the FactSet the later rules read; then every check runs.
A rule that raises becomes an error diagnostic and the others still run; a
rule that changes a fact it was given stops the run with
:class:`~fsrules.exceptions.FactMutationError` naming it.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Iterable
from typing import Any

import attrs

from fsrules._budget import RuleRunner, budget_diagnostic
from fsrules._context import RuleContext
from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._evidence import evidence_diagnostic
from fsrules._factset import FactSet
from fsrules._findings import Finding
from fsrules._gcpause import paused_gc
from fsrules._guard import MutationGuard
from fsrules._i18n import Text
from fsrules._jurisdiction import JurisdictionScopes
from fsrules._params import ResolvedParam, digest, missing_hint_zh
from fsrules._plan import Plan
from fsrules._report import InputSummary, Provenance, Report, RuleStat
from fsrules._rules import Rule
from fsrules._uncertain import UncertainParameter, uncertain_sentence
from fsrules.exceptions import (
    EvidenceError,
    MissingParameterError,
    RuleBudgetError,
    RuleNotInForce,
)
from fsrules.model import Fact

__all__ = ["run_plan"]


def _input(facts: FactSet | Iterable[Fact] | Any
           ) -> tuple[FactSet, InputSummary, tuple[Diagnostic, ...]]:
    if hasattr(facts, "diagnostics") and hasattr(facts, "facts"):
        loaded: Any = facts
        factset = FactSet(loaded.facts, digest=getattr(loaded, "digest", None))
        return factset, InputSummary(total=loaded.total, accepted=loaded.accepted,
                                     rejected=loaded.rejected,
                                     facts_by_kind=factset.counts()), tuple(loaded.diagnostics)
    factset = facts if isinstance(facts, FactSet) else FactSet(facts)
    return factset, InputSummary(total=len(factset), accepted=len(factset), rejected=0,
                                 facts_by_kind=factset.counts()), ()


def run_plan(plan: Plan, facts: FactSet | Iterable[Fact] | Any) -> Report:
    """Evaluate ``facts`` with ``plan`` (see :meth:`Plan.run`)."""
    # A run makes no garbage cycles (see fsrules._gcpause); its rules share one
    # worker thread that enforces the budget (see fsrules._budget).
    with paused_gc(), RuleRunner(plan.rule_budget) as runner:
        return _run_plan(plan, facts, runner)


def _run_plan(plan: Plan, facts: FactSet | Iterable[Fact] | Any, runner: RuleRunner) -> Report:
    factset, summary, input_diagnostics = _input(facts)
    diagnostics: list[Diagnostic] = [*plan.load_diagnostics, *input_diagnostics]
    input_digest = factset.digest()
    guard = MutationGuard()  # snapshots each kind as it is first handed out
    traces: dict[str, list[Any]] = {}

    stats: list[RuleStat] = []
    findings: list[Finding] = []
    used: dict[tuple[str, str], ResolvedParam] = {}

    pending: list[Fact] = []
    produced_pending: set[str] = set()
    derived_keys: set[tuple[str, str]] = set()
    all_derived: list[Fact] = []
    scopes = JurisdictionScopes(factset, (o.jurisdiction for o in plan.origins.values()))
    # The M/? values each derived kind rests on, so the checks reading it say so (issue 12).
    derived_uncertain: dict[str, set[UncertainParameter]] = {}
    for rule in plan.derivations:
        if produced_pending & set(rule.reads):
            factset = factset.with_facts(pending)
            scopes.extend(factset, pending)
            pending, produced_pending = [], set()
        stat, items = _run_rule(plan, rule, scopes, diagnostics, used, traces, guard, runner)
        good = []
        for item in items:
            if not (isinstance(item, Fact) and item.KIND in rule.produces):
                diagnostics.append(_rule_error(
                    plan, rule, TypeError(f"yielded {type(item).__name__}, expected one of "
                                          f"{', '.join(rule.produces)}")))
            elif item.key in derived_keys or factset.get(item.KIND, item.id) is not None:
                diagnostics.append(_rule_error(
                    plan, rule, ValueError(f"derived fact {item.KIND} {item.id!r} exists already")))
            else:
                derived_keys.add(item.key)
                good.append(item)
        if stat.status == "ran":
            uncertain = _uncertain_of(plan, rule, derived_uncertain, None)
            for kind in rule.produces:
                derived_uncertain.setdefault(kind, set()).update(uncertain)
        guard.watch(good)
        pending.extend(good)
        all_derived.extend(good)
        produced_pending.update(rule.produces)
        stats.append(attrs.evolve(stat, derived=len(good)))
    if pending:
        factset = factset.with_facts(pending)
        scopes.extend(factset, pending)

    for rule in plan.rules:
        stat, items = _run_rule(plan, rule, scopes, diagnostics, used, traces, guard, runner)
        good_findings = []
        for item in items:
            if isinstance(item, Finding):
                good_findings.append(item)
            else:
                diagnostics.append(_rule_error(
                    plan, rule, TypeError(f"yielded {type(item).__name__}, expected a Finding "
                                          f"(use ctx.finding(...))")))
        uncertain = _uncertain_of(plan, rule, derived_uncertain, used)
        if uncertain and good_findings:
            good_findings = _mark_uncertain(good_findings, uncertain)
        findings.extend(good_findings)
        stats.append(attrs.evolve(stat, findings=len(good_findings)))

    guard.check(traces)

    # Record every declared parameter of the rules that ran, for provenance.
    ran = {stat.rule_id for stat in stats if stat.status == "ran"}
    for rule in plan.all_rules:
        if rule.id not in ran:
            continue
        for p in rule.parameters:
            key = (rule.id, p.name)
            if key not in used and key in plan.parameters:
                used[key] = plan.parameters[key]
    params = tuple(sorted(used.values(), key=lambda r: (r.rule_id, r.name)))
    provenance = Provenance(
        fsrules_version=plan.fsrules_version,
        as_of=plan.as_of,
        profile=plan.profile,
        rulesets=dict(plan.rulesets),
        plugins=dict(plan.plugins),
        parameter_digest=digest(list(params)),
        input_digest=input_digest,
        parameters=params,
    )
    return Report(
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
        rule_stats=tuple(stats),
        provenance=provenance,
        input=summary,
        derived=tuple(sorted(all_derived, key=lambda f: f.key)),
    )


def _run_rule(
    plan: Plan,
    rule: Rule,
    scopes: JurisdictionScopes,
    diagnostics: list[Diagnostic],
    used: dict[tuple[str, str], ResolvedParam],
    traces: dict[str, list[Any]],
    guard: MutationGuard,
    runner: RuleRunner,
) -> tuple[RuleStat, list[Any]]:
    origin = plan.origins[rule.id]
    base = RuleStat(rule_id=rule.id, ruleset=origin.ruleset, kind=rule.kind.value,
                    status="ran")
    if not rule.in_force(plan.as_of):
        return attrs.evolve(base, status="not_in_force"), []
    trace: list[Any] = []
    traces[rule.id] = trace
    facts = scopes.facts(origin.jurisdiction)
    ctx = RuleContext(
        rule=rule, facts=facts._traced(trace, scopes.guard_for(origin.jurisdiction, guard)),
        as_of=plan.as_of, resolve=plan.resolve,
        jurisdiction=origin.jurisdiction,
        ruleset=origin.ruleset, ruleset_version=origin.ruleset_version, plugin=origin.plugin,
        plugin_version=origin.plugin_version, profile=plan.profile,
        data=functools.partial(plan.data.load, origin.ruleset),
    )
    started = time.perf_counter()  # duration only; never part of the canonical report
    try:
        items = runner.call(lambda: list(rule.evaluate(ctx)), rule_id=rule.id)
    except MissingParameterError as exc:
        diagnostics.append(Diagnostic(
            level=DiagnosticLevel.WARNING, code="rule.missing_parameter",
            message=Text(f"规则 {rule.id} 未运行：缺少参数 {exc.parameter}",
                         f"rule {rule.id} did not run: parameter {exc.parameter} is not set"),
            hint=Text(missing_hint_zh(rule.id, str(exc.parameter), plan.profile), str(exc)),
            rule_id=rule.id, plugin=origin.plugin))
        return attrs.evolve(base, status="skipped"), []
    except (RuleBudgetError, EvidenceError) as exc:  # issue 13: D6, D7
        diagnostics.append(budget_diagnostic(exc, plugin=origin.plugin)
                           if isinstance(exc, RuleBudgetError)
                           else evidence_diagnostic(exc, rule_id=rule.id, plugin=origin.plugin))
        return attrs.evolve(base, status="error"), []
    except RuleNotInForce:
        # The profile's instrument for this rule is not in force on as_of.
        return attrs.evolve(base, status="not_in_force"), []
    except Exception as exc:  # a failing rule must not stop the others
        diagnostics.append(_rule_error(plan, rule, exc))
        return attrs.evolve(base, status="error",
                            seconds=time.perf_counter() - started), []
    for (name, _day), resolved in ctx.used.items():
        used.setdefault((rule.id, name), resolved)
    return attrs.evolve(base, seconds=time.perf_counter() - started), items


def _uncertain_of(plan: Plan, rule: Rule, derived: dict[str, set[UncertainParameter]],
                  used: dict[tuple[str, str], ResolvedParam] | None
                  ) -> set[UncertainParameter]:
    """The M/? values behind ``rule``'s outcome.

    A check's own: those it read (``used``; a check reads its values from the
    profile, so what it reads does not depend on the facts). A derivation's:
    every one its plan resolves, since what it reads may depend on the facts
    and the flag of a finding must not depend on other facts of the run
    (another county's). Plus, transitively, those behind the derived kinds it
    reads.
    """
    found: set[UncertainParameter] = set()
    for param in rule.parameters:
        key = (rule.id, param.name)
        resolved = plan.parameters.get(key) if used is None else used.get(key)
        if resolved is not None and param.confidence.needs_profile:
            found.add(UncertainParameter(rule_id=rule.id, name=param.name,
                                         confidence=param.confidence.value,
                                         source=resolved.source, note=resolved.note))
    for kind in rule.reads:
        found.update(derived.get(kind, ()))
    return found


def _mark_uncertain(findings: list[Finding], uncertain: set[UncertainParameter]
                    ) -> list[Finding]:
    """``findings`` naming the uncertain values they rest on (field and message; same fingerprint).

    Each is a copy with two fields replaced, not :func:`attrs.evolve`: that would
    check and convert the evidence and fact references again (they are already
    canonical) and cost about 40 µs a finding, a third of a county run's own work.
    """
    marks = tuple(sorted(uncertain))
    sentence = uncertain_sentence(uncertain)
    out = []
    for finding in findings:
        marked = copy.copy(finding)  # fields as they are: converted, fingerprint computed
        object.__setattr__(marked, "uncertain_parameters", marks)
        object.__setattr__(marked, "message", Text(f"{finding.message.zh}{sentence.zh}",
                                                   f"{finding.message.en} {sentence.en}"))
        out.append(marked)
    return out


def _rule_error(plan: Plan, rule: Rule, exc: BaseException) -> Diagnostic:
    plugin = plan.origins[rule.id].plugin
    return Diagnostic(
        level=DiagnosticLevel.ERROR, code="rule.error",
        message=Text(f"规则 {rule.id} 运行出错：{type(exc).__name__}: {exc}",
                     f"rule {rule.id} failed: {type(exc).__name__}: {exc}"),
        hint=Text(f"请向插件 {plugin} 的维护者报告此问题",
                  f"report this to the maintainers of plugin {plugin}"),
        rule_id=rule.id, plugin=plugin)
