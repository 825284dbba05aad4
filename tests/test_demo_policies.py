"""The demo county follows the policy (issue 17): `make run` loads it under any valid policy file, its
cases use the policy's measures, chosen by what they do, and are decided by users holding the policy's
deciding roles."""

import pytest

from tests.cases.conftest import SHOU, with_measure
from tests.policy.test_measure_keys import one_measure
from yujing.audit.services import verify_chain
from yujing.cases.models import WarningCase
from yujing.demo import load_demo

CHAIN = with_measure(SHOU, "correction", approvers='["deputy_secretary"]', standing_committee='"never"',
                     then='[["secretary"]]')
TALK_ONLY_INQUIRY = with_measure(SHOU, "inquiry", deliveries='["talk"]', letter_forms="[]", response="false")


@pytest.mark.parametrize(("text", "expected"), [
    (CHAIN, [("correction", "awaiting_response", ["fushuji", "shuji"]), ("inquiry", "lifted", ["fushuji"]),
             ("admonition", "proposed", [])]),
    (TALK_ONLY_INQUIRY, [("correction", "awaiting_response", ["shuji"]), ("inquiry", "lifted", ["fushuji"]),
                         ("admonition", "proposed", [])]),
    (one_measure("correction", "诫勉"), [("correction", "awaiting_response", ["shuji"]),
                                        ("correction", "implemented", ["shuji"]), ("correction", "proposed", [])]),
], ids=["chain", "talk-only", "one-measure"])
def test_the_demo_loads_under_another_policy(db, use_policy, text, expected):
    use_policy(text)
    assert load_demo() is True
    cases = WarningCase.objects.order_by("proposed_on", "id")
    got = [(c.measure, c.status, [d.recorded_by.username for d in c.decisions.order_by("step")]) for c in cases]
    assert sorted(got) == sorted(expected)
    assert verify_chain() is None
