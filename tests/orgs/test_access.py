"""Who may do what, in and out of jurisdiction — exact answers for every demo role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.factories import CadreFactory, make_unit, make_user
from yujing.cadres.models import Cadre
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.orgs.roles import Role

ALL_CADRES = 75  # 4 townships x 9 + 6 county units x 6 + organisation department x 3
QINGSHI_MANAGED = 3  # 青石镇 manages its own station heads; its leaders are managed by the county committee

# username -> (cadre.view, cadre.view_integrity, cadre.import, calendar.manage, visible cadres)
MATRIX = {
    "yjb": (True, True, False, False, ALL_CADRES),
    "shuji": (True, True, False, False, ALL_CADRES),
    "fushuji": (True, True, False, False, ALL_CADRES),
    "changwei": (True, True, False, False, ALL_CADRES),
    "xianwei": (True, True, False, False, ALL_CADRES),
    "qs_dangwei": (True, True, False, False, QINGSHI_MANAGED),
    "qs_jiwei": (True, True, False, False, QINGSHI_MANAGED),
    "lianluo": (False, False, False, False, 0),
    "zuzhibu": (True, True, True, False, ALL_CADRES),
    "renshe": (True, False, False, False, ALL_CADRES),
    "admin": (True, False, True, True, ALL_CADRES),
}


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_permission_matrix(users, username):
    user = users[username]
    view, integrity, import_, calendar, visible = MATRIX[username]
    assert access.can(user, "cadre.view") is view
    assert access.can(user, "cadre.view_integrity") is integrity
    assert access.can(user, "cadre.import") is import_
    assert access.can(user, "calendar.manage") is calendar
    assert access.can(user, "unit.view") is True
    assert access.restrict(Cadre.objects.all(), user, "cadre.view").count() == visible


def test_unit_roles_reach_their_unit_and_below_only(users, demo):
    user = users["qs_jiwei"]
    visible = access.restrict(Cadre.objects.all(), user, "cadre.view")
    assert set(visible.values_list("managed_by__code", flat=True)) == {"MH-QS"}
    county_managed = Cadre.objects.filter(unit=demo["MH-QS"], managed_by=demo["MH-XW"]).first()
    with pytest.raises(Http404):
        access.require(user, "cadre.view", county_managed)


def test_units_are_visible_county_wide_and_unit_wide(users, demo):
    assert access.restrict(Unit.objects.all(), users["yjb"], "unit.view").count() == len(demo)
    assert list(access.restrict(Unit.objects.all(), users["qs_jiwei"], "unit.view").values_list("code", flat=True)) == [
        "MH-QS"
    ]


def test_another_county_is_out_of_jurisdiction(users, demo):
    other = make_unit("邻县", kind=Unit.Kind.COUNTY)
    town = make_unit("邻县东镇", kind=Unit.Kind.TOWNSHIP, parent=other)
    cadre = CadreFactory(unit=town, managed_by=town)
    for username in MATRIX:
        assert not access.can(users[username], "cadre.view", cadre)
        with pytest.raises(Http404):
            access.require(users[username], "cadre.view", cadre)
    officer = make_user("neighbour_office", Role.WARNING_OFFICE, make_unit("邻县预警办", Unit.Kind.WARNING_OFFICE, other))
    assert access.restrict(Cadre.objects.all(), officer, "cadre.view").get() == cadre
    assert not access.can(officer, "cadre.view", Cadre.objects.filter(managed_by=demo["MH-XW"]).first())


def test_in_jurisdiction_but_wrong_role_is_forbidden_not_hidden(users, demo):
    cadre = Cadre.objects.filter(managed_by=demo["MH-XW"]).first()
    access.require(users["renshe"], "cadre.view", cadre)
    with pytest.raises(PermissionDenied):
        access.require(users["renshe"], "cadre.view_integrity", cadre)


def test_inactive_users_and_revoked_roles_have_no_reach(users):
    from yujing.orgs import services

    user = users["yjb"]
    assignment = user.role_assignments.get()
    services.revoke_role(assignment=assignment, by=users["admin"])
    assert access.can(user, "cadre.view") is False
    users["shuji"].is_active = False
    assert access.grants(users["shuji"]) == ()


def test_unknown_action_is_a_programming_error(users):
    with pytest.raises(ValueError, match="PERMISSIONS"):
        access.can(users["yjb"], "cadre.fly")


def test_grants_are_computed_with_two_queries(users, django_assert_num_queries):
    user = users["yjb"]
    access.forget(user)
    with django_assert_num_queries(2):
        access.grants(user)
        access.grants(user)
        access.can(user, "cadre.view")


def test_units_list_in_tree_order(users, demo):
    from yujing.orgs.selectors import unit_list

    codes = list(unit_list(user=users["yjb"]).values_list("code", flat=True))
    assert codes == ["MH", "MH-XW", "MH-JW", "MH-JW-YJB", "MH-ZZB", "MH-RS", "MH-QS", "MH-BS", "MH-LX", "MH-YS",
                     "MH-CZ", "MH-SJ", "MH-XF", "MH-GA", "MH-JY"]
    assert demo["MH-JW-YJB"].path == f"/{demo['MH'].pk:07d}/{demo['MH-JW'].pk:07d}/{demo['MH-JW-YJB'].pk:07d}/"
