"""Backup and restore of a whole installation: every row (one consistent snapshot) and every stored
file, in one archive with a SHA-256 manifest. For a large PostgreSQL installation, use pg_dump or base
backups as well (docs/operations.md); this archive is the portable, verifiable form."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(RuntimeError):
    """The archive is missing, damaged or does not fit this installation (the message is for people)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(target: Path) -> dict:
    """Write ``target`` (.tar.gz): data.json (all rows), files/ (MEDIA_ROOT) and manifest.json."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="yujing-backup-") as tmp:
        work = Path(tmp)
        data = work / "data.json"
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:  # one snapshot for every table
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, output=str(data), verbosity=0)
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
            members = {"data.json": _sha256(data)}
            for path in files:
                members[f"files/{path.relative_to(media).as_posix()}"] = _sha256(path)
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "database": connection.vendor,
                    "members": members}
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(target, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(data, arcname="data.json")
            for path in files:
                archive.add(path, arcname=f"files/{path.relative_to(media).as_posix()}")
    return manifest


def verify(source: Path) -> dict:
    """Check every member against the manifest; returns the manifest."""
    if not source.exists():
        raise BackupError(f"找不到备份文件 {source}")
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
            names = {m.name for m in archive.getmembers() if m.isfile()} - {"manifest.json"}
            if names != set(manifest["members"]):
                raise BackupError("备份文件的内容与清单不符（文件缺失或多出）")
            for member in archive.getmembers():
                if member.name == "manifest.json" or not member.isfile():
                    continue
                digest = hashlib.sha256(archive.extractfile(member).read()).hexdigest()
                if digest != manifest["members"][member.name]:
                    raise BackupError(f"备份文件已损坏：{member.name} 校验不符")
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError) as exc:
        raise BackupError(f"备份文件无法读取：{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("备份文件的格式版本与本系统不符")
    return manifest


def restore(source: Path, *, force: bool = False) -> dict:
    """Bring a verified archive back into an empty (migrated) database and MEDIA_ROOT."""
    manifest = verify(source)
    from yujing.orgs.models import Unit

    media = Path(settings.MEDIA_ROOT)
    if Unit.objects.exists() and not force:
        raise BackupError("数据库中已有数据；恢复须在新建并迁移的空数据库上进行")
    with tempfile.TemporaryDirectory(prefix="yujing-restore-") as tmp, tarfile.open(source, "r:gz") as archive:
        work = Path(tmp)
        for member in archive.getmembers():
            if not member.isfile() or member.name == "manifest.json":
                continue
            if member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"备份文件中有不安全的路径：{member.name}")
            target = work / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as handle, target.open("wb") as out:
                shutil.copyfileobj(handle, out)
        with transaction.atomic():
            call_command("loaddata", str(work / "data.json"), verbosity=0)
            _reset_sequences()
        files = work / "files"
        if files.exists():
            for path in files.rglob("*"):
                if path.is_file():
                    destination = media / path.relative_to(files)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)
    return manifest


def _reset_sequences() -> None:
    """After loading rows with their ids, PostgreSQL's sequences must continue after them."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps
    from django.core.management.color import no_style

    models = [m for m in apps.get_models()]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def default_name() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"yujing-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"


__all__ = ["BackupError", "backup", "default_name", "io", "restore", "verify"]
