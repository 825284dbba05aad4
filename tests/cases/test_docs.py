from pathlib import Path

from yujing.cases.workflow import TRANSITIONS, diagram

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_the_workflow_document_shows_the_current_table():
    text = DOC.read_text(encoding="utf-8")
    assert diagram() in text, "docs/workflow.md is out of date: run write_docs()"
    for name, transition in TRANSITIONS.items():
        assert f"| `{name}` | {transition.label} |" in text
