"""What kit tests build: source data written straight into the graph with parameterised Cypher
(the kits read the graph, not an API), and a kit build started through GraphQL and waited for."""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql, wait_for


def vacancies(graph: Graph, cells: dict[tuple[str, str, str], int]) -> None:
    """Create ``n`` vacancies for each (region, occupation, month); the region is both the
    vacancy's region and its region code (the specs count by code)."""
    rows: list[dict[str, Any]] = []
    for (region, occupation, month), n in cells.items():
        posted = dt.date.fromisoformat(month + "-15")
        rows += [{"id": str(uuid.uuid4()), "region": region, "occupation": occupation,
                  "postedAt": posted} for _ in range(n)]
    graph.run(
        "UNWIND $rows AS row "
        "MERGE (o:Occupation {name: row.occupation}) ON CREATE SET o.id = randomUUID() "
        "CREATE (v:Vacancy {id: row.id, region: row.region, regionCode: row.region, "
        "postedAt: row.postedAt, "
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


BUILD = ("mutation($name: String!) { buildKit(input: {name: $name}) { "
         "build { id kit state percent requestedAt } } }")
STATUS = ("query($id: ID!) { kitBuild(id: $id) { id kit state percent stage error "
          "releaseNumber unchanged } }")
FINISHED = {"SUCCEEDED", "FAILED", "REFUSED", "SKIPPED", "LOST"}


def start_build(client: FlaskClient, name: str) -> str:
    body = gql(client, BUILD, {"name": name})
    assert "errors" not in body, body
    build: dict[str, Any] = body["data"]["buildKit"]["build"]
    # The payload is the build as it is once sent: a worker may have started it already.
    assert build["kit"] == name and build["requestedAt"]
    assert build["state"] in {"QUEUED", "RUNNING", *FINISHED}
    return str(build["id"])


def build_status(client: FlaskClient, build_id: str) -> dict[str, Any]:
    body = gql(client, STATUS, {"id": build_id})
    assert "errors" not in body, body
    status: dict[str, Any] = body["data"]["kitBuild"]
    return status


def wait_finished(client: FlaskClient, build_id: str, timeout: float = 120) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        status = build_status(client, build_id)
        return status if status["state"] in FINISHED else None

    result: dict[str, Any] = wait_for(done, timeout=timeout, interval=0.3)
    return result


def build(client: FlaskClient, name: str) -> dict[str, Any]:
    status = wait_finished(client, start_build(client, name))
    assert status["state"] == "SUCCEEDED", status
    return status


def unzip(data: bytes, target: Path) -> Path:
    archive = target / "kit.zip"
    archive.write_bytes(data)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target / "kit")
    return target / "kit"
