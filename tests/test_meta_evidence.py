"""Typed evidence (issue 12, item 2): every check rule declares its evidence type.

Evidence is data (codes, numbers, dates, ids), never localized text; titles and
messages are templates rendered in Chinese and English from it. The findings
checked are the demo county's and every scenario file's (tests/_meta.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from fsrules import (
    Engine,
    Finding,
    LegalBasis,
    Profile,
    Rule,
    RuleContext,
    Ruleset,
    Severity,
    Text,
    hookimpl,
    load_catalogue,
    rule,
)
from fsrules._i18n import placeholders
from fsrules._report import finding_to_dict
from fsrules._rules import ALL_EVIDENCE
from fsrules._templates import MESSAGE_BUILTINS
from fsrules._writers import finding_row
from fsrules.cli import main
from fsrules.evidence import (
    Code,
    display_properties,
    evidence,
    evidence_fields,
    json_schema,
    template_values,
    to_mapping,
)
from fsrules.exceptions import RuleDefinitionError, TemplateError
from fsrules.model import BusinessType, Operator

from ._meta import demo_findings, demo_findings_for, every_finding
from .conftest import REPO

#: Check rules that still hand ``ctx.finding`` a plain mapping. Remove a rule's id
#: when you give it an evidence type (``@rule(evidence=...)``); the goal is an empty list.
DICT_EVIDENCE: frozenset[str] = frozenset()

_LOCALIZED_KEY = re.compile(r"_(zh|en|text)$")
_UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")
_CJK = re.compile(r"[\u3400-\u9fff]+")
#: Chinese terms of art English messages keep (there is no good English word for them).
_TERMS_OF_ART = ("陪餐",)


def _checks() -> dict[str, Rule]:
    catalogue = load_catalogue(environ={})
    return {rid: r for rid, r in catalogue.rules.items() if not r.is_derivation}


def _typed() -> dict[str, Rule]:
    return {rid: r for rid, r in _checks().items() if r.evidence is not None}


def test_dict_evidence_lists_exactly_the_rules_without_an_evidence_type() -> None:
    untyped = {rid for rid, r in _checks().items() if r.evidence is None}
    assert sorted(untyped - DICT_EVIDENCE) == [], "declare @rule(evidence=...) for these"
    assert sorted(DICT_EVIDENCE - untyped) == [], "converted: remove them from DICT_EVIDENCE"


def test_every_placeholder_of_a_typed_rule_resolves() -> None:
    problems: list[str] = []
    for rid, r in sorted(_typed().items()):
        names = {p.name for p in r.parameters}
        fields = {f for t in r.evidence_types for f in (*evidence_fields(t),
                                                        *display_properties(t))}
        for lang in ("zh", "en"):
            problems += [f"{rid} title {{{p}}}" for p in placeholders(r.title.get(lang))
                         if p not in names]
            for _, text in (("", r.message), *r.messages):
                problems += [f"{rid} message {{{p}}}" for p in placeholders(text.get(lang))
                             if p not in {*MESSAGE_BUILTINS, *fields, *names}]
    assert problems == []


def test_identity_fields_are_in_the_evidence_type() -> None:
    problems = [f"{rid}: {key}" for rid, r in sorted(_typed().items())
                for key in r.identity or () if key != ALL_EVIDENCE
                and key not in evidence_fields(r.evidence_types[0])]
    assert problems == []


def test_no_evidence_type_holds_localized_text() -> None:
    problems = [f"{rid}: {t.__name__}.{f}" for rid, r in sorted(_typed().items())
                for t in r.evidence_types for f in evidence_fields(t)
                if _LOCALIZED_KEY.search(f)]
    assert problems == []


@pytest.fixture(scope="module")
def findings() -> tuple[Finding, ...]:
    return every_finding()


def test_every_typed_rule_fires_somewhere(findings: tuple[Finding, ...]) -> None:
    fired = {f.rule_id for f in findings}
    assert sorted(set(_typed()) - fired) == []


def test_no_finding_of_a_typed_rule_carries_localized_text(
        findings: tuple[Finding, ...]) -> None:
    typed = _typed()
    problems = sorted({f"{f.rule_id}: {k}" for f in findings if f.rule_id in typed
                       for k in _keys(f.evidence) if _LOCALIZED_KEY.search(k)})
    assert problems == []


def _keys(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _documented_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "docs" / "finding.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/finding", "$defs": schema["$defs"]})


def test_every_finding_validates_against_its_rule_evidence_schema(
        findings: tuple[Finding, ...]) -> None:
    validator = _documented_validator()
    typed = _typed()
    checked = 0
    for f in findings:
        if f.rule_id in typed and f.plugin.startswith("fsrules"):
            validator.validate(finding_to_dict(f))
            checked += 1
        schema = typed[f.rule_id].evidence if f.rule_id in typed else None
        if schema is not None:
            one = {"anyOf": [json_schema(t) for t in typed[f.rule_id].evidence_types]}
            jsonschema.Draft202012Validator(one).validate(dict(f.evidence))
    assert checked > 50


def test_the_demo_report_validates_against_the_documented_schema() -> None:
    validator = _documented_validator()
    for f in demo_findings():
        validator.validate(finding_to_dict(f))


def _en_leaks(f: Finding, r: Rule) -> list[str]:
    """CJK runs in the English message that neither its template nor the data explains.

    A Chinese gloss in brackets (``cold dishes (冷荤类)``, from a term list's
    English label) is allowed.
    """
    allowed = " ".join([*_TERMS_OF_ART, r.message.en, *(t.en for _, t in r.messages),
                        f.subject.name,
                        json.dumps(f.evidence, ensure_ascii=False)])
    def unglossed(value: str) -> str:
        return re.sub(r"\([^()]*\)", "", value)

    # The same brackets are taken out of the data: a certificate number such as
    # 冀食小作坊登字(威)第201900002号 then still explains its own runs.
    text = unglossed(f.message.en)
    return [run for run in _CJK.findall(text) if run not in allowed
            and run not in unglossed(allowed)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_languages_render_every_finding(findings: tuple[Finding, ...], lang: str) -> None:
    typed = _typed()
    problems: list[str] = []
    for f in findings:
        row = finding_row(f, lang)  # type: ignore[arg-type]
        for column in ("title", "message"):
            if not row[column].strip() or _UNFILLED.search(row[column]):
                problems.append(f"{f.rule_id} {lang} {column}: {row[column]!r}")
        if lang == "en" and f.rule_id in typed:
            problems += [f"{f.rule_id} en: {leak!r} in {f.message.en!r}"
                         for leak in _en_leaks(f, typed[f.rule_id])]
    assert problems == []


# --------------------------------------------------------------------------- the API itself


@evidence
class _Sample:
    indicator: str
    level: Code
    score: float | None = None
    status: str | None = None

    @property
    def note(self) -> Text:
        return Text("（无）", " (none)") if self.score is None else Text("", "")


def test_evidence_maps_codes_to_their_value_and_leaves_out_optional_nones() -> None:
    ev = _Sample(indicator="X1", level=Code("II", "重大", "major"))
    assert to_mapping(ev) == {"indicator": "X1", "level": Code("II", "重大", "major")}
    assert template_values(ev, "zh")["level"].__format__("") == "重大"
    assert str(template_values(ev, "en")["level"]) == "major"
    assert template_values(ev, "en")["note"] == " (none)"
    schema = json_schema(_Sample)
    assert schema["required"] == ["indicator", "level"]
    assert schema["properties"]["score"] == {"anyOf": [{"type": "number"}, {"type": "null"}]}


def _declare(**overrides: object) -> Rule:
    spec: dict[str, object] = {
        "id": "TEST-001", "version": "1", "title": ("标题", "Title"), "severity": Severity.LOW,
        "reads": ["region"], "legal_basis": [LegalBasis(instrument="测试")],
        "message": ("{subject}：{level}", "{subject}: {level}"), "lead": ["县市场监管局"],
        "grain": "region", "identity": ("indicator",), "evidence": _Sample}
    spec.update(overrides)

    def evaluate(ctx: RuleContext) -> Iterator[object]:
        yield from ()

    return rule(**spec)(evaluate)  # type: ignore[arg-type]


def test_templates_are_checked_when_the_rule_is_declared() -> None:
    assert _declare().evidence is _Sample
    with pytest.raises(RuleDefinitionError, match=r"\{levle\}"):
        _declare(message=("{subject}：{levle}", "{subject}: {level}"))
    with pytest.raises(RuleDefinitionError, match=r"en message for status 'no_data'.*\{oops\}"):
        _declare(messages={"no_data": ("无数据", "no data {oops}")})
    with pytest.raises(RuleDefinitionError, match=r"title.*\{min_score\}"):
        _declare(title=("低于{min_score}分", "below {min_score}"))
    with pytest.raises(RuleDefinitionError, match="identity names missing_key"):
        _declare(identity=("missing_key",))
    with pytest.raises(RuleDefinitionError, match="not a class made with"):
        _declare(evidence=dict)


def test_evidence_types_refuse_localized_and_unsupported_fields() -> None:
    with pytest.raises(RuleDefinitionError, match="localized text"):
        @evidence
        class _Bad:
            status_zh: str
    with pytest.raises(RuleDefinitionError, match="not allowed"):
        @evidence
        class _Worse:
            blob: bytes


def test_text_format_no_longer_keeps_an_unknown_placeholder() -> None:
    assert Text("{a}元", "{a} yuan").format(a=3) == Text("3元", "3 yuan")
    with pytest.raises(TemplateError, match=r"\{b\}"):
        Text("{a}{b}", "{a}").format(a=1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fsrules_check_renders_every_demo_finding_in_each_language(
        lang: str, tmp_path: Path) -> None:
    """``fsrules --lang zh|en check`` writes every finding of the demo, each fully rendered."""
    out = tmp_path / f"demo-{lang}.csv"
    result = CliRunner().invoke(main, [
        "--lang", lang, "check", str(REPO / "examples" / "weixian"), "--as-of", "2023-12-31",
        "--profile", "demo", "--format", "csv", "-o", str(out)],
        env={"FSRULES_PLUGINS": "", "FSRULES_LANG": None}, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    message = "问题描述" if lang == "zh" else "message"
    assert len(rows) == len(demo_findings_for("demo"))
    assert all(r[message].strip() and not _UNFILLED.search(r[message]) for r in rows)
    veto = next(r for r in rows if r["规则" if lang == "zh" else "rule_id"] == "VETO-005")
    assert ("未达到 98%" in veto[message]) if lang == "zh" else ("below 98%" in veto[message])



class _ExamplePlugin:
    """Registers the guide's example rule and a profile setting its parameter."""

    def __init__(self, example: Rule) -> None:
        self.example = example

    @hookimpl
    def fsrules_register_rulesets(self, register: Callable[[Ruleset], None]) -> None:
        register(Ruleset(id="docs-example", version="1", title=("示例", "Example"),
                         rules=[self.example]))

    @hookimpl
    def fsrules_register_profiles(self, register: Callable[[Profile], None]) -> None:
        register(Profile.from_mapping({"name": "docs-example", "extends": "national"},
                                      {"XC-009": {"max_days": 30}}))


