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
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{full_case.pk}/#doc-correction_notice-case-{full_case.pk}"
    document = Document.objects.get()
    assert document.number.text == "明纪预〔2026〕1号"
    assert document.pdf_note == ""
    after = office.get(f"/cases/{full_case.pk}/").content.decode()
    item = slot_item(after, url)
    assert ('<div class="alert alert-success small py-1 px-2 mt-1 mb-0" role="status" data-documents-notice>'
            "已生成责令纠错通知书第1版，文号 明纪预〔2026〕1号。</div>") in item
    assert f'href="/documents/{document.pk}/pdf/">PDF</a>' in item and "data-pdf-note" not in item
    assert after.count("已生成责令纠错通知书第1版") == 1  # beside the form, not also at the top of the page
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
    url = f"/documents/case/{full_case.pk}/generate/correction_notice/case:{full_case.pk}/"
    office.post(url)
    number = Document.objects.get().number
    assert office.post(f"/documents/numbers/{number.pk}/void/", {"reason": ""}).status_code == 302
    number.refresh_from_db()
    assert number.voided_at is None
    refused = slot_item(office.get(f"/cases/{full_case.pk}/").content.decode(), url)
    assert 'role="alert" data-documents-notice>请说明作废原因</div>' in refused
    office.post(f"/documents/numbers/{number.pk}/void/", {"reason": "文号错用"})
    number.refresh_from_db()
    assert number.void_reason == "文号错用"
    voided = slot_item(office.get(f"/cases/{full_case.pk}/").content.decode(), url)
    assert 'role="status" data-documents-notice>文号 明纪预〔2026〕1号 已作废；再次生成时将取新文号。</div>' in voided


PDF_MISSING = "PDF 不可用：服务器未安装 LibreOffice（DOCX 可正常下载打印）"


def slot_item(page: str, generate_url: str) -> str:
    """The documents card's list item holding the form that posts to ``generate_url``."""
    at = page.index(f'action="{generate_url}"')
    return page[page.rindex('<li class="list-group-item" id="doc-', 0, at):page.index("</li>", at)]


def test_without_libreoffice_the_docx_is_kept_and_the_card_says_why(login, full_case, monkeypatch):
    monkeypatch.setattr("yujing.documents.render.shutil.which", lambda name: None)
    office = login("yjb")
    url = f"/documents/case/{full_case.pk}/generate/correction_notice/case:{full_case.pk}/"
    response = office.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{full_case.pk}/#doc-correction_notice-case-{full_case.pk}"
    document = Document.objects.get()
    assert document.number.text == "明纪预〔2026〕1号" and document.version == 1
    assert document.docx.open("rb").read(2) == b"PK"
    assert not document.pdf
    assert document.pdf_note == PDF_MISSING
    event = Event.objects.get(action="documents.document.generated")
    assert event.data["pdf"] is False and event.data["pdf_note"] == PDF_MISSING
    page = office.get(f"/cases/{full_case.pk}/").content.decode()
    item = slot_item(page, url)
    assert f'href="/documents/{document.pk}/docx/">DOCX</a>' in item
    assert ('<span class="badge text-bg-light border fw-normal text-wrap text-start d-inline-flex align-items-center" '
            f"data-pdf-note>{PDF_MISSING}</span>") in item
    assert f"/documents/{document.pk}/pdf/" not in page
    assert ('<div class="alert alert-warning small py-1 px-2 mt-1 mb-0" role="alert" data-documents-notice>'
            "已生成责令纠错通知书第1版，文号 明纪预〔2026〕1号，只有 DOCX。</div>") in item
    assert page.count("已生成责令纠错通知书第1版") == 1
    # the notice is for the page view right after generating; the reason stays with the document
    again = slot_item(office.get(f"/cases/{full_case.pk}/").content.decode(), url)
    assert "data-documents-notice" not in again and PDF_MISSING in again
    assert office.get(f"/documents/{document.pk}/pdf/").status_code == 404
    assert office.get(f"/documents/{document.pk}/docx/").status_code == 200


