#!/usr/bin/env python
"""When does durable_rules' ``delete_state`` crash? One sid per message, deleted at once.

Each mode sends one message on a fresh sid, then calls ``delete_state`` on
it, ``--sids`` times, and prints the process's RSS along the way. Run each
mode in its own process (a crash kills it; the exit status says how)::

    for m in event fact fact_retracted no_match state_only; do
        python benchmarks/durable_delete_state.py $m --sids 50000; echo "exit $?"
    done

Measured with durable_rules 2.0.28 on Python 3.11 (docs/live.md, limits):
``event``, ``fact`` and ``fact_retracted`` run to the end with RSS flat;
``no_match`` (the sid's only message matched no rule) and ``state_only``
(the sid has only ``update_state``) die with a segmentation fault (exit
139) on the first ``delete_state``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

MODES = ("event", "fact", "fact_retracted", "no_match", "state_only")


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("--sids", type=int, default=2000)
    args = parser.parse_args(argv)
    from durable import engine

    class _NoHost:
        def get_action(self, name: str) -> Any:
            raise KeyError(name)

    matched: list[int] = []
    ruleset = engine.Ruleset(f"probe-{args.mode}", _NoHost(),
                             {"r": {"all": [{"m": {"t": "rec"}}], "run": lambda c: matched.append(1)}})

    def call(fn: Any, message: dict[str, Any]) -> None:
        try:
            handle = fn(message)
        except engine.MessageNotHandledException:
            return
        ruleset.do_actions(handle, lambda e, s: None)

    every = max(1, args.sids // 5)
    for i in range(args.sids):
        sid = f"s{i}"
        message = {"sid": sid, "id": f"m{i}", "t": "rec"}
        if args.mode == "event":
            call(ruleset.assert_event, message)
        elif args.mode == "fact":
            call(ruleset.assert_fact, message)
        elif args.mode == "fact_retracted":
            call(ruleset.assert_fact, message)
            call(ruleset.retract_fact, message)
        elif args.mode == "no_match":
            call(ruleset.assert_event, {**message, "t": "other"})
        else:
            ruleset.update_state({"sid": sid, "id": f"state-{sid}"})
        ruleset.delete_state(sid)
        if i % every == 0:
            print(f"{args.mode}: {i:,} sids deleted, RSS {rss_mb():.1f} MB", flush=True)
    print(f"{args.mode}: all {args.sids:,} sids deleted, RSS {rss_mb():.1f} MB, "
          f"{len(matched):,} actions run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
