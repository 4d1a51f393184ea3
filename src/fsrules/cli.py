"""The ``fsrules`` command line.

Commands: ``check`` (evaluate bundles and write a report), ``validate``
(load only), ``rules`` (the catalogue), ``explain`` (one rule in full),
``plugins`` and ``demo``. The CLI is the only part of fsrules that prints;
library errors (:class:`~fsrules.exceptions.FsrulesError`) are turned into
one line on stderr and an exit code here:

* 0 — completed, nothing at or above ``--fail-on``;
* 1 — findings at or above ``--fail-on``;
* 2 — usage or input errors;
* 3 — a rule or plugin failed.

Nothing reads the clock: ``check`` requires ``--as-of``. Tests replace
:func:`make_engine` to run the commands with plugins passed in code.

This module holds the group, its options, the error boundary and the helpers
the commands share. The commands live by concept in their own modules
(:data:`_COMMAND_MODULES`): ``check``, ``validate`` and ``demo`` in
:mod:`fsrules._cli_check`, ``rules``, ``explain`` and ``plugins`` in
:mod:`fsrules._cli_catalogue`, ``diff``, ``history`` and ``coverage`` in
:mod:`fsrules.lifecycle.commands`, ``watch`` in :mod:`fsrules._cli_live`. The
group imports a command's module only when that command is asked for (all of
them for ``--help``), so ``fsrules check`` starts without the catalogue
renderings, the history store or the live monitor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ParamSpec, TypeVar

import attrs
import click

from fsrules._cli_text import error_message, os_error_text, show_click_error
from fsrules._config import (
    LocalProfile,
    Override,
    ProjectConfig,
    find_config,
    is_profile_file,
    load_config,
    plugin_profile_overrides,
    read_local_profile,
    verified_overrides,
)
from fsrules._engine import Engine
from fsrules._i18n import Lang, Text
from fsrules._version import __version__
from fsrules.exceptions import (
    ConfigError,
    DuplicateRegistrationError,
    FsrulesError,
    IdentifierError,
    InputError,
    ParameterError,
    PluginLoadError,
    RuleDefinitionError,
    UnknownFactKindError,
    UnknownProfileError,
    UnknownRuleError,
    UnknownRulesetError,
)

__all__ = ["DEMO_AS_OF", "main", "make_engine"]

P = ParamSpec("P")
R = TypeVar("R")

#: The evaluation date of ``fsrules demo`` when ``--as-of`` is not given.
DEMO_AS_OF = dt.date(2023, 12, 31)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_FAILURE = 0, 1, 2, 3

_SEVERITIES = ("info", "low", "medium", "high", "critical", "none")
_TEXT_WIDTH = 140


def make_engine(profile: str, strict: bool, plugins: Sequence[object] = ()) -> Engine:
    """The engine every command uses: built-ins plus the installed plugins.

    ``FSRULES_PLUGINS`` restricts which entry points load; ``strict`` makes
    a plugin that fails to load an error (exit 3) instead of a diagnostic.
    ``plugins`` are extra plugin objects (local profile files). Tests
    monkeypatch this function to pass plugins in code.
    """
    return Engine.default(profile, strict=strict, plugins=plugins)


@attrs.frozen
class _State:
    """The group's options, handed to every command."""

    lang: Lang
    strict: bool
    config: ProjectConfig | None = None


# --------------------------------------------------------------------------- helpers


def _lang(ctx: click.Context | None = None) -> Lang:
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is not None:
        state = ctx.find_object(_State)
        if state is not None:
            return state.lang
        lang = ctx.find_root().params.get("lang")
        if lang in ("zh", "en"):
            return "en" if lang == "en" else "zh"
    return "en" if os.environ.get("FSRULES_LANG") == "en" else "zh"


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _err(message: str) -> None:
    click.echo(message, err=True)


def _exit(code: int) -> click.exceptions.Exit:
    return click.exceptions.Exit(code)


