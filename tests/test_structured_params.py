"""Structured parameters are typed and checked when the catalogue loads (issue 12, item 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fsrules import Engine, Profile, hookimpl, load_catalogue
from fsrules.exceptions import ParameterError
from fsrules.model import BusinessType
from fsrules_rulesets.three_small.tables import BusinessTable, CertificateDuty

AS_OF = dt.date(2023, 12, 31)


class ProfilePlugin:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.__name__ = "county-profile"

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(self.profile)


def county(parameters: dict[str, dict[str, object]], source: str = "county.toml") -> Profile:
    return Profile.from_mapping({"name": "county", "extends": "shandong"}, parameters,
                                source=source)


def test_a_bad_table_fails_at_load_naming_file_and_key() -> None:
    bad = county({"SMALL-101": {"certificates": {"small_workshop": {
        "kinds": ["workshop_registration"], "validity_years": "three",
        "basis": {"instrument": "shandong"}}}}})
    with pytest.raises(ParameterError) as caught:
        load_catalogue(plugins=[ProfilePlugin(bad)], entry_points=False)
    message = str(caught.value)
    assert message.startswith("county.toml (profile 'county'): ")
    assert "SMALL-101.certificates.small_workshop.validity_years" in message
    assert caught.value.rule_id == "SMALL-101" and caught.value.parameter == "certificates"


def test_a_dated_value_is_checked_even_when_not_in_force_today() -> None:
    bad = county({"SMALL-302": {"purchase_records": {"dated": [
        {"from": "2017-06-01", "value": {}},
        {"from": "2030-01-01", "value": {"small_eatery": {"min_months": 0, "basis": {
            "instrument": "shandong"}}}},
    ]}}})
    with pytest.raises(ParameterError, match=r"\(from 2030-01-01\).*min_months: must be at "
                                             r"least 1"):
        load_catalogue(plugins=[ProfilePlugin(bad)], entry_points=False)


def test_an_unknown_key_fails_at_load() -> None:
    bad = county({"SMALL-305": {"no_contract": {"small_workshop": {
        "basis": {"instrument": "shandong"}, "note": "typo: belongs in basis"}}}})
    with pytest.raises(ParameterError, match=r"SMALL-305\.no_contract\.small_workshop: "
                                             r"unknown key\(s\) note"):
        load_catalogue(plugins=[ProfilePlugin(bad)], entry_points=False)


def test_errors_in_a_profile_fragment_name_the_fragment(tmp_path: Path) -> None:
    from fsrules_rulesets.profiles import load_profiles

    (tmp_path / "prov.toml").write_text(
        '[profile]\nname = "prov"\nextends = "shandong"\n', encoding="utf-8")
    (tmp_path / "prov.three-small.toml").write_text(
        '[parameters."SMALL-301".health.small_eatery]\nall_staff = "yes"\n'
        'basis = { instrument = "shandong" }\n', encoding="utf-8")
    [profile] = load_profiles(tmp_path)

    with pytest.raises(ParameterError) as caught:
        load_catalogue(plugins=[ProfilePlugin(profile)], entry_points=False)
    assert str(caught.value).startswith(f"{tmp_path / 'prov.three-small.toml'} (profile 'prov')")
    assert "SMALL-301.health.small_eatery.all_staff" in str(caught.value)


def test_ctx_param_gives_the_typed_table() -> None:
    eng = Engine.default(profile="shandong")
    plan = eng.catalogue.plan(profile="shandong", as_of=AS_OF, rulesets=["three-small"])
    resolved = plan.parameters[("SMALL-101", "certificates")]
    table = resolved.typed
    assert isinstance(table[BusinessType.SMALL_WORKSHOP], CertificateDuty)
    assert table[BusinessType.SMALL_WORKSHOP].validity_years == 3
    # The raw value stays in the provenance: the report's JSON does not change.
    assert resolved.value["small_workshop"]["validity_years"] == 3
    param = eng.rule("SMALL-101").param("certificates")
    assert isinstance(param.structure, BusinessTable)


def test_every_built_in_table_is_structured() -> None:
    """Every three-small table parameter declares its structure (checked at load)."""
    eng = Engine.default(profile="national")
    tables = [(r.id, p.name) for r in eng.rules.values() if r.id.startswith("SMALL-")
              for p in r.parameters if p.type == "table"
              and p.name not in ("sc_codes", "instrument_in_force")]  # not business tables
    assert len(tables) >= 11
    for rule_id, name in tables:
        assert eng.rule(rule_id).param(name).structure is not None, (rule_id, name)
