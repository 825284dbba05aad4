"""Policy texts for tests: Shou's file with other measure keys, to prove that no key is special in code."""

from __future__ import annotations

import re

from yujing.policy.schema import DEFAULT_POLICY

# Shou's measure keys and the keys shou_renamed gives them (the words, the letters and the rules stay)
RENAMED = {"inquiry": "tanhua", "admonition": "jingshi", "correction": "jiucuo"}


def renamed(text: str, names: dict[str, str] = RENAMED) -> str:
    """``text`` with its measure keys renamed: the quoted keys (``[policy] measures``, ``escalations``), the bare
    keys of inline tables (``escalate_when = { admonition = … }``) and the ``[measures.<key>]`` table headers —
    not the words that merely begin with a key (``inquiry_letter``, or ``Verification.Method.INQUIRY``, which
    is not a measure)."""
    for old, new in names.items():
        text = re.sub(rf'"{old}"', f'"{new}"', text)
        text = re.sub(rf"(?<![\w.\[]){old}(?=\s*=)", new, text)
        text = re.sub(rf"^\[measures\.{old}(?=[.\]])", f"[measures.{new}", text, flags=re.MULTILINE)
    return text


def shou_renamed_text() -> str:
    return renamed(DEFAULT_POLICY.read_text(encoding="utf-8"))
