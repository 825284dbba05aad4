"""The retention purge (到期销毁): only the administrator, only archived cases whose [retention]
keep_years (30, from closing) have ended, with a stated basis; every step row, document and file goes,
the audit log, the document-number register, the clues and the integrity file stay; escalation chains
go together; each purge is an audit event and the chain still verifies."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from yujing.audit.models import Event
from yujing.audit.services import verify_chain
from yujing.cases import services as cs
from yujing.cases.models import Decision, Ending, Talk, Verification, WarningCase
from yujing.cases.services import purge as purge_module
from yujing.clues.models import Clue
from yujing.documents.contexts import targets_for_case
from yujing.documents.models import Document, DocumentNumber
from yujing.orgs import secrecy

from .conftest import D

REASON = "县纪委常委会2056年第9次会议批准销毁"


@pytest.fixture
def rejected(open_case, users):
    """A case rejected on 2026-09-04 with one generated document, archived on 2026-12-03."""
    from yujing.documents.services import generate

    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=False, opinion="反映不实")
    document = generate(targets_for_case(case)[0], by=users["yjb"], today=D("2026-09-05"), pdf=False)
    assert cs.archive_closed(today=D("2026-12-03")) == 1
    case.refresh_from_db()
    return case, document


def test_thirty_years_after_closing_the_administrator_purges_the_case_and_the_log_keeps_it(
        rejected, users, django_capture_on_commit_callbacks):
    case, document = rejected
    admin = users["admin"]
    clue = case.clues.get()
    assert cs.kept_until(case.closed_on) == D("2056-09-04")
    assert cs.purge_candidates(admin, today=D("2056-09-04")).due == []  # the last day it is kept
    assert [c.number for c in cs.purge_candidates(admin, today=D("2056-09-05")).due] == [case.number]
    before = set(Event.objects.filter(object_id=str(case.pk), object_type="cases.warningcase")
                 .values_list("pk", flat=True))
    file_name = document.docx.name
    assert default_storage.exists(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert cs.purge_expired(by=admin, today=D("2056-09-05"), reason=REASON) == [case.number]

    assert not WarningCase.objects.filter(pk=case.pk).exists()
    assert not Decision.objects.filter(case_id=case.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(file_name)
    assert Clue.objects.filter(pk=clue.pk).exists()  # the clue has its own life
    # every earlier event is still there, one more per case and one for the run, and the chain holds
    assert before <= set(Event.objects.values_list("pk", flat=True))
    purged = Event.objects.get(action="cases.case.purged")
    assert (purged.actor_id, purged.object_id) == (admin.pk, str(case.pk))
    assert purged.data == {"number": case.number, "secrecy": "normal", "closed_on": "2026-09-04",
                           "archived_on": "2026-12-03", "kept_until": "2056-09-04",
                           "deleted": {"文书": 1, "审批决定": 1}, "reason": REASON}
    done = Event.objects.get(action="cases.purge.completed")
    assert done.data == {"count": 1, "numbers": [case.number], "reason": REASON, "held": [], "keep_years": 30,
                         "date": "2056-09-05"}
    assert verify_chain() is None


def test_only_the_administrator_with_a_basis_and_only_what_is_due(rejected, open_case, users):
    case, _ = rejected
    open_case("admonition", "MH0002", on="2020-01-02")  # open: never purged
    for name in ("yjb", "shuji", "shenji"):
        with pytest.raises(PermissionDenied):
            cs.purge_expired(by=users[name], today=D("2060-01-01"), reason=REASON)
    with pytest.raises(ValidationError, match="请写明销毁依据"):
        cs.purge_expired(by=users["admin"], today=D("2060-01-01"), reason="  同意 ")
    with pytest.raises(ValidationError, match="没有保存期满、可以销毁的预警事项"):
        cs.purge_expired(by=users["admin"], today=D("2056-09-04"), reason=REASON)
    assert WarningCase.objects.count() == 2
    assert not Event.objects.filter(action__startswith="cases.purge").exists()
    assert [c.number for c in cs.purge_candidates(users["admin"], today=D("2060-01-01")).due] == [case.number]


def test_a_closed_case_not_yet_archived_is_not_purged(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=False, opinion="反映不实")
    assert cs.purge_candidates(users["admin"], today=D("2070-01-01")).due == []


def test_a_secret_case_is_purged_by_an_administrator_who_cannot_open_it(rejected, users, login, monkeypatch):
    from django.utils import timezone

    case, _ = rejected
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2056-09-05"))
    secrecy_case = WarningCase.objects.get(pk=case.pk)
    WarningCase.objects.filter(pk=case.pk).update(archived_on=None)  # 密级 is set while the case is open
    secrecy.set_secrecy(obj=secrecy_case, level="secret", reason="涉及重要情况", by=users["yjb"])
    WarningCase.objects.filter(pk=case.pk).update(archived_on=D("2026-12-03"))
    assert login("admin").get(f"/cases/{case.pk}/").status_code == 404
    page = login("admin").get("/cases/purge/")
    assert case.number in page.content.decode() and case.target.name not in page.content.decode()
    assert cs.purge_expired(by=users["admin"], today=D("2056-09-05"), reason=REASON) == [case.number]


def _escalated_pair(case, users):
    office = users["yjb"]
    cs.hold_talk(case=case, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="记录",
                 signed_on=D("2026-06-05"))
    cs.record_verification(case=case, by=office, today=D("2026-06-18"), method="investigation",
                           done_on=D("2026-06-18"), findings="再次反映的问题经调查属实", conclusion="true")
    new = cs.escalate(case=case, by=users["shuji"], today=D("2026-06-20"), kind="admonition",
                      basis="群众仍有反映且属实").new_case
    return WarningCase.objects.get(pk=case.pk), new


def test_an_escalation_chain_waits_for_its_last_case_and_goes_together(inquiry_talk_noticed, users):
    from yujing.documents.services import generate

    old, new = _escalated_pair(inquiry_talk_noticed, users)
    admin = users["admin"]
    documents = [generate(t, by=users["yjb"], today=D("2026-06-20"), pdf=False) for t in targets_for_case(old)]
    numbers = [d.number.text for d in documents if d.number]
    assert numbers
    assert cs.archive_closed(today=D("2026-09-18")) == 1  # the old case only: the new one is open
    found = cs.purge_candidates(admin, today=D("2056-06-21"))
    assert found.due == []
    assert [(c.number, why) for c, why in found.held] == [
        (old.number, f"与预警事项 {new.number} 有升级关联，须一并到期后销毁")]
    with pytest.raises(ValidationError, match="没有保存期满"):
        cs.purge_expired(by=admin, today=D("2056-06-21"), reason=REASON)

    cs.decide(case=new, by=users["shuji"], today=D("2026-06-25"), approve=False, opinion="已经处理")
    assert cs.archive_closed(today=D("2026-09-23")) == 1
    assert cs.purge_candidates(admin, today=D("2056-06-25")).due == []  # the new case is kept to 06-25
    assert [c.number for c in cs.purge_candidates(admin, today=D("2056-06-26")).due] == [old.number, new.number]
    assert cs.purge_expired(by=admin, today=D("2056-06-26"), reason=REASON) == [old.number, new.number]
    assert not WarningCase.objects.filter(pk__in=[old.pk, new.pk]).exists()
    assert not Talk.objects.exists() and not Verification.objects.exists() and not Ending.objects.exists()
    assert Event.objects.filter(action="cases.case.purged").count() == 2
    assert not Document.objects.exists()
    # the 文号 register keeps every number issued: no gaps, none reused
    assert sorted(DocumentNumber.objects.values_list("text", flat=True)) == sorted(numbers)


def test_a_new_model_pointing_at_cases_stops_the_purge_until_it_is_handled(rejected, users, monkeypatch):
    monkeypatch.setattr(purge_module, "HANDLED", purge_module.HANDLED - {"documents.document.case"})
    with pytest.raises(RuntimeError, match=r"documents\.document\.case points at WarningCase"):
        cs.purge_expired(by=users["admin"], today=D("2056-09-05"), reason=REASON)
    assert WarningCase.objects.count() == 1


def test_the_purge_page_asks_for_a_basis_and_a_confirmation(rejected, login, monkeypatch):
    from django.utils import timezone

    case, _ = rejected
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2056-09-05"))
    admin = login("admin")
    page = admin.get("/cases/purge/")
    assert page.status_code == 200 and case.number in page.content.decode()
    refused = admin.post("/cases/purge/", {"reason": REASON})
    assert refused.status_code == 400 and "请勾选确认" in refused.content.decode()
    assert REASON in refused.content.decode()  # what was typed is kept
    assert WarningCase.objects.filter(pk=case.pk).exists()
    done = admin.post("/cases/purge/", {"reason": REASON, "confirm": "on"}, follow=True)
    assert f"已销毁保存期满的预警事项 1 件：{case.number}。" in done.content.decode()
    assert not WarningCase.objects.filter(pk=case.pk).exists()
    assert login("yjb").get("/cases/purge/").status_code == 403


def test_the_purge_command_lists_and_purges_only_with_yes(rejected, capsys):
    case, _ = rejected
    call_command("purge", user="admin", date="2056-09-05")
    assert capsys.readouterr().out.splitlines() == [
        f"可销毁  {case.number}  办结 2026-09-04  保存至 2056-09-04", "共 1 件可销毁（未执行；确认后加 --yes）。"]
    assert WarningCase.objects.filter(pk=case.pk).exists()
    with pytest.raises(Exception, match="不是系统管理员"):
        call_command("purge", user="yjb", date="2056-09-05", reason=REASON, yes=True)
    call_command("purge", user="admin", date="2056-09-05", reason=REASON, yes=True)
    assert capsys.readouterr().out.splitlines()[-1] == f"已销毁 1 件：{case.number}。"
    assert not WarningCase.objects.filter(pk=case.pk).exists()


def test_the_committee_minutes_and_their_file_go_with_the_case(open_case, users, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    from yujing.cases.models import Minutes

    settings.MEDIA_ROOT = tmp_path / "files"
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.refer_to_committee(case=case, by=users["shuji"], today=D("2026-09-03"))
    decision = cs.decide(case=case, by=users["changwei"], today=D("2026-09-04"), approve=False, opinion="反映不实",
                         meeting="2026年第15次常委会", meeting_on=D("2026-09-04"),
                         minutes=cs.MinutesFile("纪要.pdf", b"%PDF-1.4 x"))
    file_name = decision.minutes.file.name
    assert default_storage.exists(file_name)
    assert cs.archive_closed(today=D("2026-12-03")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert cs.purge_expired(by=users["admin"], today=D("2056-09-05"), reason=REASON) == [case.number]
    assert not Minutes.objects.exists() and not default_storage.exists(file_name)
    purged = Event.objects.get(action="cases.case.purged")
    assert purged.data["deleted"] == {"常委会会议纪要": 1, "审批决定": 1}
