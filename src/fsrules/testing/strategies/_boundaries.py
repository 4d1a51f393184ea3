"""Boundary strategies: values just below, at and just above a rule parameter.

The threshold comes from where the rule gets it: the value a :class:`~fsrules.Plan`
resolved for the parameter (its profile, overrides and dated values), so a
test keeps straddling the boundary when a profile moves it::

    plan = fsrules.load_catalogue(entry_points=False).plan(profile="hebei", as_of=AS_OF)
    @given(around(plan, "VETO-004", "min_score"))
    def test_veto_004_boundary(score): ...

    @given(pass_rate_batches(plan=plan))           # VETO-005's min_pass_rate
    def test_veto_005_boundary(pair): ...

Without a plan, :func:`pass_rate_batches`, :func:`sample_weights` and
:func:`satisfaction_scores` read the built-in ``national`` profile.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from fsrules.testing.strategies._common import _MAX_DATE, _check_int, _check_number, _fail

if TYPE_CHECKING:
    from fsrules import Plan

#: The parameter each boundary strategy straddles by default.
_PASS_RATE = ("VETO-005", "min_pass_rate")
_SATISFACTION = ("VETO-004", "min_score")
_SAMPLE_WEIGHT = ("SCHOOL-003", "min_weight_g")
_DINERS = ("SCBQ-001", "min_diners")


def parameter_value(plan: Plan, rule_id: str, name: str, *, on: dt.date | None = None) -> Any:
    """The value ``plan`` resolved for parameter ``name`` of rule ``rule_id`` (on ``as_of``).

    Raises :class:`hypothesis.errors.InvalidArgument` naming the plan's rules
    or the rule's parameters when either is unknown, and when the plan's
    profile leaves the parameter unset.
    """
    where = f"parameter_value({rule_id!r}, {name!r})"
    try:
        rule = plan.rule(rule_id)
    except KeyError:
        known = ", ".join(sorted(r.id for r in plan.all_rules)[:12])
        raise _fail(where, f"rule {rule_id} is not in the plan (profile {plan.profile!r}); "
                           f"it has {known}...") from None
    try:
        rule.param(name)
    except KeyError:
        known = ", ".join(p.name for p in rule.parameters) or "none"
        raise _fail(where, f"{rule_id} has no parameter {name!r}; its parameters: {known}"
                    ) from None
    try:
        return plan.resolve(rule, name, on).value
    except Exception as exc:  # MissingParameterError: the profile leaves it open
        raise _fail(where, f"the plan's profile {plan.profile!r} sets no value: {exc}") from exc


@functools.cache
def _national(rule_id: str, name: str) -> Any:
    """A built-in parameter in the ``national`` profile, on the last day strategies draw."""
    from fsrules import load_catalogue

    catalogue = load_catalogue(entry_points=False)
    return catalogue.resolve_param(catalogue.rule(rule_id), name, _MAX_DATE, "national").value


def _threshold(where: str, threshold: object, plan: Plan | None,
               param: tuple[str, str], *, builtin: bool = True) -> object:
    if threshold is not None:
        return threshold
    if plan is not None:
        return parameter_value(plan, *param)
    if not builtin:
        raise _fail(where, f"pass the threshold, or a plan with {param[0]} to read its "
                           f"{param[1]} from")
    return _national(*param)


def around(plan: Plan, rule_id: str, name: str, *,
           on: dt.date | None = None) -> SearchStrategy[Any]:
    """Values just below, at and just above the value ``plan`` resolved for a numeric parameter.

    An ``int`` parameter gives ``t - 1``, ``t`` and ``t + 1``; a ``float``
    the floats next to ``t`` on each side, ``t`` itself and values within
    ten steps of it (a step is a thousandth of ``t``'s magnitude, at most
    0.01 for a percentage). Values stay within the parameter's declared
    ``minimum``/``maximum``.
    """
    where = f"around({rule_id!r}, {name!r})"
    value = parameter_value(plan, rule_id, name, on=on)
    param = plan.rule(rule_id).param(name)
    lo = -math.inf if param.minimum is None else float(param.minimum)
    hi = math.inf if param.maximum is None else float(param.maximum)
    if param.type == "int":
        t = _check_int(where, name, value, minimum=-(2**62))
        values = [v for v in (t - 1, t, t + 1) if lo <= v <= hi]
        return st.sampled_from(values)
    if param.type != "float":
        raise _fail(where, f"{rule_id}.{name} is a {param.type} parameter; around() straddles "
                           f"int and float parameters")
    t_f = _check_number(where, name, value)
    step = 10 ** (math.floor(math.log10(abs(t_f))) - 3) if t_f else 0.001
    return _float_straddle(where, t_f, max(lo, t_f - 1e6), min(hi, t_f + 1e6), min(step, 0.01))


def pass_rate_batches(threshold: float | None = None, *, plan: Plan | None = None,
                      max_batches: int = 1000) -> SearchStrategy[tuple[int, int]]:
    """``(passed, failed)`` batch counts whose pass rate lies just below, at or just above ``threshold``.

    Targets VETO-005's ``min_pass_rate`` (评价性抽检合格率, 98 %: "未达到98%"
    vetoes, exactly 98 % passes) and the pass rate INFER-SAMPLING-METRICS
    computes. For a total of 1 to ``max_batches`` batches it gives the
    nearest rate below the threshold, the threshold itself when the total
    allows it exactly (else the nearest above), or the nearest above. The
    threshold is read as the decimal it is written as (``99.9`` is 999/10).
    Without ``threshold``, the value ``plan`` resolved for VETO-005's
    ``min_pass_rate`` (default: the ``national`` profile's).
    """
    where = "pass_rate_batches()"
    threshold = _threshold(where, threshold, plan, _PASS_RATE)  # type: ignore[assignment]
    t = _check_number(where, "threshold", threshold)
    if not 0 < t < 100:
        raise _fail(where, f"threshold must be above 0 and below 100 (a percentage with "
                           f"rates on both sides), got {threshold!r}")
    total = _check_int(where, "max_batches", max_batches, minimum=1, maximum=1_000_000)
    exact = Fraction(str(threshold))
    return st.tuples(st.integers(1, total), st.sampled_from(("below", "at", "above"))).map(
        lambda pair: _straddle(exact, *pair))


def _straddle(threshold: Fraction, total: int, side: str) -> tuple[int, int]:
    at = threshold * total / 100  # passed batches for a rate exactly at the threshold
    if side == "below":
        passed = math.ceil(at) - 1
    elif side == "at" and at.denominator == 1:
        passed = int(at)
    else:
        passed = math.floor(at) + 1
    return passed, total - passed


def _float_straddle(where: str, threshold: float, lo: float, hi: float,
                    step: float) -> SearchStrategy[float]:
    below = [v for v in (math.nextafter(threshold, -math.inf), threshold - step) if v >= lo]
    above = [v for v in (math.nextafter(threshold, math.inf), threshold + step) if v <= hi]
    if not below or not above:
        raise _fail(where, f"threshold {threshold!r} leaves no room on one side "
                           f"(values lie in [{lo}, {hi}])")
    near_below = st.floats(max(lo, threshold - 10 * step), threshold, exclude_max=True)
    near_above = st.floats(threshold, min(hi, threshold + 10 * step), exclude_min=True)
    return st.one_of(st.sampled_from([*below, threshold, *above]), near_below, near_above)


def diner_counts(threshold: int | None = None, *, plan: Plan | None = None
                 ) -> SearchStrategy[int]:
    """Diner numbers ``threshold - 1``, ``threshold`` and ``threshold + 1``.

    Targets the reporting threshold of rural collective banquets (农村集体聚餐:
    100 or more diners per meal must be reported, Sichuan 2020 and Liaoning
    2024 rules; ``min_diners`` of SCBQ-001/SCBQ-002 in the fsrules-sichuan-banquet
    plugin) for :attr:`BanquetReport.diners <fsrules.model.BanquetReport>`;
    pass 300, 500 or 1000 for the canteen sizes that require a 食品安全总监
    (``Operator.avg_diners_per_meal``). Without ``threshold``, the value
    ``plan`` resolved for SCBQ-001's ``min_diners`` (a plan with the plugin).
    """
    where = "diner_counts()"
    value = _threshold(where, threshold, plan, _DINERS, builtin=False)
    t = _check_int(where, "threshold", value, minimum=1)
    return st.sampled_from((t - 1, t, t + 1))


def sample_weights(threshold: float | None = None, *, plan: Plan | None = None
                   ) -> SearchStrategy[float]:
    """留样 weights in grams just below, at and just above ``threshold``.

    Targets the school-canteen sample-retention duty (学校食品安全与营养健康
    管理规定 2019: at least 125 g of every dish) for
    ``SampleRetention.weight_g``; the float next to the threshold on each
    side is always among the values. Without ``threshold``, the value
    ``plan`` resolved for SCHOOL-003's ``min_weight_g`` (default: the
    ``national`` profile's).
    """
    where = "sample_weights()"
    threshold = _threshold(where, threshold, plan, _SAMPLE_WEIGHT)  # type: ignore[assignment]
    t = _check_number(where, "threshold", threshold)
    if t <= 0:
        raise _fail(where, f"threshold must be above 0 grams, got {threshold!r}")
    return _float_straddle(where, t, 0.0, t + 1000.0, 0.1)


def satisfaction_scores(threshold: float | None = None, *, plan: Plan | None = None
                        ) -> SearchStrategy[float]:
    """Satisfaction scores (0-100) just below, at and just above ``threshold``.

    Targets VETO-004's ``min_score`` (群众食品安全满意度 "未达到80分" vetoes;
    exactly 80 passes) for the ``satisfaction`` indicator observation.
    Without ``threshold``, the value ``plan`` resolved for VETO-004's
    ``min_score`` (default: the ``national`` profile's).
    """
    where = "satisfaction_scores()"
    threshold = _threshold(where, threshold, plan, _SATISFACTION)  # type: ignore[assignment]
    t = _check_number(where, "threshold", threshold)
    if not 0 < t < 100:
        raise _fail(where, f"threshold must be above 0 and below 100, got {threshold!r}")
    return _float_straddle(where, t, 0.0, 100.0, 0.01)
