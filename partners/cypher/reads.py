"""Cypher for the partner sync's logs and provenance, as GraphQL reads them."""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph
from partners.cypher.runs import RUN_PROJECTION


def runs(graph: Graph, platform_id: str | None, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (r:SyncRun) WHERE $platformId IS NULL OR r.platformId = $platformId "
        "RETURN " + RUN_PROJECTION + " AS run ORDER BY r.requestedAt DESC LIMIT $limit",
        {"platformId": platform_id, "limit": limit},
    )
    return [dict(r["run"]) for r in records]


def quarantined(graph: Graph, platform_id: str | None, run_id: str | None, limit: int
                ) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (q:QuarantinedRecord) WHERE ($platformId IS NULL OR q.platformId = $platformId) "
        "AND ($runId IS NULL OR q.runId = $runId) "
        "RETURN q {.id, .platformId, .runId, .key, .reason, .raw, at: toString(q.at)} AS q "
        "ORDER BY q.at DESC, q.id LIMIT $limit",
        {"platformId": platform_id, "runId": run_id, "limit": limit},
    )
    return [dict(r["q"]) for r in records]


def sources(graph: Graph, record_id: str) -> list[dict[str, Any]] | None:
    """A synced record's provenance, or None when no vacancy, course or organisation has the id."""
    records = graph.run(
        "CALL () { MATCH (n:Vacancy {id: $id}) RETURN n "
        "  UNION MATCH (n:TrainingCourse {id: $id}) RETURN n "
        "  UNION MATCH (n:Organisation {id: $id}) RETURN n } "
        "RETURN COLLECT { MATCH (n)-[s:SOURCED_FROM]->(p:PartnerPlatform) "
        "  RETURN {platform: p.name, platformId: p.id, mode: p.mode, key: s.key, "
        "    fetchedAt: toString(s.fetchedAt), hash: s.hash, "
        "    withdrawnAt: toString(s.withdrawnAt)} ORDER BY p.name } AS sources",
        {"id": record_id},
    )
    return [dict(s) for s in records[0]["sources"]] if records else None
