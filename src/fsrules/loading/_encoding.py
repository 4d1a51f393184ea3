"""Which text encoding and which delimiter a text export uses.

Bureau platforms and Excel write UTF-8 (with or without a byte-order mark),
GB18030/GBK, Big5 (Taiwan, Hong Kong and Macao suppliers), and UTF-16 for
Excel's "Unicode text" (tab-separated). The choice is made once per file and
checked over the whole file, in chunks, so memory does not grow with the file:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32);
2. UTF-16 without a mark shows as NUL bytes at every other position;
3. UTF-8 when the whole file decodes as UTF-8 (ASCII included);
4. otherwise charset-normalizer ranks GB18030 and Big5 on a sample, and the
   first that decodes the whole file wins. GB18030 decodes almost any bytes,
   so without the ranking Big5 text would be silently read as nonsense.

charset-normalizer is used rather than hand-written frequency tables: it is
maintained, pure Python with optional speed-ups, and already what requests uses.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import BinaryIO

__all__ = ["detect_encoding", "sniff_delimiter"]

_CHUNK = 1 << 20
_SAMPLE = 1 << 16
_DELIMITERS = (",", "\t", ";")


def _decodes(handle: BinaryIO, encoding: str) -> bool:
    """True when the whole file decodes as ``encoding`` (read in chunks)."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte is mostly NUL (BOM-less UTF-16)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    half = len(head) // 2
    if odd.count(0) > half * 0.3 and even.count(0) < half * 0.05:
        return "utf-16-le"
    if even.count(0) > half * 0.3 and odd.count(0) < half * 0.05:
        return "utf-16-be"
    return None


def _ranked_chinese(sample: bytes) -> list[str]:
    """GB18030 and Big5, most likely first for this sample."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return ["gb18030", "big5"]
    matches = from_bytes(sample, cp_isolation=["gb18030", "big5"], explain=False)
    ranked: list[str] = []
    for match in matches:
        name = codecs.lookup(match.encoding).name
        if name in ("gb18030", "big5") and name not in ranked:
            ranked.append(name)
    for name in ("gb18030", "big5"):
        if name not in ranked:
            ranked.append(name)
    return ranked


def detect_encoding(handle: BinaryIO) -> str | None:
    """The codec name to read this file with, or None when no candidate decodes it.

    ``handle`` is a seekable binary file; it is left at position 0.
    """
    handle.seek(0)
    head = handle.read(_SAMPLE)
    handle.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        candidates = ["utf-32", "utf-16"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif (utf16 := _utf16_without_bom(head)) is not None:
        candidates = [utf16, "utf-8"]
    else:
        candidates = ["utf-8"]
    for encoding in candidates:
        if _decodes(handle, encoding):
            return encoding
    for encoding in _ranked_chinese(head):
        if _decodes(handle, encoding):
            return encoding
    return None


def sniff_delimiter(sample: str, default: str) -> str:
    """The delimiter that splits the most of the first lines into two or more cells.

    Comma, tab and semicolon are tried; ``default`` (from the file suffix) wins
    ties, so an ordinary CSV never changes reading.
    """
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    best, best_score = default, -1
    for delimiter in (default, *(d for d in _DELIMITERS if d != default)):
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        score = sum(1 for row in rows if len(row) > 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best
