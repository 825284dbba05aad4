"""Two-factor sign-in (TOTP, django-otp) for those who decide and those who administer: a stolen
password alone must not approve a warning or change who may see what."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from . import access
from .roles import Role

TWO_FACTOR_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_COMMITTEE, Role.PARTY_COMMITTEE,
                    Role.PARTY_CHIEF, Role.ADMIN, Role.AUDITOR)


def required(user: Any) -> bool:
    if not getattr(settings, "YUJING_REQUIRE_2FA", False) or not user.is_authenticated:
        return False
    return user.is_superuser or access.has_role(user, *TWO_FACTOR_ROLES)


def confirmed_device(user: Any):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
