"""Helpers shared by the example policies' end-to-end API tests: each test module names its policy with an
``example_policy`` fixture; ``api`` makes each request as a demo user on a fixed day, ``act`` takes a step."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.dates import D


def docx_paragraphs(response) -> list[str]:
    """The paragraphs of a DOCX download (a streaming response of the API)."""
    import io

    from docx import Document as Docx

    return [p.text for p in Docx(io.BytesIO(b"".join(response.streaming_content))).paragraphs]


@pytest.fixture
def api(example_policy, login, monkeypatch):
    """api(username, "post", url, body, on="2026-09-01") -> the response, the request made on that day."""
    clients = {}

    def _call(username, method, url, body=None, *, on):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(on))
        client = clients.setdefault(username, login(username))
        if method == "get":
            return client.get(url)
        return client.post(url, body or {}, content_type="application/json")

    return _call


@pytest.fixture
def act(api):
    """act(username, case_id, "approve", {...}, on=...) -> the case detail; asserts the step was taken."""

    def _act(username, case_id, name, body=None, *, on, status=200):
        response = api(username, "post", f"/api/cases/{case_id}/{name}", body, on=on)
        assert response.status_code == status, (name, response.json())
        return response.json()

    return _act


def talk(act, case, chief, *, planned, held):
    """Plan, notify and hold the talk of ``case`` (chief talker ``chief``, with 方晓春)."""
    act("yjb", case, "plan-talk", {"outline": "谈话提纲", "chief_id": chief.pk, "other_talkers": ["方晓春"],
                                   "scheduled_at": f"{held}T09:00:00+08:00", "place": "谈话室"}, on=planned)
    act("yjb", case, "notify-talk", {"sent_on": planned}, on=planned)
    return act("yjb", case, "hold-talk", {"held_on": held, "record": "谈话记录", "signed_on": held}, on=held)
