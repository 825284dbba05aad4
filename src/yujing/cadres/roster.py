"""Reading the organisation department's roster (XLSX) into checked rows.

The whole file is checked before anything is written: any bad row rejects the import, and every
problem is reported with its row and column in Chinese.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from yujing.core import xlsx
from yujing.policy.words import in_force

from .models import Rank, ScopeCategory

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_BLANK_ROWS = 1_000  # empty rows tolerated among the data rows
MAX_COLUMNS = 64
MAX_CELL_CHARS = 1_000  # the longest column (备注) holds 200


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    aliases: tuple[str, ...] = ()
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("code", "干部编号", True, ("编号", "人员编号"), "MH0001"),
    Column("name", "姓名", True, (), "张某某"),
    Column("gender", "性别", False, (), "男"),
    Column("birth_month", "出生年月", False, ("出生日期",), "1975.03"),
    Column("unit", "工作单位", True, ("单位", "所在单位"), "青石镇"),
    Column("position", "职务", True, ("现任职务",), "党委书记"),
    Column("rank", "职级", False, ("职务层次",), "正科级"),
    Column("is_principal", "是否主要负责人", False, ("主要负责人",), "是"),
    Column("managed_by", "管理单位", True, ("干部管理权限", "管理权限"), "中共明湖县委"),
    Column("scope_category", "适用类别", True, ("单位性质", "机关类别"), "党的机关"),
    Column("is_active", "在职", False, ("是否在职",), "是"),
    Column("note", "备注", False, (), ""),
    Column("term_ends_on", "任期届满日期", False, ("任期届满", "任期届满时间"), "2026.12.31"),
)

_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (1-based, the header is row 1)
    column: str  # Chinese header, or "" for the whole file
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        where = f"第{self.row}行" + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class RosterRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


class RosterError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors[:20]))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_bool(value: Any, *, default: bool) -> bool | None:
    text = _text(value).lower()
    if text == "":
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[.\-/年]\s*(\d{1,2})\s*月?(?:[.\-/]\s*\d{1,2}\s*日?)?)?$")


def parse_month(value: Any) -> date | str | None:
    """A birth month as 1975.03, 1975-03, 1975年3月, 197503 or a date cell; "" → None."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    text = _text(value)
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}.{text[4:]}"
    match = _MONTH_RE.match(text)
    if not match or not match.group(2):
        return "invalid"
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return "invalid"
    return date(year, month, 1)


_DAY_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?$")


