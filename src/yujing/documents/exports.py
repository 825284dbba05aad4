"""The case file as a ZIP (一案一例, 第二十六条) and the ledger (台帐) as XLSX, written to temporary
files so memory does not grow with the size of the data."""

from __future__ import annotations

import html
import tempfile
import zipfile
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from yujing.clues.files import safe_filename
from yujing.core.cells import neutral
from yujing.core.dates import office_time

from .models import Document

LEDGER_COLUMNS = (
    ("预警编号", 18), ("预警对象", 10), ("单位及职务", 26), ("预警措施", 10), ("实施方式", 9), ("承办单位", 16),
    ("来源线索", 18), ("提出日期", 11), ("批准日期", 11), ("实施期限", 11), ("实施日期", 11), ("答复(整改)期限", 13),
    ("答复(整改)收到", 13), ("延期", 11), ("状态", 12), ("办结日期", 11), ("结果", 24),
)


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def ledger_xlsx(cases, *, title: str) -> tempfile.SpooledTemporaryFile:
    """One row per case, in a printable landscape layout; ``cases`` is iterated once, in chunks."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预警台帐")
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = "2:2"
    for index, (_, width) in enumerate(LEDGER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    from openpyxl.cell import WriteOnlyCell

    head = WriteOnlyCell(sheet, value=title)
    head.font = Font(name="黑体", size=14, bold=True)
    sheet.append([head])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = []
    for name, _ in LEDGER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(name="黑体", bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for case in cases:
        extensions = [x for x in case.extensions.all() if x.new_due]
        ending = next(iter(case.endings.all()), None)
        values = [
            case.number, case.target.name, f"{case.target.unit.name}{case.target.position}", case.get_measure_display(),
            case.get_delivery_display(), case.unit_in_charge.name, "、".join(c.number for c in case.clues.all()),
            _d(case.proposed_on), _d(case.approved_on), _d(case.implementation_due), _d(case.implemented_on),
            _d(case.response_due), _d(case.responded_on),
            "、".join(_d(x.new_due) for x in extensions), case.get_status_display(), _d(case.closed_on),
            f"{ending.get_kind_display()}：{ending.basis}" if ending else "",
        ]
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutral(value))
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            row.append(cell)
        sheet.append(row)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 — the response closes it
    book.save(out)
    out.seek(0)
    return out


def _component(text: str, default: str = "文件") -> str:
    """One path component of a ZIP member: a separator in a stored name becomes ``_`` (the prefix that
    numbers the entry stays), then the upload rule applies (``safe_filename``)."""
    return safe_filename(text.replace("/", "_").replace("\\", "_"), default=default)


def case_file_zip(case, *, attachments: list[Any], documents: list[Document]) -> tempfile.SpooledTemporaryFile:
    """Every generated document (each version) and every attachment of the case's clues, with an index
    page (目录.html) listing them in order."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 — the response closes it
    rows: list[tuple[str, str, str]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, document in enumerate(sorted(documents, key=lambda d: (d.generated_at, d.pk)), start=1):
            folder = "文书" if document.version == max(
                d.version for d in documents if (d.form, d.subject) == (document.form, document.subject)
            ) else "文书/历史版本"
            stem = _component(f"{index:02d}-{document.title}" + (f"-{document.number.text}" if document.number else "")
                                 + f"-第{document.version}版", default=f"{index:02d}-文书")
            for field, suffix in ((document.docx, ".docx"), (document.pdf, ".pdf")):
                if field:
                    name = f"{folder}/{stem}{suffix}"
                    with field.open("rb") as handle:
                        archive.writestr(name, handle.read())
                    rows.append((f"{office_time(document.generated_at):%Y-%m-%d %H:%M}", name,
                                 f"{document.generated_by}生成" + ("（文号已作废）" if document.number and
                                                                   document.number.voided_at else "")))
        for index, attachment in enumerate(attachments, start=1):
            # each member's name is one sanitised component under a fixed folder: no ``..``, no absolute
            # path, no separator or control character from a stored name (zip-slip, issue 18 hole 9)
            name = "附件/" + _component(f"{attachment.clue.number}-{index:02d}-{attachment.original_name}")
            with attachment.file.open("rb") as handle:
                archive.writestr(name, handle.read())
            rows.append((f"{office_time(attachment.uploaded_at):%Y-%m-%d %H:%M}", name, f"{attachment.uploaded_by}上传"))
        items = "\n".join(
            f"<tr><td>{i}</td><td>{html.escape(at)}</td><td><a href=\"{html.escape(name)}\">{html.escape(name)}</a></td>"
            f"<td>{html.escape(note)}</td></tr>" for i, (at, name, note) in enumerate(rows, start=1))
        index_page = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(case.number)} 案卷目录</title></head>
<body><h1>预警事项 {html.escape(case.number)} 案卷目录</h1>
<p>预警对象：{html.escape(case.target.name)}（{html.escape(case.target.unit.name)}{html.escape(case.target.position)}）；
预警措施：{html.escape(case.get_measure_display())}；状态：{html.escape(case.get_status_display())}。</p>
<table border="1" cellspacing="0" cellpadding="4"><tr><th>序号</th><th>时间</th><th>文件</th><th>说明</th></tr>
{items}
</table></body></html>"""
        archive.writestr("目录.html", index_page)
    out.seek(0)
    return out
