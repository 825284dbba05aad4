"""Measure keys are declared, not known to the code (issue 17): ``[policy] measures`` lists a rule set's
measures from the lightest to the heaviest, any lower-case key will do, and a text written before the
list existed (the version an older case keeps) still reads with its three keys."""

from pathlib import Path

import pytest

from tests.policy.test_loader_refusals import _refusal
from tests.policy.test_schema import _broken
from yujing.policy.schema import DEFAULT_POLICY, parse_policy

OLD_SHOU = Path(__file__).parent / "data" / "shou_2010_1.toml"


def one_measure(key: str = "jiemian", label: str = "诫勉") -> str:
    """Shou's file cut down to its correction table, under another key and name: a one-measure rule set."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    text = text[:text.index("[measures.inquiry]")] + text[text.index("[measures.correction]"):]
    text = text.replace('measures = ["inquiry", "admonition", "correction"]', f'measures = ["{key}"]')
    return text.replace("[measures.correction]", f"[measures.{key}]").replace('label = "责令纠错"', f'label = "{label}"')


def test_shou_declares_its_three_measures_lightest_first():
    rules = parse_policy(DEFAULT_POLICY.read_text(encoding="utf-8")).rules
    assert rules.policy.measures == ["inquiry", "admonition", "correction"]
    assert list(rules.measures) == ["inquiry", "admonition", "correction"]


def test_a_one_measure_rule_set_with_its_own_key_loads():
    rules = parse_policy(one_measure()).rules
    assert list(rules.measures) == ["jiemian"]
    assert rules.measures["jiemian"].label == "诫勉"
    assert rules.measures["jiemian"].escalations == ["organisational", "case_filing"]


def test_the_tables_follow_the_declared_order_not_the_file_order():
    text = _broken('measures = ["inquiry", "admonition", "correction"]', 'measures = ["correction", "inquiry", "admonition"]')
    assert list(parse_policy(text).rules.measures) == ["correction", "inquiry", "admonition"]


@pytest.mark.parametrize("key", ["Jiemian", "诫勉", "1st", "a" * 21, "jie-mian"])
def test_a_key_that_is_not_a_code_is_refused(key):
    assert _refusal(one_measure().replace('measures = ["jiemian"]', f'measures = ["{key}"]', 1)) == [
        f"policy.measures: 措施键 {key} 不合规：只能用小写英文字母、数字和下划线，以字母开头，不超过20个字符（中文名称写在 label）"]


def test_twenty_characters_is_still_a_key():
    assert list(parse_policy(one_measure("a" * 20)).rules.measures) == ["a" * 20]


def test_a_key_listed_twice_or_an_empty_list_is_refused():
    text = _broken('measures = ["inquiry", "admonition", "correction"]', 'measures = ["inquiry", "admonition", "correction", "inquiry"]')
    assert _refusal(text) == ["policy.measures: 措施 inquiry 重复列出"]
    assert _refusal(_broken('measures = ["inquiry", "admonition", "correction"]', "measures = []")) == [
        "policy.measures: 至少需要一项预警措施"]


def test_a_declared_measure_without_its_table_is_named():
    text = one_measure().replace('measures = ["jiemian"]', 'measures = ["tixing", "jiemian"]', 1)
    assert _refusal(text) == ["measures.tixing: 缺少此项（[policy] measures 列出了 tixing）"]


def test_escalations_go_to_a_measure_of_the_policy_or_an_outcome():
    def escalating_to(target: str) -> str:
        text = one_measure().replace('escalations = ["organisational", "case_filing"]', f'escalations = ["{target}"]')
        return "\n".join(line for line in text.splitlines() if not line.startswith("escalate_when"))

    assert _refusal(escalating_to("chufen")) == ["measures.jiemian.escalations: 未知的升级处理 chufen；"
                                                 "可选：本策略的措施（jiemian）、organisational（转组织处理）、case_filing（立案查处）"]
    assert _refusal(escalating_to("jiemian")) == ["measures.jiemian.escalations: 不能升级为本措施 jiemian"]
    assert _refusal(escalating_to("correction")) == ["measures.jiemian.escalations: 措施 correction 未在本策略中定义"]


def test_a_text_written_before_the_list_still_reads_with_its_three_keys():
    """The version older cases keep (2010.1, stored in PolicyVersion) has no [policy] measures."""
    old = OLD_SHOU.read_text(encoding="utf-8")
    assert "measures = [" not in old
    rules = parse_policy(old).rules
    assert rules.policy.measures is None
    assert list(rules.measures) == ["inquiry", "admonition", "correction"]
    assert _refusal(old.replace("[measures.inquiry]", "[measures.tixing]", 1)) == [
        "measures: 未知措施 tixing（新的措施键，未写 [policy] measures 的策略只能使用：inquiry, admonition, correction）"]


def test_a_text_written_before_the_list_is_completed_from_the_legacy_file(monkeypatch):
    """What format 1 decided by key in code comes from legacy_v1.toml; the old text's own keys win."""
    from yujing.policy import schema

    monkeypatch.setattr(schema, "_legacy", lambda: {
        "measures": {"inquiry": {"revisit_required": True, "restricted": True}, "other": {"label": "x"}},
        "oversight": {"remind_days": 5}})
    rules = parse_policy(OLD_SHOU.read_text(encoding="utf-8")).rules
    assert rules.measures["inquiry"].revisit_required is True  # not in the old text: from the legacy file
    assert rules.measures["inquiry"].restricted is False  # in the old text: the old text wins
    assert rules.oversight.remind_days == 7  # the old text's own section wins, key by key
    assert list(rules.measures) == ["inquiry", "admonition", "correction"]  # no measure is added
    # a text that declares its measures is taken as it is
    assert parse_policy(DEFAULT_POLICY.read_text(encoding="utf-8")).rules.measures["inquiry"].revisit_required is False
