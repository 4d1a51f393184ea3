"""The three-small ruleset (三小): every rule fires and stays quiet, under each province's profile.

Province numbers are checked against the primary texts in shared/domain/texts/
(Shandong, Henan, Chongqing, read in full); Hebei's values are corroborated
only and cite no article. One set of facts gives different findings under
different profiles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from fsrules import Engine, Fact, Finding, Profile, Report, Severity, hookimpl
from fsrules.model import BusinessType, InstitutionType, LicenceKind
from fsrules.testing import FactBuilder, assert_finding, assert_no_finding
from fsrules_rulesets.three_small import RULESET
from fsrules_rulesets.three_small.basis import INSTRUMENTS, citation
from fsrules_rulesets.three_small.facts import VendorObservation
from fsrules_rulesets.three_small.products import normalise_sc_code
from fsrules_rulesets.three_small.tables import (
    AreaLimit,
    BasisOnly,
    CertificateDuty,
    HealthDuty,
    OnlineDuty,
    ProductTestDuty,
    ProfileTableError,
    ProhibitedList,
    RetentionDuty,
    parse_table,
)
from fsrules_rulesets.three_small.vendors import haversine_m, in_slots, parse_slots

from ._hebei_dated import NAME as DATED_PROFILE
from ._hebei_dated import HebeiDated
from .conftest import SHARED

AS_OF = dt.date(2023, 12, 31)
RULESET_ID = "three-small"
PROVINCES = ("hebei", "shandong", "henan", "chongqing")
REGION = {"hebei": "130533", "hebei-dated": "130533", "demo": "130533", "shandong": "370102",
          "henan": "410102", "chongqing": "500103", "national": "370102"}

#: Every table parameter, the entry type it holds, and the rule that reads it.
TABLES: dict[tuple[str, str], type] = {
    ("SMALL-101", "certificates"): CertificateDuty,
    ("SMALL-201", "prohibited"): ProhibitedList,
    ("SMALL-202", "prohibited"): ProhibitedList,
    ("SMALL-203", "prohibited"): ProhibitedList,
    ("SMALL-301", "health"): HealthDuty,
    ("SMALL-302", "purchase_records"): RetentionDuty,
    ("SMALL-303", "production_records"): RetentionDuty,
    ("SMALL-304", "product_testing"): ProductTestDuty,
    ("SMALL-305", "no_contract"): BasisOnly,
    ("SMALL-401", "zones"): BasisOnly,
    ("SMALL-501", "area_limits"): AreaLimit,
    ("SMALL-502", "online"): OnlineDuty,
}

_ENGINES: dict[str, Engine] = {}


def engine(profile: str) -> Engine:
    """A built-ins-only engine for ``profile`` (cached: engines are read-only here)."""
    if profile not in _ENGINES:
        _ENGINES[profile] = Engine(profile=profile, plugins=[HebeiDated()])
    return _ENGINES[profile]


def run(profile: str, facts: Iterable[Fact], as_of: dt.date = AS_OF,
        rulesets: Iterable[str] = (RULESET_ID,)) -> Report:
    report = engine(profile).evaluate(list(facts), as_of=as_of, rulesets=list(rulesets))
    problems = [d.message.en for d in report.diagnostics if d.code.startswith("rule.")]
    assert problems == []
    return report


def only(report: Report, rule_id: str) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


def table(profile: str, rule_id: str, name: str) -> Any:
    eng = engine(profile)
    return eng.resolve_param(eng.rule(rule_id), name, AS_OF, profile).value


def parsed(profile: str, rule_id: str, name: str) -> dict[BusinessType, Any]:
    return parse_table(rule_id, name, table(profile, rule_id, name), TABLES[(rule_id, name)])


def builder(profile: str) -> FactBuilder:
    return FactBuilder(region_code=REGION[profile])


def observation(oid: str, operator_id: str, when: str, **kw: Any) -> VendorObservation:
    return VendorObservation(id=oid, operator_id=operator_id,
                             observed_at=dt.datetime.fromisoformat(when), **kw)


# --------------------------------------------------------------------------- the ruleset


def test_ruleset_is_registered_with_its_fact_kinds() -> None:
    eng = engine("national")
    assert RULESET_ID in eng.rulesets
    assert {"vendor_observation", "small_scope"} <= set(eng.fact_kinds)
    assert all(r.id.startswith("SMALL-") for r in RULESET.rules)
    for rule in RULESET.rules:
        assert rule.title.zh and rule.title.en and rule.legal_basis
        assert rule.kind.value == "inference" or rule.lead_departments


def test_every_province_profile_sets_every_table_itself() -> None:
    """No province silently inherits national's empty tables."""
    for profile in PROVINCES:
        prof = engine(profile).profile(profile)
        for (rule_id, name) in TABLES:
            assert name in prof.parameters.get(rule_id, {}), (profile, rule_id, name)
        assert set(prof.parameters["SMALL-SCOPE"]) == {"regime", "covered"}
        assert prof.jurisdiction, profile  # the profile itself names its division codes


@pytest.mark.parametrize("profile", ["national", *PROVINCES, "demo"])
def test_every_table_parses(profile: str) -> None:
    for (rule_id, name), _kind in TABLES.items():
        parsed(profile, rule_id, name)  # raises ProfileTableError when malformed
    citation(table(profile, "SMALL-402", "basis"))


@pytest.mark.parametrize("profile", PROVINCES)
def test_scope_records_the_profile_jurisdiction(profile: str) -> None:
    """SMALL-SCOPE reads the profile's jurisdiction (ctx.jurisdiction), not a parameter."""
    eng = engine(profile)
    assert "jurisdiction" not in {p.name for p in eng.rule("SMALL-SCOPE").parameters}
    assert table(profile, "SMALL-SCOPE", "regime") == profile
    report = run(profile, _violating_eatery(builder(profile)))
    assert {f.jurisdiction for f in report.derived} <= {eng.profile(profile).jurisdiction}


@pytest.mark.parametrize(("profile", "instrument", "confidences"), [
    ("shandong", "shandong", {"V"}),
    ("henan", "henan", {"V"}),
    ("chongqing", "chongqing", {"V"}),
    ("hebei", None, {"C", "M"}),
])
def test_each_profile_cites_its_own_regulation(profile: str, instrument: str | None,
                                               confidences: set[str]) -> None:
    seen = set()
    for (rule_id, name) in TABLES:
        for entry in parsed(profile, rule_id, name).values():
            basis = entry.basis
            seen.add(basis.confidence.value)
            if instrument is not None:
                assert basis.instrument == INSTRUMENTS[instrument].instrument, (rule_id, name)
                assert basis.article is not None, (rule_id, name)
            else:
                # Hebei's texts were not read: never an article number.
                assert basis.jurisdiction == "13" and basis.article is None, (rule_id, name)
                assert basis.note, (rule_id, name)
    assert seen == confidences


def test_national_covers_no_business_type() -> None:
    assert table("national", "SMALL-SCOPE", "covered") == ()
    for (rule_id, name) in TABLES:
        assert table("national", rule_id, name) == {}, (rule_id, name)
    assert table("national", "SMALL-402", "distance_m") == 0


