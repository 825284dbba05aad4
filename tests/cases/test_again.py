"""A second letter on one case (issue 17 item 5, the policy's ``again``: 对函询说明不清楚、不完整的，可以再次函询):
once the answer to the current letter is received, a leader decides a further letter with new questions; the
case goes back to where its letter is due, the new letter is issued within its own limit from the decision and
delivered anew, its delivery restarts the response clock, and the earlier letter and answer stay on file.
Shou's 谈话函询 with an ``again`` rule added (Shou itself has none: see the last tests). Exact dates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.policy.test_loader_refusals import _refusal
from yujing.audit.models import Event
from yujing.cases import actions, previews, selectors
from yujing.cases import services as cs
from yujing.oversight import deadlines

from .conftest import SHOU, D, at, with_measure

AGAIN = with_measure(SHOU, "inquiry", again='{ max = 2, label = "再次函询", article = "第二十八条", period = "5d" }',
                     redo='{ period = "5d", label = "重新说明", article = "第九条", max = 1 }')


def letter(case, users, on, content="请说明"):
    cs.issue_letter(case=case, by=users["yjb"], today=D(on), kind="inquiry_letter", issued_on=D(on), content=content)
    case.refresh_from_db()


def receipt(case, users, on):
    cs.record_receipt(case=case, by=users["yjb"], today=D(on), received_on=D(on))
    case.refresh_from_db()


def answer(case, users, on, content="书面说明"):
    cs.record_response(case=case, by=users["yjb"], today=D(on), received_on=D(on), content=content)
    case.refresh_from_db()


@pytest.fixture
def answered(use_policy, open_case, users):
    """An inquiry by letter: approved on 2026-09-01 (implementation due 09-08), the letter issued on 09-02 and
    delivered on 09-03 (10 days: due 09-13, a Sunday, so 09-14), answered on 09-10."""
    use_policy(AGAIN)
    case = open_case("inquiry", "MH0003", on="2026-09-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-09-01"), approve=True)
    letter(case, users, "2026-09-02", "请就收受礼金问题作出说明")
    receipt(case, users, "2026-09-03")
    assert (case.response_start, case.response_due) == (D("2026-09-03"), D("2026-09-14"))
    answer(case, users, "2026-09-10", "说明不清楚")
    return case


def test_a_second_letter_after_an_unclear_answer(answered, users):
    case, office, deputy = answered, users["yjb"], users["fushuji"]
    assert "again" not in actions.available(case, office, D("2026-09-11"))  # a leader decides
    assert "again" in actions.available(case, deputy, D("2026-09-11"))
    assert [(s.label, s.who, s.note) for s in selectors.next_steps(case) if s.action == "again"] == [
        ("再次函询（第2次发函）", "县纪委书记、县纪委分管副书记", "第二十八条")]
    with pytest.raises(ValidationError) as info:
        cs.again(case=case, by=deputy, today=D("2026-09-11"), decided_on=D("2026-09-09"), reason=" ")
    assert info.value.message_dict == {"reason": ["请写明再次函询的理由和需要进一步说明的问题"],
                                       "decided_on": ["日期不能早于收到书面说明的日期（2026年9月10日）"]}
    cs.again(case=case, by=deputy, today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="礼金去向未说明")
    case.refresh_from_db()
    # back to where the letter is due; the first implementation, its limit and the first answer's clock stay
    assert (case.status, case.delivery, case.implemented_on, case.implementation_due, case.responded_on) == (
        "approved", "letter", D("2026-09-02"), D("2026-09-08"), None)
    [decided] = case.letterrounds.all()
    assert (decided.number, decided.decided_on, decided.due, decided.reason, decided.recorded_by) == (
        2, D("2026-09-11"), D("2026-09-16"), "礼金去向未说明", deputy)
    event = Event.objects.filter(action="cases.case.again", object_id=str(case.pk)).get()
    assert {k: event.data[k] for k in ("from", "to", "letter", "decided_on", "letter_due")} == {
        "from": "responded", "to": "approved", "letter": 2, "decided_on": "2026-09-11", "letter_due": "2026-09-16"}

    # the new letter is due: the next step, the office's forms, the deadline board, the date preview
    assert [(s.action, s.label, s.who, s.due, s.note) for s in selectors.next_steps(case)] == [
        ("issue_letter", "再次函询：发出第2次函", "预警办", D("2026-09-16"), "决定之日起5日内发出（第二十八条）")]
    available = actions.available(case, office, D("2026-09-12"))
    assert "issue_letter" in available and not {"plan_talk", "notify_talk", "hold_talk"} & set(available)
    [item] = [i for i in deadlines.collect(today=D("2026-09-12")) if i.title.startswith(case.number)]
    assert (item.key, item.kind, item.label, item.due, item.article, item.roles) == (
        f"case:{case.pk}:again:2", "again", "再次函询：发出第2次函", D("2026-09-16"), "第二十八条", deadlines.CASE_BODY)
    assert [i.key for i in deadlines.collect(today=D("2026-09-12"), until=D("2026-09-15"))
            if i.title.startswith(case.number)] == []  # not due within the window yet
    line, then = previews.preview(case, "issue_letter", "2026-09-17", today=D("2026-09-17")).lines
    assert (line.label, line.date, line.article, line.basis, line.note, line.warning) == (
        "发函期限", D("2026-09-16"), "第二十八条", "自再次函询决定之日起5日", "发出日期晚于期限 1 日，将记为逾期发函", True)
    assert (then.label, then.date) == ("书面说明期限", None)  # counted from the new delivery
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=case, by=office, today=D("2026-09-12"), outline="了解", chief=deputy, other_talkers=["方晓春"],
                     scheduled_at=at("2026-09-14"), place="谈话室")
    assert info.value.messages == ["已决定再次函询，请发出文书，不再谈话"]
    with pytest.raises(ValidationError) as info:
        cs.issue_letter(case=case, by=office, today=D("2026-09-12"), kind="inquiry_letter", issued_on=D("2026-09-10"),
                        content="新的问题")
    assert info.value.message_dict == {"issued_on": ["日期不能早于再次函询的决定日期（2026年9月11日）"]}

    # letter 2, a day late, delivered anew: its own response clock (10 days from 09-18 = 09-28)
    letter(case, users, "2026-09-17", "请说明礼金去向")
    assert (case.status, case.implemented_on) == ("implemented", D("2026-09-02"))
    issued = Event.objects.filter(action="cases.case.issue_letter", object_id=str(case.pk)).order_by("id").last()
    assert (issued.data["letter"], issued.data["late"], issued.data["to"]) == (2, True, "implemented")
    assert "issue_letter" not in actions.available(case, office, D("2026-09-17"))
    receipt(case, users, "2026-09-18")
    assert (case.status, case.response_start, case.response_due) == ("awaiting_response", D("2026-09-18"), D("2026-09-28"))
    first, second = case.letters.order_by("id")
    assert (first.received_on, second.received_on) == (D("2026-09-03"), D("2026-09-18"))
    [item] = [i for i in deadlines.collect(today=D("2026-09-27")) if i.title.startswith(case.number)]
    assert (item.kind, item.label, item.due) == ("response", "催收书面说明", D("2026-09-28"))
    answer(case, users, "2026-09-29", "礼金已退还")
    one, two = case.responses.order_by("id")
    assert (one.due_on, one.late, two.due_on, two.late) == (D("2026-09-14"), False, D("2026-09-28"), True)
    assert (case.status, case.responded_on) == ("responded", D("2026-09-29"))

    # at most 2 letters in all
    assert cs.again_refusal(case) == "本预警事项已发函2次（至多2次），不能再次函询（第二十八条）"
    assert "again" not in actions.available(case, deputy, D("2026-09-30"))
    assert "again" not in [s.action for s in selectors.next_steps(case)]
    with pytest.raises(ValidationError) as info:
        cs.again(case=case, by=deputy, today=D("2026-09-30"), decided_on=D("2026-09-30"), reason="仍不清楚")
    assert info.value.messages == ["本预警事项已发函2次（至多2次），不能再次函询（第二十八条）"]

    # both letters and both answers stay in the timeline, each letter judged against its own limit
    case = selectors.case_get(user=deputy, pk=case.pk)
    got = [(e.on, e.title, e.late) for e in selectors.timeline(case) if e.kind in ("letter", "response")]
    assert got == [(D("2026-09-02"), "发出询问函", False), (D("2026-09-03"), "送达", False),
                   (D("2026-09-10"), "收到书面答复或整改报告", False), (D("2026-09-11"), "再次函询（第2次发函）", False),
                   (D("2026-09-17"), "发出询问函", True), (D("2026-09-18"), "送达", False),
                   (D("2026-09-29"), "收到书面答复或整改报告", True)]
    cs.write_register(case=case, by=office, today=D("2026-09-30"), content="本人承诺")
    case = selectors.case_get(user=deputy, pk=case.pk)
    assert cs.lift_blockers(case) == []
    cs.lift(case=case, by=deputy, today=D("2026-09-30"), basis="已说明清楚")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("lifted", D("2026-09-30"))


def test_no_second_letter_before_the_answer_or_by_another_role(use_policy, open_case, users):
    use_policy(AGAIN)
    case, office, deputy = open_case("inquiry", "MH0003", on="2026-09-01"), users["yjb"], users["fushuji"]
    cs.decide(case=case, by=deputy, today=D("2026-09-01"), approve=True)

    def refused(by, message, error=ValidationError):
        with pytest.raises(error) as info:
            cs.again(case=case, by=by, today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="不清楚")
        assert (info.value.messages if error is ValidationError else [str(info.value)]) == [message]

    refused(deputy, "收到书面说明之后，才能再次函询（第二十八条）")  # not even the first letter yet
    letter(case, users, "2026-09-02")
    receipt(case, users, "2026-09-03")
    refused(deputy, "收到书面说明之后，才能再次函询（第二十八条）")
    answer(case, users, "2026-09-10")
    refused(users["changwei"], "再次函询须由县纪委书记、县纪委分管副书记决定", PermissionDenied)
    assert not Event.objects.filter(action="cases.case.again").exists()
    # an answer sent back for redo is not received yet
    cs.send_back(case=case, by=office, today=D("2026-09-11"), sent_back_on=D("2026-09-11"), reason="不清楚")
    case.refresh_from_db()
    refused(deputy, "答复已退回重新说明，收到重新说明之后，才能再次函询（第二十八条）")
    assert "again" not in actions.available(case, deputy, D("2026-09-11"))


@pytest.fixture
def again_in_force(use_policy):
    use_policy(AGAIN)


def test_a_case_carried_out_by_a_talk_takes_no_further_letter(again_in_force, inquiry_talk_noticed, users):
    case, office = inquiry_talk_noticed, users["yjb"]
    cs.hold_talk(case=case, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="记录",
                 signed_on=D("2026-06-05"))
    answer(case, users, "2026-06-10")
    assert cs.again_refusal(case) == "本预警事项未以书面方式实施，不能再次函询（第二十八条）"
    assert "again" not in actions.available(case, users["fushuji"], D("2026-06-11"))


def test_a_further_letter_waits_for_the_signoff(use_policy, open_case, users):
    use_policy(with_measure(AGAIN, "inquiry", signoff='{ levels = [{ who = "unit_principal", label = "单位主要负责人" }], '
                                                       'article = "第八条" }'))
    case, deputy = open_case("inquiry", "MH0003", on="2026-09-01"), users["fushuji"]
    cs.decide(case=case, by=deputy, today=D("2026-09-01"), approve=True)
    letter(case, users, "2026-09-02")
    receipt(case, users, "2026-09-03")
    answer(case, users, "2026-09-10")
    assert cs.again_refusal(case) == "书面说明尚待签署，签署完毕后，才能再次函询（第二十八条）"
    with pytest.raises(ValidationError) as info:
        cs.again(case=case, by=deputy, today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="不清楚")
    assert info.value.messages == ["书面说明尚待签署，签署完毕后，才能再次函询（第二十八条）"]


def test_without_the_rule_nothing_changes(open_case, users):
    """Shou has no ``again``: never offered, refused in its words."""
    case, deputy = open_case("inquiry", "MH0003", on="2026-09-01"), users["fushuji"]
    cs.decide(case=case, by=deputy, today=D("2026-09-01"), approve=True)
    letter(case, users, "2026-09-02")
    receipt(case, users, "2026-09-03")
    answer(case, users, "2026-09-10")
    assert "again" not in actions.available(case, deputy, D("2026-09-11"))
    assert "again" not in [s.action for s in selectors.next_steps(case)]
    with pytest.raises(ValidationError) as info:
        cs.again(case=case, by=deputy, today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="不清楚")
    assert info.value.messages == ["谈话函询没有再次函询的规定"]
    with pytest.raises(ValidationError) as info:  # the only letter is out and answered
        cs.issue_letter(case=case, by=users["yjb"], today=D("2026-09-11"), kind="inquiry_letter",
                        issued_on=D("2026-09-11"), content="再问")
    assert info.value.messages == ["预警事项当前为“已答复或报告整改”，不能发出预警文书"]


def test_the_loader_refuses_a_wrong_again():
    assert _refusal(with_measure(SHOU, "admonition", deliveries='["talk"]', again='{ article = "第二十八条" }')) == [
        "measures.admonition.again: 再次函询是再发一封函，只适用于以书面方式实施的措施（deliveries 须含 letter）"]
    assert _refusal(with_measure(SHOU, "inquiry", again='{ max = 1, article = "第二十八条" }')) == [
        "measures.inquiry.again.max: 为本事项共发函的次数（含第一次），应为2至5，不能是1"]
    assert _refusal(with_measure(SHOU, "inquiry", again='{ article = "第二十八条", period = "20y" }')) == [
        "measures.inquiry.again.period: 期间“20y”（20年）超过10年，不合理：请检查数字和单位（d 日、wd 工作日、m 月、y 年）"]
    assert _refusal(with_measure(SHOU, "inquiry", again='{ label = "再次函询" }')) == [
        "measures.inquiry.again.article: 缺少此项"]


def test_a_further_letter_due_into_2027_is_provisional_until_its_notice(use_policy, open_case, users):
    """Decided 2026-12-27: 5 days end on 2027-01-01, in a year whose holiday notice is not entered (暂定); the
    notice makes it 元旦, so Monday 2027-01-04, recounted in the notice's transaction."""
    from yujing.policy.services import enter_holiday_notice

    use_policy(AGAIN)
    case, deputy = open_case("inquiry", "MH0003", on="2026-12-01"), users["fushuji"]
    cs.decide(case=case, by=deputy, today=D("2026-12-01"), approve=True)
    letter(case, users, "2026-12-02")
    receipt(case, users, "2026-12-03")
    answer(case, users, "2026-12-10")
    decided = cs.again(case=case, by=deputy, today=D("2026-12-27"), decided_on=D("2026-12-27"), reason="不清楚")
    assert (decided.due, decided.provisional) == (D("2027-01-01"), True)
    case = selectors.case_get(user=deputy, pk=case.pk)
    assert [(s.due, s.provisional) for s in selectors.next_steps(case)] == [(D("2027-01-01"), True)]
    enter_holiday_notice(year=2027, title="2027年节假日安排", text="元旦 2027-01-01 至 2027-01-03", by=users["admin"])
    decided.refresh_from_db()
    assert (decided.due, decided.provisional) == (D("2027-01-04"), False)
    event = Event.objects.get(action="policy.holiday_notice.entered")
    assert [(c["number"], c["field"], c["before"], c["after"]) for c in event.data["recomputed"]
            if c["field"].startswith("again")] == [(case.number, "again:2", "2027-01-01", "2027-01-04")]


