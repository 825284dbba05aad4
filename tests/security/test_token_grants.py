"""Issue 18 review (fix B, item 1): an administrator cannot mint a token that acts, without a second factor,
as a user who decides or reads more than 一般, nor one for himself; the user is told of tokens others made."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yujing.api.models import ApiToken
from yujing.api.services import create_token, revoke_token
from yujing.audit.models import Event
from yujing.orgs.accounts import changes_since


@pytest.mark.parametrize("username", ["shuji", "yjb", "qs_jiwei"])
def test_an_administrator_cannot_make_a_token_for_a_two_factor_or_cleared_role(users, username):
    with pytest.raises(ValidationError, match=f"其令牌只能由用户 {username} 本人创建"):
        create_token(user=users[username], name="冒用", by=users["admin"])
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(action="api.token.created").exists()


def test_an_administrator_cannot_make_a_token_for_himself(users):
    with pytest.raises(ValidationError, match="系统管理员不能为本人创建接口令牌"):
        create_token(user=users["admin"], name="本人", by=users["admin"])
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(action="api.token.created").exists()


def test_the_user_makes_his_own_token_for_his_own_role_and_it_works(users):
    row, text = create_token(user=users["shuji"], name="本人集成", by=users["shuji"])
    assert row.role == "secretary"
    assert Client().get("/api/units", headers={"Authorization": f"Bearer {text}"}).status_code == 200
    # his own token is no news to him
    assert not [line for line in changes_since(users["shuji"], None) if "令牌" in line]
    revoke_token(token=row, by=users["shuji"])
    assert Client().get("/api/units", headers={"Authorization": f"Bearer {text}"}).status_code == 401


def test_the_user_is_told_of_a_token_made_and_revoked_for_him(users):
    user = users["zuzhibu"]  # organisation department: 一般, no second factor — an administrator may
    row, _ = create_token(user=user, name="干部系统", by=users["admin"])
    revoke_token(token=row, by=users["admin"])
    told = [line.split("，", 1)[1] for line in changes_since(user, None) if "令牌" in line]
    assert told == ["系统管理员为您创建了接口令牌“干部系统”（以您的“组织部门”角色调用接口）",
                    "系统管理员吊销了您的接口令牌"]


def test_the_admin_page_refuses_the_token_with_a_message(users):
    client = Client()
    client.force_login(users["admin"])
    response = client.post("/admin/api/apitoken/add/", {"user": users["shuji"].pk, "name": "冒用"})
    assert response.status_code == 200
    assert "其令牌只能由用户 shuji 本人创建" in response.content.decode()
    assert not ApiToken.objects.exists()