def test_basis_citation_rejects_unknown_instruments_and_keys() -> None:
    with pytest.raises(ValueError, match="unknown instrument"):
        citation({"instrument": "sichuan"})
    with pytest.raises(ValueError, match="unknown key"):
        citation({"instrument": "shandong", "articel": "第一条"})
    inline = citation({"instrument": "《某县摊贩管理办法》", "instrument_en": "County rules",
                       "jurisdiction": "130533", "confidence": "?"})
    assert inline.instrument == "《某县摊贩管理办法》" and inline.confidence.value == "?"


def test_malformed_tables_name_the_place() -> None:
    with pytest.raises(ProfileTableError, match=r"SMALL-101\.certificates\.small_workshop"):
        parse_table("SMALL-101", "certificates", {"small_workshop": {"kinds": []}},
                    CertificateDuty)
    with pytest.raises(ProfileTableError, match="unknown key"):
        parse_table("SMALL-302", "purchase_records",
                    {"food_vendor": {"min_months": 6, "months": 6,
                                     "basis": {"instrument": "shandong"}}}, RetentionDuty)
    with pytest.raises(ProfileTableError, match="not a 三小"):
        parse_table("SMALL-305", "no_contract",
                    {"caterer": {"basis": {"instrument": "shandong"}}}, BasisOnly)


# --------------------------------------------------------------------------- primary texts

TEXTS = SHARED / "domain" / "texts"
TEXT_FILES = {
    "shandong": "山东省食品小作坊小餐饮和食品摊点管理条例(2017-01-18).md",
    "henan": "河南省食品小作坊、小经营店和小摊点管理条例(2017-12-04).md",
    "chongqing": "重庆市食品生产加工小作坊和食品摊贩管理条例(2016-11-24).md",
}
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百]+条)\s")
_NUMERALS = "一二三四五六七八九十"


def _articles(profile: str) -> dict[str, list[str]]:
    """Article → its non-empty lines (the first starts with the article number)."""
    path = TEXTS / TEXT_FILES[profile]
    if not path.exists():
        pytest.skip(f"primary text not found: {path}")
    out: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ARTICLE.match(line)
        if m:
            current = m.group(1)
            out[current] = [line]
        elif current and line.strip() and not line.startswith("#"):
            out[current].append(line.strip())
    return out


def _paragraphs(lines: list[str]) -> list[str]:
    """An article's paragraphs (款): items （一）… belong to the paragraph before them."""
    paras: list[str] = []
    for line in lines:
        if line.startswith("（") and paras:
            paras[-1] += line
        else:
            paras.append(line)
    return paras


def _locate(profile: str, article: str, item: str | None) -> str:
    """The text of article / paragraph / item (``第二款第一项``) in the primary text."""
    articles = _articles(profile)
    assert article in articles, f"{profile}: {article} is not in the text"
    lines = articles[article]
    text = "".join(lines)
    if not item:
        return text
    m = re.fullmatch(r"(?:第([一二三四五六七八九十]+)款)?(?:第([一二三四五六七八九十]+)项)?", item)
    assert m and (m.group(1) or m.group(2)), f"cannot read item {item!r}"
    if m.group(1):
        paras = _paragraphs(lines)
        n = _NUMERALS.index(m.group(1)) + 1
        assert len(paras) >= n, f"{profile}: {article} has no paragraph {n}"
        text = paras[n - 1]
    if m.group(2):
        mark = f"（{m.group(2)}）"
        assert mark in text, f"{profile}: {article} {item}: no {mark}"
        text = text[text.index(mark):].split("；")[0].split("。")[0]
    return text


@pytest.mark.parametrize("profile", list(TEXT_FILES))
def test_every_cited_article_and_item_exists(profile: str) -> None:
    bases = [entry.basis for (rule_id, name) in TABLES
             for entry in parsed(profile, rule_id, name).values()]
    bases.append(citation(table(profile, "SMALL-402", "basis")))
    for basis in bases:
        if basis.instrument != INSTRUMENTS[profile].instrument:
            continue
        assert basis.article is not None
        _locate(profile, basis.article, basis.item)


# (profile, rule, param, business type, key, value, article, item, wording in that place)
NUMBERS = [
    ("shandong", "SMALL-101", "certificates", "small_workshop", "validity_years", 3,
     "第十七条", "第二款", "有效期为三年"),
    ("shandong", "SMALL-101", "certificates", "small_workshop", "renew_days_before", 30,
     "第十七条", "第二款", "届满三十日前"),
    ("shandong", "SMALL-101", "certificates", "small_eatery", "validity_years", 3,
     "第二十四条", "第二款", "有效期为三年"),
    ("shandong", "SMALL-101", "certificates", "small_eatery", "renew_days_before", 30,
     "第二十四条", "第二款", "届满三十日前"),
    ("shandong", "SMALL-302", "purchase_records", "food_vendor", "min_months", 6,
     "第十二条", None, "不得少于六个月"),
    ("shandong", "SMALL-303", "production_records", "small_workshop", "min_months", 12,
     "第二十条", "第一款", "不得少于一年"),
    ("shandong", "SMALL-301", "health", "small_eatery", "all_staff", True,
     "第十一条", "第一款", "从业人员应当每年进行健康检查"),
    ("shandong", "SMALL-501", "area_limits", "small_eatery", "max_m2", 50,
     "第二条", "第三款", "不足五十平方米"),
    ("shandong", "SMALL-501", "area_limits", "small_eatery", "limit_inclusive", False,
     "第二条", "第三款", "不足五十平方米"),
    ("henan", "SMALL-101", "certificates", "small_workshop", "validity_years", 3,
     "第二十一条", "第四款", "有效期为三年"),
    ("henan", "SMALL-101", "certificates", "small_workshop", "renew_days_before", 30,
     "第二十一条", "第四款", "届满三十日前"),
    ("henan", "SMALL-101", "certificates", "small_eatery", "validity_years", 3,
     "第二十八条", "第四款", "有效期为三年"),
    ("henan", "SMALL-101", "certificates", "small_eatery", "renew_days_before", 30,
     "第二十八条", "第四款", "届满三十日前"),
    ("henan", "SMALL-302", "purchase_records", "small_eatery", "min_months", 6,
     "第十六条", "第二款", "保质期满后六个月"),
    ("henan", "SMALL-301", "health", "food_vendor", "all_staff", False,
     "第十二条", "第八项", "从事接触直接入口食品工作的人员每年进行健康检查"),
    ("chongqing", "SMALL-101", "certificates", "small_workshop", "validity_years", 3,
     "第十条", "第二款", "登记证有效期三年"),
    ("chongqing", "SMALL-101", "certificates", "small_workshop", "renew_days_before", 30,
     "第十条", "第二款", "届满三十日前"),
    ("chongqing", "SMALL-101", "certificates", "food_vendor", "file_within_days", 10,
     "第二十六条", "第一款", "之日起十日内"),
    ("chongqing", "SMALL-302", "purchase_records", "food_vendor", "min_months", 6,
     "第三十条", "第二款", "不得少于六个月"),
    ("chongqing", "SMALL-302", "purchase_records", "small_workshop", "min_months", 6,
     "第十五条", "第二款", "保质期满后六个月"),
    ("chongqing", "SMALL-303", "production_records", "small_workshop", "min_months", 6,
     "第十六条", "第二款", "第十五条第二款"),
    ("chongqing", "SMALL-301", "health", "small_workshop", "all_staff", False,
     "第十二条", "第七项", "接触直接入口食品生产经营的人员持有健康证明"),
]


