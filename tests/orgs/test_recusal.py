"""回避申报: users declare their own relations; the page refuses bad input with a Chinese message and
writes nothing; only an administrator withdraws one, and the audit trail keeps both."""

import pytest
from django.core.exceptions import ValidationError

from yujing.audit.models import Event
from yujing.orgs import services
from yujing.orgs.models import Relation


def test_declaring_a_relation_on_the_page(login, users, cadres):
    client = login("qs_jiwei")
    assert "尚未申报" in client.get("/accounts/relations/").content.decode()
    response = client.post("/accounts/relations/", {"cadre": "MH0007", "kind": "kin", "note": "配偶的兄弟"})
    assert response.status_code == 302
    relation = Relation.objects.get()
    assert (relation.user, relation.cadre, relation.kind, relation.note) == (
        users["qs_jiwei"], cadres["MH0007"], "kin", "配偶的兄弟")
    page = client.get("/accounts/relations/").content.decode()
    assert "已申报（1）" in page and cadres["MH0007"].name in page
    event = Event.objects.get(action="orgs.relation.declared")
    assert (event.actor_id, event.data) == (users["qs_jiwei"].pk, {"cadre": cadres["MH0007"].pk, "kind": "kin"})


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"cadre": "", "kind": "kin"}, "cadre", "这个字段是必填项。"),
    ({"cadre": "MH9999", "kind": "kin"}, "cadre", "本县干部名册中没有“MH9999”"),
    ({"cadre": "MH0007", "kind": "enemy"}, "kind", "选择一个有效的选项。 enemy 不在可用的选项中。"),
])
def test_bad_declarations_write_nothing(login, data, field, message):
    response = login("qs_jiwei").post("/accounts/relations/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Relation.objects.exists()
    assert not Event.objects.filter(action="orgs.relation.declared").exists()


def test_a_name_shared_by_two_cadres_asks_for_the_code(users, cadres):
    twin = cadres["MH0008"]
    twin.name = cadres["MH0007"].name
    twin.save()
    with pytest.raises(ValidationError) as info:
        services.declare_relation(user=users["qs_jiwei"], cadre_ref=twin.name, kind="kin")
    assert info.value.message_dict["cadre"][0].startswith(f"名册中有2人名为“{twin.name}”，请改填干部编号：")
    services.declare_relation(user=users["qs_jiwei"], cadre_ref="MH0008", kind="kin")
    with pytest.raises(ValidationError, match="已申报过与"):
        services.declare_relation(user=users["qs_jiwei"], cadre_ref="mh0008", kind="work")
    assert Relation.objects.count() == 1


def test_only_an_administrator_withdraws_and_the_trail_keeps_it(users, cadres):
    relation = services.declare_relation(user=users["shuji"], cadre_ref="MH0001", kind="work")
    with pytest.raises(ValidationError, match="只有系统管理员"):
        services.withdraw_relation(relation=relation, by=users["shuji"])
    admin = next(u for u in users.values() if u.is_superuser)
    services.withdraw_relation(relation=relation, by=admin, reason="申报有误")
    assert not Relation.objects.exists()
    assert Event.objects.get(action="orgs.relation.withdrawn").data["reason"] == "申报有误"


def test_the_case_page_tells_a_recused_user_and_offers_no_forms(login, open_case, users, cadres):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    client = login("yjb")
    assert 'name="verify-' in client.get(f"/cases/{case.pk}/").content.decode()
    services.declare_relation(user=users["yjb"], cadre_ref="MH0001", kind="work", note="曾任其秘书")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "您须回避本事项：本人已申报与" in page and 'name="verify-' not in page
    response = client.post(f"/cases/{case.pk}/act/verify/", {"verify-method": "preliminary"})
    assert response.status_code == 403


def test_the_leaders_of_ones_own_unit_are_a_ground_but_its_own_staff_and_party_committee_talks_are_not(
        open_case, users, cadres, demo):
    from django.core.exceptions import PermissionDenied

    from tests.dates import D
    from yujing.cadres.models import Cadre
    from yujing.cases import services as cs
    from yujing.orgs import recusal

    township_leader, township_staff = cadres["MH0003"], cadres["MH0007"]
    assert (township_leader.managed_by.code, township_staff.managed_by.code) == ("MH-XW", "MH-QS")
    assert recusal.reason(users["qs_jiwei"], township_leader) == "徐浩是本人所在单位（明湖县青石镇）的领导班子成员"
    assert recusal.reason(users["qs_jiwei"], township_staff) is None
    assert recusal.reason(users["qs_dangwei"], township_leader, talking_as_party_committee=True) is None

    # a deputy secretary of the commission itself, managed by the county committee
    deputy = Cadre.objects.create(code="MH0999", name="严正", unit=demo["MH-JW"], position="县纪委副书记",
                                  managed_by=demo["MH-XW"], scope_category=township_leader.scope_category)
    cadres["MH0999"] = deputy
    case = open_case("admonition", "MH0999", on="2026-09-02")
    cs.record_verification(case=case, by=users["yjb"], today=D("2026-09-03"), method="preliminary",
                           done_on=D("2026-09-03"), findings="属实", conclusion="true")
    with pytest.raises(PermissionDenied, match="须回避：严正是本人所在单位（中共明湖县纪律检查委员会）的领导班子成员，请由其他同志办理"):
        cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=True)
    case.refresh_from_db()
    assert (case.status, deputy.pk) == ("proposed", case.target_id)
