"""The token endpoint and what it issues: RFC 9068 JWTs, JWKS, rotation, refresh tokens,
introspection and revocation; every token here comes from the real endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from civicgraph.config import Settings
from civicgraph.core.graph import Graph
from civicgraph.identity.service import accounts
from civicgraph.identity.service import clients as oauth_clients
from civicgraph.partner_graph.service import organisations
from tests.builders import (
    authorize_url,
    bearer,
    create_client,
    create_public_client,
    fetch_token,
    gql,
    login_with_pkce,
    pkce_pair,
    sign_in,
)
from tests.identity.builders import decode, other_app

TASK = '{ partnerFeeds(first: 1) { totalCount } }'


def test_client_credentials_token_is_an_rfc9068_jwt(app: Flask, graph: Graph) -> None:
    org = organisations.register(graph, name="SkillBridge", kind="START_UP", region="North",
                                 description=None)
    client_id, secret = create_client(graph, ["graph:read", "graph:write"], org["id"])
    body = fetch_token(app.test_client(), client_id, secret, scope="graph:read")
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    assert body["scope"] == "graph:read"
    assert "refresh_token" not in body
    token = decode(app, body["access_token"])
    assert token.header["typ"] == "at+jwt" and token.header["alg"] == "RS256"
    claims = token.claims
    settings: Settings = app.extensions["civicgraph"]["settings"]
    assert claims["iss"] == settings.issuer
    assert claims["aud"] == settings.audience
    assert claims["sub"] == claims["client_id"] == client_id
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["scope"] == "graph:read"
    assert claims["org_id"] == org["id"]
    assert len(claims["jti"]) >= 16
    assert gql(bearer(app, body["access_token"]), TASK)["data"]["partnerFeeds"]["totalCount"] == 0


def test_metadata_names_the_endpoints(app: Flask) -> None:
    meta = app.test_client().get("/.well-known/oauth-authorization-server").get_json()
    assert meta["issuer"] == app.extensions["civicgraph"]["settings"].issuer
    assert meta["token_endpoint"].endswith("/oauth/token")
    assert meta["jwks_uri"].endswith("/.well-known/jwks.json")
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert set(meta["grant_types_supported"]) == set(oauth_clients.GRANT_TYPES)
    assert "admin" in meta["scopes_supported"]


def test_bad_credentials_and_scopes_are_refused(app: Flask, graph: Graph) -> None:
    client_id, secret = create_client(graph, ["graph:read"])
    web = app.test_client()
    response = web.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret + "x"))
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"
    response = web.post("/oauth/token", data={"grant_type": "client_credentials",
                                              "scope": "admin"}, auth=(client_id, secret))
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_scope"
    response = web.post("/oauth/token", data={"grant_type": "password", "username": "x",
                                              "password": "y"}, auth=(client_id, secret))
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_a_revoked_client_gets_no_token_and_its_live_tokens_stop(
    app: Flask, graph: Graph
) -> None:
    client_id, secret = create_client(graph, ["graph:read"])
    token = fetch_token(app.test_client(), client_id, secret)["access_token"]
    oauth_clients.revoke(graph, client_id)
    from civicgraph.identity.oauth.tokens import mark_client_revoked

    mark_client_revoked(app.extensions["civicgraph"]["redis"], client_id)
    fetch_token(app.test_client(), client_id, secret, status=401)
    response = bearer(app, token).post("/graphql", json={"query": TASK})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_lifetime_is_configurable_within_5_to_60_minutes(graph: Graph, tmp_path: Path) -> None:
    short = other_app(tmp_path, access_token_minutes=5)
    client_id, secret = create_client(graph, ["graph:read"])
    assert fetch_token(short.test_client(), client_id, secret)["expires_in"] == 300
    for minutes in (4, 61):
        with pytest.raises(ValueError, match="between 5 and 60"):
            Settings(access_token_minutes=minutes)


def test_key_rotation_keeps_live_tokens_valid(graph: Graph, tmp_path: Path) -> None:
    rotating = other_app(tmp_path)
    client_id, secret = create_client(graph, ["graph:read"])
    before = fetch_token(rotating.test_client(), client_id, secret)["access_token"]
    old_kid = decode(rotating, before).header["kid"]
    new_kid, removed = rotating.extensions["civicgraph_auth"].keyring.rotate()
    assert removed == []
    after = fetch_token(rotating.test_client(), client_id, secret)["access_token"]
    assert decode(rotating, after).header["kid"] == new_kid != old_kid
    kids = [k["kid"] for k in rotating.test_client().get("/.well-known/jwks.json")
            .get_json()["keys"]]
    assert kids == [old_kid, new_kid]
    assert all("d" not in k for k in rotating.test_client().get("/.well-known/jwks.json")
               .get_json()["keys"])  # public halves only
    for token in (before, after):
        response = bearer(rotating, token).post("/graphql", json={"query": TASK})
        assert response.status_code == 200, response.get_json()


def _citizen_login(app: Flask, graph: Graph) -> tuple[str, dict[str, Any]]:
    accounts.create(graph, email="c@example.org", name="C", password="a long password",
                    roles=["CITIZEN"])
    console = create_public_client(graph, ["consent:read", "consent:write"])
    return console, login_with_pkce(app, console, "c@example.org", "a long password",
                                    "consent:read")


def refresh(app: Flask, client_id: str, token: str) -> Any:
    return app.test_client().post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": token, "client_id": client_id})


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(
    app: Flask, graph: Graph
) -> None:
    console, first = _citizen_login(app, graph)
    assert first["refresh_token"]
    response = refresh(app, console, first["refresh_token"])
    assert response.status_code == 200, response.get_json()
    second = response.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == "consent:read"
    assert decode(app, second["access_token"]).claims["roles"] == ["CITIZEN"]
    reused = refresh(app, console, first["refresh_token"])
    assert reused.status_code == 400 and reused.get_json()["error"] == "invalid_grant"
    # The reuse looked like theft: the token that replaced it stops working too.
    assert refresh(app, console, second["refresh_token"]).status_code == 400


def test_introspection_and_revocation(app: Flask, graph: Graph) -> None:
    client_id, secret = create_client(graph, ["graph:read"])
    other_id, other_secret = create_client(graph, ["graph:read"])
    web = app.test_client()
    token = fetch_token(web, client_id, secret)["access_token"]

    info = web.post("/oauth/introspect", data={"token": token}, auth=(client_id, secret))
    assert info.status_code == 200
    body = info.get_json()
    assert body["active"] is True and body["client_id"] == client_id
    assert body["scope"] == "graph:read" and body["token_type"] == "Bearer"
    # Another client may not look at this client's token.
    nosy = web.post("/oauth/introspect", data={"token": token}, auth=(other_id, other_secret))
    assert nosy.get_json() == {"active": False}
    assert web.post("/oauth/introspect", data={"token": "garbage"},
                    auth=(client_id, secret)).get_json() == {"active": False}

    assert web.post("/oauth/revoke", data={"token": token},
                    auth=(client_id, secret)).status_code == 200
    assert web.post("/oauth/introspect", data={"token": token},
                    auth=(client_id, secret)).get_json() == {"active": False}
    response = bearer(app, token).post("/graphql", json={"query": TASK})
    assert response.status_code == 401


def test_a_revoked_refresh_token_cannot_refresh(app: Flask, graph: Graph) -> None:
    console, tokens = _citizen_login(app, graph)
    web = app.test_client()
    info = web.post("/oauth/introspect", data={"token": tokens["refresh_token"],
                                               "client_id": console})
    assert info.get_json()["active"] is True
    assert web.post("/oauth/revoke", data={"token": tokens["refresh_token"],
                                           "token_type_hint": "refresh_token",
                                           "client_id": console}).status_code == 200
    assert refresh(app, console, tokens["refresh_token"]).status_code == 400


def test_a_person_asking_only_for_scopes_their_roles_do_not_open_gets_none(
    app: Flask, graph: Graph
) -> None:
    """Capping the asked scopes by the roles must not leave an empty scope, which the token
    endpoint would read as "every scope the client has": a staff member asking for a
    citizen's consent:read was given lab:write and consent:read."""
    accounts.create(graph, email="sam@example.org", name="Sam", password="a long password",
                    roles=["LAB_STAFF"])
    client = create_public_client(graph, ["graph:read", "lab:write", "consent:read"])
    browser = app.test_client()
    _verifier, challenge = pkce_pair()
    refused = sign_in(browser, authorize_url(client, "consent:read", challenge),
                      "sam@example.org", "a long password")
    assert refused.status_code == 403 and "Location" not in refused.headers
    assert "sign in with another account" in refused.get_data(as_text=True)
    # What the roles do open is still given, and only that.
    token = login_with_pkce(app, client, "sam@example.org", "a long password",
                            "consent:read lab:write")
    assert token["scope"] == "lab:write"
