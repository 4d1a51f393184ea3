"""Dates and times as Chinese spreadsheets and exports write them.

Accepted for a date: ``2023-01-05``, ``2023/1/5``, ``2023.1.5``, ``20230105``,
``2023年1月5日``, an Excel serial number (1900 date system) given as a number
or a numeric string, and ``datetime.date``/``datetime.datetime`` objects (what
openpyxl returns for date-formatted cells). A date-time accepts the same date
forms followed by a time: ``2023-01-05 11:30``, ``2023-01-05T11:30:00``,
``2023年1月5日 11时30分``, ``2023/1/5 11点30分15秒``.

Text reaching these functions has already been through ``normalize_text``
(NFKC, so full-width digits and colons are ASCII, and whitespace collapsed).
Problems are raised as :class:`ValueProblem`, which the loader turns into a
diagnostic for the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from fsrules._i18n import Text

__all__ = ["ValueProblem", "parse_date", "parse_datetime"]


class ValueProblem(Exception):
    """A cell value that cannot be converted; becomes one error diagnostic.

    ``code`` is the diagnostic code (``input.date``, ``input.number`` ...),
    ``message`` says what is wrong and ``hint`` how to fix it.
    """

    def __init__(self, code: str, message: Text, hint: Text) -> None:
        super().__init__(message.en)
        self.code = code
        self.message = message
        self.hint = hint


# The 1900 date system: serial 1 is 1900-01-01, but Excel counts a 1900-02-29
# that never existed, so from serial 61 on the epoch is 1899-12-30. Serials
# below 1920 or after 2100 are far more likely a year, a count or a typo than
# a date, so they are refused rather than turned into nonsense dates.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SERIAL_MIN = (dt.datetime(1920, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (dt.datetime(2100, 12, 31) - _EXCEL_EPOCH).days

_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*(日|号))?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(
    r"(\d{1,2})\s*[:时点]\s*"
    r"(?:(\d{1,2})\s*(?:[:分]\s*(?:(\d{1,2})(?:\.(\d{1,6})\d*)?\s*秒?)?)?)?"
)
_SERIAL = re.compile(r"\d{1,6}(?:\.\d+)?")

_DATE_HINT = Text("请使用 YYYY-MM-DD 格式，如 2023-01-05", "use YYYY-MM-DD, e.g. 2023-01-05")
_DATETIME_HINT = Text(
    "请使用 YYYY-MM-DD HH:MM 格式，如 2023-01-05 11:30",
    "use YYYY-MM-DD HH:MM, e.g. 2023-01-05 11:30",
)
_NOT_A_DATE = Text("无法识别的日期", "not a recognisable date")
_NOT_A_DATETIME = Text("无法识别的日期时间", "not a recognisable date and time")
_NO_SUCH_DATE = Text("不存在的日期", "no such date")
_NO_SUCH_DATE_HINT = Text(
    "请核对年、月、日（如 2 月没有 30 日），并使用 YYYY-MM-DD 格式",
    "check the year, month and day (February has no 30th) and use YYYY-MM-DD",
)
_NO_SUCH_TIME = Text("不存在的时间", "no such time of day")
_NO_SUCH_TIME_HINT = Text(
    "时应为 0–23，分、秒应为 0–59", "hours must be 0-23, minutes and seconds 0-59"
)
_SERIAL_RANGE = Text(
    "数字不在 Excel 日期序列号的合理范围内（1920—2100 年）",
    "number is outside the range of Excel date serial numbers (years 1920-2100)",
)
_WRONG_TYPE = Text("需要日期，收到的不是日期或文本", "expected a date, got a value of another type")


def _from_serial(value: float, *, hint: Text) -> dt.datetime:
    if not math.isfinite(value) or not _SERIAL_MIN <= value < _SERIAL_MAX + 1:
        raise ValueProblem("input.date", _SERIAL_RANGE, hint)
    days = math.floor(value)
    seconds = round((value - days) * 86400)
    return _EXCEL_EPOCH + dt.timedelta(days=days, seconds=seconds)


def _split(text: str) -> tuple[int, int, int, str] | None:
    """Year, month, day and the rest of the text, or None when no date starts it."""
    match = _DATE_SEPARATED.match(text)
    if match is None:
        match = _DATE_COMPACT.match(text)
        if match is None:
            return None
        closed = False
    else:
        closed = match.group(4) is not None
    rest = text[match.end():]
    if rest:
        # A time must be set off from a numeric date (a space or ISO's "T");
        # after "日" it may follow directly: 2023年1月5日11时30分.
        if rest[0] in " T":
            rest = rest[1:].lstrip()
        elif not closed:
            return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3)), rest


def _time_of(rest: str, *, message: Text, hint: Text) -> dt.time:
    if not rest:
        return dt.time()
    match = _TIME.fullmatch(rest)
    if match is None:
        raise ValueProblem("input.date", message, hint)
    hour, minute, second, fraction = match.groups()
    try:
        return dt.time(
            int(hour),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError:
        raise ValueProblem("input.date", _NO_SUCH_TIME, _NO_SUCH_TIME_HINT) from None


def _parse(value: object, *, want_time: bool) -> dt.datetime:
    message = _NOT_A_DATETIME if want_time else _NOT_A_DATE
    hint = _DATETIME_HINT if want_time else _DATE_HINT
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueProblem("input.date", _WRONG_TYPE, hint)
    if isinstance(value, int | float):
        try:
            serial = float(value)
        except OverflowError:  # a JSON integer of 309 digits or more
            raise ValueProblem("input.date", _SERIAL_RANGE, hint) from None
        return _from_serial(serial, hint=hint)
    if not isinstance(value, str):
        raise ValueProblem("input.date", _WRONG_TYPE, hint)
    parts = _split(value)
    if parts is None:
        if _SERIAL.fullmatch(value):
            return _from_serial(float(value), hint=hint)
        raise ValueProblem("input.date", message, hint)
    year, month, day, rest = parts
    clock = _time_of(rest, message=message, hint=hint)
    try:
        day_value = dt.date(year, month, day)
    except ValueError:
        raise ValueProblem("input.date", _NO_SUCH_DATE, _NO_SUCH_DATE_HINT) from None
    return dt.datetime.combine(day_value, clock)


def parse_date(value: object) -> dt.date:
    """Convert a cell to a :class:`datetime.date` (a time of day, if any, is dropped).

    Raises:
        ValueProblem: code ``input.date``.
    """
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        # The common case, ISO 8601, in C; anything odd falls through to the
        # general parser, which tells an impossible date from a malformed one.
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return _parse(value, want_time=False).date()


def parse_datetime(value: object) -> dt.datetime:
    """Convert a cell to a naive :class:`datetime.datetime` (a bare date is midnight).

    Raises:
        ValueProblem: code ``input.date``.
    """
    return _parse(value, want_time=True)
