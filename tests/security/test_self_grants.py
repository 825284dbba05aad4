"""Issue 18 review (fix B, item 2): an administrator cannot grant himself a role (三员分立)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yujing.audit.models import Event
from yujing.orgs.models import RoleAssignment
from yujing.orgs.services import assign_role


def test_an_administrator_cannot_grant_himself_a_role(users, demo):
    admin = users["admin"]
    held = set(RoleAssignment.objects.filter(user=admin).values_list("role", "unit_id", "is_active"))
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="不能为本人授予角色，请由另一名系统管理员办理"):
        assign_role(user=admin, unit=demo["MH-JW-YJB"], role="warning_office", by=admin)
    assert set(RoleAssignment.objects.filter(user=admin).values_list("role", "unit_id", "is_active")) == held
    assert Event.objects.count() == events


def test_the_admin_page_refuses_a_self_grant_and_writes_nothing(users, demo):
    admin = users["admin"]
    client = Client()
    client.force_login(admin)
    before = RoleAssignment.objects.count()
    events = Event.objects.filter(action="orgs.role.assigned").count()
    response = client.post("/admin/orgs/roleassignment/add/", {
        "user": admin.pk, "unit": demo["MH-JW-YJB"].pk, "role": "secretary", "is_active": "on"})
    assert response.status_code == 403
    assert RoleAssignment.objects.count() == before
    assert Event.objects.filter(action="orgs.role.assigned").count() == events
    # another user's role is still granted as before
    response = client.post("/admin/orgs/roleassignment/add/", {
        "user": users["zuzhibu"].pk, "unit": demo["MH-JW-YJB"].pk, "role": "liaison", "is_active": "on"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=users["zuzhibu"], role="liaison").exists()
