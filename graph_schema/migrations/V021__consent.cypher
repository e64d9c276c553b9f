// Consent records and access events: looked up by purpose and listed by time.
CREATE INDEX consent_purpose IF NOT EXISTS FOR (n:Consent) ON (n.purpose);
CREATE INDEX access_event_at IF NOT EXISTS FOR (n:AccessEvent) ON (n.at);
