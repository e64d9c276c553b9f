"""Consent gates citizen data: a partner reads under a live consent only, every request is
logged (read or refused), and withdrawal counts from the next request. Tokens come from the
real endpoints: the citizen's through the browser flow with PKCE, the partners' through client
credentials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity.service import accounts
from tests.builders import bearer, create_public_client, gql, login_with_pkce
from tests.identity.builders import approved_purpose, two_organisations_and_a_citizen

PROFILE = """
query Profile($id: ID!, $purpose: String!) {
  citizenProfile(citizenId: $id, purpose: $purpose) {
    consent { id purpose organisation { name } } categories name email
    skills { totalCount nodes { uri name } } occupation { code name }
  }
}
"""
GRANT = """
mutation Grant($input: GrantConsentInput!) {
  grantConsent(input: $input) { consent { id status purpose categories organisation { name } } }
}
"""
WITHDRAW = ("mutation W($id: ID!) { withdrawConsent(input: {id: $id}) "
            "{ consent { id status withdrawnAt } } }")
MY_CONSENTS = ("{ myConsents { nodes { id status purpose categories supersededBy { id } "
               "organisation { name } } } }")
MY_LOG = ("{ myAccessLog { nodes { organisation { name } clientId purpose fields at outcome "
          "seq } } }")
PASSWORD = "correct horse battery"


@pytest.fixture
def world(app: Flask, graph: Graph, authorised: Callable[..., FlaskClient]) -> dict[str, Any]:
    """Two partner organisations, a citizen with skills and an occupation, and their clients."""
    jobs, other, citizen = two_organisations_and_a_citizen(graph, PASSWORD)
    console = create_public_client(graph, ["graph:read", "consent:read", "consent:write"])
    token = login_with_pkce(app, console, "aino@example.org", PASSWORD,
                            "consent:read consent:write")
    return {
        "jobs": jobs, "other": other, "citizen": citizen,
        "purpose": approved_purpose(graph, jobs["id"]),
        "me": bearer(app, token["access_token"]),
        "partner": authorised(["citizen:read"], jobs["id"]),
        "nosy": authorised(["citizen:read"], other["id"]),
    }


def read(partner: FlaskClient, citizen_id: str, purpose: str = "job-matching") -> dict[str, Any]:
    return gql(partner, PROFILE, {"id": citizen_id, "purpose": purpose})


def grant(me: FlaskClient, purpose_id: str, categories: list[str] | None = None
          ) -> dict[str, Any]:
    body = gql(me, GRANT, {"input": {"purposeId": purpose_id, "categories": categories}})
    assert "errors" not in body, body
    consent: dict[str, Any] = body["data"]["grantConsent"]["consent"]
    return consent


def code(body: dict[str, Any]) -> str:
    result: str = body["errors"][0]["extensions"]["code"]
    return result


def events(graph: Graph, outcome: str | None = None) -> int:
    return int(graph.run("MATCH (e:AccessEvent) WHERE $outcome IS NULL OR e.outcome = $outcome "
                         "RETURN count(e) AS n", {"outcome": outcome})[0]["n"])


def test_partner_reads_with_consent_not_without_and_not_after_withdrawal(
    world: dict[str, Any], graph: Graph
) -> None:
    me, partner, citizen_id = world["me"], world["partner"], world["citizen"]["id"]

    before = read(partner, citizen_id)
    assert code(before) == "FORBIDDEN"
    assert before["data"] is None
    # Refused, and the citizen sees that it was asked (nothing read: no consent, no data).
    assert events(graph) == events(graph, "REFUSED") == 1

    consent = grant(me, world["purpose"], ["SKILLS", "CONTACT"])
    assert consent["status"] == "LIVE"
    assert consent["organisation"] == {"name": "SkillBridge"}

    body = read(partner, citizen_id)
    assert "errors" not in body, body
    profile = body["data"]["citizenProfile"]
    assert profile["consent"] == {"id": consent["id"], "purpose": "job-matching",
                                  "organisation": {"name": "SkillBridge"}}
    assert profile["categories"] == ["CONTACT", "SKILLS"]
    assert profile["name"] == "Aino Virtanen"
    assert profile["email"] == "aino@example.org"
    assert profile["skills"] == {"totalCount": 1,
                                 "nodes": [{"uri": "esco:s1", "name": "Welding"}]}
    assert profile["occupation"] is None  # not consented: not read

    log = gql(me, MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert [(e["outcome"], e["seq"]) for e in log] == [("READ", 2), ("REFUSED", 1)]
    assert log[0]["organisation"] == {"name": "SkillBridge"}
    assert log[0]["purpose"] == "job-matching"
    assert log[0]["fields"] == ["CONTACT", "SKILLS"]
    assert log[1]["fields"] == ["CONTACT", "SKILLS", "OCCUPATION"]  # what was asked for

    withdrawn = gql(me, WITHDRAW, {"id": consent["id"]})["data"]["withdrawConsent"]["consent"]
    assert withdrawn["status"] == "WITHDRAWN" and withdrawn["withdrawnAt"]

    after = read(partner, citizen_id)
    assert code(after) == "FORBIDDEN"
    log = gql(me, MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert [(e["outcome"], e["seq"]) for e in log] == [("REFUSED", 3), ("READ", 2),
                                                       ("REFUSED", 1)]
    consents = gql(me, MY_CONSENTS)["data"]["myConsents"]["nodes"]
    assert [c["status"] for c in consents] == ["WITHDRAWN"]


def test_consent_is_for_one_organisation_and_one_purpose(
    world: dict[str, Any], graph: Graph
) -> None:
    grant(world["me"], world["purpose"], ["SKILLS"])
    citizen_id = world["citizen"]["id"]
    assert code(read(world["nosy"], citizen_id)) == "FORBIDDEN"
    assert code(read(world["partner"], citizen_id, purpose="marketing")) == "FORBIDDEN"
    assert code(read(world["partner"], "no-such-citizen")) == "FORBIDDEN"
    # Both refusals are in the citizen's log; an unknown citizen leaves no trace (and the same
    # answer: no probing for who is registered).
    assert events(graph) == events(graph, "REFUSED") == 2
    log = gql(world["me"], MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert sorted((e["organisation"]["name"], e["purpose"]) for e in log) == [
        ("Nosy Ltd", "job-matching"), ("SkillBridge", "marketing")]


def test_only_the_categories_asked_for_are_read_and_logged(
    world: dict[str, Any], graph: Graph
) -> None:
    grant(world["me"], world["purpose"], ["SKILLS", "CONTACT", "OCCUPATION"])
    body = gql(world["partner"], """query($id: ID!) {
      citizenProfile(citizenId: $id, purpose: "job-matching") { categories occupation { name } }
    }""", {"id": world["citizen"]["id"]})
    assert body["data"]["citizenProfile"]["occupation"] == {"name": "Welder"}
    log = gql(world["me"], MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert log[0]["fields"] == ["OCCUPATION"]


def test_skills_and_occupation_are_the_models_records(
    world: dict[str, Any], graph: Graph
) -> None:
    """A partner goes on from the citizen's skill and occupation to the rest of the graph
    (here, a vacancy needing the skill), in the one consented and logged read."""
    grant(world["me"], world["purpose"], ["SKILLS", "OCCUPATION"])
    graph.run("MATCH (s:Skill {uri: 'esco:s1'}), (o:Occupation {uri: 'esco:o1'}) "
              "CREATE (:Vacancy {id: randomUUID(), title: 'Welder wanted', status: 'OPEN'})"
              "-[:REQUIRES]->(s), (o)-[:NEEDS_SKILL]->(s)", write=True)
    body = gql(world["partner"], """query($id: ID!) {
      citizenProfile(citizenId: $id, purpose: "job-matching") {
        ... on CitizenProfile { skills(first: 5) { edges { cursor node { __typename uri
          vacancies { nodes { title } } } } } }
        occupation { __typename uri skills { nodes { name } } }
        consent { status categories citizen { name } }
      } }""", {"id": world["citizen"]["id"]})
    assert "errors" not in body, body
    # The read (and its event) is one statement; the event's hash is sealed by a second in
    # the same transaction.
    assert len({s["transaction"] for s in body["extensions"]["cypher"]}) == 1
    assert len(body["extensions"]["cypher"]) == 2
    profile = body["data"]["citizenProfile"]
    [edge] = profile["skills"]["edges"]
    assert edge["cursor"]
    assert edge["node"] == {"__typename": "Skill", "uri": "esco:s1",
                            "vacancies": {"nodes": [{"title": "Welder wanted"}]}}
    assert profile["occupation"] == {"__typename": "Occupation", "uri": "esco:o1",
                                     "skills": {"nodes": [{"name": "Welding"}]}}
    # The consent's citizen is a Person under Person's guard: the partner does not see it.
    assert profile["consent"] == {"status": "LIVE", "categories": ["OCCUPATION", "SKILLS"],
                                  "citizen": None}
    log = gql(world["me"], MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert [sorted(e["fields"]) for e in log] == [["OCCUPATION", "SKILLS"]]


def test_a_category_outside_the_consent_is_null_and_not_logged(world: dict[str, Any]) -> None:
    grant(world["me"], world["purpose"], ["CONTACT"])
    body = gql(world["partner"], """query($id: ID!) {
      citizenProfile(citizenId: $id, purpose: "job-matching") {
        region skills { totalCount } occupation { name } } }""", {"id": world["citizen"]["id"]})
    assert body["data"]["citizenProfile"] == {"region": "North", "skills": None,
                                              "occupation": None}
    log = gql(world["me"], MY_LOG)["data"]["myAccessLog"]["nodes"]
    assert [e["fields"] for e in log] == [["CONTACT"]]


def test_the_consent_check_and_the_access_event_are_the_reading_statement(
    world: dict[str, Any]
) -> None:
    grant(world["me"], world["purpose"], ["SKILLS"])
    body = read(world["partner"], world["citizen"]["id"])
    statements = body["extensions"]["cypher"]
    # One transaction: the reading statement checks the consent and writes the event; the
    # second seals the event's hash into the citizen's chain.
    assert len(statements) == 2, statements
    assert statements[0]["transaction"] == statements[1]["transaction"]
    cypher = statements[0]["cypher"]
    match_part = cypher.split("CREATE")[0]
    assert "Consent" in match_part and "withdrawnAt IS NULL" in match_part
    assert "expiresAt > datetime()" in match_part
    assert "CREATE (e:AccessEvent" in cypher


def test_regranting_supersedes_and_keeps_history(world: dict[str, Any]) -> None:
    me, purpose = world["me"], world["purpose"]
    first = grant(me, purpose, ["SKILLS"])
    second = grant(me, purpose, ["SKILLS", "CONTACT"])
    consents = {c["id"]: c for c in gql(me, MY_CONSENTS)["data"]["myConsents"]["nodes"]}
    assert consents[first["id"]]["status"] == "REPLACED"
    assert consents[first["id"]]["supersededBy"] == {"id": second["id"]}
    assert consents[first["id"]]["categories"] == ["SKILLS"]  # never edited
    assert consents[second["id"]]["status"] == "LIVE"
    profile = read(world["partner"], world["citizen"]["id"])["data"]["citizenProfile"]
    assert profile["categories"] == ["CONTACT", "SKILLS"]


def test_an_expired_consent_allows_nothing(world: dict[str, Any], graph: Graph) -> None:
    consent = grant(world["me"], world["purpose"], ["SKILLS"])
    # Time passing, as the clock would do it.
    graph.run("MATCH (c:Consent {id: $id}) SET c.expiresAt = datetime() - duration('PT1S')",
              {"id": consent["id"]}, write=True)
    assert code(read(world["partner"], world["citizen"]["id"])) == "FORBIDDEN"
    statuses = [c["status"] for c in gql(world["me"], MY_CONSENTS)["data"]["myConsents"]["nodes"]]
    assert statuses == ["EXPIRED"]


def test_bad_consents_are_refused(world: dict[str, Any]) -> None:
    me, purpose = world["me"], world["purpose"]
    cases = [
        ({"purposeId": "nope", "categories": ["SKILLS"]}, "BAD_USER_INPUT"),
        ({"purposeId": purpose, "categories": []}, "BAD_USER_INPUT"),
        ({"purposeId": purpose, "categories": ["SKILLS"],
          "expiresAt": "2001-01-01T00:00:00+00:00"}, "BAD_USER_INPUT"),
        ({"purposeId": purpose, "categories": ["SKILLS"],
          "expiresAt": "2099-01-01T00:00:00+00:00"}, "BAD_USER_INPUT"),
    ]
    for payload, expected in cases:
        assert code(gql(me, GRANT, {"input": payload}, status=None)) == expected, payload


def test_a_citizen_cannot_withdraw_someone_elses_consent(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    consent = grant(world["me"], world["purpose"], ["SKILLS"])
    accounts.create(graph, email="eve@example.org", name="Eve", password=PASSWORD,
                    roles=["CITIZEN"])
    console = create_public_client(graph, ["consent:read", "consent:write"])
    eve = bearer(app, login_with_pkce(app, console, "eve@example.org", PASSWORD,
                                      "consent:write")["access_token"])
    assert code(gql(eve, WITHDRAW, {"id": consent["id"]})) == "NOT_FOUND"
    assert read(world["partner"], world["citizen"]["id"])["data"]["citizenProfile"]


def test_clients_have_no_citizen_self_service(
    world: dict[str, Any], authorised: Callable[..., FlaskClient]
) -> None:
    robot = authorised(["consent:read", "consent:write"], world["jobs"]["id"])
    body = gql(robot, MY_CONSENTS, status=403)
    assert code(body) == "FORBIDDEN"
    assert "CITIZEN" in body["errors"][0]["message"]


def test_admin_exports_the_record_of_processing(
    world: dict[str, Any], admin_client: FlaskClient
) -> None:
    grant(world["me"], world["purpose"], ["SKILLS", "CONTACT"])
    read(world["partner"], world["citizen"]["id"])
    read(world["partner"], world["citizen"]["id"])
    read(world["nosy"], world["citizen"]["id"])  # refused: nothing processed
    query = """{ recordOfProcessing { organisation { id name } purpose categories reads
                 citizens liveConsents clientIds firstAccessAt lastAccessAt } }"""
    rows = gql(admin_client, query)["data"]["recordOfProcessing"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["organisation"], row["purpose"]) == (
        {"id": world["jobs"]["id"], "name": "SkillBridge"}, "job-matching")
    assert sorted(row["categories"]) == ["CONTACT", "SKILLS"]
    assert (row["reads"], row["citizens"], row["liveConsents"]) == (2, 1, 1)
    # Compared as instants: the served text trims trailing zeros of the fraction (".23Z").
    first, last = (datetime.fromisoformat(row[k]) for k in ("firstAccessAt", "lastAccessAt"))
    assert len(row["clientIds"]) == 1 and first <= last
    assert code(gql(world["partner"], query, status=403)) == "FORBIDDEN"
