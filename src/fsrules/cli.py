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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import importlib.resources
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ParamSpec, TypeVar

import attrs
import click

from fsrules._catalogue import render_catalogue, render_explanation
from fsrules._cli_text import error_message, os_error_text, show_click_error
from fsrules._config import (
    LocalProfile,
    Override,
    ProjectConfig,
    annotate_report,
    find_config,
    is_profile_file,
    load_config,
    plugin_profile_overrides,
    read_local_profile,
    verified_overrides,
)
from fsrules._diagnostics import Diagnostic
from fsrules._engine import Engine
from fsrules._i18n import Lang, Text
from fsrules._report import Report
from fsrules._sanitize import safe_text
from fsrules._version import __version__
from fsrules._writers import OutputFormat
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
from fsrules.lifecycle.options import LifecycleOptions, lifecycle_options
from fsrules.model import Severity

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


def _choose_format(engine: Engine, name: str | None, output: str | None) -> OutputFormat:
    """The output format: ``--format``, else from the ``-o`` extension, else table.

    An ``-o`` extension that no format writes (``report.pdf``), or that
    differs from the ``--format`` given (``--format csv -o r.json``), is a
    usage error: the file would not hold what its name says (issue 13).
    """
    formats = engine.output_formats
    lang = _lang()
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    by_suffix = {f.extension: f for f in formats.values() if f.extension}
    if name is None and suffix:
        if suffix not in by_suffix:
            known = ", ".join(sorted(by_suffix))
            raise click.BadParameter(Text(
                f"无法按扩展名 {suffix} 确定输出格式：请用 {known} 之一，或用 --format 指定",
                f"no output format writes {suffix} files: use one of {known}, or give "
                "--format").get(lang), param_hint="'-o'")
        return by_suffix[suffix]
    name = name or "table"
    if name not in formats:
        raise click.BadParameter(
            Text(f"没有名为 {name!r} 的输出格式；可用：{', '.join(formats)}",
                 f"no output format {name!r}; available: {', '.join(formats)}").get(lang),
            param_hint="'--format'")
    fmt = formats[name]
    if suffix and fmt.extension and suffix != fmt.extension:
        raise click.BadParameter(Text(
            f"输出文件 {output} 的扩展名与格式 {fmt.name} 不符：请改用 {fmt.extension} 扩展名，"
            "或改用相应的 --format",
            f"output file {output} does not end in {fmt.extension}, the extension of format "
            f"{fmt.name}: rename it, or choose the matching --format").get(lang),
            param_hint="'-o'")
    return fmt


def _stdout_bytes() -> IO[bytes]:
    """The binary stream under ``sys.stdout`` (text written so far is flushed first)."""
    sys.stdout.flush()
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        raise click.UsageError(Text("标准输出不支持二进制写入：请用 -o 文件",
                                    "stdout takes no bytes here: use -o FILE").get(_lang()))
    return buffer


def _binary_to_terminal(fmt: OutputFormat, lang: Lang) -> click.UsageError:
    return click.UsageError(Text(
        f"{fmt.name} 是二进制格式，不能输出到终端：请用 -o 文件名{fmt.extension}",
        f"{fmt.name} is a binary format and cannot go to a terminal: use "
        f"-o FILE{fmt.extension}").get(lang))


def _write_report(fmt: OutputFormat, report: Report, lang: Lang, output: str | None) -> None:
    """Write the report to ``output`` (atomically) or to stdout."""
    if output is None or output == "-":
        stream = _stdout_bytes()
        if fmt.binary and _isatty(stream):
            raise _binary_to_terminal(fmt, lang)
        fmt.write(report, stream, lang)
        stream.flush()
        return
    path = Path(output)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as handle:
            fmt.write(report, handle, lang)
        os.replace(partial, path)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    finally:
        partial.unlink(missing_ok=True)