def test_the_case_page_offers_it_to_a_leader(answered, login):
    case = answered
    form = f'action="/cases/{case.pk}/act/again/"'
    assert form not in login("yjb").get(f"/cases/{case.pk}/").content.decode()
    deputy = login("fushuji")
    page = deputy.get(f"/cases/{case.pk}/").content.decode()
    assert form in page and "决定再次函询" in page and "再次函询的理由和需要进一步说明的问题" in page
    assert "自决定之日起5日内发出新的函（第二十八条）" in page
    refused = deputy.post(f"/cases/{case.pk}/act/again/", {"again-decided_on": "2026-09-09", "again-reason": "不清楚"})
    assert refused.status_code == 400
    assert "日期不能早于收到书面说明的日期（2026年9月10日）" in refused.content.decode()
    assert not case.letterrounds.exists()
    done = deputy.post(f"/cases/{case.pk}/act/again/", {"again-decided_on": "2026-09-11", "again-reason": "礼金去向未说明"})
    assert done.status_code == 302
    page = deputy.get(f"/cases/{case.pk}/").content.decode()
    assert "再次函询：发出第2次函" in page and "再次函询（第2次发函）" in page


def _lapses(case, today):
    from yujing.oversight import lapses

    return [(x.kind, x.key, x.evidence, x.since) for x in lapses.find(today=D(today))
            if x.title.startswith(f"预警 {case.number}") and x.kind == "not_implemented"]


