"""scripts/check_runtime.py, which `make run` calls before serving: one line per missing piece with its
install command, an OK line when all is there, apt-get only as root. Nothing here touches the machine:
which, fc-list, the user id and apt-get are all stand-ins."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOFFICE_LINE = ("缺少 LibreOffice（soffice）：文书只能生成 DOCX，不能生成 PDF。"
                "安装：sudo apt-get install -y libreoffice-writer-nogui")
FONT_LINE = "缺少中文字体（fc-list :lang=zh 没有结果）：PDF 中的汉字无法显示。安装：sudo apt-get install -y fonts-noto-cjk"
OK_LINE = "运行环境检查通过：LibreOffice 和中文字体已安装，文书可生成 DOCX 和 PDF"


@pytest.fixture
def check(monkeypatch):
    spec = importlib.util.spec_from_file_location("check_runtime", ROOT / "scripts" / "check_runtime.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "check_runtime", module)  # a script, not a package: load it by path
    spec.loader.exec_module(module)
    return module


class Machine:
    """A pretend machine: what is installed, who we are, and every command run on it."""

    def __init__(self, *, soffice: bool, font: bool, root: bool, apt: bool = True, apt_works: bool = True,
                 lists_empty: bool = False):
        self.soffice, self.font, self.root, self.apt = soffice, font, root, apt
        self.apt_works, self.lists_empty = apt_works, lists_empty
        self.commands: list[list[str]] = []

    def which(self, name):
        present = {"soffice": self.soffice, "apt-get": self.apt}.get(name, False)
        return f"/usr/bin/{name}" if present else None

    def run(self, args, **kwargs):
        self.commands.append(list(args))
        if args[0] == "fc-list":
            assert args == ["fc-list", ":lang=zh", "family"]
            return subprocess.CompletedProcess(args, 0, stdout="Noto Serif CJK SC\n" if self.font else "", stderr="")
        if args[:2] == ["apt-get", "update"]:
            self.lists_empty = False
            return subprocess.CompletedProcess(args, 0)
        if args[:3] == ["apt-get", "install", "-y"]:
            assert kwargs["env"]["DEBIAN_FRONTEND"] == "noninteractive"
            if not self.apt_works or self.lists_empty:
                return subprocess.CompletedProcess(args, 100)
            self.soffice = self.soffice or "libreoffice-writer-nogui" in args
            self.font = self.font or "fonts-noto-cjk" in args
            return subprocess.CompletedProcess(args, 0)
        raise AssertionError(f"unexpected command {args}")


@pytest.fixture
def machine(check, monkeypatch):
    def _machine(**state) -> Machine:
        m = Machine(**state)
        monkeypatch.setattr(check.shutil, "which", m.which)
        monkeypatch.setattr(check.subprocess, "run", m.run)
        monkeypatch.setattr(check.os, "geteuid", lambda: 0 if m.root else 1000)
        return m

    monkeypatch.delenv("YUJING_NO_AUTO_INSTALL", raising=False)
    return _machine


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_all_present_prints_one_ok_line(check, machine, capsys):
    m = machine(soffice=True, font=True, root=True)
    assert check.main() == 0
    assert lines(capsys) == [OK_LINE]
    assert m.commands == [["fc-list", ":lang=zh", "family"]]


def test_a_user_is_told_how_to_install_each_missing_piece(check, machine, capsys):
    m = machine(soffice=False, font=False, root=False)
    assert check.main() == 0  # never stops `make run`
    assert lines(capsys) == [SOFFICE_LINE, FONT_LINE]
    assert not any(c[0] == "apt-get" for c in m.commands)


def test_only_the_missing_piece_is_named(check, machine, capsys):
    machine(soffice=True, font=False, root=False)
    check.main()
    assert lines(capsys) == [FONT_LINE]
    machine(soffice=False, font=True, root=False)
    check.main()
    assert lines(capsys) == [SOFFICE_LINE]


def test_root_with_apt_installs_what_is_missing(check, machine, capsys):
    m = machine(soffice=False, font=False, root=True)
    assert check.main() == 0
    assert lines(capsys) == [
        "正在自动安装（以 root 身份，设置 YUJING_NO_AUTO_INSTALL=1 可关闭）："
        "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk",
        OK_LINE,
    ]
    assert [c for c in m.commands if c[0] == "apt-get"] == [
        ["apt-get", "install", "-y", "libreoffice-writer-nogui", "fonts-noto-cjk"]]


def test_root_installs_only_the_font_when_soffice_is_there(check, machine, capsys):
    m = machine(soffice=True, font=False, root=True)
    check.main()
    assert [c for c in m.commands if c[0] == "apt-get"] == [["apt-get", "install", "-y", "fonts-noto-cjk"]]
    assert lines(capsys)[-1] == OK_LINE


def test_empty_package_lists_are_updated_once(check, machine, capsys):
    m = machine(soffice=False, font=True, root=True, lists_empty=True)
    check.main()
    assert [c for c in m.commands if c[0] == "apt-get"] == [
        ["apt-get", "install", "-y", "libreoffice-writer-nogui"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "libreoffice-writer-nogui"],
    ]
    assert lines(capsys)[-1] == OK_LINE


def test_a_failed_install_says_so_and_still_tells_the_command(check, machine, capsys):
    machine(soffice=False, font=True, root=True, apt_works=False)
    assert check.main() == 0
    assert lines(capsys) == [
        "正在自动安装（以 root 身份，设置 YUJING_NO_AUTO_INSTALL=1 可关闭）：apt-get install -y libreoffice-writer-nogui",
        "自动安装失败（apt-get 退出码 100）",
        SOFFICE_LINE,
    ]


def test_no_auto_install_when_asked_or_without_apt(check, machine, monkeypatch, capsys):
    monkeypatch.setenv("YUJING_NO_AUTO_INSTALL", "1")
    m = machine(soffice=False, font=False, root=True)
    check.main()
    assert lines(capsys) == [SOFFICE_LINE, FONT_LINE]
    monkeypatch.delenv("YUJING_NO_AUTO_INSTALL")
    no_apt = machine(soffice=False, font=False, root=True, apt=False)
    check.main()
    assert lines(capsys) == [SOFFICE_LINE, FONT_LINE]
    assert not any(c[0] == "apt-get" for c in m.commands + no_apt.commands)


def test_no_fontconfig_counts_as_no_font(check, monkeypatch):
    def missing_binary(args, **kwargs):
        raise FileNotFoundError(args[0])

    monkeypatch.setattr(check.subprocess, "run", missing_binary)
    assert check.has_cjk_font() is False


def test_make_run_checks_before_serving_and_does_not_stop_on_it():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: demo\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert recipe[0] == "\t@-$(BIN)/python scripts/check_runtime.py"  # '-': a missing piece never stops the run
    assert recipe[-1].startswith("\t$(BIN)/python manage.py runserver")
