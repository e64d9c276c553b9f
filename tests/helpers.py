"""Small helpers the tests share: sending GraphQL and waiting for background work."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.repositories.graph import Graph
from civicgraph.services import oauth_clients


def gql(client: FlaskClient, query: str, variables: dict[str, Any] | None = None,
        status: int | None = 200) -> dict[str, Any]:
    """POST a GraphQL request and return the decoded body, checking the HTTP status."""
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def wait_for(predicate: Any, timeout: float = 30.0, interval: float = 0.2) -> Any:
    """Poll until predicate() returns something truthy; return it (fail the test on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def create_client(graph: Graph, scopes: list[str], organisation_id: str | None = None,
                  grant_types: list[str] | None = None) -> tuple[str, str]:
    """A confidential client made through the service: (client id, secret)."""
    created, secret = oauth_clients.create(
        graph, name="Test client", organisation_id=organisation_id, scopes=scopes,
        grant_types=grant_types or ["client_credentials"],
    )
    assert secret is not None
    return created["clientId"], secret


def fetch_token(client: FlaskClient, client_id: str, secret: str, scope: str | None = None,
                status: int = 200) -> dict[str, Any]:
    """Client credentials at the real token endpoint (HTTP Basic, as RFC 6749 prefers)."""
    form = {"grant_type": "client_credentials"}
    if scope:
        form["scope"] = scope
    response = client.post("/oauth/token", data=form, auth=(client_id, secret))
    assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def bearer(app: Flask, token: str) -> FlaskClient:
    """A test client that sends this bearer token on every request."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return test_client


def client_with_token(app: Flask, graph: Graph, scopes: list[str],
                      organisation_id: str | None = None) -> FlaskClient:
    client_id, secret = create_client(graph, scopes, organisation_id)
    token = fetch_token(app.test_client(), client_id, secret)["access_token"]
    return bearer(app, token)
