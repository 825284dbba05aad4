"""How events read to people: one table of Chinese sentences for every action name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from yujing.core.dates import cn_date
from yujing.policy.words import Words, in_force

SENTENCES: dict[str, str] = {
    "orgs.unit.created": "新建单位",
    "orgs.unit.changed": "修改单位",
    "orgs.user.created": "新建用户",
    "orgs.user.changed": "修改用户",
    "orgs.role.assigned": "授予角色",
    "orgs.user.password_changed": "修改密码",
    "orgs.user.two_factor_enrolled": "绑定两步验证",
    "orgs.user.two_factor_verified": "通过两步验证",
    "orgs.user.two_factor_failed": "两步验证码错误",
    "orgs.role.revoked": "撤销角色",
    "orgs.user.password_set": "管理员重置密码",
    "orgs.user.two_factor_removed": "解除两步验证设备",
    "orgs.user.unlocked": "解除登录锁定",
    "orgs.user.clearance_set": "设定本人密级上限",
    "cadres.roster.imported": "导入干部名册",
    "policy.holiday_notice.entered": "录入节假日通知",
    "api.token.created": "创建接口令牌",
    "api.token.revoked": "吊销接口令牌",
    "core.field_keys.rotated": "更换加密密钥并重新加密",
    "audit.log.exported": "导出审计日志",
    "clues.clue.registered": "登记线索",
    "clues.transfer.filed": "联络员填报预警线索移送表",
    "clues.attachment.added": "上传附件",
    "clues.attachment.viewed": "查看附件",
    "clues.clue.screened": "筛选线索",
    "clues.clue.merged": "并入其他线索",
    "clues.clue.absorbed": "合并重复线索",
    "clues.feedback.sent": "向线索来源反馈",
    "clues.reporter.revealed": "查看举报人身份",
    "clues.clue.viewed": "查看线索",
    "clues.category.created": "新增问题类别",
    "clues.category.changed": "修改问题类别",
    "cases.case.proposed": "提出预警建议",
    "cases.case.viewed": "查看预警事项",
    "oversight.reminders.sent": "发送每日期限提醒",
    "oversight.report.submitted": "报送季度统计报表",
    "oversight.report.returned": "退回季度统计报表",
    "oversight.report.exported": "导出季度统计报表",
    "oversight.report.viewed": "查看季度统计报表",
    "oversight.assessment.scored": "年度检查考核评分",
    "oversight.meeting.recorded": "记录联席会议",
    "oversight.meeting.clue_raised": "登记联席会议上提出的线索",
    "oversight.circular.sent": "向成员单位通报季度情况",
    "oversight.lapse.annotated": "记录责任追究情形的处理情况",
    "cadres.integrity_record.added": "记入个人廉政档案",
    "cadres.integrity_file.viewed": "查看个人廉政档案",
    "documents.document.generated": "生成文书",
    "documents.document.downloaded": "下载文书",
    "documents.number.voided": "作废文号",
    "documents.case_file.exported": "导出案卷",
    "documents.ledger.exported": "导出台帐",
    "cases.chief_report.seen": "主要领导阅知报告",
    "cases.minutes.viewed": "下载常委会会议纪要",
    "cases.restriction.queried": "查询评优、提拔限制",
    **{f"cases.case.{name}": label for name, label in (
        ("verify", "记录了解、初核或调查"), ("refer", "提交常委会研究"), ("approve", "审批同意"),
        ("reject", "不予批准"), ("withdraw", "撤回建议"), ("report_chief", "报告主要领导"),
        ("plan_talk", "制定谈话方案"), ("notify_talk", "书面通知谈话"), ("hold_talk", "记录预警谈话"),
        ("write_register", "填写预警工作登记表"), ("approve_register", "批准整改要求"), ("issue_letter", "发出预警文书"),
        ("record_receipt", "记录送达"), ("record_response", "收到答复或整改报告"), ("request_extension", "申请延期整改"),
        ("decide_extension", "审批延期整改"), ("revisit", "回访"), ("notify", "书面通报"), ("lift", "解除预警"),
        ("escalate", "升级处理"), ("report_outcome", "向主要领导汇报结果"))},  # report_chief, report_outcome: see WORDED
}

OUTCOMES = {
    "handle": "本级处理",
    "report_up": "报送有管辖权的单位",
    "case_clue": "属案件线索，移送案件查办",
    "no_action": "不予预警，了结存档",
}


def _iso_cn(value: str) -> str:
    # the event data keeps dates as ISO text (machine-readable); the sentence writes them the Chinese way
    return cn_date(date.fromisoformat(value))


# sentences naming someone the policy gives its own words for (policy/words.py), in the policy in force:
# the rest of SENTENCES are the same for every county
WORDED: dict[str, Callable[[Words], str]] = {
    "cases.case.report_chief": lambda w: f"报告{w.body('chief')}",
    "cases.case.report_outcome": lambda w: f"向{w.body('unit_chief')}汇报结果",
}


def sentence(action: str) -> str:
    """What an action is called (the name of an event without its details)."""
    if action in WORDED:
        return WORDED[action](in_force())
    return SENTENCES.get(action, action)


def sentences() -> dict[str, str]:
    """Every action's name, as ``sentence`` gives it."""
    return {action: sentence(action) for action in SENTENCES}


def describe(action: str, data: dict[str, Any]) -> str:
    """The sentence for an event, with the few details that matter to a reader."""
    text = sentence(action)
    if action == "clues.clue.screened":
        text += f"：{OUTCOMES.get(data.get('outcome', ''), data.get('outcome', ''))}"
        if data.get("verifiable") is not None:
            text += "（具有可查性）" if data["verifiable"] else "（不具有可查性）"
        if data.get("late"):
            text += "，已超过筛选期限"
    elif action == "clues.attachment.added" and data.get("files"):
        text += "：" + "、".join(data["files"])
    elif action == "cadres.roster.imported":
        text += f"：新增 {data.get('created', 0)}，更新 {data.get('updated', 0)}"
    elif action == "policy.holiday_notice.entered" and data.get("year"):
        text += f"（{data['year']}年）"
        if data.get("recomputed"):
            text += "，重新计算期限：" + "；".join(
                f"{c['number']} {_iso_cn(c['before'])}→{_iso_cn(c['after'])}{'（仍暂定）' if c['provisional'] else ''}"
                for c in data["recomputed"])
    return text
