"""The last Shou words out of code (issue 17, words2): the locality before the office and the commission's
supervising leaders in the oversight refusals ([bodies] locality, supervisors), what each kind of unit is
called ([unit_kinds]), and the models' neutral help texts and choice labels. Under Shou every message and page
reads as before, character for character; under national.toml (a city: 市预警办, 市纪委领导, 市委) the city's."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yujing.policy import words
from yujing.policy.schema import DEFAULT_POLICY, PolicyError, parse_policy

SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")
NATIONAL = DEFAULT_POLICY.parent / "national.toml"
FORMAT_1 = (Path(__file__).parent / "data" / "shou_2010_1.toml").read_text(encoding="utf-8")


def _refusal(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text)
    lines = str(info.value).splitlines()
    assert len(lines) == 2, lines
    return lines[1].strip()


def _without_words(text: str) -> str:
    start = text.index("[roles]\n")
    return text[:start] + text[text.index("[measures.", start):]


# --- the words ---------------------------------------------------------------------------------------------

SHOU_KINDS = {"region": "上级地区", "county": "县(区)", "county_committee": "县委", "discipline_commission": "县纪委监委",
              "warning_office": "县预警办", "township": "乡镇", "county_unit": "县直单位", "organization_dept": "组织部门",
              "personnel_dept": "人事部门", "enforcement": "执纪执法机关", "subunit": "内设或下属机构"}


def test_shou_states_its_locality_supervisors_and_unit_kinds():
    """Shou's unit kinds read as the Unit.Kind labels did before they were made neutral."""
    from yujing.orgs.models import Unit

    w = words.Words(parse_policy(SHOU))
    assert (w.body("locality"), w.body("supervisors"), w.local("office")) == ("县", "县纪委领导", "县预警办")
    assert {kind: w.unit_kind(kind) for kind in Unit.Kind.values} == SHOU_KINDS
    assert w.unit_kind("village") == "village"  # a kind no longer known: as stored


def test_a_format_1_text_gets_them_from_legacy_v1():
    from yujing.orgs.models import Unit

    w = words.Words(parse_policy(FORMAT_1))
    assert (w.body("locality"), w.body("supervisors"), w.local("office")) == ("县", "县纪委领导", "县预警办")
    assert {kind: w.unit_kind(kind) for kind in Unit.Kind.values} == SHOU_KINDS


def test_without_the_words_they_are_neutral():
    from yujing.orgs.models import Unit

    w = words.Words(parse_policy(_without_words(SHOU)))
    assert w.policy.rules.unit_kinds == {}
    assert (w.body("locality"), w.body("supervisors"), w.local("office")) == ("", "纪委领导", "预警工作机构")
    assert {kind: w.unit_kind(kind) for kind in Unit.Kind.values} == {
        **SHOU_KINDS, "county_committee": "本级党委", "discipline_commission": "本级纪委监委",
        "warning_office": "预警工作机构", "county_unit": "本级直属单位"}


def test_the_warning_office_kind_follows_the_office_unless_stated():
    renamed = SHOU.replace('\noffice = "预警办"\n', '\noffice = "预警工作办公室"\n', 1)
    assert words.unit_kind(parse_policy(renamed), "warning_office") == "县预警工作办公室"
    stated = SHOU.replace("[unit_kinds]\n", '[unit_kinds]\nwarning_office = "廉政预警中心"\n', 1)
    assert words.unit_kind(parse_policy(stated), "warning_office") == "廉政预警中心"
    assert words.local(parse_policy(stated), "office") == "县预警办"  # the refusals keep the office


def test_national_names_its_own():
    w = words.Words(parse_policy(NATIONAL.read_text(encoding="utf-8")))
    assert (w.local("office"), w.body("supervisors")) == ("市预警办", "市纪委领导")
    assert [w.unit_kind(k) for k in ("warning_office", "county_committee", "discipline_commission", "county_unit",
                                     "township")] == ["市预警办", "市委", "市纪委监委", "市直单位", "乡镇"]


def test_an_unknown_unit_kind_is_refused_with_its_dotted_key():
    line = _refusal(SHOU.replace("[unit_kinds]\n", '[unit_kinds]\nvillage = "村"\n', 1))
    assert line.startswith("unit_kinds.village: 未知的单位类别；可用：region（上级地区）、county（县(区)）、"
                           "county_committee（本级党委）、")
    assert line.endswith("subunit（内设或下属机构）")


