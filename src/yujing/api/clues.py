"""Clue operations: the same services and selectors as the pages (第十至十六条)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.cadres import selectors as cadre_selectors
from yujing.cases.models import WarningCase
from yujing.clues import selectors, services
from yujing.clues.downloads import attachment_response
from yujing.clues.models import Attachment, Clue, ClueCadre, ClueTransfer, ProblemCategory
from yujing.orgs import access
from yujing.orgs.models import Unit

from .pagination import LazyMap, ordered, ordering_param
from .schemas import BASE64, ERRORS, KEY, REPORTER, TEXT, SecrecyIn, decode_base64, limit

router = Router(tags=["线索"])


class Moved(Schema):
    code: str = Field(description="moved：线索已离开本单位的管辖范围")
    message: str


class ConcernedIn(Schema):
    cadre_id: int | None = Field(None, description="名册中的干部编号(id)；与 name 二选一")
    name: str = Field("", max_length=limit(ClueCadre, "name"), description="不在名册中的干部姓名")
    unit_text: str = Field("", max_length=limit(ClueCadre, "unit_text"), description="不在名册中的干部所在单位")
    position_text: str = Field("", max_length=limit(ClueCadre, "position_text"), description="不在名册中的干部职务")


class FileIn(Schema):
    name: str = Field(max_length=limit(Attachment, "original_name"), description="文件名")
    content_base64: str = Field(max_length=BASE64, description="文件内容(Base64)；PDF、PNG、JPEG、DOCX、XLSX，不超过 20 MB")


class ReporterIn(Schema):
    name: str = Field(max_length=REPORTER["name"], description="举报人姓名(加密保存)")
    contact: str = Field("", max_length=REPORTER["contact"], description="联系方式(加密保存)")
    id_number: str = Field("", max_length=REPORTER["id_number"], description="身份证号(加密保存)")


class ClueIn(Schema):
    received_on: date = Field(description="收到日期，不能晚于今天")
    channel: str = Field(max_length=limit(Clue, "channel"), description="来源渠道{(|c:channels|)}：petition, referral, case_handling, commission_office, audit, "
                                     "appraisal, member_unit, media")
    summary: str = Field(max_length=limit(Clue, "summary"), description="问题摘要，不超过 200 字")
    detail: str = Field(max_length=TEXT, description="反映的主要问题")
    concerned: list[ConcernedIn] = Field(description="涉及的干部，至少一人")
    category_ids: list[int] = Field(default_factory=list, description="问题类别")
    source_unit_id: int | None = Field(None, description="来源单位")
    source_name: str = Field("", max_length=limit(Clue, "source_name"), description="来源说明，如信访件编号")
    reporter: ReporterIn | None = Field(None, description="实名举报人；不填为匿名")
    attachments: list[FileIn] = Field(default_factory=list, description="附件")
    handling_unit_id: int | None = Field(None, description="登记单位；在多个单位任职时必填")
    indicator_value: Decimal | None = Field(
        None, description="指标值：策略对来源渠道规定了预警线（[[triggers]]，如民主测评满意率低于60%）时必填，"
                          "且须低于预警线；其他渠道不填。单位见策略（如 % 只填数字 59.5）")


class TransferIn(Schema):
    transferred_on: date = Field(description="移送日期")
    summary: str = Field(max_length=limit(Clue, "summary"), description="问题摘要")
    detail: str = Field(max_length=TEXT, description="反映的主要问题")
    concerned: list[ConcernedIn] = Field(description="涉及的干部")
    contact_person: str = Field(max_length=limit(ClueTransfer, "contact_person"), description="联系人")
    contact_phone: str = Field(max_length=limit(ClueTransfer, "contact_phone"), description="联系电话")
    found_how: str = Field("", max_length=TEXT, description="发现途径")
    unit_opinion: str = Field("", max_length=TEXT, description="移送单位意见")
    category_ids: list[int] = Field(default_factory=list, description="问题类别")
    attachments: list[FileIn] = Field(default_factory=list, description="附件")


class ProposalIn(Schema):
    cadre_id: int = Field(description="预警对象(名册中的干部)")
    measure: str = Field(max_length=limit(WarningCase, "measure"), description="预警措施的键（本县策略的措施，见 GET /api/policy）")
    facts: str = Field("", max_length=TEXT, description="主要问题；不填取线索所反映的问题")


class ScreenIn(Schema):
    outcome: str = Field(max_length=KEY, description="handle 本级处理、report_up 报送有管辖权的单位、case_clue 案件线索、no_action 了结存档；"
                                     "所涉干部属上级管辖的，只能 report_up{（|c:screening|）}")
    reason: str = Field(max_length=TEXT, description="筛选意见(理由)")
    verifiable: bool | None = Field(None, description="是否具有可查性(本级处理时必填)")
    proposals: list[ProposalIn] = Field(default_factory=list, description="预警建议(本级处理时至少一项)")


class MergeIn(Schema):
    other_ids: list[int] = Field(description="并入本线索的重复线索")
    reason: str = Field(max_length=TEXT, description="合并理由")


class FeedbackIn(Schema):
    content: str = Field(max_length=TEXT, description="向线索来源反馈的办理情况")


class AttachmentsIn(Schema):
    attachments: list[FileIn]


class ConcernedOut(Schema):
    cadre_id: int | None
    name: str
    unit_text: str
    position_text: str


class AttachmentOut(Schema):
    id: int
    original_name: str
    kind: str
    size: int
    sha256: str


class CaseRef(Schema):
    id: int
    number: str
    target_id: int
    measure: str
    status: str


class ClueOut(Schema):
    id: int
    number: str = Field(description="线索编号")
    received_on: date
    channel: str
    channel_label: str
    summary: str
    status: str = Field(description="registered 待筛选、handle 本级处理、case_clue 案件线索、no_action 了结存档、merged 已并入")
    status_label: str
    handling_unit_id: int = Field(description="承办单位")
    screening_due: date = Field(description="筛选期限")
    screening_provisional: bool = Field(description="筛选期限是否暂定：期间涉及尚未录入节假日通知的年度，录入后重新计算")
    is_late: bool = Field(description="是否超过筛选期限仍未筛选")
    is_anonymous: bool
    secrecy: str = Field(description="密级：normal 一般、confidential 秘密、secret 机密")
    concerned: list[ConcernedOut]
    indicator_value: float | None = Field(description="指标值（策略对来源渠道规定了预警线时登记，如民主测评满意率）；其他线索为 null")


class ClueDetailOut(ClueOut):
    detail: str
    source_unit_id: int | None
    source_name: str
    verifiable: bool | None
    screened_on: date | None
    screening_reason: str
    merged_into_id: int | None
    category_ids: list[int]
    attachments: list[AttachmentOut]
    cases: list[CaseRef]
    indicator: str = Field(description="指标及预警线，如“民主测评满意率 59.5%（低于60%{，|c:statistics|}）”；无指标值时为空")


class TransferOut(Schema):
    id: int
    number: str
    transferred_on: date
    summary: str
    concerned: list[ConcernedOut]
    progress: str = Field(description="办理进度")
    feedback: list[str] = Field(description="办结后的反馈")


class ReporterOut(Schema):
    name: str
    contact: str
    id_number: str


class LookupOut(Schema):
    id: int
    code: str
    name: str
    unit_name: str
    position: str
    open_clues: int = Field(description="您管辖范围内该干部未办结的线索数")
    open_cases: int = Field(description="您管辖范围内该干部未办结的预警数")


def _files(items: list[FileIn]) -> list[services.Upload]:
    return [services.Upload(item.name, decode_base64(item.content_base64, field="attachments",
                                                     message=f"文件“{item.name}”的内容不是有效的 Base64"))
            for item in items]


def _concerned(items: list[ConcernedIn]) -> list[services.Concerned]:
    return [services.Concerned(i.cadre_id, i.name, i.unit_text, i.position_text) for i in items]


def _concerned_out(clue) -> list[dict]:
    return [{"cadre_id": c.cadre_id, "name": c.name, "unit_text": c.unit_text, "position_text": c.position_text}
            for c in clue.concerned.all()]


def _clue_out(clue) -> dict:
    return {
        "id": clue.pk, "number": clue.number, "received_on": clue.received_on, "channel": clue.channel,
        "channel_label": clue.get_channel_display(), "summary": clue.summary, "status": clue.status,
        "status_label": clue.get_status_display(), "handling_unit_id": clue.handling_unit_id,
        "screening_due": clue.screening_due,
        "screening_provisional": clue.screening_provisional, "is_late": clue.is_late, "is_anonymous": clue.is_anonymous, "secrecy": clue.secrecy,
        "concerned": _concerned_out(clue),
        "indicator_value": float(clue.indicator_value) if clue.indicator_value is not None else None,
    }


def _clue_detail(clue) -> dict:
    return {
        **_clue_out(clue), "detail": clue.detail, "source_unit_id": clue.source_unit_id,
        "source_name": clue.source_name, "verifiable": clue.verifiable, "screened_on": clue.screened_on,
        "screening_reason": clue.screening_reason, "merged_into_id": clue.merged_into_id,
        "category_ids": [c.pk for c in clue.categories.all()],
        "attachments": [{"id": a.pk, "original_name": a.original_name, "kind": a.kind, "size": a.size,
                         "sha256": a.sha256} for a in clue.attachments.all()],
        "cases": [{"id": c.pk, "number": c.number, "target_id": c.target_id, "measure": c.measure,
                   "status": c.status} for c in clue.cases.all()],
        "indicator": services.indicator_text(clue),
    }


def _get(request, clue_id: int, action: str = "clue.view"):
    return selectors.clue_get(user=request.user, pk=clue_id, today=timezone.localdate(), action=action)


CLUE_ORDER = {"number": "number", "received_on": "received_on", "screening_due": "screening_due",
              "screened_on": "screened_on"}


class ClueQuery(Schema):
    ordering: ordering_param(*CLUE_ORDER) | None = Field(None, description="排序；默认按收到日期从新到旧")
    q: str | None = None
    channel: str | None = None
    status: str | None = None
    unit_id: int | None = None
    cadre_id: int | None = None
    category_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    late: bool | None = None


@router.get("/clues", response={200: list[ClueOut], **ERRORS}, summary="线索列表",
            description="管辖范围内的线索，可按渠道、状态、承办单位、干部、问题类别、收到日期和是否逾期筛选。")
@paginate(LimitOffsetPagination)
def list_clues(request, filters: Query[ClueQuery]):
    access.require(request.user, "clue.view")
    f = selectors.ClueFilters(q=filters.q or "", channel=filters.channel or "", status=filters.status or "",
                              unit_id=filters.unit_id, cadre_id=filters.cadre_id, category_id=filters.category_id,
                              received_from=filters.received_from, received_to=filters.received_to, late=filters.late)
    clues = selectors.clue_list(user=request.user, today=timezone.localdate(), filters=f)
    return LazyMap(ordered(clues, filters.ordering, CLUE_ORDER), _clue_out)


@router.get("/clues/{clue_id}", response={200: ClueDetailOut, **ERRORS}, summary="线索详情")
def get_clue(request, clue_id: int):
    clue = _get(request, clue_id)
    reads.clue_viewed(clue, by=request.user, origin=Origin.from_request(request))  # as the clue's page does
    return _clue_detail(clue)


@router.post("/clues", response={201: ClueDetailOut, **ERRORS}, summary="登记线索",
             description="以本人任职单位登记{|c:channels|所列}渠道的线索({b:office}或单位纪委)。")
def create_clue(request, payload: ClueIn):
    source_unit = None
    if payload.source_unit_id:
        source_unit = Unit.objects.filter(pk=payload.source_unit_id, is_active=True).first()
        if source_unit is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"source_unit_id": ["来源单位不存在"]})
    reporter = services.Reporter(payload.reporter.name, payload.reporter.contact, payload.reporter.id_number) \
        if payload.reporter else None
    clue = services.register_clue(
        by=request.user, today=timezone.localdate(), received_on=payload.received_on, channel=payload.channel,
        summary=payload.summary, detail=payload.detail, concerned=_concerned(payload.concerned),
        category_ids=payload.category_ids, source_unit=source_unit, source_name=payload.source_name,
        reporter=reporter, uploads=_files(payload.attachments), origin=Origin.from_request(request),
        handling_unit=Unit.objects.filter(pk=payload.handling_unit_id).first() if payload.handling_unit_id else None,
        indicator_value=payload.indicator_value,
    )
    return Status(201, _clue_detail(_get(request, clue.pk)))


@router.post("/clues/{clue_id}/screen", response={200: ClueDetailOut, 202: Moved, **ERRORS}, summary="筛选线索",
             description="第十四至十六条。报送有管辖权的单位后，线索通常离开本单位的管辖范围，此时返回 202。")
def screen_clue(request, clue_id: int, payload: ScreenIn):
    clue = _get(request, clue_id, "clue.screen")
    services.screen_clue(
        clue=clue, by=request.user, today=timezone.localdate(), outcome=payload.outcome, reason=payload.reason,
        verifiable=payload.verifiable,
        proposals=[services.Proposal(p.cadre_id, p.measure, p.facts) for p in payload.proposals],
        origin=Origin.from_request(request),
    )
    from yujing.clues.models import Clue

    fresh = Clue.objects.select_related("handling_unit").get(pk=clue.pk)
    if not access.can(request.user, "clue.view", fresh):
        return Status(202, {"code": "moved", "message": f"线索已报送{fresh.handling_unit.name}"})
    return _clue_detail(_get(request, clue.pk))


@router.post("/clues/{clue_id}/merge", response={200: ClueDetailOut, **ERRORS}, summary="合并重复线索")
def merge_clues(request, clue_id: int, payload: MergeIn):
    target = _get(request, clue_id, "clue.merge")
    others = [_get(request, pk, "clue.merge") for pk in payload.other_ids]
    services.merge_clues(target=target, others=others, by=request.user, reason=payload.reason,
                         origin=Origin.from_request(request))
    return _clue_detail(_get(request, clue_id))


@router.post("/clues/{clue_id}/attachments", response={200: ClueDetailOut, **ERRORS}, summary="上传附件")
def add_attachments(request, clue_id: int, payload: AttachmentsIn):
    clue = _get(request, clue_id, "clue.attach")
    services.add_attachments(clue=clue, uploads=_files(payload.attachments), by=request.user,
                             origin=Origin.from_request(request))
    return _clue_detail(_get(request, clue_id))


@router.get("/clues/{clue_id}/attachments/{attachment_id}", response={200: bytes, **ERRORS}, summary="下载附件",
            description="每次下载都记入审计日志。")
def download_attachment(request, clue_id: int, attachment_id: int):
    attachment = selectors.attachment_get(user=request.user, pk=attachment_id)
    if attachment.clue_id != clue_id:
        from django.http import Http404

        raise Http404
    return attachment_response(attachment, by=request.user, origin=Origin.from_request(request))


@router.post("/clues/{clue_id}/feedback", response={200: ClueDetailOut, **ERRORS}, summary="向线索来源反馈",
             description="{|c:feedback|：}预警结束后向线索来源通报。")
def send_feedback(request, clue_id: int, payload: FeedbackIn):
    clue = _get(request, clue_id, "clue.feedback")
    services.send_feedback(clue=clue, content=payload.content, by=request.user, today=timezone.localdate(),
                           origin=Origin.from_request(request))
    return _clue_detail(_get(request, clue_id))


@router.post("/clues/{clue_id}/reporter", response={200: ReporterOut, **ERRORS}, summary="查看举报人身份",
             description="仅策略规定的角色可用；每次查看都记入审计日志{(|c:confidentiality|)}。")
def reveal_reporter(request, clue_id: int):
    clue = _get(request, clue_id, "clue.reveal_reporter")
    identity = services.reveal_reporter(clue=clue, by=request.user, origin=Origin.from_request(request))
    return {"name": identity.name, "contact": identity.contact, "id_number": identity.id_number}


def _transfer_out(clue) -> dict:
    return {"id": clue.pk, "number": clue.number, "transferred_on": clue.transfer.transferred_on,
            "summary": clue.summary, "concerned": _concerned_out(clue), "progress": selectors.liaison_progress(clue),
            "feedback": [f.content for f in clue.feedback.all()]}


@router.post("/clues/{clue_id}/secrecy", response={200: ClueDetailOut, **ERRORS}, summary="定密(线索)",
             description="设定线索的密级，须说明理由；不能定为本人无法查看的等级。")
def clue_secrecy(request, clue_id: int, payload: SecrecyIn):
    from yujing.orgs import secrecy

    clue = _get(request, clue_id, "clue.classify")
    secrecy.set_secrecy(obj=clue, level=payload.level, reason=payload.reason, by=request.user,
                        origin=Origin.from_request(request))
    return _clue_detail(_get(request, clue_id))


@router.get("/transfers", response={200: list[TransferOut], **ERRORS}, tags=["线索移送"], summary="本单位移送的线索",
            description="联络员可见本单位移送的线索的办理进度和反馈，仅此而已{(|c:transfer,c:feedback|)}。")
@paginate(LimitOffsetPagination)
def list_transfers(request):
    access.require(request.user, "transfer.view")
    return LazyMap(selectors.transfer_list(user=request.user), _transfer_out)


@router.get("/transfers/{clue_id}", response={200: TransferOut, **ERRORS}, tags=["线索移送"], summary="移送表进度")
def get_transfer(request, clue_id: int):
    return _transfer_out(selectors.transfer_get(user=request.user, pk=clue_id))


@router.post("/transfers", response={201: TransferOut, **ERRORS}, tags=["线索移送"], summary="填报预警线索移送表",
             description="联席会议成员单位联络员移送线索{(|c:transfer|)}；线索送往管理该干部的单位的纪检机构。")
def create_transfer(request, payload: TransferIn):
    clue = services.file_transfer(
        by=request.user, today=timezone.localdate(), transferred_on=payload.transferred_on, summary=payload.summary,
        detail=payload.detail, concerned=_concerned(payload.concerned), contact_person=payload.contact_person,
        contact_phone=payload.contact_phone, found_how=payload.found_how, unit_opinion=payload.unit_opinion,
        category_ids=payload.category_ids, uploads=_files(payload.attachments), origin=Origin.from_request(request),
    )
    return Status(201, _transfer_out(selectors.transfer_get(user=request.user, pk=clue.pk)))


@router.get("/cadres-lookup", response={200: list[LookupOut], **ERRORS}, tags=["干部"], summary="按姓名查找干部",
            description="登记线索或填报移送表时查找本县干部(只返回姓名、单位、职务)。")
def lookup(request, q: str):
    access.require(request.user, "cadre.lookup")
    cadres = cadre_selectors.cadre_lookup(user=request.user, q=q[:50])
    counts = selectors.open_items(user=request.user, cadre_ids=[c.pk for c in cadres])
    return [{"id": c.pk, "code": c.code, "name": c.name, "unit_name": c.unit.name, "position": c.position,
             "open_clues": counts[c.pk]["clues"], "open_cases": counts[c.pk]["cases"]} for c in cadres]


class CategoryOut(Schema):
    id: int
    name: str


@router.get("/problem-categories", response={200: list[CategoryOut], **ERRORS}, summary="问题类别")
def categories(request):
    return [{"id": c.pk, "name": c.name} for c in ProblemCategory.objects.filter(is_active=True)]
