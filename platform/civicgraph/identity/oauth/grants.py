"""The three grants, each bound to our storage: clients and refresh tokens in Neo4j, codes in
Redis. Authorization codes need PKCE with S256; refresh tokens rotate on every use, and a rotated
token used again revokes its whole family (RFC 9700, section 4.14)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge

from civicgraph.core.access import scopes_for_roles
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import clients as oauth_repo
from civicgraph.identity.oauth import codes
from civicgraph.identity.oauth.models import AuthorizationCode, RefreshToken, User
from civicgraph.identity.service import accounts


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE is required, and only S256: ``plain`` would hand the verifier to an eavesdropper."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        from authlib.oauth2.rfc6749 import InvalidRequestError

        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256)")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)


def load_user(graph: Graph, person_id: str | None) -> User | None:
    person = accounts.get(graph, person_id) if person_id else None
    if person is None:
        return None
    return User(id=person["id"], roles=list(person["roles"]), name=person["name"],
                organisation_id=accounts.acting_for(person))


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """A scope the client was not registered for is refused, not silently dropped."""
        super().validate_token_request()
        asked = set((self.request.payload.scope or "").split())
        extra = asked - set(self.request.client.scopes)
        if extra:
            from authlib.oauth2.rfc6749 import InvalidScopeError

            raise InvalidScopeError(f"this client may not ask for {' '.join(sorted(extra))}")


def granted_scope(user: User, asked: str | None) -> str:
    """What of the asked scopes the person's roles open: the person's roles cap what a client
    may get on their behalf. Empty when none is (the sign-in then refuses: see
    ``AuthorizationCodeGrant.save_authorization_code``)."""
    allowed = scopes_for_roles(set(user.roles))
    return " ".join(s for s in (asked or "").split() if s in allowed)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code: str, request: Any) -> AuthorizationCode:
        user: User = request.user
        scope = granted_scope(user, request.payload.scope)
        if not scope:
            # Nothing asked is open to the person's roles. An empty scope would not mean "no
            # scope": the token endpoint would fill in every scope the client has (a lab
            # staff member asking for a citizen's consent:read got lab:write and consent:read).
            from authlib.oauth2.rfc6749 import InvalidScopeError

            raise InvalidScopeError("none of the scopes asked for is open to your roles")
        data = AuthorizationCode(
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri or "",
            scope=scope,
            person_id=user.id,
            code_challenge=request.payload.data.get("code_challenge"),
            code_challenge_method=request.payload.data.get("code_challenge_method"),
        )
        ext = self.server.ext
        codes.save(ext.redis, code, data, ext.settings.auth_code_seconds)
        return data

    def query_authorization_code(self, code: str, client: Any) -> AuthorizationCode | None:
        data = codes.take(self.server.ext.redis, code)
        if data is None or data.client_id != client.get_client_id():
            return None
        return data

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: the code was deleted when it was read."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        return load_user(self.server.ext.graph, authorization_code.person_id)


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        graph = self.server.ext.graph
        used = oauth_repo.consume_refresh_token(graph, token_hash(refresh_token))
        if used is None:
            return None
        live, row = used
        if not live:
            if row["revoked"]:
                oauth_repo.revoke_family(graph, row["family"])
            return None
        self.request.refresh_family = row["family"]
        return RefreshToken(row)

    def authenticate_user(self, refresh_token: RefreshToken) -> User | None:
        return load_user(self.server.ext.graph, refresh_token.get_user())

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        """Nothing to do: the old token was revoked when it was used."""


def save_token(ext: Any, token: dict[str, Any], request: Any) -> None:
    """Only refresh tokens are stored (hashed); access tokens are self-contained JWTs."""
    refresh = token.get("refresh_token")
    if not refresh:
        return
    user = request.user
    family = getattr(request, "refresh_family", None) or uuid.uuid4().hex
    oauth_repo.save_refresh_token(ext.graph, {
        "tokenHash": token_hash(refresh),
        "clientId": request.client.get_client_id(),
        "subject": user.id if user else request.client.get_client_id(),
        "personId": user.id if user else None,
        "scope": token.get("scope", ""),
        "family": family,
        "expiresAt": oauth_repo.expires_at(ext.settings.refresh_token_days),
    })
