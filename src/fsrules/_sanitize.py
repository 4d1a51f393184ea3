"""Make input-derived text safe for every output: terminals, CSV, XLSX and JSON.

Operator names, identifiers and rejected cell values come from the input
and reach the report unchanged. Some characters in them do harm on the way
out (issue 13, D2 and D3):

* C0 control characters other than TAB, LF and CR (NUL, BEL, ESC, VT, ...)
  and DEL: openpyxl refuses them (``IllegalCharacterError``, no workbook is
  written) and a terminal runs ESC sequences (colour, clear screen, OSC 8
  hyperlinks, title changes);
* C1 control characters (U+0080-U+009F; U+009B is a one-character CSI);
* bidirectional overrides (U+202A-U+202E, U+2066-U+2069), which make a
  terminal show text in another order than it is stored.

:func:`safe_text` replaces each such character with a visible stand-in
(the Unicode "control pictures" ``␛``, ``␀`` ... for C0 and DEL, ``\\u009b``
style text for the others), so nothing is silently dropped and the output
still shows that something odd was in the input. The canonical JSON report
keeps the data exactly: :func:`json_safe` only writes those characters as
``\\uXXXX`` escapes, which every JSON parser reads back as the same text.
"""

from __future__ import annotations

import re

__all__ = ["json_safe", "safe_text"]

# C0 except TAB (09), LF (0A), CR (0D); DEL; C1; bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# On a terminal a bare CR moves back to the start of the line and lets later
# text overwrite what was printed: show it too.
_UNSAFE_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\u{code:04x}"


def safe_text(value: str, *, terminal: bool = False) -> str:
    """``value`` with every unsafe character replaced by a visible stand-in.

    TAB, LF and CR are kept (CSV quotes them; XLSX allows them) unless
    ``terminal`` is true, in which case CR and VT/FF are shown as pictures
    too. Text without unsafe characters is returned unchanged (the same
    object), so ordinary output is byte-identical.
    """
    pattern = _UNSAFE_TERMINAL if terminal else _UNSAFE
    if pattern.search(value) is None:
        return value
    return pattern.sub(_picture, value)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text with DEL, C1, bidi controls and U+2028/2029 written as ``\\uXXXX``.

    ``json.dumps`` already escapes C0; the result parses to exactly the same
    values, but printing the file to a terminal can no longer run a C1 CSI.
    Only valid on JSON *text* (the characters can only occur inside strings).
    """
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(_escape, text)
