"""``fsrules watch``: the live monitor on a stream of JSON Lines records.

Imported at the end of :mod:`fsrules.cli`, it registers itself on the
``main`` group and shares its error boundary and exit codes. It imports
:mod:`fsrules.live` only when it runs, so the command and its help are the
same on every Python; where the ``live`` extra cannot be imported (Python
3.13) running it says what to install and exits 2. Records come from stdin or from files and folders
of ``.jsonl`` exports, one record a line with a ``kind`` key; each finding
that completes or is resolved is written as one JSON line as it happens::

    {"event": "completed", "day": "2023-03-02", "finding": {...}}
    {"event": "resolved", "day": "2023-03-05", "finding": {...}}

Rejected records are listed on stderr (exit 2 at the end, as ``check``).
``--follow PATH`` follows a growing file, or a folder's ``*.jsonl`` files in
name order, until ``--idle-exit`` seconds pass without a new line (or Ctrl-C):
see :mod:`fsrules._cli_follow`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from fsrules._cli_follow import Follower
from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._report import finding_to_dict
from fsrules._sanitize import json_safe
from fsrules.cli import (
    DATE,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    _boundary,
    _err,
    _exit,
    _isatty,
    _prepare,
    _State,
    main,
)
from fsrules.exceptions import LiveUnavailableError
from fsrules.model import Severity

if TYPE_CHECKING:
    from fsrules.live import Monitor, Update

__all__: list[str] = []

_SEVERITIES = ("info", "low", "medium", "high", "critical", "none")


def _lines(paths: tuple[str, ...]) -> Iterator[tuple[str, int, str]]:
    if not paths or paths == ("-",):
        for number, line in enumerate(sys.stdin, start=1):
            yield "<stdin>", number, line
        return
    for name in paths:
        path = Path(name)
        files = sorted(p for p in path.iterdir() if p.suffix == ".jsonl") if path.is_dir() \
            else [path]
        for file in files:
            with file.open(encoding="utf-8-sig") as stream:
                for number, line in enumerate(stream, start=1):
                    yield str(file), number, line


def _until_interrupted(lines: Iterable[tuple[str, int, str]]) -> Iterator[tuple[str, int, str]]:
    """``lines`` until Ctrl-C, which ends a followed input as its end would."""
    try:
        yield from lines
    except KeyboardInterrupt:
        return


def _record_day(record: dict[str, Any], monitor: Monitor) -> dt.date | None:
    kind = record.get("kind")
    for cls in monitor.kind_classes():
        if kind == cls.KIND and cls.DATE_FIELD:
            value = record.get(cls.DATE_FIELD)
            if isinstance(value, str) and len(value) >= 10:
                try:
                    return dt.date.fromisoformat(value[:10])
                except ValueError:
                    return None
    return None


class _Out:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.completed = 0
        self.resolved = 0

    def write(self, update: Update) -> None:
        day = update.day.isoformat() if update.day else None
        for event, findings in (("resolved", update.resolved), ("completed", update.completed)):
            for finding in findings:
                line = json.dumps({"event": event, "day": day, "finding": finding_to_dict(finding)},
                                  ensure_ascii=False, sort_keys=True)
                self.stream.write(json_safe(line) + "\n")
        self.completed += len(update.completed)
        self.resolved += len(update.resolved)
        if update.completed or update.resolved:
            self.stream.flush()


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成 / done; no open finding at or above --fail-on
  1  结束时仍有达到 --fail-on 的问题 / open findings at or above --fail-on at the end
  2  用法错误或有记录被拒绝 / usage error, or records rejected
  3  规则出错 / a rule failed""", help=(
    "实时监测：逐条读取 JSON Lines 记录，问题一旦成立（或消除）即输出一行。 "
    "Live monitor: read JSON Lines records one by one and write each finding as it "
    "completes (or is resolved).\n\n"
    "\b\n记录按日期顺序到达；事件时间由记录日期和 --as-of 推进，从不读取系统时钟。\n"
    "--state 目录保存日志，中断后用同一目录重启可继续，不丢失也不重复。\n\n"
    "Records arrive in date order; event time moves with their dates and --as-of, never "
    "with the clock. --state keeps a journal: restarted on the same folder, the monitor "
    "continues without losing or repeating a finding. Needs the 'live' extra.\n\n"
    "\b\n--follow 跟随一个不断追加的文件（或目录中按文件名排序的 *.jsonl 文件），"
    "--idle-exit 秒内没有新行即结束（或按 Ctrl-C）。\n\n"
    "--follow reads a file as it grows (or a folder's *.jsonl files in name order, new ones "
    "as they appear) and ends after --idle-exit seconds without a new line, or on Ctrl-C."))
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--profile", default="national", show_default=True, metavar="NAME|FILE",
              help="配置文件。 Profile.")
@click.option("--as-of", "as_of", type=DATE,
              help="输入结束后把事件时间推进到该日。 After the input, advance event time to this day.")
@click.option("--start", type=DATE,
              help="第一条记录之前的事件时间。 Event time before the first record.")
@click.option("--advance-daily", is_flag=True,
              help="记录日期前进时先结束之前的每一天并输出问题。 When a record's date moves on, "
                   "complete the days before it first and write their findings.")
