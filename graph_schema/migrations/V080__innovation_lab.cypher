// The innovation lab (issue 5). Ids of the lab's own labels that V001 does not cover.
CREATE CONSTRAINT criterion_id IF NOT EXISTS FOR (n:Criterion) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT outbox_event_id IF NOT EXISTS FOR (n:OutboxEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT webhook_subscription_id IF NOT EXISTS FOR (n:WebhookSubscription) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.id IS UNIQUE;
// Likely duplicates of a new idea are found by full-text similarity on its title and description.
CREATE FULLTEXT INDEX idea_text IF NOT EXISTS FOR (n:Idea) ON EACH [n.title, n.description];
// The scheduler's sweeps: open challenges past their deadline, due outbox events.
CREATE INDEX challenge_status IF NOT EXISTS FOR (n:Challenge) ON (n.status);
CREATE INDEX pilot_status IF NOT EXISTS FOR (n:Pilot) ON (n.status);
CREATE INDEX idea_status IF NOT EXISTS FOR (n:Idea) ON (n.status);
CREATE INDEX proposal_status IF NOT EXISTS FOR (n:Proposal) ON (n.status);
CREATE INDEX outbox_event_status IF NOT EXISTS FOR (n:OutboxEvent) ON (n.status);
// One evaluation per judge and proposal, even when a judge saves scores twice at once.
CREATE CONSTRAINT evaluation_judge_key IF NOT EXISTS FOR (n:Evaluation) REQUIRE n.judgeKey IS UNIQUE;