def test_a_further_letter_not_issued_in_time_is_a_lapse(answered, users):
    """第三十三条(四) for the second letter as for the first: decided on 09-11, due within 5 days (09-16); nothing
    while the limit runs, a lapse from the day after it while unissued, and one that stays once it goes out late."""
    case = answered
    cs.again(case=case, by=users["fushuji"], today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="礼金去向未说明")
    case.refresh_from_db()
    decided = case.letterrounds.get()
    assert _lapses(case, "2026-09-16") == []
    key = f"not_implemented:letter_round:{decided.pk}"
    assert _lapses(case, "2026-09-17") == [
        ("not_implemented", key, "2026年9月11日决定第2次发函，发函期限2026年9月16日，至今未发出", D("2026-09-16"))]
    letter(case, users, "2026-09-18", "请说明礼金的去向")
    assert _lapses(case, "2026-09-20") == [
        ("not_implemented", key, "2026年9月11日决定第2次发函，发函期限2026年9月16日，2026年9月18日才发出", D("2026-09-16"))]


def test_a_further_letter_issued_in_time_is_no_lapse(answered, users):
    case = answered
    cs.again(case=case, by=users["fushuji"], today=D("2026-09-11"), decided_on=D("2026-09-11"), reason="礼金去向未说明")
    case.refresh_from_db()
    letter(case, users, "2026-09-16", "请说明礼金的去向")
    assert _lapses(case, "2026-09-30") == []
