"""Small helpers the tests share: sending GraphQL and waiting for background work."""

from __future__ import annotations

import time
from typing import Any

from flask.testing import FlaskClient


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
