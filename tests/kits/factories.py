"""Data for kit tests, written straight into the graph with parameterised Cypher."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.graph import Graph


def vacancies(graph: Graph, cells: dict[tuple[str, str, str], int]) -> None:
    """Create ``n`` vacancies for each (region, occupation, month)."""
    rows: list[dict[str, Any]] = []
    for (region, occupation, month), n in cells.items():
        posted = dt.date.fromisoformat(month + "-15")
        rows += [{"id": str(uuid.uuid4()), "region": region, "occupation": occupation,
                  "postedAt": posted} for _ in range(n)]
    graph.run(
        "UNWIND $rows AS row "
        "MERGE (o:Occupation {name: row.occupation}) ON CREATE SET o.id = randomUUID() "
        "CREATE (v:Vacancy {id: row.id, region: row.region, postedAt: row.postedAt, "
        "status: 'OPEN', title: row.occupation}) CREATE (v)-[:FOR_OCCUPATION]->(o)",
        {"rows": rows}, write=True)


def participants(graph: Graph, groups: dict[tuple[str, str], int]) -> None:
    """Create ``n`` participants for each (region, age band)."""
    rows = [{"id": str(uuid.uuid4()), "region": region, "ageBand": band}
            for (region, band), n in groups.items() for _ in range(n)]
    graph.run(
        "UNWIND $rows AS row CREATE (:Person:Participant {id: row.id, region: row.region, "
        "ageBand: row.ageBand})", {"rows": rows}, write=True)


def many_records(graph: Graph, n: int, batch: int = 50_000) -> None:
    """n generated (:KitBenchRecord) nodes, created in batches by the database."""
    for start in range(0, n, batch):
        graph.run(
            "UNWIND range($start, $end - 1) AS i "
            "CREATE (:KitBenchRecord {seq: i, region: 'R' + toString(i % 12), "
            "band: 'B' + toString(i % 7), value: i * 0.5})",
            {"start": start, "end": min(start + batch, n)}, write=True)
