"""The JSON API (OpenAPI at /api/openapi.json, docs at /api/docs).

Operations call the same selectors and services as the pages, so scoping and rules are the same.
Errors share one shape: ``{"code": …, "message": …, "errors": …}``.
"""


import re
from datetime import date

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.parser import Parser

from yujing.cadres import selectors as cadre_selectors
from yujing.cadres.roster import RosterError
from yujing.documents.services import Busy as DocumentBusy
from yujing.orgs import access
from yujing.orgs import selectors as unit_selectors
from yujing.policy.loader import due, get_policy
from yujing.policy.periods import Period, PeriodError

from .auth import AUTH, SessionOwes
from .cases import router as cases_router
from .clues import router as clues_router
from .documents import router as documents_router
from .oversight import router as oversight_router
from .pagination import LazyMap, ordered, ordering_param
from .schemas import BASE64, ERRORS, CadreOut, DueOut, PolicyOut, UnitOut, decode_base64
from .words import render_all

# What each parameter means, in one place: the OpenAPI description shows it on every operation that
# takes it (a test fails when an operation's parameter has no Chinese description).
PARAMETERS = {
    "unit_id": "单位 id", "cadre_id": "干部 id", "clue_id": "线索 id", "case_id": "预警事项 id",
    "attachment_id": "附件 id", "minutes_id": "会议纪要 id", "document_id": "文书 id", "number_id": "文号 id", "report_id": "报告 id",
    "notification_id": "提醒 id", "year": "年度", "quarter": "季度(1-4)", "fmt": "格式：docx 或 pdf",
    "limit": "每页条数(最多 200)", "offset": "跳过的条数(翻页)", "ordering": "排序列，前加 - 为倒序",
    "q": "检索词：姓名、职务、问题摘要等模糊匹配，编号精确匹配", "kind": "单位类别", "managed_by_id": "管理单位 id",
    "principal": "是否主要负责人", "scope_category": "适用类别{(|c:scope|)}", "active": "是否在职(默认只列在职)",
    "channel": "线索来源渠道{(|c:channels|)}", "status": "状态", "category_id": "问题类别 id",
    "received_from": "收到日期起", "received_to": "收到日期止", "late": "是否逾期未筛选",
    "measure": "预警措施的键（本县策略的措施，见 GET /api/policy）", "target_id": "预警对象(干部) id",
    "proposed_from": "建议日期起", "proposed_to": "建议日期止", "open_only": "只列未办结的",
    "start": "起算日(不计入期间)", "period": "期间，如 7d(日)、1m(月)、5wd(工作日)",
}


# the files the download operations answer with (not JSON)
BINARY = {
    "/api/documents/{document_id}/{fmt}": [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf"],
    "/api/clues/{clue_id}/attachments/{attachment_id}": [
        "application/pdf", "image/png", "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"],
}
BIGINT = 2**63 - 1


class UnsafeInput(ValueError):
    """Input no column can hold: a NUL character (PostgreSQL text refuses it) or an integer beyond
    64 bits. Refused once, where the request is parsed, for every operation."""


def _check(value, where: str = "") -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise UnsafeInput(f"{where or '输入'}含有不允许的控制字符 (NUL)")
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -BIGINT - 1 <= value <= BIGINT:
            raise UnsafeInput(f"{where or '数值'}超出范围")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, where)
            _check(item, str(key))
    elif isinstance(value, list):
        for item in value:
            _check(item, where)


class SafeParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        _check(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            for item in value if isinstance(value, list) else [value]:
                _check(item, key)
                number = item.strip()
                # more than 19 digits is out of range before int() (which refuses beyond 4,300 digits)
                if re.fullmatch(r"[+-]?\d+", number) and (len(number.lstrip("+-")) > 19 or abs(int(number)) > BIGINT):
                    raise UnsafeInput(f"{key}超出范围")
        return result


def policy_choices() -> dict[str, tuple[list[str], str]]:
    """The values the policy in force allows for the measure, letter and escalation fields, each with the
    Chinese description the OpenAPI document gives it (no key is written in the code)."""
    from yujing.cases.measures import letter_label
    from yujing.policy.loader import get_policy
    from yujing.policy.schema import CONDITIONS, OUTCOMES

    policy = get_policy()
    measures = policy.measures
    letters = list(dict.fromkeys(k for m in measures.values() for k in m.letter_forms))
    targets = list(dict.fromkeys(t for m in measures.values() for t in m.escalations))

    def target(key: str) -> str:
        return f"转{measures[key].label}" if key in measures else OUTCOMES[key]

    def opens(key: str) -> str:
        return "；".join(f"{m.label}：{CONDITIONS[m.condition(key)]}" for m in measures.values() if key in m.escalations)

    return {
        "measure": (list(measures), "预警措施（本县策略，由轻到重）：" + "、".join(f"{k} {m.label}" for k, m in measures.items())),
        "letter": (letters, "文书：" + "、".join(f"{k} {letter_label(policy, k)}" for k in letters)
                   + "；须为本措施的 letter_forms"),
        "escalation": (targets, "升级方式：" + "、".join(f"{k} {target(k)}（{opens(k)}）" for k in targets)
                       + "；须为本措施的 escalations"),
    }


# which schema property takes which of policy_choices(); an output field gets the description only (a case
# keeps the policy version it started under, whose measures may since have changed)
POLICY_FIELDS = {("CaseOut", "measure"): "measure", ("ProposalIn", "measure"): "measure",
                 ("LetterIn", "kind"): "letter", ("EscalateIn", "kind"): "escalation"}
OUTPUTS = {"CaseOut"}


class YujingAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        choices = policy_choices()
        components = schema.get("components", {}).get("schemas", {})
        for (name, field), which in POLICY_FIELDS.items():
            prop = components.get(name, {}).get("properties", {}).get(field)
            if prop is not None:
                values, prop["description"] = choices[which]
                if name not in OUTPUTS:
                    prop["enum"] = values
        for path, types in BINARY.items():
            ok = schema["paths"].get(path, {}).get("get", {}).get("responses", {}).get(200)
            if ok is not None:
                ok["content"] = {kind: {"schema": {"type": "string", "format": "binary"}} for kind in types}
        for operations in schema["paths"].values():
            for operation in operations.values():
                if not operation.get("description"):
                    operation["description"] = operation.get("summary", "")
                for parameter in operation.get("parameters", []):
                    if parameter["name"] == "measure":
                        values, parameter["description"] = choices["measure"]
                        branches = parameter["schema"].get("anyOf", [parameter["schema"]])
                        next(b for b in branches if b.get("type") == "string")["enum"] = values
                    if not parameter.get("description"):
                        parameter["description"] = PARAMETERS.get(parameter["name"], "")
        # the articles and bodies the descriptions name, from the policy in force (api/words.py)
        return render_all(schema, get_policy())


api = YujingAPI(
    title="预警 Yujing 接口",
    version="1",
    description=(
        "领导干部廉洁自律预警机制信息系统的数据接口。所有操作与页面使用相同的权限和管辖范围"
        "(干部管理权限)：范围之外的对象一律返回 404。认证方式：接口令牌(Bearer)或浏览器会话。"
    ),
    auth=AUTH,
    urls_namespace="api",
    parser=SafeParser(),
)



def _error(request: HttpRequest, status: int, code: str, message: str, errors: list | None = None):
    body = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", "未找到，或不在您的管辖范围内")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or "您没有进行此操作的权限")


@api.exception_handler(SessionOwes)
def session_owes(request, exc):
    # the same answer the middleware gives such a session without a token (docs/api.md)
    return _error(request, 403, exc.code, str(exc))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return _error(request, 401, "unauthorized", "未登录或接口令牌无效")


@api.exception_handler(NinjaValidationError)
def invalid(request, exc):
    from .messages import chinese

    # each error in Chinese (api/messages.py); the message names the first field refused and why
    errors = [{"loc": list(e.get("loc", [])), "message": chinese(e)} for e in exc.errors]
    first = errors[0] if errors else None
    field = next((str(p) for p in reversed(first["loc"]) if isinstance(p, str)), "") if first else ""
    message = f"输入有误：{field} {first['message']}" if first and field else "输入有误"
    return _error(request, 422, "invalid", message, errors)


@api.exception_handler(ValidationError)
def rule_broken(request, exc):
    """A service refused: the same Chinese messages the pages show, per field where it names one."""
    if hasattr(exc, "error_dict"):
        errors = [{"loc": [key], "message": m} for key, messages in exc.message_dict.items() for m in messages]
        return _error(request, 422, "invalid", "；".join(e["message"] for e in errors), errors)
    return _error(request, 422, "invalid", "；".join(exc.messages))


@api.exception_handler(DocumentBusy)
def document_busy(request, exc):
    """The same document generated by two requests at once, and still colliding after retries."""
    return _error(request, 409, "conflict", "；".join(exc.messages))


@api.exception_handler(RosterError)
def roster_rejected(request, exc):
    errors = [{"loc": [f"第{e.row}行" if e.row else "文件", e.column], "message": str(e)} for e in exc.errors[:500]]
    return _error(request, 422, "invalid", f"名册有 {len(exc.errors)} 处问题，未导入任何一行", errors)


HTTP_CODES = {400: ("bad_request", "请求体不是有效的 JSON"),
              # django-ninja's own refusal of a session's write without its CSRF token (the only HttpError 403)
              403: ("csrf_failed", "CSRF 校验失败：浏览器会话的写操作须带 X-CSRFToken 请求头，请刷新页面后重试"),
              405: ("method_not_allowed", "不支持此请求方法"),
              429: ("throttled", "请求过于频繁，请稍后再试")}


@api.exception_handler(UnsafeInput)
def unsafe_input(request, exc):
    return _error(request, 422, "invalid", str(exc))


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc.__cause__, UnsafeInput):  # raised while the body was parsed
        return unsafe_input(request, exc.__cause__)
    code, message = HTTP_CODES.get(exc.status_code, ("error", str(exc)))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return _error(request, 413, "too_large", "请求过大：附件每个不超过 20 MB")


