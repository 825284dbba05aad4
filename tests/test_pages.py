"""Pages: login, navigation by role, jurisdiction on every page, and no unguarded view."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from yujing.cadres.models import Cadre
from yujing.demo import DEMO_PASSWORD, USERS


def test_login_page_is_public_and_chinese(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "领导干部廉洁自律预警系统" in response.content.decode()
    assert '<html lang="zh-CN">' in response.content.decode()


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/cadres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cadres/")


def test_wrong_password_is_refused_in_chinese(demo):
    response = Client().post("/accounts/login/", {"username": "yjb", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize("spec", USERS, ids=lambda s: s.username)
def test_every_demo_user_logs_in_and_sees_their_roles(demo, spec):
    client = Client()
    response = client.post("/accounts/login/", {"username": spec.username, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert spec.role.label in page
    assert "期限计算" in page


NAV = {
    # username -> nav labels that must / must not show
    "lianluo": ({"单位", "期限计算"}, {"干部名册"}),
    "zuzhibu": ({"单位", "干部名册"}, set()),
    "admin": ({"干部名册", "系统管理"}, set()),
    "qs_jiwei": ({"干部名册"}, {"系统管理"}),
}


@pytest.mark.parametrize("username", sorted(NAV))
def test_navigation_follows_roles(login, username):
    page = login(username).get("/").content.decode()
    shown, hidden = NAV[username]
    for label in shown:
        assert f">{label}</a>" in page
    for label in hidden:
        assert f">{label}</a>" not in page


def test_cadre_pages_follow_jurisdiction(login, demo):
    county_managed = Cadre.objects.filter(unit=demo["MH-QS"], managed_by=demo["MH-XW"]).first()
    township_managed = Cadre.objects.filter(managed_by=demo["MH-QS"]).first()
    qs = login("qs_jiwei")
    assert qs.get(f"/cadres/{township_managed.pk}/").status_code == 200
    assert qs.get(f"/cadres/{county_managed.pk}/").status_code == 404  # out of jurisdiction: as if missing
    assert qs.get("/cadres/999999/").status_code == 404
    listing = qs.get("/cadres/").content.decode()
    assert township_managed.name in listing and county_managed.name not in listing
    assert login("yjb").get(f"/cadres/{county_managed.pk}/").status_code == 200
    assert login("lianluo").get("/cadres/").status_code == 403
    assert login("lianluo").get(f"/cadres/{county_managed.pk}/").status_code == 404


def test_integrity_file_is_shown_only_to_entitled_roles(login, demo):
    cadre = Cadre.objects.filter(managed_by=demo["MH-XW"]).first()
    assert "档案中暂无记录" in login("yjb").get(f"/cadres/{cadre.pk}/").content.decode()
    assert "您的角色无权查看个人廉政档案" in login("renshe").get(f"/cadres/{cadre.pk}/").content.decode()


def test_cadre_list_filters(login, demo):
    client = login("yjb")
    first = client.get("/cadres/").context["page"].object_list[0]
    assert (first.code, first.position) == ("MH0073", "部长")  # tree order (组织部 first), principals first
    page = client.get("/cadres/", {"principal": "1"}).content.decode()
    assert "共 " not in page or "第 1 /" in page
    principals = Cadre.objects.filter(is_principal=True)
    for cadre in principals:
        assert cadre.name in page
    one = Cadre.objects.get(code="MH0005")
    page = client.get("/cadres/", {"q": "MH0005"}).content.decode()
    assert one.name in page
    assert client.get("/cadres/", {"unit": "abc"}).status_code == 200  # a bad filter is ignored, never a crash


def test_cadre_list_runs_a_fixed_number_of_queries(login, demo, django_assert_max_num_queries):
    client = login("yjb")
    client.get("/cadres/")  # warm the session
    with django_assert_max_num_queries(13):
        response = client.get("/cadres/", {"page": 2})
    assert response.status_code == 200


def test_unit_pages(login, demo):
    client = login("yjb")
    page = client.get("/units/").content.decode()
    assert ("明湖县青石镇" in page and "县预警办" not in page) or "明湖县领导干部廉洁自律预警机制工作办公室" in page
    assert client.get(f"/units/{demo['MH-QS'].pk}/").status_code == 200
    qs = login("qs_jiwei")
    assert qs.get(f"/units/{demo['MH-QS'].pk}/").status_code == 200
    assert qs.get(f"/units/{demo['MH-BS'].pk}/").status_code == 404


def test_calculator_page(login):
    client = login("lianluo")
    response = client.get("/policy/calculator/", {"start": "2026-09-24", "count": 7, "unit": "d"})
    page = response.content.decode()
    assert 'data-due="2026-10-08"' in page
    assert "顺延 7 日" in page
    partial = client.get("/policy/calculator/", {"start": "2026-01-31", "count": 1, "unit": "m"},
                         headers={"HX-Request": "true"})
    assert 'data-due="2026-02-28"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    bad = client.get("/policy/calculator/", {"start": "2026-02-30", "count": 0, "unit": "d"}).content.decode()
    assert "起算日" in bad and "确保该值大于或等于1" in bad


def test_policy_page_shows_every_measure_with_its_article(login):
    page = login("qs_jiwei").get("/policy/").content.decode()
    for text in ("谈话函询", "警示诫勉", "责令纠错", "第十七条", "第三十条", "县纪委分管副书记", "1个月", "7日"):
        assert text in page


def test_calendar_page_entry(login, users):
    from yujing.policy.models import HolidayNotice

    admin = login("admin")
    text = "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n调休上班 2027-02-28"
    bad = admin.post("/policy/calendar/", {"year": 2027, "title": "通知", "text": "春节 2027-02-30"})
    assert bad.status_code == 400
    assert "第1行：日期“春节 2027-02-30”不存在" in bad.content.decode()
    assert not HolidayNotice.objects.exists()
    ok = admin.post("/policy/calendar/", {"year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知",
                                          "text": text})
    assert ok.status_code == 302
    assert HolidayNotice.objects.get().year == 2027
    calc = admin.get("/policy/calculator/", {"start": "2027-01-29", "count": 1, "unit": "m"}).content.decode()
    assert 'data-due="2027-02-28"' in calc and "暂定" not in calc
    assert login("yjb").post("/policy/calendar/", {"year": 2028, "title": "x", "text": text}).status_code == 403


PUBLIC = {"login", None}  # None: the favicon redirect (the only unnamed URL)
LOGIN_ONLY = {"home", "logout", "password_change", "password_change_done", "two_factor", "relations"}


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin", "api"}:
                continue  # the admin has its own staff check; the API is tested in tests/api
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_page_needs_login_and_declares_its_permission(db):
    """A new page must either be public on purpose or be guarded by access.permission_required."""
    unguarded = []
    client = Client()
    for route, pattern in _walk(get_resolver()):
        name = pattern.name
        if name in PUBLIC:
            continue
        view = pattern.callback
        if name not in LOGIN_ONLY and not getattr(view, "yujing_action", None):
            unguarded.append(route)
        url = "/" + re.sub(r"<str:\w+>", "x", re.sub(r"<int:\w+>", "1", route))
        response = client.get(url)
        assert response.status_code in (302, 405), f"{url} answered {response.status_code} without login"
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert unguarded == []


TITLES = {
    # main pages -> the exact <title> text a logged-in warning office user sees
    "/": "首页 · 领导干部廉洁自律预警系统",
    "/cases/": "预警台帐 · 领导干部廉洁自律预警系统",
    "/clues/": "预警线索 · 领导干部廉洁自律预警系统",
    "/oversight/board/": "期限看板 · 领导干部廉洁自律预警系统",
    "/oversight/my-work/": "我的待办 · 领导干部廉洁自律预警系统",
    "/oversight/dashboard/": "统计图表 · 领导干部廉洁自律预警系统",
    "/oversight/messages/": "消息 · 领导干部廉洁自律预警系统",
    "/cadres/": "干部名册 · 领导干部廉洁自律预警系统",
    "/units/": "单位 · 领导干部廉洁自律预警系统",
    "/policy/": "预警规则 · 领导干部廉洁自律预警系统",
    "/policy/calculator/": "期限计算 · 领导干部廉洁自律预警系统",
    "/accounts/two-factor/": "两步验证 · 领导干部廉洁自律预警系统",
}


@pytest.mark.parametrize("url", sorted(TITLES))
def test_page_titles_are_plain_text(login, url):
    """The browser tab shows the <title> as text: a heading or chart put into the title block shows as markup."""
    page = login("yjb").get(url).content.decode()
    titles = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert len(titles) == 1
    assert "<" not in titles[0]
    assert titles[0] == TITLES[url]
    if url == "/":
        # the warning office's year at a glance is in the page body, once
        assert page.count("本年度概况") == 1
        assert page.index("本年度概况") > page.index('<main id="main"')
