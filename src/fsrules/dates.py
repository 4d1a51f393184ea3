"""Calendar arithmetic: the one place fsrules moves a date by months or years.

Rules, the findings' periods, the demo generator and the testing kit all
move dates here, so "three years after 2020-02-29" means the same day
everywhere::

    add_months(dt.date(2023, 1, 31), 1)   # 2023-02-28: the 31st becomes the month's last day
    add_years(dt.date(2020, 2, 29), 3)    # 2023-02-28
    add_days(dt.date.max, 1, clamp=True)  # date.max instead of OverflowError

Pure functions of their arguments: no clock, no locale.
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["add_days", "add_months", "add_years", "days_in_month"]


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1-12) of ``year``."""
    return calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (negative: back).

    A day past the end of the target month becomes its last day
    (31 January + 1 month is 28 or 29 February).
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, days_in_month(year, month + 1)))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by ``years`` (29 February becomes 28 February)."""
    return add_months(day, 12 * years)


def add_days(day: dt.date, days: int, *, clamp: bool = False) -> dt.date:
    """``day`` plus ``days``; with ``clamp``, ``date.min``/``date.max`` instead of overflowing."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        if not clamp:
            raise
        return dt.date.max if days > 0 else dt.date.min
