"""Cypher for organisations and their partnerships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.exceptions import ConstraintError

from civicgraph.compiler.visibility import Visibility, visible
from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers


def _projection(var: str) -> str:
    """The map every read returns for an organisation, so GraphQL types resolve from dicts."""
    return (
        f"{var} {{.id, .name, .kind, .region, .description, .partnerCount, .version, "
        f"createdAt: toString({var}.createdAt), updatedAt: toString({var}.updatedAt)}}"
    )


_ORG = _projection("o")


_CREATE = writers.create("Organisation", "o", "$props", labels="$label")


def create(graph: Graph, fields: dict[str, Any], label: str) -> dict[str, Any]:
    """Create one organisation; a taken name in the same region raises ``Conflict``."""
    try:
        records = graph.run(
            _CREATE + "RETURN " + _ORG + " AS org",
            {"props": fields, "label": label},
            write=True,
        )
    except ConstraintError as exc:
        raise Conflict("an organisation with this name already exists in this region") from exc
    return dict(records[0]["org"])


def link(
    graph: Graph, a_id: str, b_id: str, since: dt.date | None
) -> dict[str, Any] | None:
    """Link two organisations once, whichever direction an earlier link was made in."""
    records = graph.run(
        "MATCH (a:Organisation {id: $a}) MATCH (b:Organisation {id: $b}) "
        "OPTIONAL MATCH (a)-[existing:PARTNERS_WITH]-(b) "
        "WITH a, b, head(collect(existing)) AS existing "
        "FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END | "
        + writers.partnership("a", "b", "$since") + ") "
        "WITH a, b, existing IS NULL AS created "
        "MATCH (a)-[r:PARTNERS_WITH]-(b) "
        "RETURN " + _projection("a") + " AS a, " + _projection("b") + " AS b, "
        "r.since AS since, created LIMIT 1",
        {"a": a_id, "b": b_id, "since": since},
        write=True,
    )
    if not records:
        return None
    row = records[0]
    since_value = row["since"]
    return {
        "a": dict(row["a"]),
        "b": dict(row["b"]),
        "since": since_value.to_native() if since_value is not None else None,
        "created": row["created"],
    }


def existing_ids(graph: Graph, ids: list[str]) -> set[str]:
    records = graph.run(
        "UNWIND $ids AS id MATCH (o:Organisation {id: id}) RETURN o.id AS id", {"ids": ids}
    )
    return {r["id"] for r in records}


def choices(graph: Graph, limit: int, viewer: Visibility) -> list[dict[str, Any]]:
    """Organisations to pick from (id, name, region), by name, as this viewer may see them."""
    records = graph.run(
        "MATCH (o:Organisation) WHERE " + visible("o") + " "
        "RETURN o {.id, .name, .region} AS org ORDER BY o.name, o.id LIMIT $limit",
        {"limit": limit, **viewer.params()},
    )
    return [dict(r["org"]) for r in records]