@pytest.mark.parametrize(("profile", "rule_id", "name", "business", "key", "value", "article",
                          "item", "wording"), NUMBERS,
                         ids=[f"{n[0]}-{n[1]}-{n[3]}-{n[4]}" for n in NUMBERS])
def test_profile_numbers_are_the_regulations(profile: str, rule_id: str, name: str,
                                             business: str, key: str, value: object,
                                             article: str, item: str | None,
                                             wording: str) -> None:
    raw = table(profile, rule_id, name)[business]
    assert raw[key] == value
    assert raw["basis"]["article"] == article
    assert raw["basis"].get("item") == item
    assert wording in _locate(profile, article, item)


# Each prohibited category, as the province's text words it.
CATALOGUE_WORDING = {
    ("shandong", "SMALL-201"): {
        "dairy": "乳制品", "canned": "罐头制品", "jelly": "果冻", "frozen_drinks": "冷冻饮品",
        "alcohol": "酒类", "beverages": "饮料（含瓶、桶装饮用水）", "soy_sauce": "酱油",
        "vinegar": "食醋", "prepackaged_meat": "预包装肉制品", "health_food": "保健食品",
        "infant_formula": "婴幼儿配方食品", "fsmp": "特殊医学用途配方食品",
        "special_population": "其他专供特定人群的主辅食品", "food_additive": "食品添加剂"},
    ("shandong", "SMALL-202"): {"decorated_cake": "裱花蛋糕", "raw_aquatic": "生食水产品"},
    ("shandong", "SMALL-203"): {
        "health_food": "保健食品", "infant_formula": "婴幼儿配方食品",
        "fsmp": "特殊医学用途配方食品", "special_population": "其他专供特定人群的主辅食品",
        "decorated_cake": "裱花蛋糕", "raw_aquatic": "生食水产品", "bulk_liquor": "散装酒",
        "fresh_dairy": "现制乳制品", "bulk_vinegar": "散装食醋", "bulk_soy_sauce": "散装酱油",
        "bulk_oil": "散装食用油"},
    ("henan", "SMALL-201"): {
        "dairy": "乳制品", "baijiu_non_traditional": "传统酿制工艺以外的白酒", "canned": "罐头",
        "jelly": "果冻类食品", "health_food": "保健食品", "fsmp": "特殊医学用途配方食品",
        "infant_formula": "婴幼儿配方食品", "food_additive": "食品添加剂"},
    ("chongqing", "SMALL-201"): {
        "food_additive": "食品添加剂", "health_food": "保健食品",
        "fsmp": "特殊医学用途配方食品", "infant_formula": "婴幼儿配方食品", "dairy": "乳制品",
        "canned": "罐头制品", "frozen_drinks": "冷冻饮品", "jelly": "果冻", "beverages": "饮料",
        "edible_oil_non_pressed": "食用油、油脂及其制品（不含压榨植物油）",
        "alcohol_non_grain": "酒类（不含粮食酿造酒）"},
    ("chongqing", "SMALL-203"): {
        "fsmp": "特殊医学用途配方食品", "infant_formula": "婴幼儿配方食品",
        "raw_aquatic": "生食水产品", "decorated_cake": "裱花蛋糕", "bulk_oil": "散装食用油",
        "bulk_liquor": "散装酒"},
}


@pytest.mark.parametrize(("profile", "rule_id"), list(CATALOGUE_WORDING))
def test_prohibited_catalogues_are_the_regulations(profile: str, rule_id: str) -> None:
    lists = parsed(profile, rule_id, "prohibited")
    [duty] = lists.values()
    wording = CATALOGUE_WORDING[(profile, rule_id)]
    assert set(duty.categories) == set(wording)
    for category, item in duty.categories.items():
        place = (duty.basis.item or "") + item
        assert wording[category] in _locate(profile, duty.basis.article, place or None), category


def test_catalogue_categories_exist() -> None:
    import tomllib

    data = tomllib.loads((Path(RULESET.data_dir or ".") / "product_categories.toml")
                         .read_text(encoding="utf-8"))
    for profile in ("national", *PROVINCES):
        for rule_id in ("SMALL-201", "SMALL-202", "SMALL-203"):
            for duty in parsed(profile, rule_id, "prohibited").values():
                assert set(duty.categories) <= set(data["category"]), (profile, rule_id)
    assert set(table("national", "SMALL-201", "sc_codes")) <= set(data["category"])


# --------------------------------------------------------------------------- scope


def _violating_eatery(build: FactBuilder) -> list[Fact]:
    """A small eatery without any registration and a staff member without a certificate."""
    return [build.operator("eatery", business_type="small_eatery", opened_on="2020-03-01",
                           business_area_m2=30.0),
            build.staff_member("cook", operator_id="eatery")]


def test_national_judges_no_operator() -> None:
    report = run("national", _violating_eatery(builder("shandong")))
    assert report.findings == ()
    assert report.derived == ()


def test_operators_outside_the_jurisdiction_are_not_judged() -> None:
    facts = _violating_eatery(builder("shandong"))
    assert run("henan", facts).findings == ()
    assert {f.rule_id for f in run("shandong", facts).findings} == {"SMALL-101", "SMALL-301"}


def test_business_types_outside_the_regulation_are_not_judged() -> None:
    """Chongqing's regulation has no 小餐饮; Shandong's no 小食杂店."""
    assert run("chongqing", _violating_eatery(builder("chongqing"))).findings == ()
    build = builder("shandong")
    grocery = [build.operator("shop", business_type="small_grocery", opened_on="2020-03-01"),
               build.staff_member("clerk", operator_id="shop")]
    assert run("shandong", grocery).findings == ()


def test_scope_records_the_regime() -> None:
    report = run("shandong", _violating_eatery(builder("shandong")))
    [scope] = report.derived
    assert (scope.KIND, scope.id) == ("small_scope", "eatery")
    for finding in report.findings:
        assert finding.evidence["regime"] == "shandong"


# --------------------------------------------------------------------------- SMALL-101


def _workshop(build: FactBuilder, **kw: Any) -> Fact:
    kw.setdefault("business_type", "small_workshop")
    kw.setdefault("opened_on", "2015-01-01")
    return build.operator("ws", **kw)


def _registration(build: FactBuilder, issued: str, until: str | None = None,
                  kind: str = "workshop_registration", **kw: Any) -> Fact:
    return build.vendor_registration(operator_id=kw.pop("operator_id", "ws"),
                                     licence_kind=kind, issued_on=issued, valid_until=until,
                                     **kw)


def test_101_missing_certificate_is_due_on_opening() -> None:
    build = builder("shandong")
    report = run("shandong", [_workshop(build)])
    [f] = only(report, "SMALL-101")
    assert f.severity is Severity.HIGH
    assert f.subject.id == "ws"
    assert f.evidence["status"] == "missing"
    assert f.evidence["required_kinds"] == ["workshop_registration"]
    # opened 2015-01-01, before the regulation took effect: due from 2017-06-01 (Art. 55)
    assert f.due_date == dt.date(2017, 6, 1)
    assert f.legal_basis[0].version_date == dt.date(2017, 1, 18)  # adopted; in force 06-01
    assert f.legal_basis[0].article == "第十七条"
    assert f.legal_basis[0].confidence.value == "V"
    assert "未取得有效的小作坊登记证" in f.message.zh
    assert "《山东省食品小作坊小餐饮和食品摊点管理条例》 第十七条 第二款" in f.message.zh
    assert any(b.article == "第三十六条" for b in f.legal_basis)


