"""Restrictions as their own rules (issue 17, item 7): each measure's ``restrictions`` in the policy say what
the target may not do, from which event and until when — with the case (Shou's 第三十一条), for a period
(6 months from the talk, by the Civil Code month rule, no roll over rest days) or to 31 December — each
shown with its label and article in the look-up, the API, the XLSX, the pages and the notice."""

import io

import pytest
from django.utils import timezone

from tests.policy.test_loader_refusals import _refusal
from tests.policy.test_schema import _broken
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.restrictions import notice_sentence, policy_summary, rule_end
from yujing.policy.loader import get_calendar, get_policy, reset_policy_cache
from yujing.policy.schema import DEFAULT_POLICY, RestrictionRule, parse_policy

from .conftest import D, at

SHOU_RULE = ('restrictions = [{ scope = "awards_promotion", label = "不得评选评优、暂缓提拔使用", from = "delivery", '
             'until = "closing", article = "第三十一条" }]')
ADMONITION_RULES = """restrictions = [
  { scope = "promotion", label = "六个月内不得提拔或者重用", from = "talk", until = "6m", article = "第十条" },
  { scope = "excellent", label = "当年年度考核不得评为优秀等次", from = "talk", until = "year_end", article = "第十一条" },
]"""
SIX_MONTHS = "自2026年3月31日（谈话之日）起6个月，至2026年9月30日止"
YEAR_END = "自2026年3月31日（谈话之日）起，至2026年12月31日（当年年底）止"


def _with_rules() -> str:
    """Shou's file, its admonition restricted by two rules of its own counted from the talk (the keys stay)."""
    return _broken(SHOU_RULE, ADMONITION_RULES)  # the first: admonition's


@pytest.fixture
def rules_policy(settings, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(_with_rules(), encoding="utf-8")
    settings.YUJING_POLICY = str(path)
    reset_policy_cache()
    try:
        yield get_policy()
    finally:
        reset_policy_cache()  # the settings fixture then restores YUJING_POLICY; the next read loads it


@pytest.fixture
def talked(rules_policy, approved, users):
    """An admonition of 青石镇党委书记 (MH0001) approved on 2026-03-23, the talk held and signed on 2026-03-31."""
    office, secretary = users["yjb"], users["shuji"]
    case = approved("admonition", "MH0001", on="2026-03-20", approve_on="2026-03-23")
    cs.plan_talk(case=case, by=office, today=D("2026-03-24"), outline="指出问题、提出要求", chief=secretary,
                 other_talkers=["方晓春"], scheduled_at=at("2026-03-31"), place="县纪委谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-03-25"), sent_on=D("2026-03-25"))
    cs.hold_talk(case=case, by=office, today=D("2026-03-31"), held_on=D("2026-03-31"), record="谈话记录",
                 signed_on=D("2026-03-31"))
    case.refresh_from_db()
    assert case.policy_version.digest == rules_policy.digest
    return case


def _in_force(case, day):
    found = selectors.restrictions(cadre_ids=[case.target_id], today=D(day))[case.target_id]
    return [(r.case.pk, r.scope, r.label, r.article, r.since, r.until, r.condition) for r in found]


def test_two_rules_from_the_talk_six_months_and_the_year_end(talked):
    case = talked
    assert _in_force(case, "2026-03-30") == []
    six = (case.pk, "promotion", "六个月内不得提拔或者重用", "第十条", D("2026-03-31"), D("2026-09-30"), SIX_MONTHS)
    year = (case.pk, "excellent", "当年年度考核不得评为优秀等次", "第十一条", D("2026-03-31"), D("2026-12-31"), YEAR_END)
    assert _in_force(case, "2026-03-31") == [six, year]
    # 03-31 + 6 months: September has no 31st, so its last day (民法典第二百零二条)
    assert _in_force(case, "2026-09-30") == [six, year]
    assert _in_force(case, "2026-10-01") == [year]
    assert _in_force(case, "2026-12-31") == [year]
    assert _in_force(case, "2027-01-01") == []


