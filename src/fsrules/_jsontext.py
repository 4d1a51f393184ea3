"""Canonical indented JSON text, written fast by orjson when that gives the same bytes.

The report's JSON text is *defined* by the standard library::

    json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)

With an indent, CPython's ``json`` runs its pure-Python encoder: about 0.4
CPU-s for the report of a county of 2,500 operators (issue 11). orjson
(``OPT_INDENT_2 | OPT_SORT_KEYS``) writes the same text some 30 times faster.
The two agree on every string (each code point escaped alike, keys sorted by
code point), every integer within 64 bits, ``true``/``false``/``null``,
finite floats written without an exponent, whitespace and empty containers
(``tests/test_jsontext.py`` pins this). Where they differ, this module notices
and uses the standard library for that document, so the bytes never change:

* what orjson refuses: lone surrogates, integers beyond 64 bits, non-string
  keys, nesting deeper than 254, dates and dataclasses (which ``json``
  refuses too) -- orjson raises;
* floats that either side writes with an exponent: Python writes ``1e-05``
  and ``1e-07`` where orjson writes ``0.00001`` and ``1e-7``. Every such
  orjson number token ends in ``e<digits>`` or starts with ``0.0000``, and
  with an indent a number is the last token of its line, so a search of the
  output finds them;
* NaN and infinities, which ``json`` writes as ``NaN``/``Infinity`` and
  orjson as ``null``: the output cannot tell, so the caller promises there
  are none (``finite=True``; :func:`all_finite` checks a value) or gets the
  standard library.

:func:`json_safe_bytes` is :func:`fsrules._sanitize.json_safe` for the
UTF-8 bytes, with a fast path for text without any character it escapes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import orjson

from fsrules._sanitize import json_safe

__all__ = ["all_finite", "indented_json", "indented_json_text", "json_safe_bytes"]

_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)

# Number tokens orjson writes differently from Python's float repr. Searched
# one by one: a pattern that starts with a literal is a fast scan.
_EXPONENT = re.compile(rb"e[-+]?[0-9]+,?\n")  # 1e-7, 1.5e+16: only numbers end a line so
_SMALL = re.compile(rb"0\.0000[0-9]*,?\n")  # 0.00001 (Python: 1e-05); also 10.00001 (harmless)

# The UTF-8 forms of the characters json_safe escapes (DEL, C1, U+2028-U+202E, U+2066-U+2069).
_UNSAFE_UTF8 = (re.compile(rb"\xc2[\x80-\x9f]"), re.compile(rb"\xe2\x80[\xa8-\xae]"),
                re.compile(rb"\xe2\x81[\xa6-\xa9]"))


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is left to the standard library")


def _orjson(data: Any, finite: bool) -> bytes | None:
    """orjson's text for ``data``, or None where it could differ from the standard library's."""
    if not finite:
        return None
    try:
        out = orjson.dumps(data, default=_refuse, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    # A number ends a line, or the text when ``data`` is a bare number.
    if (_EXPONENT.search(out) is not None or _SMALL.search(out) is not None
            or (isinstance(data, float) and _EXPONENT.search(out + b"\n") is not None)
            or (isinstance(data, float) and _SMALL.search(out + b"\n") is not None)):
        return None
    return out


def _stdlib(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


def indented_json(data: Any, *, finite: bool) -> bytes:
    """``json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)`` as UTF-8 bytes.

    ``finite``: the caller knows ``data`` holds no NaN or infinite float;
    without that promise the standard library writes the text. Text with a
    lone surrogate raises :class:`UnicodeEncodeError`, as encoding it would.
    """
    out = _orjson(data, finite)
    return _stdlib(data).encode("utf-8") if out is None else out


def indented_json_text(data: Any, *, finite: bool) -> str:
    """:func:`indented_json` as text: exactly ``json.dumps(...)``, lone surrogates and all."""
    out = _orjson(data, finite)
    return _stdlib(data) if out is None else out.decode("utf-8")


def all_finite(value: Any) -> bool:
    """Whether no float anywhere in ``value`` (mappings and sequences walked) is NaN or infinite."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Mapping):
        return all(all_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(all_finite(v) for v in value)
    return True


def json_safe_bytes(data: bytes) -> bytes:
    """:func:`~fsrules._sanitize.json_safe` applied to UTF-8 JSON text, as UTF-8."""
    if b"\x7f" not in data and all(p.search(data) is None for p in _UNSAFE_UTF8):
        return data
    return json_safe(data.decode("utf-8")).encode("utf-8")
