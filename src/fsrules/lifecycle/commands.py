"""The lifecycle commands: ``fsrules diff``, ``fsrules history`` and ``fsrules coverage``.

Imported at the end of :mod:`fsrules.cli`, they register themselves on its
``main`` group and share its error boundary and exit codes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import click

from fsrules._report import Report
from fsrules.cli import DATE, _boundary, _exit, _Group, _State, main
from fsrules.lifecycle.store import STATUSES, HistoryStore
from fsrules.lifecycle.store import FindingRecord as HistoryRecord

__all__: list[str] = []

_IN = click.Path(exists=True, dir_okay=False)


def _read_report(path: str) -> Report:
    return Report.from_json(Path(path).read_bytes())


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成 / done
  1  有新增问题且给了 --fail-on-new / new findings and --fail-on-new
  2  文件不可读或不是 fsrules 报告 / a file is unreadable or not an fsrules report""", help=(
    "按指纹比较两份 JSON 报告。 Compare two JSON reports by fingerprint.\n\n"
    "\b\n输出新增、仍存在、已消除的问题数（新增 + 仍存在 = NEW 的问题数；\n"
    "仍存在 + 已消除 = OLD 的问题数），并列出新增和已消除的问题；-o 写入 JSON。\n\n"
    "Prints the new, persisting and resolved counts (new + persisting = NEW's findings; "
    "persisting + resolved = OLD's findings) and lists the new and resolved findings; "
    "-o writes the same as JSON."))
