"""Anyone signed in sends an idea from the console, sees first the similar ones they may see,
and follows what became of it, the staff's reason included, in English and French."""

from __future__ import annotations

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import ideas
from tests.console.test_console_auth import _csrf, _signed_in


def test_a_citizen_sends_an_idea_and_follows_it(app: Flask, graph: Graph) -> None:
    anonymous = app.test_client().get("/console/ideas/new")
    assert anonymous.status_code == 302 and "/console/login" in anonymous.headers["Location"]
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    staff_row = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                      demo_identity.STAFF_PASSWORD)
    assert staff_row is not None
    staff = Actor(staff_row["id"], frozenset({"LAB_STAFF"}))
    ideas.submit(graph, staff, title="Night buses to the industrial park",
                 description="Shift workers cannot reach the park by bus after ten.")

    form = citizen.get("/console/ideas/new")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    # A bad form keeps what was typed and names the field.
    empty = citizen.post("/console/ideas/new", data={
        "csrf_token": _csrf(page), "action": "send", "title": "",
        "description": "Buses at night for shift workers"}, follow_redirects=True)
    assert [r.status_code for r in empty.history] == [303]  # back to the form's page
    assert empty.request.path == "/console/ideas/new"
    assert "Buses at night for shift workers" in empty.get_data(as_text=True)
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)

    typed = {"csrf_token": _csrf(page), "title": "Late buses for shift workers",
             "description": "A bus after ten at night to the industrial park."}
    checked = citizen.post("/console/ideas/new", data={**typed, "action": "check"})
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Similar ideas" in html
    # Staff's idea is not the citizen's to see (the Idea guard): none listed, and it says why.
    assert "Night buses" not in html and "seen by lab staff only" in html
    assert "Late buses for shift workers" in html  # the form kept what was typed

    sent = citizen.post("/console/ideas/new", data={**typed, "action": "send"})
    assert sent.status_code == 302 and sent.headers["Location"] == "/console/my/ideas"
    mine = citizen.get("/console/my/ideas").get_data(as_text=True)
    assert "Late buses for shift workers" in mine and "Your idea is sent to the lab" in mine
    assert "nobody has looked at it yet" in mine
    [row] = graph.run("MATCH (i:Idea {title: 'Late buses for shift workers'})-[:SUBMITTED_BY]->"
                      "(p:Person {email: $email}) RETURN i.id AS id, i.origin AS origin, "
                      "i.version AS version", {"email": demo_identity.CITIZEN_EMAIL})
    assert row["origin"] == "EXTERNAL"

    # Staff decline it with a reason: the citizen reads the decision and the reason.
    reviewed = ideas.start_review(graph, staff, row["id"], row["version"])
    ideas.decline(graph, staff, row["id"], reviewed["version"],
                  "the night bus pilot already covers the park")
    after = citizen.get("/console/my/ideas").get_data(as_text=True)
    assert "Declined by lab staff, with a reason" in after
    assert "the night bus pilot already covers the park" in after
    french = citizen.get("/console/my/ideas?lang=fr").get_data(as_text=True)
    assert "Mes idées" in french and "Refusée par l\u2019équipe du lab" in french
    # Only one's own ideas are listed.
    assert "Night buses" not in after