def test_the_plugin_guide_example_declares_renders_and_validates() -> None:
    """The typed-evidence example of docs/plugins.md runs as written."""
    text = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- evidence-example[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/plugins.md lost its evidence-example block"
    module = types.ModuleType("fsrules_docs_evidence_example")
    sys.modules[module.__name__] = module
    try:
        exec(compile(found.group(1), "docs/plugins.md", "exec"), module.__dict__)
        example = module.__dict__["stale_licence"]
        assert isinstance(example, Rule)
        engine = Engine(profile="docs-example", plugins=[_ExamplePlugin(example)])
        op = Operator(id="op1", name="威县小吃店（停业）", region_code="130533",
                      business_type=BusinessType.SELLER)
        report = engine.evaluate([op], as_of=dt.date(2023, 12, 31), rulesets=["docs-example"])
    finally:
        del sys.modules[module.__name__]
    [finding] = report.findings
    assert finding.evidence == {"licence_id": "JYop1", "status": "closed", "days_overdue": 31,
                                "inspected_on": None}
    assert finding.title == Text("许可证逾期30天未注销", "Licence not cancelled 30 days on")
    assert finding.message.zh == "威县小吃店（停业）：许可证 JYop1 已停业，逾期 31 天（从未检查）。"
    assert finding.message.en == ("威县小吃店（停业）: licence JYop1 is closed, 31 days overdue "
                                  "(never inspected).")
    schema = json_schema(module.__dict__["StaleLicenceEvidence"])
    jsonschema.Draft202012Validator(schema).validate(dict(finding.evidence))


def test_explain_and_the_catalogue_show_evidence_fields_and_message_variants() -> None:
    from fsrules._render import explanation_dict, render_explanation

    engine = Engine(profile="national")
    info = explanation_dict(engine, "VETO-004")
    assert {"name": "score", "type": "float | None = None"} in info["evidence"]
    assert {"name": "indicator", "type": "str"} in info["evidence"]
    assert "没有满意度测评数据" in info["messages"]["no_data"]["zh"]
    assert info["title"]["zh"] == "群众食品安全满意度未达到80分"  # resolved, not {min_score}
    text = render_explanation(engine, "VETO-004", "text", lang="en")
    assert "Evidence fields:" in text and "  status = no_data:" in text
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "- 证据 / Evidence: `indicator` (str), `status` (str \\| None = None)" in docs
