"""Cypher for the citizens' access logs: one hash chain of AccessEvents per person.

The event itself is created by the statement that reads (or refuses) the data
(``cypher/consent.py`` ``read_profile``), under the person's write lock, with its ``seq``; the
hash is computed in Python (Cypher has no SHA-256 without APOC, and the platform does not
depend on APOC) and sealed here by the second statement of the same transaction. The person
keeps the chain's head (``logSeq``, ``logHead``) and an opaque ``logChainId``, the only name of
the chain that leaves the platform (checkpoints publish heads without person ids).
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph

EVENT = (
    "e {.id, .purpose, .clientId, .consentId, .seq, .prevHash, .hash, "
    "fields: coalesce(e.fields, []), outcome: coalesce(e.outcome, 'READ'), "
    "at: toString(e.at), organisationId: o.id, organisationName: o.name}"
)
"""An event as the log shows it and the canonical form hashes it (``at`` as stored text)."""


def seal(graph: Graph, person_id: str, event_id: str, prev_hash: str, digest: str) -> None:
    """The event's place in the chain and the person's new head (inside the writer's
    transaction, which holds the person's lock)."""
    graph.run(
        "MATCH (p:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent {id: $eventId}) "
        "SET e.prevHash = $prevHash, e.hash = $hash, p.logHead = $hash",
        {"personId": person_id, "eventId": event_id, "prevHash": prev_hash, "hash": digest},
        write=True,
    )


def lock_chain(graph: Graph, person_id: str) -> dict[str, Any] | None:
    """Take the person's write lock and read the chain's head; None if no such person."""
    records = graph.run(
        "MATCH (p:Person {id: $personId}) SET p._lock = true REMOVE p._lock "
        "WITH p RETURN p.logChainId AS chainId, coalesce(p.logSeq, 0) AS seq, "
        "  p.logHead AS head",
        {"personId": person_id},
        write=True,
    )
    return dict(records[0]) if records else None


def chain_of(graph: Graph, person_id: str) -> list[dict[str, Any]]:
    """Every event of the person's log, in chain order."""
    records = graph.run(
        "MATCH (:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent)-[:BY]->(o:Organisation) "
        "RETURN " + EVENT + " AS event ORDER BY e.seq, e.at, e.id",
        {"personId": person_id},
    )
    return [dict(r["event"]) for r in records]


def seal_many(graph: Graph, person_id: str, events: list[dict[str, Any]], head: str) -> None:
    """Hashes computed for a chain the migration numbered but could not hash."""
    graph.run(
        "UNWIND $events AS row "
        "MATCH (:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent {id: row.id}) "
        "SET e.prevHash = row.prevHash, e.hash = row.hash "
        "WITH count(*) AS sealed "
        "MATCH (p:Person {id: $personId}) SET p.logHead = $head",
        {"personId": person_id, "events": events, "head": head},
        write=True,
    )


def unsealed_chains(graph: Graph, limit: int) -> list[str]:
    """People whose log has events but no hashed head (numbered by migration V141)."""
    records = graph.run(
        "MATCH (p:Person) WHERE p.logSeq > 0 AND p.logHead IS NULL "
        "RETURN p.id AS id LIMIT $limit",
        {"limit": limit},
    )
    return [str(r["id"]) for r in records]


def export_of(graph: Graph, person_id: str) -> dict[str, Any] | None:
    """The person's chain id and head with every event, for the citizen's download."""
    records = graph.run(
        "MATCH (p:Person {id: $personId}) "
        "RETURN p.logChainId AS chainId, coalesce(p.logSeq, 0) AS seq, p.logHead AS head, "
        "  COLLECT { MATCH (p)<-[:ABOUT]-(e:AccessEvent)-[:BY]->(o:Organisation) "
        "    WITH e, o ORDER BY e.seq RETURN " + EVENT + " } AS events",
        {"personId": person_id},
    )
    return dict(records[0]) if records else None


def heads(graph: Graph) -> list[dict[str, Any]]:
    """Every sealed chain's head, by its opaque id (no person id)."""
    records = graph.run(
        "MATCH (p:Person) WHERE p.logChainId IS NOT NULL AND p.logHead IS NOT NULL "
        "RETURN {chain: p.logChainId, seq: p.logSeq, hash: p.logHead} AS head "
        "ORDER BY head.chain",
    )
    return [dict(r["head"]) for r in records]


def create_checkpoint(graph: Graph, fields: dict[str, Any]) -> None:
    graph.run(
        "CREATE (:LogCheckpoint {id: $id, at: datetime($at), heads: $heads, jws: $jws, "
        "  chainIds: $chainIds, chains: size($chainIds)})",
        fields,
        write=True,
    )


def checkpoints(graph: Graph, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (c:LogCheckpoint) "
        "RETURN c {.id, .jws, .chains, at: toString(c.at)} AS checkpoint "
        "ORDER BY c.at DESC, c.id LIMIT $limit",
        {"limit": limit},
    )
    return [dict(r["checkpoint"]) for r in records]


def latest_checkpoint_with(graph: Graph, chain_id: str) -> dict[str, Any] | None:
    """The newest published checkpoint naming this chain."""
    records = graph.run(
        "MATCH (c:LogCheckpoint) WHERE $chain IN c.chainIds "
        "RETURN c {.id, .jws, at: toString(c.at)} AS checkpoint "
        "ORDER BY c.at DESC, c.id LIMIT 1",
        {"chain": chain_id},
    )
    return dict(records[0]["checkpoint"]) if records else None
