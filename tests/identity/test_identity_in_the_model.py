"""Consents, access events and OAuth clients are records of the one model: fetched by
``node(id:)`` under their guards (who else gets null), read across domains in one statement,
and answered by the mutations that make them as the client selected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity.service import accounts
from civicgraph.partner_graph.service import organisations
from tests.builders import bearer, create_public_client, gql, login_with_pkce
from tests.identity.test_consent import PASSWORD, grant, read, world  # noqa: F401

NODE = "query N($id: ID!) { node(id: $id) { __typename id } }"
CONSENT_ACROSS = """query C($id: ID!) { node(id: $id) { ... on Consent {
  status categories grantedAt organisation { name partners { nodes { name } } } } } }"""


def seen(client: FlaskClient, node_id: str) -> bool:
    body = gql(client, NODE, {"id": node_id})
    assert "errors" not in body, body
    return body["data"]["node"] is not None


def citizen(app: Flask, graph: Graph, email: str = "aino@example.org") -> FlaskClient:
    """A citizen signed in for reading the graph as well as their consents."""
    console = create_public_client(graph, ["graph:read", "consent:read"])
    token = login_with_pkce(app, console, email, PASSWORD, "graph:read consent:read")
    return bearer(app, token["access_token"])


def other_citizen(app: Flask, graph: Graph) -> FlaskClient:
    accounts.create(graph, email="eve@example.org", name="Eve", password=PASSWORD,
                    roles=["CITIZEN"])
    return citizen(app, graph, "eve@example.org")


def test_a_consent_is_seen_by_its_citizen_its_organisation_and_admins_only(
    app: Flask, graph: Graph, world: dict[str, Any],  # noqa: F811
    authorised: Callable[..., FlaskClient], admin_client: FlaskClient,
) -> None:
    consent = grant(world["me"], world["purpose"], ["SKILLS"])
    jobs_reader = authorised(["graph:read"], world["jobs"]["id"])
    nosy_reader = authorised(["graph:read"], world["other"]["id"])
    assert seen(citizen(app, graph), consent["id"])
    assert seen(jobs_reader, consent["id"])
    assert seen(admin_client, consent["id"])
    assert not seen(nosy_reader, consent["id"])
    assert not seen(authorised(["graph:read"]), consent["id"])
    assert not seen(other_citizen(app, graph), consent["id"])


def test_an_organisation_never_learns_the_citizen_from_a_consent(
    app: Flask, graph: Graph, world: dict[str, Any], authorised: Callable[..., FlaskClient],  # noqa: F811
) -> None:
    consent = grant(world["me"], world["purpose"], ["SKILLS"])
    query = "query C($id: ID!) { node(id: $id) { ... on Consent { citizen { name } } } }"
    jobs_reader = authorised(["graph:read"], world["jobs"]["id"])
    assert gql(jobs_reader, query, {"id": consent["id"]})["data"]["node"] == {"citizen": None}
    mine = gql(citizen(app, graph), query, {"id": consent["id"]})["data"]["node"]
    assert mine == {"citizen": {"name": "Aino Virtanen"}}


def test_consent_to_organisation_to_partners_is_one_statement(
    app: Flask, graph: Graph, world: dict[str, Any],  # noqa: F811
) -> None:
    graph.run("MATCH (a:Organisation {id: $a}), (b:Organisation {id: $b}) "
              "CREATE (a)-[:PARTNERS_WITH]->(b)",
              {"a": world["jobs"]["id"], "b": world["other"]["id"]}, write=True)
    consent = grant(world["me"], world["purpose"], ["SKILLS", "CONTACT"])
    body = gql(citizen(app, graph), CONSENT_ACROSS, {"id": consent["id"]})
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    node = body["data"]["node"]
    assert node["status"] == "LIVE" and sorted(node["categories"]) == ["CONTACT", "SKILLS"]
    assert node["organisation"] == {"name": "SkillBridge",
                                    "partners": {"nodes": [{"name": "Nosy Ltd"}]}}
    assert datetime.fromisoformat(node["grantedAt"]).tzinfo is not None


def test_an_access_event_is_the_citizens_and_leads_to_its_consent(
    app: Flask, graph: Graph, world: dict[str, Any],  # noqa: F811
    authorised: Callable[..., FlaskClient], admin_client: FlaskClient,
) -> None:
    consent = grant(world["me"], world["purpose"], ["SKILLS"])
    assert "errors" not in read(world["partner"], world["citizen"]["id"])
    log = gql(world["me"], """{ myAccessLog { totalCount nodes { id fields
      consent { id purpose } organisation { name } } } }""")["data"]["myAccessLog"]
    assert log["totalCount"] == 1
    event = log["nodes"][0]
    assert event["consent"] == {"id": consent["id"], "purpose": "job-matching"}
    assert event["organisation"] == {"name": "SkillBridge"} and event["fields"] == ["SKILLS"]
    assert seen(citizen(app, graph), event["id"]) and seen(admin_client, event["id"])
    # The organisation that read sees its own request, another organisation does not; neither
    # sees the citizen's chain.
    jobs = authorised(["graph:read"], world["jobs"]["id"])
    assert seen(jobs, event["id"])
    assert not seen(authorised(["graph:read"], world["other"]["id"]), event["id"])
    chain = gql(jobs, "query E($id: ID!) { node(id: $id) { ... on AccessEvent { seq hash "
                      "citizen { name } } } }", {"id": event["id"]})["data"]["node"]
    assert chain == {"seq": None, "hash": None, "citizen": None}


def test_my_consents_are_only_mine_even_for_another_citizen(
    app: Flask, graph: Graph, world: dict[str, Any],  # noqa: F811
) -> None:
    grant(world["me"], world["purpose"], ["SKILLS"])
    eve = other_citizen(app, graph)
    body = gql(eve, "{ myConsents { totalCount nodes { id } } }")
    assert body["data"]["myConsents"] == {"totalCount": 0, "nodes": []}
    where = """{ myConsents(where: {status: {eq: LIVE}}) { totalCount } }"""
    assert "errors" in gql(world["me"], where, status=None)  # status is computed: no filter
    filtered = gql(world["me"], """{ myConsents(where: {purpose: {eq: "job-matching"}})
      { totalCount } }""")
    assert filtered["data"]["myConsents"]["totalCount"] == 1


def test_granting_answers_with_what_the_client_selected(world: dict[str, Any]) -> None:  # noqa: F811
    body = gql(world["me"], """mutation G($purpose: ID!) { grantConsent(input: {
      purposeId: $purpose, categories: [OCCUPATION]}) {
        consent { categories expiresAt organisation { region } supersedes { id }
                  purposeVersion declaredPurpose { code status } } } }""",
               {"purpose": world["purpose"]})
    assert "errors" not in body, body
    consent = body["data"]["grantConsent"]["consent"]
    assert consent["categories"] == ["OCCUPATION"]
    assert consent["organisation"] == {"region": "North"} and consent["supersedes"] is None
    assert consent["purposeVersion"] == 2  # declared (1), approved (2)
    assert consent["declaredPurpose"] == {"code": "job-matching", "status": "APPROVED"}


def test_an_oauth_client_is_seen_by_its_organisation_and_admins(
    graph: Graph, authorised: Callable[..., FlaskClient], admin_client: FlaskClient,
) -> None:
    mine = organisations.register(graph, name="Feed Co", kind="START_UP", region="North",
                                  description=None)
    other = organisations.register(graph, name="Other Co", kind="START_UP", region="North",
                                   description=None)
    created = gql(admin_client, """mutation C($org: ID!) { createOAuthClient(input: {
      name: "Feed", organisationId: $org, scopes: ["graph:read"],
      grantTypes: [CLIENT_CREDENTIALS]}) { clientSecret
      client { id grantTypes public revoked organisation { name } } } }""", {"org": mine["id"]})
    assert "errors" not in created, created
    client = created["data"]["createOAuthClient"]["client"]
    assert client["grantTypes"] == ["CLIENT_CREDENTIALS"]
    assert (client["public"], client["revoked"]) == (False, False)
    assert client["organisation"] == {"name": "Feed Co"}
    assert seen(authorised(["graph:read"], mine["id"]), client["id"])
    assert seen(admin_client, client["id"])
    assert not seen(authorised(["graph:read"], other["id"]), client["id"])
    assert not seen(authorised(["graph:read"]), client["id"])
