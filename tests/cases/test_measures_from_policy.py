"""A case is stored and shown under any measure key its policy declares (issue 17, stage A3): the names
come from the case's own policy version, the table checks only the key's form, and set-based readers pick
measures by what they do (cases/measures.py) — shown here under Shou's rules with other keys (shou_renamed)."""

import pytest
from django.db import IntegrityError, transaction

from tests.dates import D
from tests.listing import page_of, shown
from yujing.cases import measures
from yujing.cases.models import Ending, WarningCase


def test_a_case_under_renamed_keys_shows_its_measure_by_name(shou_renamed, open_case, login):
    case = open_case("jiucuo", "MH0002", on="2026-03-02")
    stored = WarningCase.objects.get(pk=case.pk)
    assert stored.measure == "jiucuo"
    assert stored.get_measure_display() == "责令纠错"
    assert str(stored) == f"{case.number} {case.target.name} 责令纠错"
    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert f"{case.target.name}：责令纠错 <small" in page
    assert '<dt class="col-sm-3">预警措施</dt><dd class="col-sm-9">责令纠错</dd>' in page
    ledger = login("yjb").get("/cases/").content.decode()
    assert "<td>责令纠错</td>" in ledger


def test_shou_names_are_unchanged(open_case):
    """Shou's three keys read as before, and every ending reads as the old Ending.Kind labels did (the kinds
    listed here: Ending.Kind keeps only those that are not a measure)."""
    names = {m: open_case(m, code, on="2026-03-02").get_measure_display()
             for m, code in (("inquiry", "MH0003"), ("admonition", "MH0001"), ("correction", "MH0002"))}
    assert names == {"inquiry": "谈话函询", "admonition": "警示诫勉", "correction": "责令纠错"}
    case = WarningCase.objects.get(measure="inquiry")
    kinds = {kind: Ending(case=case, kind=kind).get_kind_display()
             for kind in ("lifted", "admonition", "correction", "organisational", "case_filing")}
    assert kinds == {"lifted": "解除预警", "admonition": "转警示诫勉", "correction": "转责令纠错",
                     "organisational": "转组织处理", "case_filing": "立案查处"}


def test_ending_kinds_name_no_measure():
    """Ending.Kind holds the kinds that are not a measure; a measure's key is the policy's (issue 17)."""
    assert Ending.Kind.values == ["lifted", "organisational", "case_filing"]
    assert not hasattr(Ending.Kind, "TO_ADMONITION") and not hasattr(Ending.Kind, "TO_CORRECTION")


def test_an_ending_to_a_renamed_measure_reads_its_name(shou_renamed, open_case, users):
    case = open_case("tanhua", "MH0003", on="2026-03-02")
    ending = Ending.objects.create(case=case, recorded_by=users["yjb"], kind="jingshi", decided_on=D("2026-04-01"),
                                   basis="群众再次反映，查证属实")
    assert Ending.objects.get(pk=ending.pk).get_kind_display() == "转警示诫勉"
    assert Ending(case=case, kind="jiucuo").get_kind_display() == "转责令纠错"
    assert Ending(case=case, kind="case_filing").get_kind_display() == "立案查处"
    assert Ending(case=case, kind="zhuanan").get_kind_display() == "转zhuanan"  # a key no version knows: as stored
    assert Ending(kind="jingshi").get_kind_display() == "转警示诫勉"  # no case yet: the policy in force


def test_a_case_keeps_the_names_of_its_own_version(open_case, use_policy):
    """A case opened under Shou's keys still shows them by name once the renamed policy is in force, and a key
    no version knows is shown as it is stored, never a crash."""
    from tests.policies import shou_renamed_text

    old = open_case("admonition", "MH0001", on="2026-03-02")
    use_policy(shou_renamed_text())
    new = open_case("jingshi", "MH0002", on="2026-03-02")
    assert [WarningCase.objects.get(pk=c.pk).get_measure_display() for c in (old, new)] == ["警示诫勉", "警示诫勉"]
    assert measures.labels(old.policy_version) == {"inquiry": "谈话函询", "admonition": "警示诫勉", "correction": "责令纠错"}
    assert measures.labels(new.policy_version_id) == {"tanhua": "谈话函询", "jingshi": "警示诫勉", "jiucuo": "责令纠错"}
    WarningCase.objects.filter(pk=old.pk).update(measure="jiucuo")  # the renamed policy's key, not in old's version
    WarningCase.objects.filter(pk=new.pk).update(measure="zhuanan")  # in no version at all
    assert WarningCase.objects.get(pk=old.pk).get_measure_display() == "责令纠错"  # from the policy in force
    assert WarningCase.objects.get(pk=new.pk).get_measure_display() == "zhuanan"


def test_reading_a_measure_name_costs_no_query(shou_renamed, open_case, django_assert_num_queries):
    case = open_case("jiucuo", "MH0002", on="2026-03-02")
    fresh = WarningCase.objects.get(pk=case.pk)
    with django_assert_num_queries(0):
        assert fresh.get_measure_display() == "责令纠错"
        assert Ending(case=fresh, kind="tanhua").get_kind_display() == "转谈话函询"


