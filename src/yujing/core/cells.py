"""Exported cells cannot run as formulas (CSV/XLSX formula injection, issue 18 hole 11).

A clue's summary, a cadre's name or an audit detail typed as ``=HYPERLINK(...)``, ``+cmd|...``, ``-2+3``
or ``@SUM(...)`` would be evaluated by Excel or WPS when an export is opened. Every text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading ``'``
(OWASP's advice): it reads as the text typed, and nothing runs. Numbers and dates are not text and
are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutral_row(values: Iterable[Any]) -> list[Any]:
    return [neutral(v) for v in values]


def neutralise_workbook(book: Any) -> None:
    """Escape every text cell of an (ordinary, not write-only) openpyxl workbook before it is saved;
    openpyxl had taken a text beginning with ``=`` for a formula, the assignment makes it text again."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    cell.value = "'" + cell.value
