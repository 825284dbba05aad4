"""Generated from the transition table: every action in every state is allowed or refused exactly as
the table says."""

import re

import pytest

from yujing.cases.models import CLOSED, Status
from yujing.cases.workflow import AFTER_CLOSING, RENEWABLE, TRANSITIONS, WorkflowError, allowed, check, target

CASES = [(action, status) for action in TRANSITIONS for status in Status.values]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_action_in_each_state(action, status):
    transition = TRANSITIONS[action]
    if status in transition.sources:
        assert check(status, action) is transition
    else:
        with pytest.raises(WorkflowError, match=re.escape(f"不能{transition.label}")):
            check(status, action)


@pytest.mark.parametrize("status", sorted(CLOSED - RENEWABLE))
def test_nothing_happens_to_a_closed_case(status):
    """Only the records after closing (the outcome reported to the chief, 第三十一条), which move no state."""
    assert set(allowed(status)) <= AFTER_CLOSING
    assert all(TRANSITIONS[name].target is None for name in AFTER_CLOSING)
    assert allowed(status) == (["report_outcome"] if status in (Status.LIFTED, Status.ESCALATED) else [])


def test_a_lifted_case_takes_only_a_renewed_complaint_and_the_outcome_report_and_stays_lifted():
    """第二十八条: 谈话后如群众仍有反映，经调查问题属实的，可转警示诫勉、责令纠错 — after the lifting."""
    assert allowed(Status.LIFTED) == ["verify", "escalate", "report_outcome"]
    assert target("escalate", Status.LIFTED) == Status.LIFTED
    assert target("escalate", Status.RESPONDED) == Status.ESCALATED
    assert target("verify", Status.LIFTED) == Status.LIFTED


def test_every_open_state_has_a_way_out():
    for status in set(Status.values) - CLOSED:
        assert any(t.target and t.target != status for t in TRANSITIONS.values() if status in t.sources) or \
            status == Status.AWAITING_RESPONSE
