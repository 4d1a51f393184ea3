"""The rule catalogue, rule explanations and the CLI reference, rendered as text.

These functions return strings and never print: the CLI echoes them, and
the docs generator writes them to ``docs/rules.md`` and ``docs/cli.md``.
Every rendering is deterministic (sorted, fixed width, no clock, no
version numbers that change between releases unless they are the rules').
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fsrules._engine import Engine
from fsrules._i18n import Lang, Text
from fsrules._params import DatedValue, ResolvedParam, parse_values
from fsrules._rules import Confidence, Param, Rule, RuleKind
from fsrules._templates import evidence_outline, resolved_title
from fsrules.exceptions import MissingParameterError, ParameterError, UnknownRulesetError
from fsrules.model import Severity

__all__ = [
    "CATALOGUE_FORMATS",
    "catalogue_entries",
    "default_explain_date",
    "explanation_dict",
    "render_catalogue",
    "render_cli_reference",
    "render_explanation",
]

#: Formats :func:`render_catalogue` accepts.
CATALOGUE_FORMATS = ("table", "json", "markdown")

_CONFIDENCE = {
    "V": Text("已核实原文", "verified in the primary text"),
    "C": Text("已佐证", "corroborated"),
    "M": Text("仅凭记忆", "from memory"),
    "?": Text("未找到出处", "not found"),
}


def _show(value: Any) -> str:
    """A parameter value as one line of text."""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else {"zh": t.zh, "en": t.en}


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _profile_of(source: str) -> str | None:
    """``"profile:national"`` → ``"national"``; None for ruleset defaults."""
    kind, _, name = source.partition(":")
    return name if kind == "profile" else None


def _fix_text(rule_id: str, name: str, profile: str) -> Text:
    return Text(f'在配置文件（profile）{profile} 中设置 [parameters."{rule_id}"] {name} = …',
                f'set [parameters."{rule_id}"] {name} = … in profile {profile}')


def _confidence_note(param: Param, source: str) -> Text | None:
    """The warning shown for a value the regulations do not pin down (M or ?)."""
    if not param.confidence.needs_profile:
        return None
    where = _profile_of(source) or source
    if param.confidence is Confidence.MEMORY:
        return Text(f"该值法规未明确/仅凭记忆（M），由配置文件 {where} 设定",
                    f"from memory (M): set by profile {where}")
    return Text(f"该值法规未明确（?），由配置文件 {where} 设定",
                f"not found in the regulations (?): set by profile {where}")


def _param_entry(engine: Engine, rule: Rule, param: Param, on: dt.date, profile: str
                 ) -> dict[str, Any]:
    """A parameter and its value under ``profile`` on ``on`` (JSON-ready)."""
    entry: dict[str, Any] = {
        "name": param.name,
        "type": param.type,
        "unit": param.unit,
        "confidence": param.confidence.value,
        "description": _text(param.description),
        "value": None,
        "source": None,
        "effective_from": None,
        "note": "",
        "missing": False,
        "problem": None,
        "confidence_note": None,
    }
    try:
        resolved: ResolvedParam = engine.resolve_param(rule, param.name, on, profile)
    except ParameterError as exc:
        missing = isinstance(exc, MissingParameterError)
        entry["missing"] = missing
        entry["problem"] = {
            "message": (_text(Text("缺失：没有任何配置文件设定该值", "missing: no profile sets it"))
                        if missing else {"zh": str(exc), "en": str(exc)}),
            "fix": _text(_fix_text(rule.id, param.name, profile)),
        }
        return entry
    entry.update(
        value=_jsonable(resolved.value),
        source=resolved.source,
        effective_from=_date(resolved.effective_from),
        note=resolved.note,
        confidence_note=_text(_confidence_note(param, resolved.source)),
    )
    return entry


def _resolution_day(as_of: dt.date | None) -> dt.date:
    # No date: the latest value of every parameter (the one whose start is the
    # latest), which is what resolving on the last representable day gives.
    return dt.date.max if as_of is None else as_of


def catalogue_entries(
    engine: Engine,
    *,
    profile: str | None = None,
    as_of: dt.date | None = None,
    rulesets: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Every registered rule's metadata, sorted by id, as JSON-ready dicts.

    Parameter values are resolved under ``profile`` (default: the engine's)
    on ``as_of`` (``None``: each parameter's latest value). ``rulesets``
    restricts the catalogue to those rulesets.
    """
    prof = engine.profile(profile).name
    known = engine.rulesets
    for rid in rulesets or ():
        if rid not in known:
            raise UnknownRulesetError(rid, list(known))
    wanted = set(rulesets) if rulesets else None
    on = _resolution_day(as_of)
    entries = []
    for rule_id, rule in engine.rules.items():
        reg = engine.ruleset_of(rule_id)
        if wanted is not None and reg.ruleset.id not in wanted:
            continue
        params = [_param_entry(engine, rule, p, on, prof) for p in rule.parameters]
        entries.append({
            "id": rule.id,
            "version": rule.version,
            "ruleset": reg.ruleset.id,
            "ruleset_version": reg.ruleset.version,
            "plugin": reg.plugin,
            "kind": rule.kind.value,
            "severity": rule.severity.value,
            "title": _text(resolved_title(rule, params)),
            "description": _text(rule.description),
            "message": _text(rule.message),
            "messages": {status: _text(text) for status, text in rule.messages},
            "evidence": evidence_outline(rule),
            "reads": list(rule.reads),
            "produces": list(rule.produces),
            "legal_basis": [
                {"citation": {"zh": b.cite("zh"), "en": b.cite("en")},
                 "confidence": b.confidence.value, "note": b.note, "url": b.url}
                for b in rule.legal_basis
            ],
            "parameters": params,
            "departments": {"lead": list(rule.lead_departments),
                            "responsible": list(rule.responsible_departments)},
            "valid_from": _date(rule.valid_from),
            "valid_to": _date(rule.valid_to),
            "tags": list(rule.tags),
        })
    return entries


