"""JWT access tokens (RFC 9068): issued by the token endpoint, verified on every API request.

Verification accepts RS256 only, with a key from our own JWKS, the ``at+jwt`` type, our issuer
and audience, an unexpired ``exp``; and refuses a token whose ``jti`` was revoked (RFC 7009) or
whose client was revoked.

Revocations are kept in Neo4j (``identity.cypher.revocations``) and cached in Redis, so every
request checks them in one pipelined Redis round trip and no Cypher. The cache cannot be trusted
to be there: a Redis started without persistence, restarted or replaced comes back empty, and a
revoked token would be accepted again. So the cache carries a marker key, written only after
the cache was filled from the graph; a check that finds no marker refills it first. A revocation
is written to the graph before the cache, so whichever way a refill and a revoke interleave,
the revoked token is refused. The cache keys expire with the tokens they name.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import redis
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from civicgraph.config import Settings
from civicgraph.core.access import InvalidToken, Principal
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import revocations
from civicgraph.identity.oauth.keys import ALG, MAX_TOKEN_SECONDS, KeyRing

_REVOKED_JTI = "civicgraph:oauth:revoked-jti:"
_REVOKED_CLIENT = "civicgraph:oauth:revoked-client:"
# Tokens whose signatures were checked, kept per process (see TokenVerifier.decode); a bound
# so that a flood of distinct tokens cannot grow it without end.
_SIGNED_KEPT = 10_000
# Present only while the cache holds every revocation the graph does (no expiry).
_CACHE_FILLED = "civicgraph:oauth:revocations-cached"
# A revoked client's cache entry lives as long as any token issued before its revocation.
_CLIENT_TTL = MAX_TOKEN_SECONDS + 60


class AccessTokenGenerator(JWTBearerTokenGenerator):  # type: ignore[misc]
    def __init__(self, settings: Settings, keyring: KeyRing) -> None:
        lifetime = settings.access_token_minutes * 60
        super().__init__(
            issuer=settings.issuer,
            alg=ALG,
            refresh_token_generator=lambda **kwargs: generate_token(48),
            expires_generator=lambda client, grant_type: lifetime,
        )
        self.settings = settings
        self.keyring = keyring

    def get_jwks(self) -> KeySet:
        return KeySet([self.keyring.signing_key()])

    def get_audiences(self, client: Any, user: Any, scope: str) -> str:
        return self.settings.audience

    def get_jti(self, client: Any, grant_type: str, user: Any, scope: str) -> str:
        return uuid.uuid4().hex

    def get_extra_claims(self, client: Any, grant_type: str, user: Any, scope: str
                         ) -> dict[str, Any]:
        claims: dict[str, Any] = {}
        # An organisation's own client acts for it; a person signed in through a public client
        # acts for the organisation they belong to.
        organisation = getattr(client, "organisation_id", None) or getattr(
            user, "organisation_id", None)
        if organisation:
            claims["org_id"] = organisation
        if user is not None:
            claims["roles"] = list(user.roles)
        return claims


class AccessToken(TokenMixin):  # type: ignore[misc]
    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims

    def get_scope(self) -> str:
        return str(self.claims.get("scope") or "")

    def get_expires_in(self) -> int:
        return int(self.claims["exp"]) - int(time.time())

    def is_expired(self) -> bool:
        return self.get_expires_in() <= 0

    def is_revoked(self) -> bool:
        return False  # checked while verifying

    def check_client(self, client: Any) -> bool:
        return bool(self.claims.get("client_id") == client.get_client_id())

    def principal(self) -> Principal:
        roles = frozenset(self.claims.get("roles") or [])
        person = self.claims["sub"] if self.claims["sub"] != self.claims["client_id"] else None
        return Principal(
            subject=self.claims["sub"],
            client_id=self.claims["client_id"],
            organisation_id=self.claims.get("org_id"),
            scopes=frozenset(self.get_scope().split()),
            roles=roles,
            person_id=person,
        )


class TokenVerifier:
    def __init__(
        self, settings: Settings, keyring: KeyRing, redis_client: redis.Redis[bytes],
        graph: Graph,
    ) -> None:
        self.settings = settings
        self.keyring = keyring
        self.redis = redis_client
        self.graph = graph
        self.registry = JWTClaimsRegistry(
            iss={"essential": True, "value": settings.issuer},
            aud={"essential": True, "value": settings.audience},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            jti={"essential": True},
            client_id={"essential": True},
        )
        self._signed: dict[str, tuple[list[Any], dict[str, Any]]] = {}

    def decode(self, token: str) -> dict[str, Any]:
        """Signature, type and claims; raises InvalidToken. Revocation is checked separately.

        A client sends the same token with every request until it expires, so a token whose
        signature was checked against the current keys is remembered (``_signed``): its
        signature cannot stop being valid while those keys stay, and the claims (expiry
        first) are still validated on every call. A rotation that adds or drops a key makes
        a new key list, which no remembered entry matches.
        """
        keys = self.keyring.current()
        seen = self._signed.get(token)
        if seen is not None and seen[0] is keys:
            claims = seen[1]
        else:
            try:
                decoded = jwt.decode(token, KeySet(list(keys)), algorithms=[ALG])
            except (JoseError, ValueError) as exc:
                raise InvalidToken(f"not a token signed by this server: {exc}") from exc
            if decoded.header.get("typ") != "at+jwt":
                raise InvalidToken("not an access token (typ is not at+jwt)")
            claims = decoded.claims
            if len(self._signed) >= _SIGNED_KEPT:
                self._signed.clear()
            self._signed[token] = (keys, claims)
        try:
            self.registry.validate(claims)
        except JoseError as exc:
            raise InvalidToken(f"claims refused: {exc}") from exc
        return dict(claims)

    def verify(self, token: str) -> AccessToken:
        claims = self.decode(token)
        jti_revoked, client_revoked = self._revoked(claims)
        if jti_revoked:
            raise InvalidToken("the token was revoked")
        if client_revoked:
            raise InvalidToken("the client was revoked")
        return AccessToken(claims)

    def _revoked(self, claims: dict[str, Any]) -> tuple[bool, bool]:
        """(token revoked, client revoked), from the cache, refilled first if it was lost.

        Every authenticated request asks this, so it is one command (MGET of the three marks,
        each set to "1" when present) rather than a MULTI/EXEC of three EXISTS: one round trip
        either way, two fifths of the commands for Redis and the client to write and parse.
        """
        for _attempt in range(2):
            jti_revoked, client_revoked, filled = self.redis.mget(
                _REVOKED_JTI + str(claims["jti"]), _REVOKED_CLIENT + str(claims["client_id"]),
                _CACHE_FILLED)
            if filled is not None:
                return jti_revoked is not None, client_revoked is not None
            self.refill_cache()
        raise InvalidToken("the revocation cache could not be filled")  # Redis lost it again

    def refill_cache(self) -> int:
        """Copy every live revocation from the graph into Redis, then mark the cache filled."""
        live = revocations.live_revocations(self.graph, _CLIENT_TTL)
        pipe = self.redis.pipeline()
        for jti, seconds_left in live["tokens"]:
            pipe.set(_REVOKED_JTI + jti, "1", ex=max(1, seconds_left + 60))
        for client_id in live["clients"]:
            pipe.set(_REVOKED_CLIENT + client_id, "1", ex=_CLIENT_TTL)
        pipe.set(_CACHE_FILLED, "1")
        pipe.execute()
        return len(live["tokens"]) + len(live["clients"])

    def is_revoked(self, claims: dict[str, Any]) -> bool:
        return any(self._revoked(claims))

    def revoke(self, claims: dict[str, Any]) -> None:
        """The graph first (the truth), then the cache."""
        revocations.record_revoked_token(self.graph, str(claims["jti"]),
                                         str(claims["client_id"]), int(claims["exp"]))
        ttl = max(1, int(claims["exp"]) - int(time.time()) + 60)
        self.redis.set(_REVOKED_JTI + str(claims["jti"]), "1", ex=ttl)


def mark_client_revoked(redis_client: redis.Redis[bytes], client_id: str) -> None:
    """Live access tokens of a revoked client stop working at once. The graph's ``revokedAt``
    (written by ``identity.service.clients.revoke`` first) refills this after a Redis loss."""
    redis_client.set(_REVOKED_CLIENT + client_id, "1", ex=_CLIENT_TTL)


class ApiTokenValidator(BearerTokenValidator):  # type: ignore[misc]
    """Authlib's bearer validator over our verifier, for the ResourceProtector."""

    def __init__(self, verifier: TokenVerifier) -> None:
        super().__init__(realm="civicgraph")
        self.verifier = verifier

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        try:
            return self.verifier.verify(token_string)
        except InvalidToken:
            return None
