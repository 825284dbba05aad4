"""Oversight reads the measures from the policy (issue 17): under Shou's file with other keys
(shou_renamed: tanhua, jingshi, jiucuo) the workflow, the deadline board, the dashboard and the quarterly
figures work as under Shou, by what each measure does, and show the policy's names."""

from tests.dates import D, at
from yujing.cases import services as cs
from yujing.oversight import dashboard, deadlines, figures
from yujing.oversight.reports import LABELS


def test_a_correction_under_another_key_runs_as_shou_s_does(shou_renamed, approved, users):
    office = users["yjb"]
    case = approved("jiucuo", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    cs.report_to_chief(case=case, by=office, today=D("2026-09-04"), reported_on=D("2026-09-04"), note="报告")
    cs.write_register(case=case, by=office, today=D("2026-09-05"), content="整改要求")
    items = {i.key: i for i in deadlines.collect(today=D("2026-09-05"))}
    register = items[f"case:{case.pk}:register"]  # 整改要求 await approval: requirements_approval, not the key
    assert (register.label, register.title) == ("批准整改要求", f"{case.number} {case.target.name}（责令纠错）")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-09-05"))
    cs.issue_letter(case=case, by=office, today=D("2026-09-07"), kind="correction_notice", issued_on=D("2026-09-07"),
                    content="责令纠错")
    cs.record_receipt(case=case, by=office, today=D("2026-09-08"), received_on=D("2026-09-08"))
    case.refresh_from_db()
    assert (case.status, case.response_due) == ("awaiting_response", D("2026-10-08"))  # 1 month (第三十条)
    item = {i.key: i for i in deadlines.collect(today=D("2026-10-01"))}[f"case:{case.pk}:response"]
    assert (item.label, item.due, item.article) == ("催收整改报告", D("2026-10-08"), "第三十条")


def test_an_inquiry_under_another_key_starts_its_period_at_the_talk(shou_renamed, open_case, users):
    office = users["yjb"]
    case = open_case("tanhua", "MH0003", on="2026-09-02")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="了解", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-08"), held_on=D("2026-09-08"), record="记录", signed_on=D("2026-09-08"))
    case.refresh_from_db()
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-09-08"), D("2026-09-18"))


def test_the_dashboard_and_the_figures_name_the_policy_s_measures(shou_renamed, approved, users):
    approved("jiucuo", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    data = dashboard.data(user=users["shuji"], start=D("2026-07-01"), end=D("2026-09-30"), today=D("2026-09-30"))
    assert data["measures"] == [{"name": "谈话函询", "value": 0}, {"name": "警示诫勉", "value": 0},
                                {"name": "责令纠错", "value": 1}]
    assert [s["name"] for s in data["cases_by_quarter"]] == ["谈话函询", "警示诫勉", "责令纠错"]
    values = dict(figures.compute(prefix="", year=2026, quarter=3))
    assert (values["cases.tanhua"], values["cases.jingshi"], values["cases.jiucuo"]) == (0, 0, 1)
    assert [k for k in values if k.startswith("escalated.")] == [
        "escalated.jingshi", "escalated.jiucuo", "escalated.organisational", "escalated.case_filing"]
    assert (LABELS["cases.jiucuo"], LABELS["escalated.jingshi"]) == ("责令纠错", "转警示诫勉")
    assert "cases.inquiry" not in LABELS
