"""``fsrules watch --follow``: a growing file or folder of exports, read as it is written.

The follower is tested with a scripted clock (deterministic); the command with
a real writer thread appending records while ``watch`` polls.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fsrules import load_catalogue
from fsrules._cli_follow import Follower
from fsrules.cli import main
from fsrules.model import Fact
from fsrules.model._serialize import dump_fact

from .conftest import operator
from .test_cases import case, complaint, licence

LIVE = sys.version_info[:2] in ((3, 11), (3, 12))
needs_live = pytest.mark.skipif(not LIVE, reason="the live extra supports Python 3.11 and 3.12")


class Script:
    """A clock that moves one poll per sleep, and writes that happen at given sleeps."""

    def __init__(self, writes: dict[int, Any]) -> None:
        self.now = 0.0
        self.sleeps = 0
        self.writes = writes

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds
        action = self.writes.get(self.sleeps)
        if action is not None:
            action()

    def clock(self) -> float:
        return self.now


def _append(path: Path, data: str) -> Any:
    def write() -> None:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(data)
    return write


def test_follower_takes_complete_lines_as_they_are_written(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    script = Script({
        1: _append(feed, '\ufeff{"a": 1}\n{"b"'),          # created, one line and a half
        2: _append(feed, ': 2}\n'),                       # the half line completes
        5: _append(feed, '{"c": 3}\n\n{"d": 4}'),         # the last line never gets its newline
    })
    follower = Follower(feed, poll=1.0, idle_exit=3.0, sleep=script.sleep, clock=script.clock)
    got = list(follower)
    assert got == [(str(feed), 1, '{"a": 1}'), (str(feed), 2, '{"b": 2}'),
                   (str(feed), 3, '{"c": 3}'), (str(feed), 4, ""), (str(feed), 5, '{"d": 4}')]
    assert script.sleeps == 5 + 3                       # idle for 3 polls after the last write


def test_follower_reads_a_folder_in_name_order_and_moves_to_new_files(tmp_path: Path) -> None:
    (tmp_path / "2023-05-01.jsonl").write_text('{"n": 1}\n{"n": 2}\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an export\n", encoding="utf-8")
    day2 = tmp_path / "2023-05-02.jsonl"
    day3 = tmp_path / "2023-05-03.jsonl"
    script = Script({
        1: _append(tmp_path / "2023-05-01.jsonl", '{"n": 3}'),   # unterminated: moved on
        2: _append(day2, '{"n": 4}\n'),
        3: _append(day2, '{"n": 5}\n'),
        4: _append(day3, '{"n": 6}\n'),
    })
    got = list(Follower(tmp_path, poll=0.5, idle_exit=1.0, sleep=script.sleep,
                        clock=script.clock))
    assert [json.loads(text)["n"] for _, _, text in got] == [1, 2, 3, 4, 5, 6]
    assert [(Path(source).name, number) for source, number, _ in got] == [
        ("2023-05-01.jsonl", 1), ("2023-05-01.jsonl", 2), ("2023-05-01.jsonl", 3),
        ("2023-05-02.jsonl", 1), ("2023-05-02.jsonl", 2), ("2023-05-03.jsonl", 1)]


def test_follower_without_idle_exit_follows_until_interrupted(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"a": 1}\n', encoding="utf-8")

    def interrupt() -> None:
        raise KeyboardInterrupt

    script = Script({50: interrupt})
    follower = Follower(feed, poll=60.0, sleep=script.sleep, clock=script.clock)
    got: list[str] = []

    def drain() -> None:
        for _, _, text in follower:
            got.append(text)

    with pytest.raises(KeyboardInterrupt):
        drain()
    assert got == ['{"a": 1}'] and script.sleeps == 50


def _invoke(args: list[str]) -> Result:
    kwargs: dict[str, Any] = {}
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        kwargs["mix_stderr"] = False
    return CliRunner(**kwargs).invoke(main, args, catch_exceptions=False,
                                      env={"FSRULES_LANG": "en", "NO_COLOR": None,
                                           "FSRULES_PLUGINS": ""})


def test_follow_and_paths_together_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke(["watch", "--follow", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "--follow" in result.stderr
    result = _invoke(["watch", "--idle-exit", "1"])
    assert result.exit_code == 2 and "--idle-exit" in result.stderr


AS_OF = dt.date(2023, 12, 31)
FACTS: list[Fact] = [operator(), complaint(), complaint("c2", closed_on=dt.date(2023, 5, 20)),
                     case(), case("k2", closed_on=dt.date(2023, 7, 1)), licence()]


def _writer(path: Path, lines: list[str], *, pause: float) -> threading.Thread:
    """Appends ``lines`` one write at a time, each line split in two writes."""
    def run() -> None:
        for line in lines:
            half = len(line) // 2
            for part in (line[:half], line[half:] + "\n"):
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(part)
                time.sleep(pause)
    return threading.Thread(target=run, daemon=True)


@needs_live
def test_watch_follows_a_file_as_a_writer_appends_to_it(tmp_path: Path) -> None:
    from fsrules.live import jsonl_records

    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in jsonl_records(FACTS)]
    writer = _writer(feed, lines, pause=0.02)
    writer.start()
    result = _invoke(["watch", "--profile", "national", "--as-of", AS_OF.isoformat(),
                      "--advance-daily", "--follow", str(feed), "--idle-exit", "1.5",
                      "--poll", "0.05", "--ruleset", "cases", "--rule", "CASE-002",
                      "--rule", "CASE-003", "--rule", "CASE-004"])
    writer.join()
    assert result.exit_code == 0, result.stderr     # medium findings only (--fail-on high)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    opened = {(e["finding"]["rule_id"], e["finding"]["subject"]["id"]) for e in events
              if e["event"] == "completed"}
    plan = load_catalogue().plan(profile="national", as_of=AS_OF, rulesets=["cases"])
    batch = {(f.rule_id, f.subject.id) for f in plan.run(FACTS).findings
             if f.rule_id in {"CASE-002", "CASE-003", "CASE-004"}}
    assert opened == batch == {("CASE-002", "c1"), ("CASE-003", "k1"), ("CASE-004", "op1")}
    # the last record is dated 2023-06-01: each completes when --as-of ends the input
    assert {e["day"] for e in events} == {AS_OF.isoformat()}


@needs_live
def test_watch_follows_a_folder_of_daily_exports(tmp_path: Path) -> None:
    records = [dump_fact(f) for f in FACTS]
    (tmp_path / "2023-01-01.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:3]), encoding="utf-8")
    later = tmp_path / "2023-06-01.jsonl"
    writer = _writer(later, [json.dumps(r, ensure_ascii=False) for r in records[3:]],
                     pause=0.02)
    writer.start()
    result = _invoke(["watch", "--as-of", AS_OF.isoformat(), "--follow", str(tmp_path),
                      "--idle-exit", "1.5", "--poll", "0.05", "--ruleset", "cases",
                      "--rule", "CASE-003"])
    writer.join()
    assert result.exit_code == 0, result.stderr
    [event] = [json.loads(line) for line in result.stdout.splitlines()]
    assert event["event"] == "completed" and event["finding"]["subject"]["id"] == "k1"
