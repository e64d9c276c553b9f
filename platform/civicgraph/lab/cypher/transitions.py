"""Cypher for every lab status change: the facts a transition is checked against, and the write.

The write is one statement per change: it takes the record's write lock (``SET r._lock``, as
Neo4j's docs advise against lost updates under read-committed isolation), THEN compares the
version the caller read, checks the transition's gate conditions again, moves the status,
bumps the version, appends a ``LifecycleEvent`` to the
record's history chain, queues one ``OutboxEvent`` per matching webhook subscription, and applies
the transition's effect. All of it commits together or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civicgraph.core.envelope import AT, created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import rules

LABELS = ("Idea", "Challenge", "Proposal", "Pilot")


def first_event(var: str, kind: str | None = None) -> str:
    """A record's first history event, written by the statement that creates the record."""
    kind = kind or var
    return (
        f"CREATE (first_{var}:LifecycleEvent {{id: randomUUID(), at: datetime($at), "
        f"actor: $actorId, fromStatus: null, toStatus: {var}.status, reason: 'created', "
        f"recordKind: '{kind}', {created_map(AT)}}})"
        f"-[:HAPPENED_TO]->({var}) CREATE ({var})-[:LAST_EVENT]->(first_{var}) "
    )


# Each record kind's facts: the value of every condition its lifecycle declares, keyed by the
# condition's name (a test holds the two to each other). Adding a condition is its declaration
# in the lifecycle table and its fact here.
FACTS: dict[str, dict[str, str]] = {
    "Idea": {},
    "Challenge": {
        "has_field": "EXISTS { (r)-[:IN_FIELD]->(:Field) }",
        "has_rubric": "COUNT { (r)-[:HAS_CRITERION]->(:Criterion) } > 0",
        "deadline_in_future": rules.before_deadline("r", "now"),
        "deadline_passed": rules.past_deadline("r", "now"),
        "no_proposal_pending": "NOT EXISTS { (p:Proposal)-[:RESPONDS_TO]->(r) "
                               "WHERE p.status IN $proposalPending }",
    },
    "Proposal": {
        "challenge_open": rules.challenge_open("c"),
        "before_deadline": rules.before_deadline("c", "now"),
        "challenge_in_evaluation": "c.status IN $challengeJudging",
        "challenge_not_decided": "c.status IN $challengeUndecided",
    },
    # The stage gates' conditions, over the pilot's measures (``ms``).
    "Pilot": {
        "has_outcome_measures": "size(ms) > 0",
        "every_measure_has_baseline": "size(ms) > 0 AND all(m IN ms WHERE m.baseline IS NOT NULL)",
        "every_measure_measured": "size(ms) > 0 AND all(m IN ms WHERE m.latest IS NOT NULL)",
        "target_met_on_latest": "size(ms) > 0 AND all(m IN ms WHERE m.met)",
        "sponsor_signed_off": "EXISTS { (:Person)-[s:SIGNED_OFF]->(r) WHERE s.stage = $target }",
        "operating_model_complete": (
            "size(coalesce(r.involved, [])) > 0 AND "
            "all(v IN [r.relationship, r.ownership, r.fundingMethod, r.powerSits, r.publicRole] "
            "WHERE v IS NOT NULL) AND EXISTS { (r)-[:INVOLVES]->(:Organisation) }"
        ),
    },
}

# What a kind's facts read about its neighbours first.
_READS: dict[str, str] = {
    "Idea": "",
    "Challenge": "",
    "Proposal": (
        "WITH r, COLLECT { MATCH (r)-[:RESPONDS_TO]->(c:Challenge) "
        "RETURN c { .status, .deadline } }[0] AS c "
    ),
    "Pilot": (
        "WITH r, COLLECT { MATCH (m:OutcomeMeasure)-[:MEASURES]->(r) "
        "  WITH m, " + rules.latest_value("m") + " AS latest "
        "  RETURN {baseline: m.baseline, latest: latest, met: " + rules.target_met("m", "latest")
        + "} } AS ms "
    ),
}

