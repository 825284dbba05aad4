"""A restriction for the rest of the cadre's term (until = "term_end", 本届任期内不得评选评优): it runs to the
cadre's 任期届满日期 from the roster; while none is recorded it still applies, and the look-up says so."""

import io

import pytest
from django.utils import timezone

from tests.policy.test_schema import _broken
from yujing.cadres.models import Cadre
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.restrictions import notice_sentence, policy_summary, rule_end
from yujing.policy.loader import get_policy
from yujing.policy.schema import RestrictionRule

from .conftest import D, at

SHOU_RULE = ('restrictions = [{ scope = "awards_promotion", label = "不得评选评优、暂缓提拔使用", from = "delivery", '
             'until = "closing", article = "第三十一条" }]')
TERM_RULE = ('restrictions = [{ scope = "awards", label = "本届任期内不得评选评优", from = "talk", until = "term_end", '
             'article = "第十一条" }]')
UNKNOWN = "自2026年3月31日（谈话之日）起，至任期届满（未登记届满日期）止"


@pytest.fixture
def talked(use_policy, approved, users):
    """Shou's admonition restricted for the term from the talk: 青石镇党委书记 (MH0001), talk on 2026-03-31."""
    use_policy(_broken(SHOU_RULE, TERM_RULE))
    office = users["yjb"]
    case = approved("admonition", "MH0001", on="2026-03-20", approve_on="2026-03-23")
    cs.plan_talk(case=case, by=office, today=D("2026-03-24"), outline="指出问题", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-03-31"), place="县纪委谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-03-25"), sent_on=D("2026-03-25"))
    cs.hold_talk(case=case, by=office, today=D("2026-03-31"), held_on=D("2026-03-31"), record="谈话记录",
                 signed_on=D("2026-03-31"))
    case.refresh_from_db()
    return case


def _in_force(case, day):
    found = selectors.restrictions(cadre_ids=[case.target_id], today=D(day))[case.target_id]
    return [(r.scope, r.since, r.until, r.condition, r.ends_with_case) for r in found]


def test_the_rule_ends_on_the_term_end_or_not_at_all_while_unknown():
    rule = RestrictionRule.model_validate({"scope": "awards", "label": "x", "from": "talk", "until": "term_end",
                                           "article": "第十一条"})
    assert rule.period is None
    assert rule_end(rule, D("2026-03-31"), term_ends_on=D("2027-01-05")) == D("2027-01-05")
    assert rule_end(rule, D("2026-03-31")) is None


def test_unknown_term_end_still_applies_and_says_so(talked):
    assert _in_force(talked, "2026-03-30") == []
    assert _in_force(talked, "2026-03-31") == [("awards", D("2026-03-31"), None, UNKNOWN, False)]
    assert _in_force(talked, "2036-03-31") == [("awards", D("2026-03-31"), None, UNKNOWN, False)]


def test_a_recorded_term_end_is_the_last_day_even_after_the_case(talked, users):
    Cadre.objects.filter(pk=talked.target_id).update(term_ends_on=D("2027-01-05"))
    known = ("awards", D("2026-03-31"), D("2027-01-05"), "自2026年3月31日（谈话之日）起，至2027年1月5日（任期届满）止", False)
    assert _in_force(talked, "2026-04-01") == [known]
    cs.write_register(case=talked, by=users["yjb"], today=D("2026-04-01"), content="退还礼金")
    cs.approve_register(case=talked, by=users["shuji"], today=D("2026-04-01"))
    cs.issue_letter(case=talked, by=users["yjb"], today=D("2026-04-02"), kind="admonition_notice",
                    issued_on=D("2026-04-02"), content="限期整改")
    cs.record_receipt(case=talked, by=users["yjb"], today=D("2026-04-03"), received_on=D("2026-04-03"))
    cs.record_response(case=talked, by=users["yjb"], today=D("2026-04-08"), received_on=D("2026-04-08"), content="已整改")
    cs.lift(case=talked, by=users["fushuji"], today=D("2026-04-20"), basis="已按要求整改")
    assert _in_force(talked, "2027-01-05") == [known]  # the case is lifted; the term has not ended
    assert _in_force(talked, "2027-01-06") == []
    # a term that ended before the talk never restricts
    Cadre.objects.filter(pk=talked.target_id).update(term_ends_on=D("2026-03-30"))
    assert _in_force(talked, "2026-03-31") == []


def test_the_api_page_xlsx_and_notice(talked, login, client, users, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook, load_workbook

    from yujing.api.services import create_token

    monkeypatch.setattr(timezone, "localdate", lambda *a: D("2026-04-01"))
    _, token = create_token(user=users["zuzhibu"], name="干部系统", by=users["zuzhibu"])
    body = client.post("/api/restrictions", {"codes": ["MH0001"]}, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert body[0]["restrictions"] == [
        {"case_id": talked.pk, "measure": "admonition", "since": "2026-03-31", "until": None, "condition": UNKNOWN,
         "scope": "awards", "label": "本届任期内不得评选评优", "article": "第十一条"}]
    org = login("zuzhibu")
    page = org.get("/cases/restrictions/", {"q": "MH0001"}).content.decode()
    assert "警示诫勉对象本届任期内不得评选评优（第十一条，自谈话之日起至本届任期届满）。" in page
    assert f"<div>警示诫勉（自 2026年3月31日 起）本届任期内不得评选评优（第十一条）：{UNKNOWN}</div>" in page
    assert policy_summary(get_policy())["articles"] == "第十一条、第三十一条"
    book = Workbook()
    book.active.append(["干部编号"])
    book.active.append(["MH0001"])
    data = io.BytesIO()
    book.save(data)
    download = org.post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue()),
                                                 "download": "1"})
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[2][9:] == (UNKNOWN, "本届任期内不得评选评优", "第十一条", "任期届满（未登记届满日期）")
    Cadre.objects.filter(pk=talked.target_id).update(term_ends_on=D("2027-01-05"))
    download = org.post("/cases/restrictions/", {"file": SimpleUploadedFile("候选人.xlsx", data.getvalue()),
                                                 "download": "1"})
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[2][12] == "2027-01-05"
    name = talked.target.name
    assert notice_sentence(talked) == (f"根据《领导干部廉洁自律预警机制实施办法》第十一条的规定，{name}同志本届任期内不得评选评优"
                                       "（自谈话之日起至本届任期届满）。")
