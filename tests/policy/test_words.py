"""[roles], [bodies], [citations] and [chief]: the words a policy gives its county (policy/words.py)."""

from pathlib import Path

import pytest

from yujing.orgs.roles import Role
from yujing.policy import words
from yujing.policy.schema import DEFAULT_POLICY, PolicyError, load_policy, parse_policy

SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")
FORMAT_1 = (Path(__file__).parent / "data" / "shou_2010_1.toml").read_text(encoding="utf-8")

# what Shou calls each role: exactly the Role labels before issue 17, which every page and message showed
SHOU_TITLES = {
    "warning_office": "预警办工作人员",
    "secretary": "县纪委书记",
    "deputy_secretary": "县纪委分管副书记",
    "standing_committee": "县纪委常委",
    "party_chief": "县委主要领导",
    "party_committee": "单位党委(党组)负责人",
    "discipline_body": "单位纪委(纪检组)",
    "liaison": "联席会议联络员",
    "organization_dept": "组织部门",
    "personnel_dept": "人事部门",
    "auditor": "审计员",
    "admin": "系统管理员",
    # roles added since, which Shou does not name (the organisation department's leaders): their neutral label
    "dept_deputy": "组织部门分管领导",
    "dept_head": "组织部门主要领导",
}
SHOU_BODIES = {
    "office": "预警办",
    "unit_office": "单位纪委(纪检组)",
    "committee": "县纪委常委会",
    "county_leaders": "县委、县政府有关领导",
    "chief": "县委主要领导",
    "unit_chief": "党委(党组)主要领导",
    "commission_leaders": "纪检监察机关领导",
    "locality": "县",  # words2: the oversight refusals (只有县预警办和县纪委领导可以…)
    "supervisors": "县纪委领导",
    "regulation": "《领导干部廉洁自律预警机制实施办法》",
}
SHOU_CITATIONS = {
    "case_clue": "第十四条", "screening": "第十四条", "proposal": "第十五条", "verifiable_clue": "第三十三条(三)",
    "filing": "第二十九条", "warning_instead": "第三十三条(五)", "delegation": "第二十条",
    "deliveries": "第二十二至二十四条", "notices": "第三十一条", "integrity_file": "第三十一条", "ledger": "第二十六条",
    "documents": "第二十一条", "channels": "第十条", "transfer": "第十三条", "feedback": "第十四条",
    "joint_meeting": "第五条", "liaisons": "第六条", "lapses": "第三十三条", "scope": "第三十四条",
    "revisit_means": "第三十条", "statistics": "第四条",
    "confidentiality": "第三十三条(六)",  # words-rest: clues, audit
    "chief_report": "第十七条", "receipt": "第二十八至三十条", "response": "第二十七至三十条",  # words-cases
    "ending": "第二十八至三十一条", "deadline_passed": "第三十一条",
}


def _without_words(text: str) -> str:
    """``text`` with its [roles], [bodies], [chief] and [citations] tables cut out (they sit together,
    after [register])."""
    start = text.index("[roles]\n")
    end = text.index("[measures.", start)
    return text[:start] + text[end:]


def _refusal(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text)
    lines = str(info.value).splitlines()
    assert len(lines) == 2, lines  # the file named, then one line
    return lines[1].strip()


def test_shou_states_todays_titles_bodies_and_citations():
    policy = load_policy()
    w = words.Words(policy)
    assert {role: w.role(role) for role in Role.values} == SHOU_TITLES
    assert dict(w.titles) == SHOU_TITLES
    assert {key: w.body(key) for key in SHOU_BODIES} == SHOU_BODIES
    assert dict(w.bodies) == SHOU_BODIES
    assert dict(w.citations) == SHOU_CITATIONS
    assert (policy.rules.chief.county, policy.rules.chief.unit) == ("party_chief", "party_committee")
    assert w.cited("case_clue") == "（第十四条）"
    assert w.roles(["secretary", "standing_committee"]) == "县纪委书记、县纪委常委"


def test_a_format_1_text_gets_shous_words_from_legacy_v1():
    """The 2010.1 text older cases keep was written when the words were in code, and they were Shou's."""
    assert "[roles]" not in FORMAT_1 and "[citations]" not in FORMAT_1
    old = parse_policy(FORMAT_1)
    assert {role: words.role_title(old, role) for role in Role.values} == SHOU_TITLES
    assert {key: words.body(old, key) for key in SHOU_BODIES} == SHOU_BODIES
    assert {key: words.cite(old, key) for key in SHOU_CITATIONS} == SHOU_CITATIONS
    assert (old.rules.chief.county, old.rules.chief.unit) == ("party_chief", "party_committee")


def test_a_format_1_text_keeps_its_own_words_over_legacy_v1():
    old = parse_policy(FORMAT_1 + '\n[roles]\nsecretary = "区纪委书记"\n')
    assert words.role_title(old, "secretary") == "区纪委书记"
    assert words.role_title(old, "deputy_secretary") == "县纪委分管副书记"  # the rest still from legacy_v1


