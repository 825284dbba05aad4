"""Double submits (issue 18, hole 10): a form carries a key issued with it (a hidden field), an API POST
an ``Idempotency-Key`` header. The first request with a key claims it — a row unique per user (and API token), key and
path — and its result is remembered for ``IDEMPOTENCY_HOURS``; a repeat gets that first result and
writes nothing. The same key with a different body is refused (422); a repeat arriving while the first
is still being handled waits a moment for its result, then is told to retry (409). A request that fails
(anything but a success or a redirect) gives its key back, so the corrected form can be sent again."""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from . import crypto
from .models import IdempotencyKey

FIELD = "idempotency_key"  # the forms' hidden field
HEADER = "Idempotency-Key"
KEY = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
BAD_KEY = "幂等键（Idempotency-Key）须为 1 至 64 个字母、数字或 _ . : - 字符"
MISMATCH = "该幂等键已用于内容不同的另一次提交，未执行本次提交；新的提交请使用新的幂等键"
FORM_MISMATCH = "此表单已经提交过，本次内容与第一次不同，未保存；如需再次提交，请重新打开表单填写"
BUSY = "相同的提交正在处理，请稍后刷新查看结果，不要重复提交"
WAIT_SECONDS = 5.0
PATH_LENGTH = 255  # IdempotencyKey.path
# API POSTs that read rather than write: each one is a logged read (a reporter's identity, a restriction
# query), which a replay would skip
API_EXEMPT = (re.compile(r"^/api/clues/\d+/reporter$"), re.compile(r"^/api/restrictions$"))


def new_key() -> str:
    return uuid.uuid4().hex


def hours() -> int:
    return int(getattr(settings, "IDEMPOTENCY_HOURS", 24))


@dataclass
class Claim:
    row: IdempotencyKey | None = None  # ours: the first request with this key
    replay: IdempotencyKey | None = None  # an earlier request's finished result
    refusal: str = ""  # MISMATCH or BUSY


def stored_path(path: str) -> str:
    """The path as the row keeps it: a path longer than the column (255) by its SHA-256, so a long /api/
    path with a key is claimed like any other instead of failing on PostgreSQL (issue 18 review)."""
    if len(path) <= PATH_LENGTH:
        return path
    return "sha256:" + hashlib.sha256(path.encode()).hexdigest()


def begin(*, user: Any, key: str, path: str, fingerprint: str, scope: str = "") -> Claim:
    """Claim ``key`` for this request, or find the earlier request that claimed it. ``scope`` tells apart
    the user's API tokens and his browser session (``token:<id>``, or empty): a narrow token must not be
    given what a broad token (or the session) was answered."""
    deadline = time.monotonic() + WAIT_SECONDS
    path = stored_path(path)
    while True:
        try:
            with transaction.atomic():
                stale = timezone.now() - timedelta(hours=hours())
                # the user's expired keys go (their results with them): the table keeps a day's submissions
                IdempotencyKey.objects.filter(user=user, created_at__lt=stale).delete()
                return Claim(row=IdempotencyKey.objects.create(user=user, scope=scope, key=key, path=path,
                                                               fingerprint=fingerprint))
        except IntegrityError:
            pass  # claimed before us (perhaps at this very moment): read what it became
        earlier = IdempotencyKey.objects.filter(user=user, scope=scope, key=key, path=path).first()
        if earlier is None:
            if time.monotonic() >= deadline:
                return Claim(refusal=BUSY)
            continue  # given back in between: claim again
        if earlier.fingerprint != fingerprint:
            return Claim(refusal=MISMATCH)
        if earlier.status is not None:
            return Claim(replay=earlier)
        if time.monotonic() >= deadline:
            return Claim(refusal=BUSY)
        time.sleep(0.2)