def _validity(entry: Mapping[str, Any], lang: Lang) -> str:
    start, end = entry["valid_from"], entry["valid_to"]
    if start is None and end is None:
        return "始终有效" if lang == "zh" else "always"
    return f"{start or '…'} – {end or '…'}"


def _severity_label(value: str, lang: Lang) -> str:
    return Severity.parse(value).zh if lang == "zh" else value


def _param_value(p: Mapping[str, Any], lang: Lang) -> str:
    if p["problem"] is not None:
        return p["problem"]["message"][lang]  # type: ignore[no-any-return]
    unit = f" {p['unit']}" if p["unit"] else ""
    return f"{_show(p['value'])}{unit}"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(entries: Sequence[Mapping[str, Any]], *, profile: str, as_of: dt.date | None
              ) -> str:
    when = as_of.isoformat() if as_of is not None else "各参数最新值 / latest value of each"
    out = [
        "# 规则目录 / Rule catalogue",
        "",
        "<!-- Generated by fsrules._catalogue.render_catalogue(engine, \"markdown\"); "
        "do not edit by hand. -->",
        "",
        f"配置文件 / Profile: `{profile}` · 参数取值日期 / Parameter values as of: {when}",
        "",
        "可信度 / Confidence: V 已核实原文 / verified in the primary text · C 已佐证 / "
        "corroborated · M 仅凭记忆 / from memory · ? 未找到出处 / not found. "
        "M 和 ? 的参数没有默认值，必须由配置文件设定 / M and ? parameters have no default: "
        "a profile must set them.",
        "",
        "| 规则 / Rule | 标题 / Title | 严重程度 / Severity | 类型 / Kind | 规则集 / Ruleset |",
        "| --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        anchor = e["id"].lower()
        out.append(
            f"| [{e['id']}](#{anchor}) | {_md(e['title']['zh'])} / {_md(e['title']['en'])} "
            f"| {_severity_label(e['severity'], 'zh')} ({e['severity']}) | {e['kind']} "
            f"| `{e['ruleset']}` |")
    for e in entries:
        out += [
            "",
            f"## {e['id']}",
            "",
            f"**{e['title']['zh']}** / {e['title']['en']}",
            "",
            f"- 版本 / Version: {e['version']}",
            f"- 规则集 / Ruleset: `{e['ruleset']}` {e['ruleset_version']}",
            f"- 类型 / Kind: {e['kind']}",
            f"- 严重程度 / Severity: {_severity_label(e['severity'], 'zh')} ({e['severity']})",
            "- 读取 / Reads: " + ", ".join(f"`{k}`" for k in e["reads"]),
        ]
        if e["produces"]:
            out.append("- 产出 / Produces: " + ", ".join(f"`{k}`" for k in e["produces"]))
        out.append(f"- 有效期 / Validity: {_validity(e, 'zh')} / {_validity(e, 'en')}")
        if e["departments"]["lead"]:
            out.append("- 牵头单位 / Lead: " + "、".join(e["departments"]["lead"]))
        if e["departments"]["responsible"]:
            out.append("- 责任单位 / Responsible: " + "、".join(e["departments"]["responsible"]))
        if e["tags"]:
            out.append("- 标签 / Tags: " + ", ".join(e["tags"]))
        if e["evidence"]:
            out.append("- 证据 / Evidence: " + ", ".join(
                f"`{x['name']}` ({_md(x['type'])})" for x in e["evidence"]))
        if e["description"]:
            out += ["", e["description"]["zh"], "", e["description"]["en"]]
        out += ["", "法律依据 / Legal basis:", "",
                "| 引用 / Citation | 可信度 / Confidence | 说明 / Note |", "| --- | --- | --- |"]
        for b in e["legal_basis"]:
            out.append(f"| {_md(b['citation']['zh'])} | {b['confidence']} | {_md(b['note'])} |")
        if e["parameters"]:
            out += ["", f"参数 / Parameters (`{profile}`):", "",
                    "| 参数 / Parameter | 类型 / Type | 可信度 / Confidence | 取值 / Value "
                    "| 来源 / Source | 说明 / Description |",
                    "| --- | --- | --- | --- | --- | --- |"]
            for p in e["parameters"]:
                if p["problem"] is not None:
                    value = (f"**{p['problem']['message']['zh']}** / "
                             f"{p['problem']['message']['en']}")
                    source = "-"
                else:
                    value = f"`{_md(_param_value(p, 'zh'))}`"
                    source = p["source"]
                    if p["effective_from"]:
                        source += f" (≥ {p['effective_from']})"
                description = f"{p['description']['zh']} / {p['description']['en']}"
                if p["note"]:
                    description += f"；{p['note']}"
                if p["confidence_note"]:
                    description += f"；**{p['confidence_note']['zh']}**"
                out.append(f"| `{p['name']}` | {p['type']} | {p['confidence']} | {value} "
                           f"| {_md(source)} | {_md(description)} |")
    out.append("")
    return "\n".join(out)


def _rich_to_text(renderable: Any, width: int) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, no_color=True, color_system=None,
                      width=width, highlight=False, emoji=False, markup=False,
                      force_jupyter=False, legacy_windows=False, _environ={})
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _table(entries: Sequence[Mapping[str, Any]], lang: Lang, width: int) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, show_edge=False)
    table.add_column("规则" if zh else "Rule", overflow="fold", min_width=20)
    table.add_column("标题" if zh else "Title", overflow="fold", ratio=3)
    table.add_column("法律依据" if zh else "Legal basis", overflow="fold", ratio=3)
    table.add_column("参数" if zh else "Parameters", overflow="fold", ratio=3)

    def label(zh_label: str, en_label: str, value: str) -> str:
        return f"{zh_label}：{value}" if zh else f"{en_label}: {value}"

    for e in entries:
        rule = "\n".join((e["id"], f"v{e['version']}", f"{e['ruleset']} · {e['kind']}",
                          _severity_label(e["severity"], lang)))
        about = [e["title"][lang], label("读取", "reads", ", ".join(e["reads"]))]
        if e["produces"]:
            about.append(label("产出", "produces", ", ".join(e["produces"])))
        if e["departments"]["lead"]:
            about.append(label("牵头", "lead", "、".join(e["departments"]["lead"])))
        if e["departments"]["responsible"]:
            about.append(label("责任", "responsible", "、".join(e["departments"]["responsible"])))
        about.append(label("有效期", "validity", _validity(e, lang)))
        legal = "\n".join(f"[{b['confidence']}] {b['citation'][lang]}" for b in e["legal_basis"])
        params = "\n".join(
            f"{p['name']} = {_param_value(p, lang)} ({p['type']}, {p['confidence']})"
            for p in e["parameters"]) or "-"
        table.add_row(RichText(rule), RichText("\n".join(about)), RichText(legal),
                      RichText(params))
    return _rich_to_text(table, width)


