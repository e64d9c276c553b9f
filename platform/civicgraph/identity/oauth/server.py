"""Assemble Authlib's authorization server and resource protector for one Flask app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from flask import Flask

from civicgraph.config import Settings
from civicgraph.core.access import SCOPES
from civicgraph.core.graph import Graph
from civicgraph.identity.oauth import grants
from civicgraph.identity.oauth.endpoints import IntrospectionEndpoint, RevocationEndpoint
from civicgraph.identity.oauth.keys import KeyRing, session_secret
from civicgraph.identity.oauth.models import Client
from civicgraph.identity.oauth.tokens import AccessTokenGenerator, ApiTokenValidator, TokenVerifier
from civicgraph.identity.service import clients as oauth_clients


@dataclass
class AuthExtension:
    """What the grants, endpoints and views share; reachable as ``server.ext``."""

    settings: Settings
    graph: Graph
    redis: redis.Redis[bytes]
    keyring: KeyRing
    verifier: TokenVerifier
    server: AuthorizationServer
    protector: ResourceProtector

    def metadata(self) -> dict[str, Any]:
        """RFC 8414 authorization server metadata."""
        base = self.settings.issuer
        auth_methods = ["client_secret_basic", "client_secret_post", "none"]
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "introspection_endpoint": f"{base}/oauth/introspect",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "grant_types_supported": list(oauth_clients.GRANT_TYPES),
            "token_endpoint_auth_methods_supported": auth_methods,
            "introspection_endpoint_auth_methods_supported": auth_methods,
            "revocation_endpoint_auth_methods_supported": auth_methods,
            "code_challenge_methods_supported": ["S256"],
        }


def init_app(app: Flask, settings: Settings, graph: Graph, redis_client: redis.Redis[bytes]
             ) -> AuthExtension:
    keyring = KeyRing(settings.keys_dir)
    verifier = TokenVerifier(settings, keyring, redis_client, graph)

    def query_client(client_id: str) -> Client | None:
        row = oauth_clients.get(graph, client_id)
        return Client(row) if row and not row.get("revoked") else None

    server = AuthorizationServer()
    protector = ResourceProtector()
    ext = AuthExtension(settings, graph, redis_client, keyring, verifier, server, protector)
    server.ext = ext
    server.init_app(app, query_client=query_client,
                    save_token=lambda token, request: grants.save_token(ext, token, request))
    server.scopes_supported = list(SCOPES)
    server.register_token_generator("default", AccessTokenGenerator(settings, keyring))
    server.register_grant(grants.ClientCredentialsGrant)
    server.register_grant(grants.AuthorizationCodeGrant, [grants.S256Only(required=True)])
    server.register_grant(grants.RefreshTokenGrant)
    server.register_endpoint(IntrospectionEndpoint)
    server.register_endpoint(RevocationEndpoint)
    protector.register_token_validator(ApiTokenValidator(verifier))
    app.secret_key = session_secret(settings.keys_dir, settings.secret_key)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.issuer.startswith("https://"))
    app.extensions["civicgraph_auth"] = ext
    return ext
