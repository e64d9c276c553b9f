"""Staff write a challenge from scratch in the console: a draft with its rubric and deadline,
hidden from the public until staff open it."""

from __future__ import annotations

from flask import Flask

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.lab.service import demo as lab_demo
from tests.console.test_console_auth import _csrf, _signed_in


def test_staff_write_a_new_challenge_as_a_draft(app: Flask, graph: Graph) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)  # the demo's field
    staff = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    dashboard = staff.get("/console/staff").get_data(as_text=True)
    assert 'href="/console/staff/challenges/new"' in dashboard
    page = staff.get("/console/staff/challenges/new")
    assert page.status_code == 200 and page.mimetype == "text/html"
    form = page.get_data(as_text=True)
    typed = {"csrf_token": _csrf(form), "title": "Digital help at the job centre",
             "description": "How can people without a computer apply online?",
             "eligibility": "Start-ups and charities", "deadline": "2099-03-31T17:00",
             "fields": lab_demo.FIELD, "criteria": "impact: 3\nreach: 1"}
    bad = staff.post("/console/staff/challenges/new", data={**typed, "criteria": "impact"},
                     follow_redirects=True)
    assert [r.status_code for r in bad.history] == [303]
    assert bad.request.path == "/console/staff/challenges/new"
    html = bad.get_data(as_text=True)
    assert "write a criterion as &#39;name: weight&#39;" in html
    assert "Digital help at the job centre" in html  # what was typed is kept
    assert graph.run("MATCH (c:Challenge {title: $t}) RETURN c", {"t": typed["title"]}) == []

    made = staff.post("/console/staff/challenges/new", data=typed)
    assert made.status_code == 302
    [row] = graph.run(
        "MATCH (c:Challenge {title: $t}) RETURN c.id AS id, c.status AS status, "
        "toString(c.deadline) AS deadline, c.eligibility AS eligibility, "
        "COLLECT { MATCH (c)-[:HAS_CRITERION]->(k) WITH k ORDER BY k.position "
        "  RETURN [k.name, k.weight] } AS criteria, "
        "COLLECT { MATCH (c)-[:IN_FIELD]->(f) RETURN f.code } AS fields", {"t": typed["title"]})
    assert made.headers["Location"] == f"/console/staff/challenges/{row['id']}"
    assert row["status"] == "DRAFT" and row["deadline"].startswith("2099-03-31T17:00")
    assert row["criteria"] == [["impact", 3.0], ["reach", 1.0]]
    assert row["fields"] == [lab_demo.FIELD] and row["eligibility"] == "Start-ups and charities"
    board = staff.get(made.headers["Location"]).get_data(as_text=True)
    assert "The challenge is saved as a draft" in board
    # The public does not see a draft.
    assert typed["title"] not in app.test_client().get("/console").get_data(as_text=True)
    assert app.test_client().get(f"/console/challenges/{row['id']}").status_code == 404
    french = staff.get("/console/staff/challenges/new?lang=fr").get_data(as_text=True)
    assert "Nouveau défi" in french and "Enregistrer comme brouillon" in french
