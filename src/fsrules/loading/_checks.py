"""Identifier checks of one load, each worked out once per distinct value.

The same USCC, licence number or division code appears on many records (an
operator's code on its licences, a county's code on every operator), and a
USCC check costs about 21 µs; each result, good or bad, is kept for the rest
of the load (issue 11, item 4). The results are pure functions of the value
(and, for division codes, of the date), so caching cannot change a finding.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from fsrules._i18n import Text
from fsrules.exceptions import IdentifierError
from fsrules.loading._text import split_bilingual

if TYPE_CHECKING:
    from fsrules.identifiers import DivisionRegistry, LicenceNumber, UsccResult

__all__ = ["DIVISION_FORMAT_PROBLEM", "IdentifierChecks"]

_DIVISION_FORMAT = re.compile(r"\d{6}(?:\d{6})?")

DIVISION_FORMAT_PROBLEM = (
    Text("行政区划代码格式错误，应为 6 位数字（或 12 位统计用区划代码）",
         "a division code has 6 digits (or 12 for an NBS township code)"),
    Text("请填写 6 位 GB/T 2260 行政区划代码，如 130533",
         "give the 6-digit GB/T 2260 code, e.g. 130533"),
)

#: (message, hint, is_warning) of a division code on a date.
DivisionProblem = tuple[Text, Text, bool]


class IdentifierChecks:
    """Cached USCC, licence-number and division-code checks for one load."""

    def __init__(self, divisions: DivisionRegistry | None) -> None:
        from fsrules.identifiers import (
            DivisionRegistry,
            default_registry,
            parse_licence_number,
            validate_uscc,
        )

        self._validate_uscc = validate_uscc
        self._parse_licence = parse_licence_number
        self.divisions = default_registry() if divisions is None else divisions
        self._uscc: dict[str, UsccResult | IdentifierError] = {}
        self._licence: dict[str, LicenceNumber | IdentifierError] = {}
        self._division: dict[tuple[str, dt.date | None], DivisionProblem | None] = {}
        # The bundled history (a DivisionRegistry) is year-granular: a code valid
        # on one day is valid all that year. Another registry may not be.
        self._by_year = type(self.divisions) is DivisionRegistry
        self._valid_in: set[tuple[str, int]] = set()

    def uscc(self, value: str) -> UsccResult | IdentifierError:
        """The USCC check's result, or the error it raised."""
        found = self._uscc.get(value)
        if found is None:
            try:
                found = self._validate_uscc(value, strict=False)
            except IdentifierError as exc:
                found = exc
            self._uscc[value] = found
        return found

    def licence(self, value: str) -> LicenceNumber | IdentifierError:
        """The parsed licence number, or the error parsing raised."""
        found = self._licence.get(value)
        if found is None:
            try:
                found = self._parse_licence(value)
            except IdentifierError as exc:
                found = exc
            self._licence[value] = found
        return found

    def division(self, code: str, on: dt.date | None) -> DivisionProblem | None:
        """(message, hint, is_warning) for a division code on a date, or None when fine.

        A code that ended in the record's own year is a warning, not an error:
        the history is year-granular and the change may have come later that year.
        """
        key = (code, on)
        if key in self._division:
            return self._division[key]
        if on is not None and (code, on.year) in self._valid_in:
            return None
        result: DivisionProblem | None = None
        if on is None:
            if _DIVISION_FORMAT.fullmatch(code) is None:
                result = (*DIVISION_FORMAT_PROBLEM, False)
        else:
            try:
                self.divisions.validate(code, on)
            except IdentifierError as exc:
                message, hint = split_bilingual(exc)
                changed = (exc.reason == "abolished"
                           and self.divisions.changed_during_year(code[:6], on) is not None)
                if changed:
                    message = Text(
                        f"行政区划代码 {code} 在 {on.year} 年内变更，"
                        f"记录日期 {on} 可能早于变更：已接受，请核对",
                        f"division code {code} changed during {on.year}; the record's date {on} "
                        f"may precede the change: accepted, please check")
                result = (message, hint, changed)
        self._division[key] = result
        if result is None and on is not None and self._by_year:
            self._valid_in.add((code, on.year))
        return result
