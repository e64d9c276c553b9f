"""Cypher for webhook subscriptions, the outbox and the delivery log."""

from __future__ import annotations

from typing import Any

from civicgraph.compiler.domains.webhooks import OUTBOX_STATUSES
from civicgraph.core.envelope import AT, created_map
from civicgraph.core.graph import Graph

CANCELLED = "CANCELLED"
"""The outbox status of an event whose subscription was removed (one of the model's set)."""
if CANCELLED not in OUTBOX_STATUSES:
    raise ImportError("the webhooks model lost the CANCELLED outbox status this module writes")

SUBSCRIPTION = (
    "s {.id, .url, .events, .active, .organisationId, createdAt: toString(s.createdAt)}"
)


def create_subscription(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    records = graph.run(
        "CREATE (s:WebhookSubscription {id: $id, url: $url, events: $events, secret: $secret, "
        "  active: true, organisationId: $organisationId, createdBy: $actorId, "
        "  " + created_map(AT) + "}) "
        "WITH s OPTIONAL MATCH (o:Organisation {id: $organisationId}) "
        "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | "
        "  CREATE (o)-[:SUBSCRIBES]->(s)) "
        "RETURN " + SUBSCRIPTION + " AS subscription",
        fields,
        write=True,
    )
    return dict(records[0]["subscription"])


def due(graph: Graph, now: str, limit: int) -> list[str]:
    """Pending events whose next attempt is due and that no worker holds a lease on."""
    records = graph.run(
        "MATCH (o:OutboxEvent {status: 'PENDING'}) "
        "WHERE o.nextAttemptAt <= datetime($now) "
        "  AND (o.leaseUntil IS NULL OR o.leaseUntil < datetime($now)) "
        "WITH o ORDER BY o.nextAttemptAt, o.id LIMIT $limit RETURN o.id AS id",
        {"now": now, "limit": limit},
    )
    return [str(r["id"]) for r in records]


def claim(graph: Graph, outbox_id: str, now: str, lease_seconds: float) -> dict[str, Any] | None:
    """Lease one pending event to this attempt (under its lock), with what sending needs."""
    records = graph.run(
        "MATCH (o:OutboxEvent {id: $id})-[:TO]->(s:WebhookSubscription) "
        "SET o._lock = true REMOVE o._lock "
        "WITH o, s WHERE o.status = 'PENDING' "
        "  AND (o.leaseUntil IS NULL OR o.leaseUntil < datetime($now)) "
        "SET o.leaseUntil = datetime($now) + duration({milliseconds: $leaseMs}) "
        "RETURN o.id AS id, o.eventType AS eventType, o.payload AS payload, "
        "  o.attempts AS attempts, s.url AS url, s.secret AS secret, s.active AS active",
        {"id": outbox_id, "now": now, "leaseMs": int(lease_seconds * 1000)},
        write=True,
    )
    return dict(records[0]) if records else None


def record_attempt(graph: Graph, fields: dict[str, Any]) -> dict[str, Any]:
    """Log one attempt and settle the event: DELIVERED, or PENDING with its next attempt time."""
    records = graph.run(
        "MATCH (o:OutboxEvent {id: $id}) "
        "SET o.attempts = o.attempts + 1, o.updatedAt = datetime($at), o.leaseUntil = null, "
        "  o.lastStatusCode = $statusCode, o.lastError = $error, "
        "  o.status = CASE WHEN $delivered THEN 'DELIVERED' ELSE 'PENDING' END, "
        "  o.deliveredAt = CASE WHEN $delivered THEN datetime($at) ELSE null END, "
        "  o.nextAttemptAt = CASE WHEN $delivered THEN o.nextAttemptAt "
        "    ELSE datetime($at) + duration({milliseconds: $retryMs}) END "
        "CREATE (d:WebhookDelivery {id: randomUUID(), attempt: o.attempts, "
        "  statusCode: $statusCode, error: $error, at: datetime($at), durationMs: $durationMs, "
        "  " + created_map(AT) + "})-[:OF]->(o) "
        "RETURN o.attempts AS attempts, o.status AS status",
        fields,
        write=True,
    )
    return dict(records[0])


def outbox_for(graph: Graph, record_id: str) -> list[dict[str, Any]]:
    """A record's outbox events with their delivery logs, oldest first."""
    records = graph.run(
        # A removed subscription's events stay in the record's log (delivered or cancelled).
        "MATCH (o:OutboxEvent)-[:ABOUT]->({id: $id}) "
        "OPTIONAL MATCH (o)-[:TO]->(s:WebhookSubscription) "
        "WITH o, s ORDER BY o.createdAt, o.id "
        "RETURN o {.id, .eventType, .status, .attempts, .payload, subscriptionId: s.id, "
        "  deliveredAt: toString(o.deliveredAt), "
        "  deliveries: COLLECT { MATCH (d:WebhookDelivery)-[:OF]->(o) WITH d ORDER BY d.attempt "
        "    RETURN d {.attempt, .statusCode, .error, .durationMs, at: toString(d.at)} }} "
        "  AS event",
        {"id": record_id},
    )
    return [dict(r["event"]) for r in records]


def subscriptions(graph: Graph, deliveries_each: int) -> list[dict[str, Any]]:
    """Every subscription with its events' tally and its latest delivery attempts."""
    records = graph.run(
        "MATCH (s:WebhookSubscription) WITH s ORDER BY s.createdAt, s.id "
        "RETURN " + SUBSCRIPTION + " AS subscription, "
        "  COUNT { (:OutboxEvent {status: 'DELIVERED'})-[:TO]->(s) } AS delivered, "
        "  COUNT { (:OutboxEvent {status: 'PENDING'})-[:TO]->(s) } AS pending, "
        "  COLLECT { MATCH (d:WebhookDelivery)-[:OF]->(o:OutboxEvent)-[:TO]->(s) "
        "    WITH d, o ORDER BY d.at DESC, d.id LIMIT $each "
        "    RETURN d {.attempt, .statusCode, .error, .durationMs, at: toString(d.at), "
        "      eventType: o.eventType} } AS deliveries",
        {"each": deliveries_each},
    )
    return [{**dict(r["subscription"]), "delivered": r["delivered"], "pending": r["pending"],
             "deliveries": [dict(d) for d in r["deliveries"]]} for r in records]


def set_active(graph: Graph, subscription_id: str, active: bool, at: str) -> bool:
    records = graph.run(
        "MATCH (s:WebhookSubscription {id: $id}) SET s.active = $active, "
        "  s.updatedAt = datetime($at) RETURN count(s) AS n",
        {"id": subscription_id, "active": active, "at": at},
        write=True,
    )
    return bool(records and records[0]["n"])


def remove(graph: Graph, subscription_id: str, at: str) -> int | None:
    """Under the subscription's lock: its pending events are cancelled (never sent), then it is
    deleted; what was delivered stays in each record's log. None when there was none."""
    records = graph.run(
        "MATCH (s:WebhookSubscription {id: $id}) SET s._lock = true REMOVE s._lock "
        "WITH s CALL (s) { OPTIONAL MATCH (o:OutboxEvent {status: 'PENDING'})-[:TO]->(s) "
        "  SET o.status = $cancelled, o.updatedAt = datetime($at), o.leaseUntil = null "
        "  RETURN count(o) AS cancelled } "
        "DETACH DELETE s RETURN cancelled",
        {"id": subscription_id, "at": at, "cancelled": CANCELLED},
        write=True,
    )
    return int(records[0]["cancelled"]) if records else None