DATE_OVERFLOW = "日期超出可计算的范围（期间的最后一日不能晚于 9999年12月31日）"


@api.exception_handler(OverflowError)
def date_overflow(request, exc):
    """A date computed beyond 9999-12-31 from a date someone entered (issue 18 hole 11): 422, not 500."""
    return _error(request, 422, "invalid", DATE_OVERFLOW)


@api.exception_handler(Exception)
def server_error(request, exc):
    """A fault of ours: logged with its traceback; the caller gets the one error shape, nothing more."""
    import logging

    logging.getLogger("yujing.api").exception("API %s %s", request.method, request.path)
    return _error(request, 500, "server_error", "系统内部错误，已记录，请联系系统管理员")


def _unit_out(unit) -> dict:
    return {
        "id": unit.pk,
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "parent_id": unit.parent_id,
        "depth": unit.depth,
        "is_joint_member": unit.is_joint_member,
    }


def _cadre_out(cadre) -> dict:
    return {
        "id": cadre.pk,
        "code": cadre.code,
        "name": cadre.name,
        "gender": cadre.gender,
        "unit_id": cadre.unit_id,
        "unit_name": cadre.unit.name,
        "position": cadre.position,
        "rank": cadre.rank,
        "is_principal": cadre.is_principal,
        "managed_by_id": cadre.managed_by_id,
        "managed_by_name": cadre.managed_by.name,
        "scope_category": cadre.scope_category,
        "is_active": cadre.is_active,
    }


class UnitFilter(Schema):
    kind: str | None = None


@api.get("/units", response={200: list[UnitOut], **ERRORS}, tags=["单位"], summary="单位列表",
         description="当前用户可见的单位，按单位树顺序。")
@paginate(LimitOffsetPagination)
def list_units(request, filters: Query[UnitFilter]):
    access.require(request.user, "unit.view")
    return LazyMap(unit_selectors.unit_list(user=request.user, kind=filters.kind), _unit_out)


@api.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, tags=["单位"], summary="单位详情")
def get_unit(request, unit_id: int):
    return _unit_out(unit_selectors.unit_get(user=request.user, pk=unit_id))


CADRE_ORDER = {"code": "code", "name": "name", "unit": "unit__path", "managed_by": "managed_by__path"}


class CadreFilter(Schema):
    ordering: ordering_param(*CADRE_ORDER) | None = Field(None, description="排序；默认按单位、主要负责人、编号")
    q: str | None = None
    unit_id: int | None = None
    managed_by_id: int | None = None
    principal: bool | None = None
    scope_category: str | None = None
    active: bool | None = True