def test_a_period_restriction_outlives_the_case(talked, users):
    case, office = talked, users["yjb"]
    cs.write_register(case=case, by=office, today=D("2026-04-01"), content="退还礼金")
    cs.approve_register(case=case, by=users["shuji"], today=D("2026-04-01"))
    cs.issue_letter(case=case, by=office, today=D("2026-04-02"), kind="admonition_notice", issued_on=D("2026-04-02"),
                    content="限期整改")
    cs.record_receipt(case=case, by=office, today=D("2026-04-03"), received_on=D("2026-04-03"))
    cs.record_response(case=case, by=office, today=D("2026-04-08"), received_on=D("2026-04-08"), content="已整改")
    cs.lift(case=case, by=users["fushuji"], today=D("2026-04-20"), basis="已按要求整改")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("lifted", D("2026-04-20"))
    assert [r[1] for r in _in_force(case, "2026-04-21")] == ["promotion", "excellent"]
    assert [r[1] for r in _in_force(case, "2026-10-01")] == ["excellent"]


def test_a_period_end_does_not_roll_over_rest_days(db):
    """A restriction's end is not a deadline: 2026-04-04 + 6 months = 10-04, a day of the National Day holiday,
    stays 10-04 (a deadline there would roll to 10-08)."""
    rule = RestrictionRule.model_validate({"scope": "promotion", "label": "x", "from": "talk", "until": "6m",
                                           "article": "第十条"})
    assert rule_end(rule, D("2026-04-04"), get_calendar) == D("2026-10-04")
    assert not get_calendar().is_working_day(D("2026-10-04"))
    year = rule.model_copy(update={"until": "year_end"})
    assert rule_end(year, D("2026-12-31")) == D("2026-12-31")


def test_shou_closing_rule_is_unchanged(approved, users, login, monkeypatch):
    """Shou: 不得评选评优、暂缓提拔使用 from receipt of the notice until the case ends, 第三十一条."""
    office, day = users["yjb"], D("2026-09-04")
    case = approved("correction", "MH0002", on="2026-09-02", approve_on="2026-09-04")
    cs.report_to_chief(case=case, by=office, today=day, reported_on=day)
    cs.write_register(case=case, by=office, today=day, content="纠正")
    cs.approve_register(case=case, by=users["shuji"], today=day)
    cs.issue_letter(case=case, by=office, today=day, kind="correction_notice", issued_on=day, content="纠正")
    cs.record_receipt(case=case, by=office, today=D("2026-09-07"), received_on=D("2026-09-07"))
    case.refresh_from_db()
    assert case.response_due == D("2026-10-08")  # 09-07 + 1 month = 10-07, in the National Day holiday: 10-08
    assert _in_force(case, "2026-09-06") == []
    assert _in_force(case, "2026-09-07") == [
        (case.pk, "awards_promotion", "不得评选评优、暂缓提拔使用", "第三十一条", D("2026-09-07"), D("2026-10-08"),
         "整改期限至2026年10月8日，经回访达到整改要求、批准解除预警后解除")]
    assert _in_force(case, "2026-10-12")[0][6] == ("整改期限（2026年10月8日）已届满未按期整改，"
                                                   "待作出转组织处理或立案查处等决定")
    assert notice_sentence(case) == (f"根据《领导干部廉洁自律预警机制实施办法》第三十一条的规定，在整改期限内，"
                                     f"{case.target.name}同志不得评选评优，暂缓提拔使用。")
    assert policy_summary(get_policy()) == {
        "articles": "第三十一条", "only_title": "不得评选评优、暂缓提拔使用（第三十一条）",
        "text": "在警示诫勉、责令纠错的整改期限内，预警对象不得评选评优、暂缓提拔使用；整改期限满未纠正的，"
                "限制持续至作出转组织处理或立案查处决定。"}
    # the pages read as before
    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-09-08"))
    condition = "整改期限至2026年10月8日，经回访达到整改要求、批准解除预警后解除"
    org = login("zuzhibu")
    page = org.get("/cases/restrictions/", {"q": "MH0002"}).content.decode()
    assert '<h1 class="h4">评优、提拔限制查询 <span class="article">第三十一条</span></h1>' in page
    assert ('<p class="text-muted">在警示诫勉、责令纠错的整改期限内，预警对象不得评选评优、暂缓提拔使用；整改期限满未纠正的，'
            "限制持续至作出转组织处理或立案查处决定。查询结果以今天（2026年9月8日）为准，每次查询都记录在案。</p>") in page
    assert f"<td><div>责令纠错（自 2026年9月7日 起）：{condition}</div></td>" in page
    assert (f'role="status">⚠ 整改期限内，该干部不得评选评优、暂缓提拔使用（第三十一条）：{condition}</div>'
            in login("yjb").get(f"/cases/{case.pk}/").content.decode())
    assert (f"⚠ 今天受限：不得评选评优、暂缓提拔使用（第三十一条）。<div>责令纠错（{case.number}，自 2026年9月7日 起）："
            f"{condition}</div>" in org.get(f"/cadres/{case.target_id}/").content.decode())


