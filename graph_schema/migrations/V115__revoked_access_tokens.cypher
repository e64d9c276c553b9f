// Revoked access tokens are kept in the graph (the truth) and cached in Redis: a Redis restart
// or loss must not bring a revoked token back. One node per revoked jti; expired ones are
// useless and may be deleted.
CREATE CONSTRAINT revoked_access_token_jti IF NOT EXISTS FOR (n:RevokedAccessToken) REQUIRE n.jti IS UNIQUE;
CREATE INDEX revoked_access_token_expiry IF NOT EXISTS FOR (n:RevokedAccessToken) ON (n.expiresAt);
CREATE INDEX oauth_client_revoked_at IF NOT EXISTS FOR (n:OAuthClient) ON (n.revokedAt);