_ERROR_LABELS: tuple[tuple[type[FsrulesError], Text, int], ...] = (
    (UnknownRuleError, Text("规则不存在", "unknown rule"), EXIT_INPUT),
    (UnknownRulesetError, Text("规则集不存在", "unknown ruleset"), EXIT_INPUT),
    (UnknownProfileError, Text("配置文件（profile）不存在", "unknown profile"), EXIT_INPUT),
    (UnknownFactKindError, Text("事实类型不存在", "unknown fact kind"), EXIT_INPUT),
    (ConfigError, Text("配置错误", "configuration error"), EXIT_INPUT),
    (InputError, Text("输入错误", "input error"), EXIT_INPUT),
    (IdentifierError, Text("编码无效", "invalid identifier"), EXIT_INPUT),
    (PluginLoadError, Text("插件加载失败", "plugin failed to load"), EXIT_FAILURE),
    (DuplicateRegistrationError, Text("重复注册", "duplicate registration"), EXIT_FAILURE),
    (RuleDefinitionError, Text("规则定义错误", "rule definition error"), EXIT_FAILURE),
    (ParameterError, Text("参数配置错误", "parameter error"), EXIT_FAILURE),
)


def _classify(exc: FsrulesError) -> tuple[Text, int]:
    for cls, label, code in _ERROR_LABELS:
        if isinstance(exc, cls):
            return label, code
    return Text("错误", "error"), EXIT_FAILURE


