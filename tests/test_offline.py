"""The deployment is an intranet: nothing may be loaded from another host."""

import re
from pathlib import Path

import yujing

SRC = Path(yujing.__file__).resolve().parent
LOAD = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)
IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//""", re.IGNORECASE)


def test_templates_load_nothing_from_another_host():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if LOAD.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_static_files_load_nothing_from_another_host():
    offenders = []
    for path in (SRC / "static").rglob("*"):
        if path.suffix in {".css", ".html"}:
            text = path.read_text(encoding="utf-8")
            if CSS_URL.search(text) or IMPORT.search(text) or LOAD.search(text):
                offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_vendored_assets_carry_version_and_licence():
    vendor = SRC / "static" / "vendor"
    for folder in vendor.iterdir():
        assert re.search(r"-\d+\.\d+\.\d+$", folder.name), folder.name
        assert (folder / "LICENSE").exists(), folder.name


def test_every_static_file_the_pages_use_is_found():
    from django.contrib.staticfiles import finders

    for name in (
        "vendor/bootstrap-5.3.9/bootstrap.min.css",
        "vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
        "vendor/echarts-6.1.0/echarts.min.js",
        "yujing/site.css",
        "django_htmx/htmx-2.min.js",
        "ninja/swagger-ui-bundle.js",
    ):
        assert finders.find(name), name
