"""A clue's screening limit comes from the policy version it was received under (as a case keeps its own):
a clue reported up after the policy changed, or recounted when a holiday notice comes in, keeps its own
version's period; a clue registered after the change takes the new one."""

import pytest

from tests.dates import D
from yujing.clues import services as clue_services
from yujing.clues.models import Clue
from yujing.clues.services import Concerned, Outcome, clue_policy
from yujing.policy.schema import DEFAULT_POLICY
from yujing.policy.services import enter_holiday_notice

SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")
FIFTEEN = 'period = "15d"\nfrom = "received"'
assert SHOU.count(FIFTEEN) == 1


def _shorter(days: str) -> str:
    """Shou's text with the screening period shortened (a new policy version)."""
    return SHOU.replace(FIFTEEN, f'period = "{days}"\nfrom = "received"', 1)


def _register(users, cadres, username, code, on):
    return clue_services.register_clue(by=users[username], today=D(on), received_on=D(on), channel="petition",
                                       summary="反映问题", detail="详情", concerned=[Concerned(cadre_id=cadres[code].pk)])


def test_a_clue_reported_up_after_the_policy_changed_keeps_its_versions_period(use_policy, users, cadres):
    # received by 青石镇 on Monday 2 November 2026 under Shou (15 days): due 17 November
    clue = _register(users, cadres, "qs_jiwei", "MH0001", "2026-11-02")
    assert clue.screening_due == D("2026-11-17")
    first = clue.policy_version
    new = use_policy(_shorter("5d"))
    assert new.digest != first.digest
    # reported up on Wednesday 4 November: the county office screens afresh from that day, 15 days by the
    # clue's own version (5 days under the new one would have been Monday 9 November)
    clue_services.screen_clue(clue=clue, by=users["qs_jiwei"], today=D("2026-11-04"), outcome=Outcome.REPORT_UP,
                              reason="属县管干部")
    clue = Clue.objects.get(pk=clue.pk)
    assert (clue.handling_unit.code, clue.screening_due, clue.policy_version_id) == (
        "MH-JW-YJB", D("2026-11-19"), first.pk)
    assert clue.routings.get().due_at_sender == D("2026-11-17")
    assert str(clue_policy(clue).rules.screening.period) == "15d"
    # a clue received after the change takes the new version and its 5 days
    later = _register(users, cadres, "yjb", "MH0002", "2026-11-04")
    assert (later.screening_due, later.policy_version.digest) == (D("2026-11-09"), new.digest)


def test_a_holiday_notice_recounts_a_clue_under_its_own_version(use_policy, users, cadres):
    """Received 2026-12-17 under Shou: 15 days end on 元旦 2027, 暂定 until the 2027 notice, which rolls it to
    Monday 4 January — by the clue's 15 days, though the policy in force now says 10 (2026-12-27)."""
    clue = _register(users, cadres, "yjb", "MH0001", "2026-12-17")
    assert (clue.screening_due, clue.screening_provisional) == (D("2027-01-01"), True)
    use_policy(_shorter("10d"))
    enter_holiday_notice(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知",
                         text="元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13", by=users["admin"])
    clue.refresh_from_db()
    assert (clue.screening_due, clue.screening_provisional) == (D("2027-01-04"), False)


@pytest.mark.parametrize("days, due", [("15d", "2026-11-17"), ("5wd", "2026-11-09")])
def test_the_limit_follows_the_version_in_force_at_registration(use_policy, users, cadres, days, due):
    use_policy(_shorter(days))
    clue = _register(users, cadres, "yjb", "MH0001", "2026-11-02")
    assert clue.screening_due == D(due)
    assert str(clue_policy(clue).rules.screening.period) == days


def test_the_deadline_board_cites_the_clue_s_own_version(use_policy, users, cadres):
    """The board's screening item cites the article of the version the clue was registered under, as its limit
    is counted; a clue registered after the change cites the new article."""
    from yujing.oversight import deadlines

    clue = _register(users, cadres, "yjb", "MH0001", "2026-11-02")
    use_policy(SHOU.replace('period = "15d"\nfrom = "received"\narticle = "第十四条"',
                            'period = "15d"\nfrom = "received"\narticle = "第十三条"', 1))
    later = _register(users, cadres, "yjb", "MH0002", "2026-11-04")
    items = {i.key: (i.due, i.article) for i in deadlines.collect(today=D("2026-11-05")) if i.kind == "screening"}
    assert (items[f"clue:{clue.pk}:screening"], items[f"clue:{later.pk}:screening"]) == (
        (D("2026-11-17"), "第十四条"), (D("2026-11-19"), "第十三条"))
