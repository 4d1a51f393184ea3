"""``fsrules check``, ``validate`` and ``demo``: the commands that load bundles.

``check`` and ``demo`` load, evaluate and write a report (:func:`_run_check`,
or :func:`_run_check_dask` with ``--dask``); ``validate`` loads only. The
group, the shared options and the error boundary are in :mod:`fsrules.cli`,
which imports this module when one of these commands is asked for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.resources
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import click

from fsrules import cli
from fsrules._config import Override, annotate_report
from fsrules._diagnostics import Diagnostic
from fsrules._engine import Engine
from fsrules._gcpause import paused_gc
from fsrules._i18n import Lang, Text
from fsrules._report import Report
from fsrules._sanitize import safe_text
from fsrules._writers import OutputFormat
from fsrules.cli import (
    _AS_OF_REQUIRED,
    _EXIT_CODES,
    _FAIL_ON_HELP,
    _FORMAT_HELP,
    _PROFILE_HELP,
    _SEVERITIES,
    DATE,
    DEMO_AS_OF,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    _boundary,
    _check_profile,
    _err,
    _exit,
    _isatty,
    _lang,
    _prepare,
    _progress,
    _reconciliation,
    _ruleset_option,
    _State,
    main,
)
from fsrules.lifecycle.options import LifecycleOptions, lifecycle_options
from fsrules.model import Severity

__all__ = ["check", "demo", "validate"]


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
        with paused_gc():  # marks for every finding, no cycles (see fsrules._gcpause)
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
    engine = cli.make_engine("national", state.strict)
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
    engine = cli.make_engine(profile, state.strict)
    with _demo_bundle(state.lang) as bundle:
        code = _run_check(state, engine, [bundle], rulesets=(), profile=profile, as_of=as_of,
                          fmt_name=fmt_name, output=output, fail_on=fail_on, keep_going=True,
                          timings=timings, input_errors_exit=False,
                          post=lifecycle.post(state.lang))
    raise _exit(code)
