"""One warning from the liaison's transfer form to the feedback, as the demo users do it in the browser.

县审计局's liaison (lianluo) transfers an audit finding about a deputy director of 县财政局 — a cadre the
county manages, so the clue goes to 县预警办 (yjb, 第十四条). The office screens it and proposes 警示诫勉
(第十五条); the secretary (shuji) cannot approve before the verification (第十六条), which the office then
records; the secretary approves (第十七条). The office plans the talk with the deputy secretary (fushuji)
as chief talker, notifies the cadre, records the talk and, later, the cadre's signature (第二十二条); fills
in the rectification requirements, which the deputy secretary approves (第二十五条); issues the
admonition notice and records its receipt (第二十九条); records the rectification report; the deputy
secretary lifts the warning (第三十条) and the liaison reads the feedback (第十四条).

Everything is done through the pages; the database is only read, at the end, to pin the exact outcome.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from yujing.cadres.models import Cadre
from yujing.cases.models import WarningCase
from yujing.clues.models import Clue
from yujing.core.dates import cn_date
from yujing.orgs.models import User as Account

from .conftest import TABLET, User, text

CADRE = "MH0039"  # 县财政局 副局长, managed by the county (no demo clue or case about them)



def status(user: User) -> str:
    """The status badge in the page heading."""
    return text(user.page.locator("h1 .badge").first)


def next_steps(user: User) -> list[str]:
    """The case page's 下一步 card, one line per step: "label 由who…"."""
    card = user.page.locator(".card", has=user.page.locator(".card-header", has_text="下一步"))
    if not card.count():
        return []
    return [text(item) for item in card.locator("li").all()]


def _timeline_card(user: User):
    page = user.page
    return page.locator(".card", has=page.locator(".card-header", has_text="办理经过（一案一例）"))


def timeline(user: User) -> list[str]:
    """The titles of the case file's 办理经过 in order."""
    return [text(title) for title in _timeline_card(user).locator("li strong").all()]


def timeline_detail(user: User, title: str, *, on: str, article: str) -> str:
    """The text under the one step with this title, after checking its date and article."""
    page = user.page
    entry = _timeline_card(user).locator("li", has=page.locator("strong", has_text=re.compile(f"^{re.escape(title)}$")))
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(on)
    expect(entry).to_contain_text(article)
    return text(entry.locator("div.small"))


def flash(user: User) -> str:
    return text(user.page.locator("main > [aria-live=polite] .alert").first)


