"""Registering OAuth clients: who may ask for tokens, with which grants and scopes.

The secret is shown once, at creation, and stored as a SHA-256 hash. A client secret is 256 bits
from the system's CSPRNG, so a slow password hash would add nothing but latency to every token
request; people's passwords, which are guessable, get argon2 (``services.accounts``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from civicgraph.compiler.domains import identity as identity_model
from civicgraph.core.access import SCOPES
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import clients as repo

GRANT_TYPES = identity_model.GRANT_TYPES
NAME_MAX = 200


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(client: dict[str, Any], secret: str) -> bool:
    stored = client.get("secretHash") or ""
    return bool(stored) and hmac.compare_digest(stored, hash_secret(secret))


def _check_redirect_uri(uri: str) -> None:
    parts = urlsplit(uri)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.fragment or not parts.netloc or parts.scheme not in {"https", "http"} or (
        parts.scheme == "http" and not loopback
    ):
        raise BadInput(
            f"redirect URI {uri!r} must be absolute https (http only on loopback), "
            "without a fragment",
            field="redirectUris",
        )


def validate(
    *, name: str, scopes: list[str], grant_types: list[str], redirect_uris: list[str],
    public: bool,
) -> None:
    if not name.strip() or len(name) > NAME_MAX:
        raise BadInput(f"name is required, at most {NAME_MAX} characters", field="name")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise BadInput(
            f"scopes must be some of {', '.join(SCOPES)}; unknown: {', '.join(unknown)}",
            field="scopes",
        )
    bad_grants = sorted(set(grant_types) - set(GRANT_TYPES))
    if bad_grants or not grant_types:
        raise BadInput(
            f"grant types must be some of {', '.join(GRANT_TYPES)}", field="grantTypes"
        )
    if "authorization_code" in grant_types and not redirect_uris:
        raise BadInput("the authorization code grant needs a redirect URI", field="redirectUris")
    if "refresh_token" in grant_types and "authorization_code" not in grant_types:
        raise BadInput("refresh tokens come only with the authorization code grant",
                       field="grantTypes")
    if public and "client_credentials" in grant_types:
        raise BadInput("a public client has no secret, so no client credentials grant",
                       field="grantTypes")
    for uri in redirect_uris:
        _check_redirect_uri(uri)


def create(
    graph: Graph,
    *,
    name: str,
    organisation_id: str | None,
    scopes: list[str],
    grant_types: list[str],
    redirect_uris: list[str] | None = None,
    public: bool = False,
) -> tuple[dict[str, Any], str | None]:
    """Create a client; returns it and its secret (None for a public client), shown only now."""
    uris = list(redirect_uris or [])
    validate(name=name, scopes=scopes, grant_types=grant_types, redirect_uris=uris,
             public=public)
    secret = None if public else secrets.token_urlsafe(32)
    fields = {
        "id": str(uuid.uuid4()),
        "clientId": "cg_" + secrets.token_urlsafe(12),
        "name": name.strip(),
        "secretHash": hash_secret(secret) if secret else None,
        "organisationId": organisation_id,
        "scopes": sorted(set(scopes)),
        "grantTypes": sorted(set(grant_types)),
        "redirectUris": uris,
        "authMethod": "none" if public else "client_secret_basic",
    }
    client = repo.create_client(graph, fields)
    if client is None:
        raise NotFound(f"no organisation with id {organisation_id}", field="organisationId")
    return client, secret


def get(graph: Graph, client_id: str) -> dict[str, Any] | None:
    return repo.get_client(graph, client_id)


def list_all(graph: Graph) -> list[dict[str, Any]]:
    return repo.list_clients(graph)


def revoke(graph: Graph, client_id: str) -> None:
    if not repo.revoke_client(graph, client_id):
        raise NotFound(f"no client with id {client_id}", field="clientId")


def ensure_demo_client(
    graph: Graph, *, client_id: str, secret: str | None, name: str,
    organisation_key: str | None, scopes: list[str], grant_types: list[str],
    redirect_uris: list[str],
) -> bool:
    """A client with a known id and secret, for the demo only; True when it was created."""
    validate(name=name, scopes=scopes, grant_types=grant_types, redirect_uris=redirect_uris,
             public=secret is None)
    return repo.upsert_client(graph, {
        "id": str(uuid.uuid4()), "clientId": client_id, "name": name,
        "secretHash": hash_secret(secret) if secret else None,
        "organisationKey": organisation_key, "scopes": scopes, "grantTypes": grant_types,
        "redirectUris": redirect_uris,
        "authMethod": "none" if secret is None else "client_secret_basic",
    })
