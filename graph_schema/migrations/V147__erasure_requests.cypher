// Erasure requests (GDPR art. 17): found by id when staff decide one, and by status when the
// staff page lists the open ones first.
CREATE CONSTRAINT erasure_request_id IF NOT EXISTS FOR (n:ErasureRequest) REQUIRE n.id IS UNIQUE;
CREATE INDEX erasure_request_status IF NOT EXISTS FOR (n:ErasureRequest) ON (n.status);
// Erasure revokes the person's refresh tokens: found by person, not by a scan of every token.
CREATE INDEX refresh_token_person IF NOT EXISTS FOR (n:RefreshToken) ON (n.personId);
