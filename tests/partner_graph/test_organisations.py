"""Registering, linking and listing organisations through GraphQL, on the real graph."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import gql


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Anonymous, as the session's own ``client``: this folder's conftest makes ``client`` an
    admin for its other modules, and these tests read what anyone without a token gets."""
    return app.test_client()

REGISTER = """
mutation Register($input: RegisterOrganisationInput!) {
  registerOrganisation(input: $input) { organisation { id name kind region description version } }
}
"""
LINK = """
mutation Link($a: ID!, $b: ID!, $since: Date) {
  linkPartners(input: {a: $a, b: $b, since: $since}) { created since a { id } b { id } }
}
"""
LIST = """
query List($first: Int, $after: String) {
  organisations(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name kind region partners { nodes { id name } } } }
  }
}
"""


def register(client: FlaskClient, name: str, kind: str = "AGENCY", region: str = "North",
             description: str = "") -> dict[str, Any]:
    body = gql(client, REGISTER, {"input": {"name": name, "kind": kind, "region": region,
                                            "description": description}})
    assert "errors" not in body, body
    organisation: dict[str, Any] = body["data"]["registerOrganisation"]["organisation"]
    return organisation


def total(client: FlaskClient) -> int:
    count: int = gql(client, LIST, {"first": 1})["data"]["organisations"]["totalCount"]
    return count


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def test_register_returns_the_stored_organisation(admin_client: FlaskClient) -> None:
    client = admin_client
    org = register(client, "  Open Skills College ", "TRAINING_PROVIDER", "North", "Courses")
    assert org["name"] == "Open Skills College"
    assert org["kind"] == "TRAINING_PROVIDER"
    assert org["version"] == 1
    listed = gql(client, LIST)["data"]["organisations"]["edges"]
    assert [e["node"]["id"] for e in listed] == [org["id"]]


def test_bad_input_gets_clear_errors_and_loses_nothing(admin_client: FlaskClient) -> None:
    client = admin_client
    register(client, "Kept Agency")
    cases = [
        ({"name": "", "kind": "AGENCY", "region": "North"}, "BAD_USER_INPUT", "name is required"),
        ({"name": "   ", "kind": "AGENCY", "region": "North"}, "BAD_USER_INPUT", "name"),
        ({"name": "X", "kind": "PIRATE", "region": "North"}, "BAD_USER_INPUT", "PIRATE"),
        ({"name": "x" * 201, "kind": "AGENCY", "region": "North"}, "BAD_USER_INPUT", "limit"),
        ({"name": "Y", "kind": "AGENCY", "region": "r" * 101}, "BAD_USER_INPUT", "region"),
        ({"name": "Z", "kind": "AGENCY", "region": "North", "description": "d" * 4001},
         "BAD_USER_INPUT", "description"),
        ({"kind": "AGENCY", "region": "North"}, "BAD_USER_INPUT", "name"),
    ]
    for payload, code, words in cases:
        body = gql(client, REGISTER, {"input": payload}, status=None)
        assert error_code(body) == code, (payload, body)
        assert words in body["errors"][0]["message"], body
    assert total(client) == 1


def test_unknown_kind_written_inline_is_refused_with_a_code(admin_client: FlaskClient) -> None:
    client = admin_client
    response = client.post("/graphql", json={"query": """
        mutation { registerOrganisation(input: {name: "A", kind: PIRATE, region: "N"}) {
          organisation { id } } }"""})
    assert response.status_code == 400
    assert error_code(response.get_json()) == "BAD_USER_INPUT"


def test_duplicate_name_in_a_region_is_a_conflict(admin_client: FlaskClient) -> None:
    client = admin_client
    first = register(client, "North Employment Agency", region="North")
    body = gql(client, REGISTER, {"input": {"name": "north  employment AGENCY", "kind": "AGENCY",
                                            "region": " north"}})
    assert error_code(body) == "CONFLICT"
    other_region = register(client, "North Employment Agency", region="Metro")
    assert other_region["id"] != first["id"]
    assert total(client) == 2


