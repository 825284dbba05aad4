"""Four more journeys in the browser: a correction whose extension beyond the cap is refused (第三十条),
an inquiry escalated to admonition (第二十八条), a unit's quarterly report submitted (第四条), and the
organisation department's restriction lookup (第三十一条).

The preconditions are set up with the services (as tests/conftest.py does); the step each journey is
about is done through the pages. The clock is the real one (the pages use ``timezone.localdate()``),
so dates are computed from today with the project's own period arithmetic and, while today falls in a
known window, also checked against dates worked out by hand.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yujing.core.dates import cn_date, cn_datetime

from .conftest import demo_users, text

# --- set-up through the services ---------------------------------------------------------------------

# The journeys run on 2026-11-28 (conftest.JOURNEY_DAY); the rectification notices are received on RECEIVED,
# so the dates can be checked against ones worked out by hand:
# 2026-11-20 (Fri) + 1 month = 2026-12-20, a Sunday → rolls to Monday 2026-12-21 (民法典第二百零三条);
# the cap, (1 + 1) months from 11-20 = 2027-01-20, a Wednesday (a working day).
RECEIVED = date(2026, 11, 20)
HAND_WORKED = {"response_due": date(2026, 12, 21), "cap": date(2027, 1, 20)}



def _cadre(code):
    from yujing.cadres.models import Cadre

    return Cadre.objects.select_related("unit").get(code=code)


def _propose(measure, code, on, *, users, screener="yjb", channel="petition", summary="反映问题"):
    """A screened clue about ``code`` with one proposed case (as tests/conftest.py's open_case)."""
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome, Proposal

    cadre = _cadre(code)
    clue = clue_services.register_clue(
        by=users[screener], today=on, received_on=on, channel=channel, summary=summary,
        detail="群众反映的具体问题。", concerned=[Concerned(cadre_id=cadre.pk)],
    )
    clue_services.screen_clue(clue=clue, by=users[screener], today=on, outcome=Outcome.HANDLE, reason="本级处理",
                              verifiable=False, proposals=[Proposal(cadre.pk, measure)])
    return clue.cases.get()


def _correction_received(code, received, users):
    """A county correction (责令纠错) approved, reported, registered, notified and received on ``received``:
    in its rectification period from then on (第三十条)."""
    from yujing.cases import services as cs

    office, secretary = users["yjb"], users["shuji"]
    start = received - timedelta(days=6)
    case = _propose("correction", code, start, users=users)
    cs.record_verification(case=case, by=office, today=start, method="preliminary", done_on=start,
                           findings="初核属实", conclusion="true")
    cs.decide(case=case, by=secretary, today=start, approve=True, opinion="同意责令纠错")
    cs.report_to_chief(case=case, by=office, today=start, reported_on=start, note="拟责令纠错")
    cs.write_register(case=case, by=office, today=start, content="一个月内纠正并书面报告")
    cs.approve_register(case=case, by=secretary, today=start)
    issued = received - timedelta(days=1)
    cs.issue_letter(case=case, by=office, today=issued, kind="correction_notice", issued_on=issued,
                    content="责令你在一个月内纠正违规问题。")
    cs.record_receipt(case=case, by=office, today=received, received_on=received)
    case.refresh_from_db()
    return case







def _dd(page, term: str):
    """The <dd> after the <dt> with this exact text on the case page."""
    return page.locator(f"xpath=//dt[normalize-space()='{term}']/following-sibling::dd[1]")


def _described(field) -> str:
    """The texts a screen reader reads with a form field (its aria-describedby elements)."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    page = field.page
    return " ".join(text(page.locator(f"[id='{i}']")) for i in ids if page.locator(f"[id='{i}']").count())


def _field_error(field) -> str:
    """The error under a form field (the .invalid-feedback in the same .mb-3 block)."""
    block = field.locator("xpath=ancestor::div[contains(@class,'mb-3')][1]")
    return text(block.locator(".invalid-feedback[role=alert]"))


# --- 1. correction: an extension beyond the cap refused, one within it approved --------------------


def test_correction_extension_refused_beyond_the_cap_then_approved(browse):
    from yujing.cases import services as cs
    from yujing.cases.services._common import due, measure_rules
    from yujing.policy.periods import Period, add_months

    today = timezone.localdate()
    users = demo_users()
    received = RECEIVED
    case = _correction_received("MH0003", received, users)
    cap = cs.extension_cap(case)
    rules = measure_rules(case)
    # the project's period arithmetic: 1 month from receipt, the cap (1 + 1) months from receipt
    assert (str(rules.response.period), str(rules.extension.cap)) == ("1m", "1m")
    assert case.response_due == due(case, received, rules.response.period).date
    assert cap == due(case, received, Period(2, rules.response.period.unit)).date
    assert add_months(received, 2) <= cap <= add_months(received, 2) + timedelta(days=10)  # only rolled forward
    assert (case.response_due, cap) == (HAND_WORKED["response_due"], HAND_WORKED["cap"])
    assert case.response_due >= today  # still in the period: an extension may be asked for

    office = browse("yjb")
    office.goto(f"/cases/{case.pk}/")
    page = office.page
    # the cap falls in 2027, whose holiday notice is not entered: it is 暂定 (its response due in 2026 is not)
    assert text(_dd(page, "答复(整改)期限")) == f"{cn_date(case.response_due)}（延期上限 {cn_date(cap)}（暂定））"

    # the office asks for one day more than the cap: refused in the page, the reason naming the cap and 第三十条
    panel = office.action("申请延期整改")
    # the field tells the cap (its help text, read out with it through aria-describedby)
    described = _described(panel.get_by_label("申请延至"))
    assert f"{cn_date(cap)}（第三十条）" in described, described
    reason = "涉及资金需经法定程序收回，一个月内难以完成，申请延期。"
    beyond = cap + timedelta(days=1)
    panel.get_by_label("延期理由").fill(reason)
    panel.get_by_label("申请延至").fill(beyond.isoformat())
    # leave the field first: the due preview under it (and validate.js's inline check) grow on change/blur.
    # (Clicking 提交 straight from the field makes them grow on mousedown, the button moves down from under
    # the pointer and the click is lost — a user has to click twice.)
    panel.get_by_label("申请延至").blur()
    with office.expecting(400), page.expect_response(lambda r: r.request.method == "POST") as refused:
        panel.get_by_role("button", name="提交", exact=True).click()
    assert (refused.value.status, refused.value.url) == (400, f"{office.base_url}/cases/{case.pk}/act/request_extension/")
    page.wait_for_load_state()
    office.settle()
    panel = office.action("申请延期整改")
    assert panel.get_attribute("open") is not None  # the refused form is shown open
    until = panel.get_by_label("申请延至")
    assert _field_error(until) == f"延长整改期限累计不得超过1个月，最迟只能延至{cn_date(cap)}（第三十条）"
    assert panel.get_by_label("延期理由").input_value() == reason  # what was typed is kept
    assert until.input_value() == beyond.isoformat()
    assert case.extensions.count() == 0
    office.shot("extension-refused", docs=True)

    # the latest lawful day is accepted; once the date is changed the server's message about the earlier
    # one is gone (validate.js), and the field is no longer marked wrong
    until.fill(cap.isoformat())
    block = until.locator("xpath=ancestor::div[contains(@class,'mb-3')][1]")
    assert block.locator(".invalid-feedback[role=alert]").is_hidden()
    assert until.get_attribute("aria-invalid") is None
    office.press("提交", within=panel)
    assert text(page.locator(".alert-success")) == "延期申请已提交审批。"
    steps = text(page.locator(".card", has=page.locator(".card-header", has_text="下一步")))
    assert "审批延期整改" in steps
    office.shot("extension-requested")

    # the secretary approves it; the new due date is the cap, shown exactly
    approver = browse("shuji")
    approver.goto(f"/cases/{case.pk}/")
    panel = approver.action("审批延期整改")
    panel.get_by_label("批准", exact=True).check()
    panel.get_by_label("审批意见").fill("同意延期至上限。")
    approver.press("提交", within=panel)
    assert text(approver.page.locator(".alert-success")) == "已审批延期申请。"
    case.refresh_from_db()
    extension = case.extensions.get()
    assert (extension.outcome, extension.new_due, case.response_due) == ("approved", cap, cap)
    assert case.response_due == HAND_WORKED["cap"]
    # the approved date is decided, not counted: only the cap is still 暂定
    assert text(_dd(approver.page, "答复(整改)期限")) == f"{cn_date(cap)}（延期上限 {cn_date(cap)}（暂定））"
    steps = text(approver.page.locator(".card", has=approver.page.locator(".card-header", has_text="下一步")))
    assert f"于 {cn_date(cap)} 前；经批准延期（第三十条）" in steps, steps  # no longer "1个月内"
    timeline = text(approver.page.locator(".card", has_text="办理经过（一案一例）").last)
    assert f"申请延至{cn_date(cap)}：{reason}" in timeline
    assert "延期整改：批准" in timeline
    approver.shot("extension-approved")
    # nothing is waiting for a decision any more
    assert approver.page.locator("summary", has_text="审批延期整改").count() == 0


# --- 2. inquiry (函询) answered untruthfully, escalated to admonition ------------------------------------


def test_inquiry_answered_untruthfully_is_escalated_to_admonition(browse):
    from yujing.cases import services as cs
    from yujing.cases.models import WarningCase

    today = timezone.localdate()
    users = demo_users()
    office = users["yjb"]
    start = today - timedelta(days=12)
    case = _propose("inquiry", "MH0005", start, users=users, summary="反映其收受管理服务对象购物卡")
    cs.decide(case=case, by=users["fushuji"], today=start, approve=True, opinion="同意函询")
    issued = start + timedelta(days=1)
    cs.issue_letter(case=case, by=office, today=issued, kind="inquiry_letter", issued_on=issued,
                    content="请就收受购物卡的反映作出书面说明。")
    cs.record_receipt(case=case, by=office, today=issued, received_on=issued)
    answered = start + timedelta(days=5)
    cs.record_response(case=case, by=office, today=answered, received_on=answered,
                       content="本人从未收受任何购物卡。")
    case.refresh_from_db()
    assert (case.status, case.delivery) == ("responded", "letter")
    target = case.target

    # the office records the investigation that found the answer untrue (第二十八条: 经调查问题属实)
    staff = browse("yjb")
    staff.goto(f"/cases/{case.pk}/")
    panel = staff.action("记录了解、初核或调查")
    panel.get_by_label("方式").select_option(label="调查")
    panel.get_by_label("完成日期").fill(today.isoformat())
    panel.get_by_label("核查情况").fill("经调查，其答复不实：确曾收受管理服务对象购物卡三张，共计3000元。")
    panel.get_by_label("结论").select_option(label="属实")
    staff.press("提交", within=panel)
    assert text(staff.page.locator(".alert-success")) == "已记录核查情况。"

    # the secretary escalates it to admonition through the case page
    secretary = browse("shuji")
    secretary.goto(f"/cases/{case.pk}/")
    panel = secretary.action("升级处理")
    kinds = [o.strip() for o in panel.get_by_label("升级方式").locator("option").all_inner_texts()]
    assert kinds == ["转警示诫勉", "转责令纠错", "立案查处"]
    panel.get_by_label("升级方式").select_option(label="转警示诫勉")
    panel.get_by_label("理由").fill("函询答复不实，经调查反映问题属实，转警示诫勉。")
    panel.get_by_label("新预警事项的主要问题").fill("收受管理服务对象购物卡三张，共计3000元，函询时答复不实。")
    numbered = WarningCase.objects.filter(number__startswith=f"MH-YJ{today.year}-").count()
    secretary.press("升级处理", within=panel)
    assert text(secretary.page.locator(".alert-success")) == "已升级处理。"

    case.refresh_from_db()
    new = WarningCase.objects.get(escalated_from=case)
    # numbered in the county's yearly sequence of cases (明湖县 = MH), the next one this year
    assert new.number == f"MH-YJ{today.year}-{numbered + 1:04d}"
    assert (case.status, case.escalation, case.closed_on) == ("escalated", "admonition", today)
    assert (new.status, new.measure, new.target_id, new.proposed_on) == ("proposed", "admonition", target.pk, today)

    page = secretary.page
    assert text(page.locator("h1")) == f"{target.name}：谈话函询 {case.number} 已升级处理"
    assert text(_dd(page, "升级为")) == f"{new.number}（警示诫勉）"
    assert text(_dd(page, "办结")) == cn_date(today)
    assert page.locator("details.card").count() == 0  # a closed case offers no action forms
    secretary.shot("escalated", docs=True)

    secretary.click(new.number)
    assert page.url.endswith(f"/cases/{new.pk}/")
    assert text(page.locator("h1")) == f"{target.name}：警示诫勉 {new.number} 待审批"
    assert text(_dd(page, "预警措施")) == "警示诫勉"
    assert text(_dd(page, "升级自")) == case.number
    assert text(_dd(page, "主要问题")) == "收受管理服务对象购物卡三张，共计3000元，函询时答复不实。"
    assert text(_dd(page, "来源线索")) == " ".join(c.number for c in case.clues.all())
    secretary.shot("escalated-new-case")
    secretary.click(case.number)
    assert page.url.endswith(f"/cases/{case.pk}/")


# --- 3. the township's quarterly report, checked and submitted ----------------------------------------


def _figure_table(page) -> list[tuple[str, str]]:
    rows = page.locator("table.table-bordered tbody tr")
    return [(text(r.locator("td").nth(0)), text(r.locator("td").nth(1))) for r in rows.all()]


def test_quarterly_report_checked_submitted_and_seen_by_the_county_office(browse):
    from yujing.clues import services as clue_services
    from yujing.clues.services import Concerned, Outcome, Proposal
    from yujing.orgs.models import Unit
    from yujing.oversight import figures, reports
    from yujing.oversight.models import QuarterlyReport

    today = timezone.localdate()
    users = demo_users()
    year, quarter = reports.last_quarter(today)
    first, last = figures.quarter_range(year, quarter)
    unit = Unit.objects.get(code="MH-QS")
    before = figures.compute(prefix=unit.path, year=year, quarter=quarter)
    # in the quarter at 青石镇: a petition handled into an inquiry, an audit clue left to be screened
    qs = users["qs_jiwei"]
    cadre = _cadre("MH0007")
    day = first + timedelta(days=20)
    clue = clue_services.register_clue(by=qs, today=day, received_on=day, channel="petition", summary="反映其违规发放补贴",
                                       detail="群众反映该站违规发放补贴。", concerned=[Concerned(cadre_id=cadre.pk)])
    clue_services.screen_clue(clue=clue, by=qs, today=day + timedelta(days=2), outcome=Outcome.HANDLE,
                              reason="本级处理", verifiable=False, proposals=[Proposal(cadre.pk, "inquiry")])
    clue_services.register_clue(by=qs, today=day + timedelta(days=5), received_on=day + timedelta(days=5), channel="audit",
                                summary="审计发现账目不清", detail="审计发现该站账目不清。",
                                concerned=[Concerned(cadre_id=cadre.pk)])
    expected = figures.compute(prefix=unit.path, year=year, quarter=quarter)
    added = {k: expected[k] - before[k] for k in expected if expected[k] != before[k]}
    assert added == {"clues": 2, "clues.petition": 1, "clues.audit": 1, "screened.handle": 1, "cases": 1,
                     "cases.inquiry": 1}
    due_on = reports.due_date(year, quarter)

    body = browse("qs_jiwei")
    page = body.page
    page.get_by_role("button", name="统计").click()  # the drop-down in the navigation bar
    body.click("季度报表")
    assert text(page.locator("main p, p").filter(has_text="前报送").first) == \
        f"{year}年第{quarter}季度报表应于 {cn_date(due_on)} 前报送。"
    row = page.locator("tbody tr", has_text=unit.name)
    overdue = due_on < today
    assert text(row.locator("td").nth(1)) == ("⚠ 逾期未报" if overdue else "未报送")
    row.get_by_role("link", name="查看").click()
    page.wait_for_load_state()
    body.settle()
    assert page.url.endswith(f"/oversight/reports/{unit.pk}/{year}/{quarter}/")
    assert text(page.locator("h1")) == f"{unit.name} {year}年第{quarter}季度预警工作统计报表"
    assert "尚未报送。以下为按数据实时计算的数字，核对无误后报送。" in text(page.locator("p").filter(has_text="报送期限"))

    # every figure on the page is the one the data gives, labelled as the definitions say
    parents = {f.key: f.parent for f in figures.definitions(first, last)}
    want = [(("其中：" if parents[k] else "") + reports.LABELS[k], str(v)) for k, v in expected.items()]
    assert _figure_table(page) == want
    shown = dict(_figure_table(page))
    for label, key in (("收到线索", "clues"), ("其中：群众信访举报", "clues.petition"),
                       ("其中：经济责任审计中发现", "clues.audit"), ("本级处理", "screened.handle"),
                       ("提出预警建议", "cases"), ("其中：谈话函询", "cases.inquiry")):
        assert shown[label] == str(before[key] + added[key]), label
    body.shot("quarterly-report-before")

    # submitted with a remark; frozen and marked as submitted (late when after the due date)
    remark = f"本季度收到线索{expected['clues']}件，提出预警建议{expected['cases']}件。"
    page.get_by_label("说明（可选）").fill(remark)
    body.press("核对无误，报送")
    assert text(page.locator(".alert-success")) == "季度统计报表已报送。"
    report = QuarterlyReport.objects.get(unit=unit, year=year, quarter=quarter)
    assert (report.status, report.figures, report.remarks, report.due_on, report.submitted_by) == (
        "submitted", dict(expected), remark, due_on, qs)
    assert report.late == (today > due_on)
    status = text(page.locator("p").filter(has_text="报送期限"))
    assert status.startswith(f"报送期限：{cn_date(due_on)}。 已报送 {cn_datetime(report.submitted_at)}，{qs}")
    stamp = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")  # the list's sortable column
    assert ("⚠ 逾期报送" in status) == report.late
    assert status.endswith("以下为报送时冻结的数字。")
    assert _figure_table(page) == want
    assert remark in text(page.locator("h2", has_text="说明").locator("xpath=following-sibling::p[1]"))
    assert page.get_by_role("button", name="核对无误，报送").count() == 0
    body.shot("quarterly-report", docs=True)

    # the county office sees it as submitted, with the same figures, and may send it back
    office = browse("yjb")
    office.goto(f"/oversight/reports/?year={year}&quarter={quarter}")
    row = office.page.locator("tbody tr", has_text=unit.name)
    assert text(row.locator("td").nth(1)) == ("已报送 ⚠ 逾期报送" if report.late else "已报送")
    assert text(row.locator("td").nth(2)) == stamp
    other = office.page.locator("tbody tr", has_text="明湖县白沙镇")
    assert text(other.locator("td").nth(1)) == ("⚠ 逾期未报" if due_on < today else "未报送")
    row.get_by_role("link", name="查看").click()
    office.page.wait_for_load_state()
    office.settle()
    assert _figure_table(office.page) == want
    assert office.page.get_by_role("button", name="退回").count() == 1
    office.shot("quarterly-report-office")


# --- 4. the organisation department's restriction lookup -----------------------------------------------


def test_restriction_lookup_by_the_organisation_department(browse):
    today = timezone.localdate()
    users = demo_users()
    received = RECEIVED
    case = _correction_received("MH0006", received, users)
    assert case.response_due == HAND_WORKED["response_due"]
    restricted, free = case.target, _cadre("MH0005")

    org = browse("zuzhibu")
    org.click("限制查询")
    page = org.page
    assert text(page.locator("h1")) == "评优、提拔限制查询 第三十一条"
    intro = text(page.locator("p.text-muted").first)
    assert intro.startswith("在警示诫勉、责令纠错的整改期限内，预警对象不得评选评优、暂缓提拔使用；")
    assert f"查询结果以今天（{cn_date(today)}）为准" in intro
    assert "第三十一条" in text(page.locator("h1"))

    # by name, as a personnel officer would type it
    page.get_by_label("姓名或干部编号").fill(restricted.name)
    org.press("查询")
    assert [text(h) for h in page.locator("thead th").all()] == ["干部", "今天是否受限", "原因与期限"]
    row = page.locator("tbody tr", has_text=restricted.code)
    cells = row.locator("td")
    assert text(cells.nth(0)) == f"{restricted.name}（{restricted.unit.display_name}{restricted.position}，{restricted.code}）"
    assert text(cells.nth(1)) == "受限"
    assert text(cells.nth(2)) == (f"责令纠错（自 {cn_date(received)} 起）：整改期限至{cn_date(case.response_due)}，"
                                   "经回访达到整改要求、批准解除预警后解除")
    org.shot("restriction-lookup", docs=True)

    # a cadre without a warning, by code
    page.get_by_label("姓名或干部编号").fill(free.code)
    org.press("查询")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert [text(c) for c in rows.first.locator("td").all()] == [
        f"{free.name}（{free.unit.display_name}{free.position}，{free.code}）", "不受限", "—"]
    org.shot("restriction-none")

