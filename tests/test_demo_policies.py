"""The demo county follows the policy (issue 17): `make run` loads it under any valid policy file, its
cases use the policy's measures, chosen by what they do, and are decided by users holding the policy's
deciding roles."""

import os
import subprocess
import sys
from pathlib import Path

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


SHIPPED = sorted(p for p in (Path(__file__).resolve().parents[1] / "src/yujing/policy/policies").glob("*.toml")
                 if p.name != "legacy_v1.toml")


def test_the_shipped_policies_are_the_six_shapes():
    assert [p.stem for p in SHIPPED] == ["appraisal", "cards", "graded", "national", "orgdept", "shou"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_policy_starts_the_system_and_loads_the_demo(db, use_policy, path):
    """`YUJING_POLICY=<file> make run` works: the file passes the start-up check and the demo county loads."""
    env = {**os.environ, "YUJING_POLICY": str(path), "DJANGO_SETTINGS_MODULE": "yujing.settings"}
    run = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert run.returncode == 0, run.stderr
    use_policy(path)
    assert load_demo() is True
    assert WarningCase.objects.count() == 3
    assert verify_chain() is None
