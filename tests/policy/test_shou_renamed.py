"""The test device of issue 17: Shou's policy with other measure keys (tests/policies.py, the shou_renamed and
use_policy fixtures) — the same rules and words, only the keys differ, so a behaviour that works under it
depends on no key."""

from tests.policies import shou_renamed_text
from yujing.policy.loader import get_policy
from yujing.policy.schema import load_policy, parse_policy


def test_only_the_measure_keys_are_renamed():
    shou, renamed = load_policy(), parse_policy(shou_renamed_text())
    assert list(renamed.measures) == ["tanhua", "jingshi", "jiucuo"]
    to_new = {"inquiry": "tanhua", "admonition": "jingshi", "correction": "jiucuo"}
    for old, new in to_new.items():
        rules, before = renamed.measure(new).model_dump(), shou.measure(old).model_dump()
        assert rules.pop("escalations") == [to_new.get(k, k) for k in before.pop("escalations")]
        assert rules.pop("escalate_when") == {to_new.get(k, k): v for k, v in before.pop("escalate_when").items()}
        assert rules == before  # words, letters (inquiry_letter …), periods and approvers as in Shou's file
    assert renamed.rules.model_dump(exclude={"measures", "policy"}) == shou.rules.model_dump(exclude={"measures", "policy"})
    assert renamed.measure("tanhua").escalations == ["jingshi", "jiucuo", "case_filing"]
    assert renamed.measure("jingshi").escalate_when == {"jiucuo": "rectification_failed",
                                                        "organisational": "rectification_failed",
                                                        "case_filing": "filing_conditions"}
    assert renamed.measure("tanhua").letter_forms == ["inquiry_letter"]


def test_the_fixture_puts_it_in_force(shou_renamed):
    assert get_policy() is shou_renamed
    assert list(get_policy().measures) == ["tanhua", "jingshi", "jiucuo"]
    assert get_policy().measure("jiucuo").label == "责令纠错"


def test_use_policy_takes_a_path_or_a_text(use_policy, tmp_path):
    path = tmp_path / "four.toml"
    path.write_text(shou_renamed_text().replace('version = "2010.2"', 'version = "2027.1"'), encoding="utf-8")
    assert use_policy(path).rules.policy.version == "2027.1"
    assert use_policy(str(path)).rules.policy.version == "2027.1"
    assert use_policy(shou_renamed_text()).rules.policy.version == "2010.2"
    assert list(get_policy().measures) == ["tanhua", "jingshi", "jiucuo"]
