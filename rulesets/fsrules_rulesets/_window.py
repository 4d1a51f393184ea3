"""The look-back window shared by rulesets that judge records up to ``as_of``."""

from __future__ import annotations

import datetime as dt

from fsrules import Param, Period, RuleContext, Text

__all__ = ["window", "window_param"]


def window_param() -> Param:
    """The look-back of a check: which records it judges (a reporting choice)."""
    return Param(name="window_months", type="int", minimum=1, maximum=120, unit="月",
                 confidence="V",
                 description=Text("判断截至评价日前多少个月内的记录（统计口径，不是法规数值）",
                                  "judge records of this many months up to the evaluation "
                                  "date (a reporting choice, not a regulatory value)"))


def window(ctx: RuleContext, since: dt.date | None = None) -> Period:
    """The window ending on ``as_of``, starting no earlier than ``since``."""
    period = Period.ending(ctx.as_of, months=ctx.param("window_months"))
    if since is not None and since > period.start:
        return Period(start=min(since, period.end), end=period.end)
    return period
