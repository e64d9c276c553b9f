// Identity and access: OAuth clients, refresh tokens, people's sign-in email.
// A client id and a refresh token's hash each name exactly one node; the constraints make that
// hold under concurrent creation, and back the lookups every token request makes.
CREATE CONSTRAINT oauth_client_id IF NOT EXISTS FOR (n:OAuthClient) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT oauth_client_client_id IF NOT EXISTS FOR (n:OAuthClient) REQUIRE n.clientId IS UNIQUE;
CREATE CONSTRAINT refresh_token_hash IF NOT EXISTS FOR (n:RefreshToken) REQUIRE n.tokenHash IS UNIQUE;
CREATE INDEX refresh_token_family IF NOT EXISTS FOR (n:RefreshToken) ON (n.family);
CREATE INDEX refresh_token_client IF NOT EXISTS FOR (n:RefreshToken) ON (n.clientId);
// One account per email (stored lower-case); people without an email are allowed.
CREATE CONSTRAINT person_email IF NOT EXISTS FOR (n:Person) REQUIRE n.email IS UNIQUE;
