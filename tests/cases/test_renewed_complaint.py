"""第二十八条 after the lifting: 谈话后如群众仍有反映，经调查问题属实的，可转警示诫勉、责令纠错; and 第二十九条:
立案查处 only on a recorded finding that the filing conditions are met (构成立案条件)."""

import pytest
from django.core.exceptions import ValidationError

from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.cases.models import WarningCase

from .conftest import D

RENEWAL = "谈话函询后群众仍有反映、经调查属实的，才能转警示诫勉或责令纠错（第二十八条）"
FILING = "构成立案条件的，才能立案查处：须先记录了解、初核或调查，认定已构成立案条件（第二十九条）"


def lift_inquiry(case, users, talk_on="2026-06-05", lift_on="2026-06-12"):
    """The inquiry of ``inquiry_talk_noticed`` talked on ``talk_on``, answered and lifted on ``lift_on``."""
    office = users["yjb"]
    cs.hold_talk(case=case, by=office, today=D(talk_on), held_on=D(talk_on), record="记录", signed_on=D(talk_on))
    cs.record_response(case=case, by=office, today=D(talk_on), received_on=D(talk_on), content="说明情况")
    cs.write_register(case=case, by=office, today=D(talk_on), content="承诺如实说明")
    cs.lift(case=case, by=users["shuji"], today=D(lift_on), basis="说明清楚")
    case.refresh_from_db()
    return case


@pytest.fixture
def lifted(inquiry_talk_noticed, users):
    """A county inquiry by talk on 2026-06-05 (邵振东's file, MH0003), lifted on 2026-06-12."""
    return lift_inquiry(inquiry_talk_noticed, users)


def verify(case, users, on, conclusion, meets_filing=False, by="yjb"):
    return cs.record_verification(case=case, by=users[by], today=D(on), method="investigation", done_on=D(on),
                                  findings="群众再次反映的问题", conclusion=conclusion, meets_filing=meets_filing)


def test_a_renewed_complaint_on_a_lifted_inquiry_leads_on_to_an_admonition_in_the_same_file(lifted, users):
    case, office, secretary = lifted, users["yjb"], users["shuji"]
    assert (case.status, case.closed_on) == ("lifted", D("2026-06-12"))
    assert actions.available(case, office, D("2026-06-20")) == ["verify"]
    assert actions.available(case, secretary, D("2026-06-20")) == []  # nothing found yet: no escalation offered
    with pytest.raises(ValidationError) as info:
        cs.escalate(case=case, by=secretary, today=D("2026-06-20"), kind="admonition", basis="群众仍有反映")
    assert info.value.messages == [RENEWAL]
    with pytest.raises(ValidationError) as info:
        verify(case, users, "2026-06-11", "true")
    assert info.value.message_dict == {"done_on": ["日期不能早于解除预警的日期（2026年6月12日）"]}

    verify(case, users, "2026-06-20", "partly_true")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("lifted", D("2026-06-12"))  # the lifting stands
    event = Event.objects.filter(action="cases.case.verify", object_id=str(case.pk)).latest("id")
    assert (event.data["renewed"], event.data["from"], event.data["to"]) == (True, "lifted", "lifted")
    assert "escalate" in actions.available(case, secretary, D("2026-06-22"))
    shown = selectors.blockers(case, D("2026-06-22"))
    assert (shown["escalate:admonition"], shown["escalate:correction"], shown["escalate:case_filing"]) == ([], [], [FILING])

    ending = cs.escalate(case=case, by=secretary, today=D("2026-06-22"), kind="admonition", basis="再次反映部分属实",
                         facts="再次反映的问题部分属实")
    case.refresh_from_db()
    new = ending.new_case
    assert (case.status, case.closed_on, case.escalation) == ("lifted", D("2026-06-12"), "admonition")
    assert list(case.endings.values_list("kind", "decided_on")) == [("lifted", D("2026-06-12")),
                                                                    ("admonition", D("2026-06-22"))]
    assert (new.status, new.measure, new.escalated_from, new.target, new.proposed_on) == (
        "proposed", "admonition", case, case.target, D("2026-06-22"))
    assert list(new.clues.all()) == list(case.clues.all())
    assert [e.pk for e in case.escalations.all()] == [new.pk]
    event = Event.objects.filter(action="cases.case.escalate", object_id=str(case.pk)).get()
    assert (event.data["kind"], event.data["new_case"], event.data["to"], event.data["renewed"]) == (
        "admonition", new.pk, "lifted", True)
    # once led on, the inquiry takes nothing more: the renewed complaint goes on in the new case
    assert actions.available(case, office, D("2026-06-23")) == []
    with pytest.raises(ValidationError) as info:
        verify(case, users, "2026-06-23", "true")
    assert info.value.messages == [f"本事项已转警示诫勉（{new.number}），群众再有反映的，在该事项中办理"]

    # 第十六条 is met by the verification recorded on the inquiry: approved with no second entry
    new = selectors.case_get(user=office, pk=new.pk)
    assert [s.action for s in selectors.next_steps(new)] == ["approve"]
    assert any(e.title == f"调查（记录于 {case.number}）" for e in selectors.timeline(new))
    cs.decide(case=new, by=secretary, today=D("2026-06-23"), approve=True, opinion="同意")
    new.refresh_from_db()
    assert (new.status, new.approved_on, new.verifications.count()) == ("approved", D("2026-06-23"), 0)


