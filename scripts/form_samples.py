#!/usr/bin/env python
"""Render three forms of the demo county to PNG pictures for docs/forms/ (needs LibreOffice and
poppler-utils): .venv/bin/python scripts/form_samples.py"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FORMS = ("correction_notice", "target_approval", "talk_record")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="yujing-samples-")
    os.environ["YUJING_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/samples.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yujing.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from yujing.cases.models import WarningCase
    from yujing.demo import load_demo
    from yujing.documents.contexts import targets_for_case
    from yujing.documents.services import generate
    from yujing.orgs.models import User

    load_demo()
    user = User.objects.get(username="yjb")
    out = ROOT / "docs" / "forms"
    out.mkdir(parents=True, exist_ok=True)
    for case in WarningCase.objects.exclude(status="proposed").order_by("id"):
        for target in targets_for_case(case):
            if target.form.key not in FORMS or (out / f"{target.form.key}.png").exists():
                continue
            document = generate(target, by=user, today=timezone.localdate())
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1", document.pdf.path,
                            str(out / target.form.key)], check=True)
            print(out / f"{target.form.key}.png")


if __name__ == "__main__":
    main()
