"""Triggers besides clues (issue 17 item 8): a policy's [[triggers]] makes a clue channel count only with an
indicator below a threshold (民主测评满意率低于60%). Shou has no triggers and behaves as before."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.clues.test_api import clue_payload
from tests.policy.test_loader_refusals import _refusal
from yujing.api.services import create_token
from yujing.audit.models import Event
from yujing.clues.models import Clue
from yujing.policy.loader import get_policy, reset_policy_cache
from yujing.policy.schema import DEFAULT_POLICY, parse_policy

TRIGGER = """
[[triggers]]
channel = "appraisal"
label = "年度考核、民主测评结果"
indicator = "民主测评满意率"
below = 60
unit = "%"
article = "第四条"
measure = "inquiry"
"""

SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")


@pytest.fixture
def bearer(users):
    def _bearer(username):
        _, text = create_token(user=users[username], name=f"{username} 集成", by=users[username])
        return {"Authorization": f"Bearer {text}"}

    return _bearer


def _use(path) -> None:
    django_settings.YUJING_POLICY = str(path) if path else ""
    reset_policy_cache()


@pytest.fixture
def shou_before():
    before = django_settings.YUJING_POLICY
    yield
    django_settings.YUJING_POLICY = before
    reset_policy_cache()


@pytest.fixture
def triggered(tmp_path, shou_before):
    """The policy in force is shou.toml with a trigger on the appraisal channel (第十条)."""
    path = tmp_path / "triggered.toml"
    path.write_text(SHOU + TRIGGER, encoding="utf-8")
    _use(path)
    assert get_policy().rules.triggers[0].indicator == "民主测评满意率"
    return path


def _appraisal(register, **kw):
    return register(username="qs_jiwei", cadre="MH0007", channel="appraisal",
                    summary="年度民主测评满意率偏低", **kw)


def _errors(info) -> dict:
    return info.value.message_dict


# --- the policy file ------------------------------------------------------------------------------


def test_shou_has_no_triggers():
    assert parse_policy(SHOU).rules.triggers == []
    assert "[[triggers]]" not in SHOU


def test_a_trigger_reads_with_its_threshold():
    rules = parse_policy(SHOU + TRIGGER).rules
    trigger = rules.trigger("appraisal")
    assert (trigger.indicator, trigger.below, trigger.unit, trigger.article, trigger.measure) == (
        "民主测评满意率", 60, "%", "第四条", "inquiry")
    assert rules.trigger("petition") is None
    assert rules.model_dump(mode="json")["triggers"] == [{
        "channel": "appraisal", "label": "年度考核、民主测评结果", "indicator": "民主测评满意率", "below": 60,
        "unit": "%", "article": "第四条", "measure": "inquiry"}]


def test_the_unit_and_the_measure_may_be_left_out():
    text = SHOU + TRIGGER.replace('unit = "%"\n', "").replace('measure = "inquiry"\n', "").replace("60", "59.5")
    trigger = parse_policy(text).rules.triggers[0]
    assert (trigger.below, trigger.unit, trigger.measure) == (59.5, "", None)


def test_an_unknown_channel_is_refused():
    assert _refusal(SHOU + TRIGGER.replace('"appraisal"', '"apraisal"')) == [
        "triggers.0.channel: 未知的来源渠道“apraisal”；可用：petition（群众信访举报）、"
        "referral（上级交办或下级纪委(纪检组)报送）、case_handling（案件查办中发现）、"
        "commission_office（县纪委各室工作中发现）、audit（经济责任审计中发现）、"
        "appraisal（责任制考核、民主评议和民意调查中发现）、media（新闻媒体披露）"]


def test_the_transfer_form_channel_cannot_have_a_threshold():
    assert _refusal(SHOU + TRIGGER.replace('"appraisal"', '"member_unit"')) == [
        "triggers.0.channel: member_unit（联席会议成员单位及其他执纪执法机关移送）的线索由移送表登记，不能设预警线"]


def test_an_undeclared_measure_is_refused():
    assert _refusal(SHOU + TRIGGER.replace('"inquiry"', '"jiemian"')) == [
        "triggers.0.measure: 措施 jiemian 未在本策略中定义；可选：inquiry, admonition, correction"]


def test_two_triggers_on_one_channel_are_refused():
    second = TRIGGER.replace("below = 60", "below = 50")
    assert _refusal(SHOU + TRIGGER + second) == [
        "triggers.1.channel: 来源渠道 appraisal 已有预警线（triggers.0），同一渠道只能设一条"]


def test_triggers_on_two_channels_read():
    audit = TRIGGER.replace('"appraisal"', '"audit"').replace("民主测评满意率", "审计评价得分")
    assert [t.channel for t in parse_policy(SHOU + TRIGGER + audit).rules.triggers] == ["appraisal", "audit"]


@pytest.mark.parametrize("below", ['"60"', "true"])
def test_a_threshold_is_a_number(below):
    assert _refusal(SHOU + TRIGGER.replace("below = 60", f"below = {below}")) == [
        "triggers.0.below: 应为数字，如 60 或 59.5"]


def test_a_trigger_lacking_keys_names_them():
    assert _refusal(SHOU + '\n[[triggers]]\nchannel = "appraisal"\nsurprise = 1\n') == [
        "triggers.0.label: 缺少此项", "triggers.0.indicator: 缺少此项", "triggers.0.below: 缺少此项",
        "triggers.0.article: 缺少此项", "triggers.0.surprise: 不认识此项（拼写错误？）"]


def test_a_format_1_text_still_reads_without_triggers():
    text = Path(__file__).resolve().parents[1] / "policy" / "data" / "shou_2010_1.toml"
    assert parse_policy(text.read_text(encoding="utf-8")).rules.triggers == []


# --- registering a clue -------------------------------------------------------------------------


def test_an_indicator_below_the_threshold_is_accepted_and_stored(triggered, register):
    clue = _appraisal(register, indicator_value=Decimal("59.9"))
    clue.refresh_from_db()
    assert clue.indicator_value == Decimal("59.9")
    assert clue.channel == "appraisal" and clue.status == Clue.Status.REGISTERED
    event = Event.objects.get(action="clues.clue.registered")
    assert event.data["indicator_value"] == "59.9"
    assert clue.policy_version.text == SHOU + TRIGGER


def test_at_the_threshold_is_refused(triggered, register):
    with pytest.raises(ValidationError) as info:
        _appraisal(register, indicator_value=Decimal("60"))
    assert _errors(info) == {"indicator_value": ["民主测评满意率为60%，不低于60%，不构成预警线索（第四条）"]}
    with pytest.raises(ValidationError) as info:
        _appraisal(register, indicator_value=Decimal("60.00"))
    assert _errors(info) == {"indicator_value": ["民主测评满意率为60%，不低于60%，不构成预警线索（第四条）"]}
    with pytest.raises(ValidationError) as info:
        _appraisal(register, indicator_value=Decimal("75.5"))
    assert _errors(info) == {"indicator_value": ["民主测评满意率为75.5%，不低于60%，不构成预警线索（第四条）"]}
    assert Clue.objects.count() == 0 and not Event.objects.filter(action="clues.clue.registered").exists()


def test_a_missing_indicator_is_refused(triggered, register):
    with pytest.raises(ValidationError) as info:
        _appraisal(register)
    assert _errors(info) == {"indicator_value": ["须填写民主测评满意率（第四条）"]}
    assert Clue.objects.count() == 0


def test_an_absurd_indicator_is_refused(triggered, register):
    for value in ("59.12345", "-1E+10"):
        with pytest.raises(ValidationError) as info:
            _appraisal(register, indicator_value=Decimal(value))
        assert _errors(info) == {"indicator_value": ["民主测评满意率应为不超过10位整数、最多4位小数的数字"]}
    assert _appraisal(register, indicator_value=Decimal("59.1234")).indicator_value == Decimal("59.1234")


def test_other_channels_are_unchanged_and_carry_no_indicator(triggered, register):
    clue = register(username="qs_jiwei", cadre="MH0007")
    assert clue.channel == "petition" and clue.indicator_value is None
    with pytest.raises(ValidationError) as info:
        register(username="qs_jiwei", cadre="MH0007", indicator_value=Decimal("10"))
    assert _errors(info) == {"indicator_value": [
        "来源渠道为“群众信访举报”的线索不填写指标值（本策略未对该渠道规定预警线）"]}


def test_shou_registers_appraisal_clues_as_before(register):
    assert get_policy().rules.triggers == []
    clue = _appraisal(register)
    assert clue.indicator_value is None
    assert "indicator_value" not in Event.objects.get(action="clues.clue.registered").data
    with pytest.raises(ValidationError) as info:
        _appraisal(register, indicator_value=Decimal("59"))
    assert _errors(info) == {"indicator_value": [
        "来源渠道为“责任制考核、民主评议和民意调查中发现”的线索不填写指标值（本策略未对该渠道规定预警线）"]}


# --- pages --------------------------------------------------------------------------------------


def _form(**kw):
    data = {"received_on": timezone.localdate().isoformat(), "channel": "appraisal",
            "summary": "年度民主测评满意率偏低", "detail": "2026年度民主测评满意率低于规定。", "anonymous": "on"}
    data.update(kw)
    return data


def test_the_form_shows_the_indicator_for_its_channel(triggered, login):
    page = login("qs_jiwei").get("/clues/new/").content.decode()
    assert 'name="indicator_value_appraisal"' in page and 'data-trigger-channel="appraisal"' in page
    assert ">民主测评满意率（%）</label>" in page
    assert ("来源渠道为“责任制考核、民主评议和民意调查中发现”时填写：年度考核、民主测评结果中民主测评满意率低于60%的，"
            "作为预警线索（第四条）") in page
    assert "yujing/trigger.js" in page
    # the field comes right after the channel
    assert page.index('name="channel"') < page.index('name="indicator_value_appraisal"') < page.index('name="summary"')


def test_the_page_registers_and_shows_the_indicator(triggered, login, cadres):
    client = login("qs_jiwei")
    response = client.post("/clues/new/", _form(cadre_ids=[cadres["MH0007"].pk], indicator_value_appraisal="58.5"))
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert clue.indicator_value == Decimal("58.5")
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    assert ('<dt class="col-sm-3">民主测评满意率</dt><dd class="col-sm-9">58.5%（低于60%，构成预警线索） '
            '<span class="article">第四条</span></dd>') in page


def test_the_page_refuses_at_the_threshold_on_the_field(triggered, login, cadres):
    response = login("qs_jiwei").post("/clues/new/", _form(cadre_ids=[cadres["MH0007"].pk],
                                                           indicator_value_appraisal="60"))
    assert response.status_code == 400
    page = response.content.decode()
    assert ('<div class="invalid-feedback d-block" role="alert">民主测评满意率为60%，不低于60%，不构成预警线索（第四条）</div>'
            in page)
    missing = login("qs_jiwei").post("/clues/new/", _form(cadre_ids=[cadres["MH0007"].pk]))
    assert missing.status_code == 400 and "须填写民主测评满意率（第四条）" in missing.content.decode()
    assert Clue.objects.count() == 0


def test_the_page_ignores_an_indicator_left_under_another_channel(triggered, login, cadres):
    response = login("qs_jiwei").post("/clues/new/", _form(channel="petition", cadre_ids=[cadres["MH0007"].pk],
                                                           indicator_value_appraisal="50"))
    assert response.status_code == 302
    assert Clue.objects.get().indicator_value is None


def test_screening_proposes_the_measure_the_trigger_names(triggered, login, register, cadres):
    clue = _appraisal(register, indicator_value=Decimal("59"))
    page = login("qs_jiwei").get(f"/clues/{clue.pk}/").content.decode()
    select = page[page.index(f'name="measure_{cadres["MH0007"].pk}"'):]
    select = select[:select.index("</select>")]
    assert '<option value="inquiry" selected>' in select
    petition = register(username="qs_jiwei", cadre="MH0007")
    other = login("qs_jiwei").get(f"/clues/{petition.pk}/").content.decode()
    select = other[other.index(f'name="measure_{cadres["MH0007"].pk}"'):]
    assert "selected" not in select[:select.index("</select>")].replace('<option value="" selected>', "")


def test_a_clue_keeps_the_threshold_it_was_registered_against(triggered, login, register):
    clue = _appraisal(register, indicator_value=Decimal("59"))
    _use(None)  # back to Shou, which has no triggers
    page = login("qs_jiwei").get(f"/clues/{clue.pk}/").content.decode()
    assert '<dt class="col-sm-3">民主测评满意率</dt><dd class="col-sm-9">59%（低于60%，构成预警线索）' in page


def test_shou_form_has_no_indicator(login):
    page = login("qs_jiwei").get("/clues/new/").content.decode()
    assert "indicator_value" not in page and "trigger.js" not in page and "民主测评满意率" not in page


# --- API ----------------------------------------------------------------------------------------


def test_the_api_registers_and_returns_the_indicator(triggered, client, bearer, cadres):
    headers = bearer("qs_jiwei")
    response = client.post("/api/clues", clue_payload(cadres["MH0007"], channel="appraisal", indicator_value=59.5),
                           content_type="application/json", headers=headers)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["indicator_value"] == 59.5
    assert body["indicator"] == "民主测评满意率 59.5%（低于60%，第四条）"
    assert client.get("/api/clues", headers=headers).json()["items"][0]["indicator_value"] == 59.5
    petition = client.post("/api/clues", clue_payload(cadres["MH0007"]), content_type="application/json",
                           headers=headers).json()
    assert petition["indicator_value"] is None and petition["indicator"] == ""


def test_the_api_refuses_at_the_threshold_and_without_a_value(triggered, client, bearer, cadres):
    headers = bearer("qs_jiwei")
    at = client.post("/api/clues", clue_payload(cadres["MH0007"], channel="appraisal", indicator_value=60),
                     content_type="application/json", headers=headers)
    assert at.status_code == 422
    assert {"loc": ["indicator_value"], "message": "民主测评满意率为60%，不低于60%，不构成预警线索（第四条）"} in at.json()["errors"]
    missing = client.post("/api/clues", clue_payload(cadres["MH0007"], channel="appraisal"),
                          content_type="application/json", headers=headers)
    assert missing.status_code == 422
    assert {"loc": ["indicator_value"], "message": "须填写民主测评满意率（第四条）"} in missing.json()["errors"]
    assert Clue.objects.count() == 0


def test_the_api_describes_the_indicator_in_chinese(db):
    from yujing.api.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["ClueIn"]["properties"]["indicator_value"]["description"].startswith("指标值：策略对来源渠道规定了预警线")
    assert schemas["ClueDetailOut"]["properties"]["indicator"]["description"].startswith("指标及预警线")
