"""Oversight and statistics operations: quarterly reports (第四条), my work and the deadline board,
the lapses of 第三十三条, notices received (第三十一条), reports to the party chief (第十七条) and the
user's messages. Each calls the same selectors and services as its page."""


from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.orgs import access
from yujing.oversight.models import LapseNote

from .pagination import LazyMap
from .schemas import ERRORS, limit

router = Router()


# --- quarterly reports --------------------------------------------------------------------------


class QuarterQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2200, description="年度；默认上一季度所在年度")
    quarter: int | None = Field(None, ge=1, le=4, description="季度；默认上一季度")


class ReportStatusOut(Schema):
    unit_id: int
    unit_name: str = Field(description="报送单位")
    year: int
    quarter: int
    due_on: date = Field(description="报送期限")
    status: str = Field(description="not_submitted 未报送、submitted 已报送、returned 已退回")
    submitted_at: datetime | None = Field(description="报送时间")
    late: bool | None = Field(description="是否逾期报送；未报送为空")
    owed: bool = Field(description="截至今天是否应报送而未报送{(|s:quarterly_report|)}：季度已结束、不早于本县开始在系统登记线索的季度、"
                                   "尚未报送(含已退回)；与期限看板、提醒一致")


class FigureOut(Schema):
    key: str = Field(description="统计项代码，如 clues.petition")
    label: str = Field(description="统计项")
    value: int
    part_of: str | None = Field(description="所属的上级统计项(分项之和等于总数)")


class CategoryCountOut(Schema):
    category: str = Field(description="问题类别")
    count: int


class DifferenceOut(Schema):
    key: str
    label: str
    submitted: int = Field(description="报送时的数字")
    now: int = Field(description="按现有数据计算的数字")


class ReportOut(ReportStatusOut):
    frozen: bool = Field(description="数字是否为报送时冻结的数字(否则为按现有数据即时计算)")
    figures: list[FigureOut]
    categories: list[CategoryCountOut]
    differences: list[DifferenceOut] = Field(description="报送后数据变化造成的差异")
    remarks: str = Field(description="报送说明")
    return_reason: str = Field(description="退回理由")
    can_submit: bool = Field(description="当前用户现在能否报送")
    can_return: bool = Field(description="当前用户现在能否退回")


class SubmitIn(Schema):
    remarks: str = Field("", max_length=2000, description="报送说明")


class ReturnIn(Schema):
    reason: str = Field(max_length=2000, description="退回理由")


def _quarter(year: int | None, quarter: int | None) -> tuple[int, int]:
    from yujing.oversight.reports import last_quarter

    default = last_quarter(timezone.localdate())
    return (year or default[0], quarter or default[1])


def _status(unit, year: int, quarter: int, report, owing) -> dict:
    from yujing.oversight.reports import due_date

    return {"unit_id": unit.pk, "unit_name": unit.name, "year": year, "quarter": quarter,
            "due_on": report.due_on if report else due_date(year, quarter),
            "status": report.status if report else "not_submitted",
            "submitted_at": report.submitted_at if report else None, "late": report.late if report else None,
            "owed": owing.owes(unit.pk, year, quarter)}


def _owing(units, year: int, quarter: int):
    from yujing.oversight.reports import reporting

    return reporting(today=timezone.localdate(), units=units, quarter=(year, quarter))


@router.get("/reports", response={200: list[ReportStatusOut], **ERRORS}, tags=["季度报表"], summary="季度报表报送情况",
            description="管辖范围内应报送季度统计报表的单位及其报送情况{(|s:quarterly_report|)}。")
@paginate(LimitOffsetPagination)
def list_reports(request, filters: Query[QuarterQuery]):
    from yujing.oversight import reports as report_service
    from yujing.oversight.models import QuarterlyReport

    access.require(request.user, "report.view")
    year, quarter = _quarter(filters.year, filters.quarter)
    units = access.restrict(report_service.reporting_units("/"), request.user, "report.view")

    class Rows(LazyMap):
        def __getitem__(self, item):
            page = list(self.queryset[item])
            found = {r.unit_id: r for r in QuarterlyReport.objects.filter(unit__in=page, year=year, quarter=quarter)}
            owing = _owing(units.filter(pk__in=[u.pk for u in page]), year, quarter)
            return [_status(u, year, quarter, found.get(u.pk), owing) for u in page]

    return Rows(units, None)


