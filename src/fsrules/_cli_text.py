"""One language per run (issue 13): the CLI's errors, click's own included, in Chinese or English.

Library exceptions carry English messages and structured attributes; here
the common ones are rendered in Chinese from those attributes, so that a
Chinese run never prints ``错误（规则集不存在）：unknown ruleset…``. Click's
own usage errors (missing argument, no such option, invalid value) are
rebuilt the same way from the exception's fields. No Python class name
reaches the user.
"""

from __future__ import annotations

import errno
import re
from typing import Any

import click

from fsrules._i18n import Lang
from fsrules.exceptions import (
    ConfigError,
    FsrulesError,
    UnknownFactKindError,
    UnknownProfileError,
    UnknownRuleError,
    UnknownRulesetError,
)

__all__ = ["error_message", "os_error_text", "show_click_error"]


def error_message(exc: FsrulesError, lang: Lang) -> str:
    """``exc``'s message in ``lang`` (English: the exception's own text)."""
    if lang == "en":
        return str(exc)
    known = "、".join(getattr(exc, "known", ())) or "（无）"
    if isinstance(exc, UnknownRulesetError):
        return f"没有规则集 {exc.ruleset_id}；已有的规则集：{known}"
    if isinstance(exc, UnknownProfileError):
        return (f"没有配置文件（profile）{exc.profile}；已有：{known}。本地配置文件请写文件路径，"
                "如 --profile ./county.toml")
    if isinstance(exc, UnknownRuleError):
        return f"没有编号为 {exc.rule_id} 的规则；运行 fsrules rules 查看全部规则"
    if isinstance(exc, UnknownFactKindError):
        return f"没有事实类型 {exc.kind}；已有的类型：{known}"
    if isinstance(exc, ConfigError) and exc.zh:
        return exc.zh
    return str(exc)


_CHOICE = re.compile(r"^'?(?P<value>.*?)'? is not one of (?P<choices>.*)\.$")
_NOT_VALID = re.compile(r"^'?(?P<value>.*?)'? is not a valid (?P<what>.*)\.$")


def _bad_value(message: str) -> str:
    match = _CHOICE.match(message)
    if match:
        choices = match["choices"].replace(" or ", ", ")
        return f"{match['value']!r} 不是可选值之一：{choices}"
    match = _NOT_VALID.match(message)
    if match:
        return f"{match['value']!r} 不是有效的 {match['what']}"
    return message


def _param_hint(exc: click.ClickException) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, list | tuple):
        return " / ".join(hint)
    if hint:
        return str(hint)
    if param is not None:
        if isinstance(param, click.Argument):
            return str(param.human_readable_name)
        return " / ".join(param.opts)
    return ""


def _zh(exc: click.ClickException) -> str:
    if isinstance(exc, click.MissingParameter):
        hint = _param_hint(exc)
        kind = "参数" if isinstance(exc.param, click.Argument) else "选项"
        return f"缺少{kind} {hint}".rstrip()
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += "；是否要找：" + "、".join(sorted(exc.possibilities))
        return text
    if isinstance(exc, click.BadParameter):
        hint = _param_hint(exc)
        return f"{hint} 的值无效：{_bad_value(exc.message)}" if hint else _bad_value(exc.message)
    if isinstance(exc, click.BadOptionUsage):
        return exc.message.replace("requires an argument", "需要一个值").replace(
            "Option", "选项")
    if isinstance(exc, click.UsageError):
        message = exc.message
        match = re.match(r"^No such command '(.+)'\.$", message)
        if match:
            return f"没有命令 {match.group(1)}"
        match = re.match(r"^Got unexpected extra arguments? \((.+)\)$", message)
        if match:
            return f"多余的参数：{match.group(1)}"
        return message
    return exc.format_message()


def show_click_error(exc: click.ClickException, lang: Lang) -> None:
    """Print a click error the way click does, in ``lang``."""
    help_only = getattr(click.exceptions, "NoArgsIsHelpError", None)  # click >= 8.2
    if lang == "en" or (help_only is not None and isinstance(exc, help_only)):
        exc.show()  # the (bilingual) help page itself
        return
    ctx: Any = getattr(exc, "ctx", None)
    if ctx is not None and isinstance(exc, click.UsageError):
        usage = ctx.get_usage()
        click.echo(usage.replace("Usage:", "用法：", 1), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            click.echo(f"运行 '{ctx.command_path} {ctx.help_option_names[0]}' 查看帮助。",
                       err=True)
        click.echo(err=True)
    click.echo(f"错误：{_zh(exc)}", err=True)


_OS_ERRORS_ZH = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_error_text(exc: OSError, lang: Lang) -> str:
    """What went wrong with a file, in ``lang`` (the OS's own text is English)."""
    if lang == "zh" and exc.errno in _OS_ERRORS_ZH:
        return _OS_ERRORS_ZH[exc.errno]
    return str(exc.strerror or exc)
