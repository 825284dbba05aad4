"""The standing committee's minutes (纪要) on its decision (第十七条): checked by content like a clue
attachment, stored outside the web root, downloaded only by those who see the case, every download audited."""

import base64
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.models import Decision, Minutes
from yujing.clues.files import MAX_BYTES

from .conftest import D

PDF = b"%PDF-1.4\n% minutes of the 15th meeting\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def referred(open_case, users):
    """A county admonition of 青石镇党委书记, verified 09-02 and referred to the committee 09-03."""
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-02"), method="preliminary",
                           done_on=D("2026-09-02"), findings="属实", conclusion="true")
    cs.refer_to_committee(case=case, by=users["shuji"], today=D("2026-09-03"))
    return case


def committee_decides(case, users, minutes, today="2026-09-04"):
    return cs.decide(case=case, by=users["changwei"], today=D(today), approve=True, meeting="2026年第15次常委会",
                     meeting_on=D("2026-09-04"), minutes=minutes)


def stored_files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def test_a_committee_decision_carries_its_minutes(referred, users, media):
    decision = committee_decides(referred, users, cs.MinutesFile("第15次常委会纪要.pdf", PDF))
    minutes = decision.minutes
    assert (minutes.original_name, minutes.kind, minutes.size, minutes.uploaded_by) == (
        "第15次常委会纪要.pdf", "pdf", len(PDF), users["changwei"])
    # stored under a random name, outside the static files, never under the name sent
    assert minutes.file.name == f"minutes/{minutes.uploaded_at:%Y/%m}/{minutes.storage_key.hex}"
    assert stored_files(media) == [minutes.file.name]
    event = Event.objects.filter(action="cases.case.approve").latest("id")
    assert (event.data["minutes"], event.data["minutes_sha256"]) == ("第15次常委会纪要.pdf", minutes.sha256)
    entry = next(e for e in selectors.timeline(referred) if e.kind == "approval")
    assert entry.detail.endswith("会议纪要：第15次常委会纪要.pdf")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("纪要.pdf", b"MZ\x90\x00 not a pdf", "文件“纪要.pdf”的内容不是 PDF、图片(PNG/JPEG)、Word(DOCX) 或 Excel(XLSX)，不能上传"),
    ("纪要.pdf", b"", "文件“纪要.pdf”是空的"),
    ("纪要.pdf", b"%PDF-" + b"0" * MAX_BYTES, "文件“纪要.pdf”超过 20 MB 的上限"),
])
def test_a_bad_minutes_file_is_refused_and_nothing_is_written(referred, users, media, name, data, message):
    with pytest.raises(ValidationError) as info:
        committee_decides(referred, users, cs.MinutesFile(name, data))
    assert info.value.message_dict == {"minutes": [message]}
    assert not Decision.objects.filter(case=referred).exists()
    assert stored_files(media) == []


def test_only_a_committee_decision_carries_minutes(approved, open_case, users, media):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-02"), method="preliminary",
                           done_on=D("2026-09-02"), findings="属实", conclusion="true")
    with pytest.raises(ValidationError) as info:
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True,
                  minutes=cs.MinutesFile("纪要.pdf", PDF))
    assert info.value.message_dict == {"minutes": ["只有常委会研究确定的决定才附会议纪要（第十七条）"]}
    assert not Decision.objects.filter(case=case).exists() and stored_files(media) == []