def test_a_shandong_finding_cites_the_shandong_article_in_its_legal_basis() -> None:
    """Issue 12: the legal basis comes from the profile's table, not from evidence text."""
    report = run("shandong", [_workshop(builder("shandong"))])
    [f] = only(report, "SMALL-101")
    first = f.legal_basis[0]
    assert first.instrument == "《山东省食品小作坊小餐饮和食品摊点管理条例》"
    assert (first.article, first.item, first.jurisdiction) == ("第十七条", "第二款", "37")
    assert [b.instrument for b in f.legal_basis[1:]] == ["《中华人民共和国食品安全法》"] * 2
    assert not {"province_basis", "basis_citation", "basis_citation_en",
                "basis_confidence"} & set(f.evidence)
    [payload] = [d for d in report.to_dict()["findings"] if d["rule_id"] == "SMALL-101"]
    assert payload["legal_basis"][0]["citation"]["zh"].startswith(
        "《山东省食品小作坊小餐饮和食品摊点管理条例》 第十七条 第二款")


def test_101_missing_certificate_opened_after_in_force_is_due_on_opening() -> None:
    build = builder("shandong")
    ws = build.operator("ws2", business_type="small_workshop", opened_on="2019-04-01")
    [f] = only(run("shandong", [ws]), "SMALL-101")
    assert f.due_date == dt.date(2019, 4, 1)


def test_101_chongqing_vendor_files_within_ten_days() -> None:
    build = builder("chongqing")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2023-06-01")
    [f] = only(run("chongqing", [vendor]), "SMALL-101")
    assert f.due_date == dt.date(2023, 6, 11)
    assert f.evidence["file_within_days"] == 10
    assert f.legal_basis[0].article == "第二十六条"
    assert f.severity is Severity.HIGH and f.evidence["within_period"] is False


@pytest.mark.parametrize(("as_of", "severity"), [
    (dt.date(2023, 12, 31), Severity.INFO),   # 5 days after opening: within Art. 26's ten days
    (dt.date(2024, 1, 5), Severity.INFO),     # the last day of the period
    (dt.date(2024, 1, 6), Severity.HIGH),     # the period has run out
])
def test_101_chongqing_filing_period_is_no_breach(as_of: dt.date, severity: Severity) -> None:
    """Issue 10, defect 3: opened 2023-12-26, the card is due by 2024-01-05."""
    build = builder("chongqing")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2023-12-26")
    [f] = only(run("chongqing", [vendor], as_of=as_of), "SMALL-101")
    assert f.severity is severity
    assert f.due_date == dt.date(2024, 1, 5)
    assert "应于 2024-01-05 前办理" in f.message.zh
    assert ("尚在办理期限内" in f.message.zh) is (severity is Severity.INFO)


def test_101_expired_certificate_was_due_thirty_days_before() -> None:
    build = builder("shandong")
    facts = [_workshop(build), _registration(build, "2020-06-01", "2023-05-31", id="old")]
    [f] = only(run("shandong", facts), "SMALL-101")
    assert f.evidence["status"] == "expired"
    assert f.evidence["certificate_id"] == "old"
    assert f.evidence["ended_on"] == "2023-05-31"
    assert f.evidence["days_since_end"] == 214
    assert f.due_date == dt.date(2023, 5, 1)
    assert "已于 2023-05-31 到期，未延续（延续申请期限 2023-05-01）" in f.message.zh


def test_101_validity_comes_from_the_profile_when_not_recorded() -> None:
    """Shandong Art. 17: three years — a card issued 2020-06-01 ends 2023-05-31."""
    build = builder("shandong")
    facts = [_workshop(build), _registration(build, "2020-06-01", None, id="c")]
    [f] = only(run("shandong", facts), "SMALL-101")
    assert (f.evidence["status"], f.evidence["ended_on"]) == ("expired", "2023-05-31")
    # Hebei sets no eatery validity: the same record without an expiry stays valid.
    hebei = builder("hebei")
    eatery = [hebei.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                             business_area_m2=20.0),
              _registration(hebei, "2020-06-01", None, kind="eatery_registration",
                            operator_id="e")]
    assert only(run("hebei", eatery), "SMALL-101") == []


def test_101_revoked_certificate() -> None:
    build = builder("henan")
    facts = [_workshop(build),
             build.licence("lic", operator_id="ws", licence_kind="workshop_registration",
                           number="豫食小作坊登字001", issued_on="2022-01-01",
                           valid_until="2024-12-31", revoked_on="2023-10-01")]
    [f] = only(run("henan", facts), "SMALL-101")
    assert f.evidence["status"] == "revoked"
    assert f.evidence["certificate_id"] == "lic"
    assert f.due_date is None


@pytest.mark.parametrize(("as_of", "fires", "severity"), [
    (dt.date(2023, 12, 1), False, None),           # 61 days before the deadline
    # Before the deadline a reminder is info, below the problem scale (issue 10, defect 3).
    (dt.date(2023, 12, 2), True, Severity.INFO),   # remind_days (30) before the deadline
    (dt.date(2024, 1, 1), True, Severity.INFO),    # the deadline (expiry 2024-01-31 − 30): in time
    (dt.date(2024, 1, 2), True, Severity.MEDIUM),  # the day after: overdue
    (dt.date(2024, 1, 31), True, Severity.MEDIUM),
])
def test_101_renewal_due(as_of: dt.date, fires: bool, severity: Severity | None) -> None:
    build = builder("shandong")
    facts = [_workshop(build), _registration(build, "2021-02-01", "2024-01-31", id="c")]
    found = only(run("shandong", facts, as_of=as_of), "SMALL-101")
    if not fires:
        assert found == []
        return
    [f] = found
    assert f.severity is severity
    assert f.evidence["status"] == "renewal_due"
    assert f.due_date == dt.date(2024, 1, 1)
    assert f.evidence["renew_days_before"] == 30
    assert f.evidence["days_to_expiry"] == (dt.date(2024, 1, 31) - as_of).days


def test_101_quiet_with_a_renewal_or_a_valid_certificate() -> None:
    build = builder("shandong")
    facts = [_workshop(build), _registration(build, "2021-02-01", "2024-01-31"),
             _registration(build, "2023-12-20", "2026-12-19")]
    assert only(run("shandong", facts), "SMALL-101") == []


def test_101_a_licence_instead_of_the_registration() -> None:
    """Shandong Art. 10(3): a 小餐饮 may hold a food business licence instead."""
    build = builder("shandong")
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=30.0)
    licence = build.licence(operator_id="e", issued_on="2021-01-01", valid_until="2025-12-31")
    assert only(run("shandong", [eatery, licence]), "SMALL-101") == []


