"""The browser flow: authorization code with PKCE (S256 only), a real login form with CSRF."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from civicgraph.core.graph import Graph
from civicgraph.identity.service import accounts
from tests.builders import (
    REDIRECT_URI,
    authorize_url,
    code_from,
    create_public_client,
    csrf_of,
    login_with_pkce,
    pkce_pair,
    sign_in,
)
from tests.identity.builders import decode

PASSWORD = "a long password"


@pytest.fixture
def console(graph: Graph) -> str:
    accounts.create(graph, email="staff@example.org", name="Sam Staff", password=PASSWORD,
                    roles=["LAB_STAFF"])
    return create_public_client(graph, ["graph:read", "graph:write", "lab:write", "admin"])


def test_staff_sign_in_and_get_a_token_capped_by_their_role(
    app: Flask, graph: Graph, console: str
) -> None:
    tokens = login_with_pkce(app, console, "Staff@Example.org", PASSWORD,
                             "graph:read lab:write admin")
    claims = decode(app, tokens["access_token"]).claims
    assert claims["roles"] == ["LAB_STAFF"]
    assert claims["scope"] == "graph:read lab:write"  # admin is beyond the role
    person = accounts.authenticate(graph, "staff@example.org", PASSWORD)
    assert person is not None and claims["sub"] == person["id"]
    assert claims["client_id"] == console
    assert tokens["refresh_token"]


def test_the_login_page_is_a_form_with_a_csrf_token(app: Flask, console: str) -> None:
    _, challenge = pkce_pair()
    page = app.test_client().get(authorize_url(console, "graph:read", challenge))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert 'type="password"' in html and csrf_of(html)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "read the partner graph" in html


def test_pkce_is_required_and_only_s256(app: Flask, console: str) -> None:
    web = app.test_client()
    verifier, _ = pkce_pair()
    no_pkce = web.get("/oauth/authorize?response_type=code&client_id=" + console
                      + "&redirect_uri=" + REDIRECT_URI + "&scope=graph:read")
    assert no_pkce.status_code == 400
    plain = web.get(authorize_url(console, "graph:read", verifier, method="plain"))
    assert plain.status_code == 400
    assert "S256" in plain.get_json()["error_description"]


def test_a_code_needs_its_verifier_and_works_once(app: Flask, console: str) -> None:
    browser = app.test_client()
    verifier, challenge = pkce_pair()
    url = authorize_url(console, "graph:read", challenge)
    code = code_from(sign_in(browser, url, "staff@example.org", PASSWORD))
    exchange = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": REDIRECT_URI, "client_id": console}
    wrong = browser.post("/oauth/token", data={**exchange, "code_verifier": pkce_pair()[0]})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "invalid_grant"
    # A failed exchange used the code up: the right verifier is too late now.
    late = browser.post("/oauth/token", data={**exchange, "code_verifier": verifier})
    assert late.status_code == 400

    code = code_from(sign_in(browser, url, "staff@example.org", PASSWORD))
    ok = browser.post("/oauth/token", data={**{**exchange, "code": code},
                                            "code_verifier": verifier})
    assert ok.status_code == 200
    again = browser.post("/oauth/token", data={**{**exchange, "code": code},
                                               "code_verifier": verifier})
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"


def test_forged_or_replayed_forms_are_refused(app: Flask, console: str) -> None:
    browser = app.test_client()
    url = authorize_url(console, "graph:read", pkce_pair()[1])
    browser.get(url)
    forged = browser.post(url, data={"csrf_token": "made-up", "email": "staff@example.org",
                                     "password": PASSWORD, "action": "allow"})
    assert forged.status_code == 400 and "Location" not in forged.headers
    # A cross-site post carries no session cookie at all.
    fresh = app.test_client().post(url, data={"email": "staff@example.org",
                                              "password": PASSWORD, "action": "allow"})
    assert fresh.status_code == 400 and "Location" not in fresh.headers


def test_wrong_password_shows_the_form_again(app: Flask, console: str) -> None:
    browser = app.test_client()
    url = authorize_url(console, "graph:read", pkce_pair()[1])
    response = sign_in(browser, url, "staff@example.org", "not the password")
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True)
    unknown = sign_in(browser, url, "nobody@example.org", PASSWORD)
    assert unknown.status_code == 401


def test_deny_sends_the_user_back_with_access_denied(app: Flask, console: str) -> None:
    browser = app.test_client()
    url = authorize_url(console, "graph:read", pkce_pair()[1])
    page = browser.get(url)
    response = browser.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)),
                                       "action": "deny"})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and "code" not in query


def test_an_unregistered_redirect_uri_is_never_redirected_to(app: Flask, console: str) -> None:
    url = authorize_url(console, "graph:read", pkce_pair()[1]).replace(
        "127.0.0.1%3A9", "evil.example")
    response = app.test_client().get(url)
    assert response.status_code == 400 and "Location" not in response.headers
