"""Hole 9 of issue 18 (zip-slip): an attachment's name with ``..\\``, ``/``, control characters or CRLF is
sanitised when it is uploaded, and again when it is downloaded or written into the case-file ZIP (a
row stored before the fix keeps its old name)."""

import zipfile

import pytest

from yujing.clues.files import safe_filename
from yujing.clues.models import Attachment
from yujing.clues.services import Upload
from yujing.documents.exports import case_file_zip

from .conftest import pdf_bytes

EVIL = "..\\..\\windows\\evil\r\nSet-Cookie: a=b.pdf"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("报告.pdf", "报告.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Users\\张三\\Desktop\\举报材料.docx", "举报材料.docx"),
        ("/abs/path.pdf", "path.pdf"),
        (EVIL, "evil Set-Cookie_ a=b.pdf"),
        ("a\x00b\tc\x1b.pdf", "a b c .pdf"),
        ("invoice\u202efdp.exe", "invoice fdp.exe"),  # the right-to-left override that disguises an extension
        ("..", "附件"),
        ("../", "附件"),
        ("...pdf", "pdf"),
        ("   ", "附件"),
        ("a<b>c|d?.pdf", "a_b_c_d_.pdf"),
        ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_an_upload_is_stored_and_downloaded_under_a_safe_name(register, login):
    clue = register(uploads=[Upload(EVIL, pdf_bytes())])
    attachment = clue.attachments.get()
    assert attachment.original_name == "evil Set-Cookie_ a=b.pdf"
    response = login("yjb").get(f"/clues/attachments/{attachment.pk}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and ".." not in disposition


def test_a_stored_bad_name_is_sanitised_again_in_the_download_and_the_case_file_zip(register, login, open_case):
    clue = register(uploads=[Upload("报告.pdf", pdf_bytes())])
    Attachment.objects.filter(clue=clue).update(original_name=EVIL)  # as stored before the fix
    attachment = clue.attachments.get()
    response = login("yjb").get(f"/clues/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    case = open_case("inquiry", "MH0001", on="2026-03-02")
    out = case_file_zip(case, attachments=[attachment], documents=[])
    names = zipfile.ZipFile(out).namelist()
    assert names == [f"附件/{clue.number}-01-.._.._windows_evil Set-Cookie_ a=b.pdf", "目录.html"]
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
        assert not any(ord(c) < 32 for c in name)
