"""Rendering a form: docxtpl fills the DOCX template; LibreOffice turns that DOCX into the PDF, so
both formats come from one template and a wording change is made once."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from docxtpl import DocxTemplate

BUILTIN = Path(__file__).resolve().parent / "docx"
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
CONVERT_TIMEOUT = 60

logger = logging.getLogger("yujing.documents")


class RenderError(RuntimeError):
    """The document could not be produced (the message is for people). ``reason`` is the short why,
    kept on a document that was produced as DOCX only."""

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def pdf_unavailable(reason: str) -> str:
    """What the documents card shows in place of the PDF link; the DOCX is the same form, printable."""
    return f"PDF 不可用：{reason}（DOCX 可正常下载打印）"


def template_path(key: str) -> Path:
    """An administrator's replacement in ``YUJING_DOC_TEMPLATES`` wins over the built-in template."""
    override = os.environ.get("YUJING_DOC_TEMPLATES") or getattr(settings, "YUJING_DOC_TEMPLATES", "")
    if override and (Path(override) / f"{key}.docx").exists():
        return Path(override) / f"{key}.docx"
    return BUILTIN / f"{key}.docx"


def render_docx(key: str, context: dict) -> bytes:
    template = DocxTemplate(str(template_path(key)))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """Convert with LibreOffice headless. Each process keeps its own profile: conversions sharing one
    profile at the same time silently lose output (ECOSYSTEM.md)."""
    binary = soffice()
    if binary is None:
        raise RenderError("服务器未安装 LibreOffice，无法生成 PDF（请安装 libreoffice-writer-nogui）",
                          reason="服务器未安装 LibreOffice")
    profile = Path(settings.VAR_DIR) / "lo-profile" / str(os.getpid())
    with tempfile.TemporaryDirectory(prefix="yujing-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        try:
            subprocess.run(  # noqa: S603 — fixed argument list, no shell, no user input in it
                [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=CONVERT_TIMEOUT, env=env,
            )
        except subprocess.CalledProcessError as exc:
            # the details are for the administrator's log, not for the page
            logger.warning("soffice exited with %s: %s", exc.returncode, (exc.stderr or b"").decode(errors="replace")[-2000:])
            raise RenderError(f"PDF 转换失败：LibreOffice 退出码 {exc.returncode}",
                              reason=f"LibreOffice 转换出错，退出码 {exc.returncode}") from exc
        except subprocess.TimeoutExpired as exc:
            logger.warning("soffice timed out after %s s", CONVERT_TIMEOUT)
            raise RenderError(f"PDF 转换失败：LibreOffice 超过{CONVERT_TIMEOUT}秒未完成",
                              reason=f"LibreOffice 转换超过{CONVERT_TIMEOUT}秒未完成") from exc
        except OSError as exc:
            logger.warning("soffice could not be started: %s", exc)
            raise RenderError("PDF 转换失败：无法启动 LibreOffice", reason="无法启动 LibreOffice") from exc
        target = Path(tmp) / "document.pdf"
        if not target.exists():
            raise RenderError("PDF 转换没有产生文件", reason="LibreOffice 转换没有产生文件")
        return target.read_bytes()