def test_101_lapsed_alternative_licence_is_named() -> None:
    build = builder("hebei")
    shop = build.operator("g", business_type="small_grocery", opened_on="2012-01-01",
                          business_area_m2=20.0)
    lic = build.licence("jy", operator_id="g", issued_on="2017-10-14", valid_until="2022-10-13")
    [f] = only(run("hebei", [shop, lic]), "SMALL-101")
    assert f.evidence["status"] == "missing"
    assert f.evidence["lapsed_licence_id"] == "jy"
    assert f.due_date == dt.date(2022, 10, 13)
    assert f.legal_basis[0].confidence.value == "C"


@pytest.mark.parametrize(("profile", "business", "name"), [
    ("henan", "small_grocery", "小经营店登记证"),
    ("shandong", "food_vendor", "食品摊点信息公示卡"),
    ("chongqing", "food_vendor", "食品摊贩备案信息公示卡"),
])
def test_101_names_the_certificate_as_the_province_does(profile: str, business: str,
                                                        name: str) -> None:
    build = builder(profile)
    [f] = only(run(profile, [build.operator("x", business_type=business,
                                            opened_on="2020-01-01")]), "SMALL-101")
    assert f"未取得有效的{name}" in f.message.zh


def test_101_closed_operators_are_not_judged() -> None:
    build = builder("shandong")
    assert only(run("shandong", [_workshop(build, closed_on="2023-06-01")]), "SMALL-101") == []


# --------------------------------------------------------------------------- SMALL-201…203


def _registered_workshop(build: FactBuilder, products: tuple[str, ...] = ("馒头",)) -> list[Fact]:
    return [_workshop(build), _registration(build, "2023-01-01", "2025-12-31",
                                            products=products)]


def test_201_prohibited_product_is_caught_with_the_matched_term() -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record("p1", operator_id="ws", product_name="原味酸奶",
                                     produced_on="2023-05-01")]
    [f] = only(run("shandong", facts), "SMALL-201")
    assert f.evidence["category"] == "dairy"
    assert f.evidence["terms"] == ["酸奶"]
    assert f.evidence["matches"] == [{"source": "production_record", "id": "p1",
                                      "date": "2023-05-01", "product": "原味酸奶",
                                      "term": "酸奶", "matched": "酸奶"}]
    assert f.legal_basis[0].item == "第一项"
    assert f.legal_basis[0].cite("zh").startswith(
        "《山东省食品小作坊小餐饮和食品摊点管理条例》 第十九条 第一项")
    assert "生产加工乳制品（原味酸奶；匹配 “酸奶”）" in f.message.zh
    assert "Art. 19, item 1" in f.message.en


def test_201_synonyms_map_to_the_canonical_term() -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build, products=("生抽",))]
    [f] = only(run("shandong", facts), "SMALL-201")
    assert f.evidence["category"] == "soy_sauce"
    assert f.evidence["matches"][0]["term"] == "酱油"
    assert f.evidence["matches"][0]["matched"] == "生抽"


@pytest.mark.parametrize("name", ["果冻橙", "牛奶馒头", "料酒", "汽水馍", "酱油肉", "醋溜白菜",
                                  "奶油面包", "奶黄包", "纯粮馒头", "无添加剂豆腐", "芝麻糖"])
def test_201_look_alikes_are_not_flagged(name: str) -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record(operator_id="ws", product_name=name,
                                     produced_on="2023-05-01")]
    assert only(run("shandong", facts), "SMALL-201") == []


def test_201_sc_code_match() -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record("p", operator_id="ws", product_name="小方块",
                                     food_category_code="0501", produced_on="2023-05-01")]
    [f] = only(run("shandong", facts), "SMALL-201")
    assert f.evidence["category"] == "dairy"
    assert f.evidence["sc_codes"] == ["0501"]
    assert f.evidence["matches"][0]["sc_code_prefix"] == "05"
    assert f.evidence["terms"] == []
    assert "食品类别编码 0501（编码对照可信度 M）" in f.message.zh


@pytest.mark.parametrize(("code", "normal"), [("05", "05"), ("0501", "0501"), ("105", "05"),
                                              ("SC10513053300018", "05"), ("201", "32"),
                                              ("5", None), (None, None)])
def test_sc_codes_are_normalised(code: str | None, normal: str | None) -> None:
    assert normalise_sc_code(code) == normal


def test_201_old_records_are_outside_the_review_window() -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record(operator_id="ws", product_name="酸奶",
                                     produced_on="2022-12-31")]
    assert only(run("shandong", facts), "SMALL-201") == []


def test_201_each_province_answers_for_its_own_list() -> None:
    """纯粮白酒: Shandong bans all 酒类 (Art. 19); Henan only non-traditional baijiu (Art. 23)."""
    results = {}
    for profile in ("shandong", "henan"):
        build = builder(profile)
        facts = [*_registered_workshop(build),
                 build.production_record(operator_id="ws", product_name="纯粮白酒",
                                         produced_on="2023-05-01"),
                 build.production_record(operator_id="ws", product_name="液态法白酒",
                                         produced_on="2023-06-01")]
        results[profile] = {(f.evidence["category"], tuple(f.evidence["products"]))
                            for f in only(run(profile, facts), "SMALL-201")}
    assert results["shandong"] == {("alcohol", ("纯粮白酒", "液态法白酒"))}
    assert results["henan"] == {("baijiu_non_traditional", ("液态法白酒",))}


def test_201_chongqing_excepts_pressed_oil() -> None:
    build = builder("chongqing")
    facts = [*_registered_workshop(build, products=("压榨花生油", "调和油"))]
    [f] = only(run("chongqing", facts), "SMALL-201")
    assert f.evidence["category"] == "edible_oil_non_pressed"
    assert f.evidence["products"] == ["调和油"]
    assert f.legal_basis[0].item == "第二款第三项"


def test_202_eatery_prohibited_sale() -> None:
    build = builder("shandong")
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=30.0)
    reg = _registration(build, "2023-01-01", "2025-12-31", kind="eatery_registration",
                        operator_id="e", products=("生煎包", "三文鱼刺身", "鸡蛋糕"))
    [f] = only(run("shandong", [eatery, reg]), "SMALL-202")
    assert f.evidence["category"] == "raw_aquatic"
    assert f.evidence["products"] == ["三文鱼刺身"]
    assert f.evidence["terms"] == ["生食水产品"]
    assert f.evidence["matches"][0]["matched"] == "刺身"
    assert f.legal_basis[0].article == "第二十六条"


def test_202_menu_dishes_count_and_look_alikes_do_not() -> None:
    build = builder("shandong")
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=30.0)
    meal = build.meal_service(operator_id="e", served_on="2023-09-01",
                              dishes=("生日蛋糕", "生鱼汤", "烤生蚝"))
    [f] = only(run("shandong", [eatery, meal]), "SMALL-202")
    assert (f.evidence["category"], f.evidence["products"]) == ("decorated_cake", ["生日蛋糕"])


def test_203_vendor_prohibited_sale_seen_on_patrol() -> None:
    build = builder("shandong")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2019-01-01")
    card = _registration(build, "2022-01-01", None, kind="vendor_filing", operator_id="v",
                         products=("烤红薯",))
    seen = observation("o1", "v", "2023-07-01T19:30", products=("散装白酒", "瓶装白酒"))
    [f] = only(run("shandong", [vendor, card, seen]), "SMALL-203")
    assert f.evidence["category"] == "bulk_liquor"
    assert f.evidence["products"] == ["散装白酒"]
    assert f.evidence["matches"][0]["source"] == "vendor_observation"
    assert f.legal_basis[0].item == "第二项"


