"""The objects Authlib's grants and endpoints expect, built from what the services return."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin

from civicgraph.identity.service import clients as oauth_clients


class Client(ClientMixin):  # type: ignore[misc]
    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.client_id: str = row["clientId"]
        self.organisation_id: str | None = row.get("organisationId")
        self.scopes: list[str] = list(row.get("scopes") or [])
        self.grant_types: list[str] = list(row.get("grantTypes") or [])
        self.redirect_uris: list[str] = list(row.get("redirectUris") or [])
        self.auth_method: str = row.get("authMethod") or "client_secret_basic"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return oauth_clients.secret_matches(self.row, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.auth_method == "none":
            return method == "none"
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class User:
    """A signed-in person, as grants and the token generator see them."""

    id: str
    roles: list[str]
    name: str = ""
    organisation_id: str | None = None
    """The organisation they act for (``accounts.acting_for``): their token's ``org_id``."""

    def get_user_id(self) -> str:
        return self.id


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]
    client_id: str
    redirect_uri: str
    scope: str
    person_id: str
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_nonce(self) -> None:
        return None


class RefreshToken(TokenMixin):  # type: ignore[misc]
    def __init__(self, row: dict[str, Any], *, live: bool = True) -> None:
        self.row = row
        self.live = live

    def check_client(self, client: ClientMixin) -> bool:
        return bool(self.row["clientId"] == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.row.get("scope") or "")

    def get_expires_in(self) -> int:
        return max(0, int(self.row["expiresAt"]) - int(time.time()))

    def is_expired(self) -> bool:
        return bool(self.row.get("expired")) or self.get_expires_in() <= 0

    def is_revoked(self) -> bool:
        return bool(self.row.get("revoked")) and not self.live

    def get_user(self) -> str | None:
        person: str | None = self.row.get("personId")
        return person

    def get_client(self) -> Any:
        return self.row["clientId"]