def _report_unit(request, unit_id: int, action: str = "report.view"):
    from yujing.orgs.models import Unit

    return access.get_object_or_deny(Unit.objects.all(), request.user, action, pk=unit_id)


def _report(request, unit, year: int, quarter: int) -> dict:
    from yujing.oversight import figures
    from yujing.oversight import reports as report_service
    from yujing.oversight.models import QuarterlyReport

    report = QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    frozen = bool(report and report.status == QuarterlyReport.Status.SUBMITTED)
    values = (report_service.in_order(report.figures) if frozen
              else figures.compute(prefix=unit.path, year=year, quarter=quarter))
    cats = report.categories if frozen else figures.categories(prefix=unit.path, year=year, quarter=quarter)
    parents = {f.key: f.parent for f in figures.definitions(date(year, 1, 1), date(year, 3, 31))}
    reporting = unit.kind in report_service.reporting_kinds()
    return {
        **_status(unit, year, quarter, report, _owing(type(unit).objects.filter(pk=unit.pk), year, quarter)),
        "frozen": frozen,
        "figures": [{"key": k, "label": report_service.LABELS.get(k, k), "value": v, "part_of": parents.get(k) or None}
                    for k, v in values.items()],
        "categories": [{"category": name, "count": count} for name, count in cats],
        "differences": [vars(d) for d in report_service.differences(report)] if frozen else [],
        "remarks": report.remarks if report else "", "return_reason": report.return_reason if report else "",
        "can_submit": reporting and not frozen and access.can(request.user, "report.submit", unit),
        "can_return": frozen and access.can(request.user, "report.return", unit),
    }


@router.get("/reports/{unit_id}/{year}/{quarter}", response={200: ReportOut, **ERRORS}, tags=["季度报表"],
            summary="季度统计报表", description="已报送的为报送时冻结的数字及此后的差异；未报送的为按现有数据计算的数字。")
def get_report(request, unit_id: int, year: int = Path(..., ge=2000, le=2200), quarter: int = Path(..., ge=1, le=4)):
    unit = _report_unit(request, unit_id)
    reads.report_viewed(unit, year, quarter, by=request.user, origin=Origin.from_request(request))  # as the page
    return _report(request, unit, year, quarter)


@router.post("/reports/{unit_id}/{year}/{quarter}/submit", response={200: ReportOut, **ERRORS}, tags=["季度报表"],
             summary="报送季度统计报表", description="单位纪委(纪检组)报送：冻结按现有数据计算的数字{(|s:quarterly_report|)}。")
def submit_report(request, payload: SubmitIn, unit_id: int, year: int = Path(..., ge=2000, le=2200),
                  quarter: int = Path(..., ge=1, le=4)):
    from yujing.oversight import reports as report_service

    unit = _report_unit(request, unit_id)
    report_service.submit(unit=unit, year=year, quarter=quarter, remarks=payload.remarks, by=request.user,
                          today=timezone.localdate(), origin=Origin.from_request(request))
    return _report(request, unit, year, quarter)


@router.post("/reports/{unit_id}/{year}/{quarter}/return", response={200: ReportOut, **ERRORS}, tags=["季度报表"],
             summary="退回季度统计报表", description="{b:locality}{b:office}说明理由后退回，单位更正后重新报送。")
def return_report(request, payload: ReturnIn, unit_id: int, year: int = Path(..., ge=2000, le=2200),
                  quarter: int = Path(..., ge=1, le=4)):
    from yujing.oversight import reports as report_service
    from yujing.oversight.models import QuarterlyReport

    unit = _report_unit(request, unit_id)
    access.require(request.user, "report.return", unit)
    report = QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    if report is None:
        from django.core.exceptions import ValidationError

        raise ValidationError("本季度报表尚未报送，无可退回")
    report_service.send_back(report=report, reason=payload.reason, by=request.user, origin=Origin.from_request(request))
    return _report(request, unit, year, quarter)


# --- time limits --------------------------------------------------------------------------------


