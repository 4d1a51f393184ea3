"""A bundle as a stream: records in date order, and a replay through a monitor.

The batch engine sees a bundle at once; a platform sees the same records
one by one as they are dated. :func:`date_ordered` gives that order
(undated records first, then by date, kind and id: deterministic), and
:func:`replay` feeds it to a monitor, completing each day before the next
day's records arrive, up to ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from fsrules.model import Fact
from fsrules.model._serialize import dump_fact

from ._monitor import Monitor, Update

__all__ = ["date_ordered", "jsonl_records", "replay"]


def date_ordered(facts: Iterable[Fact]) -> list[Fact]:
    """``facts`` in stream order: undated first, then by date, kind and id."""
    return sorted(facts, key=lambda f: (f.fact_date or dt.date.min, f.KIND, f.id))


def jsonl_records(facts: Iterable[Fact]) -> Iterator[dict[str, object]]:
    """The JSON form of each fact (``kind`` first), in stream order: what ``fsrules watch`` reads."""
    for fact in date_ordered(facts):
        yield dump_fact(fact)


def replay(monitor: Monitor, facts: Iterable[Fact], *, as_of: dt.date,
           skip: int = 0) -> Iterator[Update]:
    """Post ``facts`` in stream order, advancing to the day before each new date, then to ``as_of``.

    ``skip`` leaves out the first records (a monitor resumed from its journal
    has them already). Yields every update that changed something.
    """
    for index, fact in enumerate(date_ordered(facts)):
        if index < skip:
            continue
        day = fact.fact_date
        if day is not None and day <= as_of and (monitor.day is None
                                                 or day > monitor.day + dt.timedelta(days=1)):
            update = monitor.advance(to=day - dt.timedelta(days=1))
            if update:
                yield update
        update = monitor.post(fact)
        if update:
            yield update
    update = monitor.advance(to=as_of)
    if update:
        yield update
