"""Text as the loader keeps it: normalised cells, and raw values safe to show.

Control characters (C0 except TAB, LF and CR, DEL, and C1) never survive:
in cell text they are removed (after that TAB, LF and CR collapse to a space
like any whitespace); in the raw value a diagnostic quotes they are written
as ``\\xNN`` escapes, so a report shows what was there without carrying it
into a terminal, a CSV or a workbook (issue 13, D2).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence

from fsrules._i18n import Text
from fsrules.exceptions import IdentifierError

__all__ = [
    "CONTROL",
    "blank",
    "fast_normalizer",
    "raw_text",
    "safe_message",
    "safe_text",
    "split_bilingual",
    "split_pair",
]

#: Control characters removed from text: C0 but TAB, LF, CR; DEL; C1.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MEMO_LIMIT = 50_000


def safe_text(text: str) -> str:
    """``text`` with control characters written as ``\\xNN`` escapes."""
    if text.isprintable() or CONTROL.search(text) is None:
        return text
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_message(text: Text) -> Text:
    """A message or hint with control characters escaped (they may quote input)."""
    zh, en = safe_text(text.zh), safe_text(text.en)
    return text if zh is text.zh and en is text.en else Text(zh, en)


def raw_text(raw: object) -> str | None:
    """A cell as the user wrote it, for a diagnostic's ``value`` (controls escaped)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return safe_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, list | dict):
        try:
            return safe_text(json.dumps(raw, ensure_ascii=False))
        except (TypeError, ValueError):
            return safe_text(repr(raw))
    try:
        return safe_text(str(raw))
    except ValueError:  # an int of more digits than str() converts
        return f"<{type(raw).__name__} too large to show>"


def fast_normalizer(normalize_text: Callable[[str], str]) -> Callable[[str], str]:
    """``normalize_text`` without control characters, fast for ASCII, memoised for the rest.

    For printable ASCII, NFKC changes nothing and there are no zero-width
    characters, so only the whitespace step remains. Chinese cells repeat a
    lot (enum labels, product names), so their results are memoised (bounded).
    """
    memo: dict[str, str] = {}

    def normalize(text: str) -> str:
        if text.isascii():
            if not text.isprintable():
                text = CONTROL.sub("", text)
            return " ".join(text.split())
        result = memo.get(text)
        if result is None:
            result = normalize_text(CONTROL.sub("", text))
            if len(memo) < _MEMO_LIMIT:
                memo[text] = result
        return result

    return normalize


def split_bilingual(exc: IdentifierError) -> tuple[Text, Text]:
    """Message and hint of an identifier error as ``Text``.

    fsrules.identifiers writes ``"{zh}。{zh_fix} / {en}; {en_fix}"`` with the
    hint ``"{zh_fix} / {en_fix}"``; both halves may themselves contain
    ``" / "``, so the split is found where message and hint agree.
    """
    message, hint = str(exc), exc.hint
    start = 0
    while (i := hint.find(" / ", start)) >= 0:
        zh_fix, en_fix = hint[:i], hint[i + 3:]
        marker = f"。{zh_fix} / "
        j = message.find(marker)
        if j >= 0 and message.endswith(f"; {en_fix}"):
            en = message[j + len(marker): len(message) - len(en_fix) - 2]
            return Text(message[:j], en), Text(zh_fix, en_fix)
        start = i + 1
    return Text(message, message), Text(hint or message, hint or message)


def split_pair(text: str) -> Text:
    """``"zh / en"`` as ``Text``."""
    zh, sep, en = text.partition(" / ")
    return Text(zh, en) if sep else Text(text, text)


def blank(cells: Sequence[object]) -> bool:
    """True when every cell is empty, None or whitespace."""
    for cell in cells:
        if cell is None:
            continue
        if isinstance(cell, str) and not cell.strip():
            continue
        return False
    return True