def _print_timings(report: Report, load_s: float, eval_s: float, lang: Lang) -> None:
    _err(f"耗时：加载 {load_s:.3f} 秒，评价 {eval_s:.3f} 秒" if lang == "zh"
         else f"time: load {load_s:.3f} s, evaluate {eval_s:.3f} s")
    for stat in report.rule_stats:
        _err(f"  {stat.rule_id:<28} {stat.seconds:9.4f} s  {stat.status}")


def _summary(report: Report, lang: Lang) -> str:
    sev = report.by_severity()
    # Reminders (info) are not problems: counted apart.
    info = sev.get(Severity.INFO.value, 0)
    total = len(report.findings) - info
    problems = [(s, n) for s, n in reversed(sev.items()) if n and s != Severity.INFO.value]
    if lang == "zh":
        per = "，".join(f"{Severity.parse(s).zh} {n}" for s, n in problems)
        return (f"问题 {total} 条" + (f"（{per}）" if per else "")
                + (f"，提示 {info} 条" if info else ""))
    per = ", ".join(f"{s} {n}" for s, n in problems)
    return (f"{total} finding(s)" + (f" ({per})" if per else "")
            + (f", {info} info" if info else ""))


def _run_check(
    state: _State,
    engine: Engine,
    paths: Sequence[str | os.PathLike[str]],
    *,
    rulesets: Sequence[str],
    profile: str,
    as_of: dt.date,
    fmt_name: str | None,
    output: str | None,
    fail_on: str,
    keep_going: bool,
    timings: bool,
    input_errors_exit: bool = True,
    overrides: Sequence[Override] = (),
    rule_budget: float | None = None,
    post: Callable[[Report, Sequence[Any]], Report] | None = None,
) -> int:
    """Load, (maybe) evaluate, write; return the exit code. Shared by check and demo.

    ``input_errors_exit`` False (the demo) keeps rejected records from
    turning the exit code into 2; they are still reported.
    """
    lang = state.lang
    _check_profile(engine, profile)
    if rulesets:
        engine.select_rules(rulesets, profile)  # UnknownRulesetError before loading
    fmt = _choose_format(engine, fmt_name, output)
    if rule_budget is not None:
        engine.rule_budget = rule_budget
    if fmt.binary and (output is None or output == "-") and _isatty(sys.stdout):
        raise _binary_to_terminal(fmt, lang)

    started = time.perf_counter()
    with _progress(Text("正在加载数据…", "loading…"), lang):
        loaded = engine.load(list(paths), as_of=as_of)
    load_s = time.perf_counter() - started
    if loaded.errors and not keep_going:
        errors: list[Diagnostic] = list(loaded.errors)
        for diag in errors:
            _err(safe_text(diag.render(lang), terminal=True))
        _err(_reconciliation(loaded.total, loaded.accepted, loaded.rejected, lang))
        _err(Text(f"输入有 {len(errors)} 处错误，未进行评价：请修正后重试，或加 --keep-going "
                  "只评价已接受的记录",
                  f"{len(errors)} input error(s); nothing was evaluated: fix them, or add "
                  "--keep-going to evaluate the accepted records").get(lang))
        return EXIT_INPUT

    started = time.perf_counter()
    with _progress(Text("正在评价…", "evaluating…"), lang):
        report = engine.evaluate(loaded, as_of=as_of, rulesets=list(rulesets) or None,
                                 profile=profile)
    eval_s = time.perf_counter() - started
    report = annotate_report(report, list(overrides))
    for diag in report.diagnostics:
        if diag.code == "profile.verified_override":
            _err(Text("警告：", "warning: ").get(lang) + diag.message.get(lang))
    if post is not None:  # baseline, waivers, history store (fsrules.lifecycle)
        report = post(report, loaded.facts)

    _write_report(fmt, report, lang, output)
    if loaded.rejected or loaded.errors:
        _err(_reconciliation(loaded.total, loaded.accepted, loaded.rejected, lang))
    if output is not None and output != "-":
        _err(Text(f"已写入 {output}：", f"wrote {output}: ").get(lang) + _summary(report, lang))
    if timings:
        _print_timings(report, load_s, eval_s, lang)
    code = report.exit_code(None if fail_on == "none" else fail_on)
    if code == EXIT_INPUT and not input_errors_exit:
        floor = None if fail_on == "none" else fail_on
        code = EXIT_FINDINGS if floor and report.findings_at_or_above(floor) else EXIT_OK
    return code


