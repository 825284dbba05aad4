
from datetime import date
from typing import Annotated

from ninja import Field, Schema

from yujing.clues.models import Clue
from yujing.forms import TEXT_MAX

# Every string an operation accepts has a length in its schema (issue 18, hole 8): a value beyond it is
# refused with 422 before any service runs, instead of being stored on SQLite and failing on PostgreSQL.
TEXT = TEXT_MAX  # free text stored in a TextField: the pages' bound too
KEY = 32  # a key chosen from a list (an outcome, a method) that is not stored as such
BASE64 = 4 * -(-20 * 1024 * 1024 // 3)  # a file of at most 20 MB, Base64-encoded
# the reporter's fields are encrypted (TextField); the lengths are the registration page's
REPORTER = {"name": 50, "contact": 100, "id_number": 30}


def limit(model, field: str) -> int:
    """The model field's max_length: the schema states the column's own limit."""
    return model._meta.get_field(field).max_length


def Text(max_length: int):
    """A string of at most ``max_length`` characters, for the items of a list."""
    return Annotated[str, Field(max_length=max_length)]


class Error(Schema):
    """所有错误的统一格式。"""

    code: str = Field(description="机器可读的错误代码：bad_request、unauthorized、forbidden、not_found、invalid、"
                                  "too_large、server_error")
    message: str = Field(description="中文说明")
    errors: list[dict] | None = Field(None, description="字段级错误（仅 invalid）")


# the error responses every operation documents (one shape: Error)
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error, 422: Error}


class SecrecyIn(Schema):
    level: str = Field(max_length=limit(Clue, "secrecy"), description="密级：normal 一般、confidential 秘密、secret 机密")
    reason: str = Field(max_length=500, description="定密(变更密级)的理由")


class UnitOut(Schema):
    id: int
    name: str = Field(description="名称")
    short_name: str = Field(description="简称")
    code: str = Field(description="单位代码")
    kind: str = Field(description="类别")
    kind_label: str = Field(description="类别名称")
    parent_id: int | None = Field(description="上级单位")
    depth: int = Field(description="层级")
    is_joint_member: bool = Field(description="是否联席会议成员单位{(|c:joint_meeting|)}")


class CadreOut(Schema):
    id: int
    code: str = Field(description="干部编号")
    name: str = Field(description="姓名")
    gender: str = Field(description="性别：M 男，F 女，空为未填")
    unit_id: int = Field(description="工作单位")
    unit_name: str = Field(description="工作单位名称")
    position: str = Field(description="职务")
    rank: str = Field(description="职级")
    is_principal: bool = Field(description="是否主要负责人{(|c:delegation,s:talk|)}")
    managed_by_id: int = Field(description="管理单位(干部管理权限)")
    managed_by_name: str = Field(description="管理单位名称")
    scope_category: str = Field(description="适用类别{(|c:scope|)}")
    is_active: bool = Field(description="是否在职")


class DueOut(Schema):
    start: date = Field(description="起算日(不计入)")
    period: str = Field(description="期间，如 7d、1m、5wd")
    due: date = Field(description="期间最后一日")
    nominal: date = Field(description="顺延前的届满日")
    rolled: bool = Field(description="是否因休息日顺延")
    provisional: bool = Field(description="是否涉及尚无节假日安排的年度(结果暂定)")


class PolicyOut(Schema):
    id: str = Field(description="策略标识")
    name: str = Field(description="名称")
    issuer: str = Field(description="制定机关")
    version: str = Field(description="版本")
    digest: str = Field(description="策略全文的 SHA-256；预警事项按其开始时的版本计算")
    in_force: bool = Field(description="是否为现行策略（按预警事项查询时，该事项的版本可能早于现行策略）")
    rules: dict = Field(description="全部规则，键名与策略文件相同：措施、期限（如 7d、1m、5wd）及起算事件、审批人、谈话、解除、登记等")
    text: str = Field(description="策略文件全文（TOML）")


def decode_base64(text: str, *, field: str, message: str) -> bytes:
    """A file sent as Base64 in a JSON body; invalid Base64 is a field error with ``message``."""
    import base64
    import binascii

    from django.core.exceptions import ValidationError

    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: [message]}) from None
