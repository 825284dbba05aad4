"""The standard forms (统一规范的文书, 第二十一条): what each is called, whether it carries a document
number, and the fields it needs. The DOCX template of each lives in ``docx/<key>.docx`` (built by
``manage.py build_doc_templates``; an administrator may replace any of them — see
``YUJING_DOC_TEMPLATES``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    key: str
    title: str
    numbered: bool  # outgoing documents get a 文号 from the issuer's yearly sequence
    scope: str  # what it is generated for: case, clue, talk, extension, notice, chief_report, feedback
    article: str
    required: tuple[tuple[str, str], ...] = ()  # (context key, Chinese name) that must not be empty


FORMS: dict[str, Form] = {f.key: f for f in (
    Form("clue_transfer", "预警线索移送表", False, "clue", "第十三条",
         (("from_unit", "移送单位"), ("transferred_on", "移送日期"), ("summary", "问题摘要"))),
    Form("target_approval", "预警对象审批表", False, "case", "第十七条",
         (("target_name", "预警对象姓名"), ("measure", "预警措施"), ("facts", "主要问题"))),
    Form("inquiry_letter", "询问函", True, "case", "第二十二条",
         (("target_name", "预警对象姓名"), ("letter_content", "询问的问题"), ("issued_on", "发出日期"))),
    Form("talk_notice", "谈话通知书", True, "talk", "第二十二条",
         (("target_name", "预警对象姓名"), ("talk_time", "谈话时间"), ("talk_place", "谈话地点"))),
    Form("talk_record", "预警谈话记录", False, "talk", "第二十二条",
         (("talk_date", "谈话日期"), ("talk_record", "谈话记录"), ("chief_talker", "主谈人"))),
    Form("admonition_notice", "警示诫勉通知书", True, "case", "第二十三条、第二十五条",
         (("target_name", "预警对象姓名"), ("letter_content", "指出的问题"), ("requirements", "整改要求"),
          ("issued_on", "发出日期"))),
    Form("correction_notice", "责令纠错通知书", True, "case", "第二十四条、第二十五条",
         (("target_name", "预警对象姓名"), ("letter_content", "错误事实"), ("requirements", "整改要求"),
          ("issued_on", "发出日期"))),
    Form("discipline_opinion", "纪律检查(行政监察)意见书", True, "case", "第二十三条",
         (("target_name", "预警对象姓名"), ("letter_content", "意见"), ("issued_on", "发出日期"))),
    Form("discipline_recommendation", "纪律检查(行政监察)建议书", True, "case", "第二十四条",
         (("target_name", "预警对象姓名"), ("letter_content", "建议"), ("issued_on", "发出日期"))),
    Form("warning_register", "预警工作登记表", False, "case", "第二十五条",
         (("target_name", "预警对象姓名"), ("register_content", "承诺情况或整改要求"))),
    Form("extension_approval", "延期整改审批表", False, "extension", "第三十条",
         (("target_name", "预警对象姓名"), ("extension_reason", "延期理由"), ("requested_until", "申请延至"))),
    Form("extension_notice", "延期整改通知书", True, "extension", "第三十条",
         (("target_name", "预警对象姓名"), ("new_due", "批准延至"), ("decided_on", "批准日期"))),
    Form("revisit_register", "预警工作回访登记表", False, "revisit", "第三十条",
         (("target_name", "预警对象姓名"), ("revisit_date", "回访日期"), ("revisit_findings", "回访情况"))),
    Form("notice", "关于{target_name}同志{measure}情况的通报", True, "notice", "第三十一条",
         (("target_name", "预警对象姓名"), ("recipient_name", "通报对象"), ("notice_content", "通报内容"))),
    Form("outcome_report", "关于{target_name}同志责令纠错结果的报告", True, "chief_report", "第三十一条",
         (("target_name", "预警对象姓名"), ("report_content", "汇报内容"), ("outcome_text", "结果"),
          ("reported_on", "汇报日期"))),
    Form("feedback_letter", "预警线索办理情况反馈函", True, "feedback", "第十四条",
         (("recipient_name", "反馈对象"), ("feedback_content", "反馈内容"), ("clue_number", "线索编号"))),
)}

LETTER_FORMS = {"inquiry_letter", "admonition_notice", "correction_notice", "discipline_opinion",
                "discipline_recommendation"}
