import re

import pytest

from tests.dates import D, at
from yujing.policy.schema import DEFAULT_POLICY

# Shou's policy text, to edit into other rule sets (issue 17)
SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")


@pytest.fixture
def inquiry_talk_noticed(open_case, users):
    """A county 函询 by talk: proposed and approved by the deputy secretary on 2026-06-01, the talk planned
    on 06-02 for 06-05 (主谈 邵振东, with 方晓春) and its notice sent on 06-03 — the talk is next."""
    office = users["yjb"]
    case = open_case("inquiry", "MH0003", on="2026-06-01")
    from yujing.cases import services as cs

    cs.decide(case=case, by=users["fushuji"], today=D("2026-06-01"), approve=True)
    cs.plan_talk(case=case, by=office, today=D("2026-06-02"), outline="了解澄清", chief=users["fushuji"],
                 other_talkers=["方晓春"], scheduled_at=at("2026-06-05"), place="谈话室")
    cs.notify_talk(case=case, by=office, today=D("2026-06-03"), sent_on=D("2026-06-03"))
    return case


def with_measure(text: str, key: str, **values: str) -> str:
    """``text`` with the lines ``name = …`` of [measures.<key>] set to the TOML ``values`` (added when absent)."""
    start = text.index(f"[measures.{key}]")
    end = text.find("\n[", start + 1)
    end = len(text) if end < 0 else end
    table = text[start:end]
    for name, value in values.items():
        line = f"{name} = {value}"
        table, n = re.subn(rf"(?m)^{name} = .*$", line, table)
        if not n:
            table = table.rstrip("\n") + f"\n{line}\n"
    return text[:start] + table + text[end:]


SHOU = DEFAULT_POLICY.read_text(encoding="utf-8")