def render_catalogue(
    engine: Engine,
    fmt: str,
    *,
    profile: str | None = None,
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    rulesets: Sequence[str] | None = None,
    width: int = 140,
) -> str:
    """The rule catalogue as ``table`` (plain text), ``json`` or ``markdown``.

    Parameter values are those of ``profile`` (default: the engine's) on
    ``as_of`` (``None``: each parameter's latest value). Markdown is
    bilingual whatever ``lang`` is, and deterministic: ``docs/rules.md`` is
    ``render_catalogue(Engine(profile="national"), "markdown",
    profile="national", as_of=date(2023, 12, 31))``.

    Raises:
        ValueError: ``fmt`` is not one of :data:`CATALOGUE_FORMATS`.
        UnknownProfileError, UnknownRulesetError: as their names say.
    """
    if fmt not in CATALOGUE_FORMATS:
        raise ValueError(f"unknown catalogue format {fmt!r}; use one of "
                         f"{', '.join(CATALOGUE_FORMATS)}")
    prof = engine.profile(profile).name
    entries = catalogue_entries(engine, profile=prof, as_of=as_of, rulesets=rulesets)
    if fmt == "json":
        doc = {"profile": prof, "as_of": _date(as_of), "rules": entries}
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(entries, profile=prof, as_of=as_of)
    return _table(entries, lang, width)


