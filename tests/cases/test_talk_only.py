"""A measure that is a talk and nothing more (response = false, e.g. 诫勉谈话): no written answer is
awaited and no answer period runs; once the talk is held and signed the case waits for its closing."""

import pytest

from tests.policy.test_loader_refusals import _refusal
from yujing.audit.models import Event
from yujing.cases import actions, selectors
from yujing.cases import services as cs
from yujing.oversight import deadlines

from .conftest import SHOU, D, at, with_measure

TALK_ONLY = with_measure(SHOU, "admonition", deliveries='["talk"]', letter_forms="[]", response="false",
                         requirements_approval="false", talk_followed_by_letter="false", restricted="false", restrictions="[]",
                         escalate_when='{ correction = "after_implementation", organisational = "after_implementation", '
                                       'case_filing = "filing_conditions" }')


def test_the_talk_ends_the_implementation_and_nothing_is_awaited(use_policy, approved, users):
    use_policy(TALK_ONLY)
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    office = users["yjb"]
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="诫勉谈话", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-08"), held_on=D("2026-09-08"), record="谈话记录",
                 signed_on=D("2026-09-08"))
    case.refresh_from_db()
    assert (case.status, case.delivery, case.implemented_on) == ("responded", "talk", D("2026-09-08"))
    assert (case.response_start, case.response_due) == (None, None)
    event = Event.objects.filter(action="cases.case.hold_talk", object_id=str(case.pk)).latest("id")
    assert (event.data["to"], event.data["answered"]) == ("responded", False)
    assert not [i for i in deadlines.collect(today=D("2026-09-30")) if i.key == f"case:{case.pk}:response"]
    assert [s.action for s in selectors.next_steps(case)] == ["write_register", "lift"]
    assert "issue_letter" not in actions.available(case, office, D("2026-09-09"))
    cs.write_register(case=case, by=office, today=D("2026-09-09"), content="承诺改正")
    cs.lift(case=case, by=users["shuji"], today=D("2026-09-10"), basis="谈话已进行，本人表示改正")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("lifted", D("2026-09-10"))


def test_the_talk_preview_says_no_answer_is_asked_for(use_policy, approved, users):
    from yujing.cases.previews import preview

    use_policy(TALK_ONLY)
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    office = users["yjb"]
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="诫勉谈话", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    case.refresh_from_db()
    lines = preview(case, "hold_talk", "2026-09-08", today=D("2026-09-08")).lines
    assert [(line.label, line.basis) for line in lines][-1] == ("书面答复", "不要求书面答复")


@pytest.mark.parametrize(("values", "message"), [
    ({"response": "false"},
     "measures.admonition.response: 为 false（不要求书面答复）时，只能以谈话方式实施（deliveries = [\"talk\"]），"
     "且不能有书面文书、延期、谈话后通知书和回访：letter、talk_followed_by_letter"),
    ({"letter_forms": "[]"}, "measures.admonition.letter_forms: 不能为空（书面方式或谈话后发通知书，须写明所用文书）"),
])
def test_a_talk_only_measure_is_only_a_talk(values, message):
    assert _refusal(with_measure(SHOU, "admonition", **values)) == [message]
