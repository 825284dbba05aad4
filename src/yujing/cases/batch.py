"""Batch restriction query (第三十一条): the organisation or personnel department uploads the
candidates of a promotion or award round (XLSX) and gets back, per person, whether they are
restricted today, why, and until when — on the page and as XLSX."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from yujing.cadres.models import Cadre
from yujing.core import xlsx
from yujing.core.cells import neutralise_workbook
from yujing.core.dates import cn_date
from yujing.orgs import access

from .restrictions import Restriction, for_reader
from .selectors import restrictions

MAX_ROWS = 5000
MAX_BLANK_ROWS = 1_000  # empty rows tolerated among the candidates
MAX_COLUMNS = 64
MAX_CELL_CHARS = 1_000


@dataclass
class Answer:
    row: int
    code: str
    name: str
    cadre: Cadre | None
    found: str  # how it was matched, or why not
    restrictions: list[Restriction]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_candidates(data: bytes) -> list[tuple[int, str, str]]:
    rows = xlsx.read_rows(data, max_rows=MAX_ROWS + MAX_BLANK_ROWS + 1, max_columns=MAX_COLUMNS,
                          max_cell_chars=MAX_CELL_CHARS, invalid="文件不是有效的 XLSX 工作簿")
    try:
        _, first = next(rows, (1, ()))
        header = [_text(h) for h in first]
        code_col = next((i for i, h in enumerate(header) if h in {"干部编号", "编号", "人员编号"}), None)
        name_col = next((i for i, h in enumerate(header) if h == "姓名"), None)
        if code_col is None and name_col is None:
            raise ValidationError("第1行须有“干部编号”或“姓名”列")
        result = []
        for number, cells in rows:
            code = _text(cells[code_col]) if code_col is not None and code_col < len(cells) else ""
            name = _text(cells[name_col]) if name_col is not None and name_col < len(cells) else ""
            if code or name:
                result.append((number, code, name))
            if len(result) > MAX_ROWS:
                raise ValidationError(f"一次最多查询 {MAX_ROWS} 人")
    except xlsx.XlsxRefused as refused:
        raise ValidationError(str(refused)) from None
    finally:
        rows.close()
    if not result:
        raise ValidationError("表中没有要查询的人员")
    return result


def answer(*, user: Any, candidates: list[tuple[int, str, str]], today: date) -> list[Answer]:
    """Match each candidate (by code, else by a unique name) within the user's reach, and answer."""
    codes = {c for _, c, _ in candidates if c}
    names = {n for _, c, n in candidates if n and not c}
    scope = access.restrict(Cadre.objects.filter(Q(code__in=codes) | Q(name__in=names)), user, "restriction.query")
    by_code, by_name = {}, {}
    for cadre in scope.select_related("unit"):
        by_code[cadre.code] = cadre
        by_name.setdefault(cadre.name, []).append(cadre)
    answers = []
    for row, code, name in candidates:
        if code:
            cadre = by_code.get(code)
            found = "按干部编号" if cadre else "没有这个编号（或不在您的查询范围内）"
        else:
            matches = by_name.get(name, [])
            cadre = matches[0] if len(matches) == 1 else None
            found = "按姓名" if cadre else ("同名多人，请改用干部编号" if matches else "没有找到（或不在您的查询范围内）")
        if cadre and name and code and cadre.name != name:
            found += f"（表中姓名“{name}”与名册“{cadre.name}”不一致）"
        answers.append(Answer(row, code, name, cadre, found, []))
    found = for_reader(restrictions(cadre_ids=[a.cadre.pk for a in answers if a.cadre], today=today), user)
    for a in answers:
        if a.cadre:
            a.restrictions = found[a.cadre.pk]
    return answers


def answers_xlsx(answers: list[Answer], today: date) -> tempfile.SpooledTemporaryFile:
    """One row per candidate; a restricted one's rules (限制内容, 依据, 限制截止) in the last columns, one per
    rule, in the order of 原因."""
    from yujing.policy.loader import get_policy

    from .restrictions import policy_summary

    articles = policy_summary(get_policy())["articles"]
    book = Workbook()
    sheet = book.active
    sheet.title = "查询结果"
    sheet.append([f"评优、提拔限制查询结果{f'（{articles}）' if articles else ''}，查询日期 {cn_date(today)}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["原表行号", "干部编号", "姓名", "单位及职务", "匹配情况", "今天是否受限", "原因", "受限起始", "整改期限",
                  "解除条件", "限制内容", "依据", "限制截止"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for a in answers:
        first = a.restrictions[0] if a.restrictions else None
        deadline = first.case.response_due if first else None
        sheet.append([
            a.row, a.cadre.code if a.cadre else a.code, a.cadre.name if a.cadre else a.name,
            f"{a.cadre.unit.name}{a.cadre.position}" if a.cadre else "", a.found,
            ("受限" if a.restrictions else "不受限") if a.cadre else "无法判断",
            "；".join(r.case_ref for r in a.restrictions),
            first.since.isoformat() if first else "", deadline.isoformat() if deadline else "",
            "；".join(r.condition for r in a.restrictions),
            "；".join(r.label for r in a.restrictions),
            "；".join(r.article for r in a.restrictions),
            "；".join(_last_day(r) for r in a.restrictions),
        ])
    for column, width in zip("ABCDEFGHIJKLM", (8, 12, 10, 28, 22, 12, 26, 12, 12, 50, 30, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.orientation = "landscape"
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 — the response closes it
    neutralise_workbook(book)
    book.save(out)
    out.seek(0)
    return out


def _last_day(restriction) -> str:
    """限制截止 of one restriction: the day, or when it ends with the case or a term end not recorded, that."""
    if restriction.ends_with_case:
        return "预警办结时"
    return restriction.until.isoformat() if restriction.until else "任期届满（未登记届满日期）"