def finish(claim: Claim, response: HttpResponse) -> HttpResponse:
    """Remember a success or a redirect as the key's result; give the key back after anything else."""
    row = claim.row
    if row is None:
        return response
    if 200 <= response.status_code < 400 and not getattr(response, "streaming", False):
        row.status = response.status_code
        row.content_type = response.get("Content-Type", "")
        row.content = crypto.encrypt(response.content.decode("utf-8")) if response.content else ""
        row.location = response.get("Location", "")[:255]
        row.save(update_fields=["status", "content_type", "content", "location"])
    else:
        release(claim)
    return response


def release(claim: Claim) -> None:
    if claim.row is not None:
        IdempotencyKey.objects.filter(pk=claim.row.pk, status__isnull=True).delete()


def replayed(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(crypto.decrypt(row.content), status=row.status, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


def api_fingerprint(request: HttpRequest, body: bytes) -> str:
    """What was sent: the path with its query string, and the body."""
    digest = hashlib.sha256()
    digest.update(request.get_full_path().encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def form_fingerprint(request: HttpRequest) -> str:
    """What was submitted: the path with its query string, every field but the CSRF token and the key,
    and every file's content."""
    digest = hashlib.sha256()
    digest.update(request.get_full_path().encode() + b"\0")
    for name in sorted(request.POST):
        if name in ("csrfmiddlewaretoken", FIELD):
            continue
        for value in request.POST.getlist(name):
            digest.update(f"{name}\0{value}\0".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}\0{upload.name}\0".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def once(request: HttpRequest, run: Callable[[], HttpResponse]) -> HttpResponse:
    """Run a form's POST handling once per key: ``run`` validates, writes through the service and
    answers (a redirect to the result on success). Without a key the form is handled as before."""
    from django.contrib import messages

    key = request.POST.get(FIELD, "") if request.method == "POST" else ""
    if not key:
        return run()
    if not KEY.fullmatch(key):
        return HttpResponse(BAD_KEY, status=422, content_type="text/plain; charset=utf-8")
    claim = begin(user=request.user, key=key, path=request.path, fingerprint=form_fingerprint(request))
    if claim.refusal:
        text = FORM_MISMATCH if claim.refusal == MISMATCH else claim.refusal
        return HttpResponse(text, status=422 if claim.refusal == MISMATCH else 409,
                            content_type="text/plain; charset=utf-8")
    if claim.replay is not None:
        messages.info(request, "此表单已经提交过，未重复保存；以下是第一次提交的结果。")
        return replayed(claim.replay)
    try:
        response = run()
    except BaseException:
        release(claim)
        raise
    return finish(claim, response)


class IdempotencyMiddleware:
    """``Idempotency-Key`` on the API's POSTs: the same key from the same user on the same path returns
    the first result. Runs after authentication; a token request is resolved here by the same function
    the API's authentication uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (key is None or request.method != "POST" or not request.path_info.startswith("/api/")
                or any(p.match(request.path_info) for p in API_EXEMPT)):
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return JsonResponse({"code": "invalid", "message": BAD_KEY}, status=422)
        user = self._user(request)
        if user is None:  # the API answers 401 itself
            return self.get_response(request)
        try:
            body = request.body
        except RequestDataTooBig:  # the API answers 413 itself
            return self.get_response(request)
        token = getattr(user, "_yujing_api_token", None)
        claim = begin(user=user, key=key, path=request.path_info, fingerprint=api_fingerprint(request, body),
                      scope=f"token:{token}" if token is not None else "")
        if claim.refusal:
            code = "idempotency_mismatch" if claim.refusal == MISMATCH else "conflict"
            return JsonResponse({"code": code, "message": claim.refusal}, status=422 if claim.refusal == MISMATCH else 409)
        if claim.replay is not None:
            return replayed(claim.replay)
        try:
            response = self.get_response(request)
        except BaseException:
            release(claim)
            raise
        return finish(claim, response)

    @staticmethod
    def _user(request):
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            from yujing.api.services import authenticate_token

            return authenticate_token(auth[7:].strip())
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