@click.option("--state", "state_dir", metavar="DIR",
              help="日志目录（可中断后继续）。 Journal folder (resumable).")
@click.option("--ruleset", "rulesets", multiple=True, metavar="ID",
              help="只运行该规则集，可重复（默认：配置文件的规则集）。 Only this ruleset; repeatable "
                   "(default: the profile's rulesets).")
@click.option("--rule", "rules", multiple=True, metavar="RULE",
              help="只监测这些规则（可重复）。 Only these rules (repeatable).")
@click.option("-o", "--output", metavar="FILE",
              help="写入文件而不是标准输出。 Write to FILE instead of stdout.")
@click.option("--follow", "follow", metavar="PATH",
              help="跟随文件或目录中的新记录。 Follow a growing file, or a folder of *.jsonl "
                   "files (new files in name order).")
@click.option("--idle-exit", "idle_exit", type=click.FloatRange(min=0), metavar="SECONDS",
              help="--follow 时，这么多秒没有新行即结束。 With --follow: end after SECONDS "
                   "without a new line (default: follow until Ctrl-C).")
@click.option("--poll", type=click.FloatRange(min=0.01), default=1.0, show_default=True,
              metavar="SECONDS",
              help="--follow 时两次查看之间的秒数。 With --follow: seconds between two looks.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="high", show_default=True,
              help="结束时仍有此级别及以上问题则退出码为 1。 Exit 1 when open findings at or "
                   "above this severity remain at the end.")
@click.pass_obj
@_boundary
def watch(state: _State, paths: tuple[str, ...], profile: str, as_of: dt.date | None,
          start: dt.date | None, advance_daily: bool, state_dir: str | None,
          rulesets: tuple[str, ...], rules: tuple[str, ...], output: str | None, follow: str | None,
          idle_exit: float | None, poll: float, fail_on: str) -> None:
    """``fsrules watch``: see the help text."""
    if follow is not None and paths:
        raise click.UsageError("--follow PATH replaces the PATH arguments: give one or the other")
    if follow is None and idle_exit is not None:
        raise click.UsageError("--idle-exit only applies with --follow")
    try:
        from fsrules.live import Monitor
    except LiveUnavailableError as exc:
        _err(f"error: {exc}")
        raise _exit(EXIT_INPUT) from None
    engine, name, _overrides = _prepare(state, profile)
    engine.profile(name)
    plan = engine.catalogue.plan(profile=name, as_of=as_of or start or dt.date(2000, 1, 1),
                                 rulesets=list(rulesets) or None)
    stream: IO[str] = open(output, "a", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    out = _Out(stream)
    rejected = 0
    failed = False
    tty = _isatty(sys.stderr)
    with Monitor(plan, state_dir=state_dir, rules=rules or None,
                 kinds=engine.catalogue.fact_kinds, start=start) as monitor:
        skip = monitor.inputs
        seen = 0
        lines = (_until_interrupted(Follower(follow, poll=poll, idle_exit=idle_exit))
                 if follow is not None else _lines(paths))
        for source, number, line in lines:
            text = line.strip()
            if not text:
                continue
            seen += 1
            if seen <= skip:
                continue  # taken before a restart (the journal has it)
            try:
                record = json.loads(text)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                rejected += 1
                _err(f"{source}:{number}: {exc}")
                monitor.skip()
                continue
            day = _record_day(record, monitor)
            if advance_daily and day is not None and (as_of is None or day <= as_of) and (
                    monitor.day is None or day > monitor.day + dt.timedelta(days=1)):
                out.write(monitor.advance(to=day - dt.timedelta(days=1)))
            update = monitor.post(record)
            failed |= _report(update.diagnostics, source, number, state.lang)
            rejected += sum(1 for d in update.diagnostics if d.level is DiagnosticLevel.ERROR
                            and d.rule_id is None)
            out.write(update)
            if tty and seen % 1000 == 0:
                click.echo(f"\r{seen} records, {out.completed} completed, "
                           f"{out.resolved} resolved", err=True, nl=False)
        if as_of is not None and (monitor.day is None or as_of >= monitor.day):
            update = monitor.advance(to=as_of)
            failed |= _report(update.diagnostics, "<advance>", 0, state.lang)
            out.write(update)
        if tty:
            click.echo("", err=True)
        open_findings = monitor.findings()
    if output:
        stream.close()
    if failed:
        raise _exit(EXIT_FAILURE)
    if rejected:
        raise _exit(EXIT_INPUT)
    if fail_on != "none" and any(f.severity.rank >= Severity.parse(fail_on).rank for f in open_findings):
        raise _exit(EXIT_FINDINGS)
    raise _exit(EXIT_OK)


def _report(diagnostics: tuple[Diagnostic, ...], source: str, number: int, lang: str) -> bool:
    failed = False
    for d in diagnostics:
        where = f"{source}:{number}: " if number else ""
        _err(f"{where}{d.level.value}: {d.code}: {d.message.get('en' if lang == 'en' else 'zh')}")
        if d.rule_id is not None and d.level is DiagnosticLevel.ERROR:
            failed = True
    return failed
