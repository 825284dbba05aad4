"""The OpenAPI document takes the measures, letters and escalations from the policy in force (issue 17):
an integrating system sees the county's own keys and names, and no key is written in the code."""

from django.test import Client

from tests.cases.conftest import SHOU


def _props(doc, name):
    return doc["components"]["schemas"][name]["properties"]


def test_the_openapi_document_lists_shou_measures_with_their_names(db):
    doc = Client().get("/api/openapi.json").json()
    proposal = _props(doc, "ProposalIn")["measure"]
    assert proposal["enum"] == ["inquiry", "admonition", "correction"]
    assert proposal["description"] == "预警措施（本县策略，由轻到重）：inquiry 谈话函询、admonition 警示诫勉、correction 责令纠错"
    assert "enum" not in _props(doc, "CaseOut")["measure"]  # a case keeps its own version's measures
    assert _props(doc, "LetterIn")["kind"]["enum"] == [
        "inquiry_letter", "admonition_notice", "discipline_opinion", "correction_notice", "discipline_recommendation"]
    escalation = _props(doc, "EscalateIn")["kind"]
    assert escalation["enum"] == ["admonition", "correction", "case_filing", "organisational"]
    assert escalation["description"].startswith("升级方式：admonition 转警示诫勉（谈话函询：实施后（或解除后）群众仍有反映、经核查属实）")
    parameter = next(p for p in doc["paths"]["/api/cases"]["get"]["parameters"] if p["name"] == "measure")
    assert parameter["description"] == proposal["description"]
    assert {"type": "string", "enum": ["inquiry", "admonition", "correction"]} in parameter["schema"]["anyOf"]


def test_another_policy_gives_its_own_keys_and_names(db, settings, tmp_path):
    from yujing.policy.loader import reset_policy_cache

    text = (SHOU.replace('measures = ["inquiry", "admonition", "correction"]', 'measures = ["tanhua", "jingshi", "jiucuo"]')
            .replace("[measures.inquiry]", "[measures.tanhua]").replace("[measures.admonition]", "[measures.jingshi]")
            .replace("[measures.correction]", "[measures.jiucuo]")
            .replace('escalations = ["admonition", "correction", "case_filing"]', 'escalations = ["jingshi", "jiucuo", "case_filing"]')
            .replace('escalations = ["correction", "organisational", "case_filing"]', 'escalations = ["jiucuo", "organisational", "case_filing"]')
            .replace("{ admonition = ", "{ jingshi = ").replace(", correction = ", ", jiucuo = ").replace("{ correction = ", "{ jiucuo = ")
            .replace('label = "谈话函询"', 'label = "提醒谈话"'))
    path = tmp_path / "renamed.toml"
    path.write_text(text, encoding="utf-8")
    settings.YUJING_POLICY = str(path)
    reset_policy_cache()
    try:
        doc = Client().get("/api/openapi.json").json()
        proposal = _props(doc, "ProposalIn")["measure"]
        assert proposal["enum"] == ["tanhua", "jingshi", "jiucuo"]
        assert proposal["description"] == "预警措施（本县策略，由轻到重）：tanhua 提醒谈话、jingshi 警示诫勉、jiucuo 责令纠错"
        assert _props(doc, "EscalateIn")["kind"]["enum"] == ["jingshi", "jiucuo", "case_filing", "organisational"]
        assert "inquiry" not in str(doc["components"]["schemas"]["ProposalIn"])
    finally:
        reset_policy_cache()
