// Partner feeds (issue 8): how synced records are found again, and the sync's own bookkeeping.
// A synced vacancy or course is keyed by its platform and the feed's own key (`syncKey`), so a
// re-sync of the same key finds the same node; organisations are joined by register number.
CREATE CONSTRAINT vacancy_sync_key IF NOT EXISTS FOR (n:Vacancy) REQUIRE n.syncKey IS UNIQUE;
CREATE CONSTRAINT training_course_sync_key IF NOT EXISTS FOR (n:TrainingCourse) REQUIRE n.syncKey IS UNIQUE;
CREATE CONSTRAINT organisation_business_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.businessId IS UNIQUE;
CREATE CONSTRAINT skill_uri IF NOT EXISTS FOR (n:Skill) REQUIRE n.uri IS UNIQUE;
CREATE CONSTRAINT occupation_uri IF NOT EXISTS FOR (n:Occupation) REQUIRE n.uri IS UNIQUE;
CREATE CONSTRAINT partner_platform_name IF NOT EXISTS FOR (n:PartnerPlatform) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT sync_run_id IF NOT EXISTS FOR (n:SyncRun) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sync_state_platform IF NOT EXISTS FOR (n:SyncState) REQUIRE n.platformId IS UNIQUE;
CREATE CONSTRAINT sync_batch_id IF NOT EXISTS FOR (n:SyncBatch) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT quarantined_record_id IF NOT EXISTS FOR (n:QuarantinedRecord) REQUIRE n.id IS UNIQUE;
CREATE INDEX sourced_from_key IF NOT EXISTS FOR ()-[s:SOURCED_FROM]-() ON (s.key);
CREATE INDEX vacancy_status IF NOT EXISTS FOR (n:Vacancy) ON (n.status);
CREATE INDEX sync_run_platform IF NOT EXISTS FOR (n:SyncRun) ON (n.platformId, n.requestedAt);
CREATE INDEX quarantined_record_platform IF NOT EXISTS FOR (n:QuarantinedRecord) ON (n.platformId, n.at);
