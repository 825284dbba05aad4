"""The lapses of 第三十三条 surface from the data by themselves, with their evidence."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from tests.dates import D, at
from yujing.audit.services import record
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.models import Clue
from yujing.clues.services import Concerned, Outcome
from yujing.oversight.models import LapseNote
from yujing.oversight.selectors import lapse_list
from yujing.oversight.services import annotate_lapse

TODAY = D("2026-11-20")


def lapses(user, today=TODAY):
    return {row["lapse"].key: row["lapse"] for unit in lapse_list(user=user, today=today) for row in unit["lapses"]}


def register(users, cadres, who="yjb", code="MH0001", on="2026-10-26"):
    return clue_services.register_clue(by=users[who], today=D(on), received_on=D(on), channel="petition",
                                       summary="反映问题", detail="详情", concerned=[Concerned(cadre_id=cadres[code].pk)])


def test_each_kind_of_lapse_is_found_with_its_evidence(users, cadres, open_case, approved):
    unscreened = register(users, cadres, on="2026-10-26")  # due 11-10
    late = register(users, cadres, on="2026-10-12")  # due 10-27
    clue_services.screen_clue(clue=late, by=users["yjb"], today=D("2026-11-02"), outcome=Outcome.NO_ACTION, reason="x")
    idle = approved("inquiry", "MH0003", on="2026-11-02", approve_on="2026-11-02", approver="fushuji")  # due 11-09
    filing = open_case("admonition", "MH0004", on="2026-11-03")
    cs.record_verification(case=filing, by=users["yjb"], today=D("2026-11-04"), method="investigation",
                           done_on=D("2026-11-04"), findings="数额较大", conclusion="true", meets_filing=True)
    waiting = open_case("inquiry", "MH0005", on="2026-10-01")  # an inquiry needs no verification (第十六条)
    cs.decide(case=waiting, by=users["fushuji"], today=D("2026-10-08"), approve=True)
    cs.plan_talk(case=waiting, by=users["yjb"], today=D("2026-10-08"), outline="提纲", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-10-09"), place="谈话室")
    cs.notify_talk(case=waiting, by=users["yjb"], today=D("2026-10-08"), sent_on=D("2026-10-08"))
    cs.hold_talk(case=waiting, by=users["yjb"], today=D("2026-10-09"), held_on=D("2026-10-09"), record="记录",
                 signed_on=D("2026-10-09"))  # reply due 10-19, nothing since
    # legacy data: a clue marked verifiable after the talk (the services refuse this order)
    Clue.objects.filter(cases=waiting).update(verifiable=True)
    # a reveal by a role the policy does not allow, written straight into the log
    with transaction.atomic():
        record("clues.reporter.revealed", by=users["qs_jiwei"], obj=unscreened,
               unit_path=unscreened.handling_unit.path)

    found = lapses(users["yjb"])
    assert found[f"unscreened:clue:{unscreened.pk}"].evidence == "筛选期限2026年11月10日，至今已逾期 10 日"
    assert found[f"late_screening:clue:{late.pk}"].evidence == "筛选期限2026年10月27日，2026年11月2日才筛选"
    assert found[f"not_implemented:case:{idle.pk}"].evidence == "2026年11月2日批准，实施期限2026年11月9日，至今未实施"
    assert found[f"warning_instead:case:{filing.pk}"].evidence == "核查结论认定已构成立案条件，但未立案查处"
    assert found[f"unverified_contact:case:{waiting.pk}"].evidence == "2026年10月9日实施，此前没有核查记录"
    assert found[f"unescalated:case:{waiting.pk}"].evidence == "期限2026年10月19日，逾期 32 日仍未收到，也未转入下一步"
    reveal = [lapse for key, lapse in found.items() if key.startswith("confidentiality:")]
    assert len(reveal) == 1 and "汤宁：无权角色查看举报人身份" in reveal[0].evidence
    assert {lapse.kind for lapse in found.values()} == {"unscreened", "late_screening", "not_implemented",
                                                        "warning_instead", "unverified_contact", "unescalated",
                                                        "confidentiality"}


def test_no_lapse_on_the_day_before(users, cadres):
    register(users, cadres, on="2026-10-26")  # due 11-10
    assert lapses(users["yjb"], D("2026-11-10")) == {}
    assert list(lapses(users["yjb"], D("2026-11-11"))) != []


def test_units_see_their_own_lapses_and_notes_are_kept(users, cadres):
    county = register(users, cadres, on="2026-10-26")
    township = register(users, cadres, who="qs_jiwei", code="MH0007", on="2026-10-26")
    assert set(lapses(users["qs_jiwei"])) == {f"unscreened:clue:{township.pk}"}
    assert set(lapses(users["yjb"])) == {f"unscreened:clue:{county.pk}", f"unscreened:clue:{township.pk}"}
    assert lapses(users["renshe"]) == {}
    key = f"unscreened:clue:{township.pk}"
    with pytest.raises(PermissionDenied):
        annotate_lapse(key=key, status="explained", note="说明", by=users["qs_jiwei"], today=TODAY)
    annotate_lapse(key=key, status="accountability", note="已约谈经办人", by=users["shuji"], today=TODAY)
    annotate_lapse(key=key, status="explained", note="补充说明", by=users["yjb"], today=TODAY)
    assert list(LapseNote.objects.values_list("status", flat=True)) == ["accountability", "explained"]
    # screening it now does not make the lapse disappear: it becomes "screened late"
    clue_services.screen_clue(clue=township, by=users["qs_jiwei"], today=TODAY, outcome=Outcome.NO_ACTION, reason="x")
    assert f"late_screening:clue:{township.pk}" in lapses(users["yjb"])


def test_lapse_page(login, users, cadres):
    clue = register(users, cadres, on="2026-09-01")
    page = login("shuji").get("/oversight/lapses/").content.decode()
    assert "（一）对应预警的问题压瞒不办" in page and clue.number in page and "记录处理情况" in page
    assert "记录处理情况" not in login("qs_jiwei").get("/oversight/lapses/").content.decode()
    response = login("shuji").post("/oversight/lapses/annotate/", {"key": f"unscreened:clue:{clue.pk}",
                                                                   "status": "noted", "note": "已督办"})
    assert response.status_code == 302 and LapseNote.objects.get().note == "已督办"
    assert login("renshe").get("/oversight/lapses/").status_code == 403


def test_a_warning_followed_by_case_filing_on_the_same_facts_is_a_candidate_for_review(users, approved, open_case, login):
    """第三十三条(五) 对应给予纪律处分，而以预警代之的: a warning carried out, and the cadre later filed (立案查处) on
    the same facts — from that case, or from the case it led to (same clue) — listed with both records."""
    office, secretary = users["yjb"], users["shuji"]
    # an admonition by letter, carried out on 10-08, filed from itself on 10-21
    warned = approved("admonition", "MH0001", on="2026-10-05", approve_on="2026-10-06")
    cs.write_register(case=warned, by=office, today=D("2026-10-07"), content="整改要求")
    cs.approve_register(case=warned, by=secretary, today=D("2026-10-07"))
    cs.issue_letter(case=warned, by=office, today=D("2026-10-08"), kind="admonition_notice", issued_on=D("2026-10-08"),
                    content="指出问题")
    cs.record_verification(case=warned, by=office, today=D("2026-10-20"), method="investigation",
                           done_on=D("2026-10-20"), findings="数额较大", conclusion="true", meets_filing=True)
    filing = cs.escalate(case=warned, by=secretary, today=D("2026-10-21"), kind="case_filing", basis="构成立案条件")
    # an inquiry talked on 06-05 and lifted on 06-12; the renewed complaint led to an admonition (same clue),
    # which was filed on 10-15 before it was ever carried out
    inquiry = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=inquiry, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.plan_talk(case=inquiry, by=office, today=D("2026-06-02"), outline="了解澄清", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="谈话室")
    cs.notify_talk(case=inquiry, by=office, today=D("2026-06-03"), sent_on=D("2026-06-03"))
    cs.hold_talk(case=inquiry, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="记录",
                 signed_on=D("2026-06-05"))
    cs.record_response(case=inquiry, by=office, today=D("2026-06-08"), received_on=D("2026-06-08"), content="说明")
    cs.write_register(case=inquiry, by=office, today=D("2026-06-08"), content="承诺")
    cs.lift(case=inquiry, by=secretary, today=D("2026-06-12"), basis="说明清楚")
    cs.record_verification(case=inquiry, by=office, today=D("2026-09-01"), method="investigation",
                           done_on=D("2026-09-01"), findings="再次反映属实", conclusion="true")
    led_on = cs.escalate(case=inquiry, by=secretary, today=D("2026-09-02"), kind="admonition", basis="再次反映属实").new_case
    cs.record_verification(case=led_on, by=office, today=D("2026-10-14"), method="investigation",
                           done_on=D("2026-10-14"), findings="数额较大", conclusion="true", meets_filing=True)
    second = cs.escalate(case=led_on, by=secretary, today=D("2026-10-15"), kind="case_filing", basis="构成立案条件")

    found = {key: lapse for key, lapse in lapses(users["yjb"]).items() if key.startswith("warning_instead:")}
    assert set(found) == {f"warning_instead:filed:{warned.pk}:{filing.pk}", f"warning_instead:filed:{inquiry.pk}:{second.pk}"}
    own = found[f"warning_instead:filed:{warned.pk}:{filing.pk}"]
    assert own.evidence == "2026年10月8日实施警示诫勉，2026年10月21日 本事项立案查处：请复核是否以预警代之"
    assert (own.since, own.review) == (D("2026-10-21"), True)
    assert [(r.label, r.number, r.measure, r.dated, r.on, r.url) for r in own.records] == [
        ("预警", warned.number, "警示诫勉", "实施日期", D("2026-10-08"), f"/cases/{warned.pk}/"),
        ("立案查处", warned.number, "由警示诫勉转立案查处", "决定日期", D("2026-10-21"), f"/cases/{warned.pk}/"),
    ]
    chain = found[f"warning_instead:filed:{inquiry.pk}:{second.pk}"]
    assert chain.evidence == f"2026年6月5日实施谈话函询，2026年10月15日 同一线索的 {led_on.number}立案查处：请复核是否以预警代之"
    assert [(r.number, r.on, r.url) for r in chain.records] == [
        (inquiry.number, D("2026-06-05"), f"/cases/{inquiry.pk}/"), (led_on.number, D("2026-10-15"), f"/cases/{led_on.pk}/")]
    assert lapses(users["qs_jiwei"]).keys().isdisjoint(found)  # a township sees none of the county's
    # candidates for review do not count against the unit in the annual assessment (the meets_filing finding
    # on ``warned`` was filed, so it is no lapse either)
    from yujing.oversight.assessment import metrics

    assert metrics(unit=warned.unit_in_charge, year=2026, today=D("2026-11-20"))["lapses"] == 0

    page = login("shuji").get("/oversight/lapses/").content.decode()
    table = page[page.index(f'<a href="/cases/{inquiry.pk}/">{inquiry.number}</a><br>谈话函询'):]
    assert table.index(f'<a href="/cases/{led_on.pk}/">{led_on.number}</a><br>由警示诫勉转立案查处<br>决定日期 2026-10-15') < 400


def test_a_case_escalated_from_a_verified_inquiry_is_not_an_unverified_contact(users, open_case):
    """第三十三条(三): the verification recorded on the inquiry stands for the case it led to (第十六条, 第二十八条)."""
    office, secretary = users["yjb"], users["shuji"]
    inquiry = open_case("inquiry", "MH0003", on="2026-06-01", verifiable=True)
    cs.record_verification(case=inquiry, by=office, today=D("2026-06-01"), method="inquiry", done_on=D("2026-06-01"),
                           findings="了解", conclusion="partly_true")
    cs.decide(case=inquiry, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.plan_talk(case=inquiry, by=office, today=D("2026-06-02"), outline="了解澄清", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="谈话室")
    cs.notify_talk(case=inquiry, by=office, today=D("2026-06-03"), sent_on=D("2026-06-03"))
    cs.hold_talk(case=inquiry, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="记录",
                 signed_on=D("2026-06-05"))
    cs.record_response(case=inquiry, by=office, today=D("2026-06-08"), received_on=D("2026-06-08"), content="说明")
    cs.write_register(case=inquiry, by=office, today=D("2026-06-08"), content="承诺")
    cs.lift(case=inquiry, by=secretary, today=D("2026-06-12"), basis="说明清楚")
    cs.record_verification(case=inquiry, by=office, today=D("2026-09-01"), method="investigation",
                           done_on=D("2026-09-01"), findings="再次反映属实", conclusion="true")
    new = cs.escalate(case=inquiry, by=secretary, today=D("2026-09-02"), kind="admonition", basis="再次反映属实").new_case
    cs.decide(case=new, by=secretary, today=D("2026-09-03"), approve=True)
    cs.write_register(case=new, by=office, today=D("2026-09-04"), content="整改要求")
    cs.approve_register(case=new, by=secretary, today=D("2026-09-04"))
    cs.issue_letter(case=new, by=office, today=D("2026-09-07"), kind="admonition_notice", issued_on=D("2026-09-07"),
                    content="指出问题")
    new.refresh_from_db()
    assert (new.implemented_on, new.verifications.count()) == (D("2026-09-07"), 0)
    assert not [key for key in lapses(users["yjb"]) if key.startswith("unverified_contact:")]
@pytest.mark.parametrize(("day", "found"), [("2026-10-28", False), ("2026-10-29", True), ("2026-10-30", True)])
def test_unescalated_from_the_10th_day_late(users, open_case, day, found):
    """逾期10日以上 includes the 10th day (民法典第一千二百五十九条): a reply due 10-19 is an unescalated
    lapse from 10-29 (10 days late), not from 10-30."""
    waiting = open_case("inquiry", "MH0005", on="2026-10-01")
    cs.decide(case=waiting, by=users["fushuji"], today=D("2026-10-08"), approve=True)
    cs.plan_talk(case=waiting, by=users["yjb"], today=D("2026-10-08"), outline="提纲", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-10-09"), place="谈话室")
    cs.notify_talk(case=waiting, by=users["yjb"], today=D("2026-10-08"), sent_on=D("2026-10-08"))
    cs.hold_talk(case=waiting, by=users["yjb"], today=D("2026-10-09"), held_on=D("2026-10-09"), record="记录",
                 signed_on=D("2026-10-09"))
    waiting.refresh_from_db()
    assert waiting.response_due == D("2026-10-19")
    assert (f"unescalated:case:{waiting.pk}" in lapses(users["yjb"], D(day))) is found
