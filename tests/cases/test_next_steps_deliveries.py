"""The next steps of an approved case offer only the ways of implementation the measure has (deliveries):
no talk for a measure by letter only, no letter for a talk-only one; the implementation note cites the
policy's [implementation] period and article."""

from yujing.cases import selectors

from .conftest import SHOU, with_measure

LETTER_ONLY = with_measure(SHOU, "inquiry", deliveries='["letter"]').replace(
    'period = "7d"\nfrom = "approval"\narticle = "第十七条"', 'period = "5wd"\nfrom = "approval"\narticle = "第八条"', 1)
TALK_ONLY = with_measure(SHOU, "inquiry", deliveries='["talk"]', letter_forms="[]", response="false")


def _steps(case):
    return [(s.action, s.due, s.note) for s in selectors.next_steps(case)]


def test_shou_offers_the_talk_and_the_letter(approved, users):
    case = approved("inquiry", "MH0001", on="2026-09-02", approve_on="2026-09-04", approver="fushuji")
    assert [(a, d) for a, d, _ in _steps(case)] == [("plan_talk", case.implementation_due),
                                                    ("issue_letter", case.implementation_due)]
    assert _steps(case)[-1][2] == "批准之日起7日内组织实施（第十七条）"


def test_a_letter_only_measure_offers_no_talk(use_policy, approved, users):
    use_policy(LETTER_ONLY)
    case = approved("inquiry", "MH0001", on="2026-09-02", approve_on="2026-09-04", approver="fushuji")
    assert str(case.implementation_due) == "2026-09-11"  # 5 working days from Friday 09-04
    assert _steps(case) == [("issue_letter", case.implementation_due, "批准之日起5个工作日内组织实施（第八条）")]


def test_a_talk_only_measure_offers_no_letter(use_policy, approved, users):
    use_policy(TALK_ONLY)
    case = approved("inquiry", "MH0001", on="2026-09-02", approve_on="2026-09-04", approver="fushuji")
    assert [a for a, _, _ in _steps(case)] == ["plan_talk"]


def test_the_forms_offered_follow_the_deliveries(use_policy, approved, users):
    from tests.dates import D
    from yujing.cases import actions

    use_policy(LETTER_ONLY)
    letter = approved("inquiry", "MH0001", on="2026-09-02", approve_on="2026-09-04", approver="fushuji")
    assert actions.available(letter, users["yjb"], D("2026-09-07")) == ["verify", "issue_letter"]
    use_policy(TALK_ONLY)
    talk = approved("inquiry", "MH0003", on="2026-09-02", approve_on="2026-09-04", approver="fushuji")
    assert actions.available(talk, users["yjb"], D("2026-09-07")) == ["verify", "plan_talk"]
