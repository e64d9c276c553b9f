"""The app served by gunicorn over real HTTP, for tests that need concurrent requests reaching
separate worker processes and threads (the Flask test client runs one request at a time).

An in-process app shares the served app's signing keys and issuer, so tokens minted through
its real endpoints (client credentials, the PKCE sign-in) are accepted by the served one.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from argon2 import PasswordHasher
from flask import Flask

from civicgraph.cli import devstack
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity.oauth.keys import KeyRing
from tests.builders import create_client, create_public_client, fetch_token, login_with_pkce

PASSWORD = "a long reliability password"
_HASH = PasswordHasher().hash(PASSWORD)


@dataclass
class Served:
    base: str
    app: Flask
    graph: Graph

    def token(self, scopes: list[str], organisation_id: str | None = None) -> str:
        client_id, secret = create_client(self.graph, scopes, organisation_id)
        return str(fetch_token(self.app.test_client(), client_id, secret)["access_token"])

    def person_token(self, actor: Actor, scope: str) -> str:
        """Give the person a password and sign in through the real login page (PKCE)."""
        email = f"{actor.id}@reliability.example"
        self.graph.run("MATCH (p:Person {id: $id}) SET p.email = $email, p.passwordHash = $hash",
                       {"id": actor.id, "email": email, "hash": _HASH}, write=True)
        console = create_public_client(self.graph, scope.split())
        return str(login_with_pkce(self.app, console, email, PASSWORD, scope)["access_token"])

    def session(self, token: str) -> requests.Session:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        return http

    def gql(self, http: requests.Session, query: str, variables: dict[str, Any]
            ) -> tuple[int, dict[str, Any]]:
        response = http.post(f"{self.base}/graphql", json={"query": query,
                                                           "variables": variables}, timeout=60)
        body: dict[str, Any] = response.json()
        return response.status_code, body


@pytest.fixture(scope="session")
def served(services: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Served]:
    from civicgraph.app import create_app

    keys = tmp_path_factory.mktemp("served-keys")
    KeyRing(keys).signing_key()  # one key, made before two kinds of process read the folder
    port = devstack.free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app({"keys_dir": keys, "issuer": base, "token_rate_per_ip": 1_000_000,
                      "token_rate_per_client": 1_000_000})
    app.testing = True
    env = dict(os.environ)
    env.update(CIVICGRAPH_ISSUER=base, CIVICGRAPH_KEYS_DIR=str(keys), CIVICGRAPH_ENV="test")
    web = devstack.web_service(env, "127.0.0.1", port, services["logs"] / "reliability-web.log")
    web.start()
    try:
        def answers() -> bool:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                return bool(response.status == 200)

        devstack.wait_until(answers, 60, "the served web app", web.alive)
        yield Served(base, app, services["graph"])
    finally:
        web.stop()
