"""Revoked access tokens and revoked clients as the graph keeps them: the truth that the Redis
cache of revocations is rebuilt from after a Redis restart or loss (``oauth.tokens``).

Access tokens are JWTs that are not stored, so a revocation is a node of its own, kept until the
token would have expired. A revoked client is its ``OAuthClient`` node with ``revokedAt``.
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph


def record_revoked_token(graph: Graph, jti: str, client_id: str, expires_at: int) -> None:
    """Remember a revoked token until ``expires_at`` (epoch seconds); a second revoke is a no-op.
    Expired revocations are removed on the way, so the set never grows past the live tokens."""
    graph.run(
        "MERGE (r:RevokedAccessToken {jti: $jti}) "
        "ON CREATE SET r.clientId = $clientId, r.expiresAt = datetime({epochSeconds: $exp}), "
        "  r.revokedAt = datetime() "
        "WITH count(*) AS done "
        "CALL () { MATCH (old:RevokedAccessToken) WHERE old.expiresAt < datetime() "
        "  WITH old LIMIT 1000 DELETE old }",
        {"jti": jti, "clientId": client_id, "exp": expires_at},
        write=True,
    )


def live_revocations(graph: Graph, client_window_seconds: int) -> dict[str, Any]:
    """What the cache must hold: each revoked token not yet expired (jti, seconds left), and
    each client revoked within ``client_window_seconds`` (its tokens may still be alive)."""
    records = graph.run(
        "CALL () { MATCH (r:RevokedAccessToken) WHERE r.expiresAt > datetime() "
        "  RETURN collect([r.jti, r.expiresAt.epochSeconds - datetime().epochSeconds]) "
        "  AS tokens } "
        "CALL () { MATCH (c:OAuthClient) WHERE c.revoked = true AND (c.revokedAt IS NULL OR "
        "  c.revokedAt > datetime() - duration({seconds: $window})) "
        "  RETURN collect(c.clientId) AS clients } "
        "RETURN tokens, clients",
        {"window": client_window_seconds},
    )
    row = records[0]
    return {"tokens": [(str(j), int(s)) for j, s in row["tokens"]],
            "clients": [str(c) for c in row["clients"]]}
