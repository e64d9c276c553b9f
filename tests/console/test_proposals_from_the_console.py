"""A start-up's founder answers an open challenge from the console, for the start-up: a draft,
edited, sent, then withdrawn, each step in the proposal's history; someone who belongs to no
organisation is told how to take part; their token carries the organisation they act for."""

from __future__ import annotations

import re

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.partner_graph.service import organisations
from tests.console.test_console_auth import _csrf, _signed_in
from tests.lab.builders import field, open_challenge


def _section(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    return page[start:page.index("</section>", start)]


def test_a_founder_proposes_for_the_start_up_and_follows_it(app: Flask, graph: Graph) -> None:
    startup = organisations.register(graph, name=demo_identity.STARTUP_ORGANISATION[0],
                                     kind="START_UP", region=demo_identity.STARTUP_ORGANISATION[1],
                                     description=None)
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    staff_row = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                      demo_identity.STAFF_PASSWORD)
    assert staff_row is not None
    field(graph, "employment")
    challenge = open_challenge(graph, Actor(staff_row["id"], frozenset({"LAB_STAFF"})))

    founder = _signed_in(app, graph, demo_identity.STARTUP_EMAIL, demo_identity.STARTUP_PASSWORD)
    with founder.session_transaction() as session:
        token = session["console_token"]
    claims = app.extensions["civicgraph_auth"].verifier.verify(token).claims
    assert claims["org_id"] == startup["id"] and "lab:write" in claims["scope"].split()

    public = founder.get(f"/console/challenges/{challenge['id']}").get_data(as_text=True)
    assert "Take part" in public and f"/console/challenges/{challenge['id']}/propose" in public
    form = founder.get(f"/console/challenges/{challenge['id']}/propose").get_data(as_text=True)
    assert "You propose for CareerPath Labs" in form
    typed = {"csrf_token": _csrf(form), "title": "Career vans",
             "summary": "A van with an adviser visits villages twice a week."}
    missing = founder.post(f"/console/challenges/{challenge['id']}/propose",
                           data={**typed, "title": "", "action": "draft"},
                           follow_redirects=True)
    assert [r.status_code for r in missing.history] == [303]  # back to the form's page
    assert missing.request.path == f"/console/challenges/{challenge['id']}/propose"
    assert "A van with an adviser visits villages" in missing.get_data(as_text=True)
    assert 'aria-invalid="true"' in missing.get_data(as_text=True)
    drafted = founder.post(f"/console/challenges/{challenge['id']}/propose",
                           data={**typed, "action": "draft"})
    assert drafted.status_code == 302 and drafted.headers["Location"] == "/console/my/proposals"
    mine = founder.get("/console/my/proposals").get_data(as_text=True)
    card = _section(mine, "Career vans")
    assert "Being written by its proposer" in card and "for CareerPath Labs" in card
    version = re.search(r'name="version" value="(\d+)"', card)
    assert version is not None

    [proposal_id] = re.findall(r"/console/my/proposals/([^/]+)/edit", card)
    edited = founder.post(f"/console/my/proposals/{proposal_id}/edit", data={
        "csrf_token": _csrf(mine), "version": version.group(1), "title": "Career vans",
        "summary": "A van with an adviser and a laptop visits villages twice a week."})
    assert edited.status_code == 302
    mine = founder.get("/console/my/proposals").get_data(as_text=True)
    card = _section(mine, "Career vans")
    version = re.search(r'name="version" value="(\d+)"', card)
    assert version is not None and "and a laptop" in card
    sent = founder.post(f"/console/my/proposals/{proposal_id}/move", data={
        "csrf_token": _csrf(mine), "version": version.group(1), "to": "SUBMITTED"})
    assert sent.status_code == 302
    mine = founder.get("/console/my/proposals").get_data(as_text=True)
    card = _section(mine, "Career vans")
    assert "Sent in answer to the challenge" in card and "Withdraw the proposal" in card
    [row] = graph.run("MATCH (p:Proposal {id: $id})-[:SUBMITTED_BY]->(o:Organisation) "
                      "RETURN p.status AS status, o.id AS org, p.version AS version",
                      {"id": proposal_id})
    assert row["status"] == "SUBMITTED" and row["org"] == startup["id"]

    withdrawn = founder.post(f"/console/my/proposals/{proposal_id}/move", data={
        "csrf_token": _csrf(mine), "version": str(row["version"]), "to": "WITHDRAWN"})
    assert withdrawn.status_code == 302
    mine = founder.get("/console/my/proposals?lang=fr").get_data(as_text=True)
    assert "Retirée par son auteur" in _section(mine, "Career vans")
    assert "Envoyée en réponse au défi" in _section(mine, "Career vans")  # the history


def test_someone_in_no_organisation_is_told_how_to_take_part(app: Flask, graph: Graph) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    staff_row = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                      demo_identity.STAFF_PASSWORD)
    assert staff_row is not None
    field(graph, "employment")
    challenge = open_challenge(graph, Actor(staff_row["id"], frozenset({"LAB_STAFF"})))
    anonymous = app.test_client().get(f"/console/challenges/{challenge['id']}")
    assert "Sign in to send a proposal" in anonymous.get_data(as_text=True)
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    page = citizen.get(f"/console/challenges/{challenge['id']}/propose")
    assert page.status_code == 403  # a citizen's token does not take part in the lab's work