# --------------------------------------------------------------------------- explain


def _profile_chain(engine: Engine, name: str) -> list[str]:
    chain: list[str] = []
    current: str | None = name
    while current is not None and current not in chain:
        chain.append(current)
        current = engine.profile(current).extends
    return chain


def _dated_values(engine: Engine, rule: Rule, profile: str) -> Iterable[DatedValue]:
    """Every value any source could give ``rule``'s parameters under ``profile``."""
    for name in _profile_chain(engine, profile):
        table = engine.profile(name).parameters.get(rule.id, {})
        for values in table.values():
            yield from values
    raw = engine.ruleset_of(rule.id).ruleset.defaults().get(rule.id, {})
    for param in rule.parameters:
        if param.name in raw:
            yield from parse_values(raw[param.name], source=f"{rule.id}.{param.name}")


def default_explain_date(engine: Engine, rule_id: str, profile: str | None = None
                         ) -> dt.date | None:
    """The date ``fsrules explain`` uses without ``--as-of``.

    The latest effective date among the rule's parameter values (in the
    profile chain and the ruleset defaults) and the rule's ``valid_from``;
    ``None`` when nothing is dated, i.e. the values are the same on any day.
    """
    rule = engine.rule(rule_id)
    prof = engine.profile(profile).name
    days = [v.effective_from for v in _dated_values(engine, rule, prof)
            if v.effective_from is not None]
    if rule.valid_from is not None:
        days.append(rule.valid_from)
    return max(days) if days else None


