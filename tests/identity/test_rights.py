"""The citizen's rights in the console: the export holds their data and nothing of anyone else,
and an erasure request carried out by staff removes the person while the proof stays.

Everything runs on the real services: people sign in to the console through the platform's own
OAuth server (PKCE), a partner reads a profile with a client-credentials token, and what a
citizen or staff member would check is read from the pages and the downloaded file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.partner_graph.service import organisations
from tests.builders import (
    bearer,
    create_public_client,
    csrf_of,
    gql,
    login_with_pkce,
    sign_in,
)
from tests.identity.builders import approved_purpose

PASSWORD = "correct horse battery"
PROFILE = """
query Profile($id: ID!) {
  citizenProfile(citizenId: $id, purpose: "job-matching") {
    read { id } name email skills { totalCount } }
}
"""
GRANT = """
mutation Grant($purpose: ID!) {
  grantConsent(input: {purposeId: $purpose, categories: [CONTACT, SKILLS]}) { consent { id } }
}
"""
USE = """
mutation Use($read: ID!, $note: String!) {
  recordDataUse(input: {readId: $read, kind: MATCHES_SHOWN, count: 3, note: $note}) {
    dataUse { id } }
}
"""


def console(app: Flask, email: str, password: str, start_at: str = "/console/me"
            ) -> FlaskClient:
    """A browser signed in to the console with the platform's own PKCE flow, from the page
    ``start_at`` (a citizen's own page asks a citizen's scopes; a staff page the lab's)."""
    browser = app.test_client()
    start = browser.get(f"/console/login?next={start_at}")
    back = sign_in(browser, start.headers["Location"], email, password)
    assert back.status_code == 302, back.get_data(as_text=True)
    callback = urlsplit(back.headers["Location"])
    assert browser.get(f"{callback.path}?{callback.query}").status_code == 302
    return browser


def citizen(graph: Graph, email: str, name: str, skill: str) -> dict[str, Any]:
    made = accounts.create(graph, email=email, name=name, password=PASSWORD,
                           roles=["CITIZEN"], region="North")
    graph.run(
        "MATCH (p:Person {id: $id}) "
        "CREATE (p)-[:HAS_SKILL]->(:Skill {id: randomUUID(), uri: $uri, name: $skill}) "
        "CREATE (p)-[:HAS_OCCUPATION]->(:Occupation {id: randomUUID(), uri: $uri + '-o', "
        "  code: '7212', name: 'Welder'})",
        {"id": made["id"], "uri": f"esco:{skill}", "skill": skill}, write=True)
    return made


@pytest.fixture
def world(app: Flask, graph: Graph, authorised: Callable[..., FlaskClient]) -> dict[str, Any]:
    """Two citizens who each consented to SkillBridge and were each read once, a data use of
    each, and a lab staff member; the console client is the demo's."""
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    jobs = organisations.register(graph, name="SkillBridge", kind="START_UP", region="North",
                                  description=None)
    aino = citizen(graph, "aino@example.org", "Aino Virtanen", "welding")
    bob = citizen(graph, "bob@example.org", "Bob Secretname", "baking")
    accounts.create(graph, email="staff@example.org", name="Sam Staff", password=PASSWORD,
                    roles=["LAB_STAFF"])
    partner = authorised(["citizen:read"], jobs["id"])
    phone = create_public_client(graph, ["graph:read", "consent:read", "consent:write"])
    purpose = approved_purpose(graph, jobs["id"])
    tokens = {}
    for who in (aino, bob):
        token = login_with_pkce(app, phone, who["email"], PASSWORD, "consent:read consent:write")
        tokens[who["id"]] = token
        assert "errors" not in gql(bearer(app, token["access_token"]), GRANT,
                                   {"purpose": purpose})
        read = gql(partner, PROFILE, {"id": who["id"]})
        assert "errors" not in read, read
        used = gql(partner, USE, {"read": read["data"]["citizenProfile"]["read"]["id"],
                                  "note": f"matched {who['name']} to 3 jobs"})
        assert "errors" not in used, used
    return {"jobs": jobs, "aino": aino, "bob": bob, "partner": partner, "phone": phone,
            "refresh": tokens[aino["id"]]["refresh_token"]}


def download(browser: FlaskClient) -> tuple[dict[str, Any], str]:
    response = browser.get("/console/me/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="civicgraph-my-data.json"'
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_the_export_holds_my_data_and_nothing_of_anyone_else(
    app: Flask, world: dict[str, Any]
) -> None:
    aino = console(app, "aino@example.org", PASSWORD)
    page = aino.get("/console/me").get_data(as_text=True)
    assert 'href="/console/me/export.json"' in page
    document, text = download(aino)
    assert document["generatedAt"] and document["about"]
    account = document["account"]
    assert (account["name"], account["email"], account["region"], account["roles"]) == (
        "Aino Virtanen", "aino@example.org", "North", ["CITIZEN"])
    assert account["id"] == world["aino"]["id"] and account["createdAt"]
    assert [s["name"] for s in document["skills"]["items"]] == ["welding"]
    assert document["occupations"]["items"] == [
        {"uri": "esco:welding-o", "name": "Welder", "code": "7212"}]
    [consent] = document["consents"]["items"]
    assert (consent["status"], consent["purpose"], consent["categories"]) == (
        "LIVE", "job-matching", ["contact", "skills"])
    assert consent["grantedAt"] and consent["expiresAt"] and consent["withdrawnAt"] is None
    [read] = document["accessLog"]["items"]
    assert read["organisationName"] == "SkillBridge" and read["consentId"] == consent["id"]
    assert read["fields"] == ["contact", "skills"] and read["clientId"] and read["at"]
    [use] = document["dataUses"]["items"]
    assert use["note"] == "matched Aino Virtanen to 3 jobs" and use["kind"] == "matches_shown"
    assert use["organisationName"] == "SkillBridge"
    assert document["erasureRequests"]["items"] == []
    for section in ("account", "skills", "consents", "accessLog", "dataUses"):
        assert document[section]["about"]
    # Nothing of the other citizen, and no secret of anyone.
    for foreign in ("Bob", "bob@example.org", "baking", world["bob"]["id"]):
        assert foreign not in text
    for secret in ("passwordHash", "$argon2", "tokenHash", "refresh", world["refresh"]):
        assert secret not in text


def test_the_export_reads_in_french(app: Flask, world: dict[str, Any]) -> None:
    aino = console(app, "aino@example.org", PASSWORD)
    page = aino.get("/console/me", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Télécharger mes données (JSON)" in page and "Vos droits sur vos données" in page
    response = aino.get("/console/me/export.json", headers={"Accept-Language": "fr"})
    assert json.loads(response.get_data(as_text=True))["about"].startswith("Tout ce que")


def test_erasure_requested_then_carried_out_by_staff(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    aino_id = world["aino"]["id"]
    aino = console(app, "aino@example.org", PASSWORD)
    page = aino.get("/console/me").get_data(as_text=True)
    assert "The platform must keep two things" in page
    asked = aino.post("/console/me/erasure", data={"csrf_token": csrf_of(page),
                                                   "reason": "I moved abroad"})
    assert asked.status_code == 302
    page = aino.get("/console/me").get_data(as_text=True)
    assert "Staff have not decided yet." in page and "Erasure requested" in page

    again = aino.post("/console/me/erasure", data={"csrf_token": csrf_of(page)},
                      follow_redirects=True)
    assert [r.status_code for r in again.history] == [303]
    assert "you already asked for erasure on" in again.get_data(as_text=True)
    assert graph.run("MATCH (r:ErasureRequest) RETURN count(r) AS n")[0]["n"] == 1

    # Citizens may not decide requests.
    assert aino.get("/console/staff/erasure-requests").status_code == 403
    anonymous = app.test_client().get("/console/staff/erasure-requests")
    assert anonymous.status_code == 302 and "/console/login" in anonymous.headers["Location"]

    staff = console(app, "staff@example.org", PASSWORD, "/console/staff/erasure-requests")
    listing = staff.get("/console/staff/erasure-requests")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert "Aino Virtanen" in html and "I moved abroad" in html and "REQUESTED" in html
    request_id = html.split("/console/staff/erasure-requests/")[1].split("/")[0]
    done = staff.post(f"/console/staff/erasure-requests/{request_id}/carry-out",
                      data={"csrf_token": csrf_of(html)})
    assert done.status_code == 302
    html = staff.get("/console/staff/erasure-requests").get_data(as_text=True)
    assert "Aino Virtanen" not in html and "I moved abroad" not in html
    assert "DONE" in html and "Erased citizen" in html and "Sam Staff" in html
    twice = staff.post(f"/console/staff/erasure-requests/{request_id}/carry-out",
                       data={"csrf_token": csrf_of(html)}, follow_redirects=True)
    assert twice.request.path == "/console/staff/erasure-requests"
    assert "already decided (DONE)" in twice.get_data(as_text=True)

    # She can no longer sign in, nor get a token with her refresh token.
    browser = app.test_client()
    start = browser.get("/console/login")
    refused = sign_in(browser, start.headers["Location"], "aino@example.org", PASSWORD)
    assert refused.status_code == 401 and "Wrong email or password" in refused.get_data(
        as_text=True)
    refreshed = app.test_client().post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": world["refresh"],
        "client_id": world["phone"]})
    assert refreshed.status_code == 400
    # The partner is refused her profile; Bob's is untouched.
    body = gql(world["partner"], PROFILE, {"id": aino_id})
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql(world["partner"], PROFILE, {"id": world["bob"]["id"]})["data"][
        "citizenProfile"]["name"] == "Bob Secretname"
    # The person is a pseudonym now; the proof (consent, log) stays, linked to it only.
    [person] = graph.run("MATCH (p:Person {id: $id}) RETURN properties(p) AS props, "
                         "labels(p) AS labels, COUNT { (p)-[:HAS_SKILL|HAS_OCCUPATION]->() } "
                         "AS linked", {"id": aino_id})
    # Nothing personal stays; the access log's chain (an opaque name, its head) does.
    assert set(person["props"]) == {"id", "createdAt", "updatedAt", "version", "erasedAt",
                                    "logChainId", "logSeq", "logHead"}
    assert sorted(person["labels"]) == ["Erased", "Person"]
    assert person["linked"] == 0
    [kept] = graph.run(
        "MATCH (p:Person {id: $id}) RETURN "
        "COLLECT { MATCH (p)-[:GAVE]->(c:Consent) RETURN c.withdrawnAt IS NOT NULL } AS consents, "
        "COLLECT { MATCH (p)<-[:ABOUT]-(e:AccessEvent) RETURN e.subjectId } AS reads, "
        "COLLECT { MATCH (r:ErasureRequest)-[:FOR]->(p) RETURN [r.status, r.decidedAt IS NOT "
        "  NULL, r.reason] } AS requests, "
        "COLLECT { MATCH (p)<-[:ABOUT]-(u:DataUse) RETURN [u.kind, u.count, u.note] } AS uses",
        {"id": aino_id})
    assert kept["consents"] == [True] and kept["reads"] == [aino_id]
    assert kept["uses"] == [["matches_shown", 3, None]]  # the partner's words named her
    assert kept["requests"] == [["DONE", True, None]]
    # Her page, while her console session lasts, shows the request done.
    mine = aino.get("/console/me").get_data(as_text=True)
    assert "Your data was erased on" in mine and "Ask for erasure" not in mine


def test_a_refusal_needs_a_reason_and_the_citizen_reads_it(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    aino = console(app, "aino@example.org", PASSWORD)
    page = aino.get("/console/me").get_data(as_text=True)
    assert aino.post("/console/me/erasure", data={"csrf_token": csrf_of(page)}).status_code == 302
    staff = console(app, "staff@example.org", PASSWORD, "/console/staff/erasure-requests")
    html = staff.get("/console/staff/erasure-requests").get_data(as_text=True)
    assert "No reason given." in html
    request_id = html.split("/console/staff/erasure-requests/")[1].split("/")[0]
    url = f"/console/staff/erasure-requests/{request_id}/refuse"
    empty = staff.post(url, data={"csrf_token": csrf_of(html), "note": "  "},
                       follow_redirects=True)
    assert empty.request.path == "/console/staff/erasure-requests"
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)
    assert "a reason is required" in empty.get_data(as_text=True)
    refused = staff.post(url, data={"csrf_token": csrf_of(html),
                                    "note": "You have an open pilot contract with the lab."})
    assert refused.status_code == 302
    mine = aino.get("/console/me").get_data(as_text=True)
    assert "was refused: You have an open pilot contract with the lab." in mine
    # Nothing was erased, and she may ask again.
    assert accounts.authenticate(graph, "aino@example.org", PASSWORD) is not None
    assert aino.post("/console/me/erasure",
                     data={"csrf_token": csrf_of(mine)}).status_code == 302
    statuses = graph.run("MATCH (r:ErasureRequest) RETURN r.status AS s ORDER BY s")
    assert [r["s"] for r in statuses] == ["REFUSED", "REQUESTED"]
