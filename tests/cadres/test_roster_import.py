"""Roster import: all or nothing, with a message per row and column."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from yujing.audit.models import Event
from yujing.cadres.models import Cadre, Rank, ScopeCategory
from yujing.cadres.roster import COLUMNS, RosterError, template_workbook
from yujing.cadres.services import import_roster

HEADERS = [c.header for c in COLUMNS]


def xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code="MH9001", name="测试甲", gender="男", birth="1980.05", unit="青石镇", position="副镇长", rank="副科级",
        principal="否", managed="县委", category="行政机关", active="是", note=""):
    return [code, name, gender, birth, unit, position, rank, principal, managed, category, active, note]


def test_good_file_creates_and_updates(users, demo):
    before = Cadre.objects.count()
    existing = Cadre.objects.get(code="MH0001")
    data = xlsx([
        row(),
        row(code="MH9002", name="测试乙", gender="女", birth="1979-11", unit="MH-BS", position="财政所所长",
            rank="", managed="白沙镇", category="事业单位", principal=""),
        row(code="MH0001", name=existing.name, gender="男" if existing.gender == "M" else "女",
            birth=existing.birth_month.strftime("%Y.%m"), unit="青石镇", position="党委书记（兼人大主席）",
            rank="正科级", principal="是", managed="中共明湖县委员会", category="党的机关"),
    ])
    result = import_roster(data=data, by=users["zuzhibu"], filename="名册.xlsx")
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert Cadre.objects.count() == before + 2
    new = Cadre.objects.get(code="MH9002")
    assert new.birth_month.isoformat() == "1979-11-01"
    assert new.gender == "F"
    assert new.managed_by == demo["MH-BS"]
    assert new.scope_category == ScopeCategory.INSTITUTION
    assert new.is_principal is False and new.is_active is True
    assert Cadre.objects.get(code="MH0001").position == "党委书记（兼人大主席）"
    assert Cadre.objects.get(code="MH9001").rank == Rank.SECTION_DEPUTY
    event = Event.objects.get(action="cadres.roster.imported")
    assert event.data["created"] == 2 and event.data["updated"] == 1 and event.data["file"] == "名册.xlsx"
    again = import_roster(data=data, by=users["zuzhibu"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_any_bad_row_rejects_the_whole_file(users):
    before = Cadre.objects.count()
    events = Event.objects.count()
    original = Cadre.objects.get(code="MH0001").position
    data = xlsx([
        row(code="MH0001", position="改过的职务"),  # fine on its own: must not be written either
        row(code="MH9003", name="", gender="男性", birth="19800", unit="不存在的单位", rank="正局级",
            principal="也许", category="外星机关", active="不知道"),
        row(code="MH9004", managed=""),
        row(code="MH9004"),
        row(code="bad code!", position="x" * 101),
    ])
    with pytest.raises(RosterError) as info:
        import_roster(data=data, by=users["zuzhibu"])
    assert [str(e) for e in info.value.errors] == [
        "第3行「姓名」：不能为空",
        "第3行「性别」：应为“男”或“女”，而不是“男性”",
        "第3行「出生年月」：无法识别“19800”，应写作如 1975.03",
        "第3行「工作单位」：找不到单位“不存在的单位”（或不在您的管辖范围内）",
        "第3行「职级」：无法识别“正局级”，可填：正处级、副处级、正科级、副科级、科级以下",
        "第3行「适用类别」：无法识别“外星机关”，应为第三十四条所列类别之一",
        "第3行「是否主要负责人」：应为“是”或“否”，而不是“也许”",
        "第3行「在职」：应为“是”或“否”，而不是“不知道”",
        "第4行「管理单位」：不能为空",
        "第5行「干部编号」：与第4行重复",
        "第6行「职务」：不能超过 100 个字",
        "第6行「干部编号」：只能由字母、数字、下划线和连字符组成",
    ]
    assert Cadre.objects.count() == before
    assert Cadre.objects.get(code="MH0001").position == original
    assert Event.objects.count() == events


def test_missing_and_duplicate_headers(users):
    headers = [h for h in HEADERS if h not in {"管理单位", "职务"}] + ["姓名"]
    with pytest.raises(RosterError) as info:
        import_roster(data=xlsx([], headers), by=users["zuzhibu"])
    assert [str(e) for e in info.value.errors] == [
        "第1行「姓名」：表头重复出现",
        "第1行「职务」：缺少此列",
        "第1行「管理单位」：缺少此列",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a workbook", "文件不是有效的 XLSX 工作簿"),
        (b"PK\x03\x04 broken zip", "文件不是有效的 XLSX 工作簿"),
        (xlsx([]), "工作表中没有数据行"),
    ],
)
def test_bad_files(users, data, message):
    with pytest.raises(RosterError, match=message):
        import_roster(data=data, by=users["zuzhibu"])


def test_units_of_another_county_are_not_found(users, demo):
    from tests.factories import make_unit
    from yujing.orgs.models import Unit

    other = make_unit("邻县", kind=Unit.Kind.COUNTY)
    make_unit("邻县东镇", kind=Unit.Kind.TOWNSHIP, parent=other)
    with pytest.raises(RosterError) as info:
        import_roster(data=xlsx([row(unit="邻县东镇")]), by=users["zuzhibu"])
    assert str(info.value.errors[0]) == "第2行「工作单位」：找不到单位“邻县东镇”（或不在您的管辖范围内）"


@pytest.mark.parametrize("username", ["qs_jiwei", "yjb", "renshe", "lianluo"])
def test_only_the_organisation_department_and_admins_import(users, username):
    with pytest.raises(PermissionDenied):
        import_roster(data=xlsx([row()]), by=users[username])


def test_template_has_every_header():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    headers = [c.value.rstrip("*") for c in book.active[1]]
    assert headers == HEADERS
    # the example row of the template imports cleanly as far as the shape goes
    assert book.active.max_row == 2


def test_import_page(login, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("zuzhibu")
    response = client.get("/cadres/import/")
    assert response.status_code == 200
    bad = SimpleUploadedFile("名册.xlsx", xlsx([row(unit="无此单位")]))
    response = client.post("/cadres/import/", {"file": bad})
    assert response.status_code == 400
    assert "第2行「工作单位」：找不到单位“无此单位”" in response.content.decode()
    good = SimpleUploadedFile("名册.xlsx", xlsx([row()]))
    response = client.post("/cadres/import/", {"file": good}, follow=True)
    assert "导入完成：共 1 行，新增 1 人，更新 0 人，无变化 0 人。" in response.content.decode()
    assert client.get("/cadres/import/template.xlsx").status_code == 200
    assert login("qs_jiwei").get("/cadres/import/").status_code == 403


def test_the_term_end_column_is_read_as_a_day(users):
    """任期届满日期 (optional): a restriction "本届任期内" runs to it; a bad day rejects the file, naming the cell."""
    from datetime import date

    data = xlsx([[*row(code="MH9001"), "2027.06.30"], [*row(code="MH9002"), "2028年1月15日"],
                 [*row(code="MH9003"), date(2029, 3, 1)], [*row(code="MH9004"), ""]])
    import_roster(data=data, by=users["zuzhibu"])
    assert dict(Cadre.objects.filter(code__startswith="MH900").values_list("code", "term_ends_on")) == {
        "MH9001": date(2027, 6, 30), "MH9002": date(2028, 1, 15), "MH9003": date(2029, 3, 1), "MH9004": None}
    # a later roster changes it, as any column
    again = import_roster(data=xlsx([[*row(code="MH9004"), "2030-12-31"]]), by=users["zuzhibu"])
    assert (again.updated, Cadre.objects.get(code="MH9004").term_ends_on) == (1, date(2030, 12, 31))
    with pytest.raises(RosterError) as info:
        import_roster(data=xlsx([[*row(code="MH9005"), "2027.02.30"], [*row(code="MH9006"), "明年"]]),
                      by=users["zuzhibu"])
    assert [str(e) for e in info.value.errors] == [
        "第2行「任期届满日期」：无法识别“2027.02.30”，应写作如 2026.12.31",
        "第3行「任期届满日期」：无法识别“明年”，应写作如 2026.12.31"]
    assert not Cadre.objects.filter(code__in=["MH9005", "MH9006"]).exists()
