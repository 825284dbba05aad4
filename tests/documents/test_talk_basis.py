"""The talk record says how the chief talker came to talk: delegated (第二十条) or a county leader (第二十二条)."""

from tests.dates import D, at
from yujing.cases import services as cs
from yujing.documents.contexts import targets_for_case
from yujing.documents.services import generate

from .test_generation import docx_text


def _held(case, users):
    office = users["yjb"]
    cs.notify_talk(case=case, by=office, today=D("2026-06-03"), sent_on=D("2026-06-03"))
    cs.hold_talk(case=case, by=office, today=D("2026-06-05"), held_on=D("2026-06-05"), record="对象作出说明。",
                 signed_on=D("2026-06-05"))
    target = next(t for t in targets_for_case(case) if t.form.key == "talk_record")
    return docx_text(generate(target, by=office, today=D("2026-06-05"), pdf=False))


def test_the_record_of_a_delegated_talk_names_who_delegated_and_when(open_case, users):
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-02"), outline="了解澄清", chief=users["qs_dangwei"],
                 other_talkers=["汤宁"], scheduled_at=at("2026-06-05"), place="青石镇会议室",
                 delegated_by=users["fushuji"], delegated_on=D("2026-06-02"))
    text = _held(case, users)
    assert "谈话人：覃永峰、汤宁（主谈人：覃永峰，受县纪委副书记邵振东2026年6月2日委托，由所在单位主要负责人实施（第二十条））" in text


def test_the_record_of_a_county_leaders_talk_gives_the_reason(open_case, users):
    case = open_case("admonition", "MH0001", on="2026-06-01")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-06-01"), method="preliminary",
                           done_on=D("2026-06-01"), findings="初核属实", conclusion="true")
    cs.decide(case=case, by=users["shuji"], today=D("2026-06-01"), approve=True)
    cs.plan_talk(case=case, by=users["yjb"], today=D("2026-06-02"), outline="指出问题", chief=users["xianwei"],
                 other_talkers=["韩立新"], scheduled_at=at("2026-06-05"), place="县委会议室",
                 chief_reason="涉及全镇重大项目")
    text = _held(case, users)
    assert "（主谈人：钱德庆，请县委、县政府有关领导主谈（第二十二条），理由：涉及全镇重大项目）" in text
