"""Two-factor sign-in (TOTP, django-otp) for those who decide and those who administer: a stolen
password alone must not approve a warning or change who may see what."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings

from . import access
from .roles import Role

TWO_FACTOR_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE, Role.PARTY_COMMITTEE,
                    Role.PARTY_CHIEF, Role.DEPT_DEPUTY, Role.DEPT_HEAD, Role.ADMIN, Role.AUDITOR)


def enforced() -> bool:
    """Whether sign-in asks for a TOTP code at all (production mode)."""
    return bool(getattr(settings, "YUJING_REQUIRE_2FA", False))


def role_requires(user: Any) -> bool:
    return user.is_superuser or access.has_role(user, *TWO_FACTOR_ROLES)


def required(user: Any) -> bool:
    """Those who decide or administer must; anyone else who bound an authenticator (from the user menu)
    chose to, so their sign-in asks for the code as well."""
    if not enforced() or not user.is_authenticated:
        return False
    if role_requires(user):
        return True
    cached = getattr(user, "_yujing_has_device", None)
    if cached is None:
        cached = user._yujing_has_device = confirmed_device(user) is not None
    return cached


def confirmed_device(user: Any):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def manual_key(device: Any) -> str:
    """The device's secret as an authenticator app takes it by hand: Base32 without padding, in groups of four.

    django-otp stores the key as hex, which no authenticator app accepts; the QR code carries the same
    Base32 text, so typing this key and scanning the code enrol the same secret.
    """
    text = b32encode(bytes.fromhex(device.key)).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
