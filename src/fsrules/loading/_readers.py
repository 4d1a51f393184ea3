"""Reading rows out of CSV/TSV/text exports and JSON Lines files, streaming.

Readers know nothing about fact kinds: they yield numbered rows (CSV: the
record number, header = 1) or numbered JSON values (JSON Lines: the line
number). Files are read as a stream, never whole, so memory does not grow
with the file (issue 13, D9). A problem that makes a whole file unusable is
raised as :class:`ReadError`; a problem with one row or line (a bad JSON
line, a CSV cell over the csv module's 131,072-character limit) is yielded
in that row's place, so the rows after it are still read and every record is
counted (D5).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fsrules._i18n import Text
from fsrules.loading._encoding import detect_encoding, sniff_delimiter

__all__ = ["ReadError", "open_data_file", "read_csv", "read_jsonl"]


class ReadError(Exception):
    """A problem with a whole file (or, yielded in a row's place, with that row)."""

    def __init__(self, code: str, message: Text, hint: Text, row: int | None = None) -> None:
        super().__init__(message.en)
        self.code = code
        self.message = message
        self.hint = hint
        self.row = row


_ENCODING_MESSAGE = Text(
    "无法识别文件的文字编码（已尝试 UTF-8、UTF-16、GB18030/GBK、Big5），无法读取",
    "the file's text encoding is none of UTF-8, UTF-16, GB18030/GBK or Big5; it cannot be read",
)
_ENCODING_HINT = Text(
    "请用 Excel 或 WPS“另存为”“CSV UTF-8（逗号分隔）”格式；如是其他格式的文件，请勿放入数据目录",
    "save it again as “CSV UTF-8 (comma delimited)”; if it is not a data file, move it out of "
    "the bundle",
)


def _io_error(exc: OSError) -> ReadError:
    if isinstance(exc, FileNotFoundError):
        return ReadError("input.io", Text("文件不存在", "file not found"),
                         Text("请检查路径是否正确", "check the path"))
    reason = exc.strerror or str(exc)
    return ReadError(
        "input.io",
        Text(f"无法读取文件：{reason}", f"cannot read the file: {reason}"),
        Text("请检查文件权限，或文件是否被其他程序占用", "check the permissions, or whether "
             "another program holds the file"),
    )


def _describe(mode: int) -> Text:
    if stat.S_ISFIFO(mode):
        return Text("命名管道（FIFO）", "a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Text("设备文件", "a device file")
    if stat.S_ISSOCK(mode):
        return Text("套接字", "a socket")
    if stat.S_ISDIR(mode):
        return Text("目录", "a directory")
    return Text("特殊文件", "a special file")


def open_data_file(path: Path, max_bytes: int) -> BinaryIO:
    """Open a regular file of at most ``max_bytes`` for reading, or raise ReadError.

    Named pipes, devices and sockets are refused before they are opened
    (reading a FIFO blocks forever, ``/dev/zero`` never ends: issue 13, D4).
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise _io_error(exc) from None
    if not stat.S_ISREG(info.st_mode):
        what = _describe(info.st_mode)
        raise ReadError(
            "input.special_file",
            Text(f"不是普通文件，而是{what.zh}，未读取", f"not a regular file but {what.en}; not read"),
            Text("请把导出的数据保存为普通文件再放入数据目录",
                 "save the exported data as an ordinary file in the bundle"),
        )
    if info.st_size > max_bytes:
        raise ReadError(
            "input.too_large",
            Text(f"文件大小 {info.st_size:,} 字节，超过上限 {max_bytes:,} 字节，未读取",
                 f"the file has {info.st_size:,} bytes, over the limit of {max_bytes:,}; not read"),
            Text("请按地区或年份拆分文件，或调高上限（LoadLimits.max_file_bytes）",
                 "split the file by region or year, or raise the limit "
                 "(LoadLimits.max_file_bytes)"),
        )
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise _io_error(exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check
            raise ReadError("input.special_file",
                            Text("不是普通文件，未读取", "not a regular file; not read"),
                            Text("请把导出的数据保存为普通文件", "save the data as an ordinary file"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _text_stream(handle: BinaryIO) -> io.TextIOWrapper:
    try:
        encoding = detect_encoding(handle)
    except OSError as exc:
        raise _io_error(exc) from None
    if encoding is None:
        raise ReadError("input.encoding", _ENCODING_MESSAGE, _ENCODING_HINT)
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


_OVERLONG_HINT = Text(
    "单元格不应超过 131,072 个字符；请检查引号是否成对（缺少结尾引号会把后面的行并入一个单元格），"
    "或缩短此单元格",
    "a cell may hold at most 131,072 characters; check for an unbalanced quote (it runs the "
    "following lines into one cell) or shorten the cell",
)


def read_csv(
    path: Path, *, delimiter: str = ",", max_bytes: int
) -> Iterator[list[str] | ReadError]:
    """Yield the cells of every row (record 1 is the first), blank ones included.

    The delimiter is sniffed among comma, tab and semicolon (``delimiter``,
    from the suffix, wins ties). A row the csv module cannot read is yielded
    as a :class:`ReadError` (code ``input.csv``) in its place, and reading
    goes on.

    Raises:
        ReadError: the file cannot be opened or decoded (``input.io``,
            ``input.encoding``, ``input.special_file``, ``input.too_large``).
    """
    with open_data_file(path, max_bytes) as raw, _text_stream(raw) as text:
        try:
            sample = text.read(1 << 16)
            text.seek(0)
        except (OSError, UnicodeDecodeError) as exc:
            raise ReadError("input.encoding", _ENCODING_MESSAGE, _ENCODING_HINT) from exc
        reader = csv.reader(text, delimiter=sniff_delimiter(sample, delimiter))
        while True:
            try:
                yield from reader
                return
            except csv.Error as exc:
                yield ReadError(
                    "input.csv",
                    Text(f"此行无法作为 CSV 读取：{exc}", f"this row cannot be read as CSV: {exc}"),
                    _OVERLONG_HINT if "field limit" in str(exc) else Text(
                        "请检查引号是否成对，或用 Excel 重新另存为 CSV",
                        "check for unbalanced quotes, or save the file again as CSV"),
                )
            except UnicodeDecodeError as exc:  # the file changed since it was checked
                raise ReadError("input.encoding", _ENCODING_MESSAGE, _ENCODING_HINT) from exc


_JSON_HINT = Text(
    "每行应为一个 JSON 对象，如 {\"kind\": \"operator\", \"id\": \"OP1\", …}",
    "write one JSON object per line, e.g. {\"kind\": \"operator\", \"id\": \"OP1\", …}",
)


def read_jsonl(path: Path, *, max_bytes: int) -> Iterator[tuple[int, object]]:
    """Yield ``(line number, value)`` per non-blank line; a bad line's value is a ReadError.

    Raises:
        ReadError: the file cannot be opened or decoded.
    """
    with open_data_file(path, max_bytes) as raw, _text_stream(raw) as text:
        number = 0
        pending = ""
        for chunk in text:
            # Only "\n" ends a line, as before (newline="" keeps "\r" and
            # Unicode line breaks inside a line; JSON strips "\r" as space).
            if not chunk.endswith("\n"):
                pending += chunk
                continue
            line, pending = pending + chunk, ""
            number += 1
            item = _json_line(line, number)
            if item is not None:
                yield number, item
        if pending:
            number += 1
            item = _json_line(pending, number)
            if item is not None:
                yield number, item


def _json_line(line: str, number: int) -> object | None:
    line = line.strip()
    if not line:
        return None
    try:
        value: object = json.loads(line)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        return ReadError(
            "input.json",
            Text(f"此行不是有效的 JSON：{detail}", f"this line is not valid JSON: {detail}"),
            _JSON_HINT,
            row=number,
        )
    return value
