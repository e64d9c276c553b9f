// The citizens' access logs become hash chains (identity/service/access_log.py): each event has
// its seq in its citizen's chain, the person keeps the head (logSeq, logHead) and an opaque
// logChainId, the only name of the chain that signed checkpoints publish.
CREATE CONSTRAINT person_log_chain_id IF NOT EXISTS FOR (n:Person) REQUIRE n.logChainId IS UNIQUE;
CREATE INDEX access_event_subject_seq IF NOT EXISTS FOR (n:AccessEvent) ON (n.subjectId, n.seq);
CREATE CONSTRAINT log_checkpoint_id IF NOT EXISTS FOR (n:LogCheckpoint) REQUIRE n.id IS UNIQUE;
CREATE INDEX log_checkpoint_at IF NOT EXISTS FOR (n:LogCheckpoint) ON (n.at);
// The events logged before: every one was a read; numbered per citizen in `at` order. Cypher
// has no SHA-256 without APOC (which the platform does not depend on), so their hashes are left
// to `civicgraph access-log rehash` (the checkpoint task, a citizen's download and the next read
// of the citizen hash a chain so left first): logHead stays null until then.
MATCH (e:AccessEvent) WHERE e.outcome IS NULL SET e.outcome = 'READ';
MATCH (p:Person)<-[:ABOUT]-(e:AccessEvent) WHERE p.logSeq IS NULL
WITH p, e ORDER BY e.at, e.id
WITH p, collect(e) AS events
SET p.logChainId = coalesce(p.logChainId, randomUUID()), p.logSeq = size(events)
WITH events
UNWIND range(0, size(events) - 1) AS i
WITH events[i] AS e, i
SET e.seq = i + 1, e.prevHash = null, e.hash = null;
