"""Backup and restore round-trip a county: every row and every file comes back the same."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command

from yujing.audit.services import verify_chain
from yujing.core.backup import BackupError, backup, restore, verify
from yujing.demo import load_demo


def snapshot() -> str:
    out = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry"],
                 natural_foreign=True, indent=None, stdout=out)
    return out.getvalue()


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_round_trip(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    load_demo()
    from yujing.clues.models import Clue
    from yujing.clues.services import Upload, add_attachments
    from yujing.orgs.models import User

    clue = Clue.objects.filter(handling_unit__code="MH-JW-YJB").first()
    add_attachments(clue=clue, uploads=[Upload("材料.pdf", b"%PDF-1.4 evidence")], by=User.objects.get(username="yjb"))
    before_rows, before_files = snapshot(), files(settings.MEDIA_ROOT)
    archive = tmp_path / "backup.tar.gz"
    manifest = backup(archive)
    assert len(manifest["members"]) == 1 + len(before_files) == 2
    assert verify(archive)["format"] == 1
    with pytest.raises(BackupError, match="已有数据"):
        restore(archive)
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    restore(archive)
    after_rows = snapshot()
    if after_rows != before_rows:
        i = next(i for i, (a, b) in enumerate(zip(after_rows, before_rows, strict=False)) if a != b)
        raise AssertionError(f"rows differ: before {before_rows[i - 300:i + 100]!r} after {after_rows[i - 300:i + 100]!r}")
    assert files(settings.MEDIA_ROOT) == before_files
    assert verify_chain() is None
    assert Clue.objects.count() == 7 and clue.attachments.count() == 1


@pytest.mark.django_db
def test_a_damaged_archive_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace(b"[", b"[ ", 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"data\.json 校验不符"):
        verify(damaged)
    with pytest.raises(BackupError, match="找不到"):
        verify(tmp_path / "none.tar.gz")


@pytest.mark.django_db(transaction=True)
def test_a_backup_keeps_microseconds(settings, tmp_path):
    """Django's JSON cuts 21:47:18.000412 to 21:47:18.000: the restored row differed (CI, 2026-12-03)."""
    import datetime

    from yujing.cases.models import Ending

    settings.MEDIA_ROOT = tmp_path / "files"
    load_demo()
    stamp = datetime.datetime(2026, 12, 3, 21, 47, 18, 412, tzinfo=datetime.UTC)
    ending = Ending.objects.order_by("pk").first()
    Ending.objects.filter(pk=ending.pk).update(recorded_at=stamp)
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    restore(archive)
    assert Ending.objects.get(pk=ending.pk).recorded_at == stamp
