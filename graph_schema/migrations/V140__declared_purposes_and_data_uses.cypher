// Declared purposes (identity/cypher/purposes.py): found by id when a citizen grants one, and
// by code within their organisation when a partner declares one (one code per organisation,
// checked under the organisation's lock). Data uses hang from the read they came from.
CREATE CONSTRAINT purpose_id IF NOT EXISTS FOR (n:Purpose) REQUIRE n.id IS UNIQUE;
CREATE INDEX purpose_code IF NOT EXISTS FOR (n:Purpose) ON (n.code);
CREATE INDEX purpose_status IF NOT EXISTS FOR (n:Purpose) ON (n.status);
CREATE CONSTRAINT data_use_id IF NOT EXISTS FOR (n:DataUse) REQUIRE n.id IS UNIQUE;
// Reminders of consents about to end (identity/tasks.py): one per consent, found from it.
CREATE CONSTRAINT reminder_id IF NOT EXISTS FOR (n:Reminder) REQUIRE n.id IS UNIQUE;