def _boundary(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into one line on stderr and an exit code (no traceback).

    Usage and input problems exit 2, plugin and rule problems 3. An
    unexpected exception is a bug: one line and exit 3, or the traceback
    when ``FSRULES_DEBUG`` is set.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except FsrulesError as exc:
            lang = _lang()
            label, code = _classify(exc)
            message = error_message(exc, lang)
            _err(f"错误（{label.zh}）：{message}" if lang == "zh"
                 else f"error ({label.en}): {message}")
            raise _exit(code) from None
        except BrokenPipeError:
            # The reader went away (``fsrules rules | head``): stop quietly.
            with contextlib.suppress(Exception):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            raise _exit(EXIT_OK) from None
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            lang = _lang()
            _err(f"错误：无法读写文件{where}：{os_error_text(exc, lang)}" if lang == "zh"
                 else f"error: cannot read or write{where}: {os_error_text(exc, lang)}")
            raise _exit(EXIT_INPUT) from None
        except Exception as exc:
            if os.environ.get("FSRULES_DEBUG"):
                raise
            _err(f"内部错误（fsrules 或插件的缺陷）：{exc}（设置环境变量 FSRULES_DEBUG=1 查看详情，"
                 "并报告给维护者）"
                 if _lang() == "zh" else
                 f"internal error (a bug in fsrules or a plugin): {exc} (set FSRULES_DEBUG=1 "
                 "for the details, and report it)")
            raise _exit(EXIT_FAILURE) from None

    return wrapper


if TYPE_CHECKING:
    _DateBase = click.ParamType[dt.date]
else:  # click < 8.5: ParamType is not generic
    _DateBase = click.ParamType


class _DateType(_DateBase):
    """A calendar date written ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(Text(f"{value!r} 不是有效日期：请写成 YYYY-MM-DD，如 2023-12-31",
                           f"{value!r} is not a valid date: write YYYY-MM-DD, e.g. 2023-12-31"
                           ).get(_lang(ctx)), param, ctx)


DATE = _DateType()

_AS_OF_REQUIRED = Text(
    "必须指定 --as-of：fsrules 从不读取系统时钟，例如 --as-of 2023-12-31",
    "--as-of is required: fsrules never reads the clock; e.g. --as-of 2023-12-31",
)


def _reconciliation(total: int, accepted: int, rejected: int, lang: Lang) -> str:
    return Text(f"总计 {total} 条，接受 {accepted} 条，拒绝 {rejected} 条",
                f"total {total}, accepted {accepted}, rejected {rejected}").get(lang)


@contextlib.contextmanager
def _progress(message: Text, lang: Lang) -> Iterator[None]:
    """A spinner on stderr while ``message`` is going on, only when stderr is a terminal."""
    stderr = sys.stderr
    if not _isatty(stderr):
        yield
        return
    from rich.console import Console

    with Console(file=stderr).status(message.get(lang)):
        yield


def _terminal_width() -> int:
    if _isatty(sys.stdout):
        return shutil.get_terminal_size((_TEXT_WIDTH, 40)).columns
    return _TEXT_WIDTH


def _check_profile(engine: Engine, profile: str) -> None:
    engine.profile(profile)  # UnknownProfileError (exit 2) before any work is done


def _prepare(state: _State, profile: str) -> tuple[Engine, str, list[Override]]:
    """The engine and profile for ``--profile`` (a profile name or a local ``.toml`` file).

    The project config's ``[parameters]`` go on top as one more profile.
    Changed verified thresholds must be acknowledged in the file that
    changes them (:func:`fsrules._config.verified_overrides`).
    """
    local: list[LocalProfile] = []
    name = profile
    if is_profile_file(profile):
        local.append(read_local_profile(Path(profile)))
        name = local[-1].profile.name
    extra = state.config.overrides_profile(name) if state.config is not None else None
    if extra is not None:
        local.append(extra)
        name = extra.profile.name
    if not local:
        engine = make_engine(name, state.strict)
    else:
        try:
            engine = make_engine(name, state.strict, [item.plugin() for item in local])
        except (ParameterError, DuplicateRegistrationError) as exc:
            source = local[0].profile.source
            raise ConfigError(f"{source}: {exc}", source=source,
                              zh=f"{source}：配置无效：{exc}") from None
    overrides = [o for item in local for o in verified_overrides(engine, item)]
    if name in engine.profiles:  # an unknown name is reported by the command (exit 2)
        overrides += plugin_profile_overrides(engine, name, [i.profile.name for i in local])
    return engine, name, overrides



# --------------------------------------------------------------------------- help texts

_EXIT_CODES = """\b
退出码 / exit codes:
  0  完成，没有达到 --fail-on 的问题 / completed, nothing at or above --fail-on
  1  有达到 --fail-on 的问题 / findings at or above --fail-on
  2  用法或输入错误 / usage or input errors
  3  规则或插件出错 / a rule or plugin failed"""

_CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_FORMAT_HELP = ("输出格式：table、json、jsonl、csv、xlsx 或插件注册的格式；默认 table，"
                "或按 -o 的扩展名推断。 Output format: table, json, jsonl, csv, xlsx or any "
                "format a plugin registers; default table, or from the -o extension.")
_PROFILE_HELP = ("参数配置文件（profile）：名称如 national、hebei，或本地 .toml 文件（extends 一个"
                 "内置配置文件）。 Parameter profile: a name such as national or hebei, or a "
                 "local .toml file that extends one.")
_FAIL_ON_HELP = ("有该级别及以上的问题时退出码为 1；none 表示从不。 Exit 1 when there are "
                 "findings of this severity or worse; none: never.")


def _ruleset_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--ruleset", "rulesets", multiple=True, metavar="ID",
                        help="只运行（列出）该规则集，可重复。 Only this ruleset; repeatable.")(func)


# --------------------------------------------------------------------------- commands

_HELP_OPTION_HELP = "显示帮助并退出。 Show this help and exit."


class _Command(click.Command):
    """A command whose ``--help`` option is described in both languages."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP_OPTION_HELP
        return option


class _Group(click.Group):
    """The ``fsrules`` group: bilingual ``--help``, commands of :class:`_Command`.

    Click's own usage errors are printed in the run's language
    (:func:`fsrules._cli_text.show_click_error`).
    """

    command_class = _Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        run: Any = super().main  # click types main() with overloads on standalone_mode
        if not kwargs.pop("standalone_mode", True):
            return run(*args, standalone_mode=False, **kwargs)
        try:
            result = run(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            show_click_error(exc, _lang(getattr(exc, "ctx", None)))
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _err(Text("已中止。", "Aborted!").get(_lang()))
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP_OPTION_HELP
        return option


#: The module that defines each command of ``fsrules`` (it registers the
#: command on :func:`main` when imported).
_COMMAND_MODULES: dict[str, str] = {
    "check": "fsrules._cli_check",
    "demo": "fsrules._cli_check",
    "validate": "fsrules._cli_check",
    "explain": "fsrules._cli_catalogue",
    "plugins": "fsrules._cli_catalogue",
    "rules": "fsrules._cli_catalogue",
    "coverage": "fsrules.lifecycle.commands",
    "diff": "fsrules.lifecycle.commands",
    "history": "fsrules.lifecycle.commands",
    "watch": "fsrules._cli_live",
}


def _import_commands() -> None:
    for module in sorted(set(_COMMAND_MODULES.values())):
        importlib.import_module(module)


class _MainGroup(_Group):
    """The top group: a command's module is imported when the command is asked for.

    Listing the commands (``--help``, completion, the suggestions for an
    unknown name) imports them all, so what is listed never changes.
    """

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _COMMAND_MODULES.get(cmd_name)
        if module is None:
            _import_commands()
        else:
            importlib.import_module(module)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _import_commands()
        return super().list_commands(ctx)


@click.group(
    "fsrules",
    cls=_MainGroup,
    context_settings=_CONTEXT,
    epilog=_EXIT_CODES,
    help="fsrules：把食品安全监管规则变成代码，输入事实，输出问题清单。\n\n"
         "\b\n--as-of 必填于 check：fsrules 从不读取系统时钟。\n"
         "--lang 或环境变量 FSRULES_LANG 选择输出语言；NO_COLOR 关闭颜色。\n\n"
         "fsrules: China's food-safety supervision rules as code; facts in, findings "
         "with legal basis out. check requires --as-of: fsrules never reads the clock. "
         "--lang or FSRULES_LANG picks the output language; NO_COLOR turns colour off.",
)
@click.version_option(__version__, "--version", prog_name="fsrules",
                      message="%(prog)s %(version)s",
                      help="显示版本并退出。 Show the version and exit.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              envvar="FSRULES_LANG", show_envvar=True,
              help="输出语言。 Output language.")
@click.option("--strict", is_flag=True,
              help="插件加载失败即报错退出（退出码 3）。 Make a plugin that fails to load "
                   "fatal (exit 3).")
@click.option("--config", "config_path", metavar="FILE",
              help="项目配置文件；默认在当前目录及其上级目录查找 fsrules.toml 或 pyproject.toml 的 "
                   "[tool.fsrules]。 Project config; default: fsrules.toml, or [tool.fsrules] in "
                   "pyproject.toml, in the working directory or the nearest parent.")
@click.pass_context
def main(ctx: click.Context, lang: str, strict: bool, config_path: str | None) -> None:
    """The ``fsrules`` command group."""
    chosen: Lang = "en" if lang == "en" else "zh"
    ctx.obj = _State(lang=chosen, strict=strict)
    try:
        path = Path(config_path) if config_path else find_config(Path.cwd())
    except OSError:  # the working directory is gone or unreadable: no project config
        path = None
    if path is None:
        return
    try:
        config = load_config(path)
    except ConfigError as exc:
        _err(Text("错误（配置错误）：", "error (configuration error): ").get(chosen)
             + error_message(exc, chosen))
        raise _exit(EXIT_INPUT) from None
    if config.lang and ctx.get_parameter_source("lang") is click.core.ParameterSource.DEFAULT:
        chosen = "en" if config.lang == "en" else "zh"
    ctx.obj = _State(lang=chosen, strict=strict, config=config)
    defaults = config.defaults()
    ctx.default_map = {
        "check": defaults,
        "rules": {k: v for k, v in defaults.items() if k in ("profile", "rulesets")},
        "explain": {k: v for k, v in defaults.items() if k == "profile"},
    }