#: Hebei's prohibited lists, contract ban and online rule are from its 2026 revision, whose
#: effective date was not found (?): the test profile ``hebei-dated`` gives one, and they
#: are judged after it (the shipped profile asks for it: see test_in_force.py).
HEBEI_2026_AS_OF = dt.date(2026, 6, 30)
HEBEI = DATED_PROFILE


def test_203_hebei_groceries_follow_the_stalls_list() -> None:
    build = builder("hebei")
    shop = build.operator("g", business_type="small_grocery", opened_on="2019-01-01",
                          business_area_m2=20.0)
    card = _registration(build, "2025-01-01", "2028-01-01", kind="vendor_filing",
                         operator_id="g", products=("散酒", "饮料"))
    [f] = only(run(HEBEI, [shop, card], as_of=HEBEI_2026_AS_OF), "SMALL-203")
    assert f.evidence["category"] == "bulk_baijiu"
    assert f.legal_basis[0].confidence.value == "C"
    assert f.legal_basis[0].article is None
    assert "可信度 C" in f.message.zh


def test_henan_lists_nothing_for_eateries_and_vendors() -> None:
    build = builder("henan")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2019-01-01")
    seen = observation("o1", "v", "2023-07-01T19:30", products=("散装白酒",))
    assert only(run("henan", [vendor, seen]), "SMALL-203") == []


# --------------------------------------------------------------------------- SMALL-301


def _staffed(build: FactBuilder, profile: str, *, rte: bool, cert: tuple[str, str] | None
             ) -> list[Fact]:
    facts = [build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=30.0),
             _registration(build, "2023-01-01", "2025-12-31", kind="eatery_registration",
                           operator_id="e"),
             build.staff_member("p1", operator_id="e", name="张三", touches_ready_to_eat=rte)]
    if cert is not None:
        facts.append(build.health_certificate("h1", operator_id="e", person_id="p1",
                                              issued_on=cert[0], valid_until=cert[1]))
    return facts


def test_301_shandong_requires_all_staff() -> None:
    build = builder("shandong")
    [f] = only(run("shandong", _staffed(build, "shandong", rte=False, cert=None)), "SMALL-301")
    assert f.evidence["person_ids"] == ["p1"]
    assert f.evidence["all_staff"] is True
    assert f.evidence["staff"][0]["status"] == "none"
    assert f.legal_basis[0].article == "第十一条"
    assert "张三（无证明）" in f.message.zh


def test_301_henan_only_food_handlers() -> None:
    build = builder("henan")
    assert only(run("henan", _staffed(build, "henan", rte=False, cert=None)), "SMALL-301") == []
    [f] = only(run("henan", _staffed(builder("henan"), "henan", rte=True, cert=None)),
               "SMALL-301")
    assert f.evidence["all_staff"] is False
    assert f.legal_basis[0].item == "第八项"


@pytest.mark.parametrize(("cert", "status"), [
    (("2023-01-01", "2023-12-31"), None),           # valid, exam this year
    (("2022-12-31", "2024-12-30"), None),           # exam exactly 12 months ago: still yearly
    (("2022-12-30", "2024-12-29"), "exam_overdue"),  # valid on paper, exam over a year ago
    (("2022-01-01", "2023-12-30"), "expired"),
])
def test_301_yearly_boundary(cert: tuple[str, str], status: str | None) -> None:
    build = builder("shandong")
    found = only(run("shandong", _staffed(build, "shandong", rte=True, cert=cert)), "SMALL-301")
    if status is None:
        assert found == []
    else:
        [f] = found
        assert f.evidence["staff"][0]["status"] == status
        assert f.evidence["staff"][0]["certificate_id"] == "h1"


def test_301_staff_who_left_do_not_count() -> None:
    build = builder("shandong")
    facts = _staffed(build, "shandong", rte=True, cert=None)
    facts[2] = build.staff_member("p1", operator_id="e", name="张三", left_on="2023-06-01")
    assert only(run("shandong", facts), "SMALL-301") == []


# --------------------------------------------------------------------------- SMALL-302/303


@pytest.mark.parametrize(("kept", "fires"), [("2023-11-15", False), ("2023-11-14", True)])
def test_302_six_months_exactly_complies(kept: str, fires: bool) -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.purchase_record("r1", operator_id="ws", purchased_on="2023-05-15",
                                   record_kept_until=kept)]
    found = only(run("shandong", facts), "SMALL-302")
    assert bool(found) is fires
    if fires:
        [f] = found
        assert f.evidence["record_ids"] == ["r1"]
        assert f.evidence["min_months"] == 6
        assert f.evidence["records"][0]["required_until"] == "2023-11-15"
        assert f.evidence["shortest_kept_days"] == 183
        assert f.legal_basis[0].article == "第十二条"


def test_302_not_judged_where_the_period_is_unknown() -> None:
    build = builder("hebei")
    facts = [*_registered_workshop(build),
             build.purchase_record(operator_id="ws", purchased_on="2023-05-15",
                                   record_kept_until="2023-05-20")]
    assert only(run("hebei", facts), "SMALL-302") == []


@pytest.mark.parametrize(("kept", "fires"), [("2024-03-01", False), ("2024-02-29", True)])
def test_303_production_records_a_year(kept: str, fires: bool) -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record("b1", operator_id="ws", produced_on="2023-03-01",
                                     record_kept_until=kept)]
    found = only(run("shandong", facts), "SMALL-303")
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["min_months"] == 12
        assert found[0].legal_basis[0].item == "第一款"


# --------------------------------------------------------------------------- SMALL-304


def test_304_yearly_test_missing() -> None:
    build = builder("hebei")
    facts = [_workshop(build), _registration(build, "2021-03-01", "2024-02-29"),
             build.product_test(operator_id="ws", tested_on="2022-06-15")]
    [f] = only(run("hebei", facts), "SMALL-304")
    assert f.evidence["problems"] == ["yearly"]
    assert f.evidence["last_test_on"] == "2022-06-15"
    assert f.due_date == dt.date(2023, 6, 15)
    assert f.legal_basis[0].confidence.value == "C"


def test_304_first_batch_missing_for_a_new_workshop() -> None:
    build = builder("hebei")
    facts = [_workshop(build, opened_on="2023-03-01"),
             _registration(build, "2023-03-01", "2026-02-28")]
    [f] = only(run("hebei", facts), "SMALL-304")
    assert f.evidence["problems"] == ["first_batch"]
    assert f.due_date == dt.date(2023, 3, 1)
    facts.append(build.product_test(operator_id="ws", tested_on="2023-03-10", first_batch=True))
    assert only(run("hebei", facts), "SMALL-304") == []


def test_304_window_boundary() -> None:
    """A test on the first day of the 12-month window counts; the day before does not."""
    build = builder("hebei")
    base = [_workshop(build), _registration(build, "2021-03-01", "2024-02-29")]
    inside = build.product_test("t1", operator_id="ws", tested_on="2023-01-01")
    outside = build.product_test("t2", operator_id="ws", tested_on="2022-12-31")
    assert only(run("hebei", [*base, inside]), "SMALL-304") == []
    assert only(run("hebei", [*base, outside]), "SMALL-304") != []


