"""Settings, all from the environment.

With nothing set, Yujing runs on a SQLite file under ``var/`` and keeps its own secret key there,
so `make run` on a fresh machine needs no configuration. Production sets at least ``DATABASE_URL``,
``SECRET_KEY`` and ``ALLOWED_HOSTS``: deploy/yujing.env.example names them all (deploy/README.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("YUJING_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
if env_bool("YUJING_PRODUCTION") and (SECRET_KEY.startswith("CHANGE-ME") or len(SECRET_KEY) < 40):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产模式需要设置随机的 SECRET_KEY（至少 40 个字符，见 deploy/yujing.env.example）")
if env_bool("YUJING_PRODUCTION"):
    # production never falls back to a key generated under var/ (it would sit beside the data it protects)
    from yujing.core.crypto import check_keys

    check_keys(os.environ.get("YUJING_FIELD_KEYS", ""))
# behind nginx: the peers whose X-Real-IP is believed (audit addresses, lockout per address)
YUJING_TRUSTED_PROXIES = env_list("YUJING_TRUSTED_PROXIES")
# the largest request body: a 20 MB attachment Base64-encoded in the API (= nginx client_max_body_size)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(30 * 1024 * 1024)))
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",
    "yujing.core",
    "yujing.audit",
    "yujing.policy",
    "yujing.orgs",
    "yujing.cadres",
    "yujing.clues",
    "yujing.cases",
    "yujing.documents",
    "yujing.oversight",
    "yujing.api",
]

MIDDLEWARE = [
    "yujing.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yujing.core.middleware.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yujing.middleware.YujingLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # the second factor first (a stolen password alone must not change the password), then the forced change
    "yujing.middleware.TwoFactorRequiredMiddleware",
    "yujing.middleware.PasswordChangeRequiredMiddleware",
    "yujing.middleware.AccountNoticeMiddleware",  # the notice of account changes, once the sign-in owes nothing
    "axes.middleware.AxesMiddleware",
    "yujing.core.idempotency.IdempotencyMiddleware",  # Idempotency-Key on the API's POSTs (after every check)
]
# how long a form's or an API POST's idempotency key keeps its first result (core/idempotency.py)
IDEMPOTENCY_HOURS = 24

ROOT_URLCONF = "yujing.urls"
WSGI_APPLICATION = "yujing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yujing.orgs.context_processors.navigation",
            ],
            # the Chinese date filters (cn_date, cn_month, cn_time, cn_datetime) in every template
            "builtins": ["yujing.core.templatetags.cn_dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yujing.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work at once; IMMEDIATE makes a write transaction take
    # the lock at BEGIN, so two requests never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
# dumpdata/loaddata (and so backups) keep datetimes to the microsecond: yujing/core/json_serializer.py
SERIALIZATION_MODULES = {"json": "yujing.core.json_serializer"}

AUTH_PASSWORD_VALIDATORS = [  # each with its Chinese message (orgs/passwords.py)
    {"NAME": "yujing.orgs.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "yujing.orgs.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "yujing.orgs.passwords.CommonPasswordValidator"},
    {"NAME": "yujing.orgs.passwords.NumericPasswordValidator"},
    {"NAME": "yujing.orgs.passwords.CharacterClassesValidator"},
    # not the current password nor any of the last five; its password_changed hook keeps the (hashed) history
    {"NAME": "yujing.orgs.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# a password expires after this many days (0: never); the forced change of production mode then asks for a new one
YUJING_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("YUJING_PASSWORD_MAX_AGE_DAYS", "90"))

# Sign-in throttling (orgs/lockout.py): an address, and an account at that address, are locked after repeated
# failures (django-axes); an account is never locked for everyone (anyone could lock every approver out at will):
# past the limit each sign-in to it waits 1, 2, 4 … seconds, at most YUJING_LOGIN_DELAY_MAX
AUTHENTICATION_BACKENDS = ["yujing.orgs.lockout.ThrottlingAxesBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]  # each counted on its own
YUJING_LOGIN_DELAY_MAX = float(os.environ.get("YUJING_LOGIN_DELAY_MAX", "8"))  # seconds
# not axes's reset: it deletes every failure record of the *address* (whatever accounts they were for), so an
# insider signing in as himself between rounds of wrong passwords for another account guessed without end.
# orgs/lockout.forget_failures clears only the signed-in account's records at that address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# production mode: initial and demo passwords must be changed at the first login
YUJING_FORCE_PASSWORD_CHANGE = env_bool("YUJING_PRODUCTION")
# production mode: approvers and administrators sign in with a TOTP code as well (django-otp)
YUJING_REQUIRE_2FA = env_bool("YUJING_REQUIRE_2FA", env_bool("YUJING_PRODUCTION"))
OTP_TOTP_ISSUER = "预警 Yujing"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files live outside the web root and are only served through views that check access.
MEDIA_ROOT = Path(os.environ.get("YUJING_MEDIA_ROOT", VAR_DIR / "files"))

# sessions end after 30 minutes without a request (each request renews them)
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "yujing.views.csrf_failure"  # in Chinese, under the CSP
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A strict Content-Security-Policy: everything from this server, no inline script, no other host
# (the pages use static files only; data for charts and the API docs travels in JSON blocks).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if env_bool("YUJING_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yujing@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
# the prefix of links in reminder e-mails, e.g. https://yujing.example.gov.cn
YUJING_SITE_URL = os.environ.get("YUJING_SITE_URL", "")

# The policy file: the rules of the regulation as data (see src/yujing/policy/policies/).
YUJING_POLICY = os.environ.get("YUJING_POLICY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 200
