"""`civicgraph clients create|list|revoke` and `keys rotate`, on the real graph and Redis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask

from civicgraph.cli import main
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.service import organisations
from tests.builders import bearer, fetch_token


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


def test_clients_create_list_and_revoke(app: Flask, graph: Graph) -> None:
    org = organisations.register(graph, name="Feed Co", kind="EMPLOYER", region="North",
                                 description=None)
    made = run("clients", "create", "--name", "Feed", "--organisation", org["id"],
               "--scope", "graph:read", "--scope", "graph:write")
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    assert created["scopes"] == ["graph:read", "graph:write"] and created["clientSecret"]

    listed = [json.loads(line) for line in run("clients", "list").output.splitlines()]
    assert [c["clientId"] for c in listed] == [created["clientId"]]
    assert "secretHash" not in listed[0] and listed[0]["organisationName"] == "Feed Co"

    token = fetch_token(app.test_client(), created["clientId"], created["clientSecret"])
    live = bearer(app, token["access_token"])
    read = {"query": "{ partnerFeeds(first: 1) { totalCount } }"}
    assert live.post("/graphql", json=read).status_code == 200

    assert run("clients", "revoke", created["clientId"]).exit_code == 0
    fetch_token(app.test_client(), created["clientId"], created["clientSecret"], status=401)
    # Its token issued before the revocation stops working at once, not at expiry.
    assert live.post("/graphql", json=read).status_code == 401

    bad = CliRunner().invoke(main, ["clients", "create", "--name", "X", "--scope", "root"])
    assert bad.exit_code != 0 and "scopes must be some of" in bad.output
    unknown = run("clients", "revoke", "no-such-client")
    assert unknown.exit_code != 0 and "no client with id" in unknown.output


def test_keys_rotate_adds_a_signing_key(tmp_path: Path) -> None:
    env = {"CIVICGRAPH_KEYS_DIR": str(tmp_path)}
    first = json.loads(run("keys", "rotate", env=env).output)
    second = json.loads(run("keys", "rotate", env=env).output)
    assert first["signingKey"] != second["signingKey"]
    kids = sorted(p.name.split(".")[0] for p in tmp_path.glob("*.jwk.json"))
    # The key made on first use, then one per rotation; none retired long enough to go.
    assert len(kids) == 3 and kids[-1] == second["signingKey"]
    assert second["removed"] == []
    assert all(p.stat().st_mode & 0o077 == 0 for p in tmp_path.glob("*.jwk.json"))