def test_304_not_required_in_shandong() -> None:
    build = builder("shandong")
    facts = [_workshop(build), _registration(build, "2021-03-01", "2024-02-29")]
    assert only(run("shandong", facts), "SMALL-304") == []


# --------------------------------------------------------------------------- SMALL-305


def test_305_contract_manufacturing() -> None:
    build = builder("shandong")
    facts = [*_registered_workshop(build),
             build.production_record("b1", operator_id="ws", product_name="代加工馒头",
                                     contract_manufacturing=True, produced_on="2023-04-01"),
             build.production_record("b2", operator_id="ws", product_name="馒头",
                                     produced_on="2023-04-02")]
    [f] = only(run("shandong", facts), "SMALL-305")
    assert f.evidence["record_ids"] == ["b1"]
    assert f.legal_basis[0].item == "第三款"
    assert only(run("henan", [*_registered_workshop(builder("henan")),
                              *facts[2:3]]), "SMALL-305") == []


def test_305_henan_has_no_ban() -> None:
    build = builder("henan")
    facts = [*_registered_workshop(build),
             build.production_record(operator_id="ws", product_name="代加工馒头",
                                     contract_manufacturing=True, produced_on="2023-04-01")]
    assert only(run("henan", facts), "SMALL-305") == []


# --------------------------------------------------------------------------- SMALL-401/402


def _vendor(build: FactBuilder, zone: str = "洺州镇集市", slot: str = "06:00-10:00") -> list[Fact]:
    return [build.operator("v", business_type="food_vendor", opened_on="2019-01-01"),
            _registration(build, "2022-01-01", "2025-01-01", kind="vendor_filing",
                          operator_id="v", zone=zone, time_slot=slot)]


@pytest.mark.parametrize(("zone", "when", "issues"), [
    ("洺州镇集市", "2023-07-01T08:00", None),
    ("洺州镇集市东口", "2023-07-01T10:00", None),     # part of the zone; slot end included
    ("洺州镇集市", "2023-07-01T10:01", ["time"]),
    ("育才小学门口", "2023-07-01T07:00", ["zone"]),
    ("育才小学门口", "2023-07-01T18:00", ["time", "zone"]),
])
def test_401_zone_and_slot(zone: str, when: str, issues: list[str] | None) -> None:
    build = builder("hebei")
    facts = [*_vendor(build), observation("o1", "v", when, zone=zone)]
    found = only(run("hebei", facts), "SMALL-401")
    if issues is None:
        assert found == []
        return
    [f] = found
    assert f.evidence["issues"] == issues
    assert f.evidence["observation_ids"] == ["o1"]
    assert f.legal_basis[0].confidence.value == "M"


def test_401_cites_the_province() -> None:
    build = builder("henan")
    facts = [*_vendor(build), observation("o1", "v", "2023-07-01T12:00", zone="洺州镇集市")]
    [f] = only(run("henan", facts), "SMALL-401")
    assert f.legal_basis[0].article == "第三十三条"
    assert "第三十三条" in f.message.zh


def test_time_slots() -> None:
    assert parse_slots("06:00-10:00") == [(dt.time(6), dt.time(10))]
    assert parse_slots("17：00～24:00") == [(dt.time(17), dt.time(23, 59, 59, 999999))]
    assert parse_slots("06:00-10:00、17:00-22:00") is not None
    assert parse_slots("早上") is None
    night = parse_slots("20:00-02:00")
    assert night is not None
    assert in_slots(dt.time(1, 30), night) and not in_slots(dt.time(3), night)


def test_haversine_distance() -> None:
    # One thousandth of a degree of latitude is about 111.2 m everywhere.
    assert haversine_m(36.0, 115.0, 36.001, 115.0) == pytest.approx(111.2, abs=0.1)
    assert haversine_m(36.97, 115.39, 36.97, 115.39) == 0


def _school(build: FactBuilder) -> Fact:
    return build.operator("school", business_type="unit_canteen", name="育才小学食堂",
                          institution_type=InstitutionType.PRIMARY_SCHOOL.value,
                          latitude=36.971739, longitude=115.39356)


@pytest.mark.parametrize(("dlat", "fires"), [(0.0008, True), (0.00089, True), (0.0009, False)])
def test_402_within_the_demo_county_distance(dlat: float, fires: bool) -> None:
    """0.00089° of latitude is 99.0 m (inside the 100 m zone), 0.0009° is 100.1 m (outside)."""
    build = builder("demo")
    distance = haversine_m(36.971739, 115.39356, 36.971739 + dlat, 115.39356)
    assert (distance <= 100) is fires
    facts = [*_vendor(build), _school(build),
             observation("o1", "v", "2023-07-01T08:00", zone="洺州镇集市",
                         latitude=36.971739 + dlat, longitude=115.39356)]
    found = only(run("demo", facts), "SMALL-402")
    assert bool(found) is fires
    if found:
        [f] = found
        assert f.evidence["school_ids"] == ["school"]
        assert f.evidence["distance_m"] == 100
        assert f.evidence["nearest_m"] <= distance
        assert f.legal_basis[0].confidence.value == "?"
        assert "育才小学食堂" in f.message.zh


def test_402_quiet_where_no_distance_is_set() -> None:
    build = builder("hebei")
    facts = [*_vendor(build), _school(build),
             observation("o1", "v", "2023-07-01T08:00", latitude=36.971739,
                         longitude=115.39356)]
    assert only(run("hebei", facts), "SMALL-402") == []


# --------------------------------------------------------------------------- SMALL-501/502


@pytest.mark.parametrize(("profile", "area", "fires"), [
    ("shandong", 49.9, False), ("shandong", 50.0, True),   # 不足五十平方米: 50 is not under 50
    ("hebei", 50.0, False), ("hebei", 50.1, True),         # 50 m² or less (C)
])
def test_501_eatery_area_limit(profile: str, area: float, fires: bool) -> None:
    build = builder(profile)
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=area)
    found = only(run(profile, [eatery]), "SMALL-501")
    assert bool(found) is fires
    if fires:
        [f] = found
        assert f.evidence["area_m2"] == area and f.evidence["max_m2"] == 50
        assert f.evidence["limit_inclusive"] is (profile != "shandong")
        assert ("（< 50 平方米）" if profile == "shandong" else "（≤ 50 平方米）") in f.message.zh


@pytest.mark.parametrize(("area", "fires"), [(30.0, False), (30.1, True)])
def test_501_hebei_grocery_thirty_square_metres(area: float, fires: bool) -> None:
    build = builder("hebei")
    shop = build.operator("g", business_type="small_grocery", opened_on="2019-01-01",
                          business_area_m2=area)
    assert bool(only(run("hebei", [shop]), "SMALL-501")) is fires


def test_501_quiet_with_a_licence() -> None:
    build = builder("shandong")
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=80.0)
    assert only(run("shandong", [eatery, build.licence(operator_id="e")]), "SMALL-501") == []


