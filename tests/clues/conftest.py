import io
import zipfile
from datetime import date

import pytest

from yujing.cadres.models import Cadre
from yujing.clues import services
from yujing.clues.services import Concerned

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def cadres(demo):
    # MH0001: 青石镇党委书记, managed by the county committee; MH0007: 青石镇财政所所长, managed by 青石镇
    return {c.code: c for c in Cadre.objects.filter(code__in=["MH0001", "MH0002", "MH0007", "MH0008", "MH0016"])}


@pytest.fixture
def register(users, cadres):
    def _register(username="yjb", cadre="MH0001", **kw):
        args = {
            "by": users[username], "today": TODAY, "received_on": TODAY, "channel": "petition",
            "summary": "反映其违规收受礼金", "detail": "群众来信反映该干部春节期间收受管理服务对象礼金。",
            "concerned": [Concerned(cadre_id=cadres[cadre].pk)] if cadre else [],
        }
        args.update(kw)
        return services.register_clue(**args)

    return _register


def pdf_bytes(text: str = "x") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("payload.exe", "MZ")
    return out.getvalue()
