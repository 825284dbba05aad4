"""Test settings: the real settings, made fast (cheap hashing, plain static storage)."""

from yujing.settings import *  # noqa: F403
from yujing.settings import DATABASES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not SQLite's shared in-memory database: the browser journeys' live server answers a page and
    # its htmx requests on several threads at once, and on one shared in-memory connection those collide
    # ("database table is locked"). A file gives each thread its own connection, with the WAL and
    # wait-on-lock settings of production. One file per process, so two runs never share one.
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"yujing-test-{os.getpid()}.sqlite3")}
