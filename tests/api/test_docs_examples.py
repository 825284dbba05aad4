"""The curl examples of docs/api.md, run as written against a live server with the demo county: each
block marked ``<!-- example: NAME as=USER expect="TEXT" -->`` runs in bash with ``YUJING`` (the
server) and ``TOKEN`` (a token of USER), must exit 0 and print TEXT."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from yujing.api.services import create_token
from yujing.demo import load_demo
from yujing.orgs.models import User

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
MARK = re.compile(r'<!-- example: (?P<name>\w+) as=(?P<user>\w+) expect="(?P<expect>[^"]*)" -->\n```sh\n(?P<code>.*?)```',
                  re.S)
EXAMPLES = {m["name"]: m for m in MARK.finditer(DOC.read_text(encoding="utf-8"))}


def test_the_document_has_the_three_integrations():
    assert set(EXAMPLES) == {"restrictions", "transfer", "quarterly"}


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq are installed by .ci/run")
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_runs(name, live_server, transactional_db):
    example = EXAMPLES[name]
    load_demo()
    user = User.objects.get(username=example["user"])
    _, token = create_token(user=user, name="文档示例", by=user)
    env = {**os.environ, "YUJING": live_server.url, "TOKEN": token}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", example["code"]], env=env, capture_output=True,  # noqa: S603, S607
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert example["expect"] in done.stdout, done.stdout
