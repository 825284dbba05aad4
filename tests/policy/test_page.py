"""The policy page shows the whole policy in Chinese, grouped by measure, with its articles (issue 17),
under Shou and under rule sets of other shapes."""

import re

from tests.cases.conftest import SHOU, with_measure


def _cells(page: str, title: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row">{re.escape(title)}</th>(.*?)</tr>', page, re.S)
    assert row, title
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_shou_page_groups_every_rule_by_measure(login):
    page = login("yjb").get("/policy/").content.decode()
    assert "预警措施（由轻到重）" in page and "三项" not in page
    assert _cells(page, "代码") == ["inquiry", "admonition", "correction"]
    assert _cells(page, "登记表与整改要求") == [
        "登记表记录本人的承诺情况，不需批准 第二十五条",
        "登记表写明整改要求，经县纪委书记或县纪委分管副书记批准后才发出通知书 第二十五条",
        "登记表写明整改要求，经县纪委书记或县纪委分管副书记批准后才发出通知书 第二十五条"]
    assert _cells(page, "谈话之后") == ["谈话后不再发函，答复期限自谈话之日起算 第二十八条",
                                      "谈话后发出通知书，答复或整改期限自送达之日起算",
                                      "谈话后发出通知书，答复或整改期限自送达之日起算"]
    assert _cells(page, "限制（不得评优、提拔等）") == [
        "否", "不得评选评优、暂缓提拔使用（送达之日起，至预警办结，第三十一条）",
        "不得评选评优、暂缓提拔使用（送达之日起，至预警办结，第三十一条）"]
    assert _cells(page, "升级处理")[2] == "转组织处理：整改期限届满、错误没有得到纠正；立案查处：经核查已构成立案条件 第三十一条"
    assert _cells(page, "逐级审批") == ["—", "—", "—"]
    assert "明纪预〔" in page  # the number example carries the demo county's own issuer code


def test_another_shape_shows_its_own_rules(login, use_policy):
    text = with_measure(SHOU, "admonition", approvers='["deputy_secretary"]', standing_committee='"never"',
                        then='[{ roles = ["secretary"], label = "主要领导审批" }]',
                        redo='{ period = "5d", article = "第九条" }',
                        limits='[{ key = "selfcheck", label = "提交自查报告", period = "5wd", from = "delivery", article = "第九条" }]')
    use_policy(text)
    page = login("yjb").get("/policy/").content.decode()
    assert _cells(page, "逐级审批")[1] == "逐级审批：县纪委分管副书记 → 主要领导审批：县纪委书记 第十七条"
    assert _cells(page, "退回重报")[1] == "说明不清的可退回，5日内重新说明，最多1次 第九条"
    assert _cells(page, "其他期限")[1] == "提交自查报告：送达之日起5个工作日内（第九条）"


def test_a_further_letter_is_shown_with_its_limit(login, use_policy):
    use_policy(with_measure(SHOU, "inquiry", again='{ max = 3, article = "第二十八条" }'))
    page = login("yjb").get("/policy/").content.decode()
    # no period of its own: the new letter is due within the implementation period (7 days)
    assert _cells(page, "再次函询") == [
        "收到答复后，可再次函询（决定之日起7日内发出新的函，送达后重新计算答复期限），共不超过3次发函 第二十八条", "—", "—"]
