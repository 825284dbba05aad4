"""The policy's words in the API's descriptions, filled in when the OpenAPI schema is built.

A description names an article or a body by a placeholder, never by Shou's word:

- ``{c:channels}`` — the article ``[citations]`` gives for ``channels`` (policy.words.cite);
- ``{b:office}`` — a body or document of ``[bodies]`` (policy.words.body);
- ``{s:implementation}`` — the ``article`` of a fixed section (``screening``, ``implementation``, ``talk``…);
- ``{m:approval_article}`` — a measure key's article, each distinct one of the policy's measures, joined by 、;
- ``{r:}`` — the articles of the measures' restrictions.

``{PRE|c:transfer,c:feedback|POST}`` joins the non-empty articles with 、 between ``PRE`` and ``POST``, and
leaves nothing at all when the policy cites none of them (no empty brackets): ``适用类别{(|c:scope|)}``.
"""

from __future__ import annotations

import re
from typing import Any

from yujing.policy.schema import Policy
from yujing.policy.words import body, cite

_REF = r"[cbsmr]:\w*"
TOKEN = re.compile(rf"\{{(?:(?P<pre>[^{{}}|]*)\|(?P<refs>{_REF}(?:,{_REF})*)\|(?P<post>[^{{}}|]*)|(?P<ref>{_REF}))\}}")


def _values(policy: Policy, ref: str) -> list[str]:
    kind, key = ref.split(":", 1)
    if kind == "c":
        return [cite(policy, key)]
    if kind == "b":
        return [body(policy, key)]
    if kind == "s":
        return [getattr(policy.rules, "register_" if key == "register" else key).article]
    if kind == "m":
        return [getattr(m, key) for m in policy.measures.values()]
    return [r.article for m in policy.measures.values() for r in m.restrictions]


def render(text: str, policy: Policy) -> str:
    """``text`` with every placeholder replaced by the policy's word or article."""

    def fill(match: re.Match) -> str:
        if match["ref"]:
            return "、".join(dict.fromkeys(v for v in _values(policy, match["ref"]) if v))
        found = [v for ref in match["refs"].split(",") for v in _values(policy, ref) if v]
        return f"{match['pre']}{'、'.join(dict.fromkeys(found))}{match['post']}" if found else ""

    return TOKEN.sub(fill, text)


def render_all(node: Any, policy: Policy) -> Any:
    """Every string in a JSON-like tree (the OpenAPI schema) rendered, in place for dicts and lists."""
    if isinstance(node, str):
        return render(node, policy) if "{" in node else node
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = render_all(value, policy)
    elif isinstance(node, list):
        node[:] = [render_all(v, policy) for v in node]
    return node
