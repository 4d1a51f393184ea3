"""Validation of the identifiers fsrules meets in records.

* 统一社会信用代码 (USCC, GB 32100-2015): :func:`validate_uscc`, and
  :func:`make_uscc` (with :func:`uscc_check_char`, :func:`org_code_check_char`),
  the one place codes with correct check characters are made;
* food licence and filing numbers (JY, SC, YB, legacy QS):
  :func:`parse_licence_number`;
* 行政区划代码 (GB/T 2260) checked against their dated history:
  :class:`DivisionRegistry`, :func:`validate_division`;
* :func:`normalize_text`, applied to every identifier before validation.

Invalid identifiers raise :class:`fsrules.exceptions.IdentifierError`.
"""

from __future__ import annotations

from fsrules.identifiers._division import (
    Division,
    DivisionLevel,
    DivisionRegistry,
    DivisionStatus,
    default_registry,
    validate_division,
)
from fsrules.identifiers._licence import LicenceNumber, LicenceScheme, parse_licence_number
from fsrules.identifiers._text import normalize_text
from fsrules.identifiers._uscc import (
    UsccResult,
    compact_uscc,
    is_valid_uscc,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

__all__ = [
    "Division",
    "DivisionLevel",
    "DivisionRegistry",
    "DivisionStatus",
    "LicenceNumber",
    "LicenceScheme",
    "UsccResult",
    "compact_uscc",
    "default_registry",
    "is_valid_uscc",
    "make_uscc",
    "normalize_text",
    "org_code_check_char",
    "parse_licence_number",
    "uscc_check_char",
    "validate_division",
    "validate_uscc",
]
