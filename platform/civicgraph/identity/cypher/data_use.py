"""Cypher for data uses: what an organisation did with a read of a citizen's data.

The one writer of ``:DataUse``. A use hangs from the read it came from (``FROM_READ``), so the
citizen sees it beside that read, and only the organisation that read can record one.
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.core.ordering import by_name


def record(graph: Graph, fields: dict[str, Any]) -> str | None:
    """A use of the read ``readId`` by organisation ``organisationId``; None when there is no
    such read by that organisation (or it was refused: nothing was read, nothing to use)."""
    records = graph.run(
        "MATCH (e:AccessEvent {id: $readId})-[:BY]->(o:Organisation {id: $organisationId}) "
        "WHERE coalesce(e.outcome, 'READ') = 'READ' "
        "MATCH (e)-[:ABOUT]->(p:Person) "
        "CREATE (u:DataUse {id: $id, at: datetime(), kind: $kind, count: $count, note: $note, "
        "  links: $links, organisationId: o.id, subjectId: p.id}) "
        "CREATE (u)-[:FROM_READ]->(e), (u)-[:BY]->(o), (u)-[:ABOUT]->(p) "
        "RETURN u.id AS id",
        fields,
        write=True,
    )
    return str(records[0]["id"]) if records else None


def reads_with_uses(graph: Graph, person_id: str, limit: int) -> list[dict[str, Any]]:
    """The person's latest reads (refused ones too), newest first, each with its uses."""
    records = graph.run(
        "MATCH (:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent)-[:BY]->(o:Organisation) "
        "WITH e, o ORDER BY e.at DESC, e.id LIMIT $limit "
        "RETURN e {.id, .purpose, .fields, outcome: coalesce(e.outcome, 'READ'), "
        "  at: toString(e.at), organisationId: o.id, organisationName: o.name, "
        "  declared: head(COLLECT { MATCH (d:Purpose {code: e.purpose})-[:DECLARED_BY]->(o) "
        "    RETURN d {.nameEn, .nameFr} }), "
        "  uses: COLLECT { MATCH (u:DataUse)-[:FROM_READ]->(e) WITH u ORDER BY u.at "
        "    RETURN u {.kind, .count, .note, .links, at: toString(u.at)} }} AS event",
        {"personId": person_id, "limit": limit},
    )
    return [dict(r["event"]) for r in records]


def year_by_organisation(graph: Graph, person_id: str) -> list[dict[str, Any]]:
    """Per organisation, the person's reads of the last 365 days (outcome and categories) and
    the uses recorded of them: what the page's plain summary is made of."""
    records = graph.run(
        "MATCH (:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent)-[:BY]->(o:Organisation) "
        "WHERE e.at > datetime() - duration({days: 365}) "
        "WITH o, collect(e) AS events "
        "RETURN o.id AS organisationId, o.name AS organisationName, "
        "  [e IN events | {outcome: coalesce(e.outcome, 'READ'), fields: e.fields}] AS reads, "
        "  COLLECT { UNWIND events AS e MATCH (u:DataUse)-[:FROM_READ]->(e) "
        "    RETURN {kind: u.kind, count: u.count} } AS uses "
        "ORDER BY " + by_name("organisationName"),
        {"personId": person_id},
    )
    return [dict(r) for r in records]
