"""Issue 18, hole 2: the Django admin shows no business content — accounts, units and settings only."""

import re

import pytest
from django.contrib import admin

from tests.dates import D
from yujing.cadres.models import IntegrityRecord
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned

# The exact list of models the admin keeps (SECURITY.md says why each is there).
ALLOWED = {
    "orgs.user", "orgs.unit", "orgs.roleassignment", "orgs.relation",
    "api.apitoken", "otp_totp.totpdevice", "axes.accessattempt",
    "clues.problemcategory", "policy.policyversion", "policy.holidaynotice",
}

# Every other model of the project, and the ones of Django and its add-ons that are not accounts or settings.
def business_models() -> list[str]:
    from django.apps import apps

    names = [m._meta.label_lower for m in apps.get_models()
             if m._meta.label_lower not in ALLOWED
             and m._meta.app_label not in {"contenttypes", "sessions", "admin", "core"}]
    return sorted(names)


def test_only_accounts_units_and_settings_are_registered():
    assert {model._meta.label_lower for model in admin.site._registry} == ALLOWED


def test_the_admin_index_lists_exactly_the_allowed_models(login):
    page = login("admin").get("/admin/").content.decode()
    listed = set(re.findall(r'href="/admin/([a-z_]+)/([a-z_]+)/"', page))
    assert {f"{app}.{model}" for app, model in listed} == ALLOWED


def test_every_admin_url_of_a_business_model_is_404(login):
    client = login("admin")
    assert "audit.event" in business_models() and "cadres.integrityrecord" in business_models()
    for label in business_models():
        app, model = label.split(".")
        for suffix in ("", "add/", "1/change/", "1/delete/", "1/history/"):
            url = f"/admin/{app}/{model}/{suffix}"
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("app", ["audit", "cadres", "cases", "documents", "oversight", "auth"])
def test_business_app_indexes_are_404(login, app):
    assert login("admin").get(f"/admin/{app}/").status_code == 404


def test_no_secret_content_reaches_the_admin(login, users, cadres):
    """A 机密 clue's summary and an integrity record's facts are in the database but on no admin page."""
    day = D("2026-09-02")
    clue_services.register_clue(by=users["yjb"], today=day, received_on=day, channel="petition",
                                summary="机密摘要XYZ", detail="机密详情XYZ",
                                concerned=[Concerned(cadre_id=cadres["MH0001"].pk)])
    IntegrityRecord.objects.create(cadre=cadres["MH0001"], recorded_on=day, title="档案事实XYZ", content="事实XYZ",
                                   source_ref="x", recorded_by=users["yjb"])
    client = login("admin")
    index = client.get("/admin/").content.decode()
    pages = set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', index))
    for url in pages:
        body = client.get(url).content.decode()
        assert "XYZ" not in body, url


def test_the_authenticators_key_is_not_shown_and_none_can_be_added(login, users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=users["shuji"], name="身份验证器", confirmed=True)
    client = login("admin")
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    detail = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert detail.status_code == 200 and device.key not in detail.content.decode()
    assert "key" not in re.findall(r'name="([a-z_]+)"', detail.content.decode())