def explanation_dict(engine: Engine, rule_id: str, *, profile: str | None = None,
                     as_of: dt.date | None = None) -> dict[str, Any]:
    """Everything about one rule (JSON-ready): metadata, legal basis, resolved parameters.

    ``as_of`` ``None`` uses :func:`default_explain_date`.
    """
    rule = engine.rule(rule_id)
    prof = engine.profile(profile).name
    day = as_of if as_of is not None else default_explain_date(engine, rule_id, prof)
    explanation = engine.explain(rule_id, as_of=_resolution_day(day), profile=prof)
    entry = catalogue_entries(engine, profile=prof, as_of=day,
                              rulesets=[explanation.ruleset])
    (info,) = [e for e in entry if e["id"] == rule.id]
    info.update(
        profile=prof,
        as_of=_date(day),
        as_of_default=as_of is None,
        plugin_version=explanation.plugin_version,
    )
    return info


def _explain_text(info: Mapping[str, Any], lang: Lang) -> str:
    zh = lang == "zh"
    other: Lang = "en" if zh else "zh"
    lines = [f"{info['id']} v{info['version']} — {info['title'][lang]}",
             f"  {info['title'][other]}", ""]

    def field(zh_label: str, en_label: str, value: str) -> None:
        lines.append(f"{zh_label}：{value}" if zh else f"{en_label}: {value}")

    field("规则集", "Ruleset", f"{info['ruleset']} {info['ruleset_version']}"
          + (f"（插件 {info['plugin']} {info['plugin_version']}）" if zh
             else f" (plugin {info['plugin']} {info['plugin_version']})"))
    field("类型", "Kind", "推导规则（inference）" if zh and info["kind"] == RuleKind.INFERENCE.value
          else "检查规则（check）" if zh else info["kind"])
    field("严重程度", "Severity", f"{_severity_label(info['severity'], 'zh')}（{info['severity']}）"
          if zh else info["severity"])
    field("有效期", "Validity", _validity(info, lang))
    field("读取", "Reads", ", ".join(info["reads"]))
    if info["produces"]:
        field("产出", "Produces", ", ".join(info["produces"]))
    if info["departments"]["lead"]:
        field("牵头单位", "Lead department", "、".join(info["departments"]["lead"]))
    if info["departments"]["responsible"]:
        field("责任单位", "Responsible", "、".join(info["departments"]["responsible"]))
    if info["tags"]:
        field("标签", "Tags", ", ".join(info["tags"]))
    if info["description"]:
        lines += ["", "说明：" if zh else "Description:",
                  f"  {info['description'][lang]}", f"  {info['description'][other]}"]
    lines += ["", "消息模板：" if zh else "Message template:",
              f"  {info['message'][lang]}", f"  {info['message'][other]}"]
    for status, text in info["messages"].items():
        lines += [f"  status = {status}:", f"    {text[lang]}", f"    {text[other]}"]
    if info["evidence"]:
        lines += ["", "证据字段：" if zh else "Evidence fields:"]
        lines += [f"  {e['name']}: {e['type']}" for e in info["evidence"]]

    lines += ["", "法律依据：" if zh else "Legal basis:"]
    for n, b in enumerate(info["legal_basis"], start=1):
        conf = _CONFIDENCE[b["confidence"]].get(lang)
        lines.append(f"  {n}. {b['citation'][lang]}"
                     + (f"［可信度 {b['confidence']}：{conf}］" if zh
                        else f" [confidence {b['confidence']}: {conf}]"))
        if b["note"]:
            lines.append(f"     {'说明' if zh else 'note'}：{b['note']}" if zh
                         else f"     note: {b['note']}")
        if b["url"]:
            lines.append(f"     {b['url']}")

    if info["as_of"] is None:
        when = "任意日期（参数值均不随日期变化）" if zh else "any date (no parameter value is dated)"
    elif info["as_of_default"]:
        when = (f"{info['as_of']}（参数值最新的生效日期）" if zh
                else f"{info['as_of']} (the latest effective date of its parameter values)")
    else:
        when = info["as_of"]
    lines += ["", (f"参数（配置文件 {info['profile']}，取值日期 {when}）：" if zh
                   else f"Parameters (profile {info['profile']}, as of {when}):")]
    if not info["parameters"]:
        lines.append("  （无）" if zh else "  (none)")
    for p in info["parameters"]:
        conf = _CONFIDENCE[p["confidence"]].get(lang)
        unit = f"，单位 {p['unit']}" if zh and p["unit"] else f", unit {p['unit']}" if p["unit"] \
            else ""
        head = (f"类型 {p['type']}{unit}，可信度 {p['confidence']}（{conf}）" if zh
                else f"type {p['type']}{unit}, confidence {p['confidence']} ({conf})")
        if p["problem"] is not None:
            lines.append(f"  {p['name']}：{p['problem']['message'][lang]}（{head}）" if zh
                         else f"  {p['name']}: {p['problem']['message'][lang]} ({head})")
            lines.append(f"     {p['description'][lang]}")
            lines.append(("     修改方法：" if zh else "     fix: ") + p["problem"]["fix"][lang])
            continue
        lines.append(f"  {p['name']} = {_param_value(p, lang)}"
                     + (f"（{head}）" if zh else f" ({head})"))
        lines.append(f"     {p['description'][lang]}")
        since = p["effective_from"] or ("始终" if zh else "always")
        lines.append(f"     来源：{p['source']}；生效日期：{since}" if zh
                     else f"     source: {p['source']}; effective from: {since}")
        if p["note"]:
            lines.append(f"     备注：{p['note']}" if zh else f"     note: {p['note']}")
        if p["confidence_note"]:
            lines.append(f"     ⚠ {p['confidence_note'][lang]}")
    lines.append("")
    return "\n".join(lines)


