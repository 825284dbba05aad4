"""Warning-case operations: every workflow step calls the same service function as the page."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from yujing.audit import reads
from yujing.audit.services import Origin
from yujing.cadres.models import Cadre
from yujing.cases import actions, selectors
from yujing.cases.models import (
    CaseLimit,
    Decision,
    Letter,
    Notice,
    Revisit,
    Talk,
    Verification,
    WarningCase,
)
from yujing.cases.services import MinutesFile
from yujing.cases.workflow import TRANSITIONS
from yujing.orgs import access
from yujing.orgs.models import User
from yujing.policy.schema import RESTRICTION_SCOPES

from .clues import FileIn
from .pagination import LazyMap, ordered, ordering_param
from .schemas import ERRORS, TEXT, SecrecyIn, Text, decode_base64, limit

router = Router(tags=["预警事项"])


class NextStepOut(Schema):
    action: str
    label: str
    who: str = Field(description="由谁办理")
    due: date | None = Field(description="期限")
    provisional: bool = Field(description="期限是否暂定：期间涉及尚未录入节假日通知的年度，录入后重新计算")
    note: str


class EntryOut(Schema):
    on: date
    title: str
    detail: str
    article: str
    late: bool


class CaseOut(Schema):
    id: int
    number: str = Field(description="预警编号")
    target_id: int = Field(description="预警对象(干部)")
    target_name: str
    measure: str = Field(description="预警措施的键（本县策略的措施，见 GET /api/policy）")
    delivery: str = Field(description="letter 书面、talk 谈话；未实施为空")
    status: str
    status_label: str
    unit_in_charge_id: int
    proposed_on: date
    approved_on: date | None
    implementation_due: date | None = Field(description="组织实施期限{(|s:implementation|)}")
    implementation_provisional: bool = Field(description="组织实施期限是否暂定：期间涉及尚未录入节假日通知的年度，录入后重新计算")
    implemented_on: date | None
    response_start: date | None = Field(description="答复或整改起算日(送达日或谈话日)")
    response_due: date | None = Field(description="答复或整改期限(含批准的延期)")
    response_provisional: bool = Field(description="答复或整改期限是否暂定：期间涉及尚未录入节假日通知的年度，录入后重新计算")
    responded_on: date | None
    closed_on: date | None
    archived_on: date | None = Field(description="归档日期(归档后只读)")
    secrecy: str = Field(description="密级：normal 一般、confidential 秘密、secret 机密")


class MinutesOut(Schema):
    id: int
    decision_id: int
    meeting: str = Field(description="常委会会议")
    original_name: str
    kind: str
    size: int
    sha256: str


class CaseDetailOut(CaseOut):
    facts: str
    minutes: list[MinutesOut] = Field(description="常委会会议纪要{(|m:approval_article|)}；下载见 /cases/{case_id}/minutes/{minutes_id}")
    clue_ids: list[int]
    escalated_from_id: int | None
    policy_version: str = Field(description="所依据的策略版本(摘要)")
    timeline: list[EntryOut] = Field(description="办理经过，按日期")
    next_steps: list[NextStepOut] = Field(description="下一步、由谁办理、期限")
    available_actions: list[str] = Field(description="当前用户现在可以进行的操作")


def _out(case) -> dict:
    return {
        "id": case.pk, "number": case.number, "target_id": case.target_id, "target_name": case.target.name,
        "measure": case.measure, "delivery": case.delivery, "status": case.status,
        "status_label": case.get_status_display(), "unit_in_charge_id": case.unit_in_charge_id,
        "proposed_on": case.proposed_on, "approved_on": case.approved_on, "implementation_due": case.implementation_due,
        "implementation_provisional": case.implementation_provisional,
        "implemented_on": case.implemented_on, "response_start": case.response_start,
        "response_due": case.response_due, "response_provisional": case.response_provisional,
        "responded_on": case.responded_on, "closed_on": case.closed_on,
        "archived_on": case.archived_on, "secrecy": case.secrecy,
    }


def _detail(request, pk: int, case=None) -> dict:
    case = case or selectors.case_get(user=request.user, pk=pk)
    return {
        **_out(case), "facts": case.facts, "clue_ids": [c.pk for c in case.clues.all()],
        "minutes": [{"id": m.pk, "decision_id": d.pk, "meeting": d.meeting, "original_name": m.original_name,
                     "kind": m.kind, "size": m.size, "sha256": m.sha256}
                    for d in case.decisions.all() if (m := d.minutes_file)],
        "escalated_from_id": case.escalated_from_id, "policy_version": case.policy_version.digest[:12],
        "timeline": [vars(e) for e in selectors.timeline(case)],
        "next_steps": [vars(s) for s in selectors.next_steps(case)],
        "available_actions": actions.available(case, request.user, timezone.localdate()),
    }


CASE_ORDER = {"number": "number", "proposed_on": "proposed_on", "approved_on": "approved_on",
              "implementation_due": "implementation_due", "response_due": "response_due", "closed_on": "closed_on"}


class CaseQuery(Schema):
    ordering: ordering_param(*CASE_ORDER) | None = Field(None, description="排序；默认按建议日期从新到旧")
    q: str | None = None
    measure: str | None = None
    status: str | None = None
    unit_id: int | None = None
    target_id: int | None = None
    proposed_from: date | None = None
    proposed_to: date | None = None
    open_only: bool = False


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="预警台帐",
            description="管辖范围内的预警事项，一案一例{(|c:ledger|)}。")
@paginate(LimitOffsetPagination)
def list_cases(request, filters: Query[CaseQuery]):
    access.require(request.user, "ledger.view")
    f = selectors.CaseFilters(q=filters.q or "", measure=filters.measure or "", status=filters.status or "",
                              unit_id=filters.unit_id, target_id=filters.target_id,
                              proposed_from=filters.proposed_from, proposed_to=filters.proposed_to,
                              open_only=filters.open_only)
    return LazyMap(ordered(selectors.case_list(user=request.user, filters=f), filters.ordering, CASE_ORDER), _out)


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, summary="预警事项详情",
            description="状态、每一步、期限和下一步。")
def get_case(request, case_id: int):
    case = selectors.case_get(user=request.user, pk=case_id)  # the access check first: a refusal logs nothing
    reads.case_viewed(case, by=request.user, origin=Origin.from_request(request))  # as the case's page does
    return _detail(request, case_id, case)


# --- one operation per workflow action ----------------------------------------------------------


class VerifyIn(Schema):
    method: str = Field(max_length=limit(Verification, "method"), description="inquiry 了解、preliminary 初核、investigation 调查")
    done_on: date
    findings: str = Field(max_length=TEXT)
    conclusion: str = Field(max_length=limit(Verification, "conclusion"), description="true 属实、partly_true 部分属实、untrue 不属实、unverifiable 无法查实")
    meets_filing: bool = Field(False, description="核查认定已构成立案条件：立案查处的依据{（|c:filing|）}，此后不得以预警代之{（|c:warning_instead|）}")


class DecideIn(Schema):
    opinion: str = Field("", max_length=TEXT)
    meeting: str = Field("", max_length=limit(Decision, "meeting"), description="常委会研究确定时必填，如 2026年第12次常委会")
    meeting_on: date | None = None
    minutes: FileIn | None = Field(None, description="常委会会议纪要(只用于常委会研究确定的决定)")


class ReasonIn(Schema):
    reason: str = Field(max_length=TEXT)


class EmptyIn(Schema):
    pass


class ChiefReportIn(Schema):
    reported_on: date
    note: str = Field("", max_length=TEXT)


class OutcomeReportIn(Schema):
    reported_on: date = Field(description="汇报日期")
    note: str = Field(max_length=TEXT, description="汇报内容：解除预警或升级处理的结果{(|s:outcome_report|)}")


class PlanTalkIn(Schema):
    outline: str = Field(max_length=TEXT, description="谈话提纲")
    chief_id: int = Field(description="主谈人(用户)")
    other_talkers: list[Text(limit(Cadre, "name"))] = Field(description="其他谈话人姓名；合计不超过 200 字")
    scheduled_at: datetime
    place: str = Field(max_length=limit(Talk, "place"))
    chief_reason: str = Field("", max_length=TEXT, description="请{b:county_leaders}主谈(对主要负责人)的理由，此时必填{(|s:talk|)}")
    delegated_by_id: int | None = Field(None, description="委托人(用户)：委托所在单位主要负责人实施时填写，"
                                                          "主谈人即受委托的单位主要负责人{(|c:delegation|)}")
    delegated_on: date | None = Field(None, description="委托日期")


class NotifyTalkIn(Schema):
    sent_on: date


class HoldTalkIn(Schema):
    held_on: date | None = None
    record: str = Field("", max_length=TEXT)
    signed_on: date | None = Field(None, description="对象核实签字日期；签字后谈话才算完成")


class RegisterIn(Schema):
    content: str = Field(max_length=TEXT, description="承诺情况或整改要求")


class LetterIn(Schema):
    kind: str = Field(max_length=limit(Letter, "kind"), description="文书的键（本措施的 letter_forms，见 GET /api/policy）")
    issued_on: date
    content: str = Field(max_length=TEXT)


class ReceiptIn(Schema):
    received_on: date = Field(description="送达日期；答复或整改期限自此起算")


class LimitIn(Schema):
    key: str = Field(max_length=limit(CaseLimit, "key"), description="期限事项的键（本措施的 limits，见 GET /api/policy）")
    done_on: date = Field(description="完成日期；不早于型期限不得早于其期限日")
    note: str = Field("", max_length=TEXT, description="情况")


class SignOffIn(Schema):
    signer_name: str = Field(max_length=50, description="签署人（本级签署人的姓名）")
    signed_on: date = Field(description="签署日期")


class NewRoundIn(Schema):
    started_on: date = Field(description="再次整改的开始日期；新的整改期限自此起算")
    reason: str = Field(max_length=TEXT, description="再次整改的要求和理由")


class AgainIn(Schema):
    decided_on: date = Field(description="再次函询的决定日期；新的函的发函期限自此起算（本措施的 again.period，未写的为组织实施期限）")
    reason: str = Field(max_length=TEXT, description="再次函询的理由和需要进一步说明的问题")


class SendBackIn(Schema):
    sent_back_on: date = Field(description="退回日期；重新说明的期限自此起算")
    reason: str = Field(max_length=TEXT, description="退回理由")


class ResponseIn(Schema):
    received_on: date
    content: str = Field(max_length=TEXT)


class ExtensionRequestIn(Schema):
    reason: str = Field(max_length=TEXT)
    requested_until: date


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=TEXT)


class RevisitIn(Schema):
    methods: list[Text(limit(Revisit, "other_method"))] = Field(description="回访形式，一项或多项：report 听取汇报、documents 查阅资料、"
                                           "symposium 召开座谈会、other 其他{（|c:revisit_means|）}")
    other_method: str = Field("", max_length=limit(Revisit, "other_method"), description="选择 other 时说明回访形式")
    done_on: date
    findings: str = Field(max_length=TEXT)
    meets_requirement: bool


class NoticeIn(Schema):
    recipient: str = Field(max_length=limit(Notice, "recipient"), description="organization_dept, personnel_dept, unit_party_org")
    sent_on: date
    content: str = Field(max_length=TEXT)


class LiftIn(Schema):
    basis: str = Field(max_length=TEXT)


class EscalateIn(Schema):
    kind: str = Field(max_length=limit(WarningCase, "escalation"), description="升级方式：本措施的 escalations（见 GET /api/policy）")
    basis: str = Field(max_length=TEXT)
    facts: str = Field("", max_length=TEXT)


PAYLOADS = {
    "verify": VerifyIn, "refer": EmptyIn, "approve": DecideIn, "reject": DecideIn, "withdraw": ReasonIn,
    "report_chief": ChiefReportIn, "plan_talk": PlanTalkIn, "notify_talk": NotifyTalkIn, "hold_talk": HoldTalkIn,
    "write_register": RegisterIn, "approve_register": EmptyIn, "issue_letter": LetterIn, "record_receipt": ReceiptIn, "record_limit": LimitIn,
    "record_response": ResponseIn, "send_back": SendBackIn, "new_round": NewRoundIn, "again": AgainIn, "sign_off": SignOffIn, "request_extension": ExtensionRequestIn, "decide_extension": ExtensionDecisionIn,
    "revisit": RevisitIn, "notify": NoticeIn, "lift": LiftIn, "escalate": EscalateIn,
    "report_outcome": OutcomeReportIn,
}


def _cleaned(name: str, payload: Schema) -> dict:
    data = payload.dict()
    if name in ("approve", "reject") and data.get("minutes"):
        item = data["minutes"]
        data["minutes"] = MinutesFile(item["name"], decode_base64(
            item["content_base64"], field="minutes", message=f"文件“{item['name']}”的内容不是有效的 Base64"))
    if name == "plan_talk":
        chief = User.objects.filter(pk=data.pop("chief_id"), is_active=True).first()
        if chief is None:
            raise ValidationError({"chief": ["主谈人不存在"]})
        data["chief"] = chief
        data["other_talkers"] = ",".join(data["other_talkers"])
        if len(data["other_talkers"]) > limit(Talk, "other_talkers"):
            raise ValidationError({"other_talkers": [f"其他谈话人合计不能超过 {limit(Talk, 'other_talkers')} 个字"]})
        delegated_by = data.pop("delegated_by_id")
        if delegated_by is not None:
            data["delegated_by"] = User.objects.filter(pk=delegated_by, is_active=True).first()
            if data["delegated_by"] is None:
                raise ValidationError({"delegated_by": ["委托人不存在"]})
    return data


def _operation(name: str, schema: type[Schema]):
    def operation(request, case_id: int, payload: schema):  # type: ignore[valid-type]
        case = selectors.case_get(user=request.user, pk=case_id)
        actions.ACTIONS[name].run(case, request.user, timezone.localdate(), _cleaned(name, payload))
        return _detail(request, case_id)

    operation.__name__ = f"case_{name}"
    return operation


for _name, _schema in PAYLOADS.items():
    _transition = TRANSITIONS[_name]
    router.post(
        f"/cases/{{case_id}}/{_name.replace('_', '-')}", response={200: CaseDetailOut, **ERRORS},
        summary=_transition.label, operation_id=f"case_{_name}",
        description=f"{_transition.label}（{_transition.article}）。与页面调用同一服务函数，权限、期限和顺序规则相同。",
    )(_operation(_name, _schema))


@router.get("/cases/{case_id}/minutes/{minutes_id}", response={200: bytes, **ERRORS}, summary="下载常委会会议纪要",
            description="常委会研究确定时所附的会议纪要{(|m:approval_article|)}；按管辖范围和密级查看，每次下载都记录在案。")
def download_minutes(request, case_id: int, minutes_id: int):
    from yujing.cases.downloads import minutes_response

    minutes = selectors.minutes_get(user=request.user, pk=minutes_id)
    if minutes.decision.case_id != case_id:
        from django.http import Http404

        raise Http404("未找到")
    return minutes_response(minutes, by=request.user, origin=Origin.from_request(request))


@router.post("/cases/{case_id}/secrecy", response={200: CaseDetailOut, **ERRORS}, summary="定密(预警事项)",
             description="设定预警事项的密级，须说明理由；不能定为本人无法查看的等级。")
def case_secrecy(request, case_id: int, payload: SecrecyIn):
    from yujing.orgs import secrecy

    case = access.get_object_or_deny(selectors.visible_cases(request.user).select_related("unit_in_charge"),
                                     request.user, "case.classify", pk=case_id)
    secrecy.set_secrecy(obj=case, level=payload.level, reason=payload.reason, by=request.user,
                        origin=Origin.from_request(request))
    return _detail(request, case_id)


class RestrictionOut(Schema):
    case_id: int | None = Field(description="施加限制的预警事项；其密级高于当前用户可知悉的密级时为 null（限制照常列出）")
    measure: str = Field(description="该事项的预警措施；密级高于当前用户可知悉的密级时为空")
    since: date = Field(description="受限起始日：限制规则所定起算事件之日（如送达日、谈话日）")
    until: date | None = Field(description="至预警办结为止的限制：目前的整改期限；按期间或至当年年底的限制：限制的最后一日")
    condition: str = Field(description="解除条件")
    scope: str = Field(description="限制范围：" + "、".join(f"{k} {v}" for k, v in RESTRICTION_SCOPES.items()))
    label: str = Field(description="限制内容（策略中该项限制的原文）")
    article: str = Field(description="限制的依据条款")


class CadreRestrictionOut(Schema):
    cadre_id: int
    code: str
    name: str
    restricted: bool = Field(description="今天是否受任何一项限制（限制内容与依据见 restrictions 各项的 label、article）")
    restrictions: list[RestrictionOut]


class BatchIn(Schema):
    cadre_ids: list[int] = Field(default_factory=list, max_length=5000)
    codes: list[Text(limit(Cadre, "code"))] = Field(default_factory=list, max_length=5000, description="干部编号")


def _restrictions(request, cadres) -> list[dict]:
    today = timezone.localdate()
    from yujing.cases.restrictions import for_reader

    found = for_reader(selectors.restrictions(cadre_ids=[c.pk for c in cadres], today=today), request.user)
    return [{
        "cadre_id": c.pk, "code": c.code, "name": c.name, "restricted": bool(found[c.pk]),
        "restrictions": [{"case_id": r.case.pk if r.disclosed else None, "measure": r.case.measure if r.disclosed else "",
                          "since": r.since, "until": r.until,
                          "condition": r.condition, "scope": r.scope, "label": r.label, "article": r.article}
                         for r in found[c.pk]],
    } for c in cadres]


@router.post("/restrictions", response={200: list[CadreRestrictionOut], **ERRORS}, tags=["限制查询"],
             summary="查询评优、提拔限制", description="组织、人事部门在评优或提拔前批量查询{(|r:|)}。")
def query_restrictions(request, payload: BatchIn):
    from django.db.models import Q

    from yujing.cadres.models import Cadre

    access.require(request.user, "restriction.query")
    cadres = list(access.restrict(Cadre.objects.filter(Q(pk__in=payload.cadre_ids) | Q(code__in=payload.codes)),
                                  request.user, "restriction.query").order_by("code"))
    from django.db import transaction

    from yujing.audit.services import record

    with transaction.atomic():
        record("cases.restriction.queried", by=request.user, origin=Origin.from_request(request),
               data={"cadres": [c.pk for c in cadres], "asked": len(payload.cadre_ids) + len(payload.codes)})
    return _restrictions(request, cadres)
