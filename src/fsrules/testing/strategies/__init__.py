"""Hypothesis strategies for fsrules facts, whole fact bundles and rule boundaries.

Plugin authors and quality teams use these to property-test rules::

    from hypothesis import given, strategies as st
    from fsrules.testing.strategies import fact_bundles, operators

    @given(operators(region_code=st.just("130533")))
    def test_every_operator_has_a_name(op):
        assert op.name

Every fact kind of :data:`fsrules.model.BUILTIN_FACT_KINDS` has a strategy
named after it in the plural (``sampling_result`` → :func:`sampling_results`),
and :func:`fact_strategy` derives one for any fact class, a plugin's too,
from its attrs fields (a plugin's own rules and cross-field constraints come
through :class:`fsrules.testing.KindKit` and :class:`fsrules.testing.FactKit`);
:func:`facts` draws one fact of any kind and :func:`fact_bundles` a whole,
referentially consistent bundle. The facts are *valid*: they pass the attrs
validators, load back from their JSON, CSV and JSON Lines forms unchanged,
carry division codes in use on the fact's date (GB/T 2260 history shipped in
:mod:`fsrules.identifiers`) and 统一社会信用代码 with correct check characters,
and their fields agree with each other (a completed disposal has both dates,
a risk-monitoring sample has a ``problem``/``no_problem`` verdict...).

Conventions, after Hypothesis' own API style:

* arguments are checked when the strategy is created; a bad one raises
  :class:`hypothesis.errors.InvalidArgument` saying what to pass instead;
* field overrides are strategies: ``operators(region_code=st.just("130533"),
  business_type=st.sampled_from([...]))``. Fields drawn later follow the
  overridden ones (an operator's name uses its county's name);
* every date a fact strategy draws lies in ``[min_date, max_date]``, by default
  2015-01-01 to 2024-12-31 (the bundled division history ends in 2024);
* the boundary strategies (:func:`around`, :func:`pass_rate_batches`,
  :func:`diner_counts`, :func:`sample_weights`, :func:`satisfaction_scores`)
  straddle one rule parameter each, as a :class:`~fsrules.Plan` resolved
  it: values just below, at and just above it.

The package's modules: ``_derive`` (the generic builder), ``_kinds*`` (the
built-in kinds' field rules), ``_values``/``_divisions``/``_vocab`` (values),
``_facts``, ``_bundles``, ``_boundaries`` (the public strategies).
"""

from __future__ import annotations

from fsrules.testing.strategies._basics import (
    chinese_names,
    dates,
    division_codes,
    uscc_codes,
)
from fsrules.testing.strategies._boundaries import (
    around,
    diner_counts,
    parameter_value,
    pass_rate_batches,
    sample_weights,
    satisfaction_scores,
)
from fsrules.testing.strategies._bundles import (
    FactBundle,
    fact_bundles,
)
from fsrules.testing.strategies._derive import (
    Draft,
)
from fsrules.testing.strategies._facts import (
    banquet_reports,
    baobao_assignments,
    complaints,
    disposals,
    enforcement_cases,
    fact_strategy,
    facts,
    health_certificates,
    incidents,
    indicator_observations,
    inspections,
    licences,
    meal_services,
    operators,
    product_tests,
    production_records,
    purchase_records,
    regions,
    risk_assessments,
    sample_retentions,
    sampling_results,
    self_checks,
    staff_members,
    supervision_visits,
    training_records,
    vendor_registrations,
    work_shifts,
)

__all__ = [
    "Draft",
    "FactBundle",
    "around",
    "banquet_reports",
    "baobao_assignments",
    "chinese_names",
    "complaints",
    "dates",
    "diner_counts",
    "disposals",
    "division_codes",
    "enforcement_cases",
    "fact_bundles",
    "fact_strategy",
    "facts",
    "health_certificates",
    "incidents",
    "indicator_observations",
    "inspections",
    "licences",
    "meal_services",
    "operators",
    "parameter_value",
    "pass_rate_batches",
    "product_tests",
    "production_records",
    "purchase_records",
    "regions",
    "risk_assessments",
    "sample_retentions",
    "sample_weights",
    "sampling_results",
    "satisfaction_scores",
    "self_checks",
    "staff_members",
    "supervision_visits",
    "training_records",
    "uscc_codes",
    "vendor_registrations",
    "work_shifts",
]
