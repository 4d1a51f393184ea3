"""``fsrules rules``, ``explain`` and ``plugins``: the commands that show the catalogue.

The texts come from :mod:`fsrules._render`; the group, the shared options and
the error boundary are in :mod:`fsrules.cli`, which imports this module when
one of these commands is asked for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from fsrules import cli
from fsrules._i18n import Lang, Text
from fsrules._render import render_catalogue, render_explanation
from fsrules.cli import (
    _PROFILE_HELP,
    DATE,
    EXIT_FAILURE,
    EXIT_INPUT,
    _boundary,
    _check_profile,
    _err,
    _exit,
    _prepare,
    _ruleset_option,
    _State,
    _terminal_width,
    main,
)

__all__ = ["explain", "plugins", "rules"]


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成 / done
  2  规则集或配置文件不存在 / unknown ruleset or profile
  3  插件加载失败（--strict）或参数配置错误 / plugin or parameter error""", help=(
    "列出规则目录。 List the rule catalogue.\n\n"
    "\b\n每条规则：编号、版本、规则集、类型、严重程度、标题、读取的事实、\n"
    "法律依据（含可信度）、参数（类型、单位、可信度、配置文件中的取值）、\n"
    "牵头/责任单位、有效期。\n\n"
    "Each rule: id, version, ruleset, kind, severity, title, facts read, legal basis "
    "(with confidence), parameters (type, unit, confidence, value in the profile), "
    "lead/responsible departments, validity."))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]),
              default="table", show_default=True, help="输出格式。 Output format.")
@_ruleset_option
@click.option("--profile", default="national", show_default=True, metavar="NAME|FILE",
              help="参数取值所用的配置文件。 Profile the parameter values come from.")
@click.option("--as-of", "as_of", type=DATE,
              help="参数取值日期；默认取各参数的最新值。 Date of the parameter values; "
                   "default: each parameter's latest value.")
@click.pass_obj
@_boundary
def rules(state: _State, fmt: str, rulesets: tuple[str, ...], profile: str,
          as_of: dt.date | None) -> None:
    """``fsrules rules``: the catalogue (see :func:`fsrules._catalogue.render_catalogue`)."""
    engine, profile, _ = _prepare(state, profile)
    _check_profile(engine, profile)
    text = render_catalogue(engine, fmt, profile=profile, as_of=as_of, lang=state.lang,
                            rulesets=list(rulesets) or None, width=_terminal_width())
    click.echo(text, nl=False)


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成 / done
  2  规则或配置文件不存在 / unknown rule or profile
  3  插件加载失败（--strict）或参数配置错误 / plugin or parameter error""", help=(
    "说明一条规则的全部信息。 Explain one rule in full.\n\n"
    "\b\n标题、说明、法律依据（含可信度和备注）、读取/产出的事实、\n"
    "各参数在配置文件中的取值、来源、生效日期、备注和可信度。\n"
    "可信度为 M 或 ? 的参数会明确标出由哪个配置文件设定；缺失的参数给出修改方法。\n"
    "不给 --as-of 时取该规则参数值中最晚的生效日期。\n\n"
    "Titles, description, legal basis (with confidence and notes), facts read and "
    "produced, each parameter's value in the profile with its source, effective date, "
    "note and confidence. M and ? values say which profile sets them; a missing value "
    "says how to set it."))
@click.argument("rule_id", metavar="RULE_ID")
@click.option("--profile", default="national", show_default=True, metavar="NAME|FILE",
              help=_PROFILE_HELP)
@click.option("--as-of", "as_of", type=DATE,
              help="参数取值日期；默认为该规则参数值中最晚的生效日期（均无日期时任意日期结果相同）。 "
                   "Date of the parameter values; default: the latest effective date among "
                   "the rule's parameter values (undated values are the same on any day).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式。 Output format.")
@click.pass_obj
@_boundary
def explain(state: _State, rule_id: str, profile: str, as_of: dt.date | None, fmt: str
            ) -> None:
    """``fsrules explain``: one rule in full; unknown ids exit 2 with suggestions."""
    lang = state.lang
    engine, profile, _ = _prepare(state, profile)
    _check_profile(engine, profile)
    known = engine.rules
    if rule_id not in known and rule_id.upper() in known:
        rule_id = rule_id.upper()
    if rule_id not in known:
        close = difflib.get_close_matches(rule_id.upper(), list(known), n=5, cutoff=0.5)
        prefix = rule_id.upper().split("-")[0]
        close += [r for r in known if r.split("-")[0] == prefix and r not in close]
        hint = "、".join(close[:5]) if lang == "zh" else ", ".join(close[:5])
        _err(Text(f"错误：没有编号为 {rule_id} 的规则。"
                  + (f"是否要找：{hint}？" if close else "") + "运行 fsrules rules 查看全部规则。",
                  f"error: no rule {rule_id!r}."
                  + (f" Did you mean: {hint}?" if close else "")
                  + " Run `fsrules rules` to list them.").get(lang))
        raise _exit(EXIT_INPUT)
    click.echo(render_explanation(engine, rule_id, fmt, profile=profile, as_of=as_of,
                                  lang=lang), nl=False)


@main.command(epilog="""\b
退出码 / exit codes:
  0  所有插件加载成功 / every plugin loaded
  3  有插件加载失败 / a plugin failed to load""", help=(
    "列出插件及其规则集。 List the plugins and their rulesets.\n\n"
    "\b\n名称、版本、发行包、是否内置、规则集、规则数、加载错误。\n"
    "环境变量 FSRULES_PLUGINS（逗号分隔的入口点名称）限定加载哪些插件。\n\n"
    "Name, version, distribution, built-in or not, rulesets, rule count, load error. "
    "FSRULES_PLUGINS (comma-separated entry-point names) restricts which plugins load."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="输出格式。 Output format.")
@click.pass_obj
@_boundary
def plugins(state: _State, fmt: str) -> None:
    """``fsrules plugins``: what loaded; exit 3 when a plugin failed."""
    lang = state.lang
    engine = cli.make_engine("national", state.strict)
    infos = engine.plugins
    rows = [{"name": p.name, "version": p.version, "distribution": p.distribution,
             "builtin": p.builtin, "rulesets": list(p.rulesets), "rule_count": p.rule_count,
             "error": p.error} for p in infos]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, sort_keys=True, indent=2))
    else:
        click.echo(_plugins_table(rows, lang), nl=False)
    failed = [p for p in infos if p.error]
    if failed:
        _err(Text(f"{len(failed)} 个插件加载失败：", f"{len(failed)} plugin(s) failed to load: "
                  ).get(lang) + ", ".join(p.name for p in failed))
        raise _exit(EXIT_FAILURE)


def _plugins_table(rows: Sequence[dict[str, Any]], lang: Lang) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    heads = (("名称", "Name"), ("版本", "Version"), ("发行包", "Distribution"),
             ("内置", "Built-in"), ("规则集", "Rulesets"), ("规则数", "Rules"),
             ("错误", "Error"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for zh_head, en_head in heads:
        table.add_column(zh_head if zh else en_head)
    yes, no = ("是", "否") if zh else ("yes", "no")
    for row in rows:
        table.add_row(*(RichText(str(c)) for c in (
            row["name"], row["version"], row["distribution"] or "-",
            yes if row["builtin"] else no, ", ".join(row["rulesets"]) or "-",
            row["rule_count"], row["error"] or "-")))
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=False, no_color=True, color_system=None,
            width=_terminal_width(), highlight=False, markup=False, emoji=False,
            _environ={}).print(table)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