# Who owns the record, for the transitions' scope check.
_OWNERS: dict[str, str] = {
    "Idea": "null AS ownerOrgId, [r.submittedBy] AS ownerPersonIds",
    "Challenge": (
        "COLLECT { MATCH (r)-[:POSTED_BY]->(o:Organisation) RETURN o.id }[0] AS ownerOrgId, "
        "[r.createdBy] AS ownerPersonIds"
    ),
    "Proposal": (
        "COLLECT { MATCH (r)-[:SUBMITTED_BY]->(o:Organisation) RETURN o.id }[0] AS ownerOrgId, "
        "[r.createdBy] + COLLECT { MATCH (r)-[:SUBMITTED_BY]->(:Team)<-[:MEMBER_OF]-(m:Person) "
        "  RETURN m.id } AS ownerPersonIds"
    ),
    "Pilot": "null AS ownerOrgId, [] AS ownerPersonIds",
}

# Every condition name the tables may use, per label.
CONDITION_NAMES: dict[str, frozenset[str]] = {label: frozenset(FACTS[label]) for label in LABELS}


def _conditions(label: str) -> str:
    """The label's conditions as one Cypher map entry list (``name: predicate, ...``)."""
    return ", ".join(f"{name}: {fact}" for name, fact in FACTS[label].items())


def _facts_statement(label: str) -> str:
    conditions = _conditions(label)
    return (
        f"MATCH (r:{label} {{id: $id}}) " + _READS[label]
        + "RETURN r.status AS status, r.version AS version, "
        + "{" + conditions + "} AS conditions, " + _OWNERS[label]
    )


_FACTS = {label: _facts_statement(label) for label in LABELS}


