"""Documents from the case and clue pages; downloads, the case file and the ledger export."""

import io
import zipfile

from openpyxl import load_workbook

from yujing.audit.models import Event
from yujing.documents.models import Document


def test_generate_and_download_from_the_case_page(login, full_case, monkeypatch):
    monkeypatch.setattr("yujing.documents.render.docx_to_pdf", lambda data: b"%PDF-1.4 fake")
    office = login("yjb")
    page = office.get(f"/cases/{full_case.pk}/").content.decode()
    assert "预警对象审批表" in page and "责令纠错通知书" in page and "导出案卷（ZIP）" in page
    url = f"/documents/case/{full_case.pk}/generate/correction_notice/case:{full_case.pk}/"
    response = office.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    document = Document.objects.get()
    assert document.number.text == "明纪预〔2026〕1号"
    download = office.get(f"/documents/{document.pk}/docx/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert Event.objects.filter(action="documents.document.downloaded").count() == 1
    assert office.get(f"/documents/{document.pk}/pdf/").status_code == 200
    assert login("qs_jiwei").get(f"/documents/{document.pk}/docx/").status_code == 404
    assert login("lianluo").get(f"/documents/{document.pk}/docx/").status_code == 404
    assert login("shuji").post(url).status_code == 403
    assert Document.objects.count() == 1
    assert office.post(f"/documents/case/{full_case.pk}/generate/nonsense/case:1/").status_code == 404


def test_void_from_the_page(login, full_case, monkeypatch):
    monkeypatch.setattr("yujing.documents.render.docx_to_pdf", lambda data: b"%PDF-1.4 fake")
    office = login("yjb")
    office.post(f"/documents/case/{full_case.pk}/generate/correction_notice/case:{full_case.pk}/")
    number = Document.objects.get().number
    assert office.post(f"/documents/numbers/{number.pk}/void/", {"reason": ""}).status_code == 302
    number.refresh_from_db()
    assert number.voided_at is None
    office.post(f"/documents/numbers/{number.pk}/void/", {"reason": "文号错用"})
    number.refresh_from_db()
    assert number.void_reason == "文号错用"


def test_case_file_zip_has_an_index_and_every_document(login, full_case, monkeypatch):
    monkeypatch.setattr("yujing.documents.render.docx_to_pdf", lambda data: b"%PDF-1.4 fake")
    office = login("yjb")
    for form in ("target_approval", "correction_notice", "correction_notice"):
        office.post(f"/documents/case/{full_case.pk}/generate/{form}/case:{full_case.pk}/")
    response = office.get(f"/documents/case/{full_case.pk}/file.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "目录.html" in names
    assert sum(n.startswith("文书/历史版本/") for n in names) == 2  # version 1 of the notice: DOCX and PDF
    assert sum(n.startswith("文书/") and not n.startswith("文书/历史版本/") for n in names) == 4
    index = archive.read("目录.html").decode()
    assert full_case.number in index and "责令纠错通知书" in index
    assert login("qs_jiwei").get(f"/documents/case/{full_case.pk}/file.zip").status_code == 404


def test_ledger_export_one_row_per_case(login, full_case, open_case):
    open_case("inquiry", "MH0003", on="2026-06-01")
    response = login("yjb").get("/documents/ledger.xlsx", {"measure": "correction"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert "责令纠错" in rows[0][0]
    assert rows[1][:4] == ("预警编号", "预警对象", "单位及职务", "预警措施")
    assert len(rows) == 3
    assert rows[2][0] == full_case.number and rows[2][13] == "2026-04-30" and rows[2][14] == "已解除预警"
    everything = load_workbook(io.BytesIO(b"".join(login("yjb").get("/documents/ledger.xlsx").streaming_content)))
    assert everything.active.max_row == 4
    assert login("renshe").get("/documents/ledger.xlsx").status_code == 403


def test_documents_over_the_api(client, full_case, users, monkeypatch):
    from yujing.api.services import create_token

    monkeypatch.setattr("yujing.documents.render.docx_to_pdf", lambda data: b"%PDF-1.4 fake")
    _, token = create_token(user=users["yjb"], name="档案系统", by=users["admin"])
    headers = {"Authorization": f"Bearer {token}"}
    slots = client.get(f"/api/cases/{full_case.pk}/documents", headers=headers).json()
    assert [s["form"] for s in slots][:3] == ["target_approval", "talk_notice", "talk_record"]
    response = client.post(f"/api/cases/{full_case.pk}/documents",
                           {"form": "correction_notice", "subject": f"case:{full_case.pk}"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201
    notice = next(s for s in response.json() if s["form"] == "correction_notice")
    assert notice["versions"][0]["number"] == "明纪预〔2026〕1号" and notice["versions"][0]["has_pdf"]
    download = client.get(f"/api/documents/{notice['versions'][0]['id']}/pdf", headers=headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 fake"
    _, other = create_token(user=users["qs_jiwei"], name="乡镇", by=users["admin"])
    assert client.get(f"/api/documents/{notice['versions'][0]['id']}/pdf",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 404
    bad = client.post(f"/api/cases/{full_case.pk}/documents", {"form": "x", "subject": "y"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 404