def _run_check_dask(state: _State, engine: Engine, paths: Sequence[str], address: str, *,
                    rulesets: Sequence[str], profile: str, as_of: dt.date,
                    fmt_name: str | None, output: str | None, fail_on: str,
                    keep_going: bool) -> int:
    """``check --dask``: evaluate county partitions on Dask, then report as ``check`` does."""
    from fsrules import distributed

    lang = state.lang
    _check_profile(engine, profile)
    if rulesets:
        engine.select_rules(rulesets, profile)
    fmt = _choose_format(engine, fmt_name, output)
    plan = engine.plan(profile=profile, as_of=as_of, rulesets=list(rulesets) or None)
    with _progress(Text("正在 Dask 上评价…", "evaluating on Dask…"), lang), \
            distributed.connect(address) as client:
        report = distributed.run(plan, paths[0] if len(paths) == 1 else list(paths), client,
                                 kinds=engine.fact_kinds)
    reconciliation = _reconciliation(report.input.total, report.input.accepted,
                                     report.input.rejected, lang)
    if report.input_errors and not keep_going:
        for diag in report.input_errors:
            _err(diag.render(lang))
        _err(reconciliation)
        return EXIT_INPUT
    _write_report(fmt, report, lang, output)
    if report.input.rejected or report.input_errors:
        _err(reconciliation)
    if output is not None and output != "-":
        _err(Text(f"已写入 {output}：", f"wrote {output}: ").get(lang) + _summary(report, lang))
    return report.exit_code(None if fail_on == "none" else fail_on)


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