def test_an_untrue_renewed_finding_offers_no_escalation_and_the_latest_finding_decides(lifted, users):
    case, secretary = lifted, users["shuji"]
    verify(case, users, "2026-06-20", "untrue")
    assert "escalate" not in actions.available(case, secretary, D("2026-06-21"))
    with pytest.raises(ValidationError) as info:
        cs.escalate(case=case, by=secretary, today=D("2026-06-21"), kind="correction", basis="x")
    assert info.value.messages == [RENEWAL]
    verify(case, users, "2026-06-25", "true")
    assert "escalate" in actions.available(case, secretary, D("2026-06-26"))
    verify(case, users, "2026-06-28", "untrue")
    assert "escalate" not in actions.available(case, secretary, D("2026-06-29"))
    case.refresh_from_db()
    assert (case.status, case.escalation, WarningCase.objects.filter(escalated_from=case).count()) == ("lifted", "", 0)


def test_a_renewed_complaint_meeting_the_filing_conditions_is_filed_not_warned(lifted, users):
    case, secretary = lifted, users["shuji"]
    verify(case, users, "2026-06-20", "true", meets_filing=True)
    with pytest.raises(ValidationError) as info:
        cs.escalate(case=case, by=secretary, today=D("2026-06-22"), kind="admonition", basis="x")
    assert info.value.messages == ["经核查已构成立案条件，应当立案查处，不得以预警代之（第三十三条(五)）"]
    ending = cs.escalate(case=case, by=secretary, today=D("2026-06-22"), kind="case_filing", basis="构成立案条件")
    case.refresh_from_db()
    assert (case.status, case.escalation, ending.new_case, ending.decided_on) == (
        "lifted", "case_filing", None, D("2026-06-22"))


def test_other_closed_cases_take_no_renewed_complaint(open_case, approved, lifted, users):
    office, secretary = users["yjb"], users["shuji"]
    rejected = open_case("inquiry", "MH0004", on="2026-06-01")
    cs.decide(case=rejected, by=users["fushuji"], today=D("2026-06-02"), approve=False, opinion="不予批准")
    withdrawn = open_case("inquiry", "MH0001", on="2026-06-01")
    cs.withdraw(case=withdrawn, by=office, today=D("2026-06-02"), reason="重复")
    for case, label in ((rejected, "未获批准"), (withdrawn, "已撤回")):
        case.refresh_from_db()
        assert actions.available(case, office, D("2026-06-20")) == []
        with pytest.raises(ValidationError) as info:
            verify(case, users, "2026-06-20", "true")
        assert info.value.messages == [f"预警事项当前为“{label}”，不能记录了解、初核或调查"]
    # an escalated case: the complaint goes on in the case it led to
    filed = open_case("admonition", "MH0002", on="2026-06-01")
    verify(filed, users, "2026-06-02", "true", meets_filing=True)
    cs.escalate(case=filed, by=secretary, today=D("2026-06-03"), kind="case_filing", basis="构成立案条件")
    with pytest.raises(ValidationError) as info:
        verify(filed, users, "2026-06-20", "true")
    assert info.value.messages == ["预警事项当前为“已升级处理”，不能记录了解、初核或调查"]

    # a lifted admonition or correction: 第二十八条 concerns inquiries only
    unit = users["qs_jiwei"], users["qs_dangwei"]
    correction = open_case("correction", "MH0007", on="2026-05-04")
    lift_unit_correction(correction, *unit)
    with pytest.raises(ValidationError) as info:
        verify(correction, users, "2026-06-20", "true", by="qs_jiwei")
    assert info.value.messages == ["责令纠错已解除预警；只有谈话函询解除后群众仍有反映的，才能再核查并转警示诫勉或责令纠错（第二十八条）"]
    # no renewed complaint; only its outcome still goes to the party chief (第三十一条)
    assert actions.available(correction, unit[0], D("2026-06-20")) == ["report_outcome"]

    # archived: read only
    WarningCase.objects.filter(pk=lifted.pk).update(archived_on=D("2026-06-15"))
    lifted.refresh_from_db()
    assert actions.available(lifted, office, D("2026-06-20")) == []
    with pytest.raises(ValidationError) as info:
        verify(lifted, users, "2026-06-20", "true")
    assert info.value.messages == [f"预警事项 {lifted.number} 已归档，只读"]