def test_a_failed_conversion_keeps_the_docx_and_names_the_failure(login, full_case, monkeypatch):
    import subprocess

    def fail(args, **kwargs):
        raise subprocess.CalledProcessError(77, args, output=b"", stderr=b"javaldx: could not find a Java Runtime")

    monkeypatch.setattr("yujing.documents.render.shutil.which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr("yujing.documents.render.subprocess.run", fail)
    office = login("yjb")
    url = f"/documents/case/{full_case.pk}/generate/target_approval/case:{full_case.pk}/"
    office.post(url)
    document = Document.objects.get()
    assert document.docx and not document.pdf
    assert document.pdf_note == "PDF 不可用：LibreOffice 转换出错，退出码 77（DOCX 可正常下载打印）"
    item = slot_item(office.get(f"/cases/{full_case.pk}/").content.decode(), url)
    assert "data-pdf-note>PDF 不可用：LibreOffice 转换出错，退出码 77（DOCX 可正常下载打印）</span>" in item


def test_refused_generation_is_explained_beside_the_form(login, full_case):
    from yujing.cases.models import Letter

    Letter.objects.filter(case=full_case).update(content="")
    office = login("yjb")
    url = f"/documents/case/{full_case.pk}/generate/correction_notice/case:{full_case.pk}/"
    office.post(url)
    assert not Document.objects.exists()
    page = office.get(f"/cases/{full_case.pk}/").content.decode()
    assert ('role="alert" data-documents-notice>缺少「错误事实」，无法生成责令纠错通知书</div>'
            in slot_item(page, url))
    assert page.count("无法生成责令纠错通知书") == 1


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
    _, token = create_token(user=users["yjb"], name="档案系统", by=users["yjb"])
    headers = {"Authorization": f"Bearer {token}"}
    slots = client.get(f"/api/cases/{full_case.pk}/documents", headers=headers).json()
    assert [s["form"] for s in slots][:3] == ["target_approval", "talk_notice", "talk_record"]
    response = client.post(f"/api/cases/{full_case.pk}/documents",
                           {"form": "correction_notice", "subject": f"case:{full_case.pk}"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201
    notice = next(s for s in response.json() if s["form"] == "correction_notice")
    assert notice["versions"][0]["number"] == "明纪预〔2026〕1号" and notice["versions"][0]["has_pdf"]
    assert notice["versions"][0]["pdf_note"] == ""
    download = client.get(f"/api/documents/{notice['versions'][0]['id']}/pdf", headers=headers)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 fake"
    _, other = create_token(user=users["qs_jiwei"], name="乡镇", by=users["qs_jiwei"])
    assert client.get(f"/api/documents/{notice['versions'][0]['id']}/pdf",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 404
    bad = client.post(f"/api/cases/{full_case.pk}/documents", {"form": "x", "subject": "y"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 404


def test_the_api_generates_the_docx_without_libreoffice(client, full_case, users, monkeypatch):
    from yujing.api.services import create_token

    monkeypatch.setattr("yujing.documents.render.shutil.which", lambda name: None)
    _, token = create_token(user=users["yjb"], name="档案系统", by=users["yjb"])
    response = client.post(f"/api/cases/{full_case.pk}/documents",
                           {"form": "correction_notice", "subject": f"case:{full_case.pk}"},
                           content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    version = next(s for s in response.json() if s["form"] == "correction_notice")["versions"][0]
    assert version["has_pdf"] is False and version["pdf_note"] == PDF_MISSING
    docx_only = client.post(f"/api/cases/{full_case.pk}/documents",
                            {"form": "target_approval", "subject": f"case:{full_case.pk}", "pdf": False},
                            content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    version = next(s for s in docx_only.json() if s["form"] == "target_approval")["versions"][0]
    assert version["pdf_note"] == "未生成 PDF（生成时只要求 DOCX）"


def test_the_clue_page_says_why_there_is_no_pdf(login, users, cadres, monkeypatch):
    from tests.dates import D
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned

    clue = clue_services.file_transfer(
        by=users["lianluo"], today=D("2026-05-06"), transferred_on=D("2026-05-06"), summary="审计发现违规发放补贴",
        detail="审计报告第3页。", concerned=[Concerned(cadre_id=cadres["MH0007"].pk)], contact_person="莫欣",
        contact_phone="0550-1234567", found_how="经济责任审计")
    monkeypatch.setattr("yujing.documents.render.shutil.which", lambda name: None)
    township = login("qs_jiwei")
    url = f"/documents/clue/{clue.pk}/generate/clue_transfer/clue:{clue.pk}/"
    assert township.post(url)["Location"] == f"/clues/{clue.pk}/#doc-clue_transfer-clue-{clue.pk}"
    item = slot_item(township.get(f"/clues/{clue.pk}/").content.decode(), url)
    assert f"data-pdf-note>{PDF_MISSING}</span>" in item
    assert 'role="alert" data-documents-notice>已生成预警线索移送表第1版，只有 DOCX。</div>' in item
