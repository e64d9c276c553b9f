"""Cypher for OAuth clients and refresh tokens.

Access tokens are signed JWTs and are not stored; authorization codes live in Redis for a minute
(``civicgraph.identity.oauth.codes``). What must outlive a restart is here: clients and refresh
tokens.
Secrets and refresh tokens are stored only as hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.exceptions import ConstraintError

from civicgraph.core.envelope import created, created_map, touched
from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph

_CLIENT = (
    "c {.id, .clientId, .name, .secretHash, .organisationId, .scopes, .grantTypes, "
    ".redirectUris, .authMethod, .revoked, .version, createdAt: toString(c.createdAt), "
    "organisationName: o.name}"
)


def create_client(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """Create a client; None when the owning organisation named does not exist."""
    try:
        records = graph.run(
            "OPTIONAL MATCH (o:Organisation {id: $organisationId}) "
            "WITH o WHERE $organisationId IS NULL OR o IS NOT NULL "
            "CREATE (c:OAuthClient {id: $id, clientId: $clientId, name: $name, "
            "secretHash: $secretHash, organisationId: $organisationId, scopes: $scopes, "
            "grantTypes: $grantTypes, redirectUris: $redirectUris, authMethod: $authMethod, "
            "revoked: false, " + created_map() + "}) "
            "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | "
            "  CREATE (c)-[:OWNED_BY]->(o)) "
            "RETURN " + _CLIENT + " AS client",
            fields,
            write=True,
        )
    except ConstraintError as exc:
        raise Conflict(f"a client with id {fields['clientId']} already exists") from exc
    return dict(records[0]["client"]) if records else None


def get_client(graph: Graph, client_id: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (c:OAuthClient {clientId: $clientId}) "
        "OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Organisation) "
        "RETURN " + _CLIENT + " AS client",
        {"clientId": client_id},
    )
    return dict(records[0]["client"]) if records else None


def list_clients(graph: Graph) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (c:OAuthClient) OPTIONAL MATCH (c)-[:OWNED_BY]->(o:Organisation) "
        "RETURN " + _CLIENT + " AS client ORDER BY c.createdAt, c.clientId"
    )
    return [dict(r["client"]) for r in records]


def revoke_client(graph: Graph, client_id: str) -> bool:
    """Mark the client revoked and every refresh token it holds; False if there is none."""
    records = graph.run(
        "MATCH (c:OAuthClient {clientId: $clientId}) "
        # revokedAt tells the revocation cache how long the client's tokens may still live.
        "SET c.revoked = true, c.revokedAt = coalesce(c.revokedAt, datetime()), "
        + touched("c") + " "
        "WITH c "
        "OPTIONAL MATCH (t:RefreshToken {clientId: $clientId}) WHERE t.revokedAt IS NULL "
        "SET t.revokedAt = datetime() "
        "RETURN count(DISTINCT c) AS clients",
        {"clientId": client_id},
        write=True,
    )
    return bool(records and records[0]["clients"])


def upsert_client(graph: Graph, fields: dict[str, Any]) -> bool:
    """Create the client unless its id exists (then only add missing redirect URIs); True when
    created. Used by the demo seed."""
    records = graph.run(
        "OPTIONAL MATCH (o:Organisation {nameKey: $organisationKey}) "
        "MERGE (c:OAuthClient {clientId: $clientId}) "
        "ON CREATE SET c.id = $id, c.name = $name, c.secretHash = $secretHash, "
        "c.organisationId = o.id, c.scopes = $scopes, c.grantTypes = $grantTypes, "
        "c.redirectUris = $redirectUris, c.authMethod = $authMethod, c.revoked = false, "
        + created("c") + ", c._new = true "
        # A redirect URI added to the demo later (the console's) reaches an existing client.
        "ON MATCH SET c.redirectUris = c.redirectUris + "
        "  [u IN $redirectUris WHERE NOT u IN c.redirectUris] "
        "WITH c, o, coalesce(c._new, false) AS created REMOVE c._new "
        "FOREACH (_ IN CASE WHEN created AND o IS NOT NULL THEN [1] ELSE [] END | "
        "  CREATE (c)-[:OWNED_BY]->(o)) "
        "RETURN created",
        fields,
        write=True,
    )
    return bool(records[0]["created"])


def save_refresh_token(graph: Graph, fields: dict[str, Any]) -> None:
    graph.run(
        "CREATE (t:RefreshToken {tokenHash: $tokenHash, clientId: $clientId, "
        "subject: $subject, personId: $personId, scope: $scope, family: $family, "
        "expiresAt: $expiresAt, createdAt: datetime(), revokedAt: null})",
        fields,
        write=True,
    )


_TOKEN = (
    "t {.tokenHash, .clientId, .subject, .personId, .scope, .family, "
    "expiresAt: t.expiresAt.epochSeconds, revoked: t.revokedAt IS NOT NULL}"
)


def consume_refresh_token(graph: Graph, token_hash: str) -> tuple[bool, dict[str, Any]] | None:
    """Use a refresh token once: (was it live, the token). None when it was never issued.

    The write lock is taken before the check, so two concurrent uses cannot both see it live.
    """
    records = graph.run(
        "MATCH (t:RefreshToken {tokenHash: $tokenHash}) SET t._lock = true "
        "WITH t, t.revokedAt IS NULL AND t.expiresAt > datetime() AS live "
        "SET t.revokedAt = coalesce(t.revokedAt, datetime()) REMOVE t._lock "
        "RETURN live, " + _TOKEN + " AS token",
        {"tokenHash": token_hash},
        write=True,
    )
    if not records:
        return None
    return bool(records[0]["live"]), dict(records[0]["token"])


def revoke_family(graph: Graph, family: str) -> int:
    """A rotated refresh token used again: revoke every token descended from the same login."""
    records = graph.run(
        "MATCH (t:RefreshToken {family: $family}) WHERE t.revokedAt IS NULL "
        "SET t.revokedAt = datetime() RETURN count(t) AS revoked",
        {"family": family},
        write=True,
    )
    return int(records[0]["revoked"])


def find_refresh_token(graph: Graph, token_hash: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (t:RefreshToken {tokenHash: $tokenHash}) "
        "RETURN " + _TOKEN + " AS token, t.expiresAt > datetime() AS unexpired",
        {"tokenHash": token_hash},
    )
    if not records:
        return None
    token = dict(records[0]["token"])
    token["expired"] = not records[0]["unexpired"]
    return token


def revoke_refresh_token(graph: Graph, token_hash: str) -> None:
    graph.run(
        "MATCH (t:RefreshToken {tokenHash: $tokenHash}) WHERE t.revokedAt IS NULL "
        "SET t.revokedAt = datetime()",
        {"tokenHash": token_hash},
        write=True,
    )


def expires_at(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
