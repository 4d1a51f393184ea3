"""Reading workbooks: XLSX, XLSM, the old binary XLS, and ODS.

python-calamine (Rust's calamine) reads all four, about ten times faster
than openpyxl on XLSX (see ``benchmarks/bench_workbooks.py``), and is the
only maintained reader of ``.xls`` that does not need a separate library.
Its XML parser does not expand entities and reads no DTD, so billion-laughs
and external-entity (XXE) workbooks cannot expand or fetch anything (tested
in ``tests/test_loading_exports.py``). Only each cell's cached value is read:
formulas are never evaluated, and a formula cell without a cached value is
empty.

Rows are numbered as in the spreadsheet (row 1 is the first row); integral
numbers come back as ``int``, as openpyxl gave them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from fsrules._i18n import Text
from fsrules.loading._readers import ReadError, open_data_file

__all__ = ["WORKBOOK_SUFFIXES", "Workbook", "open_workbook"]

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

Row = Sequence[object]


def _unreadable(exc: BaseException, suffix: str) -> ReadError:
    what = {".xls": "XLS", ".ods": "ODS"}.get(suffix, "XLSX")
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return ReadError(
        "input.xlsx",
        Text(f"无法作为 {what} 工作簿读取：{type(exc).__name__}",
             f"cannot be read as an {what} workbook: {type(exc).__name__}: {detail}"),
        Text("文件可能已损坏、加密或并非工作簿；请用 Excel 或 WPS 打开后另存为 .xlsx，或改存为 CSV UTF-8",
             "the file may be damaged, encrypted or not a workbook; open it in Excel or WPS and "
             "save it again as .xlsx, or as CSV UTF-8"),
    )


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        try:
            return int(value)
        except (OverflowError, ValueError):
            return value
    return value


class Workbook:
    """An open workbook: its sheet titles, and the rows of any sheet."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        from python_calamine import CalamineWorkbook

        self._suffix = path.suffix.lower()
        with open_data_file(path, max_bytes) as handle:
            try:
                self._book = CalamineWorkbook.from_filelike(handle)
                self.titles: list[str] = list(self._book.sheet_names)
            except Exception as exc:  # calamine raises its own types for each format
                raise _unreadable(exc, self._suffix) from None

    def rows(self, title: str) -> Iterator[Row]:
        """The cells of each row of one sheet from row 1, blank rows included.

        Raises:
            ReadError: the sheet cannot be read.
        """
        try:
            sheet = self._book.get_sheet_by_name(title)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise _unreadable(exc, self._suffix) from None
        for cells in rows:
            yield [_plain(cell) for cell in cells]

    def close(self) -> None:
        self._book.close()


def open_workbook(path: Path, max_bytes: int) -> Workbook:
    """Open a workbook for reading.

    Raises:
        ReadError: ``input.xlsx`` (not a readable workbook), or the file
            errors of :func:`~fsrules.loading._readers.open_data_file`.
    """
    return Workbook(path, max_bytes)
