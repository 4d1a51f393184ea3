"""The CLI as a new user meets it (issue 13): one language, no internal names, honest docs."""

from __future__ import annotations

import json
import re

import pytest

from fsrules import Engine
from fsrules._catalogue import render_explanation

# What a user cannot look up: files of the fsrules repository and its research notes.
_REPOSITORY_REFERENCE = re.compile(r"regulations\.md|shared/|seeds/|domain/texts")


@pytest.mark.parametrize("profile", ["national", "demo"])
def test_explain_cites_instruments_never_repository_files(engine: Engine, profile: str) -> None:
    for rule_id in engine.rules:
        for fmt in ("text", "json"):
            for lang in ("zh", "en"):
                text = render_explanation(engine, rule_id, fmt, profile=profile, as_of=None,
                                          lang=lang)
                found = _REPOSITORY_REFERENCE.search(text)
                assert found is None, (rule_id, fmt, lang, found and found.group())


def test_explain_cites_instrument_article_and_date(engine: Engine) -> None:
    data = json.loads(render_explanation(engine, "VETO-005", "json", profile="national",
                                         as_of=None, lang="zh"))
    text = json.dumps(data, ensure_ascii=False)
    assert "《中华人民共和国食品安全法》" in text and "第八十七条" in text
    assert "2023-01-19" in text  # the county plan's date


def test_readme_explains_the_demo_and_check_counts(engine: Engine) -> None:
    """README states why `make demo` and `fsrules check examples/weixian` differ: keep it true."""
    import datetime as dt

    from .conftest import REPO

    bundle = REPO / "examples" / "weixian"
    day = dt.date(2023, 12, 31)
    national = engine.evaluate(engine.load([bundle], as_of=day), as_of=day)
    demo = engine.evaluate(engine.load([bundle], as_of=day), as_of=day, profile="demo")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Why `make demo`", 1)[1].split("## ", 1)[0]
    assert f"**{len(demo.findings)}** findings" in section
    assert f"reports **{len(national.findings)}**" in section
    assert "missing_parameter" in section
    skipped = [d.rule_id for d in national.diagnostics if d.code == "rule.missing_parameter"]
    assert "BAOBAO-004" in skipped and "BAOBAO-004" in section
