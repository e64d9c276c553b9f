"""Cypher for partner platforms: registering one, reading it, promoting it from TEST to
PRODUCTION, and which are due for a scheduled sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.compiler.visibility import publish_platform
from civicgraph.core.envelope import touched
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

_PLATFORM = (
    "p {.id, .name, .kind, .mode, .connector, .transport, .location, .allowedRecordTypes, "
    ".clientId, .scheduleSeconds, .version, createdAt: toString(p.createdAt), "
    "promotedAt: toString(p.promotedAt), nextSyncAt: toString(p.nextSyncAt), "
    "operator: COLLECT { MATCH (o:Organisation)-[:OPERATES]->(p) RETURN o.id }[0]}"
)


_CREATE_PLATFORM = (
    writers.create("PartnerPlatform", "p", "$props", id="randomUUID()")
    + "WITH p OPTIONAL MATCH (o:Organisation {id: $operatorId}) "
    "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (o)-[:OPERATES]->(p)) "
    "RETURN " + _PLATFORM + " AS platform"
)


def create_platform(graph: Graph, props: dict[str, Any], operator_id: str | None
                    ) -> dict[str, Any]:
    """A new platform with these properties (name, kind, mode, connector, transport, ...),
    operated by the organisation named, if any."""
    records = graph.run(_CREATE_PLATFORM, {"props": props, "operatorId": operator_id},
                        write=True)
    return dict(records[0]["platform"])


def platform(graph: Graph, *, name: str | None = None, id: str | None = None
             ) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:PartnerPlatform) WHERE p.name = $name OR p.id = $id "
        "RETURN " + _PLATFORM + " AS platform LIMIT 1",
        {"name": name, "id": id},
    )
    return dict(records[0]["platform"]) if records else None


def platform_id_for_client(graph: Graph, client_id: str) -> str | None:
    """The platform an OAuth client acts for, if any."""
    records = graph.run(
        "MATCH (p:PartnerPlatform {clientId: $clientId}) RETURN p.id AS id LIMIT 1",
        {"clientId": client_id},
    )
    return str(records[0]["id"]) if records else None


def platforms(graph: Graph) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (p:PartnerPlatform) RETURN " + _PLATFORM + " AS platform ORDER BY p.name"
    )
    return [dict(r["platform"]) for r in records]


def promote(graph: Graph, platform_id: str) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (p:PartnerPlatform {id: $id}) "
        # The envelope first: whether this is a change is read before the mode is set.
        "SET " + touched("p", unless="p.mode = 'PRODUCTION'") + ", "
        "p.promotedAt = coalesce(p.promotedAt, datetime()), p.mode = 'PRODUCTION' "
        + publish_platform("p") +
        "RETURN " + _PLATFORM + " AS platform",
        {"id": platform_id},
        write=True,
    )
    return dict(records[0]["platform"]) if records else None


def due_platforms(graph: Graph, now: dt.datetime) -> list[str]:
    records = graph.run(
        "MATCH (p:PartnerPlatform) WHERE p.scheduleSeconds > 0 AND p.transport <> 'WEBHOOK' "
        "AND (p.nextSyncAt IS NULL OR p.nextSyncAt <= $now) RETURN p.name AS name",
        {"now": now},
    )
    return [r["name"] for r in records]
