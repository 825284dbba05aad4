"""No article number and no Shou body word is written in the documents' code or templates (issue 17
item 9): they come from the policy. Docstrings and comments may cite the regulation."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import yujing

ROOT = Path(yujing.__file__).parent
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")
BODY_WORDS = ("预警办", "县纪委常委会", "县委主要领导", "县委、县政府有关领导", "党委(党组)主要领导",
              "纪检监察机关领导", "《领导干部廉洁自律预警机制实施办法》")


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a Python file, without docstrings (a string standing alone as a statement)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    out = []
    previous = tokenize.NEWLINE
    for tok in tokens:
        if tok.type in (tokenize.STRING, tokenize.FSTRING_MIDDLE if hasattr(tokenize, "FSTRING_MIDDLE") else -1):
            standalone = previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL)
            if not (tok.type == tokenize.STRING and standalone):
                out.append((tok.start[0], tok.string))
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
    return out


def _offences(text: str) -> list[str]:
    return ARTICLE.findall(text) + [w for w in BODY_WORDS if w in text]


def test_no_article_or_body_word_in_the_documents_code():
    found = []
    for path in sorted((ROOT / "documents").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, literal in _literals(path):
            for offence in _offences(literal):
                found.append(f"{path.relative_to(ROOT)}:{line}: {offence}")
    assert found == []


def test_no_article_or_body_word_in_the_documents_card():
    text = (ROOT / "templates" / "documents_card.html").read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    assert _offences(text) == []


def test_no_article_or_body_word_in_the_built_templates():
    """The DOCX templates are built from build.py; their text holds placeholders, not the policy's words."""
    from docx import Document

    found = []
    for path in sorted((ROOT / "documents" / "docx").glob("*.docx")):
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        found += [f"{path.name}: {o}" for o in _offences("\n".join(parts))]
    assert found == []