@pytest.mark.parametrize("key", ["Jiucuo", "JIUCUO", "9jiucuo", "_jiucuo", "jiu-cuo", "jiu cuo", "纠错", "", "jiucuo\n"])
def test_the_table_refuses_a_key_of_the_wrong_form(open_case, key):
    case = open_case("inquiry", "MH0003", on="2026-03-02")
    with pytest.raises(IntegrityError), transaction.atomic():
        WarningCase.objects.filter(pk=case.pk).update(measure=key)
    WarningCase.objects.filter(pk=case.pk).update(measure="any_key_2")  # any lower-case key of the right form
    assert WarningCase.objects.get(pk=case.pk).measure == "any_key_2"


@pytest.fixture
def two_versions(open_case, use_policy):
    """Cases under Shou's text (inquiry, admonition, correction), then under the renamed text (tanhua, jiucuo)."""
    from tests.policies import shou_renamed_text

    shou = {m: open_case(m, code, on="2026-03-02")
            for m, code in (("inquiry", "MH0003"), ("admonition", "MH0001"), ("correction", "MH0002"))}
    use_policy(shou_renamed_text())
    renamed = {m: open_case(m, code, on="2026-03-03") for m, code in (("tanhua", "MH0004"), ("jiucuo", "MH0005"))}
    return {**shou, **renamed}


def test_known_measures_are_the_policy_in_force_then_older_keys(two_versions, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert measures.known_measures() == ["tanhua", "jingshi", "jiucuo", "inquiry", "admonition", "correction"]


def test_where_picks_measures_by_what_they_do_in_one_query(two_versions, open_case, use_policy,
                                                            django_assert_num_queries):
    cases = two_versions
    with django_assert_num_queries(1):
        restricted = measures.where(lambda m: m.restricted)
    with django_assert_num_queries(1):
        chief = measures.where(lambda m: m.report_to_party_chief)
    nothing = measures.where(lambda m: m.label == "没有这项措施")
    assert set(WarningCase.objects.filter(restricted).values_list("number", flat=True)) == {
        cases[m].number for m in ("admonition", "correction", "jiucuo")}
    assert set(WarningCase.objects.filter(chief).values_list("number", flat=True)) == {
        cases[m].number for m in ("correction", "jiucuo")}
    assert not WarningCase.objects.filter(nothing).exists()
    # a third version, with a fourth key, costs no further query
    from tests.policies import renamed, shou_renamed_text

    use_policy(renamed(shou_renamed_text(), {"jiucuo": "zeling"}))
    zeling = open_case("zeling", "MH0006", on="2026-03-04")
    with django_assert_num_queries(1):
        restricted = measures.where(lambda m: m.restricted)
    assert set(WarningCase.objects.filter(restricted).values_list("number", flat=True)) == {
        cases[m].number for m in ("admonition", "correction", "jiucuo")} | {zeling.number}


def test_where_reaches_the_case_from_another_model(two_versions, users):
    correction = two_versions["correction"]
    Ending.objects.create(case=correction, recorded_by=users["yjb"], kind="case_filing", decided_on=D("2026-04-01"),
                          basis="立案")
    q = measures.where(lambda m: m.integrity_record, path="case__")
    assert list(Ending.objects.filter(q).values_list("case__number", flat=True)) == [correction.number]


def test_the_ledger_sorts_renamed_measures_in_the_declared_order(shou_renamed, open_case, login):
    """Not by code (jingshi, jiucuo, tanhua) but lightest first, as [policy] measures lists them."""
    named = {"c": open_case("jiucuo", "MH0002", on="2026-03-02"), "a": open_case("tanhua", "MH0003", on="2026-03-02"),
             "b": open_case("jingshi", "MH0001", on="2026-03-02")}
    assert shown(page_of(login("yjb"), "/cases/?sort=measure"), named) == "abc"
    assert shown(page_of(login("yjb"), "/cases/?sort=-measure"), named) == "cba"


def _options(page: str, select: str) -> list[tuple[str, str]]:
    import re

    block = re.search(rf'<select name="{select}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block)


def test_the_ledger_filter_offers_every_measure_a_case_can_have(open_case, use_policy, login):
    """Shou's three by name as before; under renamed keys, the keys in force and then those of older cases."""
    from tests.policies import shou_renamed_text

    open_case("inquiry", "MH0003", on="2026-03-02")
    shou = [("", "全部"), ("inquiry", "谈话函询"), ("admonition", "警示诫勉"), ("correction", "责令纠错")]
    assert _options(login("yjb").get("/cases/").content.decode(), "measure") == shou
    use_policy(shou_renamed_text())
    jiucuo = open_case("jiucuo", "MH0002", on="2026-03-02")
    page = login("yjb").get("/cases/").content.decode()
    assert _options(page, "measure") == [("", "全部"), ("tanhua", "谈话函询"), ("jingshi", "警示诫勉"),
                                         ("jiucuo", "责令纠错"), *shou[1:]]
    filtered = page_of(login("yjb"), "/cases/?measure=jiucuo")
    assert [c.number for c in filtered.context["page"].object_list] == [jiucuo.number]


def test_the_escalation_form_names_renamed_measures(shou_renamed, approved, login):
    case = approved("tanhua", "MH0003", on="2026-03-02", approve_on="2026-03-03", approver="fushuji")
    page = login("fushuji").get(f"/cases/{case.pk}/").content.decode()
    assert _options(page, "escalate-kind") == [("jingshi", "转警示诫勉"), ("jiucuo", "转责令纠错"), ("case_filing", "立案查处")]
