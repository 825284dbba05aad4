#!/usr/bin/env python3
"""What the documents need from the machine, checked by `make run` before it serves: LibreOffice
(`soffice`, which turns each DOCX into its PDF) and a Chinese font (without one the PDF's characters
come out as boxes). One line per missing piece, with the command that installs it; one OK line when
everything is there.

Run as root on a Debian/Ubuntu machine, it installs what is missing itself with apt-get, unless
YUJING_NO_AUTO_INSTALL is set (to any non-empty value). It never fails: without LibreOffice the
system still produces every form as DOCX and says on the page why there is no PDF.

Standard library only: it runs before (and without) Django.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    package: str
    missing: str  # what the user loses, in one line


SOFFICE = Piece("libreoffice-writer-nogui", "缺少 LibreOffice（soffice）：文书只能生成 DOCX，不能生成 PDF")
CJK_FONT = Piece("fonts-noto-cjk", "缺少中文字体（fc-list :lang=zh 没有结果）：PDF 中的汉字无法显示")
OK = "运行环境检查通过：LibreOffice 和中文字体已安装，文书可生成 DOCX 和 PDF"


def has_soffice() -> bool:
    # the same lookup as yujing.documents.render.soffice()
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def has_cjk_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False  # no fontconfig at all: LibreOffice would not find a font either
    return listed.returncode == 0 and bool(listed.stdout.strip())


def missing() -> list[Piece]:
    return [piece for piece, present in ((SOFFICE, has_soffice()), (CJK_FONT, has_cjk_font())) if not present]


def install_line(pieces: list[Piece]) -> str:
    return "apt-get install -y " + " ".join(p.package for p in pieces)


def may_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None and not os.environ.get("YUJING_NO_AUTO_INSTALL")


def apt_install(pieces: list[Piece]) -> int:
    """Install; when the package lists are empty (a fresh container) update them and try once more."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", *(p.package for p in pieces)]
    code = subprocess.run(command, env=env, check=False).returncode
    if code != 0:
        subprocess.run(["apt-get", "update"], env=env, check=False)
        code = subprocess.run(command, env=env, check=False).returncode
    return code


def report(pieces: list[Piece]) -> None:
    for piece in pieces:
        print(f"{piece.missing}。安装：sudo {install_line([piece])}")
    if not pieces:
        print(OK)


def main() -> int:
    pieces = missing()
    if pieces and may_install():
        print(f"正在自动安装（以 root 身份，设置 YUJING_NO_AUTO_INSTALL=1 可关闭）：{install_line(pieces)}", flush=True)
        code = apt_install(pieces)
        if code != 0:
            print(f"自动安装失败（apt-get 退出码 {code}）")
        pieces = missing()
    report(pieces)
    return 0


if __name__ == "__main__":
    sys.exit(main())
