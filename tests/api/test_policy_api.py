"""GET /api/policy: the rules in force, and the version a case keeps (a case is computed under the policy it
started with), for an integrating system to read the measures, deadlines and deciders."""

import pytest

from tests.policy.test_schema import _broken
from yujing.policy.loader import get_policy, reset_policy_cache


def test_the_policy_in_force(login):
    body = login("yjb").get("/api/policy").json()
    policy = get_policy()
    assert {k: body[k] for k in ("id", "name", "version", "digest", "in_force")} == {
        "id": policy.rules.policy.id, "name": policy.rules.policy.name, "version": policy.rules.policy.version,
        "digest": policy.digest, "in_force": True}
    assert body["text"] == policy.text
    rules = body["rules"]
    assert rules["implementation"] == {"period": "7d", "from": "approval", "article": "第十七条"}
    assert rules["measures"]["correction"]["response"] == {"period": "1m", "label": "整改报告", "article": "第三十条"}
    assert rules["measures"]["correction"]["extension"]["cap"] == "1m"
    assert rules["measures"]["inquiry"]["approvers"] == ["deputy_secretary", "secretary"]
    assert rules["register"]["approvers"] == policy.rules.register_.approvers
    assert sorted(rules["measures"]) == ["admonition", "correction", "inquiry"]


def test_a_case_keeps_the_version_it_started_under(login, approved, settings, tmp_path):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")
    shou = get_policy()
    custom = tmp_path / "custom.toml"
    custom.write_text(_broken('period = "7d"\nfrom = "approval"', 'period = "5wd"\nfrom = "approval"'), encoding="utf-8")
    settings.YUJING_POLICY = str(custom)
    reset_policy_cache()
    try:
        client = login("yjb")
        now = client.get("/api/policy").json()
        assert (now["rules"]["implementation"]["period"], now["in_force"]) == ("5wd", True)
        kept = client.get(f"/api/policy?case={case.pk}").json()
        assert (kept["digest"], kept["in_force"], kept["rules"]["implementation"]["period"]) == (shou.digest, False, "7d")
    finally:
        reset_policy_cache()


@pytest.mark.parametrize("username, status", [("qs_jiwei", 404), ("yjb", 200)])
def test_a_case_outside_the_jurisdiction_is_not_found(login, approved, username, status):
    case = approved("admonition", "MH0001", on="2026-09-02", approve_on="2026-09-04")  # a county-managed cadre
    response = login(username).get(f"/api/policy?case={case.pk}")
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


def test_anonymous_is_refused(db):
    from django.test import Client

    assert Client().get("/api/policy").status_code == 401
