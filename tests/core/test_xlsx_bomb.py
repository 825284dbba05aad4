"""Hole 6 of issue 18: an XLSX memory bomb. A small upload whose parts unpack to gigabytes, or whose sheet
claims a million rows or 16,384 columns, or holds a huge cell, is refused in Chinese before openpyxl
reads it (or as soon as the stream reaches the cap), at the roster import and at the batch restriction
query; nothing is written. The tests assert the refusal, not the memory."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yujing.audit.models import Event
from yujing.cadres.models import Cadre
from yujing.cadres.roster import COLUMNS, RosterError
from yujing.cadres.services import import_roster
from yujing.core import xlsx

HEADERS = [c.header for c in COLUMNS]
ROW = ["MH9001", "测试甲", "男", "1980.05", "青石镇", "副镇长", "副科级", "否", "县委", "行政机关", "是", ""]


def workbook(rows) -> bytes:
    book = Workbook()
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repacked(data: bytes, **parts: str | bytes) -> bytes:
    """The workbook with some parts replaced (keys: sheet, strings, types) — the way an attacker crafts one."""
    names = {"sheet": "xl/worksheets/sheet1.xml", "strings": "xl/sharedStrings.xml", "types": "[Content_Types].xml"}
    replace = {names[k]: v.encode() if isinstance(v, str) else v for k, v in parts.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, None) or source.read(item.filename))
        for name, content in replace.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>')


def header_row() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADERS))
    return f'<row r="1">{cells}</row>'


def strings_bomb() -> bytes:
    """A shared-strings part of 40 MB unpacked that compresses to a few dozen KB (openpyxl loads it whole)."""
    base = workbook([HEADERS, ROW])
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml").decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               '2006/main"><si><t>' + "A" * (40 * 1024 * 1024) + "</t></si></sst>")
    cells = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return repacked(base, types=types, strings=strings, sheet=sheet_xml(header_row() + cells))


def bombs():
    base = workbook([HEADERS, ROW])
    return {
        "strings": (strings_bomb(), "工作簿解压后过大（xl/sharedStrings.xml 超过 16 MB），不予读取；请删去无关内容后重新上传"),
        "declared_rows": (repacked(base, sheet=sheet_xml(header_row(), "A1:M1048576")),
                          "工作表超过 {rows} 行（含空行），不予读取"),
        "far_row": (repacked(base, sheet=sheet_xml(header_row() + '<row r="1048576"><c r="A1048576" t="inlineStr">'
                                                   "<is><t>x</t></is></c></row>")),
                    "工作表超过 {rows} 行（含空行），不予读取"),
        "declared_columns": (repacked(base, sheet=sheet_xml(header_row(), "A1:XFD2")), "工作表超过 64 列，不予读取"),
        "far_column": (repacked(base, sheet=sheet_xml(header_row() + '<row r="2"><c r="XFD2" t="inlineStr">'
                                                      "<is><t>x</t></is></c></row>")), "工作表超过 64 列，不予读取"),
        "huge_cell": (repacked(base, sheet=sheet_xml(header_row() + '<row r="2"><c r="B2" t="inlineStr"><is><t>'
                                                     + "甲" * 5000 + "</t></is></c></row>")),
                      "第2行B列的内容超过 1000 个字，不予读取"),
    }


@pytest.mark.parametrize("kind", ["strings", "declared_rows", "far_row", "declared_columns", "far_column", "huge_cell"])
def test_the_roster_import_refuses_a_bomb_and_writes_nothing(users, kind):
    data, message = bombs()[kind]
    assert len(data) < 1024 * 1024  # a small upload
    cadres, events = Cadre.objects.count(), Event.objects.count()
    with pytest.raises(RosterError) as refused:
        import_roster(data=data, by=users["zuzhibu"])
    assert [str(e) for e in refused.value.errors] == [message.format(rows=51_001)]
    assert (Cadre.objects.count(), Event.objects.count()) == (cadres, events)


@pytest.mark.parametrize("kind", ["strings", "declared_rows", "far_row", "declared_columns", "far_column", "huge_cell"])
def test_the_batch_restriction_query_refuses_a_bomb(login, kind):
    data, message = bombs()[kind]
    events = Event.objects.count()
    page = login("zuzhibu").post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data)})
    assert page.status_code == 400  # the form's error, as for any bad file
    text = re.sub(r"\s+", " ", page.content.decode())
    assert message.format(rows=6_001) in text
    assert Event.objects.filter(action="cases.restriction.queried").count() == 0
    assert Event.objects.count() == events


def test_a_package_with_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for i in range(xlsx.MAX_MEMBERS + 1):
            package.writestr(f"x/{i}.xml", "")
    with pytest.raises(xlsx.XlsxRefused, match=r"^工作簿包含的部件过多（超过 200 个），不予读取$"):
        list(xlsx.read_rows(out.getvalue(), max_rows=10, max_columns=10, max_cell_chars=10))


def test_a_declared_size_is_what_zipfile_unpacks_at_most():
    """The check trusts each member's declared size: zipfile never returns more than that."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("a.xml", b"A" * 1000)
    data = bytearray(out.getvalue())
    # lie in both headers: declare 10 bytes instead of 1000
    data = data.replace((1000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package, pytest.raises(zipfile.BadZipFile):
        assert len(package.read("a.xml")) <= 10


def test_an_ordinary_roster_still_imports(users, demo):
    result = import_roster(data=workbook([HEADERS, ROW]), by=users["zuzhibu"])
    assert result.created == 1
