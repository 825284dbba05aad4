"""The refusal of a notice whose requirements are not yet approved cites the policy's [register] article
(Shou: 第二十五条), not a fixed one (issue 17, found by the cards example)."""

import pytest
from django.core.exceptions import ValidationError

from yujing.cases import services as cs

from .conftest import SHOU, D, at

OTHER_ARTICLE = SHOU.replace('article = "第二十五条"\n\n[roles]', 'article = "第十二条"\n\n[roles]')


def test_the_unapproved_requirements_refusal_cites_the_register_article(use_policy, approved, users):
    assert OTHER_ARTICLE != SHOU
    use_policy(OTHER_ARTICLE)
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    office = users["yjb"]
    cs.plan_talk(case=case, by=office, today=D("2026-09-05"), outline="指出问题", chief=users["shuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-09-08"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-09-05"), sent_on=D("2026-09-05"))
    cs.hold_talk(case=case, by=office, today=D("2026-09-08"), held_on=D("2026-09-08"), record="谈话记录",
                 signed_on=D("2026-09-08"))
    case.refresh_from_db()
    cs.write_register(case=case, by=office, today=D("2026-09-08"), content="整改要求")
    with pytest.raises(ValidationError) as info:
        cs.issue_letter(case=case, by=office, today=D("2026-09-09"), kind="admonition_notice",
                        issued_on=D("2026-09-09"), content="整改要求")
    assert info.value.messages == ["整改要求须经领导批准后，才能发出通知书（第十二条）"]
