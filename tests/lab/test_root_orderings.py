"""The lab's root lists read their page in order from an index (V130__lab_orderings): listing
the first few of many challenges, ideas or pilots by title costs a few records, not every
record of the label sorted. Measured as the database counts it (the rows of the statement's
first scan), on the statement the gateway compiles."""

from __future__ import annotations

from typing import Any

import pytest

from civicgraph.api.context import RequestContext
from civicgraph.core.access import Principal
from civicgraph.core.graph import Graph, recording_statements
from civicgraph.gateway import execution

ADMIN = Principal(client_id="tests", scopes=frozenset({"admin"}))
MANY = 60
FIRST = 3

# (root field, label, properties a visible record of it has), each list read by title.
LISTS = [
    ("challenges", "Challenge", "status: 'OPEN'"),
    ("ideas", "Idea", "status: 'SUBMITTED', origin: 'PUBLIC'"),
    ("pilots", "Pilot", "status: 'PILOT'"),
]


def _seed(graph: Graph, label: str, props: str) -> None:
    graph.run(
        f"UNWIND range(1, $many) AS i CREATE (n:{label} {{id: randomUUID(), "
        f"title: 'Item ' + right('00' + toString(($many - i) % 7), 2) + ' ' + toString(i), "
        f"createdAt: datetime('2026-01-01T00:00:00Z') + duration({{minutes: i}}), "
        f"updatedAt: datetime(), version: 1, {props}}})",
        {"many": MANY}, write=True)


def _scanned(graph: Graph, cypher: str, values: dict[str, Any]) -> int:
    """Rows produced by the leaf that reads the label's records (a scan or an index seek)."""
    with graph.driver.session(database=graph.database) as session:
        plan = session.run("PROFILE " + cypher, values).consume().profile
    assert plan is not None

    def leaves(op: dict[str, Any]) -> list[dict[str, Any]]:
        children = op.get("children", [])
        return [op] if not children else [leaf for c in children for leaf in leaves(c)]

    scans = [leaf for leaf in leaves(plan)
             if "Scan" in leaf["operatorType"] or "Seek" in leaf["operatorType"]]
    assert scans, plan
    return int(scans[0]["rows"])


@pytest.mark.parametrize(("field", "label", "props"), LISTS)
def test_a_root_page_by_title_reads_a_few_records_from_the_index(
        graph: Graph, field: str, label: str, props: str) -> None:
    _seed(graph, label, props)
    query = (f"{{ {field}(first: {FIRST}, orderBy: [{{field: TITLE}}]) "
             "{ pageInfo { hasNextPage } nodes { id title } } }")
    with recording_statements(keep_values=True) as log:
        answer = execution.run(query, None, None, RequestContext(
            graph=graph, tasks=None, request_id="orderings", principal=ADMIN))  # type: ignore[arg-type]
    assert "errors" not in answer.body, answer.body
    page = answer.body["data"][field]
    assert len(page["nodes"]) == FIRST and page["pageInfo"]["hasNextPage"] is True
    titles = [n["title"] for n in page["nodes"]]
    assert titles == sorted(titles) and titles[0].startswith("Item 00")
    (entry,) = log.entries
    read = _scanned(graph, entry["cypher"], entry["values"])
    # first + 1 (is there a next page) and any that tie with the last on title; never all 60.
    assert read <= FIRST + 2, f"{field} by title read {read} of {MANY} records"
