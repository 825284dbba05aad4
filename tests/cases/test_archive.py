"""Archiving: a closed case becomes read-only once [retention] archive_after_days have passed since it
closed; it stays visible to those entitled; nothing is deleted; a rerun archives nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from yujing.audit.models import Event
from yujing.cases import services as cs
from yujing.cases.models import WarningCase
from yujing.documents.contexts import targets_for_case
from yujing.documents.services import generate

from .conftest import D


def test_a_rejected_case_is_archived_ninety_days_after_it_closed(open_case, users, login, capsys):
    case = open_case("admonition", "MH0001", on="2026-09-02")
    cs.decide(case=case, by=users["shuji"], today=D("2026-09-04"), approve=False, opinion="反映不实")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("rejected", D("2026-09-04"))
    document = generate(targets_for_case(case)[0], by=users["yjb"], today=D("2026-09-05"), pdf=False)

    assert cs.archive_closed(today=D("2026-12-02")) == 0  # 89 days
    call_command("archive", date="2026-12-03")
    assert capsys.readouterr().out.strip() == "2026-12-03：归档办结满90日的预警事项 1 件。"
    case.refresh_from_db()
    assert case.archived_on == D("2026-12-03")
    assert cs.archive_closed(today=D("2026-12-04")) == 0
    event = Event.objects.get(action="cases.case.archived")
    assert (event.actor_id, event.object_id, event.data) == (
        None, str(case.pk), {"closed_on": "2026-09-04", "archived_on": "2026-12-03"})

    with pytest.raises(ValidationError, match=f"预警事项 {case.number} 已于2026年12月3日归档，只读"):
        generate(targets_for_case(case)[0], by=users["yjb"], today=D("2026-12-05"), pdf=False)
    assert document.docx  # what was generated before stays in the file

    page = login("yjb").get(f"/cases/{case.pk}/").content.decode()
    assert "已归档" in page and 'title="2026年12月3日归档"' in page
    assert WarningCase.objects.filter(pk=case.pk).exists()
    assert case.pk in [c.pk for c in login("yjb").get("/cases/?status=rejected").context["page"]]


def test_open_cases_are_never_archived(open_case):
    open_case("admonition", "MH0001", on="2020-01-02")
    assert cs.archive_closed(today=D("2026-12-03")) == 0
