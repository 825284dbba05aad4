"""Role titles come from the policy's [roles] wherever they are shown (issue 17, D1): a county whose
secretary is 市纪委书记 and whose chief is 局党组书记 sees those words, not Shou's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.dates import D
from yujing.cases import services as cs
from yujing.cases.selectors import next_steps, timeline
from yujing.clues.models import Clue
from yujing.orgs.secrecy import set_secrecy
from yujing.policy.loader import reset_policy_cache
from yujing.policy.schema import DEFAULT_POLICY


@pytest.fixture
def city(settings, tmp_path):
    """Shou's file with two other titles, and no [bodies] chief (so the report goes to the chief role's title)."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for old, new in (('party_chief = "县委主要领导"', 'party_chief = "局党组书记"'),
                     ('secretary = "县纪委书记"', 'secretary = "市纪委书记"'),
                     ('chief = "县委主要领导"\n', '')):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    settings.YUJING_POLICY = str(path)
    reset_policy_cache()
    yield
    reset_policy_cache()


def test_require_role_refusal_names_the_policy_titles(city, open_case, users):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-03"), method="preliminary",
                           done_on=D("2026-09-03"), findings="初核情况属实", conclusion="true")
    with pytest.raises(PermissionDenied) as info:
        cs.decide(case=case, by=users["fushuji"], today=D("2026-09-04"), approve=True)
    assert str(info.value) == "警示诫勉的审批须由市纪委书记、县纪委常委决定"


def test_the_timeline_decision_line_and_next_steps_use_the_titles(city, approved, users, login):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    decision = next(e for e in timeline(case) if e.kind == "approval")
    assert (decision.title, decision.detail) == ("审批：批准", "市纪委书记，韩立新。同意")
    talk = next(s for s in next_steps(case) if s.action == "plan_talk")
    assert talk.who == "预警办；主谈人：市纪委书记"  # 青石镇党委书记 is a principal: the secretary talks (第二十条)
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert "市纪委书记，韩立新。同意" in page and "主谈人：市纪委书记" in page
    assert "县纪委书记，韩立新" not in page  # (县纪委书记 is still 韩立新's own job title, a user field)


def test_the_case_keeps_the_titles_of_its_version(open_case, approved, users, settings, tmp_path):
    """A case begun under Shou's text keeps Shou's titles after the policy changes."""
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace('secretary = "县纪委书记"', 'secretary = "市纪委书记"', 1)
    (tmp_path / "city.toml").write_text(text, encoding="utf-8")
    settings.YUJING_POLICY = str(tmp_path / "city.toml")
    reset_policy_cache()
    try:
        decision = next(e for e in timeline(case) if e.kind == "approval")
        assert decision.detail == "县纪委书记，韩立新。同意"
    finally:
        reset_policy_cache()


def test_the_policy_page_shows_the_titles(city, login):
    page = login("yjb").get("/policy/").content.decode()
    # 审批 of the three measures: inquiry by the deputy or the secretary; correction reported to the chief
    assert "<td>县纪委分管副书记或市纪委书记 <span" in page
    assert "<td>市纪委书记；必要时县纪委常委会研究确定；并报局党组书记 <span" in page
    assert '<th scope="row">主要负责人的主谈人</th><td>市纪委书记</td>' in page
    assert "县委主要领导" not in page and "县纪委书记" not in page


def test_the_header_home_page_and_audit_log_use_the_titles(city, approved, users, login):
    home = login("xianwei").get("/").content.decode()
    assert "钱德庆（局党组书记）" in home  # the header
    assert "<tr><td>局党组书记</td>" in home  # 我的角色与管辖范围
    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    cs.report_to_chief(case=case, by=users["yjb"], today=D("2026-09-05"), reported_on=D("2026-09-05"))
    log = login("shenji").get("/audit/").content.decode()
    assert "报告局党组书记" in log and "报告县委主要领导" not in log


def test_the_secrecy_refusal_names_the_titles(city, users):
    from yujing.cadres.models import Cadre
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned

    clue = clue_services.register_clue(
        by=users["qs_jiwei"], today=D("2026-09-01"), received_on=D("2026-09-01"), channel="petition",
        summary="反映问题", detail="具体问题。", concerned=[Concerned(cadre_id=Cadre.objects.get(code="MH0007").pk)])
    with pytest.raises(ValidationError) as info:
        set_secrecy(obj=Clue.objects.get(pk=clue.pk), level="secret", reason="x", by=users["qs_jiwei"])
    assert info.value.message_dict == {"level": [
        "您的角色不能定为“机密”（定为后本人将无法查看），请报预警办工作人员、市纪委书记、县纪委分管副书记确定"]}


def test_the_admin_lists_and_forms_use_the_titles(city, login):
    admin = login("admin")
    listing = admin.get("/admin/orgs/roleassignment/").content.decode()
    assert "市纪委书记" in listing and "局党组书记" in listing
    assert "县纪委书记" not in listing and "县委主要领导" not in listing
    form = admin.get("/admin/orgs/roleassignment/add/").content.decode()
    assert '<option value="secretary">市纪委书记</option>' in form
    assert '<option value="party_chief">局党组书记</option>' in form
    tokens = admin.get("/admin/api/apitoken/add/").content.decode()
    assert '<option value="secretary">市纪委书记</option>' in tokens


def test_the_demo_logins_use_the_titles(city, demo):
    from yujing.demo import demo_logins

    titles = {username: title for username, title, _ in demo_logins()}
    assert (titles["shuji"], titles["xianwei"], titles["shenji"]) == ("市纪委书记", "局党组书记", "审计员")