def render_explanation(engine: Engine, rule_id: str, fmt: str = "text", *,
                       profile: str | None = None, as_of: dt.date | None = None,
                       lang: Lang = "zh") -> str:
    """Everything about one rule as ``text`` (in ``lang``) or ``json``.

    Raises:
        UnknownRuleError: no such rule.
        ValueError: ``fmt`` is neither ``text`` nor ``json``.
    """
    info = explanation_dict(engine, rule_id, profile=profile, as_of=as_of)
    if fmt == "json":
        return json.dumps(info, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown explanation format {fmt!r}; use text or json")
    return _explain_text(info, lang)


# --------------------------------------------------------------------------- CLI reference

_CLI_WIDTH = 100


def render_cli_reference() -> str:
    """``docs/cli.md``: the ``--help`` text of ``fsrules`` and each command, 100 columns wide.

    Deterministic: the width is fixed and nothing is read from the terminal
    or the environment.
    """
    import click

    from fsrules.cli import main

    settings = {**main.context_settings, "terminal_width": _CLI_WIDTH,
                "max_content_width": _CLI_WIDTH}
    root = click.Context(main, info_name="fsrules", **settings)
    parts = [
        "# 命令行参考 / CLI reference",
        "",
        "<!-- Generated by fsrules._catalogue.render_cli_reference(); do not edit by hand. -->",
        "",
        "## fsrules",
        "",
        "```text",
        main.get_help(root),
        "```",
    ]
    for name in main.list_commands(root):
        command = main.get_command(root, name)
        if command is None or command.hidden:
            continue
        ctx = click.Context(command, info_name=name, parent=root)
        parts += ["", f"## fsrules {name}", "", "```text", command.get_help(ctx), "```"]
    parts.append("")
    return "\n".join(parts)
