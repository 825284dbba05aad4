"""Reading an uploaded XLSX workbook without letting it take the server's memory (issue 18, hole 6).

An XLSX file is a ZIP of XML parts: a 1 MB upload can unpack to gigabytes (a shared-strings table
openpyxl loads whole even in read-only mode, a sheet whose dimension claims a million rows of 16,384
columns that openpyxl pads with empty cells). So, before openpyxl sees the file, the declared size of
every ZIP member is checked (zipfile never unpacks more than a member declares); then the first sheet
is streamed in read-only mode and the rows, the columns and each cell's length are capped. Every
refusal is an ``XlsxRefused`` with a Chinese message; nothing is read past it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one part, unpacked (a 50,000-row roster's sheet is about 30 MB)
MAX_STRINGS_BYTES = 16 * 1024 * 1024  # sharedStrings.xml and styles.xml are parsed whole
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts, unpacked
WHOLE_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml")

INVALID = "文件不是有效的 XLSX 工作簿（请用 Excel 或 WPS 另存为 .xlsx）"


class XlsxRefused(ValueError):
    """The workbook is not read; the message is for people."""


def _mb(size: int) -> str:
    return f"{size // 1024 // 1024} MB"


def check_package(data: bytes, *, invalid: str = INVALID) -> None:
    """Refuse a file that is not a ZIP, or whose parts would unpack beyond the caps."""
    if not data.startswith(b"PK"):
        raise XlsxRefused(invalid)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise XlsxRefused(invalid) from None
    if len(members) > MAX_MEMBERS:
        raise XlsxRefused(f"工作簿包含的部件过多（超过 {MAX_MEMBERS} 个），不予读取")
    total = 0
    for member in members:
        limit = MAX_STRINGS_BYTES if member.filename in WHOLE_PARTS else MAX_MEMBER_BYTES
        if member.file_size > limit:
            raise XlsxRefused(f"工作簿解压后过大（{member.filename} 超过 {_mb(limit)}），不予读取；请删去无关内容后重新上传")
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise XlsxRefused(f"工作簿解压后过大（超过 {_mb(MAX_TOTAL_BYTES)}），不予读取；请删去无关内容后重新上传")


def _column_name(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_rows(data: bytes, *, max_rows: int, max_columns: int, max_cell_chars: int,
              invalid: str = INVALID) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the first sheet, streamed; at most ``max_rows`` rows counting empty
    ones, ``max_columns`` columns and ``max_cell_chars`` characters a cell, else ``XlsxRefused``.
    Empty rows are yielded as an empty tuple (callers skip them)."""
    from openpyxl import load_workbook

    check_package(data, invalid=invalid)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed package
        raise XlsxRefused(invalid) from None
    try:
        if not book.worksheets:
            raise XlsxRefused("工作簿中没有工作表")
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) > max_rows:
            raise XlsxRefused(f"工作表超过 {max_rows} 行（含空行），不予读取")
        if (sheet.max_column or 0) > max_columns:
            raise XlsxRefused(f"工作表超过 {max_columns} 列，不予读取")
        # without a declared dimension openpyxl makes each row as wide as its last cell: the first row
        # wider than the cap is refused (openpyxl pads a row with at most 16,384 cells)
        rows = sheet.iter_rows(values_only=True)
        for number, cells in enumerate(rows, start=1):
            if number > max_rows:
                raise XlsxRefused(f"工作表超过 {max_rows} 行（含空行），不予读取")
            values = tuple(cells or ())
            while values and values[-1] is None:
                values = values[:-1]
            if len(values) > max_columns:
                raise XlsxRefused(f"工作表超过 {max_columns} 列，不予读取")
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and len(value) > max_cell_chars:
                    raise XlsxRefused(
                        f"第{number}行{_column_name(column)}列的内容超过 {max_cell_chars} 个字，不予读取")
            yield number, values
    except XlsxRefused:
        raise
    except Exception:  # a malformed sheet part surfaces only while it is streamed
        raise XlsxRefused(invalid) from None
    finally:
        book.close()