def test_502_online_vendor_without_shop_or_registration() -> None:
    build = builder("hebei")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2019-01-01",
                            sells_online=True)
    card = _registration(build, "2025-01-01", "2028-01-01", kind="vendor_filing",
                         operator_id="v")
    [f] = only(run(HEBEI, [vendor, card], as_of=HEBEI_2026_AS_OF), "SMALL-502")
    assert f.evidence["problems"] == ["no_physical_shop", "no_registration"]
    assert f.legal_basis[0].confidence.value == "C"
    assert "没有实体门店" in f.message.zh


def test_502_online_eatery_with_shop_and_registration_is_quiet() -> None:
    build = builder("hebei")
    eatery = build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            sells_online=True, has_physical_shop=True, business_area_m2=30.0)
    reg = _registration(build, "2025-01-01", "2028-01-01", kind="eatery_registration",
                        operator_id="e")
    assert only(run(HEBEI, [eatery, reg], as_of=HEBEI_2026_AS_OF), "SMALL-502") == []
    assert only(run(HEBEI, [eatery], as_of=HEBEI_2026_AS_OF),
                "SMALL-502")[0].evidence["problems"] == ["no_registration"]


def test_502_not_a_rule_outside_hebei() -> None:
    build = builder("shandong")
    vendor = build.operator("v", business_type="food_vendor", opened_on="2019-01-01",
                            sells_online=True)
    assert only(run("shandong", [vendor]), "SMALL-502") == []


# --------------------------------------------------------------------------- two profiles


class _Anywhere:
    """Test profiles applying Shandong's and Henan's rules to any division code."""

    @staticmethod
    @hookimpl
    def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
        for name in ("shandong", "henan"):
            register(Profile.from_mapping({"name": f"{name}-anywhere", "extends": name,
                                           "jurisdiction": "CN"}, {}))


def test_same_facts_different_findings_under_two_profiles() -> None:
    """One workshop and one eatery, judged under Shandong's and Henan's rules.

    Shandong (Art. 19) bans the 纯粮白酒 that Henan (Art. 23) allows; Shandong wants
    health certificates for all staff (Art. 11), Henan for food handlers (Art. 12(8));
    a 50 m² eatery is not 小餐饮 in Shandong (Art. 2: under 50 m²), while Henan sets no
    area; the registration basis is each province's own article.
    """
    eng = Engine(profile="national", plugins=[_Anywhere()])
    build = FactBuilder(region_code="130533")
    facts = [*_registered_workshop(build),
             build.production_record(operator_id="ws", product_name="纯粮白酒",
                                     produced_on="2023-05-01"),
             build.staff_member("clerk", operator_id="ws", touches_ready_to_eat=False),
             build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=50.0)]

    def answer(profile: str) -> set[tuple[str, str, str | None]]:
        report = eng.evaluate(facts, as_of=AS_OF, rulesets=[RULESET_ID], profile=profile)
        return {(f.rule_id, f.subject.id, f.legal_basis[0].article)
                for f in report.findings}

    assert answer("shandong-anywhere") == {
        ("SMALL-201", "ws", "第十九条"), ("SMALL-301", "ws", "第十一条"),
        ("SMALL-101", "e", "第二十四条"), ("SMALL-501", "e", "第二条")}
    assert answer("henan-anywhere") == {("SMALL-101", "e", "第二十八条")}
    # Under the real profiles the county (130533, Hebei) is outside both provinces.
    assert eng.evaluate(facts, as_of=AS_OF, rulesets=[RULESET_ID], profile="shandong"
                        ).findings == ()


def test_demo_adds_the_school_zone_to_hebei() -> None:
    build = builder("demo")
    facts = [*_vendor(build), _school(build),
             observation("o1", "v", "2023-07-01T08:00", zone="洺州镇集市",
                         latitude=36.9718, longitude=115.3936)]
    assert only(run("hebei", facts), "SMALL-402") == []
    assert_finding(run("demo", facts), "SMALL-402", subject="v",
                   evidence={"school_ids": ["school"], "distance_m": 100})


# --------------------------------------------------------------------------- 包保 (two-responsibilities)


def test_three_small_operator_without_baobao_gets_the_baobao_finding() -> None:
    """包保 covers the 三小 from 2023 (seed 000); the two-responsibilities ruleset judges it."""
    eng = engine("demo")
    if "BAOBAO-001" not in eng.rules:
        pytest.skip("the two-responsibilities ruleset (BAOBAO-001) is not registered yet")
    baobao = eng.ruleset_of("BAOBAO-001").ruleset.id
    build = builder("demo")
    facts = [build.operator("e", business_type="small_eatery", opened_on="2019-01-01",
                            business_area_m2=30.0, scale="micro"),
             _registration(build, "2023-01-01", "2025-12-31", kind="eatery_registration",
                           operator_id="e")]
    report = eng.evaluate(facts, as_of=AS_OF, rulesets=[RULESET_ID, baobao])
    status = {s.rule_id: s.status for s in report.rule_stats}
    if status.get("BAOBAO-001") != "ran":
        pytest.skip(f"BAOBAO-001 did not run under the demo profile ({status.get('BAOBAO-001')}): "
                    "the two-responsibilities ruleset's demo parameters are not set yet")
    assert_finding(report, "BAOBAO-001", subject="e")
    assert_no_finding(report, "SMALL-101", subject="e")


def test_licence_kinds_used_by_the_profiles_are_certificate_kinds() -> None:
    for profile in PROVINCES:
        for duty in parsed(profile, "SMALL-101", "certificates").values():
            assert set(duty.kinds) <= {LicenceKind.WORKSHOP_REGISTRATION,
                                       LicenceKind.EATERY_REGISTRATION,
                                       LicenceKind.VENDOR_FILING}


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("profile", ["demo", "shandong", "henan", "chongqing"])
def test_no_rule_fails_on_generated_bundles_and_order_does_not_matter(profile: str) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fsrules.testing.strategies import fact_bundles

    county = REGION[profile]

    @settings(max_examples=10, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(bundle=fact_bundles(region_codes=st.just(county), max_regions=1, min_operators=2,
                               max_operators=8))
    def check(bundle: Any) -> None:
        report = run(profile, bundle.facts, as_of=bundle.as_of)
        again = run(profile, reversed(bundle.facts), as_of=bundle.as_of)
        assert report.to_json() == again.to_json()
        scoped = {f.id for f in report.derived if f.KIND == "small_scope"}
        assert {f.subject.id for f in report.findings} <= scoped

    check()


def test_vendor_observations_load_from_a_csv_with_chinese_headers(tmp_path: Path) -> None:
    (tmp_path / "摊贩经营巡查记录.csv").write_text(
        "编号,主体编号,巡查时间,经营地点,纬度,经度,在售食品,巡查人\n"
        "o1,v,2023/7/1 08:30,洺州镇集市,36.97,115.39,烤冷面、散装白酒,城管中队\n",
        encoding="utf-8")
    loaded = engine("hebei").load([tmp_path])
    assert loaded.errors == ()
    [obs] = loaded.facts
    assert isinstance(obs, VendorObservation)
    assert obs.observed_at == dt.datetime(2023, 7, 1, 8, 30)
    assert obs.products == ("烤冷面", "散装白酒")
    assert obs.fact_date == dt.date(2023, 7, 1)
    with pytest.raises(ValueError, match="latitude"):
        VendorObservation(id="x", operator_id="v", observed_at=dt.datetime(2023, 1, 1),
                          latitude=91.0)