def test_without_the_tables_the_words_are_neutral():
    policy = parse_policy(_without_words(SHOU))
    assert policy.rules.roles == policy.rules.bodies == policy.rules.citations == {}
    assert {role: words.role_title(policy, role) for role in Role.values} == {
        "warning_office": "工作人员",
        "secretary": "纪委书记",
        "deputy_secretary": "纪委分管副书记",
        "standing_committee": "纪委常委",
        "party_chief": "主要领导",
        "party_committee": "单位党委(党组)负责人",
        "discipline_body": "单位纪委",
        "liaison": "联席会议联络员",
        "organization_dept": "组织部门",
        "dept_deputy": "组织部门分管领导",
        "dept_head": "组织部门主要领导",
        "personnel_dept": "人事部门",
        "auditor": "审计员",
        "admin": "系统管理员",
    }
    assert {key: words.body(policy, key) for key in SHOU_BODIES} == {
        "office": "预警工作机构",
        "unit_office": "单位纪检机构",
        "committee": "常委会",
        "county_leaders": "有关领导",
        "chief": "主要领导",  # the title of the [chief] county role
        "unit_chief": "单位党委(党组)负责人",  # the title of the [chief] unit role
        "commission_leaders": "纪检监察机关领导",
        "locality": "",
        "supervisors": "纪委领导",
        "regulation": "《领导干部廉洁自律预警机制实施办法》",  # 《policy.name》
    }
    # no citation stated: none shown
    assert {key: words.cite(policy, key) for key in SHOU_CITATIONS} == dict.fromkeys(SHOU_CITATIONS, "")
    assert words.cited(policy, "case_clue") == ""
    assert (policy.rules.chief.county, policy.rules.chief.unit) == ("party_chief", "party_committee")
    # none of Shou's words is a default
    shown = {*(words.role_title(policy, r) for r in Role.values), *(words.body(policy, k) for k in SHOU_BODIES)}
    for shou_word in ("县纪委书记", "县委主要领导", "预警办", "县纪委常委会", "县委、县政府有关领导", "县", "县纪委领导"):
        assert shou_word not in shown


def test_the_chief_bodies_follow_the_chief_roles_and_titles():
    text = _without_words(SHOU).replace(
        "[measures.inquiry]", '[roles]\nsecretary = "局纪检组组长"\n\n[chief]\ncounty = "secretary"\n'
        'unit = "discipline_body"\n\n[measures.inquiry]', 1)
    policy = parse_policy(text)
    assert words.body(policy, "chief") == "局纪检组组长"
    assert words.body(policy, "unit_chief") == "单位纪委"


def test_unknown_role_code_is_refused_with_its_dotted_key():
    line = _refusal(SHOU.replace('[roles]\n', '[roles]\nboss = "局长"\n', 1))
    assert line.startswith("roles.boss: 未知的角色代码；可用：warning_office（工作人员）、secretary（纪委书记）、")
    assert line.endswith("auditor（审计员）、admin（系统管理员）")


def test_several_unknown_keys_are_named_in_one_line():
    line = _refusal(SHOU.replace('[roles]\n', '[roles]\nboss = "局长"\nclerk = "文书"\n', 1))
    assert line.startswith("roles.boss: 未知的角色代码（roles.clerk 也是）；可用：")


def test_unknown_body_key_is_refused_with_its_dotted_key():
    line = _refusal(SHOU.replace('[bodies]\n', '[bodies]\nbureau = "局办公室"\n', 1))
    assert line.startswith("bodies.bureau: 未知的机构称谓；可用：office（承办机构（县一级））、unit_office（承办机构（单位一级））、")
    assert line.endswith("regulation（所依据的办法）")


def test_unknown_citation_key_is_refused_with_its_dotted_key():
    line = _refusal(SHOU.replace('[citations]\n', '[citations]\nappeal = "第四十条"\n', 1))
    assert line.startswith("citations.appeal: 未知的引用条款；可用：case_clue（属于案件线索的不能实施预警）、")
    assert "、statistics（统计报表）" in line  # keys added after it (words-rest: confidentiality) follow it


def test_unknown_chief_role_and_empty_words_are_refused():
    assert _refusal(SHOU.replace('county = "party_chief"', 'county = "mayor"', 1)) == (
        "chief.county: 未知角色 mayor；可用角色：admin, auditor, dept_deputy, dept_head, deputy_secretary, discipline_body, liaison, "
        "organization_dept, party_chief, party_committee, personnel_dept, secretary, standing_committee, warning_office")
    assert _refusal(SHOU.replace('[chief]\n', '[chief]\nprovince = "x"\n', 1)) == "chief.province: 不认识此项（拼写错误？）"
    assert _refusal(SHOU.replace('secretary = "县纪委书记"', 'secretary = ""', 1)) == "roles.secretary: 不能为空"
    assert _refusal(SHOU.replace('office = "预警办"', 'office = 3', 1)) == "bodies.office: 应为字符串"


def test_code_asking_for_an_unknown_key_is_a_programming_error():
    policy = load_policy()
    with pytest.raises(KeyError, match=r"citations\.appeal"):
        words.cite(policy, "appeal")
    with pytest.raises(KeyError, match=r"bodies\.bureau"):
        words.body(policy, "bureau")
    assert words.role_title(policy, "retired_role") == "retired_role"  # a stored code no longer known


def test_in_force_and_of_case_read_the_right_text(settings, tmp_path, open_case):
    from yujing.policy.loader import reset_policy_cache

    old_case = open_case("inquiry", "MH0003", on="2026-06-01")
    custom = tmp_path / "city.toml"
    custom.write_text(SHOU.replace('secretary = "县纪委书记"', 'secretary = "市纪委书记"', 1), encoding="utf-8")
    settings.YUJING_POLICY = str(custom)
    reset_policy_cache()
    try:
        new_case = open_case("inquiry", "MH0004", on="2026-06-01")
        assert words.in_force().role("secretary") == "市纪委书记"
        assert words.of_case(new_case).role("secretary") == "市纪委书记"
        assert words.of_case(old_case).role("secretary") == "县纪委书记"  # the case keeps its version's words
    finally:
        reset_policy_cache()