@click.group(
    "fsrules",
    cls=_Group,
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


@main.command(epilog=_EXIT_CODES, help=(
    "检查数据包，输出问题清单。 Check fact bundles against the rules.\n\n"
    "\b\nPATH 是数据目录（每类事实一个 CSV、JSON Lines 或 XLSX 文件）或单个文件。\n"
    "输入有错误时列出每处错误（文件:行:字段）并以退出码 2 结束，不做评价，\n"
    "除非加 --keep-going。\n\n"
    "PATH is a bundle directory (one CSV, JSON Lines or XLSX file per fact kind) or a "
    "file. Input errors are listed (file:row:field) and nothing is evaluated (exit 2) "
    "unless --keep-going is given."))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_ruleset_option
@click.option("--profile", default="national", show_default=True, metavar="NAME|FILE",
              help=_PROFILE_HELP)
@click.option("--as-of", "as_of", type=DATE,
              help="评价日期（必填：fsrules 从不读取系统时钟）。 Evaluation date (required: "
                   "fsrules never reads the clock).")
@click.option("--format", "fmt_name", metavar="FORMAT", help=_FORMAT_HELP)
@click.option("-o", "--output", metavar="FILE",
              help="写入文件而不是标准输出。 Write to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="high", show_default=True,
              help=_FAIL_ON_HELP)
@click.option("--keep-going", is_flag=True,
              help="输入有错误时仍评价已接受的记录（退出码仍为 2）。 Evaluate the accepted "
                   "records despite input errors (the exit code is still 2).")
@click.option("--timings", is_flag=True,
              help="在标准错误输出各规则耗时。 Print per-rule timings on stderr.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="在 Dask 上按县分区评价（PATH 为各县数据目录所在的目录或一个多县数据目录）：local "
                   "启动本机 2 个工作进程（local:N 为 N 个），或调度器地址 tcp://HOST:8786。"
                   "需要 fsrules[dask]。 Evaluate county partitions on Dask (PATH: a folder of "
                   "county bundles, or one bundle of many counties): local starts 2 worker "
                   "processes (local:N for N), or a scheduler address tcp://HOST:8786. Needs "
                   "fsrules[dask].")
@click.option("--rule-budget", "rule_budget", type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS",
              help="每条规则的运行时限（秒，默认 60）；超时的规则记为诊断并放弃，其余规则照常运行。 "
                   "Seconds one rule may run (default 60); a rule over budget becomes a "
                   "diagnostic and the others still run.")
@lifecycle_options
@click.pass_obj
@_boundary
def check(state: _State, paths: tuple[str, ...], rulesets: tuple[str, ...], profile: str,
          as_of: dt.date | None, fmt_name: str | None, output: str | None, fail_on: str,
          keep_going: bool, timings: bool, dask_address: str | None,
          rule_budget: float | None, lifecycle: LifecycleOptions) -> None:
    """``fsrules check``: load, evaluate, write the report; exit 0/1/2/3."""
    if as_of is None:
        raise click.UsageError(_AS_OF_REQUIRED.get(state.lang))
    engine, name, overrides = _prepare(state, profile)
    if rule_budget is not None:
        engine.rule_budget = rule_budget
    if dask_address:
        raise _exit(_run_check_dask(state, engine, paths, dask_address, rulesets=rulesets,
                                    profile=name, as_of=as_of, fmt_name=fmt_name,
                                    output=output, fail_on=fail_on, keep_going=keep_going))
    code = _run_check(state, engine, paths, rulesets=rulesets, profile=name, as_of=as_of,
                      fmt_name=fmt_name, output=output, fail_on=fail_on,
                      keep_going=keep_going, timings=timings, overrides=overrides,
                      rule_budget=rule_budget, post=lifecycle.post(state.lang))
    raise _exit(code)


@main.command(epilog="""\b
退出码 / exit codes:
  0  没有错误（可以有警告） / no errors (warnings allowed)
  2  有输入错误 / input errors
  3  插件加载失败 / a plugin failed to load""", help=(
    "只加载并校验数据，不评价。 Load and validate bundles without evaluating.\n\n"
    "\b\n每个问题一行：文件:行:字段: 问题 [值] —— 修改建议；\n"
    "最后是对账行（总计、接受、拒绝）。\n\n"
    "One line per problem: file:row:field: message [value] — fix: hint; then the "
    "reconciliation line (total, accepted, rejected)."))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--as-of", "as_of", type=DATE,
              help="核对行政区划代码的日期（记录自身无日期时）；不填只检查格式。 Date division "
                   "codes are checked at when a record has none; without it only their "
                   "format is checked.")