def test_a_failure_after_storing_removes_the_file(referred, users, media, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("after the file was stored")

    monkeypatch.setattr("yujing.cases.services.proposal.implementation_due", boom)
    with pytest.raises(RuntimeError):
        committee_decides(referred, users, cs.MinutesFile("纪要.pdf", PDF))
    assert stored_files(media) == [] and not Minutes.objects.exists()


def test_the_page_takes_the_minutes_and_the_download_is_checked_and_audited(referred, users, login):
    committee = login("changwei")
    page = committee.get(f"/cases/{referred.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="approve-minutes"' in page
    assert 'name="approve-minutes"' not in login("shuji").get(f"/cases/{referred.pk}/").content.decode()
    response = committee.post(f"/cases/{referred.pk}/act/approve/", {
        "approve-opinion": "同意", "approve-meeting": "2026年第15次常委会", "approve-meeting_on": "2026-09-04",
        "approve-minutes": SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    minutes = Minutes.objects.get(decision__case=referred)
    office = login("yjb")
    page = office.get(f"/cases/{referred.pk}/").content.decode()
    assert f'href="/cases/minutes/{minutes.pk}/">纪要.pdf</a>' in page
    download = office.get(f"/cases/minutes/{minutes.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (download["Content-Type"], download["Cache-Control"]) == ("application/pdf", "private, no-store")
    assert download["Content-Disposition"].startswith("attachment;")
    event = Event.objects.filter(action="cases.minutes.viewed").get()
    assert (event.actor, event.data) == (users["yjb"], {"minutes": minutes.pk, "file": "纪要.pdf"})
    # outside the case's sight: the township's discipline body (a county case) and the liaison
    assert login("qs_jiwei").get(f"/cases/minutes/{minutes.pk}/").status_code == 404
    assert login("lianluo").get(f"/cases/minutes/{minutes.pk}/").status_code == 403
    assert Event.objects.filter(action="cases.minutes.viewed").count() == 1


def test_the_minutes_are_as_secret_as_their_case(approved, users, login):
    # a township's case, which its discipline body (cleared to 秘密) sees; minutes put on its decision directly
    case = approved("admonition", "MH0007", on="2026-09-02", approve_on="2026-09-04", approver="qs_dangwei")
    from django.core.files.base import ContentFile

    minutes = Minutes(decision=case.decisions.get(), original_name="纪要.pdf", kind="pdf", size=len(PDF), sha256="0",
                      uploaded_by=users["qs_dangwei"], uploaded_at=timezone.now())
    minutes.file.save("minutes", ContentFile(PDF), save=True)
    township = login("qs_jiwei")
    case.secrecy = "confidential"
    case.save(update_fields=["secrecy"])
    assert township.get(f"/cases/minutes/{minutes.pk}/").status_code == 200
    case.secrecy = "secret"
    case.save(update_fields=["secrecy"])
    assert township.get(f"/cases/minutes/{minutes.pk}/").status_code == 404
    assert login("yjb").get(f"/cases/minutes/{minutes.pk}/").status_code == 200  # the county office: 机密


def test_the_api_takes_the_minutes_in_base64_and_serves_them(client, open_case, users):
    today = timezone.localdate()
    case = open_case("admonition", "MH0001", on=today.isoformat())
    cs.record_verification(case=case, by=users["yjb"], today=today, method="preliminary", done_on=today,
                           findings="属实", conclusion="true")
    cs.refer_to_committee(case=case, by=users["shuji"], today=today)

    def bearer(name):
        return {"Authorization": f"Bearer {create_token(user=users[name], name=name, by=users[name])[1]}"}

    payload = {"opinion": "同意", "meeting": "2026年第15次常委会", "meeting_on": today.isoformat(),
               "minutes": {"name": "纪要.pdf", "content_base64": "***"}}
    bad = client.post(f"/api/cases/{case.pk}/approve", payload, content_type="application/json",
                      headers=bearer("changwei"))
    assert bad.status_code == 422 and not Decision.objects.filter(case=case).exists()
    payload["minutes"]["content_base64"] = base64.b64encode(PDF).decode()
    response = client.post(f"/api/cases/{case.pk}/approve", payload, content_type="application/json",
                           headers=bearer("changwei"))
    assert response.status_code == 200, response.json()
    minutes = Minutes.objects.get(decision__case=case)
    assert response.json()["minutes"] == [{
        "id": minutes.pk, "decision_id": minutes.decision_id, "meeting": "2026年第15次常委会",
        "original_name": "纪要.pdf", "kind": "pdf", "size": len(PDF), "sha256": minutes.sha256}]
    download = client.get(f"/api/cases/{case.pk}/minutes/{minutes.pk}", headers=bearer("yjb"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(f"/api/cases/{case.pk + 1}/minutes/{minutes.pk}", headers=bearer("yjb")).status_code == 404
    assert Event.objects.filter(action="cases.minutes.viewed").count() == 1
