"""Introspection (RFC 7662) and revocation (RFC 7009) for both kinds of token we issue.

A client may introspect or revoke only tokens issued to it; a client allowed the ``admin`` scope
(a resource server run by the platform) may introspect any.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc7009 import RevocationEndpoint as _Revocation
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _Introspection

from civicgraph.core.access import ADMIN, InvalidToken
from civicgraph.identity.cypher import clients as oauth_repo
from civicgraph.identity.oauth.grants import token_hash
from civicgraph.identity.oauth.models import RefreshToken
from civicgraph.identity.oauth.tokens import AccessToken

_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def _find(ext: Any, token_string: str, hint: str | None) -> AccessToken | RefreshToken | None:
    if hint != "refresh_token":
        try:
            return AccessToken(ext.verifier.decode(token_string))
        except InvalidToken:
            if hint == "access_token":
                return None
    row = oauth_repo.find_refresh_token(ext.graph, token_hash(token_string))
    return RefreshToken(row, live=False) if row else None


class IntrospectionEndpoint(_Introspection):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        return _find(self.server.ext, token_string, token_type_hint)

    def check_permission(self, token: Any, client: Any, request: Any) -> bool:
        return bool(token.check_client(client)) or ADMIN in client.scopes

    def create_introspection_payload(self, token: Any) -> dict[str, Any]:
        if token is None or token.is_expired():
            return {"active": False}
        if isinstance(token, AccessToken):
            if self.server.ext.verifier.is_revoked(token.claims):
                return {"active": False}
            claims = token.claims
            keys = ("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "jti", "org_id",
                    "roles")
            return {"active": True, "token_type": "Bearer",
                    **{k: claims[k] for k in keys if k in claims}}
        if token.is_revoked():
            return {"active": False}
        row = token.row
        return {"active": True, "token_type": "refresh_token", "scope": row["scope"],
                "client_id": row["clientId"], "sub": row["subject"],
                "exp": int(row["expiresAt"])}


class RevocationEndpoint(_Revocation):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        return _find(self.server.ext, token_string, token_type_hint)

    def revoke_token(self, token: Any, request: Any) -> None:
        ext = self.server.ext
        if isinstance(token, AccessToken):
            ext.verifier.revoke(token.claims)
        else:
            oauth_repo.revoke_refresh_token(ext.graph, token.row["tokenHash"])
