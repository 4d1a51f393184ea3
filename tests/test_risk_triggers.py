"""INFER-RISK-GRADE's one-pass Art 28 triggers equal the per-operator ones.

``risk_grade`` gathers every operator's triggers in one pass over each fact
kind (``_triggers_by_operator``) instead of five index look-ups per
operator; both walk the same trigger logic, and on generated bundles they
give every operator the same triggers in the same order.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings

from fsrules import FactSet
from fsrules.matching import TermList
from fsrules.model import Operator
from fsrules.testing.strategies import FactBundle, fact_bundles
from fsrules_rulesets.risk.grading import _triggers_by_operator, art28_triggers

PUNISHMENT = TermList.from_mapping({"punishment": {"terms": ["罚款", "没收", "停产停业"]}})


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(bundle=fact_bundles(min_operators=1, max_operators=8))
def test_one_pass_triggers_equal_per_operator_triggers(bundle: FactBundle) -> None:
    facts = FactSet(bundle.facts)
    ctx: Any = SimpleNamespace(facts=facts)
    for end in (bundle.as_of, bundle.as_of - dt.timedelta(days=400)):
        by_operator = _triggers_by_operator(facts, end, PUNISHMENT)
        for op in facts.of_kind(Operator):
            assert by_operator.get(op.id, []) == art28_triggers(ctx, op.id, dt.date.min, end,
                                                                PUNISHMENT)
        assert set(by_operator) <= {op.id for op in facts.of_kind(Operator)}