def test_admonition_by_talk_from_transfer_to_feedback(browse):
    today = timezone.localdate()
    day = today.isoformat()
    ymd = f"{today.year}年{today.month}月{today.day}日"
    cadre = Cadre.objects.select_related("unit").get(code=CADRE)
    assert (cadre.unit.short_name, cadre.position, cadre.managed_by.code) == ("县财政局", "副局长", "MH-XW")
    assert Account.objects.get(username="lianluo").unit.code == "MH-SJ"  # 县审计局, a member unit (第十三条)

    # --- 1. the liaison of 县审计局 files the transfer form (第十三条) ------------------------------------
    liaison = browse("lianluo")
    liaison.click("移送线索")
    liaison.click("填报移送表")
    page = liaison.page
    expect(page.get_by_role("heading", level=1)).to_have_text("填报预警线索移送表")
    expect(page.get_by_label("移送日期")).to_have_value(day)
    page.get_by_label("涉及的干部（从名册中选择）").fill(cadre.name)
    found = page.locator("#cadre-results li", has_text=cadre.code)
    found.get_by_role("button", name="选择").click()
    chosen = page.get_by_role("list", name="已选择的干部")
    expect(chosen).to_contain_text(f"{cadre.name}（县财政局副局长）")
    liaison.settle()
    page.get_by_label("问题摘要").fill("审计发现以加班费名义发放津贴补贴")
    page.get_by_label("反映的主要问题").fill(
        "2025年度预算执行审计发现，该局以加班费名义向班子成员发放津贴补贴4.2万元。"
    )
    page.get_by_label("发现途径").fill("2025年度预算执行审计")
    page.get_by_label("违反中央八项规定精神").check()
    page.get_by_label("移送单位意见").fill("建议按规定予以预警。")
    page.get_by_label("联系人").fill("莫欣")
    page.get_by_label("联系电话").fill("0550-6612345")
    liaison.shot("transfer-form", docs=True)
    liaison.press("提交")
    clue = Clue.objects.get(transfer__from_unit__code="MH-SJ", summary="审计发现以加班费名义发放津贴补贴")
    assert flash(liaison) == f"移送表已提交，编号 {clue.number}，已送县预警办。"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"预警线索移送表 {clue.number}")
    details = page.locator("dl")
    expect(details).to_contain_text(f"{cadre.name}（明湖县财政局副局长）")
    expect(details.locator("dt", has_text="办理进度").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "已接收，正在筛选"
    )
    expect(page.locator("main")).to_contain_text("预警结束后，预警办将在此反馈办理情况。")

    # --- 2. 县预警办 screens it and proposes 警示诫勉 (第十四、十五条) ---------------------------------------
    office = browse("yjb")
    office.goto("/clues/")
    office.click(clue.number)
    page = office.page
    assert status(office) == "待筛选"
    expect(page.locator("dl").first).to_contain_text(f"{cadre.name}（县财政局副局长，县委管理）")
    expect(page.locator("dl").first).to_contain_text("联席会议成员单位及其他执纪执法机关移送 第十条，明湖县审计局")
    screen = page.locator("form", has=page.get_by_role("button", name="提交筛选意见"))
    screen.get_by_label("本级处理", exact=True).check()
    screen.get_by_label("具有可查性", exact=True).check()
    screen.get_by_label(f"{cadre.name}（副局长）").select_option(label="警示诫勉")
    screen.get_by_label("主要问题").fill("以加班费名义向班子成员违规发放津贴补贴4.2万元。")
    screen.get_by_label("筛选意见").fill("属县管干部，问题具体，具有可查性，建议警示诫勉，先行初核。")
    office.shot("screening", docs=True)
    office.press("提交筛选意见", within=screen)
    assert flash(office) == "筛选完成。"
    assert status(office) == "本级处理"
    case = WarningCase.objects.get(clues=clue)
    proposed = page.locator(".card", has=page.locator(".card-header", has_text="由本线索提出的预警"))
    expect(proposed.locator("li")).to_have_text(f"{case.number} · {cadre.name} · 警示诫勉 · 待审批")
    office.click(case.number)
    case_url = f"/cases/{case.pk}/"
    assert page.url.endswith(case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{cadre.name}：警示诫勉 {case.number} 待审批")
    assert next_steps(office) == [
        "了解、初核或调查 由预警办；审批前须核查（第十六条、第三十三条(三)）",
        "审批（待核查） 由县纪委书记、县纪委常委；待核查：警示诫勉对象须在了解、初核或调查后审定（第十六条）",
    ]
    assert timeline(office) == ["提出预警建议"]

    # --- 3. before the verification the secretary is offered no approval, only told it waits (第十六条) -----
    secretary = browse("shuji")
    secretary.goto(case_url)
    page = secretary.page
    assert status(secretary) == "待审批"
    expect(page.locator("details summary", has_text="审批同意")).to_have_count(0)
    assert "待核查：警示诫勉对象须在了解、初核或调查后审定（第十六条）" in next_steps(secretary)[1]
    secretary.shot("approve-waits-for-verification")

    # --- 4. the office records the preliminary verification (初核, 第十六条) -------------------------------
    office.goto(case_url)
    panel = office.action("记录了解、初核或调查")
    panel.get_by_label("方式").select_option(label="初核")
    expect(panel.get_by_label("完成日期")).to_have_value(day)
    panel.get_by_label("核查情况").fill("经调取凭证、询问财务人员，违规发放津贴补贴4.2万元属实。")
    panel.get_by_label("结论").select_option(label="属实")
    office.press("提交", within=panel)
    assert flash(office) == "已记录核查情况。"
    assert next_steps(office) == ["审批 由县纪委书记、县纪委常委"]
    assert timeline(office) == ["提出预警建议", "初核"]

    # --- 5. the secretary approves (第十七条) ------------------------------------------------------------
    secretary.goto(case_url)
    panel = secretary.action("审批同意")
    panel.get_by_label("意见或理由").fill("同意对其警示诫勉，由预警办组织实施。")
    secretary.press("批准", within=panel)
    assert flash(secretary) == "已批准。"
    assert status(secretary) == "已批准，待实施"
    due = WarningCase.objects.get(pk=case.pk).implementation_due
    due_text = f"{due.year}年{due.month}月{due.day}日"
    approved_steps = [
        f"谈话预警：制定谈话方案 由预警办；主谈人：县纪委书记、县纪委分管副书记、单位党委(党组)负责人，于 {due_text} 前",
        f"书面预警：发出预警文书 由预警办，于 {due_text} 前；批准之日起7日内组织实施（第十七条）",
    ]

    office.goto(case_url)
    page = office.page
    assert status(office) == "已批准，待实施"
    assert next_steps(office) == [f"书面预警：先填写预警工作登记表（整改要求） 由预警办，于 {due_text} 前", *approved_steps]
    assert timeline(office) == ["提出预警建议", "初核", "审批：批准"]
    assert timeline_detail(office, "审批：批准", on=day, article="第十七条") == (
        "县纪委书记，韩立新。同意对其警示诫勉，由预警办组织实施。"
    )
    office.shot("case-page", docs=True)

    tablet = browse("yjb", viewport=TABLET)
    tablet.goto(case_url)
    assert status(tablet) == "已批准，待实施"
    tablet.shot("case-tablet", docs=True)

    # --- 6. the talk: planned, noticed, held, its record signed (第二十二条) -------------------------------
    panel = office.action("制定谈话方案")
    panel.get_by_label("谈话提纲").fill(
        "一、指出违规发放津贴补贴的问题；二、听取本人说明；三、提出十日内整改并书面报告的要求。"
    )
    panel.get_by_label("主谈人").select_option(label="邵振东（县纪委副书记）")
    panel.get_by_label("其他谈话人").fill("方晓春")
    panel.get_by_label("谈话时间").fill(f"{day}T15:00")
    panel.get_by_label("谈话地点").fill("县纪委谈话室")
    office.press("提交", within=panel)
    assert flash(office) == "谈话方案已保存。"
    assert next_steps(office)[-2:] == [f"书面通知谈话对象 由预警办，于 {due_text} 前", approved_steps[1]]

    panel = office.action("书面通知谈话对象")
    expect(panel.get_by_label("通知送达日期")).to_have_value(day)
    office.press("提交", within=panel)
    assert flash(office) == "已记录谈话通知。"
    assert next_steps(office)[-2:] == [f"实施谈话并由对象核实签字 由邵振东，于 {due_text} 前", approved_steps[1]]
    assert timeline_detail(office, "书面通知谈话", on=day, article="第二十二条") == (
        f"{cn_date(today)}15时，县纪委谈话室；谈话人：邵振东、方晓春（主谈：邵振东）"
    )

    record = "对象承认以加班费名义发放津贴补贴，表示接受组织警示诫勉，十日内退还并书面报告整改情况。"
    panel = office.action("实施预警谈话")
    panel.get_by_label("谈话日期").fill(day)
    panel.get_by_label("谈话记录").fill(record)
    office.press("提交", within=panel)
    assert flash(office) == "已记录谈话。"
    assert status(office) == "已批准，待实施"  # not done until the cadre has checked and signed the record
    assert (
        timeline_detail(office, "实施预警谈话", on=day, article="第二十二条") == f"{record}谈话记录尚待对象核实签字。"
    )

    panel = office.action("实施预警谈话")
    panel.get_by_label("对象核实签字日期").fill(day)
    office.shot("talk-record", docs=True)
    office.press("提交", within=panel)
    assert flash(office) == "已记录谈话。"
    assert status(office) == "已实施"
    expect(page.locator("dl").first).to_contain_text("警示诫勉，谈话预警")
    assert timeline_detail(office, "实施预警谈话", on=day, article="第二十二条") == f"{record}{cn_date(today)}对象核实签字。"
    assert next_steps(office) == ["填写预警工作登记表（整改要求） 由预警办"]

    # --- 7. rectification requirements (第二十五条), the notice and its receipt (第二十九条) ---------------
    requirements = "十日内退还违规发放的津贴补贴，作出书面检查，并书面报告整改情况。"
    panel = office.action("填写预警工作登记表")
    panel.get_by_label("承诺情况或整改要求").fill(requirements)
    office.press("提交", within=panel)
    assert flash(office) == "预警工作登记表已保存。"
    assert next_steps(office) == ["批准整改要求 由县纪委书记、县纪委分管副书记"]

    deputy = browse("fushuji")
    deputy.goto(case_url)
    panel = deputy.action("批准整改要求")
    deputy.press("批准整改要求", within=panel)
    assert flash(deputy) == "整改要求已批准。"
    assert (
        timeline_detail(deputy, "预警工作登记表", on=day, article="第二十五条") == f"{requirements}邵振东于{cn_date(today)}批准。"
    )

    office.goto(case_url)
    assert next_steps(office) == ["发出警示诫勉通知书、纪律检查(行政监察)意见书 由预警办"]
    panel = office.action("发出预警文书")
    panel.get_by_label("文书").select_option(label="警示诫勉通知书")
    expect(panel.get_by_label("发出日期")).to_have_value(day)
    panel.get_by_label("告知的问题和要求").fill(
        "你以加班费名义违规发放津贴补贴，现予警示诫勉，请于十日内整改并书面报告。"
    )
    office.press("提交", within=panel)
    assert flash(office) == "已记录发出文书。"
    assert next_steps(office) == ["记录送达日期 由预警办；答复或整改期限自送达之日起算"]

    panel = office.action("记录送达")
    expect(panel.get_by_label("送达日期")).to_have_value(day)
    office.press("提交", within=panel)
    assert flash(office) == "已记录送达，期限开始计算。"
    assert status(office) == "待答复或整改"
    response_due = WarningCase.objects.get(pk=case.pk).response_due
    response_due_text = f"{response_due.year}年{response_due.month}月{response_due.day}日"
    assert next_steps(office) == [f"收到整改情况书面报告 由预警对象，于 {response_due_text} 前；10日内（第二十九条）"]
    expect(page.get_by_role("status")).to_have_text(
        f"⚠ 整改期限内，该干部不得评选评优、暂缓提拔使用（第三十一条）：整改期限至{response_due_text}，批准解除预警后解除"
    )

    # --- 8. the rectification report arrives (第二十九条) --------------------------------------------------
    panel = office.action("收到书面答复或整改报告")
    expect(panel.get_by_label("收到日期")).to_have_value(day)
    panel.get_by_label("主要内容").fill("已退还全部津贴补贴4.2万元，并在班子会上作出书面检查。")
    office.press("提交", within=panel)
    assert flash(office) == "已记录答复或整改报告。"
    assert status(office) == "已答复或报告整改"
    assert next_steps(office) == ["解除预警或升级处理 由县纪委书记、县纪委分管副书记"]

    # --- 9. the deputy secretary lifts the warning (第三十条) ----------------------------------------------
    deputy.goto(case_url)
    panel = deputy.action("解除预警")
    expect(panel.locator(".alert")).to_have_count(0)  # nothing stands in the way
    panel.get_by_label("解除预警意见").fill("已按要求整改到位，同意解除预警。")
    deputy.press("解除预警", within=panel)
    assert flash(deputy) == "已解除预警。"
    assert status(deputy) == "已解除预警"
    assert next_steps(deputy) == []
    assert deputy.page.locator("details > summary.card-header").count() == 0  # no forms on a closed case
    assert timeline(deputy) == [
        "提出预警建议",
        "初核",
        "审批：批准",
        "书面通知谈话",
        "实施预警谈话",
        "预警工作登记表",
        "发出警示诫勉通知书",
        "送达",
        "收到书面答复或整改报告",
        "解除预警",
    ]
    expect(deputy.page.locator("dl").nth(1)).to_contain_text(f"办结{ymd}")
    deputy.shot("case-lifted", docs=True)

    # --- 10. the liaison sees the feedback, and nothing of the case (第十四条) ----------------------------
    liaison.click("移送线索")
    row = liaison.page.locator("tbody tr", has_text=clue.number)
    expect(row.locator("td").last).to_have_text("已办结并反馈")
    liaison.click(clue.number)
    page = liaison.page
    feedback = f"您单位（部门）移送或反映的问题（{clue.number}）已办理完毕：已解除预警。"
    expect(page.locator("dt", has_text="办理进度").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "已办结并反馈"
    )
    feedback_list = page.locator("h2", has_text="办理情况反馈").locator("xpath=following-sibling::ul[1]")
    expect(feedback_list.locator("li")).to_have_text([f"{ymd}：{feedback}"])
    for secret in ("警示诫勉", "谈话", case.number):
        expect(page.locator("main")).not_to_contain_text(secret)
    liaison.shot("liaison-feedback", docs=True)

    # --- the record, exactly ----------------------------------------------------------------------------
    case.refresh_from_db()
    assert (case.measure, case.status, case.delivery) == ("admonition", "lifted", "talk")
    assert (case.proposed_on, case.approved_on, case.implemented_on, case.response_start, case.closed_on) == (
        today,
        today,
        today,
        today,
        today,
    )
    assert case.responded_on == today and case.response_due == response_due
    verification = case.verifications.get()
    assert (verification.method, verification.conclusion, verification.done_on) == ("preliminary", "true", today)
    decision = case.decisions.get()
    assert (decision.outcome, decision.recorded_by.username, decision.decided_on) == ("approved", "shuji", today)
    talk = case.talks.get()
    assert (talk.chief.username, talk.other_talkers, talk.place) == ("fushuji", "方晓春", "县纪委谈话室")
    assert (talk.notice_sent_on, talk.held_on, talk.signed_on, talk.record) == (today, today, today, record)
    register = case.registers.get()
    assert (register.content, register.approved_by.username, register.approved_on) == (requirements, "fushuji", today)
    letter = case.letters.get()
    assert (letter.kind, letter.issued_on, letter.received_on) == ("admonition_notice", today, today)
    ending = case.endings.get()
    assert (ending.kind, ending.decided_on, ending.recorded_by.username) == ("lifted", today, "fushuji")
    clue.refresh_from_db()
    assert (clue.status, clue.verifiable, clue.screened_by.username) == ("handle", True, "yjb")
    sent = clue.feedback.get()
    assert (sent.content, sent.sent_on, sent.to_unit.code) == (feedback, today, "MH-SJ")
