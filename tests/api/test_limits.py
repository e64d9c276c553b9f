"""Depth, alias, cost, token and page-size limits: each refused before anything runs, with its
own code; configurable per deployment."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from civicgraph.app import create_app
from tests.builders import gql


@pytest.fixture
def client(admin_client: FlaskClient) -> FlaskClient:
    """The limits are checked for an admin client, as they were beside the partner-graph tests:
    a token changes nothing about them."""
    return admin_client


def refused(client: FlaskClient, query: str, code: str, limit: str) -> None:
    body = gql(client, query, status=400)
    error = body["errors"][0]
    assert error["extensions"]["code"] == code, body
    assert error["extensions"]["limit"] == limit
    assert body.get("extensions", {}).get("cypher", []) == []


def test_default_limits(client: FlaskClient) -> None:
    # Depth counts the records walked: a connection's nodes/edges wrappers add no level.
    deep = "{ organisations(first: 1) { nodes { " + "partners(first: 1) { nodes { " * 10 + \
        "id" + " } }" * 10 + " } } }"
    refused(client, deep, "DEPTH_LIMIT_EXCEEDED", "depth")
    aliases = "{ " + " ".join(f"a{i}: organisations(first: 1) {{ totalCount }}"
                              for i in range(16)) + " }"
    refused(client, aliases, "ALIAS_LIMIT_EXCEEDED", "aliases")
    costly = """{ organisations(first: 100) {
        nodes { partners(first: 100) { nodes { name } } } } }"""
    refused(client, costly, "COST_LIMIT_EXCEEDED", "cost")
    many_tokens = "{ organisations(first: 1) { totalCount " + "__typename " * 2000 + "} }"
    refused(client, many_tokens, "TOKEN_LIMIT_EXCEEDED", "tokens")
    refused(client, "{ organisations(first: 101) { totalCount } }", "BAD_USER_INPUT", "pageSize")
    refused(client, "{ skills { nodes { vacancies(first: 500) { id } } } }", "BAD_USER_INPUT",
            "pageSize")
    body = gql(client, "query Q($n: Int) { organisations(last: $n) { totalCount } }",
               {"n": 1000}, status=400)
    assert body["errors"][0]["extensions"]["limit"] == "pageSize"
    fine = gql(client, "{ organisations(first: 100) "
               "{ nodes { partners(first: 10) { nodes { name } } } } }")
    assert "errors" not in fine


def test_limits_come_from_settings(services: object) -> None:
    app = create_app({"max_depth": 3, "max_aliases": 1, "max_cost": 10, "max_tokens": 30,
                      "max_page_size": 5, "debug_cypher": True})
    client = app.test_client()
    four_deep = "{ organisations { nodes { partners { nodes { vacancies { nodes { id } } } } } } }"
    refused(client, four_deep, "DEPTH_LIMIT_EXCEEDED", "depth")
    refused(client, "{ a: organisations(first: 1) { totalCount } b: skills(first: 1) "
                    "{ totalCount } }", "ALIAS_LIMIT_EXCEEDED", "aliases")
    refused(client, "{ organisations(first: 5) { nodes { id name } } }", "COST_LIMIT_EXCEEDED",
            "cost")
    refused(client, "{ organisations(first: 6) { totalCount } }", "BAD_USER_INPUT", "pageSize")
    assert "errors" not in gql(client, "{ organisations(first: 5) { totalCount } }")
    app.extensions["civicgraph"]["graph"].close()


def test_introspection_is_not_limited(client: FlaskClient) -> None:
    from graphql import get_introspection_query

    body = gql(client, get_introspection_query())
    assert "errors" not in body
