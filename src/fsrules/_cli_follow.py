"""Following a growing export: the lines appended to a file, or the ``*.jsonl`` files of a folder.

``fsrules watch --follow PATH`` reads what is already there, then polls for
more: lines appended to the file, or, for a folder, the lines appended to its
newest ``*.jsonl`` file and new files in name order (a platform that writes
``2023-05-01.jsonl``, ``2023-05-02.jsonl``... as the days go). Only complete
lines are taken: a line is handed on when its newline has been written, so a
writer caught mid-line is never read half. The input ends after
``idle_exit`` seconds without a new line (``None``: never; Ctrl-C ends it
too).

This is the CLI's side: it sleeps and reads the process clock between
polls. The library never does; event time stays the records' (see
:mod:`fsrules.live`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["Follower"]


class Follower:
    """The lines of ``path`` as they are written: ``(source, line number, text)``.

    Args:
        path: a file (it may not exist yet) or a folder of ``*.jsonl`` files.
        poll: seconds between two looks when nothing new was there.
        idle_exit: end after this many seconds without a new line (None: never).
        sleep, clock: the waiting and the elapsed time (tests pass their own).
    """

    def __init__(self, path: str | Path, *, poll: float = 1.0, idle_exit: float | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.poll = poll
        self.idle_exit = idle_exit
        self._sleep = sleep
        self._clock = clock
        self._file: Path | None = None
        self._offset = 0
        self._number = 0
        self._pending = b""

    def _files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix == ".jsonl" and p.is_file())
        return [self.path] if self.path.exists() else []

    def _next_file(self) -> Path | None:
        """The file after the current one, in name order (None: none yet)."""
        for candidate in self._files():
            if self._file is None or candidate.name > self._file.name:
                return candidate
        return None

    def _open(self, file: Path) -> None:
        self._file, self._offset, self._number, self._pending = file, 0, 0, b""

    def _read(self) -> list[str]:
        """The complete lines written to the current file since the last read."""
        assert self._file is not None
        try:
            with self._file.open("rb") as stream:
                size = stream.seek(0, 2)
                if size < self._offset:          # truncated or replaced: start it again
                    self._offset, self._pending = 0, b""
                stream.seek(self._offset)
                data = stream.read()
        except FileNotFoundError:
            return []
        self._offset += len(data)
        *lines, self._pending = (self._pending + data).split(b"\n")
        return [self._decode(line) for line in lines]

    def _decode(self, raw: bytes) -> str:
        self._number += 1
        text = raw.decode("utf-8", errors="replace")
        return text.lstrip("\ufeff") if self._number == 1 else text

    def _flush(self) -> list[str]:
        """The current file's unterminated last line, when its writer has moved on."""
        rest, self._pending = self._pending, b""
        return [self._decode(rest)] if rest.strip() else []

    def __iter__(self) -> Iterator[tuple[str, int, str]]:
        last = self._clock()
        while True:
            if self._file is None:
                first = self._next_file()
                if first is not None:
                    self._open(first)
            lines = self._read() if self._file is not None else []
            if not lines and self._file is not None and self.path.is_dir():
                following = self._next_file()
                if following is not None:         # the writer moved on to a newer file
                    lines = self._flush()
                    yield from self._numbered(lines)
                    self._open(following)
                    last = self._clock()
                    continue
            if lines:
                yield from self._numbered(lines)
                last = self._clock()
                continue
            if self.idle_exit is not None and self._clock() - last >= self.idle_exit:
                yield from self._numbered(self._flush())
                return
            self._sleep(self.poll)

    def _numbered(self, lines: list[str]) -> Iterator[tuple[str, int, str]]:
        first = self._number - len(lines) + 1
        for index, text in enumerate(lines):
            yield str(self._file), first + index, text
