"""Checking uploaded files by their content, not their name (第三十三条(六): nothing executable,
nothing disguised)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "docx": ".docx", "xlsx": ".xlsx"}


class FileRejected(ValueError):
    """An upload that may not be stored; the message is for people."""


@dataclass(frozen=True)
class Checked:
    kind: str
    size: int


def sniff(data: bytes) -> str | None:
    """The file's real type from its bytes: pdf, png, jpeg, docx, xlsx, or None.

    DOCX and XLSX are ZIP packages; the package is opened and its main part looked for, so a ZIP of
    anything else (or a renamed executable) is not taken for a document. (Signature libraries such
    as ``filetype`` only search the first bytes for a part name, which a crafted ZIP passes.)
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
                if "[Content_Types].xml" not in names or any(n.startswith(("/", "..")) or "/../" in n for n in names):
                    return None
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
    return None


def check_upload(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Checked:
    if not data:
        raise FileRejected(f"文件“{name}”是空的")
    if len(data) > max_bytes:
        raise FileRejected(f"文件“{name}”超过 {max_bytes // 1024 // 1024} MB 的上限")
    kind = sniff(data)
    if kind is None:
        raise FileRejected(f"文件“{name}”的内容不是 PDF、图片(PNG/JPEG)、Word(DOCX) 或 Excel(XLSX)，不能上传")
    return Checked(kind, len(data))


MAX_NAME = 200
_RESERVED = str.maketrans({c: "_" for c in '<>:"|?*'})


def safe_filename(name: str, *, default: str = "附件") -> str:
    """The name an upload is stored, listed, downloaded and zipped under (issue 18, hole 9): its last
    path component only (``/`` and ``\\`` both separate, so ``..\\..\\x`` is ``x``), without control or
    format characters (CR, LF, NUL, TAB, the right-to-left override …), without the characters Windows
    refuses in a name, without leading dots and spaces, at most 200 characters keeping the extension.
    A name with nothing left is ``default``."""
    import unicodedata

    text = "".join(" " if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} else c for c in str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = " ".join(text.translate(_RESERVED).split())
    text = text.lstrip(". ").rstrip(" ")
    if not text.strip("._ "):
        return default
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        text = stem[: MAX_NAME - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else text[:MAX_NAME]
    return text