def test_an_empty_word_is_refused():
    assert _refusal(SHOU.replace('\nlocality = "县"\n', '\nlocality = ""\n', 1)).startswith("bodies.locality: ")
    assert _refusal(SHOU.replace('\ncounty_unit = "县直单位"\n', '\ncounty_unit = ""\n', 1)).startswith(
        "unit_kinds.county_unit: ")


# --- the models: neutral metadata -------------------------------------------------------------------------


def test_the_models_help_texts_and_labels_are_neutral():
    from yujing.cadres.models import Cadre
    from yujing.cases.models import ChiefReport, Ending, Talk, Verification
    from yujing.clues.models import Clue
    from yujing.orgs.models import Unit

    def field(model, name):
        return model._meta.get_field(name)

    assert field(Verification, "meets_filing").help_text == "已构成立案条件的应当立案查处，不能以预警代替"
    assert ChiefReport.Kind.labels == ["实施前报告", "结果汇报"]
    assert (field(Talk, "chief_reason").verbose_name, field(Talk, "chief_reason").help_text) == (
        "请有关领导主谈的理由", "主谈人为请来主谈的有关领导时必填")
    assert field(Clue, "verifiable").help_text == "具有可查性的线索，须经了解、初核或调查后方可实施预警"
    assert field(Cadre, "is_principal").help_text == "单位主要负责人：决定由谁主谈、能否委托所在单位实施"
    assert field(Unit, "is_joint_member").help_text == "参加预警工作联席会议的成员单位"
    assert (Unit.Kind.WARNING_OFFICE.label, Unit.Kind.COUNTY_COMMITTEE.label) == ("预警工作办公室", "本级党委")
    assert Ending.Kind.values == ["lifted", "organisational", "case_filing"]


# --- the oversight refusals ---------------------------------------------------------------------------------


def _refusals(users, demo):
    """The message of each oversight refusal, for a township's discipline body (who may do none of them)."""
    from yujing.oversight import meetings, reports
    from yujing.oversight.assessment import score
    from yujing.oversight.services import annotate_lapse

    by = users["qs_jiwei"]
    report = reports.submit(unit=demo["MH-QS"], year=2026, quarter=3, remarks="", by=by, today=date(2026, 10, 12))
    calls = {
        "lapse": lambda: annotate_lapse(key="unscreened:clue:1", status="explained", note="说明", by=by,
                                        today=date(2026, 10, 20)),
        "score": lambda: score(unit=demo["MH-QS"], year=2026, scores={}, by=by, today=date(2026, 12, 31)),
        "meeting": lambda: meetings.record_meeting(by=by, today=date(2026, 10, 20), held_on=date(2026, 10, 20),
                                                   place="会议室", topic="议题", minutes="纪要", attendees=[]),
        "circulate": lambda: meetings.circulate(by=by, year=2026, quarter=3, today=date(2026, 10, 20)),
        "send_back": lambda: reports.send_back(report=report, reason="补报", by=by),
    }
    out = {}
    for name, call in calls.items():
        with pytest.raises(PermissionDenied) as info:
            call()
        out[name] = str(info.value)
    return out


@pytest.mark.django_db
def test_oversight_refusals_under_shou(users, demo, login):
    assert _refusals(users, demo) == {
        "lapse": "只有县预警办和县纪委领导可以处理责任追究情形",
        "score": "只有县预警办和县纪委领导可以考核",
        "meeting": "只有县预警办可以记录联席会议",
        "circulate": "只有县预警办可以通报",
        "send_back": "只有县预警办可以退回季度报表",
    }
    page = login("shuji").post("/oversight/meetings/", {"topic": "议题"})
    assert page.status_code == 403 and "<p>只有县预警办可以记录联席会议</p>" in page.content.decode()


@pytest.mark.django_db
def test_oversight_refusals_under_national(users, demo, login, use_policy):
    use_policy(NATIONAL)
    assert _refusals(users, demo) == {
        "lapse": "只有市预警办和市纪委领导可以处理责任追究情形",
        "score": "只有市预警办和市纪委领导可以考核",
        "meeting": "只有市预警办可以记录联席会议",
        "circulate": "只有市预警办可以通报",
        "send_back": "只有市预警办可以退回季度报表",
    }
    page = login("shuji").post("/oversight/meetings/", {"topic": "议题"})
    assert page.status_code == 403 and "<p>只有市预警办可以记录联席会议</p>" in page.content.decode()


@pytest.mark.django_db
def test_oversight_refusals_without_the_words(users, demo, use_policy):
    use_policy(_without_words(SHOU))
    refusals = _refusals(users, demo)
    assert (refusals["lapse"], refusals["meeting"]) == ("只有预警工作机构和纪委领导可以处理责任追究情形",
                                                        "只有预警工作机构可以记录联席会议")


