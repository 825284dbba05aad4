"""What stands in the way of lifting cites the policy's own articles (issue 17): the register's
([register] article), the revisit's ([revisit] article) and the notices' ([citations] notices), not Shou's."""

from yujing.cases import services as cs

from .conftest import SHOU, D


def _renumbered(text: str) -> str:
    for section, old, new in (("[register]", "第二十五条", "第十二条"), ("[revisit]", "第三十条", "第十三条")):
        start = text.index(section)
        end = text.index("\n[", start)
        text = text[:start] + text[start:end].replace(f'article = "{old}"', f'article = "{new}"') + text[end:]
    return text.replace('notices = "第三十一条"', 'notices = "第十七条"')


def test_lift_blockers_cite_the_policy(use_policy, approved, users):
    use_policy(SHOU)
    shou = approved("correction", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    assert cs.lift_blockers(shou) == ["尚未填写预警工作登记表（第二十五条）", "尚未回访（第三十条）",
                                      "尚未书面通报组织部门、人事部门、所在单位党组织（第三十一条）"]
    use_policy(_renumbered(SHOU))
    other = approved("correction", "MH0002", on="2026-09-02", approve_on="2026-09-04")
    assert cs.lift_blockers(other) == ["尚未填写预警工作登记表（第十二条）", "尚未回访（第十三条）",
                                       "尚未书面通报组织部门、人事部门、所在单位党组织（第十七条）"]
    cs.write_register(case=other, by=users["yjb"], today=D("2026-09-05"), content="整改要求")
    other.refresh_from_db()
    assert cs.lift_blockers(other)[0] == "整改要求尚未经领导批准（第十二条）"
