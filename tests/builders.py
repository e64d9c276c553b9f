"""What tests of every domain build and do: OAuth clients and tokens from the real endpoints,
a browser signed in with PKCE, a GraphQL request, a wait for background work.

Each domain's own data builders are in ``tests/<domain>/builders.py``; these are shared because
every domain's tests call the gateway as some client.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity.service import clients as oauth_clients


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


REDIRECT_URI = "http://127.0.0.1:9/callback"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 section 4 makes them."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def create_public_client(graph: Graph, scopes: list[str]) -> str:
    created, _ = oauth_clients.create(
        graph, name="Citizen console", organisation_id=None, scopes=scopes,
        grant_types=["authorization_code", "refresh_token"], redirect_uris=[REDIRECT_URI],
        public=True,
    )
    client_id: str = created["clientId"]
    return client_id


def authorize_url(client_id: str, scope: str, challenge: str, method: str = "S256") -> str:
    return "/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI,
        "scope": scope, "state": "st-1", "code_challenge": challenge,
        "code_challenge_method": method,
    })


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return str(match.group(1))


def sign_in(browser: FlaskClient, url: str, email: str, password: str) -> Any:
    """Open the login page like a browser, then post the form with its CSRF token."""
    page = browser.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    return browser.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)),
                                   "email": email, "password": password, "action": "allow"})


def console_as(app: Flask, email: str, password: str, going_to: str = "/console") -> FlaskClient:
    """A browser signed in to the console through the platform's PKCE flow, with the console's
    own client (identity's demo seed registers it)."""
    browser = app.test_client()
    start = browser.get(f"/console/login?next={going_to}")
    back = sign_in(browser, start.headers["Location"], email, password)
    assert back.status_code == 302, back.get_data(as_text=True)
    callback = urlsplit(back.headers["Location"])
    browser.get(f"{callback.path}?{callback.query}")
    return browser


def code_from(response: Any) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["st-1"]
    code: str = query["code"][0]
    return code


def login_with_pkce(app: Flask, client_id: str, email: str, password: str,
                    scope: str) -> dict[str, Any]:
    """The browser flow end to end: authorize, sign in, exchange the code with the verifier."""
    browser = app.test_client()
    verifier, challenge = pkce_pair()
    code = code_from(sign_in(browser, authorize_url(client_id, scope, challenge), email,
                             password))
    response = browser.post("/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
        "client_id": client_id, "code_verifier": verifier,
    })
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body
