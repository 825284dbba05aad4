"""The policy file: the default carries the regulation's numbers; a wrong one stops start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yujing.policy.loader import get_policy, reset_policy_cache
from yujing.policy.periods import Period, Unit
from yujing.policy.schema import DEFAULT_POLICY, PolicyError, load_policy, parse_policy


def test_default_policy_carries_the_regulation():
    rules = load_policy().rules
    assert rules.implementation.period == Period(7, Unit.DAYS)  # 第十七条
    assert rules.implementation.article == "第十七条"
    inquiry, admonition, correction = (rules.measures[k] for k in ("inquiry", "admonition", "correction"))
    assert inquiry.verification_required is False  # 第十六条
    assert admonition.verification_required is correction.verification_required is True
    assert inquiry.approvers == ["deputy_secretary", "secretary"]  # 第十七条
    assert admonition.approvers == ["secretary"] and admonition.standing_committee == "optional"
    assert correction.report_to_party_chief is True and inquiry.report_to_party_chief is False
    assert inquiry.response.period == Period(10, Unit.DAYS)  # 第二十八条
    assert admonition.response.period == Period(10, Unit.DAYS)  # 第二十九条
    assert correction.response.period == Period(1, Unit.MONTHS)  # 第三十条
    assert correction.extension.cap == Period(1, Unit.MONTHS)  # 第三十条
    assert inquiry.extension is None and admonition.extension is None
    assert rules.talk.min_talkers == 2  # 第二十二条
    assert rules.talk.chief_for_principal == ["secretary"]
    assert rules.talk.county_leaders == ["party_chief"]  # 第二十二条: 必要时请县委、县政府有关领导主谈
    assert rules.talk.delegators == ["secretary", "deputy_secretary"]  # 第二十条: 也可以委托所在单位主要负责人实施
    assert correction.notify_departments and correction.integrity_record and correction.notify_unit == "required"
    assert admonition.restricted and correction.restricted and not inquiry.restricted  # 第三十一条
    assert rules.numbering.format == "{prefix}〔{year}〕{seq}号"
    # 第三十一条: the outcome of a correction (only) is reported to the chief, 及时 read as 7 days
    assert correction.report_outcome_to_party_chief and not admonition.report_outcome_to_party_chief
    assert (rules.outcome_report.period, rules.outcome_report.article) == (Period(7, Unit.DAYS), "第三十一条")


def test_a_policy_version_without_the_outcome_report_still_reads():
    """Cases keep the policy version they started under: one written before outcome_report reads with the
    shipped reading (7 days) and no outcome report asked for."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    text = text[:text.index("[outcome_report]")] + text[text.index("[oversight]"):]
    text = text.replace("report_outcome_to_party_chief = true\n", "")
    assert "report_outcome_to_party_chief" not in text and "\n[outcome_report]" not in text
    rules = parse_policy(text).rules
    assert rules.outcome_report.period == Period(7, Unit.DAYS)
    assert rules.measures["correction"].report_outcome_to_party_chief is False


def _broken(old: str, new: str) -> str:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('period = "7d"\nfrom = "approval"', 'period = "7x"\nfrom = "approval"', "implementation.period: 期间“7x”格式不对"),
        ("min_talkers = 2", "min_talkers = 0", "talk.min_talkers: 数值太小"),
        ('chief_for_principal = ["secretary"]', 'chief_for_principal = ["mayor"]', "talk.chief_for_principal: 未知角色 mayor"),
        ('county_leaders = ["party_chief"]', 'county_leaders = ["mayor"]', "talk.county_leaders: 未知角色 mayor"),
        ('delegators = ["secretary", "deputy_secretary"]', 'delegators = ["boss"]', "talk.delegators: 未知角色 boss"),
        ("verification_required = false", "verification_required = 3", "measures.inquiry.verification_required: 应为 true 或 false"),
        ('roll = "rest_day"', 'roll = "sometimes"', "calendar.roll: 取值不在允许范围内"),
        ("[measures.inquiry]", "[measures.warning]", "未知措施 warning"),
        ("due_soon_days = 3", "due_soon_days = 3\nsurprise = 1", "oversight.surprise: 不认识此项"),
        ('format = "{prefix}〔{year}〕{seq}号"', 'format = "{prefix}{seq}"', "numbering.format: 文号格式必须含有 {year}"),
        ("[screening]\n", "[screening]\nx = [\n", "不是合法的 TOML"),
        ('period = "7d"\nfrom = "closing"', 'period = "soon"\nfrom = "closing"', "outcome_report.period: 期间“soon”格式不对"),
        ("report_outcome_to_party_chief = true", "report_outcome_to_party_chief = 3",
         "measures.correction.report_outcome_to_party_chief: 应为 true 或 false"),
    ],
)
def test_wrong_policy_names_the_key(old, new, message):
    with pytest.raises(PolicyError) as info:
        parse_policy(_broken(old, new), "县策略.toml")
    assert message in str(info.value)
    assert "县策略.toml" in str(info.value)


def test_missing_key_is_named():
    text = _broken('response = { period = "1m", label = "整改报告", article = "第三十条" }\n', "")
    with pytest.raises(PolicyError, match=r"measures\.correction\.response: 缺少此项"):
        parse_policy(text)


def test_wrong_policy_stops_start_up(settings, tmp_path):
    from django.apps import apps

    bad = tmp_path / "bad.toml"
    bad.write_text(_broken("min_talkers = 2", "min_talkers = -1"), encoding="utf-8")
    settings.YUJING_POLICY = str(bad)
    reset_policy_cache()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"talk\.min_talkers"):
            apps.get_app_config("policy").ready()
        settings.YUJING_POLICY = str(tmp_path / "missing.toml")
        reset_policy_cache()
        with pytest.raises(ImproperlyConfigured, match="无法读取策略文件"):
            apps.get_app_config("policy").ready()
    finally:
        reset_policy_cache()


def test_another_county_can_change_numbers_without_code(settings, tmp_path):
    custom = tmp_path / "custom.toml"
    custom.write_text(_broken('period = "7d"\nfrom = "approval"', 'period = "5wd"\nfrom = "approval"'), encoding="utf-8")
    settings.YUJING_POLICY = str(custom)
    reset_policy_cache()
    try:
        assert get_policy().rules.implementation.period == Period(5, Unit.WORKING_DAYS)
        assert get_policy().digest != load_policy().digest
    finally:
        reset_policy_cache()


def test_policy_versions_are_registered_once(db):
    from yujing.policy.services import register_policy_version

    first = register_policy_version()
    assert register_policy_version().pk == first.pk
    assert first.digest == get_policy().digest
    assert "第十七条" in first.text
