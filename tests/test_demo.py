from yujing.audit.services import verify_chain
from yujing.cadres.models import Cadre
from yujing.demo import POLICY_USERS, load_demo
from yujing.orgs.models import RoleAssignment, Unit, User
from yujing.orgs.roles import Role


def test_demo_county_has_every_role_and_about_80_cadres(demo):
    assert Unit.objects.count() == 15
    assert Cadre.objects.count() == 75
    # every role, but those only some rules name (Shou names neither of the organisation department's leaders)
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values) - {
        s.role for s in POLICY_USERS}
    assert {s.role for s in POLICY_USERS} == {"dept_deputy", "dept_head"}
    assert Cadre.objects.filter(is_principal=True).count() == 4 * 2 + 6 + 1
    assert verify_chain() is None


def test_demo_loads_once_and_keeps_what_was_entered(demo):
    Cadre.objects.filter(code="MH0001").update(position="已修改")
    User.objects.filter(username="yjb").update(full_name="改过的名字")
    assert load_demo() is False
    assert Cadre.objects.get(code="MH0001").position == "已修改"
    assert User.objects.get(username="yjb").full_name == "改过的名字"
    assert Cadre.objects.count() == 75


def test_demo_with_clues_loads_clues_in_several_states(db):
    from yujing.clues.models import Clue

    assert load_demo() is True
    assert sorted(Clue.objects.values_list("status", flat=True)) == ["handle", "handle", "handle", "registered",
                                                                      "registered", "registered", "registered"]
    from yujing.cases.models import WarningCase

    assert sorted(WarningCase.objects.values_list("status", flat=True)) == ["awaiting_response", "lifted",
                                                                            "proposed"]
    assert Clue.objects.filter(transfer__isnull=False).count() == 1
    assert verify_chain() is None