class WorkItemOut(Schema):
    key: str = Field(description="事项标识，如 case:12:implementation")
    kind: str
    label: str = Field(description="环节")
    title: str = Field(description="事项")
    url: str = Field(description="页面地址")
    unit_id: int
    unit_name: str
    due: date | None = Field(description="期限；无期限的为空")
    provisional: bool = Field(description="期限是否暂定：期间涉及尚未录入节假日通知的年度，录入后重新计算")
    days_left: int | None = Field(description="剩余天数，负数为已逾期天数")
    grade: str = Field(description="waiting 待办、upcoming 未到期、due_soon 即将到期、late 逾期、severely_late 严重逾期")
    grade_label: str
    article: str = Field(description="依据条款")


class BoardUnitOut(Schema):
    unit_name: str
    counts: dict[str, int] = Field(description="各等级的事项数")
    items: list[WorkItemOut]


def _item(row) -> dict:
    item = row.item
    return {"key": item.key, "kind": item.kind, "label": item.label, "title": item.title, "url": item.url,
            "unit_id": item.unit_id, "unit_name": item.unit_name, "due": item.due, "provisional": item.provisional,
            "days_left": row.days_left,
            "grade": row.grade.value, "grade_label": row.grade_label, "article": item.article}


@router.get("/my-work", response={200: list[WorkItemOut], **ERRORS}, tags=["期限监督"], summary="我的待办",
            description="等待当前用户办理的事项，按期限排序。")
@paginate(LimitOffsetPagination)
def my_work(request):
    from yujing.oversight import selectors

    access.require(request.user, "oversight.mywork")
    return [_item(r) for r in selectors.my_work(user=request.user, today=timezone.localdate())]


@router.get("/deadlines", response={200: list[BoardUnitOut], **ERRORS}, tags=["期限监督"], summary="期限看板",
            description="管辖范围内即将到期和已逾期的事项，按单位{(|c:lapses|)}。")
@paginate(LimitOffsetPagination)
def deadlines(request):
    from yujing.oversight import selectors

    access.require(request.user, "oversight.board")
    return [{"unit_name": b.unit_name, "counts": dict(b.counts), "items": [_item(r) for r in b.rows]}
            for b in selectors.board(user=request.user, today=timezone.localdate())]


class LapseNoteOut(Schema):
    status: str = Field(description="explained 已说明情况、accountability 已启动责任追究、noted 已知悉")
    note: str
    by: str
    at: datetime


class LapseOut(Schema):
    key: str
    kind: str = Field(description="{|c:lapses|所列}情形")
    heading: str
    unit_name: str
    title: str
    evidence: str = Field(description="依据的数据")
    since: date
    notes: list[LapseNoteOut]


class LapseNoteIn(Schema):
    key: str = Field(max_length=80, description="情形标识(见列表)")
    status: str = Field(max_length=limit(LapseNote, "status"), description="explained、accountability、noted")
    note: str = Field(max_length=2000)


def _lapses(request) -> list[dict]:
    from yujing.oversight import selectors

    return [{"key": x["lapse"].key, "kind": x["lapse"].kind, "heading": x["lapse"].heading, "unit_name": unit["unit"],
             "title": x["lapse"].title, "evidence": x["lapse"].evidence, "since": x["lapse"].since,
             "notes": [{"status": n.status, "note": n.note, "by": n.by.get_full_name() or n.by.username, "at": n.at}
                       for n in x["notes"]]}
            for unit in selectors.lapse_list(user=request.user, today=timezone.localdate()) for x in unit["lapses"]]


@router.get("/lapses", response={200: list[LapseOut], **ERRORS}, tags=["期限监督"], summary="责任追究情形",
            description="由数据发现的{|c:lapses|所列}情形及监督人员记录的处理情况。")
@paginate(LimitOffsetPagination)
def lapses(request):
    access.require(request.user, "lapse.view")
    return _lapses(request)


@router.post("/lapses/notes", response={201: LapseOut, **ERRORS}, tags=["期限监督"], summary="记录处理情况",
             description="对一个情形记录说明、责任追究或已知悉；只能增加，不能删除。")
