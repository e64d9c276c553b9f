"""The demo ecosystem `make run` loads: a second load adds nothing."""

from __future__ import annotations

from flask import Flask

from civicgraph.repositories.graph import Graph
from civicgraph.services import accounts, demo_identity, demo_seed
from tests.helpers import bearer, fetch_token, gql


def counts(graph: Graph) -> tuple[int, int]:
    row = graph.run(
        "MATCH (o:Organisation) WITH count(o) AS orgs "
        "RETURN orgs, COUNT { ()-[:PARTNERS_WITH]->() } AS links"
    )[0]
    return row["orgs"], row["links"]


def test_seed_twice_adds_no_duplicates(graph: Graph) -> None:
    first = demo_seed.seed(graph)
    assert first == {
        "organisationsCreated": len(demo_seed.DEMO_ORGANISATIONS),
        "partnershipsCreated": len(demo_seed.DEMO_PARTNERSHIPS),
        "accountsCreated": 2, "clientsCreated": 2, "consentsCreated": 1,
    }
    after_first = counts(graph)
    assert demo_seed.seed(graph) == {
        "organisationsCreated": 0, "partnershipsCreated": 0,
        "accountsCreated": 0, "clientsCreated": 0, "consentsCreated": 0,
    }
    assert counts(graph) == after_first
    people = graph.run("MATCH (p:Person) RETURN count(p) AS n, "
                       "COUNT { (:Person)-[:HAS_SKILL]->() } AS skills")[0]
    assert (people["n"], people["skills"]) == (2, 2)
    kinds = graph.run("MATCH (o:Organisation:StartUp) RETURN count(o) AS n")[0]["n"]
    assert kinds == 2


def test_demo_credentials_work_end_to_end(app: Flask, graph: Graph) -> None:
    """What the `make run` banner prints: the partner client reads the demo citizen's profile."""
    demo_seed.seed(graph)
    web = app.test_client()
    token = fetch_token(web, demo_identity.PARTNER_CLIENT_ID, demo_identity.PARTNER_SECRET)
    partner = bearer(app, token["access_token"])
    citizen = graph.run("MATCH (p:Citizen) RETURN p.id AS id")[0]["id"]
    body = gql(partner, """query($id: ID!) { citizenProfile(citizenId: $id,
      purpose: "job-matching") { name skills { name } occupation { code } } }""", {"id": citizen})
    assert body["data"]["citizenProfile"]["occupation"] == {"code": "7212"}
    assert accounts.authenticate(graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    assert accounts.authenticate(graph, demo_identity.CITIZEN_EMAIL,
                                 demo_identity.CITIZEN_PASSWORD)
