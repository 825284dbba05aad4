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
    assert found[f"unscreened:clue:{unscreened.pk}"].evidence == "筛选期限 2026-11-10，至今已逾期 10 日"
    assert found[f"late_screening:clue:{late.pk}"].evidence == "筛选期限 2026-10-27，2026-11-02 才筛选"
    assert found[f"not_implemented:case:{idle.pk}"].evidence == "2026-11-02 批准，实施期限 2026-11-09，至今未实施"
    assert found[f"warning_instead:case:{filing.pk}"].evidence == "核查结论认定已构成立案条件，但未立案查处"
    assert found[f"unverified_contact:case:{waiting.pk}"].evidence == "2026-10-09 实施，此前没有核查记录"
    assert found[f"unescalated:case:{waiting.pk}"].evidence == "期限 2026-10-19，逾期 32 日仍未收到，也未转入下一步"
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
