"""Encryption of confidential fields at rest (reporter identity, 第三十三条(六)).

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256, from ``cryptography``). ``YUJING_FIELD_KEYS`` holds
one or more keys separated by commas; the first encrypts, all of them decrypt, so a new key can be
put in front and old values re-encrypted with ``manage.py rotate_field_keys`` before the old key is
dropped. Without the variable (development), a key is generated once and kept in ``var/field_keys``.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING = ("生产模式须设置 YUJING_FIELD_KEYS（字段加密密钥，见 deploy/yujing.env.example）"
           " / YUJING_FIELD_KEYS must be set in production mode")
INVALID = "YUJING_FIELD_KEYS 中有无效的密钥（应为 Fernet 密钥，44 个字符） / YUJING_FIELD_KEYS holds an invalid key"


def check_keys(text: str) -> None:
    """At start-up in production mode (settings.py): the variable is set and every key in it is a key."""
    keys = [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(MISSING)
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(INVALID) from None


def _keys() -> list[bytes]:
    text = os.environ.get("YUJING_FIELD_KEYS", "").strip()
    if not text:
        path = settings.VAR_DIR / "field_keys"
        if not path.exists():
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
        text = path.read_text().strip()
    keys = [k.strip().encode() for k in text.replace("\n", ",").split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured("YUJING_FIELD_KEYS 中有无效的密钥（应为 Fernet 密钥，44 个字符）") from None
    return keys


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def reset() -> None:
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    """Encrypt ``text``; the empty string stays empty (nothing to protect, nothing to leak)."""
    if not text:
        return ""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured("无法解密：密钥不符（YUJING_FIELD_KEYS 缺少加密时所用的密钥）") from None


def rotate(token: str) -> str:
    """Re-encrypt ``token`` under the first (current) key."""
    if not token:
        return ""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