@click.pass_obj
@_boundary
def validate(state: _State, paths: tuple[str, ...], as_of: dt.date | None) -> None:
    """``fsrules validate``: load only, print every diagnostic; exit 2 on errors."""
    lang = state.lang
    engine = make_engine("national", state.strict)
    with _progress(Text("正在加载数据…", "loading…"), lang):
        loaded = engine.load(list(paths), as_of=as_of)
    for diag in engine.load_diagnostics:
        _err(safe_text(diag.render(lang), terminal=True))
    for diag in loaded.diagnostics:
        click.echo(safe_text(diag.render(lang), terminal=True))
    for stats in loaded.files:
        counts = _reconciliation(stats.total, stats.accepted, stats.rejected, lang)
        kind = stats.kind or "*"
        click.echo(f"{stats.file}（{kind}）：{counts}" if lang == "zh"
                   else f"{stats.file} ({kind}): {counts}")
    click.echo(_reconciliation(loaded.total, loaded.accepted, loaded.rejected, lang))
    if loaded.errors:
        raise _exit(EXIT_INPUT)
    if any(d.level.value == "error" for d in engine.load_diagnostics):
        raise _exit(EXIT_FAILURE)
    raise _exit(EXIT_OK)


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
    engine = make_engine("national", state.strict)
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
    import io

    buffer = io.StringIO()
    Console(file=buffer, force_terminal=False, no_color=True, color_system=None,
            width=_terminal_width(), highlight=False, markup=False, emoji=False,
            _environ={}).print(table)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _packaged_demo() -> Any:
    """The demo bundle shipped in the wheel, or None (editable installs have none)."""
    with contextlib.suppress(ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        package = importlib.resources.files("fsrules_rulesets")
        candidate = package.joinpath("demo_data").joinpath("weixian")
        if candidate.is_dir():
            return candidate
    return None


def _checkout_demo() -> Path | None:
    """``examples/weixian`` of the checkout an editable install points into, if any."""
    with contextlib.suppress(ModuleNotFoundError):
        import fsrules_rulesets

        candidate = Path(fsrules_rulesets.__file__).resolve().parents[2] / "examples" / "weixian"
        if candidate.is_dir():
            return candidate
    return None


@contextlib.contextmanager
def _demo_bundle(lang: Lang) -> Iterator[Path]:
    """The demo county's bundle: package data, the checkout's examples/, then ./examples."""
    resource = _packaged_demo()
    if resource is not None:
        with importlib.resources.as_file(resource) as path:
            yield path
        return
    local = Path("examples") / "weixian"
    if local.is_dir():
        yield local
        return
    checkout = _checkout_demo()
    if checkout is not None:
        yield checkout
        return
    _err(Text(
        "错误：找不到演示数据：既没有随安装包附带的 fsrules_rulesets/demo_data/weixian，"
        "当前目录下也没有 examples/weixian",
        "error: demo data not found: neither fsrules_rulesets/demo_data/weixian in the "
        "installed package nor examples/weixian in the current directory").get(lang))
    raise _exit(EXIT_INPUT)


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成，没有达到 --fail-on 的问题（默认 none：有问题也为 0） / completed, nothing at
     or above --fail-on (default none: findings still exit 0)
  1  有达到 --fail-on 的问题 / findings at or above --fail-on
  2  找不到演示数据 / the demo data is missing
  3  规则或插件出错 / a rule or plugin failed""", help=(
    "评价随附的演示县（威县，合成数据）。 Evaluate the bundled demo county.\n\n"
    "\b\n数据取自安装包中的 fsrules_rulesets/demo_data/weixian，\n"
    "没有时取当前目录下的 examples/weixian。\n"
    "有输入错误时仍评价已接受的记录；输入错误会列出，但不影响退出码。\n\n"
    "The data is fsrules_rulesets/demo_data/weixian from the installed package, else "
    "examples/weixian in the current directory. Input errors are reported but neither stop "
    "the evaluation nor change the exit code."))
@click.option("--format", "fmt_name", metavar="FORMAT", help=_FORMAT_HELP)
@click.option("-o", "--output", metavar="FILE",
              help="写入文件而不是标准输出。 Write to FILE instead of stdout.")
@click.option("--as-of", "as_of", type=DATE, default=DEMO_AS_OF.isoformat(), show_default=True,
              help="评价日期。 Evaluation date.")
@click.option("--profile", default="demo", show_default=True, metavar="NAME",
              help=_PROFILE_HELP)
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="none", show_default=True,
              help=_FAIL_ON_HELP)
@click.option("--timings", is_flag=True,
              help="在标准错误输出各规则耗时。 Print per-rule timings on stderr.")
@lifecycle_options
@click.pass_obj
@_boundary
def demo(state: _State, fmt_name: str | None, output: str | None, as_of: dt.date,
         profile: str, fail_on: str, timings: bool, lifecycle: LifecycleOptions) -> None:
    """``fsrules demo``: ``check`` on the demo county with profile ``demo``."""
    engine = make_engine(profile, state.strict)
    with _demo_bundle(state.lang) as bundle:
        code = _run_check(state, engine, [bundle], rulesets=(), profile=profile, as_of=as_of,
                          fmt_name=fmt_name, output=output, fail_on=fail_on, keep_going=True,
                          timings=timings, input_errors_exit=False,
                          post=lifecycle.post(state.lang))
    raise _exit(code)


# The lifecycle commands (diff, history, coverage) register themselves on ``main``.
from fsrules.lifecycle import commands as _lifecycle_commands  # noqa: E402

del _lifecycle_commands

# ``fsrules watch`` (the live monitor) registers itself on ``main`` from its own module.
from fsrules import _cli_live  # noqa: E402

del _cli_live