def test_link_partners_is_idempotent_and_listed_both_ways(admin_client: FlaskClient) -> None:
    client = admin_client
    a = register(client, "Agency A")
    b = register(client, "Startup B", "START_UP")
    first = gql(client, LINK, {"a": a["id"], "b": b["id"], "since": "2024-03-01"})
    assert first["data"]["linkPartners"]["created"] is True
    assert first["data"]["linkPartners"]["since"] == "2024-03-01"
    again = gql(client, LINK, {"a": b["id"], "b": a["id"]})
    assert again["data"]["linkPartners"]["created"] is False
    assert again["data"]["linkPartners"]["since"] == "2024-03-01"
    nodes = {e["node"]["name"]: e["node"] for e in
             gql(client, LIST)["data"]["organisations"]["edges"]}
    assert [p["name"] for p in nodes["Agency A"]["partners"]["nodes"]] == ["Startup B"]
    assert [p["name"] for p in nodes["Startup B"]["partners"]["nodes"]] == ["Agency A"]


def test_link_refuses_self_links_and_unknown_ids(admin_client: FlaskClient) -> None:
    client = admin_client
    a = register(client, "Agency A")
    body = gql(client, LINK, {"a": a["id"], "b": a["id"]})
    assert error_code(body) == "BAD_USER_INPUT"
    body = gql(client, LINK, {"a": a["id"], "b": "no-such-id"})
    assert error_code(body) == "NOT_FOUND"
    assert "no-such-id" in body["errors"][0]["message"]
    nodes = gql(client, LIST)["data"]["organisations"]["edges"]
    assert nodes[0]["node"]["partners"] == {"nodes": []}


def test_pagination_walks_every_organisation_once(admin_client: FlaskClient) -> None:
    client = admin_client
    names = [f"Org {i:02d}" for i in range(7)]
    for name in reversed(names):
        register(client, name)
    seen: list[str] = []
    after = None
    while True:
        page = gql(client, LIST, {"first": 3, "after": after})["data"]["organisations"]
        assert page["totalCount"] == 7
        seen += [e["node"]["name"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == names


def test_bad_page_arguments_are_refused(client: FlaskClient) -> None:
    # Page sizes are checked with the other limits before execution, hence 400 (graphql/limits.py).
    assert error_code(gql(client, LIST, {"first": 101}, status=400)) == "BAD_USER_INPUT"
    assert error_code(gql(client, LIST, {"first": -1}, status=400)) == "BAD_USER_INPUT"
    assert error_code(gql(client, LIST, {"after": "not-a-cursor"})) == "BAD_USER_INPUT"


def test_nested_list_costs_one_cypher_statement(admin_client: FlaskClient) -> None:
    client = admin_client
    orgs = [register(client, f"Org {i}") for i in range(5)]
    for other in orgs[1:]:
        gql(client, LINK, {"a": orgs[0]["id"], "b": other["id"]})
    body = gql(client, LIST, {"first": 10})
    assert len(body["data"]["organisations"]["edges"]) == 5
    statements = body["extensions"]["cypher"]
    assert len(statements) == 1, statements
    # The compiler names parameters p0, p1, ...: the rows read (the page and one over), the
    # page size (the row over is projected as its sort keys only) and the partners' page size.
    # No cursor: no keyset values; an admin's scope reads no caller parameter, and only the
    # parameters a statement reads are sent.
    assert statements[0]["parameters"] == ["p0", "p1", "p2"]


def test_get_serves_queries_but_not_mutations(admin_client: FlaskClient) -> None:
    client = admin_client
    register(client, "Agency A")
    response = client.get("/graphql", query_string={"query": "{ organisations { totalCount } }"})
    assert response.status_code == 200
    assert response.get_json()["data"]["organisations"]["totalCount"] == 1
    response = client.get("/graphql", query_string={
        "query": 'mutation { linkPartners(input: {a: "x", b: "y"}) { created } }'})
    assert response.status_code == 405
    assert error_code(response.get_json()) == "METHOD_NOT_ALLOWED"


def test_malformed_requests_get_4xx_with_codes(client: FlaskClient) -> None:
    response = client.post("/graphql", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_code(response.get_json()) == "BAD_REQUEST"
    response = client.post("/graphql", json={"query": "{ organisations { "})
    assert response.status_code == 400
    assert error_code(response.get_json()) == "GRAPHQL_PARSE_FAILED"
    response = client.post("/graphql", json={"query": "{ nope }"})
    assert response.status_code == 400
    assert error_code(response.get_json()) == "GRAPHQL_VALIDATION_FAILED"
    response = client.post("/graphql", json={"query": "{ organisations { totalCount } }",
                                             "variables": [1]})
    assert response.status_code == 400


def test_graphiql_is_served_to_browsers(client: FlaskClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]
    assert "CivicGraph" in response.get_data(as_text=True)