# --- unit pages, the API and the policy page -----------------------------------------------------------------


@pytest.mark.django_db
def test_unit_kinds_on_pages_and_in_the_api_under_shou(demo, login):
    office = login("yjb")
    units = office.get("/units/").content.decode()
    assert "<td>县预警办</td>" in units and "<td>县委</td>" in units and "<td>县纪委监委</td>" in units
    assert "<td>县直单位</td>" in units and "预警工作办公室" not in units and "本级" not in units
    detail = office.get(f"/units/{demo['MH-JW-YJB'].pk}/").content.decode()
    assert '<dt class="col-sm-2">类别</dt><dd class="col-sm-10">县预警办</dd>' in detail
    body = office.get(f"/api/units/{demo['MH-JW-YJB'].pk}").json()
    assert (body["kind"], body["kind_label"]) == ("warning_office", "县预警办")
    assert office.get(f"/api/units/{demo['MH-XW'].pk}").json()["kind_label"] == "县委"


@pytest.mark.django_db
def test_unit_kinds_on_pages_and_in_the_api_under_national(demo, login, use_policy):
    use_policy(NATIONAL)
    office = login("yjb")
    units = office.get("/units/").content.decode()
    assert "<td>市预警办</td>" in units and "<td>市委</td>" in units and "<td>市直单位</td>" in units
    assert "县预警办" not in units and "<td>县委</td>" not in units
    body = office.get(f"/api/units/{demo['MH-JW-YJB'].pk}").json()
    assert (body["kind"], body["kind_label"]) == ("warning_office", "市预警办")


@pytest.mark.django_db
def test_the_policy_page_names_the_managing_unit_kind(login, use_policy):
    use_policy(NATIONAL)
    page = login("yjb").get("/policy/").content.decode()
    assert "市委管理的干部由市委组织部审批" in page


@pytest.mark.django_db
def test_the_return_description_in_the_api(use_policy):
    from yujing.api.api import api

    use_policy(NATIONAL)
    assert "市预警办说明理由后退回，单位更正后重新报送。" in str(api.get_openapi_schema())


# --- the case page's reports to the chief -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_page_names_its_reports_by_the_cases_policy(approved, users, login):
    from tests.dates import D
    from yujing.cases import services as cs

    case = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    cs.report_to_chief(case=case, by=users["yjb"], today=D("2026-09-05"), reported_on=D("2026-09-05"), note="已报告")
    page = login("xianwei").get(f"/cases/{case.pk}/").content.decode()  # the chief the report went to
    assert '<li class="list-group-item" data-report-kind="implementation"><strong>实施前报告（第十七条）</strong>' in page


# --- 本县 / 全县 / 所在县 / 请县领导主谈: the locality's word, or a neutral one -------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    (SHOU, ("本县", "全县", "县", "县领导")),
    (NATIONAL.read_text(encoding="utf-8"), ("本市", "全市", "市", "市领导")),
    (_without_words(SHOU), ("本地", "全辖区", "地区", "有关领导")),
])
def test_this_locality_in_messages(text, expected):
    w = words.Words(parse_policy(text))
    assert (w.here(), w.whole(), w.locality_or("地区"), w.local_leaders) == expected


@pytest.mark.django_db
def test_the_roster_refusal_names_the_locality(users, cadres, use_policy, login):
    """Shou's 本县干部名册中没有 (tests/orgs/test_recusal.py) is 本市 under a city's rule, in the message and the
    form's help text alike."""
    from yujing.orgs import services

    use_policy(NATIONAL)
    with pytest.raises(ValidationError) as info:
        services.declare_relation(user=users["qs_jiwei"], cadre_ref="MH9999", kind="kin")
    assert info.value.message_dict["cadre"] == ["本市干部名册中没有“MH9999”"]
    page = login("qs_jiwei").get("/accounts/relations/")
    assert page.context["form"].fields["cadre"].help_text == "本市干部名册中的人员；重名时请填写干部编号"


@pytest.mark.django_db
def test_the_meeting_refusal_names_the_locality(users, demo, use_policy):
    from yujing.orgs.models import Unit
    from yujing.oversight import meetings

    use_policy(NATIONAL)
    outsider = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).first()
    with pytest.raises(ValidationError) as info:
        meetings.record_meeting(by=users["yjb"], today=date(2026, 6, 2), held_on=date(2026, 6, 1), place="会议室",
                                topic="议题", minutes="纪要", attendees=[outsider])
    assert info.value.message_dict["attendees"] == ["出席单位须是本市联席会议成员单位"]
