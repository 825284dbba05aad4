"""The clue pages: intake, screening and the liaison's view, as a user meets them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yujing.audit.models import Event
from yujing.cases.models import WarningCase
from yujing.clues.models import Clue, ProblemCategory

from .conftest import pdf_bytes


def test_register_a_clue_through_the_page(login, cadres, demo):
    client = login("qs_jiwei")
    assert client.get("/clues/new/").status_code == 200
    category = ProblemCategory.objects.get(name="违规经商办企业")
    response = client.post("/clues/new/", {
        "received_on": timezone.localdate().isoformat(), "channel": "petition", "summary": "反映其经商办企业",
        "detail": "群众反映该所长在辖区内入股经营砂石场。", "cadre_ids": [cadres["MH0007"].pk],
        "named": "孙某 某村 村会计\n周某", "categories": [category.pk], "anonymous": "",
        "reporter_name": "实名甲", "reporter_contact": "13900000000",
        "attachments": [SimpleUploadedFile("照片说明.pdf", pdf_bytes())],
    })
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert response["Location"] == f"/clues/{clue.pk}/"
    assert [(c.name, c.cadre_id is not None) for c in clue.concerned.order_by("id")] == [
        (cadres["MH0007"].name, True), ("孙某", False), ("周某", False)]
    assert clue.concerned.get(name="孙某").position_text == "村会计"
    assert not clue.is_anonymous and clue.attachments.count() == 1
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    assert "反映其经商办企业" in page and "实名（身份信息加密保存）" in page and "实名甲" not in page
    assert "登记线索" in page  # the history


def test_bad_input_keeps_what_was_typed(login, cadres):
    client = login("qs_jiwei")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post("/clues/new/", {
        "received_on": tomorrow, "channel": "petition", "summary": "写了一半的摘要", "detail": "很长的问题描述",
        "cadre_ids": [cadres["MH0007"].pk], "anonymous": "on",
        "attachments": [SimpleUploadedFile("木马.pdf", b"MZ\x90\x00")],
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "日期不能晚于今天" in page
    assert "不能上传" in page
    assert 'value="写了一半的摘要"' in page and "很长的问题描述" in page
    assert f'name="cadre_ids" value="{cadres["MH0007"].pk}"' in page  # the chosen cadre is still chosen
    assert Clue.objects.count() == 0


def test_screen_through_the_page(login, register, cadres):
    clue = register(username="qs_jiwei", cadre="MH0007")
    client = login("qs_jiwei")
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    assert "提交筛选意见" in page and f'name="measure_{cadres["MH0007"].pk}"' in page
    bad = client.post(f"/clues/{clue.pk}/screen/", {"outcome": "handle", "reason": "本级", "verifiable": ""})
    assert bad.status_code == 400
    assert "请认定线索是否具有可查性" in bad.content.decode()
    ok = client.post(f"/clues/{clue.pk}/screen/", {"outcome": "handle", "reason": "本级处理", "verifiable": "1",
                                                   f"measure_{cadres['MH0007'].pk}": "inquiry"})
    assert ok.status_code == 302
    assert WarningCase.objects.get().measure == "inquiry"
    again = client.post(f"/clues/{clue.pk}/screen/", {"outcome": "case_clue", "reason": "x"})
    assert again.status_code == 403 or "已筛选" in again.content.decode()


def test_report_up_through_the_page_returns_to_the_list(login, register):
    clue = register(username="qs_jiwei", cadre="MH0001")
    response = login("qs_jiwei").post(f"/clues/{clue.pk}/screen/", {"outcome": "report_up", "reason": "县管干部"})
    assert response.status_code == 302 and response["Location"] == "/clues/"
    assert login("qs_jiwei").get(f"/clues/{clue.pk}/").status_code == 404
    assert login("yjb").get(f"/clues/{clue.pk}/").status_code == 200


def test_clue_pages_follow_roles(login, register):
    clue = register(username="qs_jiwei", cadre="MH0007")
    # the unit's party committee does not read clues (one may be about its own leader)
    assert login("qs_dangwei").get(f"/clues/{clue.pk}/").status_code == 404
    assert login("qs_dangwei").post(f"/clues/{clue.pk}/screen/", {"outcome": "no_action", "reason": "x"}).status_code == 404
    assert "提交筛选意见" not in login("shuji").get(f"/clues/{clue.pk}/").content.decode()
    assert login("shuji").post(f"/clues/{clue.pk}/screen/", {"outcome": "no_action", "reason": "x"}).status_code == 403
    assert login("lianluo").get("/clues/").status_code == 403
    assert login("renshe").get(f"/clues/{clue.pk}/").status_code == 404
    assert login("xianwei").get(f"/clues/{clue.pk}/").status_code == 404


def test_viewing_a_clue_is_logged(login, register, users):
    clue = register(username="qs_jiwei", cadre="MH0007")
    login("yjb").get(f"/clues/{clue.pk}/")
    event = Event.objects.get(action="clues.clue.viewed")
    assert (event.actor, event.object_id, event.ip) == (users["yjb"], str(clue.pk), "127.0.0.1")


def test_attachments_are_served_only_through_the_access_check(login, register):
    from yujing.clues.services import Upload

    clue = register(username="qs_jiwei", cadre="MH0007", uploads=[Upload("举报材料.pdf", pdf_bytes("secret"))])
    attachment = clue.attachments.get()
    response = login("qs_jiwei").get(f"/clues/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("secret")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert Event.objects.filter(action="clues.attachment.viewed").count() == 1
    for username in ("lianluo", "renshe"):
        assert login(username).get(f"/clues/attachments/{attachment.pk}/").status_code == 404
    assert login("yjb").get(f"/clues/attachments/{attachment.pk}/").status_code == 200


def test_reporter_reveal_page(login, register):
    from yujing.clues.services import Reporter

    clue = register(username="qs_jiwei", cadre="MH0007", reporter=Reporter("实名乙", "电话"))
    assert "查看举报人身份" not in login("qs_jiwei").get(f"/clues/{clue.pk}/").content.decode()
    assert login("qs_jiwei").post(f"/clues/{clue.pk}/reporter/").status_code == 403
    page = login("yjb").get(f"/clues/{clue.pk}/").content.decode()
    assert "查看举报人身份（将被记录）" in page
    response = login("yjb").post(f"/clues/{clue.pk}/reporter/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "实名乙" in response.content.decode()
    assert login("yjb").get(f"/clues/{clue.pk}/reporter/").status_code == 405


def test_liaison_files_a_transfer_and_sees_progress_only(login, cadres, register, users):
    client = login("lianluo")
    assert client.get("/clues/transfers/new/").status_code == 200
    response = client.post("/clues/transfers/new/", {
        "transferred_on": timezone.localdate().isoformat(), "cadre_ids": [cadres["MH0007"].pk],
        "summary": "审计发现违规发放补贴", "detail": "2025年度经济责任审计发现。", "found_how": "经济责任审计",
        "contact_person": "莫欣", "contact_phone": "0550-1234567",
    })
    assert response.status_code == 302
    clue = Clue.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "已接收，正在筛选" in page and "审计发现违规发放补贴" in page
    listing = client.get("/clues/transfers/").content.decode()
    assert clue.number in listing
    assert client.get(f"/clues/{clue.pk}/").status_code == 403  # their own clue, but not the discipline file
    other = register(username="qs_jiwei", cadre="MH0007")
    assert client.get(f"/clues/transfers/{other.pk}/").status_code == 404
    assert login("qs_jiwei").get("/clues/transfers/").status_code == 403


def test_list_filters_and_lateness_badge(login, register):
    old = register(username="yjb", cadre="MH0001", received_on=timezone.localdate() - timedelta(days=40),
                   today=timezone.localdate())
    register(username="yjb", cadre="MH0002", channel="media", today=timezone.localdate(),
             received_on=timezone.localdate())
    client = login("yjb")
    page = client.get("/clues/").content.decode()
    assert page.count("⚠ 筛选逾期") == 1
    late = client.get("/clues/", {"late": "1"}).context["page"].object_list
    assert [c.pk for c in late] == [old.pk]
    media = client.get("/clues/", {"channel": "media"}).context["page"].object_list
    assert [c.channel for c in media] == ["media"]
    assert client.get("/clues/", {"received_from": "not-a-date"}).status_code == 200


def test_clue_list_runs_a_fixed_number_of_queries(login, register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yujing.clues.services import Concerned

    client = login("yjb")
    counts = []
    for rows in (3, 25):
        while Clue.objects.count() < rows:
            register(username="yjb", cadre="MH0001", concerned=[Concerned(name="甲"), Concerned(name="乙")],
                     today=timezone.localdate(), received_on=timezone.localdate())
        client.get("/clues/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/clues/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 13, "\n".join(q["sql"] for q in queries.captured_queries)


def test_lookup_warns_of_open_items_in_jurisdiction_only(login, register, cadres):
    register(username="yjb", cadre="MH0001")
    name = cadres["MH0001"].name
    page = login("yjb").get("/cadres/lookup/", {"q": name}).content.decode()
    assert "已有未办结线索 1 条" in page
    page = login("lianluo").get("/cadres/lookup/", {"q": name}).content.decode()
    assert name in page and "已有未办结线索" not in page
    assert login("renshe").get("/cadres/lookup/", {"q": name}).status_code == 403


@pytest.mark.parametrize(
    ("cadre", "data", "status"),
    [
        ("MH0007", {"outcome": "handle", "verifiable": "0", "measure": "inquiry"}, "handle"),
        ("MH0001", {"outcome": "report_up"}, "registered"),
        ("MH0007", {"outcome": "case_clue", "verifiable": "1"}, "case_clue"),
        ("MH0007", {"outcome": "no_action"}, "no_action"),
    ],
)
def test_intake_to_each_outcome_through_the_pages(login, cadres, cadre, data, status):
    client = login("qs_jiwei")
    client.post("/clues/new/", {
        "received_on": timezone.localdate().isoformat(), "channel": "audit", "summary": "审计发现问题",
        "detail": "审计报告反映的问题。", "cadre_ids": [cadres[cadre].pk], "anonymous": "on",
    })
    clue = Clue.objects.get()
    form = {"outcome": data["outcome"], "reason": "依据第十四条处理", "verifiable": data.get("verifiable", "")}
    if "measure" in data:
        form[f"measure_{cadres[cadre].pk}"] = data["measure"]
    response = client.post(f"/clues/{clue.pk}/screen/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    clue.refresh_from_db()
    assert clue.status == status


def test_the_screening_form_offers_only_report_up_for_a_cadre_managed_above(login, register, cadres):
    clue = register(username="qs_jiwei", cadre="MH0001")
    client = login("qs_jiwei")
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    assert 'value="report_up"' in page
    for outcome in ("handle", "case_clue", "no_action"):
        assert f'name="outcome" value="{outcome}"' not in page
    reason = (f"{cadres['MH0001'].name}由中共明湖县委员会管理，属上级管辖的，应及时报告"
              "明湖县领导干部廉洁自律预警机制工作办公室（第十四条）")
    assert reason in page
    assert 'name="verifiable"' not in page and f'name="measure_{cadres["MH0001"].pk}"' not in page
    # a posted outcome the form does not offer is refused, and nothing is written
    refused = client.post(f"/clues/{clue.pk}/screen/", {"outcome": "no_action", "reason": "了结"})
    assert refused.status_code == 400
    clue.refresh_from_db()
    assert clue.status == "registered" and clue.handling_unit.code == "MH-QS"
    assert not Event.objects.filter(action="clues.clue.screened").exists()


def test_the_screening_form_offers_every_outcome_for_a_cadre_managed_here(login, register):
    clue = register(username="qs_jiwei", cadre="MH0007")
    page = login("qs_jiwei").get(f"/clues/{clue.pk}/").content.decode()
    for outcome in ("handle", "report_up", "case_clue", "no_action"):
        assert f'value="{outcome}"' in page
    assert "属上级管辖的" not in page


def test_a_case_clue_cannot_be_screened_into_a_warning_through_the_page(login, register, cadres):
    clue = register(username="qs_jiwei", cadre="MH0007")
    client = login("qs_jiwei")
    assert client.post(f"/clues/{clue.pk}/screen/", {"outcome": "case_clue", "reason": "移送"}).status_code == 302
    again = client.post(f"/clues/{clue.pk}/screen/", {"outcome": "handle", "reason": "改为预警", "verifiable": "1",
                                                      f"measure_{cadres['MH0007'].pk}": "inquiry"})
    assert again.status_code == 400
    assert "属于案件线索的不能实施预警（第十四条）" in again.content.decode()
    assert WarningCase.objects.count() == 0


def test_the_county_office_is_offered_warnings_only_for_the_cadres_it_manages(login, register, cadres):
    from yujing.clues.services import Concerned, Outcome, screen_clue
    from yujing.orgs.models import User

    clue = register(username="qs_jiwei", concerned=[Concerned(cadre_id=cadres["MH0007"].pk),
                                                    Concerned(cadre_id=cadres["MH0001"].pk)])
    screen_clue(clue=clue, by=User.objects.get(username="qs_jiwei"), today=timezone.localdate(),
                outcome=Outcome.REPORT_UP, reason="涉县管干部")
    page = login("yjb").get(f"/clues/{clue.pk}/").content.decode()
    assert f'name="measure_{cadres["MH0001"].pk}"' in page
    assert f'name="measure_{cadres["MH0007"].pk}"' not in page
    for outcome in ("handle", "report_up", "case_clue", "no_action"):
        assert f'value="{outcome}"' in page
