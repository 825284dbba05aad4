"""Who talks (第二十条、第二十二条: a county leader for a principal, a delegation to the unit's principal) and
the means of a revisit (第三十条: several at once)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.forms import PlanTalkForm, RevisitForm
from yujing.cases.models import Revisit

from .conftest import D, at

LEADER_REASON = "该镇党委书记问题涉及全镇重大项目，按照谁主管、谁负责的原则请县委书记主谈"


@pytest.fixture
def bearer(users):
    def _bearer(username):
        _, text = create_token(user=users[username], name=username, by=users[username])
        return {"Authorization": f"Bearer {text}"}

    return _bearer


def plan(case, users, chief, **kw):
    values = {"outline": "指出问题，提出要求", "other_talkers": ["方晓春"], "scheduled_at": at("2026-09-09"),
              "place": "县纪委谈话室", "today": D("2026-09-05")}
    values.update(kw)
    return cs.plan_talk(case=case, by=users["yjb"], chief=users[chief], **values)


# --- 第二十二条: 必要时请县委、县政府有关领导主谈 ---------------------------------------------------------


def test_a_county_leader_may_be_chief_talker_for_a_principal_only_with_a_reason(approved, users):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")  # 青石镇党委书记
    with pytest.raises(ValidationError) as info:
        plan(case, users, "xianwei")
    assert info.value.message_dict == {"chief_reason": [
        "请县委、县政府有关领导主谈，须说明理由（第二十二条：必要时，按照党风廉政建设责任制的要求和谁主管、谁负责的原则）"]}
    assert not case.talks.exists()

    talk = plan(case, users, "xianwei", chief_reason=f"  {LEADER_REASON} ")
    assert (talk.chief, talk.chief_role, talk.chief_reason) == (users["xianwei"], "party_chief", LEADER_REASON)
    assert (talk.delegated_by, talk.delegated_on) == (None, None)
    assert talk.basis == f"请县委、县政府有关领导主谈（第二十二条），理由：{LEADER_REASON}"
    event = Event.objects.filter(action="cases.case.plan_talk").latest("id")
    assert (event.data["chief_role"], event.data["chief_reason"]) == ("party_chief", LEADER_REASON)

    cs.notify_talk(case=case, by=users["yjb"], today=D("2026-09-07"), sent_on=D("2026-09-07"))
    entry = next(e for e in selectors.timeline(selectors.case_get(user=users["yjb"], pk=case.pk))
                 if e.title == "书面通知谈话")
    assert entry.detail.endswith(f"（主谈：钱德庆）；请县委、县政府有关领导主谈（第二十二条），理由：{LEADER_REASON}")


def test_the_secretary_needs_no_reason_and_a_stray_reason_is_not_kept(approved, users):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    talk = plan(case, users, "shuji", chief_reason="无关的文字")
    assert (talk.chief_role, talk.chief_reason, talk.basis) == ("secretary", "", "")


def test_a_county_leader_is_not_chief_talker_for_another_member_of_the_team(approved, users, cadres):
    case = approved("admonition", "MH0003", on="2026-09-02", approve_on="2026-09-04")  # 党委副书记
    assert not cadres["MH0003"].is_principal
    with pytest.raises(ValidationError) as info:
        plan(case, users, "xianwei", chief_reason=LEADER_REASON)
    assert info.value.message_dict == {"chief": [
        f"对{case.target.name}的谈话须由县纪委书记、县纪委分管副书记、单位党委(党组)负责人主谈（第二十条、第二十二条）"]}


def test_without_the_policy_key_the_leader_is_refused_naming_the_rank(approved, users, monkeypatch):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    monkeypatch.setattr("yujing.cases.services.implementation.leader_roles", lambda case: [])
    with pytest.raises(ValidationError) as info:
        plan(case, users, "xianwei", chief_reason=LEADER_REASON)
    assert info.value.message_dict == {"chief": [f"对{case.target.name}的谈话须由县纪委书记主谈（第二十条、第二十二条）"]}


# --- 第二十条: 也可以委托所在单位主要负责人实施 -------------------------------------------------------------


def test_a_talk_with_another_team_member_may_be_delegated_to_the_units_principal(inquiry_talk_noticed, users):
    case = inquiry_talk_noticed  # 函询 MH0003 (青石镇党委副书记), approved 06-01, talk planned for 06-05
    talk = cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-03"), outline="了解澄清", chief=users["qs_dangwei"],
                        other_talkers=["汤宁"], scheduled_at=at("2026-06-05"), place="青石镇党委会议室",
                        delegated_by=users["fushuji"], delegated_on=D("2026-06-02"))
    assert (talk.chief, talk.chief_role, talk.delegated_by, talk.delegated_on) == (
        users["qs_dangwei"], "party_committee", users["fushuji"], D("2026-06-02"))
    assert talk.basis == "受县纪委副书记邵振东2026年6月2日委托，由所在单位主要负责人实施（第二十条）"
    event = Event.objects.filter(action="cases.case.plan_talk").latest("id")
    assert (event.data["delegated_by"], event.data["delegated_on"]) == (users["fushuji"].pk, "2026-06-02")

    cs.notify_talk(case=case, by=users["yjb"], today=D("2026-06-03"), sent_on=D("2026-06-03"))
    entries = selectors.timeline(selectors.case_get(user=users["yjb"], pk=case.pk))
    delegation = next(e for e in entries if e.title == "委托所在单位主要负责人实施谈话")
    assert (delegation.on, delegation.detail, delegation.article) == (
        D("2026-06-02"), "县纪委副书记邵振东委托覃永峰（青石镇党委书记）实施预警谈话", "第二十条")


def test_replanning_without_delegation_clears_it(inquiry_talk_noticed, users):
    case = inquiry_talk_noticed
    common = {"case": case, "by": users["yjb"], "today": D("2026-06-03"), "outline": "了解澄清", "other_talkers": ["汤宁"],
              "scheduled_at": at("2026-06-05"), "place": "谈话室"}
    cs.plan_talk(**common, chief=users["qs_dangwei"], delegated_by=users["shuji"], delegated_on=D("2026-06-02"))
    talk = cs.plan_talk(**common, chief=users["qs_dangwei"])  # an ordinary 党委谈话 (第二十二条)
    assert (talk.chief_role, talk.delegated_by, talk.delegated_on, talk.basis) == ("party_committee", None, None, "")


@pytest.mark.parametrize(("chief", "delegator", "on", "expected"), [
    ("qs_dangwei", "yjb", "2026-06-02",
     {"delegated_by": ["委托所在单位主要负责人实施，须由县纪委书记、县纪委分管副书记作出（第二十条）"]}),
    ("fushuji", "shuji", "2026-06-02",
     {"chief": ["委托实施的，主谈人须为明湖县青石镇主要负责人（单位党委(党组)负责人，第二十条）"]}),
    ("qs_dangwei", "shuji", None, {"delegated_on": ["请填写委托日期"]}),
    ("qs_dangwei", "shuji", "2026-06-06", {"delegated_on": ["委托须在谈话之前作出"]}),
    ("qs_dangwei", "shuji", "2026-05-31", {"delegated_on": ["日期不能早于批准日期（2026年6月1日）"]}),
])
def test_a_delegation_is_refused_with_its_reason(inquiry_talk_noticed, users, chief, delegator, on, expected):
    case = inquiry_talk_noticed
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-07"), outline="了解澄清", chief=users[chief],
                     other_talkers=["汤宁"], scheduled_at=at("2026-06-05"), place="谈话室",
                     delegated_by=users[delegator], delegated_on=D(on) if on else None)
    assert info.value.message_dict == expected
    talk = case.talks.get()
    assert (talk.chief, talk.delegated_by) == (users["fushuji"], None)  # the earlier plan stands


def test_a_delegator_who_must_stand_aside_is_refused(inquiry_talk_noticed, users, cadres):
    from yujing.orgs.models import Relation

    Relation.objects.create(user=users["shuji"], cadre=cadres["MH0003"], kind=Relation.Kind.KIN)
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=inquiry_talk_noticed, by=users["yjb"], today=D("2026-06-03"), outline="了解澄清",
                     chief=users["qs_dangwei"], other_talkers=["汤宁"], scheduled_at=at("2026-06-05"), place="谈话室",
                     delegated_by=users["shuji"], delegated_on=D("2026-06-02"))
    assert info.value.message_dict == {"delegated_by": [f"委托人须回避：本人已申报与{cadres['MH0003'].name}存在近亲属"]}


def test_a_principals_talk_is_not_delegated(approved, users):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    with pytest.raises(ValidationError) as info:
        plan(case, users, "qs_dangwei", delegated_by=users["shuji"], delegated_on=D("2026-09-05"))
    assert info.value.message_dict == {
        "delegated_by": [f"{case.target.name}属主要负责人，应由上一级党委（党组）或纪委负责人实施，"
                         "不能委托所在单位主要负责人（第二十条）"],
        # and the township's own party secretary is of the target's unit: no ordinary role covers them here
        "chief": [f"主谈人须回避：{case.target.name}是本人所在单位（明湖县青石镇）的领导班子成员"],
    }
    assert not case.talks.exists()


def test_a_units_own_case_is_not_delegated(approved, users):
    case = approved("admonition", "MH0007", on="2026-09-02", approve_on="2026-09-04", approver="qs_dangwei")
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=case, by=users["qs_jiwei"], today=D("2026-09-05"), outline="提纲", chief=users["qs_dangwei"],
                     other_talkers=["汤宁"], scheduled_at=at("2026-09-09"), place="镇会议室",
                     delegated_by=users["qs_dangwei"], delegated_on=D("2026-09-05"))
    assert info.value.message_dict["delegated_by"] == [
        "单位确定的预警对象由本单位党委（党组）或纪委（纪检组）组织实施，无需委托（第十八条）"]


def test_the_talk_form_offers_only_what_the_service_accepts(approved, inquiry_talk_noticed, users):
    principal = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    form = PlanTalkForm(case=principal, user=users["yjb"], prefix="plan_talk")
    assert "chief_reason" in form.fields and "delegated_by" not in form.fields
    assert users["xianwei"] in form.fields["chief"].queryset
    other = PlanTalkForm(case=inquiry_talk_noticed, user=users["yjb"], prefix="plan_talk")
    assert "chief_reason" not in other.fields and {"delegated_by", "delegated_on"} <= set(other.fields)
    assert set(other.fields["delegated_by"].queryset) == {users["shuji"], users["fushuji"]}
    assert users["xianwei"] not in other.fields["chief"].queryset


def test_the_case_page_shows_the_delegation_and_takes_it_from_the_form(inquiry_talk_noticed, users, login):
    case = inquiry_talk_noticed
    client = login("yjb")
    response = client.post(f"/cases/{case.pk}/act/plan_talk/", {
        "plan_talk-outline": "了解澄清", "plan_talk-chief": users["qs_dangwei"].pk, "plan_talk-other_talkers": "汤宁",
        "plan_talk-scheduled_at": "2026-06-05T09:00", "plan_talk-place": "青石镇会议室",
        "plan_talk-delegated_by": users["fushuji"].pk, "plan_talk-delegated_on": "2026-06-02"})
    assert response.status_code == 302, response.content.decode()[:2000]
    talk = case.talks.get()
    assert (talk.delegated_by, talk.delegated_on) == (users["fushuji"], D("2026-06-02"))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "县纪委副书记邵振东于2026年6月2日委托覃永峰（明湖县青石镇主要负责人）实施（第二十条）" in page
    assert "委托所在单位主要负责人实施谈话" in page and "受委托" in page


def test_the_api_takes_a_delegation(client, bearer, open_case, users):
    today = timezone.localdate()
    case = open_case("inquiry", "MH0003", on=today.isoformat())
    cs.decide(case=case, by=users["fushuji"], today=today, approve=True)
    payload = {"outline": "了解澄清", "chief_id": users["qs_dangwei"].pk, "other_talkers": ["汤宁"],
               "scheduled_at": f"{today.isoformat()}T23:00:00+08:00", "place": "青石镇会议室",
               "delegated_by_id": users["yjb"].pk, "delegated_on": today.isoformat()}
    refused = client.post(f"/api/cases/{case.pk}/plan-talk", payload, content_type="application/json",
                          headers=bearer("yjb"))
    assert refused.status_code == 422
    assert refused.json()["message"] == "委托所在单位主要负责人实施，须由县纪委书记、县纪委分管副书记作出（第二十条）"
    payload["delegated_by_id"] = users["shuji"].pk
    response = client.post(f"/api/cases/{case.pk}/plan-talk", payload, content_type="application/json",
                           headers=bearer("yjb"))
    assert response.status_code == 200, response.json()
    talk = case.talks.get()
    assert (talk.chief, talk.delegated_by, talk.delegated_on) == (users["qs_dangwei"], users["shuji"], today)


# --- 第三十条: 通过听取汇报、查阅资料、召开座谈会等形式进行回访 ------------------------------------------------


@pytest.fixture
def rectifying(approved, users):
    """A correction whose notice was received on 2026-03-05: the revisit may come."""
    office = users["yjb"]
    case = approved("correction", "MH0002", on="2026-03-02", approve_on="2026-03-02")
    cs.report_to_chief(case=case, by=office, today=D("2026-03-03"), reported_on=D("2026-03-03"))
    cs.write_register(case=case, by=office, today=D("2026-03-03"), content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-03-03"))
    cs.issue_letter(case=case, by=office, today=D("2026-03-04"), kind="correction_notice", issued_on=D("2026-03-04"),
                    content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-03-05"), received_on=D("2026-03-05"))
    return case


def revisit(case, users, **kw):
    values = {"done_on": D("2026-03-20"), "findings": "资金已收回", "meets_requirement": True, "today": D("2026-03-20")}
    values.update(kw)
    return cs.record_revisit(case=case, by=users["yjb"], **values)


def test_one_revisit_records_several_means_in_the_articles_order(rectifying, users):
    visit = revisit(rectifying, users, methods=["symposium", "report", "documents", "report"])
    assert visit.methods == ["report", "documents", "symposium"]
    assert visit.methods_display == "听取汇报、查阅资料、召开座谈会"
    event = Event.objects.filter(action="cases.case.revisit").latest("id")
    assert event.data["methods"] == ["report", "documents", "symposium"]
    entry = next(e for e in selectors.timeline(rectifying) if e.kind == "revisit")
    assert entry.title == "回访（听取汇报、查阅资料、召开座谈会）"


def test_another_means_is_named(rectifying, users):
    with pytest.raises(ValidationError) as info:
        revisit(rectifying, users, methods=["documents", "other"], other_method="  ")
    assert info.value.message_dict == {"other_method": ["选择“其他”时请说明回访形式"]}
    visit = revisit(rectifying, users, methods=["documents", "other"], other_method="个别走访群众")
    assert (visit.methods, visit.other_method, visit.methods_display) == (
        ["documents", "other"], "个别走访群众", "查阅资料、其他（个别走访群众）")
    # the description belongs to "other" only
    plain = revisit(rectifying, users, methods=["report"], other_method="多余")
    assert plain.other_method == ""


@pytest.mark.parametrize(("methods", "message"), [
    ([], "请至少选择一种回访形式：听取汇报、查阅资料、召开座谈会或其他（第三十条）"),
    (["phone"], "回访形式“phone”不在听取汇报、查阅资料、召开座谈会、其他之列"),
])
def test_a_revisit_without_a_known_means_is_refused(rectifying, users, methods, message):
    with pytest.raises(ValidationError) as info:
        revisit(rectifying, users, methods=methods)
    assert info.value.message_dict == {"methods": [message]}
    assert not Revisit.objects.filter(case=rectifying).exists()


def test_the_revisit_form_is_multiple_choice_and_the_page_keeps_every_means(rectifying, users, login):
    form = RevisitForm(case=rectifying, user=users["yjb"], prefix="revisit")
    assert [c[0] for c in form.fields["methods"].choices] == ["report", "documents", "symposium", "other"]
    client = login("yjb")
    today = timezone.localdate().isoformat()
    response = client.post(f"/cases/{rectifying.pk}/act/revisit/", {
        "revisit-methods": ["report", "symposium"], "revisit-done_on": today, "revisit-findings": "座谈了解",
        "revisit-meets_requirement": "1"})
    assert response.status_code == 302
    assert rectifying.revisits.get().methods == ["report", "symposium"]
    assert "回访（听取汇报、召开座谈会）" in client.get(f"/cases/{rectifying.pk}/").content.decode()
    refused = client.post(f"/cases/{rectifying.pk}/act/revisit/", {
        "revisit-done_on": today, "revisit-findings": "座谈了解", "revisit-meets_requirement": "1"})
    assert refused.status_code == 400
    assert "请至少选择一种回访形式：听取汇报、查阅资料、召开座谈会或其他（第三十条）" in refused.content.decode()
    assert rectifying.revisits.count() == 1


def test_the_api_takes_a_list_of_means(client, bearer, rectifying):
    today = timezone.localdate().isoformat()
    response = client.post(f"/api/cases/{rectifying.pk}/revisit", {
        "methods": ["documents", "other"], "other_method": "实地查看", "done_on": today, "findings": "已纠正",
        "meets_requirement": True}, content_type="application/json", headers=bearer("yjb"))
    assert response.status_code == 200, response.json()
    assert rectifying.revisits.get().methods == ["documents", "other"]
    assert any(e["title"] == "回访（查阅资料、其他（实地查看））" for e in response.json()["timeline"])
