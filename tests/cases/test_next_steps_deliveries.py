"""An approved case's next steps offer only the ways its measure is implemented (deliveries), and the
letter's note names the policy's own implementation period and article (issue 17)."""

from yujing.cases import selectors

from .conftest import SHOU, with_measure

LETTER_ONLY = with_measure(SHOU, "inquiry", deliveries='["letter"]').replace(
    'period = "7d"\nfrom = "approval"\narticle = "第十七条"', 'period = "10wd"\nfrom = "approval"\narticle = "第七条"')
TALK_ONLY = with_measure(SHOU, "inquiry", deliveries='["talk"]', letter_forms="[]", response="false")


def _steps(case):
    return [(s.action, s.note) for s in selectors.next_steps(case)]


def test_a_letter_only_measure_offers_no_talk_and_says_its_period(use_policy, approved):
    use_policy(LETTER_ONLY)
    case = approved("inquiry", "MH0003", on="2026-09-01", approve_on="2026-09-02", approver="fushuji")
    assert _steps(case) == [("issue_letter", "批准之日起10个工作日内组织实施（第七条）")]


def test_a_talk_only_measure_offers_no_letter(use_policy, approved):
    use_policy(TALK_ONLY)
    case = approved("inquiry", "MH0003", on="2026-09-01", approve_on="2026-09-02", approver="fushuji")
    assert _steps(case) == [("plan_talk", "")]


def test_shou_offers_both_as_before(approved):
    case = approved("inquiry", "MH0003", on="2026-09-01", approve_on="2026-09-02", approver="fushuji")
    assert _steps(case) == [("plan_talk", ""), ("issue_letter", "批准之日起7日内组织实施（第十七条）")]
