// Range indexes behind the lab's root lists ordered by title (as V004 has them for the partner
// graph's names and titles). A title is required, so the compiler adds `n.title IS NOT NULL`
// (compiler/cypher.py, _leading_required) and the planner reads the page in order from the
// index (NodeIndexScan, then a PartialTop over the `id` tie-break) instead of reading and
// sorting every record of the label: the cross-domain read of `make bench-graph` (challenges
// by title) read all 500 challenges to keep 11 before this. Status filters have their
// indexes already (V080); the default orderings (deadline, createdAt) are on properties a
// record may lack, which an index-backed order would drop, so they are not here.
CREATE INDEX challenge_title IF NOT EXISTS FOR (n:Challenge) ON (n.title);
CREATE INDEX proposal_title IF NOT EXISTS FOR (n:Proposal) ON (n.title);
CREATE INDEX idea_title IF NOT EXISTS FOR (n:Idea) ON (n.title);
CREATE INDEX pilot_title IF NOT EXISTS FOR (n:Pilot) ON (n.title);
