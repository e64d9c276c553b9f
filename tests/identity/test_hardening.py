"""Attacks on tokens and the token endpoint, each refused; production hides what it should."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from joserfc import jwt
from joserfc.jwk import RSAKey

from civicgraph.core.graph import Graph
from tests.builders import bearer, create_client, fetch_token, gql
from tests.identity.builders import other_app

TASK = '{ partnerFeeds(first: 1) { totalCount } }'


@pytest.fixture
def real(app: Flask, graph: Graph) -> dict[str, Any]:
    """A real token from the real endpoint, and its claims as the server wrote them."""
    client_id, secret = create_client(graph, ["graph:read"])
    token = fetch_token(app.test_client(), client_id, secret)["access_token"]
    parts = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=="))
    claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=="))
    return {"token": token, "header": header, "claims": claims}


def refused(app: Flask, token: str) -> None:
    response = bearer(app, token).post("/graphql", json={"query": TASK})
    assert response.status_code == 401, response.get_json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    body = response.get_json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Traceback" not in response.get_data(as_text=True)


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def server_key(app: Flask) -> RSAKey:
    key: RSAKey = app.extensions["civicgraph_auth"].keyring.signing_key()
    return key


def test_the_real_token_works(app: Flask, real: dict[str, Any]) -> None:
    assert bearer(app, real["token"]).post("/graphql", json={"query": TASK}).status_code == 200


def test_unsigned_token_is_refused(app: Flask, real: dict[str, Any]) -> None:
    header = {**real["header"], "alg": "none"}
    refused(app, f"{b64(header)}.{b64(real['claims'])}.")


def test_token_signed_with_another_key_is_refused(app: Flask, real: dict[str, Any]) -> None:
    impostor = RSAKey.generate_key(2048, parameters={"kid": real["header"]["kid"]})
    refused(app, jwt.encode(real["header"], real["claims"], impostor))


def test_hmac_signed_with_the_public_key_is_refused(app: Flask, real: dict[str, Any]) -> None:
    # The classic algorithm confusion, forged by hand (joserfc itself will not do it).
    public_pem = server_key(app).as_pem(private=False)
    signing_input = f"{b64({**real['header'], 'alg': 'HS256'})}.{b64(real['claims'])}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    refused(app, signing_input + "." + base64.urlsafe_b64encode(mac).decode().rstrip("="))


def test_tampered_claims_are_refused(app: Flask, real: dict[str, Any]) -> None:
    header, _, signature = real["token"].split(".")
    claims = {**real["claims"], "scope": "admin"}
    refused(app, f"{header}.{b64(claims)}.{signature}")


@pytest.mark.parametrize("change", [
    {"exp": int(time.time()) - 10, "iat": int(time.time()) - 910},  # expired
    {"aud": "some-other-api"},  # for another audience
    {"iss": "https://impostor.example"},  # another issuer
])
def test_expired_or_misaddressed_tokens_are_refused(
    app: Flask, real: dict[str, Any], change: dict[str, Any]
) -> None:
    # Signed with the server's own key, as if it had issued them: only the claims are wrong.
    claims = {**real["claims"], **change, "jti": uuid.uuid4().hex}
    refused(app, jwt.encode(real["header"], claims, server_key(app)))


def test_a_token_of_another_type_is_refused(app: Flask, real: dict[str, Any]) -> None:
    header = {**real["header"], "typ": "JWT"}
    refused(app, jwt.encode(header, real["claims"], server_key(app)))


def test_revoked_token_is_refused(app: Flask, graph: Graph) -> None:
    client_id, secret = create_client(graph, ["graph:read"])
    token = fetch_token(app.test_client(), client_id, secret)["access_token"]
    app.test_client().post("/oauth/revoke", data={"token": token}, auth=(client_id, secret))
    refused(app, token)


@pytest.mark.parametrize("header", ["Bearer", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "x"])
def test_malformed_authorization_headers_get_401_without_a_trace(
    client: Any, header: str
) -> None:
    response = client.post("/graphql", json={"query": TASK}, headers={"Authorization": header})
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    assert "Traceback" not in response.get_data(as_text=True)


def test_token_endpoint_is_rate_limited_per_client_and_per_ip(
    graph: Graph, tmp_path: Path
) -> None:
    limited = other_app(tmp_path, token_rate_per_client=3, token_rate_per_ip=5,
                        token_rate_window=60)
    client_id, secret = create_client(graph, ["graph:read"])
    other_id, other_secret = create_client(graph, ["graph:read"])
    web = limited.test_client()
    ip = {"REMOTE_ADDR": f"127.1.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"}

    def ask(cid: str, sec: str) -> Any:
        return web.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(cid, sec), environ_base=ip)

    assert [ask(client_id, secret).status_code for _ in range(3)] == [200, 200, 200]
    blocked = ask(client_id, secret)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert blocked.get_json()["error"] == "rate_limited"
    # Another client from the same address: its 5th request passes, its 6th meets the
    # address's limit (5) although the client itself has made only two.
    assert [ask(other_id, other_secret).status_code for _ in range(2)] == [200, 429]
    # Wrong secrets count too: guessing is throttled per client id, before authentication.
    fresh_ip = {"REMOTE_ADDR": f"127.2.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"}
    guesser_id, _ = create_client(graph, ["graph:read"])
    guesses = [web.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(guesser_id, "guess"), environ_base=fresh_ip).status_code
               for _ in range(4)]
    assert guesses == [401, 401, 401, 429]


def test_production_hides_introspection_graphiql_and_cypher(
    graph: Graph, tmp_path: Path
) -> None:
    prod = other_app(tmp_path, env="production", graphiql=True, debug_cypher=True)
    web = prod.test_client()
    body = gql(web, "{ __schema { types { name } } }", status=400)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    body = gql(web, '{ __type(name: "Query") { name } }', status=400)
    assert "introspection is off" in body["errors"][0]["message"]
    page = web.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404
    listed = gql(web, "{ __typename organisations { totalCount } }")
    assert listed["data"]["organisations"]["totalCount"] == 0
    assert "extensions" not in listed  # no Cypher in answers


def test_introspection_answers_in_development(client: Any) -> None:
    body = gql(client, "{ __schema { queryType { name } } }")
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
