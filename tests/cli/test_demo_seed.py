"""The demo ecosystem `make run` loads: a second load adds nothing."""

from __future__ import annotations

from flask import Flask

from civicgraph.cli import demo as demo_seed
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.partner_graph import vocabulary
from tests.builders import bearer, fetch_token, gql


def counts(graph: Graph) -> tuple[int, int, int]:
    row = graph.run(
        "MATCH (o:Organisation) WITH count(o) AS orgs "
        "RETURN orgs, COUNT { ()-[:PARTNERS_WITH]->() } AS links, "
        "COUNT { MATCH (n) } AS nodes"
    )[0]
    return row["orgs"], row["links"], row["nodes"] + count_rels(graph)


def count_rels(graph: Graph) -> int:
    total: int = graph.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return total


def test_seed_twice_adds_no_duplicates(graph: Graph) -> None:
    first = demo_seed.seed(graph)
    assert first["organisationsCreated"] == len(demo_seed.DEMO_ORGANISATIONS)
    assert first["partnershipsCreated"] == len(demo_seed.DEMO_PARTNERSHIPS)
    # The catalogue of the partner graph: fields, skills, occupations and offers.
    # The whole vocabulary: the twenty fields, the ESCO-shaped sample's skills and occupations.
    assert first["fieldsCreated"] == len(vocabulary.FIELDS) == 20
    assert first["skillsCreated"] == len(vocabulary.sample().skills)
    assert first["occupationsCreated"] == len(vocabulary.sample().occupations)
    assert first["vacanciesCreated"] == 4
    assert first["trainingCoursesCreated"] == 3 and first["servicesCreated"] == 3
    assert first["capabilitiesLinked"] > 0
    # The demo's people and clients (identity and access).
    assert (first["accountsCreated"], first["clientsCreated"],
            first["consentsCreated"]) == (4, 2, 1)
    # The start-up founder and the partner member belong to their demo organisations.
    members = graph.run("MATCH (p:Person)-[m:MEMBER_OF]->(o:Organisation) "
                        "WHERE p.email IN $emails RETURN p.email AS email, o.name AS org, "
                        "m.role AS role ORDER BY email",
                        {"emails": ["startup@demo.civicgraph.example",
                                    "partner@demo.civicgraph.example"]})
    assert [(r["email"], r["org"], r["role"]) for r in members] == [
        ("partner@demo.civicgraph.example", "Open Skills College", "MEMBER"),
        ("startup@demo.civicgraph.example", "CareerPath Labs", "ADMIN")]
    # Two declared purposes, approved; SkillBridge read the citizen once and said what came of it.
    assert (first["purposesCreated"], first["demoReads"]) == (2, 1)
    [value] = graph.run("MATCH (:Person {email: $email})<-[:ABOUT]-(e:AccessEvent) "
                        "RETURN e.outcome AS outcome, e.seq AS seq, e.hash IS NOT NULL AS sealed, "
                        "COLLECT { MATCH (u:DataUse)-[:FROM_READ]->(e) RETURN u.count } AS uses",
                        {"email": "citizen@demo.civicgraph.example"})
    assert value == {"outcome": "READ", "seq": 1, "sealed": True, "uses": [3]}
    after_first = counts(graph)
    second = demo_seed.seed(graph)
    assert set(second.values()) == {0}, second
    assert counts(graph) == after_first
    people = graph.run("MATCH (p:Person) RETURN count(p) AS n, "
                       "COUNT { (:Person)-[:HAS_SKILL]->() } AS skills")[0]
    # staff, the citizen, the start-up founder and the partner member
    assert (people["n"], people["skills"]) == (4, 2)
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
      purpose: "job-matching") { name skills { nodes { name } } occupation { code } } }""",
               {"id": citizen})
    assert body["data"]["citizenProfile"]["occupation"] == {"code": "7212"}
    assert accounts.authenticate(graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    assert accounts.authenticate(graph, demo_identity.CITIZEN_EMAIL,
                                 demo_identity.CITIZEN_PASSWORD)


def test_every_seeded_record_of_the_partner_graph_carries_the_envelope(graph: Graph) -> None:
    """Organisations, vocabulary and offers are born at version 1 whichever seed wrote them
    (the identity demo's skills included)."""
    demo_seed.seed(graph)
    unstamped = graph.run(
        "MATCH (n) WHERE (n:Organisation OR n:Field OR n:Skill OR n:Occupation OR n:Vacancy "
        "OR n:TrainingCourse OR n:Service) "
        "AND NOT (n.version = 1 AND n.createdAt = n.updatedAt AND n.id IS NOT NULL) "
        "RETURN collect(coalesce(n.name, n.title)) AS names")[0]["names"]
    assert unstamped == []
