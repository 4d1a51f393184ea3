"""Docs cannot drift: generated documents match the code; every hook and rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fsrules import Engine, hookspecs
from fsrules._docs import GENERATED

from .conftest import REPO

DOCS = REPO / "docs"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_doc_is_current(name: str) -> None:
    path = DOCS / name
    assert path.exists(), f"docs/{name} is missing: run `make docs`"
    assert path.read_text(encoding="utf-8") == GENERATED[name](), (
        f"docs/{name} is stale: run `make docs`")


def test_every_registered_rule_is_in_the_catalogue(engine: Engine) -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule_id, rule in engine.rules.items():
        assert f"## {rule_id}" in text, rule_id
        for dept in (*rule.lead_departments, *rule.responsible_departments):
            assert dept in text


def test_every_hook_has_a_section_in_the_plugin_guide() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    hooks = [n for n in dir(hookspecs) if n.startswith("fsrules_")]
    assert len(hooks) == 5
    for hook in hooks:
        assert re.search(rf"^### `?{hook}`?\s*$", text, re.MULTILINE), hook


def test_glossary_covers_the_terms_the_code_keys_on() -> None:
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    for term in ("评价性抽检", "核查处置", "包保", "一票否决", "留样", "陪餐", "三小",
                 "统一社会信用代码", "行政区划代码", "牵头单位", "责任单位"):
        assert term in text, term


def test_readme_opens_with_the_two_commands() -> None:
    head = (REPO / "README.md").read_text(encoding="utf-8").split("\n\n")[1]
    assert "make demo" in head and "make test" in head


def test_included_files_in_docs_are_current() -> None:
    """docs/plugins.md quotes the real plugin files; `make docs` refreshes the quotes."""
    from fsrules._docs import WITH_INCLUDES, refresh_includes

    for name in WITH_INCLUDES:
        text = (DOCS / name).read_text(encoding="utf-8")
        assert text == refresh_includes(text, REPO), f"docs/{name} quotes stale files: make docs"


def test_sample_outputs_in_docs_are_current() -> None:
    """docs/getting-started.md shows what fsrules prints today (issue 13); `make docs` refreshes."""
    from fsrules._docs import WITH_OUTPUTS, generate

    current = generate(DOCS)
    for name in WITH_OUTPUTS:
        text = (DOCS / name).read_text(encoding="utf-8")
        assert "<!-- output: fsrules check exports/" in text
        assert text == current[name], f"docs/{name} shows stale output: run `make docs`"


def test_stale_sample_output_is_detected(tmp_path: Path) -> None:
    from fsrules._docs import refresh_outputs

    stale = ("<!-- output: fsrules validate exports/ --as-of 2023-12-31 -->\n```text\n"
             "总计 7 条\n```\n<!-- /output -->\n")
    fresh = refresh_outputs(stale, DOCS / "examples")
    assert fresh != stale and "总计 63 条，接受 63 条，拒绝 0 条" in fresh