def facts(graph: Graph, label: str, record_id: str, now: str, target: str,
          sets: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """Status, version, owners and the named conditions of one record, read in one statement."""
    records = graph.run(_FACTS[label], {**sets, "id": record_id, "now": now,
                                        "target": target})
    if not records:
        return None
    row = dict(records[0])
    row["conditions"] = dict(row["conditions"])
    row["ownerPersonIds"] = [p for p in row["ownerPersonIds"] if p]
    return row


_OUTBOX = (
    "CALL (r, e) { "
    "  MATCH (s:WebhookSubscription) WHERE s.active AND $webhook IN s.events "
    "  CREATE (o:OutboxEvent {id: randomUUID(), eventType: $webhook, payload: $payload, "
    "    status: 'PENDING', attempts: 0, nextAttemptAt: datetime($at), "
    "    " + created_map(AT) + "})-[:TO]->(s) "
    "  CREATE (o)-[:ABOUT]->(r) "
    "  RETURN count(o) AS queued "
    "} "
)

# Effects: what a transition does besides moving the status, in the same statement.
EFFECTS: dict[str, str] = {
    "": "",
    "idea_to_challenge": (
        "CREATE (Challenge:Challenge {id: $effect.challengeId, title: r.title, "
        "  description: r.description, eligibility: '', status: 'DRAFT', createdBy: $actorId, "
        "  " + created_map(AT) + "})-[:FROM_IDEA]->(r) "
        + first_event("Challenge", "CHALLENGE")
        + "WITH r, e, queued "
    ),
    "idea_to_proposal": (
        "MATCH (c:Challenge {id: $effect.challengeId}) "
        "CREATE (Proposal:Proposal {id: $effect.proposalId, title: r.title, "
        "  summary: r.description, status: 'DRAFT', createdBy: r.submittedBy, "
        "  " + created_map(AT) + "})-[:RESPONDS_TO]->(c) "
        "CREATE (Proposal)-[:FROM_IDEA]->(r) "
        + first_event("Proposal", "PROPOSAL")
        + "WITH r, e, queued, Proposal "
        "OPTIONAL MATCH (org:Organisation {id: r.organisationId}) "
        "FOREACH (_ IN CASE WHEN org IS NULL THEN [] ELSE [1] END | "
        "  CREATE (Proposal)-[:SUBMITTED_BY]->(org)) "
        "WITH r, e, queued "
    ),
    "idea_merge": (
        "OPTIONAL MATCH (target:Idea {id: $effect.targetId}) "
        "FOREACH (_ IN CASE WHEN target IS NULL THEN [] ELSE [1] END | "
        "  CREATE (r)-[:MERGED_INTO]->(target)) "
        "WITH r, e, queued "
    ),
}


def _transition_statement(label: str, effect: str) -> str:
    return (
        f"MATCH (r:{label} {{id: $id}}) "
        # Take the write lock first, so the version read next is the latest committed one.
        "SET r._lock = true REMOVE r._lock "
        "WITH r WHERE r.version = $version AND r.status = $from "
        # The gate: the transition's conditions, re-read under the lock in this transaction,
        # so a condition falsified after the caller's facts were read cannot let the move by.
        + _READS[label] + "WITH r, {" + _conditions(label) + "} AS gate "
        "WHERE all(name IN $conditions WHERE gate[name]) "
        "SET r.status = $to, " + touched("r", AT) + ", "
        "  r.statusChangedAt = datetime($at) "
        "WITH r "
        "OPTIONAL MATCH (r)-[last:LAST_EVENT]->(prev:LifecycleEvent) "
        "OPTIONAL MATCH (who:Person {id: $actorId}) "
        "CREATE (e:LifecycleEvent {id: $eventId, at: datetime($at), actor: $actorId, "
        "  fromStatus: $from, toStatus: $to, reason: $reason, recordKind: $kind, "
        "  " + created_map(AT) + "})-[:HAPPENED_TO]->(r) "
        "CREATE (r)-[:LAST_EVENT]->(e) "
        "DELETE last "
        "FOREACH (_ IN CASE WHEN prev IS NULL THEN [] ELSE [1] END | "
        "  CREATE (e)-[:PREVIOUS]->(prev)) "
        "FOREACH (_ IN CASE WHEN who IS NULL THEN [] ELSE [1] END | CREATE (e)-[:BY]->(who)) "
        "WITH r, e "
        + _OUTBOX
        + "WITH r, e, queued "
        + EFFECTS[effect]
        + "RETURN r.status AS status, r.version AS version, queued, "
        "e {.id, .actor, .fromStatus, .toStatus, .reason, at: toString(e.at)} AS event"
    )


_TRANSITIONS = {(label, effect): _transition_statement(label, effect)
                for label in LABELS for effect in EFFECTS}
_PARAMS = {s: frozenset(re.findall(r"\$(\w+)", s)) for s in _TRANSITIONS.values()}


def transition(graph: Graph, label: str, params: dict[str, Any],
               effect: str = "") -> dict[str, Any] | None:
    """Apply one move; None when the record is missing, its version or status moved on, or a
    condition in ``params["conditions"]`` no longer holds. With no conditions named, the gate's
    other parameters are not needed and default to null."""
    statement = _TRANSITIONS[(label, effect)]
    params = {"conditions": [], "now": params.get("at"), "target": params.get("to"), **params}
    if not params["conditions"]:
        params = {**dict.fromkeys(_PARAMS[statement]), **params}
    records = graph.run(statement, params, write=True)
    if not records:
        return None
    row = dict(records[0])
    row["event"] = dict(row["event"])
    return row


_EVENT = "e {.id, .actor, .fromStatus, .toStatus, .reason, at: toString(e.at)}"

_HISTORY = {
    label: (
        f"MATCH (r:{label} {{id: $id}})-[:LAST_EVENT]->(last:LifecycleEvent) "
        "MATCH path = (last)-[:PREVIOUS*0..]->(e:LifecycleEvent) "
        "RETURN " + _EVENT + " AS event ORDER BY length(path) DESC"
    )
    for label in LABELS
}


def events_of(var: str) -> str:
    """A record's events (``var`` bound), oldest first, as ``history`` reads them: a list
    inside a statement that reads many records, so their histories cost no statement each."""
    return (
        "COLLECT { MATCH (" + var + ")-[:LAST_EVENT]->(last:LifecycleEvent) "
        "MATCH path = (last)-[:PREVIOUS*0..]->(e:LifecycleEvent) "
        "WITH e, length(path) AS back ORDER BY back DESC RETURN " + _EVENT + " }"
    )


def history(graph: Graph, label: str, record_id: str) -> list[dict[str, Any]]:
    """The record's events, oldest first, read by walking the chain (so a gap would show)."""
    records = graph.run(_HISTORY[label], {"id": record_id})
    return [dict(r["event"]) for r in records]