def parse_day(value: Any) -> date | str | None:
    """A day as 2026.12.31, 2026-12-31, 2026/12/31, 2026年12月31日, 20261231 or a date cell; "" → None."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, date):  # a date cell (a spreadsheet's datetime is a naive day, not a timestamp)
        return date(value.year, value.month, value.day)
    text = _text(value)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}.{text[4:6]}.{text[6:]}"
    match = _DAY_RE.match(text)
    if not match:
        return "invalid"
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return "invalid"
    return day if 1900 <= day.year <= 2100 else "invalid"


def _lookup(choices: type, text: str) -> str | None:
    """A TextChoices value from its value, its label, or its label without 级 / （…）."""
    for value, label in choices.choices:
        short = re.sub(r"\(.*\)$", "", label)
        if text in {value, label, short, label.removesuffix("级")}:
            return value
    return None


def read_roster(data: bytes) -> list[RosterRow]:
    """Read and shape-check the workbook; values are checked further by the import service."""
    if len(data) > MAX_BYTES:
        raise RosterError([RowError(0, "", f"文件超过 {MAX_BYTES // 1024 // 1024} MB")])
    rows = xlsx.read_rows(data, max_rows=MAX_ROWS + MAX_BLANK_ROWS + 1, max_columns=MAX_COLUMNS,
                          max_cell_chars=MAX_CELL_CHARS)
    try:
        _, header = next(rows, (1, None))
        if not header:
            raise RosterError([RowError(0, "", "工作表是空的")])
        index = _map_header(header)
        result: list[RosterRow] = []
        for number, cells in rows:
            if not cells or all(_text(c) == "" for c in cells):
                continue
            values = {key: (cells[i] if i < len(cells) else None) for key, i in index.items()}
            result.append(RosterRow(number, values))
            if len(result) > MAX_ROWS:
                raise RosterError([RowError(0, "", f"一次最多导入 {MAX_ROWS} 行")])
    except xlsx.XlsxRefused as refused:
        raise RosterError([RowError(0, "", str(refused))]) from None
    finally:
        rows.close()
    if not result:
        raise RosterError([RowError(0, "", "工作表中没有数据行")])
    return result


def _map_header(header: Iterable[Any]) -> dict[str, int]:
    names = [_text(h).replace(" ", "") for h in header]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        wanted = {column.header, *column.aliases}
        found = [i for i, name in enumerate(names) if name in wanted]
        if len(found) > 1:
            errors.append(RowError(1, column.header, "表头重复出现"))
        elif found:
            index[column.key] = found[0]
        elif column.required:
            errors.append(RowError(1, column.header, "缺少此列"))
    if errors:
        raise RosterError(errors)
    return index


def template_workbook() -> bytes:
    """An empty roster with the expected headers and one example row, for download."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "干部名册"
    sheet.append([c.header + ("*" if c.required else "") for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(10, len(column.header) * 2 + 4)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    notes.append(["干部编号", "是", "组织部门给定的唯一编号；已有编号的干部按本表更新"])
    notes.append(["工作单位 / 管理单位", "是", "填写系统中的单位名称、简称或单位代码"])
    notes.append(["职级", "否", "、".join(label for _, label in Rank.choices)])
    notes.append(["适用类别", "是", "、".join(label for _, label in ScopeCategory.choices) + in_force().cited("scope")])
    notes.append(["是否主要负责人 / 在职", "否", "是 / 否；不填时主要负责人为“否”，在职为“是”"])
    notes.append(["出生年月", "否", "如 1975.03、1975-03 或 1975年3月"])
    notes.append(["任期届满日期", "否", "本届任期届满之日，如 2026.12.31、2026-12-31 或 2026年12月31日；“本届任期内”的限制至该日止"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def clean_row(row: RosterRow, units: dict[str, Any], ambiguous: set[str]) -> tuple[dict[str, Any], list[RowError]]:
    """Check one row's values; returns the cadre fields and the row's errors."""
    v, errors, out = row.values, [], {}

    def err(key: str, message: str) -> None:
        header = next(c.header for c in COLUMNS if c.key == key)
        errors.append(RowError(row.row, header, message))

    for key, limit in (("code", 32), ("name", 50), ("position", 100), ("note", 200)):
        text = _text(v.get(key))
        if not text and key in {"code", "name", "position"}:
            err(key, "不能为空")
        elif len(text) > limit:
            err(key, f"不能超过 {limit} 个字")
        out[key] = text
    if out["code"] and not re.fullmatch(r"[A-Za-z0-9_\-]+", out["code"]):
        err("code", "只能由字母、数字、下划线和连字符组成")

    gender = _text(v.get("gender"))
    out["gender"] = {"男": "M", "女": "F", "": ""}.get(gender)
    if out["gender"] is None:
        err("gender", f"应为“男”或“女”，而不是“{gender}”")

    month = parse_month(v.get("birth_month"))
    if month == "invalid":
        err("birth_month", f"无法识别“{_text(v.get('birth_month'))}”，应写作如 1975.03")
        month = None
    out["birth_month"] = month

    term_end = parse_day(v.get("term_ends_on"))
    if term_end == "invalid":
        err("term_ends_on", f"无法识别“{_text(v.get('term_ends_on'))}”，应写作如 2026.12.31")
        term_end = None
    out["term_ends_on"] = term_end

    for key in ("unit", "managed_by"):
        text = _text(v.get(key))
        if not text:
            err(key, "不能为空")
        elif text in ambiguous:
            err(key, f"单位名称“{text}”不唯一，请改填单位代码")
        elif text not in units:
            err(key, f"找不到单位“{text}”（或不在您的管辖范围内）")
        else:
            out[key] = units[text]

    rank = _text(v.get("rank"))
    out["rank"] = _lookup(Rank, rank) if rank else ""
    if out["rank"] is None:
        err("rank", f"无法识别“{rank}”，可填：{'、'.join(label for _, label in Rank.choices)}")

    category = _text(v.get("scope_category"))
    out["scope_category"] = _lookup(ScopeCategory, category) if category else None
    if not category:
        err("scope_category", "不能为空")
    elif out["scope_category"] is None:
        err("scope_category", f"无法识别“{category}”，应为{in_force().cite('scope') or '适用范围'}所列类别之一")

    for key, default in (("is_principal", False), ("is_active", True)):
        parsed = parse_bool(v.get(key), default=default)
        if parsed is None:
            err(key, f"应为“是”或“否”，而不是“{_text(v.get(key))}”")
        out[key] = parsed
    return out, errors
