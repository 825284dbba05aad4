"""What the loader refuses, naming the dotted key (issue 17): a time limit counted from an event not in the
closed list or not the one the workflow counts it from, an absurd period, a new measure key with the keys
its table lacks; and a wrong file stops the command line with the message alone, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.policy.test_schema import _broken
from yujing.policy.schema import EVENTS, PolicyError, parse_policy

ROOT = Path(__file__).resolve().parents[2]


def _refusal(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "县策略.toml")
    head, *lines = str(info.value).splitlines()
    assert head == "策略文件 县策略.toml 有误："
    return [line.strip() for line in lines]


def test_the_events_are_a_closed_list():
    assert list(EVENTS) == ["received", "approval", "delivery", "talk", "response", "closing", "quarter_end",
                            "implemented"]
    assert _refusal(_broken('from = "received"', 'from = "recieved"')) == [
        "screening.from: 未知的起算事件“recieved”；可用：received（线索登记之日）、approval（批准之日）、"
        "delivery（送达之日）、talk（谈话之日）、response（收到书面答复或整改报告之日）、"
        "closing（解除预警或升级处理之日）、quarter_end（季度末）、implemented（实施之日（谈话或发出预警文书之日））"]


def test_a_limit_counts_from_the_event_the_workflow_counts_it_from():
    assert _refusal(_broken('from = "approval"', 'from = "delivery"')) == [
        "implementation.from: 此期限自 approval（批准之日）起算，不能写作 delivery（送达之日）"]
    assert _refusal(_broken('from = "response"', 'from = "closing"')) == [
        "revisit.from: 此期限自 response（收到书面答复或整改报告之日）起算，不能写作 closing（解除预警或升级处理之日）"]


@pytest.mark.parametrize("period, label", [("11y", "11年"), ("121m", "121个月"), ("3661d", "3661日"), ("2615wd", "2615个工作日")])
def test_a_period_over_ten_years_is_refused(period, label):
    assert _refusal(_broken('period = "7d"\nfrom = "approval"', f'period = "{period}"\nfrom = "approval"')) == [
        f"implementation.period: 期间“{period}”（{label}）超过10年，不合理：请检查数字和单位（d 日、wd 工作日、m 月、y 年）"]


@pytest.mark.parametrize("period", ["10y", "120m", "3660d", "2610wd"])
def test_ten_years_is_still_a_period(period):
    parse_policy(_broken('period = "7d"\nfrom = "approval"', f'period = "{period}"\nfrom = "approval"'))


def test_a_partial_new_measure_is_named_as_new_with_what_it_lacks():
    text = _broken("[measures.inquiry]", '[measures.card]\nlabel = "警诫卡"\narticle = "第八条"\n\n[measures.inquiry]')
    assert _refusal(text) == [
        "measures: 未知措施 card（新的措施键，未列入 [policy] measures：inquiry, admonition, correction），且缺少："
        "verification_required、verification_article、approvers、standing_committee、report_to_party_chief、"
        "approval_article、deliveries、letter_forms、response、restricted、notify_unit、notify_departments、"
        "integrity_record"]


def test_a_complete_new_measure_is_named_as_new():
    assert _refusal(_broken("[measures.inquiry]", "[measures.warning]")) == [
        "measures: 未知措施 warning（新的措施键，未列入 [policy] measures：inquiry, admonition, correction）"]


def test_a_wrong_policy_stops_the_command_line_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(_broken('from = "approval"', 'from = "talk"'), encoding="utf-8")
    env = {**os.environ, "YUJING_POLICY": str(bad), "DJANGO_SETTINGS_MODULE": "yujing.settings"}
    run = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], capture_output=True, text=True, env=env,  # noqa: S603
                         cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"策略文件 {bad} 有误：",
                                       "  implementation.from: 此期限自 approval（批准之日）起算，不能写作 talk（谈话之日）"]
    assert run.stdout == ""
