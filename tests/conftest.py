from __future__ import annotations

import pytest
from django.test import Client

from yujing.demo import DEMO_PASSWORD, load_demo
from yujing.orgs.models import Unit, User


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
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return _login
