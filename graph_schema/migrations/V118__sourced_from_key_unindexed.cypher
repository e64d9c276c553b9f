// Partner feeds at the speed of the database (issue 18): the SOURCED_FROM `key` index goes.
// Every new synced record paid for an entry in it (the largest single cost of writing a new
// record's provenance, measured), and no statement needs it any more: a run reads its
// platform's keys once, by expanding from the platform, with each edge's elementId, and the
// withdrawal pass finds the edges it closes by those ids (partners/cypher/sync.py). The
// provenance itself, its key, hash and times on the edge, is unchanged, so no data moves.
DROP INDEX sourced_from_key IF EXISTS;