def annotate_lapse(request, payload: LapseNoteIn):
    from ninja.responses import Status

    from yujing.oversight import services

    services.annotate_lapse(key=payload.key, status=payload.status, note=payload.note, by=request.user,
                            today=timezone.localdate(), origin=Origin.from_request(request))
    found = next((x for x in _lapses(request) if x["key"] == payload.key), None)
    if found is None:
        raise Http404
    return Status(201, found)


# --- notices, reports to the chief, messages ------------------------------------------------------


class NoticeOut(Schema):
    id: int
    case_id: int
    case_number: str
    cadre_name: str = Field(description="预警对象")
    cadre_unit: str
    recipient: str = Field(description="organization_dept 组织部门、personnel_dept 人事部门、unit_party_org 所在单位党组织")
    recipient_unit_id: int
    sent_on: date
    content: str


@router.get("/notices", response={200: list[NoticeOut], **ERRORS}, tags=["通报"], summary="收到的书面通报",
            description="发给当前用户所在单位的书面通报{(|c:notices|)}。")
@paginate(LimitOffsetPagination)
def notices(request):
    from yujing.cases import selectors

    access.require(request.user, "notices.inbox")
    return LazyMap(selectors.notices_for(user=request.user), lambda n: {
        "id": n.pk, "case_id": n.case_id, "case_number": n.case.number, "cadre_name": n.case.target.name,
        "cadre_unit": n.case.target.unit.name, "recipient": n.recipient, "recipient_unit_id": n.recipient_unit_id,
        "sent_on": n.sent_on, "content": n.content})


class ChiefReportOut(Schema):
    id: int
    kind: str = Field(description="implementation 实施前报告{(|s:implementation|)}、outcome 结果汇报{(|s:outcome_report|)}")
    case_id: int
    case_number: str
    cadre_name: str
    cadre_unit: str
    reported_on: date
    note: str
    seen_at: datetime | None = Field(description="阅知时间")


def _chief_report(r) -> dict:
    return {"id": r.pk, "kind": r.kind, "case_id": r.case_id, "case_number": r.case.number, "cadre_name": r.case.target.name,
            "cadre_unit": r.case.target.unit.name, "reported_on": r.reported_on, "note": r.note, "seen_at": r.seen_at}


@router.get("/chief-reports", response={200: list[ChiefReportOut], **ERRORS}, tags=["纠错报告"],
            summary="向{b:chief}的报告", description="责令纠错实施前向{b:chief}的报告{(|s:implementation|)}和办结后的结果汇报{(|s:outcome_report|)}。")
@paginate(LimitOffsetPagination)
def chief_reports(request):
    from yujing.cases import selectors

    access.require(request.user, "case.view_reported")
    return LazyMap(selectors.chief_reports_for(user=request.user), _chief_report)


@router.post("/chief-reports/{report_id}/seen", response={200: ChiefReportOut, **ERRORS}, tags=["纠错报告"],
             summary="阅知报告")
def chief_report_seen(request, report_id: int):
    from yujing.cases import selectors
    from yujing.cases import services as cs

    report = selectors.chief_reports_for(user=request.user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    cs.mark_report_seen(report=report, by=request.user, origin=Origin.from_request(request))
    return _chief_report(selectors.chief_reports_for(user=request.user).get(pk=report_id))


class NotificationOut(Schema):
    id: int
    day: date
    subject: str
    body: str
    read_at: datetime | None


def _notification(n) -> dict:
    return {"id": n.pk, "day": n.day, "subject": n.subject, "body": n.body, "read_at": n.read_at}


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, tags=["期限监督"], summary="我的提醒",
            description="每日提醒摘要(即将到期和已逾期的事项)。")
@paginate(LimitOffsetPagination)
def notifications(request):
    from yujing.oversight.models import Notification

    access.require(request.user, "oversight.mywork")
    return LazyMap(Notification.objects.filter(user=request.user), _notification)


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS}, tags=["期限监督"],
             summary="标记提醒已读")
def notification_read(request, notification_id: int):
    from yujing.oversight import services
    from yujing.oversight.models import Notification

    access.require(request.user, "oversight.mywork")
    notification = Notification.objects.filter(pk=notification_id, user=request.user).first()
    if notification is None:
        raise Http404
    return _notification(services.mark_read(notification=notification, by=request.user))
