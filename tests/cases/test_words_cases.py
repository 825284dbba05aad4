"""The case pages, messages and steps take their articles and bodies from the policy (issue 17, item 9):
Shou reads as it always did; a county with other articles and other bodies sees its own, and a rule its
policy cites no article for shows none (no empty brackets)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from tests.dates import D
from yujing.cases import actions, forms, workflow
from yujing.cases import services as cs
from yujing.cases.models import ChiefReport
from yujing.cases.selectors import next_steps, timeline
from yujing.cases.services.implementation import _require_chief_report
from yujing.policy.loader import get_policy, reset_policy_cache
from yujing.policy.schema import DEFAULT_POLICY

CITY = (
    ('office = "预警办"', 'office = "市预警办"'),
    ('committee = "县纪委常委会"', 'committee = "市纪委常委会"'),
    ('\nchief = "县委主要领导"\n', '\nchief = "市委主要领导"\n'),
    ('unit_chief = "党委(党组)主要领导"', 'unit_chief = "局党组主要领导"'),
    ('county_leaders = "县委、县政府有关领导"', 'county_leaders = "市委、市政府有关领导"'),
    ('period = "7d"\nfrom = "approval"\narticle = "第十七条"', 'period = "5d"\nfrom = "approval"\narticle = "第十一条"'),
    ('proposal = "第十五条"', 'proposal = "第九条"'),
    ('chief_report = "第十七条"  # cases (words-cases)\n', ''),
    ('notices = "第三十一条"', 'notices = "第八条"'),
    ('min_talkers = 2\n', 'min_talkers = 3\n'),
    ('article = "第二十二条"\n\n[unit_level]', 'article = "第十二条"\n\n[unit_level]'),
    ('verifiable_clue = "第三十三条(三)"\n', ''),
)


def _use(settings, tmp_path, replacements) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "city.toml").write_text(text, encoding="utf-8")
    settings.YUJING_POLICY = str(tmp_path / "city.toml")
    reset_policy_cache()


@pytest.fixture
def city(settings, tmp_path):
    _use(settings, tmp_path, CITY)
    yield
    reset_policy_cache()


def _step(case, action):
    return next(s for s in next_steps(case) if s.action == action)


# --- Shou: the same words as before -------------------------------------------------------------------

def test_shou_transitions_read_as_before():
    assert workflow.TRANSITIONS["refer"].label == "提交县纪委常委会研究"
    assert workflow.TRANSITIONS["report_chief"].label == "报告县委主要领导"
    assert workflow.TRANSITIONS["report_outcome"].label == "向党委(党组)主要领导汇报结果"
    assert workflow.TRANSITIONS["approve"].article == "第十七条"
    assert workflow.TRANSITIONS["issue_letter"].article == "第二十二至二十四条"
    assert workflow.TRANSITIONS["record_response"].article == "第二十七至三十条"
    assert workflow.TRANSITIONS["hold_talk"].article == "第二十二条"
    assert workflow.TRANSITIONS["request_extension"].article == "第三十条"
    assert workflow.TRANSITIONS["record_limit"].article == "见本措施的期限"
    assert workflow.TRANSITIONS["approve"].article_in(get_policy(), "inquiry") == "第十七条"
    assert actions.ACTIONS["refer"].done == "已提交{committee}研究。"


def test_shou_correction_steps_and_timeline(approved, users):
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    report = _step(case, "report_chief")
    assert (report.label, report.who, report.note) == ("报告县委主要领导", "预警办", "实施前报告（第十七条）")
    assert _step(case, "issue_letter").note == "批准之日起7日内组织实施（第十七条）"
    assert actions.ACTIONS["refer"].done_for(case) == "已提交县纪委常委会研究。"
    assert actions.ACTIONS["report_chief"].done_for(case) == "已记录向县委主要领导报告。"
    with pytest.raises(ValidationError, match=r"^\['责令纠错须先报告县委主要领导，再组织实施（第十七条）'\]$"):
        _require_chief_report(case, D("2026-09-05"))
    kinds = {e.kind: e.article for e in timeline(case)}
    assert kinds == {"proposal": "第十五条", "verification": "第十六条", "approval": "第十七条"}
    r = cs.report_to_chief(case=case, by=users["yjb"], today=D("2026-09-05"), reported_on=D("2026-09-05"), note="已报告")
    assert ChiefReport.objects.get(pk=r.pk).kind_label == "实施前报告（第十七条）"
    entry = next(e for e in timeline(case) if e.kind == "report")
    assert (entry.title, entry.article) == ("报告县委主要领导", "第十七条")


def test_shou_forms_read_as_before(approved, users):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    talk = forms.PlanTalkForm(case=case, user=users["yjb"], prefix="plan_talk")
    assert talk.fields["outline"].help_text == "存在问题、主要错误事实及整改要求（第二十二条）"
    assert talk.fields["chief_reason"].label == "请县委、县政府有关领导主谈的理由"
    assert talk.fields["chief_reason"].help_text == "主谈人为县委、县政府有关领导时必填（第二十二条：必要时…请县委、县政府有关领导主谈）"
    verify = forms.VerifyForm(case=case, user=users["yjb"], prefix="verify")
    assert verify.fields["meets_filing"].label == "已构成立案条件（立案查处的依据，第二十九条；不能以预警代之，第三十三条(五)）"
    revisit = forms.RevisitForm(case=case, user=users["yjb"], prefix="revisit")
    assert revisit.fields["methods"].help_text == "可多选（第三十条：听取汇报、查阅资料、召开座谈会等形式）"
    assert forms.PurgeForm().fields["reason"].help_text == "批准销毁的文件或会议，如“县纪委常委会2056年第3次会议决定”"


def test_shou_case_page_articles(approved, login):
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert '组织实施期限 <span class="article">第十七条</span>' in page
    assert "报告县委主要领导" in page and "批准之日起7日内组织实施（第十七条）" in page


# --- another county: its own articles and bodies --------------------------------------------------------

def test_city_transitions_and_refusals(city, approved, users):
    assert workflow.TRANSITIONS["refer"].label == "提交市纪委常委会研究"
    assert workflow.TRANSITIONS["report_outcome"].label == "向局党组主要领导汇报结果"
    assert workflow.TRANSITIONS["report_chief"].article == ""  # the city cites nothing for it
    assert workflow.TRANSITIONS["hold_talk"].article == "第十二条"
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    with pytest.raises(ValidationError, match=r"^\['预警事项当前为“已批准，待实施”，不能提交市纪委常委会研究'\]$"):
        cs.refer_to_committee(case=case, by=users["shuji"], today=D("2026-09-05"))
    with pytest.raises(ValidationError, match=r"^\['责令纠错须先报告市委主要领导，再组织实施'\]$"):
        _require_chief_report(case, D("2026-09-05"))
    admonition = approved("admonition", "MH0002", on="2026-09-02", approve_on="2026-09-04")
    with pytest.raises(ValidationError, match=r"^\['警示诫勉不需报告市委主要领导'\]$"):
        cs.report_to_chief(case=admonition, by=users["yjb"], today=D("2026-09-05"), reported_on=D("2026-09-05"),
                           note="x")


def test_city_steps_timeline_and_messages(city, approved, users):
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    report = _step(case, "report_chief")
    assert (report.label, report.who, report.note) == ("报告市委主要领导", "市预警办", "实施前报告")
    assert _step(case, "issue_letter").note == "批准之日起5日内组织实施（第十一条）"
    assert actions.ACTIONS["refer"].done_for(case) == "已提交市纪委常委会研究。"
    assert actions.ACTIONS["report_chief"].done_for(case) == "已记录向市委主要领导报告。"
    assert next(e for e in timeline(case) if e.kind == "proposal").article == "第九条"
    r = cs.report_to_chief(case=case, by=users["yjb"], today=D("2026-09-05"), reported_on=D("2026-09-05"), note="已报告")
    assert ChiefReport.objects.get(pk=r.pk).kind_label == "实施前报告"
    entry = next(e for e in timeline(case) if e.kind == "report")
    assert (entry.title, entry.article) == ("报告市委主要领导", "")


def test_city_talk_forms_and_refusals(city, approved, users):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    talk = forms.PlanTalkForm(case=case, user=users["yjb"], prefix="plan_talk")
    assert talk.fields["outline"].help_text == "存在问题、主要错误事实及整改要求（第十二条）"
    assert talk.fields["chief_reason"].label == "请市委、市政府有关领导主谈的理由"
    assert talk.fields["chief_reason"].help_text == "主谈人为市委、市政府有关领导时必填（第十二条：必要时…请市委、市政府有关领导主谈）"
    with pytest.raises(ValidationError) as info:
        cs.plan_talk(case=case, by=users["yjb"], today=D("2026-09-05"), outline="提纲", chief=users["shuji"],
                     other_talkers=["张三"], scheduled_at=datetime(2026, 9, 7, 9, 0, tzinfo=UTC), place="谈话室")
    assert "谈话必须有3人以上参加（第十二条）" in info.value.message_dict["other_talkers"]
    assert forms.PurgeForm().fields["reason"].help_text == "批准销毁的文件或会议，如“市纪委常委会2056年第3次会议决定”"


def test_city_page_and_lists(city, approved, login):
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert '组织实施期限 <span class="article">第十一条</span>' in page
    assert "报告市委主要领导" in page and "批准之日起5日内组织实施（第十一条）" in page
    assert "县委主要领导" not in page and "第十七条" not in page.split("组织实施期限")[1][:80]
    reports = login("xianwei").get("/cases/reports/").content.decode()
    assert "<h1 class=\"h4\">报告市委主要领导的责令纠错 <span class=\"article\">第三十一条</span></h1>" in reports


def test_a_case_keeps_the_articles_of_its_version(approved, settings, tmp_path):
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    _use(settings, tmp_path, CITY)
    try:
        assert _step(case, "issue_letter").note == "批准之日起7日内组织实施（第十七条）"
        assert _step(case, "report_chief").label == "报告县委主要领导"
        assert next(e for e in timeline(case) if e.kind == "proposal").article == "第十五条"
    finally:
        reset_policy_cache()
