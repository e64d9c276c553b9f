"""Answers written as JSON text by the database (compiler/json_text.py) are the answers the
gateway writes itself.

The HTTP endpoint asks for a root connection's items as ``apoc.convert.toJson`` text; an
in-process caller gets dicts from the same compiler. Every query of a battery (the README's and
docs' queries, connections with edges and nodes under aliases, temporal and Int fields,
relationship properties, nested cursors, the lab's reads as an admin) must give the same answer
both ways, and the HTTP statements must really carry the text (else this test proves nothing).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask

from civicgraph.api.context import RequestContext
from civicgraph.cli import demo
from civicgraph.compiler import json_text
from civicgraph.core.access import ADMIN, ANONYMOUS, Principal
from civicgraph.core.graph import Graph
from civicgraph.gateway import execution
from partners import demo as partner_demo
from tests.builders import client_with_token
from tests.gateway.test_examples import EXAMPLES, PLACEHOLDER, is_mutation
from tests.gateway.test_plan_cache import CONNECTION, LAB, PAGES, seed_lab

NESTED_PAGES = """query ($after: String) { organisations(first: 3, orderBy: [{field: NAME}]) {
  edges { cursor node { name partners(first: 1, after: $after) {
    edges { cursor since agreement node { name } } pageInfo { hasNextPage endCursor } } } } } }"""


def in_process(graph: Graph, query: str, variables: dict[str, Any] | None,
               principal: Principal) -> Any:
    answer = execution.run(query, variables, None, RequestContext(
        graph=graph, tasks=None, request_id="json-text", principal=principal))  # type: ignore[arg-type]
    return orjson.loads(orjson.dumps(answer.body))


def test_the_databases_json_text_is_the_gateways_answer(app: Flask, graph: Graph) -> None:
    demo.seed(graph)
    partner_demo.sync_demo(graph)
    seed_lab(graph)
    assert json_text.available(graph), "the test Neo4j has APOC (make neo4j fetches it)"
    admin = client_with_token(app, graph, ["admin"])
    anonymous = app.test_client()
    org_id = graph.run("MATCH (o:Organisation) WHERE (o)-[:PARTNERS_WITH]-() "
                       "RETURN o.id AS id LIMIT 1")[0]["id"]
    battery: list[tuple[str, dict[str, Any] | None]] = [
        (text.replace(PLACEHOLDER, f'"{org_id}"'), None)
        for _, text in EXAMPLES if not is_mutation(text)]
    battery += [(CONNECTION, {"n": 3}), (PAGES, {"withTotal": True, "noCursor": False}),
                (LAB, None), (NESTED_PAGES, None)]
    as_text = 0
    for query, variables in battery:
        for client, principal in ((anonymous, ANONYMOUS), (admin, Principal(
                subject="admin", client_id="admin", scopes=frozenset({ADMIN})))):
            response = client.post("/graphql", json={"query": query, "variables": variables})
            body = response.get_json()
            statements = (body.pop("extensions", None) or {}).pop("cypher", [])
            as_text += sum(json_text.FUNCTION in s["cypher"] for s in statements)
            expected = in_process(graph, query, variables, principal)
            expected.pop("extensions", None)
            assert body == expected, query
    assert as_text >= len(battery), "the HTTP answers were not written by the database"

    # A nested page by cursor keeps its refusal check: another record's cursor is refused.
    first = admin.post("/graphql", json={"query": NESTED_PAGES}).get_json()
    cursor = next(e["node"]["partners"]["pageInfo"]["endCursor"]
                  for e in first["data"]["organisations"]["edges"]
                  if e["node"]["partners"]["pageInfo"]["endCursor"])
    refused = admin.post("/graphql", json={"query": NESTED_PAGES,
                                          "variables": {"after": cursor}}).get_json()
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
