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
