"""A worked example of the live monitor: a non-conforming result, its deadline, its disposal.

Run it with ``python examples/live_cases.py`` (needs the ``live`` extra);
docs/live.md quotes this file and its output, and tests/test_live_cases.py
runs it and compares.
"""

from __future__ import annotations

import datetime as dt

from fsrules import load_catalogue
from fsrules.live import Monitor, Update


def show(update: Update) -> None:
    for event, findings in (("completed", update.completed), ("resolved", update.resolved)):
        for finding in findings:
            print(f"{update.day} {event}: {finding.rule_id} {finding.subject.id} "
                  f"due {finding.due_date}")


def main() -> None:
    plan = load_catalogue().plan(profile="national", as_of=dt.date(2023, 12, 31),
                                 rulesets=["cases"])
    with Monitor(plan, start=dt.date(2023, 3, 1)) as monitor:
        print("covered:", ", ".join(monitor.covered))
        monitor.post({"kind": "sampling_result", "id": "S1", "region_code": "130533",
                      "sampling_kind": "supervisory", "sampled_on": "2023-03-01",
                      "product_name": "酱卤肉", "verdict": "fail",
                      "result_received_on": "2023-03-20"})
        show(monitor.advance(to=dt.date(2023, 6, 18)))      # the 90th day: still in time
        show(monitor.advance(to=dt.date(2023, 6, 19)))      # the deadline has passed
        monitor.post({"kind": "disposal", "id": "D1", "sampling_id": "S1",
                      "status": "completed", "started_on": "2023-03-22",
                      "completed_on": "2023-07-03"})
        show(monitor.advance(to=dt.date(2023, 7, 3)))       # the disposal closes the case
        print("open:", len(monitor.findings()))


if __name__ == "__main__":
    main()
