"""Quarterly reports as XLSX (printable) and PDF (from a DOCX template, like every other form)."""

from __future__ import annotations

import tempfile
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from yujing.core.cells import neutralise_workbook

from .reports import LABELS


def _rows(values: dict) -> list[tuple[str, int, bool]]:
    from . import figures

    parents = {f.key: f.parent for f in figures.definitions(date(2000, 1, 1), date(2000, 3, 31))}
    return [(LABELS.get(k, k), v, bool(parents.get(k))) for k, v in values.items()]


def report_xlsx(*, title: str, subtitle: str, values: dict, categories: list, remarks: str = "") -> tempfile.SpooledTemporaryFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "统计报表"
    sheet.append([title])
    sheet.append([subtitle])
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("A2:B2")
    sheet.append(["统计项", "数量"])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center")
    for label, value, part in _rows(values):
        sheet.append([("    其中：" if part else "") + label, value])
    sheet.append(["问题类别", ""])
    for name, n in categories:
        sheet.append([f"    {name}", n])
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row):
        for cell in row:
            cell.border = border
    if remarks:
        sheet.append([f"说明：{remarks}"])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 12
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_options.horizontalCentered = True
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 — the response closes it
    neutralise_workbook(book)
    book.save(out)
    out.seek(0)
    return out


def report_pdf(*, title: str, subtitle: str, values: dict, categories: list, remarks: str = "") -> bytes:
    from yujing.documents import render

    rows = [{"label": ("其中：" if part else "") + label, "value": value} for label, value, part in _rows(values)]
    rows += [{"label": f"问题类别：{name}", "value": n} for name, n in categories]
    docx = render.render_docx("quarterly_report", {"title": title, "subtitle": subtitle, "rows": rows,
                                                   "remarks": remarks or "无"})
    return render.docx_to_pdf(docx)
