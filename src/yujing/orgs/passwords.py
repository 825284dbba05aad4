"""Password rules, each with its Chinese message, as Django password validators: every path that calls
``validate_password`` (the change form, the forced change, the admin's reset, ``changepassword``,
``createsuperuser``) applies all of them, and every path that saves a new password (``set_password`` then
``save``) reaches their ``password_changed`` hook, which keeps the history.

Beyond length, common, numeric, similarity and character classes: a new password is none of the user's
last five (the current one included), and a password expires after ``YUJING_PASSWORD_MAX_AGE_DAYS``
(default 90), when the forced change of production mode asks for a new one.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError
from django.utils import translation

HISTORY = 5  # the passwords a new one may not repeat, the current one included


class CharacterClassesValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = sum(bool(re.search(pattern, password)) for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
        if classes < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类", code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短：至少需要 {self.min_length} 个字符"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这个密码太常见，容易被猜中，请另选一个"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "密码不能全是数字"

    def get_help_text(self) -> str:
        return "密码不能全是数字。"


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Not like the user's account name, name or e-mail (the field names read in Chinese, whatever the
    language active: a management command runs without the request's)."""

    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "first_name", "last_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def validate(self, password, user=None):
        with translation.override("zh-hans"):
            try:
                super().validate(password, user)
            except ValidationError as error:
                raise ValidationError(self.get_error_message() % error.params, code=error.code) from None

    def get_error_message(self) -> str:
        return "密码与%(verbose_name)s过于相似"

    def get_help_text(self) -> str:
        return "密码不能与用户名、姓名、电子邮箱等个人信息相似。"


class PasswordHistoryValidator:
    """Not the current password, nor any of the last ``count`` (the forced change had taken the old one
    back). The history holds hashes only (orgs.PasswordHistory), written by ``password_changed``."""

    def __init__(self, count: int = HISTORY) -> None:
        self.count = count

    def _recent_hashes(self, user: Any) -> list[str]:
        from .models import PasswordHistory

        hashes = [user.password] if user.password and user.has_usable_password() else []
        if user.pk:
            hashes += list(PasswordHistory.objects.filter(user_id=user.pk)
                           .order_by("-changed_at", "-pk").values_list("password", flat=True)[:self.count])
        return hashes

    def validate(self, password: str, user=None) -> None:
        from django.contrib.auth.hashers import check_password

        if user is None:
            return
        # check_password without a setter: a check must not re-hash and save the user's password
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(f"新密码不能与当前密码或最近 {self.count} 次用过的密码相同", code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        """Called by ``User.save`` after ``set_password``: keep the new hash, drop all but the last ``count``."""
        from .models import PasswordHistory

        if user is None or not user.pk or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = list(PasswordHistory.objects.filter(user_id=user.pk).order_by("-changed_at", "-pk")
                    .values_list("pk", flat=True)[:self.count])
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return f"不能与当前密码或最近 {self.count} 次用过的密码相同。"


def max_age() -> timedelta | None:
    """How long a password lasts (``YUJING_PASSWORD_MAX_AGE_DAYS``; 0 means it never expires)."""
    from django.conf import settings

    days = int(getattr(settings, "YUJING_PASSWORD_MAX_AGE_DAYS", 90))
    return timedelta(days=days) if days > 0 else None


def changed_at(user: Any):
    """When the user's password was last set: the newest history entry, else when the account was made."""
    from .models import PasswordHistory

    latest = PasswordHistory.objects.filter(user_id=user.pk).order_by("-changed_at", "-pk").first()
    return latest.changed_at if latest else user.date_joined


def expired(user: Any, now=None) -> bool:
    from django.utils import timezone

    age = max_age()
    if age is None or not user.has_usable_password():
        return False
    return (now or timezone.now()) - changed_at(user) > age


def must_change(user: Any) -> bool:
    """An initial or demo password (``must_change_password``), or one older than the maximum age. Cached on
    the user object for the request (the middleware asks more than once)."""
    cached = getattr(user, "_yujing_must_change", None)
    if cached is None:
        cached = user._yujing_must_change = bool(user.must_change_password or expired(user))
    return cached
