"""Deadline: something due a number of days before or after an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from fsrules._rules import Param
from fsrules.model import Fact
from fsrules.shapes._base import Hit, Records, Shape, dated, describe_value, param_value
from fsrules.shapes._evidence import DeadlineEvidence

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = ["Deadline"]


def _day(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


@attrs.frozen(kw_only=True)
class Deadline(Shape):
    """A finding for each event (a subject in scope) whose follow-up was late or is missing.

    The deadline is the event's ``anchor`` date minus ``offset`` days
    (``before=True``: a report due ahead of a banquet) or plus them (a
    renewal due after an expiry). ``done`` says when the follow-up
    happened: a date field of the event (``"reported_on"``) or
    :class:`Records` (the earliest dated on or after the anchor, when
    ``before`` is False; any, when True). Only what was known on ``as_of``
    counts. ``status`` is ``late`` (done after the deadline), ``missed``
    (not done and the event has passed, or the deadline has) or
    ``overdue`` (not done, the deadline passed, the event still ahead). A
    deadline not yet reached is not a finding. ``extended`` names a date
    field of the event holding an approved extension: the deadline moves to
    that day when it is later. ``after`` names a date field of the event:
    only :class:`Records` dated after it count, and never the event itself
    (a licence renewed by a later licence of the same operator). ``same``
    names fields a follow-up must share with the event (a licence renewed by
    one of its own kind). The values measured:
    ``status``, ``anchor``, ``deadline``, ``done_on``, ``offset`` and
    ``days_late``; ``due_date`` is the deadline.
    """

    SHAPE = "deadline"
    EVIDENCE = DeadlineEvidence

    anchor: str | tuple[str, ...]
    """The event's date field (or fields: the first one recorded)."""
    offset: Param | int
    done: str | Records
    before: bool = True
    extended: str | None = None
    after: str | None = None
    same: tuple[str, ...] = ()

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        lookup = self.done.lookup(ctx) if isinstance(self.done, Records) else None
        offsets: dict[dt.date, int] = {}  # the offset read once per day (usually as_of only)
        for event in self.scope.subjects(ctx):
            anchor = self._anchor(event)
            if anchor is None:
                continue
            day = self.scope.day(ctx, event)
            offset = offsets.get(day)
            if offset is None:
                offset = offsets[day] = int(param_value(ctx, self.offset, day))
            delta = dt.timedelta(days=offset)
            deadline = anchor - delta if self.before else anchor + delta
            if self.extended is not None:
                moved = _day(getattr(event, self.extended))
                if moved is not None and moved > deadline:
                    deadline = moved
            follow_up: Fact | None = None
            if lookup is None:
                done_on = _day(getattr(event, str(self.done)))
                if done_on is not None and done_on > ctx.as_of:
                    done_on = None  # not yet known on as_of
            else:
                assert isinstance(self.done, Records)
                start = None if self.before else anchor
                candidates = lookup(self.scope.key_of(event))
                if self.after is not None:
                    since = _day(getattr(event, self.after))
                    since = None if since is None else since + dt.timedelta(days=1)
                    start = since if start is None or (since is not None and since > start) \
                        else start
                    candidates = [f for f in candidates if f.key != event.key]
                if self.same:
                    wanted = [getattr(event, name) for name in self.same]
                    candidates = [f for f in candidates
                                  if [getattr(f, name, None) for name in self.same] == wanted]
                found = dated(candidates, start, ctx.as_of,
                              None if self.done.date is None else self.done.day_of)
                follow_up = found[0] if found else None
                done_on = None if follow_up is None else self.done.day_of(follow_up)
            if done_on is not None:
                if done_on <= deadline:
                    continue
                status = "late"
            elif self.before and anchor <= ctx.as_of:
                status = "missed"
            elif ctx.as_of > deadline:
                status = "overdue" if self.before else "missed"
            else:
                continue  # not due yet
            values: dict[str, Any] = {
                "status": status, "anchor": anchor, "deadline": deadline, "done_on": done_on,
                "offset": offset,
                "days_late": ((done_on or ctx.as_of) - deadline).days,
            }
            yield self.hit(ctx, event, () if follow_up is None else (follow_up,), values, day,
                           due_date=deadline)

    def _anchor(self, event: Fact) -> dt.date | None:
        for name in (self.anchor,) if isinstance(self.anchor, str) else self.anchor:
            day = _day(getattr(event, name))
            if day is not None:
                return day
        return None

    def own_parameters(self) -> tuple[Param, ...]:
        own = (self.offset,) if isinstance(self.offset, Param) else ()
        return own + (self.done.parameters if isinstance(self.done, Records) else ())

    def own_reads(self) -> tuple[str, ...]:
        return (self.done.kind,) if isinstance(self.done, Records) else ()

    def describe_own(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "anchor": self.anchor if isinstance(self.anchor, str) else list(self.anchor),
            "offset": describe_value(self.offset), "before": self.before,
            "done": self.done.describe() if isinstance(self.done, Records)
            else {"field": self.done}}
        if self.extended is not None:
            described["extended"] = self.extended
        if self.after is not None:
            described["after"] = self.after
        if self.same:
            described["same"] = list(self.same)
        return described
