from __future__ import annotations

import pytest
from django.test import Client

from tests.dates import D
from yujing.cadres.models import Cadre
from yujing.cases import services as cs
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned, Outcome, Proposal
from yujing.demo import load_demo
from yujing.orgs.models import Unit, User
from yujing.policy.loader import reset_policy_cache


@pytest.fixture
def demo(db):
    """The demo county (明湖县), loaded through the same code as `make run`."""
    load_demo(clues=False)  # tests build their own clues
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def login(demo):
    """login("yjb") -> a Client logged in as that demo user."""

    def _login(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return _login


@pytest.fixture
def cadres(demo):
    return {c.code: c for c in Cadre.objects.all()}


@pytest.fixture
def open_case(users, cadres):
    """open_case("admonition", "MH0001", on="2026-09-02") -> a proposed case from a screened clue."""

    def _open(measure="admonition", code="MH0001", on="2026-09-02", verifiable=False, screener=None):
        cadre = cadres[code]
        screener = screener or ("yjb" if cadre.managed_by.code == "MH-XW" else "qs_jiwei")
        day = D(on)
        clue = clue_services.register_clue(
            by=users[screener], today=day, received_on=day, channel="petition", summary="反映问题",
            detail="群众反映的具体问题。", concerned=[Concerned(cadre_id=cadre.pk)],
        )
        clue_services.screen_clue(clue=clue, by=users[screener], today=day, outcome=Outcome.HANDLE, reason="本级处理",
                                  verifiable=verifiable, proposals=[Proposal(cadre.pk, measure)])
        return clue.cases.get()

    return _open


@pytest.fixture
def approved(open_case, users):
    """approved(...) -> a case verified and approved on ``approve_on`` by the right tier."""

    def _approved(measure="admonition", code="MH0001", on="2026-09-02", approve_on="2026-09-04", approver="shuji",
                  **kw):
        case = open_case(measure, code, on, **kw)
        cs.record_verification(case=case, by=users["yjb" if case.unit_in_charge.code == "MH-JW-YJB" else "qs_jiwei"],
                               today=D(on), method="preliminary", done_on=D(on), findings="初核属实",
                               conclusion="true")
        cs.decide(case=case, by=users[approver], today=D(approve_on), approve=True, opinion="同意")
        case.refresh_from_db()
        return case

    return _approved


@pytest.fixture
def use_policy(settings, tmp_path):
    """use_policy(path_or_text) -> the policy in force from now to the end of the test (a TOML text is written
    to a file first); the policy cache is reset on the way in and on the way out."""
    from pathlib import Path

    from yujing.policy.loader import get_policy

    def _use(path_or_text: str | Path):
        path = Path(path_or_text) if isinstance(path_or_text, Path) or "\n" not in path_or_text else None
        if path is None:
            path = tmp_path / f"policy_{len(list(tmp_path.glob('policy_*.toml')))}.toml"
            path.write_text(str(path_or_text), encoding="utf-8")
        settings.YUJING_POLICY = str(path)
        reset_policy_cache()
        return get_policy()

    yield _use
    reset_policy_cache()  # the settings fixture then restores YUJING_POLICY; the next get_policy() reads it


@pytest.fixture
def shou_renamed(use_policy):
    """Shou's policy in force with its measure keys renamed (inquiry→tanhua, admonition→jingshi,
    correction→jiucuo), words and rules unchanged (tests/policies.py)."""
    from tests.policies import shou_renamed_text

    return use_policy(shou_renamed_text())
