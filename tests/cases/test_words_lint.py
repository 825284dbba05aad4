"""No Shou article or body is written in the case code or its templates (issue 17, item 9): every 第N条
and every name of a body (预警办, 县纪委常委会, 县委主要领导 …) comes from the policy. The scan reads the
string literals of src/yujing/cases/**/*.py (docstrings and comments skipped: they explain the rule, they
are not shown) and the text of templates/cases/ (template comments skipped). There are no exceptions: the
models' help texts and choice labels are neutral too (migration 0018_neutral_texts)."""

import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yujing"
ARTICLE = r"第[一二三四五六七八九十百零〇]+(?:至[一二三四五六七八九十百零〇]+)?条"
BODIES = [r"预警办(?!结)",  # 预警办结 = "the warning case ended", not the office
          "县纪委常委会", "县委主要领导", "县委、县政府有关领导", r"党委\(党组\)主要领导", "纪检监察机关领导",
          "领导干部廉洁自律预警机制实施办法", r"单位纪委\(纪检组\)"]
FORBIDDEN = re.compile("|".join([ARTICLE, *BODIES]))

def _is_docstring(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """A string that is a statement of its own (a docstring or a bare string)."""
    skip = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT)
    j = i - 1
    while j >= 0 and tokens[j].type in skip:
        j -= 1
    k = i + 1
    while k < len(tokens) and tokens[k].type in (tokenize.NL, tokenize.COMMENT, tokenize.STRING):
        k += 1
    before_ok = j < 0 or tokens[j].type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) \
        or (tokens[j].type == tokenize.OP and tokens[j].string == ":")
    return before_ok and tokens[k].type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.DEDENT)


def python_hits() -> list[str]:
    hits = []
    for path in sorted((SRC / "cases").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = str(path.relative_to(SRC))
        tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
        fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
        for i, token in enumerate(tokens):
            if token.type == tokenize.STRING and _is_docstring(tokens, i):
                continue
            if token.type != tokenize.STRING and token.type != fstring_middle:
                continue
            for found in FORBIDDEN.finditer(token.string):
                hits.append(f"{name}:{token.start[0]}: {found.group(0)} in {token.string[:60]}")
    return hits


def template_hits() -> list[str]:
    hits = []
    for path in sorted((SRC / "templates" / "cases").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
        text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
                      lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
        for found in FORBIDDEN.finditer(text):
            hits.append(f"{path.relative_to(SRC)}:{text.count(chr(10), 0, found.start()) + 1}: {found.group(0)}")
    return hits


def test_no_article_or_body_is_written_in_the_case_code():
    assert python_hits() == []


def test_no_article_or_body_is_written_in_the_case_templates():
    assert template_hits() == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The pattern catches an article, a range and each body word, and lets 预警办结 pass."""
    for text in ("第十七条", "第二十二至二十四条", "第三十三条(五)", "预警办", "县纪委常委会", "县委主要领导",
                 "县委、县政府有关领导", "党委(党组)主要领导", "纪检监察机关领导", "单位纪委(纪检组)"):
        assert FORBIDDEN.search(f"“{text}”"), text
    assert not FORBIDDEN.search("预警办结时") and not FORBIDDEN.search("第3次会议")