def test_the_api_gives_each_rule_with_its_scope_label_and_article(talked, client, users, monkeypatch):
    from yujing.api.services import create_token

    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-04-01"))
    _, token = create_token(user=users["zuzhibu"], name="干部系统", by=users["zuzhibu"])
    body = client.post("/api/restrictions", {"codes": ["MH0001", "MH0003"]}, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"}).json()
    target = talked.target
    assert body == [
        {"cadre_id": target.pk, "code": "MH0001", "name": target.name, "restricted": True, "restrictions": [
            {"case_id": talked.pk, "measure": "admonition", "since": "2026-03-31", "until": "2026-09-30",
             "condition": SIX_MONTHS, "scope": "promotion", "label": "六个月内不得提拔或者重用", "article": "第十条"},
            {"case_id": talked.pk, "measure": "admonition", "since": "2026-03-31", "until": "2026-12-31",
             "condition": YEAR_END, "scope": "excellent", "label": "当年年度考核不得评为优秀等次", "article": "第十一条"}]},
        {"cadre_id": body[1]["cadre_id"], "code": "MH0003", "name": body[1]["name"], "restricted": False,
         "restrictions": []},
    ]


def test_the_page_xlsx_and_notice_name_each_rule(talked, login, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook, load_workbook

    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-04-01"))
    org = login("zuzhibu")
    page = org.get("/cases/restrictions/", {"q": "MH0001"}).content.decode()
    assert '评优、提拔限制查询 <span class="article">第十条、第十一条、第三十一条</span>' in page
    assert ("警示诫勉对象六个月内不得提拔或者重用（第十条，自谈话之日起6个月）。"
            "警示诫勉对象当年年度考核不得评为优秀等次（第十一条，自谈话之日起至当年12月31日）。"
            "在责令纠错的整改期限内，预警对象不得评选评优、暂缓提拔使用；整改期限满未纠正的，限制持续至作出转组织处理或立案查处决定。"
            "查询结果以今天（2026年4月1日）为准") in page
    assert f"<div>警示诫勉（自 2026年3月31日 起）六个月内不得提拔或者重用（第十条）：{SIX_MONTHS}</div>" in page
    assert f"<div>警示诫勉（自 2026年3月31日 起）当年年度考核不得评为优秀等次（第十一条）：{YEAR_END}</div>" in page

    book = Workbook()
    book.active.append(["干部编号"])
    book.active.append(["MH0001"])
    data = io.BytesIO()
    book.save(data)
    download = org.post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue()),
                                                 "download": "1"})
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "评优、提拔限制查询结果（第十条、第十一条、第三十一条），查询日期 2026年4月1日"
    assert rows[1][10:] == ("限制内容", "依据", "限制截止")
    assert rows[2][5:] == ("受限", f"警示诫勉（{talked.number}）；警示诫勉（{talked.number}）", "2026-03-31", None,
                           f"{SIX_MONTHS}；{YEAR_END}", "六个月内不得提拔或者重用；当年年度考核不得评为优秀等次",
                           "第十条；第十一条", "2026-09-30；2026-12-31")

    name = talked.target.name
    assert notice_sentence(talked) == (
        f"根据《领导干部廉洁自律预警机制实施办法》第十条的规定，{name}同志六个月内不得提拔或者重用（自谈话之日起6个月）。"
        f"根据《领导干部廉洁自律预警机制实施办法》第十一条的规定，{name}同志当年年度考核不得评为优秀等次"
        "（自谈话之日起至当年12月31日）。")
    cadre_page = org.get(f"/cadres/{talked.target_id}/").content.decode()
    assert "⚠ 今天受限：六个月内不得提拔或者重用（第十条）；当年年度考核不得评为优秀等次（第十一条）。" in cadre_page
    assert (f"<div>警示诫勉（{talked.number}，自 2026年3月31日 起）六个月内不得提拔或者重用（第十条）：{SIX_MONTHS}</div>"
            in cadre_page)
    case_page = login("yjb").get(f"/cases/{talked.pk}/").content.decode()
    assert f'role="status">⚠ 该干部六个月内不得提拔或者重用（第十条）：{SIX_MONTHS}</div>' in case_page
    assert f'role="status">⚠ 该干部当年年度考核不得评为优秀等次（第十一条）：{YEAR_END}</div>' in case_page


