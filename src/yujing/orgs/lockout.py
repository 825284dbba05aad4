"""Sign-in throttling: hard lockout per address, progressive delay per account.

django-axes locks an *address* after ``AXES_FAILURE_LIMIT`` failures (whatever accounts it tried) and
the *account at that address*, for ``AXES_COOLOFF_TIME``: a guesser is stopped where they stand. An
account is not locked for everyone: had it been, five wrong passwords from anywhere would lock any
approver out at will, and an attacker could silence every decider of the county in a minute. Instead,
once an account has had ``AXES_FAILURE_LIMIT`` failures in the cool-off period (from any addresses),
every further sign-in to it waits before the password is even checked: 1, 2, 4 … seconds, at most
``YUJING_LOGIN_DELAY_MAX`` (default 8). The right owner still signs in, a few seconds late; guessing
from many addresses costs each guess that wait. No CAPTCHA (it would need another host or an image
library; neither is wanted here).
"""

from __future__ import annotations

import time
from datetime import timedelta

from axes.backends import AxesStandaloneBackend

pause = time.sleep  # tests replace it


def account_failures(username: str) -> int:
    """Failed sign-ins to this account within the cool-off period, from every address."""
    from axes.conf import settings as axes_settings
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    cooloff = axes_settings.AXES_COOLOFF_TIME
    window = cooloff if isinstance(cooloff, timedelta) else timedelta(hours=float(cooloff or 0.5))
    total = (AccessAttempt.objects.filter(username=username, attempt_time__gte=timezone.now() - window)
             .aggregate(n=Sum("failures_since_start"))["n"])
    return total or 0


def delay(username: str) -> float:
    """Seconds a sign-in to ``username`` waits: none below the failure limit, then doubling up to the cap."""
    from django.conf import settings

    limit = int(getattr(settings, "AXES_FAILURE_LIMIT", 5))
    cap = float(getattr(settings, "YUJING_LOGIN_DELAY_MAX", 8))
    failures = account_failures(username)
    if failures < limit:
        return 0.0
    return float(min(2 ** min(failures - limit, 16), cap))


def forget_failures(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: the right password clears the failures of *this account at this address* only (not
    axes's ``AXES_RESET_ON_SUCCESS``, which cleared the address's whole count: an insider signing in as himself
    between rounds of four wrong passwords for another account had guessed without end and reset that
    account's delay). Failures for other accounts from the address, and for this one elsewhere, stay."""
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt

    if request is None or user is None:
        return
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=address).delete()


class ThrottlingAxesBackend(AxesStandaloneBackend):
    """axes's check first (a locked address is refused at once, without a wait), then the account's delay."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        if username and (seconds := delay(str(username)[:255])):
            pause(seconds)
        return None
