"""A plugin that adds a fact kind gets a Hypothesis strategy and a builder without writing either.

A township's 坝坝宴 site check (``banquet_site_check``) is added by a small
companion plugin next to this one; the testing kit derives everything from
the class: the division code in use on the check's date, the undertaker's
USCC, the deposit in 元, the link to the banquet. The same kind with a
``KindKit`` (registered through ``fsrules_register_fact_strategies``) adds a
cross-field invariant the types cannot say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules import Fact, hookimpl
from fsrules.identifiers import validate_division, validate_uscc
from fsrules.model import DivisionCode, Money, Uscc, dump_fact, load_fact
from fsrules.testing import FactKit, KindKit, isolated_engine

PLUGIN = "fsrules_sichuan_banquet"
SHUANGLIU = "510116"  # 成都市双流区
SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@attrs.frozen(kw_only=True)
class BanquetSiteCheck(Fact):
    """A township's check of a banquet site (坝坝宴现场检查)."""

    KIND: ClassVar[str] = "banquet_site_check"
    TITLE_ZH: ClassVar[str] = "聚餐现场检查"
    SUBJECT_FIELD: ClassVar[str | None] = "undertaker_id"
    REGION_FIELD: ClassVar[str | None] = "region_code"
    DATE_FIELD: ClassVar[str | None] = "checked_on"

    banquet_report_id: str = attrs.field(metadata={"zh": ("聚餐编号",), "doc": "The banquet."})
    undertaker_id: str = attrs.field(metadata={"zh": ("承办者编号",), "doc": "Undertaker."})
    region_code: DivisionCode = attrs.field(metadata={"zh": ("行政区划代码",), "doc": "Where."})
    checked_on: dt.date = attrs.field(metadata={"zh": ("检查日期",), "doc": "Checked on."})
    undertaker_uscc: Uscc | None = attrs.field(default=None, metadata={"zh": ("信用代码",)})
    deposit: Money = attrs.field(metadata={"zh": ("保证金",), "doc": "Deposit in 元."})
    rectify_by: dt.date | None = attrs.field(default=None, metadata={"zh": ("整改期限",)})
    passed: bool = attrs.field(default=True, metadata={"zh": ("检查通过",)})


class SiteChecks:
    """The companion plugin: the kind only, no strategy, no builder."""

    __name__ = "site_checks"

    @hookimpl
    def fsrules_register_fact_kinds(self, register: Callable[[type[Fact]], None]) -> None:
        register(BanquetSiteCheck)


def _rectify_after_check(values: dict[str, Any]) -> dict[str, Any]:
    """Cross-field invariant: a failed check has a deadline after the check, a passed one none."""
    if values["passed"]:
        values["rectify_by"] = None
    else:
        values["rectify_by"] = values["checked_on"] + dt.timedelta(days=7)
    return values


class SiteCheckKit:
    """The same kind with a kit: a deadline rule and builder defaults."""

    __name__ = "site_check_kit"

    @hookimpl
    def fsrules_register_fact_strategies(self, register: Callable[[KindKit], None]) -> None:
        register(KindKit(kind=BanquetSiteCheck, constraints=_rectify_after_check,
                         defaults=lambda build: {"checked_on": build.day(6, 12),
                                                 "deposit": 2000.0}))


KIT = FactKit.for_plugins(PLUGIN, SiteChecks())
WITH_KIT = FactKit.for_plugins(PLUGIN, SiteChecks(), SiteCheckKit())


def test_the_kit_knows_the_plugin_kind_and_the_built_ins() -> None:
    assert KIT.kind("banquet_site_check") is BanquetSiteCheck
    assert {"banquet_report", "operator"} <= set(KIT.kinds)
    assert KIT.kit("banquet_site_check") is None
    assert WITH_KIT.kit(BanquetSiteCheck) is not None


@SETTINGS
@given(KIT.strategy("banquet_site_check", min_date=dt.date(2021, 1, 1),
                    max_date=dt.date(2023, 12, 31)))
def test_derived_strategy_draws_valid_facts(check: BanquetSiteCheck) -> None:
    assert dt.date(2021, 1, 1) <= check.checked_on <= dt.date(2023, 12, 31)
    # DivisionCode: in use on the check's date; Uscc: valid, registered in that county.
    assert validate_division(check.region_code, check.checked_on).code == check.region_code
    if check.undertaker_uscc is not None:
        result = validate_uscc(check.undertaker_uscc, strict=True)
        assert result.region_code == check.region_code
    # Money: non-negative, whole 分.
    assert check.deposit >= 0 and round(check.deposit, 2) == check.deposit
    assert check.undertaker_id.startswith("undertaker-")
    assert check.banquet_report_id.startswith("banquet_report-")
    assert load_fact(dump_fact(check), KIT.kinds) == check


@SETTINGS
@given(KIT.strategy(BanquetSiteCheck, region_code=st.just(SHUANGLIU), passed=st.just(False)))
def test_overrides_are_kept(check: BanquetSiteCheck) -> None:
    assert check.region_code == SHUANGLIU and check.passed is False


@SETTINGS
@given(WITH_KIT.strategy("banquet_site_check"))
def test_a_registered_constraints_hook_holds(check: BanquetSiteCheck) -> None:
    if check.passed:
        assert check.rectify_by is None
    else:
        assert check.rectify_by == check.checked_on + dt.timedelta(days=7)


def test_derived_builder_fills_required_fields() -> None:
    build = KIT.builder(region_code=SHUANGLIU)
    build.operator("cook-1", business_type="banquet_undertaker")  # the subject: last operator
    banquet = build.banquet_report("bq-1")
    check = build.banquet_site_check()
    assert check == BanquetSiteCheck(
        id="banquet_site_check-1", banquet_report_id=banquet.id, undertaker_id="cook-1",
        region_code=SHUANGLIU, checked_on=dt.date(2023, 6, 1), deposit=100.0)
    second = build.fact("banquet_site_check", deposit="300", passed=False)
    assert (second.id, second.deposit, second.passed) == ("banquet_site_check-2", 300.0, False)
    with pytest.raises(TypeError, match="did you mean 'deposit'"):
        build.banquet_site_check(deposti=1)


def test_kit_builder_defaults_come_first() -> None:
    build = WITH_KIT.builder(region_code=SHUANGLIU)
    check = build.banquet_site_check(undertaker_id="cook-1")
    assert (check.checked_on, check.deposit, check.undertaker_id) == (
        dt.date(2023, 6, 12), 2000.0, "cook-1")


@SETTINGS
@given(st.lists(KIT.strategy("banquet_site_check", region_code=st.just(SHUANGLIU)),
                max_size=3, unique_by=lambda c: c.id),
       KIT.strategy("banquet_report", region_code=st.just(SHUANGLIU)))
def test_generated_facts_evaluate_with_the_plugin(checks: list[BanquetSiteCheck],
                                                  banquet: Fact) -> None:
    """The engine with both plugins takes the generated kind and runs the SCBQ rules cleanly."""
    report = ENGINE.evaluate([*checks, banquet], as_of=dt.date(2024, 12, 31),
                             rulesets=["sichuan-banquet"])
    assert report.errors == ()


ENGINE = isolated_engine(PLUGIN, SiteChecks(), profile="sichuan")