@click.argument("old", metavar="OLD", type=_IN)
@click.argument("new", metavar="NEW", type=_IN)
@click.option("-o", "--output", metavar="FILE",
              help="把比较结果写入 JSON 文件。 Write the comparison to FILE (JSON).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="标准输出的格式。 Format printed on stdout.")
@click.option("--fail-on-new", is_flag=True,
              help="有新增问题时退出码为 1。 Exit 1 when there are new findings.")
@click.pass_obj
@_boundary
def diff(state: _State, old: str, new: str, output: str | None, fmt: str,
         fail_on_new: bool) -> None:
    """``fsrules diff``: two reports compared by fingerprint."""
    from fsrules.lifecycle.diff import diff_reports

    result = diff_reports(_read_report(old), _read_report(new))
    click.echo(result.to_json() if fmt == "json" else result.render_text(state.lang), nl=False)
    if output:
        Path(output).write_text(result.to_json(), encoding="utf-8")
    raise _exit(1 if fail_on_new and result.new else 0)


# --------------------------------------------------------------------------- history

_HISTORY_EXIT = """\b
退出码 / exit codes:
  0  完成 / done
  2  历史库、问题指纹或台账文件有误 / bad store, fingerprint or ledger file"""

_STORE = click.option("--store", metavar="FILE", required=True, type=click.Path(dir_okay=False),
                      help="历史库（SQLite）文件。 The history store (SQLite) file.")
_ON = click.option("--on", "on", type=DATE, required=True,
                   help="操作日期（fsrules 从不读取系统时钟）。 Date of the action (fsrules "
                        "never reads the clock).")


@main.group(cls=_Group, epilog=_HISTORY_EXIT, help=(
    "历史库：逐项跟踪问题直至销号。 The history store: follow each finding to closure.\n\n"
    "\b\n用 fsrules check ... --store FILE 记录每次运行；本命令列出、查看、交办、\n"
    "销号问题，并按责任单位和乡镇统计进度。手工销号后再次发现的问题标为“复发”。\n\n"
    "Record runs with `fsrules check ... --store FILE`; this command lists, shows, assigns "
    "and closes findings and prints progress per department and township. A finding closed "
    "by hand that is found again is marked 复发 (recurred)."))
def history() -> None:
    """``fsrules history``: the subcommands below."""


def _record_line(rec: HistoryRecord, lang: str) -> str:
    flag = (" 复发" if lang == "zh" else " recurred") if rec.recurred else ""
    return (f"{rec.fingerprint}  {rec.status}{flag}  {rec.severity:<8} {rec.rule_id:<20} "
            f"{rec.subject_name or rec.subject_id}  {rec.first_seen}..{rec.last_seen}  "
            f"{rec.owner}")


@history.command("list", epilog=_HISTORY_EXIT, help=(
    "列出历史库中的问题。 List the findings in the store.\n\n"
    "每行：指纹、状态（复发）、严重程度、规则、对象、首次/最近发现、责任单位。 One line each: "
    "fingerprint, status (recurred), severity, rule, subject, first..last seen, department."))
@_STORE
@click.option("--status", type=click.Choice(STATUSES), help="只列出该状态。 Only this status.")
@click.option("--department", metavar="NAME", help="只列出该单位。 Only this department.")
@click.option("--township", metavar="NAME", help="只列出该乡镇。 Only this township.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式。 Output format.")
@click.pass_obj
@_boundary
def history_list(state: _State, store: str, status: str | None, department: str | None,
                 township: str | None, fmt: str) -> None:
    """``fsrules history list``."""
    with _open_store(store) as db:
        records = db.records(status=status, department=department, township=township)
    if fmt == "json":
        click.echo(json.dumps([_record_dict(r) for r in records], ensure_ascii=False,
                              sort_keys=True, indent=2))
        return
    for rec in records:
        click.echo(_record_line(rec, state.lang))
    click.echo(f"共 {len(records)} 条" if state.lang == "zh" else f"{len(records)} finding(s)")


@history.command("show", epilog=_HISTORY_EXIT, help=(
    "查看一个问题的记录和变更历史。 Show one finding's record and its changes.\n\n"
    "FINGERPRINT 可以是完整指纹或至少 6 位的唯一前缀。 FINGERPRINT may be a unique prefix "
    "of at least 6 characters."))
@click.argument("fingerprint")
@_STORE
@click.pass_obj
@_boundary
def history_show(state: _State, fingerprint: str, store: str) -> None:
    """``fsrules history show``."""
    with _open_store(store) as db:
        rec = db.get(fingerprint)
        events = db.events(rec.fingerprint)
    for key, value in _record_dict(rec).items():
        click.echo(f"{key}: {value}")
    click.echo("变更：" if state.lang == "zh" else "changes:")
    for day, action, detail in events:
        click.echo(f"  {day}  {action}  {detail}")


@history.command("assign", epilog=_HISTORY_EXIT, help=(
    "交办：指定责任单位、整改期限和备注（状态变为整改中）。 Assign a finding to a department "
    "with a due date and note (status becomes 整改中)."))
@click.argument("fingerprint")
@_STORE
@_ON
@click.option("--department", metavar="NAME", help="责任单位。 Department.")
@click.option("--due", "due", type=DATE, help="整改期限。 Due date.")
@click.option("--note", metavar="TEXT", help="备注。 Note.")
@click.pass_obj
@_boundary
def history_assign(state: _State, fingerprint: str, store: str, on: dt.date,
                   department: str | None, due: dt.date | None, note: str | None) -> None:
    """``fsrules history assign``."""
    with _open_store(store) as db:
        rec = db.assign(fingerprint, on=on, department=department, due_date=due, note=note)
    click.echo(_record_line(rec, state.lang))


@history.command("close", epilog=_HISTORY_EXIT, help=(
    "销号：手工关闭一个问题（再次发现时标为复发）。 Close (销号) a finding by hand; found "
    "again later, it is marked 复发."))
@click.argument("fingerprint")
@_STORE
@_ON
@click.option("--note", metavar="TEXT", help="备注（如整改材料文号）。 Note.")
@click.pass_obj
@_boundary
def history_close(state: _State, fingerprint: str, store: str, on: dt.date,
                  note: str | None) -> None:
    """``fsrules history close``."""
    with _open_store(store) as db:
        rec = db.close_finding(fingerprint, on=on, note=note)
    click.echo(_record_line(rec, state.lang))


@history.command("progress", epilog=_HISTORY_EXIT, help=(
    "按责任单位和乡镇统计各状态的问题数，以及各次运行的未销号问题数。 Counts per status for "
    "each department and township, and the open findings of every run."))
@_STORE
@click.pass_obj
@_boundary
def history_progress(state: _State, store: str) -> None:
    """``fsrules history progress``."""
    zh = state.lang == "zh"
    with _open_store(store) as db:
        tables = (("责任单位" if zh else "department", db.progress("department")),
                  ("乡镇" if zh else "township", db.progress("township")))
        trend = db.trend()
    for title, table in tables:
        click.echo(f"{title}\t" + "\t".join(STATUSES) + ("\t合计" if zh else "\ttotal"))
        for key, counts in table.items():
            click.echo(f"{key}\t" + "\t".join(str(counts[s]) for s in STATUSES)
                       + f"\t{sum(counts.values())}")
        click.echo("")
    click.echo("运行\t未销号" if zh else "run\topen")
    for day, count in trend:
        click.echo(f"{day}\t{count}")


@history.command("import", epilog=_HISTORY_EXIT, help=(
    "把编辑过的台账（XLSX）导回历史库：按指纹更新状态、责任单位、整改期限、销号日期和备注。 "
    "Read an edited ledger (XLSX) back into the store: status, department, due date, "
    "closing date and note, by fingerprint."))
@click.argument("ledger", metavar="LEDGER.xlsx", type=_IN)
@_STORE
@_ON
@click.pass_obj
@_boundary
def history_import(state: _State, ledger: str, store: str, on: dt.date) -> None:
    """``fsrules history import``."""
    from fsrules.lifecycle.ledger import read_ledger

    rows = read_ledger(ledger)
    with _open_store(store) as db:
        changed = db.update_many(rows, on=on)
    click.echo(f"读取 {len(rows)} 行，更新 {changed} 条问题" if state.lang == "zh"
               else f"read {len(rows)} row(s), updated {changed} finding(s)")


def _open_store(path: str) -> HistoryStore:
    return HistoryStore(path)


def _record_dict(rec: HistoryRecord) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in attrs.asdict(rec, recurse=False).items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


# --------------------------------------------------------------------------- coverage


@main.command(epilog="""\b
退出码 / exit codes:
  0  完成 / done
  2  没有给出报告或历史库，或文件不可读 / no reports or store given, or a file is unreadable""",
    help=(
    "规则覆盖：每条规则在多少次运行中运行、触发、未触发；列出从未触发的规则。 Rule coverage "
    "over a corpus of runs: per rule, the runs it ran in, fired in and never fired in; the "
    "rules that never fired are listed.\n\n"
    "\b\n语料是若干 JSON 报告，或历史库中记录的全部运行（--store）。\n\n"
    "The corpus is JSON reports, or every run recorded in a history store (--store)."))
@click.argument("reports", nargs=-1, metavar="[REPORT.json...]", type=_IN)
@click.option("--store", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="用历史库中的运行作为语料。 Use the runs in this history store.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式。 Output format.")
@click.pass_obj
@_boundary
def coverage(state: _State, reports: tuple[str, ...], store: str | None, fmt: str) -> None:
    """``fsrules coverage``."""
    from fsrules.lifecycle.coverage import coverage as from_reports
    from fsrules.lifecycle.coverage import coverage_from_store

    if bool(reports) == bool(store):
        raise click.UsageError("give JSON reports or --store (one of them)" if state.lang == "en"
                               else "请给出 JSON 报告或 --store（二选一）")
    if store:
        with _open_store(store) as db:
            result = coverage_from_store(db.rule_runs())
    else:
        result = from_reports([_read_report(p) for p in reports])
    click.echo(result.to_json() if fmt == "json" else result.render_text(state.lang), nl=False)