# --- what the loader refuses ------------------------------------------------------------------------------


def test_restricted_needs_its_restrictions_and_unrestricted_forbids_them():
    assert _refusal(_broken(SHOU_RULE + "\n", "")) == [
        "measures.admonition.restrictions: restricted = true 的措施须写明至少一项限制（scope、label、from、until、article）"]
    text = _broken('escalations = ["admonition", "correction", "case_filing"]\n',
                   'escalations = ["admonition", "correction", "case_filing"]\n' + SHOU_RULE + "\n")
    assert _refusal(text) == [
        "measures.inquiry.restrictions: restricted = false 的措施不能有限制（删去此项，或改为 restricted = true）"]


@pytest.mark.parametrize("old, new, message", [
    ('from = "delivery", until = "closing"', 'from = "received", until = "closing"',
     "measures.admonition.restrictions.0.from: 限制不能自“received”起算；"
     "可用：delivery（送达之日）、talk（谈话之日）、approval（批准之日）、implemented（实施之日）"),
    ('until = "closing"', 'until = "6x"',
     "measures.admonition.restrictions.0.until: 期间“6x”格式不对：应写作数字加单位，如 7d(日)、1m(月)、1y(年)、5wd(工作日)；"
     "或写作 closing（至预警办结）、year_end（至当年12月31日）、term_end（至本届任期届满）"),
    ('until = "closing"', 'until = "11y"',
     "measures.admonition.restrictions.0.until: 期间“11y”（11年）超过10年，不合理：请检查数字和单位（d 日、wd 工作日、m 月、y 年）；"
     "或写作 closing（至预警办结）、year_end（至当年12月31日）、term_end（至本届任期届满）"),
    ('scope = "awards_promotion"', 'scope = "honours"',
     "measures.admonition.restrictions.0.scope: 取值不在允许范围内"
     "（可选：'awards', 'promotion', 'awards_promotion', 'excellent' or 'other'）"),
    ('label = "不得评选评优、暂缓提拔使用", ', 'label = "", ', "measures.admonition.restrictions.0.label: 不能为空"),
    ('article = "第三十一条" }]', 'article = "第三十一条", term = 1 }]',
     "measures.admonition.restrictions.0.term: 不认识此项（拼写错误？）"),
])
def test_a_wrong_rule_is_refused_naming_its_key(old, new, message):
    assert _refusal(_broken(old, new)) == [message]


def test_a_text_of_format_1_gets_shou_restriction_from_the_legacy_file():
    from pathlib import Path

    old = (Path(__file__).parents[1] / "policy" / "data" / "shou_2010_1.toml").read_text(encoding="utf-8")
    rules = parse_policy(old).rules
    assert rules.policy.measures is None
    shou = {"scope": "awards_promotion", "label": "不得评选评优、暂缓提拔使用", "from": "delivery", "until": "closing",
            "article": "第三十一条"}
    dumped = {k: [r.model_dump(by_alias=True) for r in m.restrictions] for k, m in rules.measures.items()}
    assert dumped == {"inquiry": [], "admonition": [shou], "correction": [shou]}
    current = parse_policy(DEFAULT_POLICY.read_text(encoding="utf-8")).rules
    assert {k: [r.model_dump(by_alias=True) for r in m.restrictions] for k, m in current.measures.items()} == dumped