@api.get("/cadres", response={200: list[CadreOut], **ERRORS}, tags=["干部"], summary="干部名册",
         description="管辖范围内的领导干部(按干部管理权限)。q 按姓名、职务模糊匹配或按编号精确匹配。")
@paginate(LimitOffsetPagination)
def list_cadres(request, filters: Query[CadreFilter]):
    access.require(request.user, "cadre.view")
    qs = cadre_selectors.cadre_list(
        user=request.user,
        q=filters.q or "",
        unit_id=filters.unit_id,
        managed_by_id=filters.managed_by_id,
        principal=filters.principal,
        scope_category=filters.scope_category or "",
        active=filters.active,
    )
    return LazyMap(ordered(qs, filters.ordering, CADRE_ORDER), _cadre_out)


@api.get("/cadres/{cadre_id}", response={200: CadreOut, **ERRORS}, tags=["干部"], summary="干部详情")
def get_cadre(request, cadre_id: int):
    return _cadre_out(cadre_selectors.cadre_get(user=request.user, pk=cadre_id))


class RosterIn(Schema):
    name: str = Field("名册.xlsx", max_length=200, description="文件名")
    content_base64: str = Field(max_length=BASE64, description="干部名册 XLSX(模板见页面“导入名册”)，Base64")


class RosterResultOut(Schema):
    total: int = Field(description="行数")
    created: int = Field(description="新增")
    updated: int = Field(description="更新")
    unchanged: int = Field(description="无变化")


@api.post("/roster-imports", response={200: RosterResultOut, **ERRORS}, tags=["干部"], summary="导入干部名册",
          description="组织部门按模板导入名册：全部通过校验才写入，否则一行也不写，并逐行逐列说明问题。")
def import_roster(request, payload: RosterIn):
    from yujing.audit.services import Origin
    from yujing.cadres import services as cadre_services

    access.require(request.user, "cadre.import")
    data = decode_base64(payload.content_base64, field="content_base64", message="文件内容不是有效的 Base64")
    result = cadre_services.import_roster(data=data, by=request.user, origin=Origin.from_request(request),
                                          filename=payload.name)
    return {"total": result.total, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged}


@api.get("/due", response={200: DueOut, **ERRORS}, tags=["期限"], summary="期限计算",
         description="按民法典第二百零一至二百零三条及节假日安排计算期间最后一日。period 如 7d、10d、1m、5wd。")
def compute_due(request, start: date, period: str):
    access.require(request.user, "policy.view")
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        return _error(request, 422, "invalid", str(exc))
    try:
        result = due(start, parsed)
    except OverflowError:  # beyond 9999-12-31: a refusal, not a fault
        return _error(request, 422, "invalid", DATE_OVERFLOW)
    return {"start": result.start, "period": str(parsed), "due": result.date, "nominal": result.nominal,
            "rolled": result.rolled, "provisional": result.provisional}


@api.get("/policy", response={200: PolicyOut, **ERRORS}, tags=["期限"], summary="预警规则（策略）",
         description="现行的预警规则；给出 case 时为该预警事项开始时的版本（一个预警事项始终按其开始时的策略计算）。")
def get_policy_rules(request, case: int | None = Query(None, description="预警事项 id；给出时返回该事项开始时的策略版本")):
    from yujing.cases import selectors as case_selectors
    from yujing.cases.services._common import case_policy
    from yujing.policy.loader import get_policy

    access.require(request.user, "policy.view")
    current = get_policy()
    if case is None:
        policy = current
    else:
        visible = case_selectors.visible_cases(request.user).select_related("policy_version", "unit_in_charge")
        policy = case_policy(access.get_object_or_deny(visible, request.user, "case.view", pk=case))
    meta = policy.rules.policy
    return {"id": meta.id, "name": meta.name, "issuer": meta.issuer, "version": meta.version, "digest": policy.digest,
            "in_force": policy.digest == current.digest, "rules": policy.rules.model_dump(mode="json", by_alias=True),
            "text": policy.text}


api.add_router("", clues_router)
api.add_router("", cases_router)
api.add_router("", documents_router)
api.add_router("", oversight_router)