def lift_unit_correction(case, qs, leader):
    cs.record_verification(case=case, by=qs, today=D("2026-05-04"), method="inquiry", done_on=D("2026-05-04"),
                           findings="属实", conclusion="true")
    cs.decide(case=case, by=leader, today=D("2026-05-05"), approve=True)
    cs.report_to_chief(case=case, by=qs, today=D("2026-05-05"), reported_on=D("2026-05-05"))
    cs.write_register(case=case, by=qs, today=D("2026-05-05"), content="纠正")
    cs.approve_register(case=case, by=leader, today=D("2026-05-05"))
    cs.issue_letter(case=case, by=qs, today=D("2026-05-06"), kind="correction_notice", issued_on=D("2026-05-06"),
                    content="纠正")
    cs.record_receipt(case=case, by=qs, today=D("2026-05-06"), received_on=D("2026-05-06"))
    cs.record_response(case=case, by=qs, today=D("2026-05-20"), received_on=D("2026-05-20"), content="已纠正")
    cs.record_revisit(case=case, by=qs, today=D("2026-05-22"), methods=["report"], done_on=D("2026-05-22"),
                      findings="已纠正", meets_requirement=True)
    for recipient in ("organization_dept", "personnel_dept", "unit_party_org"):
        cs.send_notice(case=case, by=qs, today=D("2026-05-22"), recipient=recipient, sent_on=D("2026-05-22"),
                       content="通报")
    cs.lift(case=case, by=leader, today=D("2026-05-25"), basis="达到要求")
    case.refresh_from_db()
    assert case.status == "lifted"


def test_case_filing_needs_a_recorded_finding_of_the_filing_conditions(open_case, users):
    """第二十九条 "构成立案条件，按有关规定立案查处": refused without the finding, with it recorded by its verifier."""
    secretary = users["shuji"]
    case = open_case("admonition", "MH0001", on="2026-09-02")
    verify(case, users, "2026-09-03", "true")
    with pytest.raises(ValidationError) as info:
        cs.escalate(case=case, by=secretary, today=D("2026-09-04"), kind="case_filing", basis="数额较大")
    assert info.value.message_dict == {"kind": [FILING]}
    case.refresh_from_db()
    assert (case.status, case.escalation, case.endings.count()) == ("proposed", "", 0)
    assert selectors.blockers(case, D("2026-09-04"))["escalate:case_filing"] == [FILING]
    finding = verify(case, users, "2026-09-04", "true", meets_filing=True)
    assert (finding.recorded_by, finding.meets_filing) == (users["yjb"], True)
    assert selectors.blockers(case, D("2026-09-04"))["escalate:case_filing"] == []
    ending = cs.escalate(case=case, by=secretary, today=D("2026-09-04"), kind="case_filing", basis="数额较大")
    case.refresh_from_db()
    assert (case.status, case.escalation, ending.recorded_by, ending.decided_on) == (
        "escalated", "case_filing", secretary, D("2026-09-04"))


def test_the_page_and_the_api_offer_the_renewed_complaint_and_its_escalation(client, login, open_case, users):
    from datetime import timedelta

    from django.utils import timezone

    from yujing.api.services import create_token

    from .conftest import at

    today = timezone.localdate()
    start = today - timedelta(days=20)
    office = users["yjb"]
    case = open_case("inquiry", "MH0003", on=start.isoformat())
    cs.decide(case=case, by=users["fushuji"], today=start, approve=True)
    cs.plan_talk(case=case, by=office, today=start + timedelta(days=1), outline="了解澄清", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at((start + timedelta(days=4)).isoformat()), place="谈话室")
    cs.notify_talk(case=case, by=office, today=start + timedelta(days=2), sent_on=start + timedelta(days=2))
    lift_inquiry(case, users, talk_on=(start + timedelta(days=4)).isoformat(), lift_on=(start + timedelta(days=7)).isoformat())

    page = login("yjb")
    html = page.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/act/verify/"' in html
    assert 'name="verify-meets_filing"' in html  # the filing finding of 第二十九条 is offered with the verification
    posted = page.post(f"/cases/{case.pk}/act/verify/", {"verify-method": "investigation", "verify-done_on": today.isoformat(),
                                                         "verify-findings": "再次反映属实", "verify-conclusion": "true"})
    assert posted.status_code == 302, posted.content.decode()[:2000]

    def bearer(name):
        return {"Authorization": f"Bearer {create_token(user=users[name], name=name, by=users[name])[1]}"}

    detail = client.get(f"/api/cases/{case.pk}", headers=bearer("shuji")).json()
    assert (detail["status"], detail["available_actions"]) == ("lifted", ["escalate"])
    leader = login("shuji").get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/act/escalate/"' in leader and "转警示诫勉" in leader
    refused = client.post(f"/api/cases/{case.pk}/escalate", {"kind": "case_filing", "basis": "x"},
                          content_type="application/json", headers=bearer("shuji"))
    assert refused.status_code == 422 and FILING in str(refused.json())
    done = client.post(f"/api/cases/{case.pk}/escalate", {"kind": "correction", "basis": "再次反映属实"},
                       content_type="application/json", headers=bearer("shuji"))
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["available_actions"]) == ("lifted", [])
    new = WarningCase.objects.get(escalated_from=case)
    assert (new.measure, new.status, new.proposed_on) == ("correction", "proposed", today)
    assert f'href="/cases/{new.pk}/"' in page.get(f"/cases/{case.pk}/").content.decode()  # 升级为
    assert f'href="/cases/{case.pk}/"' in page.get(f"/cases/{new.pk}/").content.decode()  # 升级自
