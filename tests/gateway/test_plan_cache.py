"""The plan cache (gateway/plans.py) answers exactly what graphql-core's execution answers.

Every request of a battery (the README's and docs' queries, connections with edges, nodes,
cursors, pageInfo and totalCount, aliases, fragments on ``node(id:)`` over two types, enums,
DateTime, variables, ``@skip``/``@include``, errors of every kind) is sent to the session's app,
where the cache is on, twice (the first builds the plan, the second runs it), and to an app with
``plan_cache`` off; status and JSON body must be the same. Callers differ (anonymous, a reader,
an admin) and share one plan per document, so visibility decided per caller is checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.api.compiled import CompiledExecutionContext
from civicgraph.api.limits import Limits
from civicgraph.app import create_app
from civicgraph.cli import demo
from civicgraph.core.graph import Graph
from civicgraph.gateway import plans
from partners import demo as partner_demo
from tests.builders import client_with_token, gql
from tests.gateway.test_examples import EXAMPLES, PLACEHOLDER, is_mutation

CONNECTION = """query Page($n: Int!) {
  a: organisations(first: $n, orderBy: [{field: NAME}]) {
    totalCount __typename
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    edges { cursor __typename node { __typename id name kind createdAt updatedAt } }
    nodes { id n: name region }
  }
  b: organisations(first: 2, orderBy: [{field: NAME, direction: DESC}]) { nodes { name } }
  __typename
}"""

PAGES = """query Next($after: String, $withTotal: Boolean!, $noCursor: Boolean!) {
  vacancies(first: 2, after: $after) {
    totalCount @include(if: $withTotal)
    pageInfo { hasNextPage endCursor }
    edges { cursor @skip(if: $noCursor) node { id title postedAt status
      organisation { name kind } skills(first: 2) { totalCount nodes { name } } } }
  }
}"""

NODES = """query Two($a: ID!, $b: ID!, $missing: ID!) {
  x: node(id: $a) { ...Either }
  y: node(id: $b) { ...Either }
  z: node(id: $missing) { id }
}
fragment Either on Node {
  __typename id
  ... on Organisation { name kind partners(first: 2) { nodes { name } } }
  ... on Vacancy { title closesAt organisation { name } }
}"""

LAB = """query Lab { challenges(first: 5, orderBy: [{field: TITLE}]) {
  totalCount edges { cursor node { id title status deadline createdAt
    proposals(first: 3, orderBy: [{field: TITLE}]) { nodes { id title proposer { name } } } } }
} }"""

TWO_OPERATIONS = """query One { organisations(first: 1) { nodes { name } } }
query Other { skills(first: 2) { nodes { name } } }"""

DEEP = "{ organisations(first: 1) { nodes { partners(first: 1) { nodes { partners(first: 1) {" \
       " nodes { partners(first: 1) { nodes { partners(first: 1) { nodes { partners(first: 1)" \
       " { nodes { partners(first: 1) { nodes { partners(first: 1) { nodes { partners(first:" \
       " 1) { nodes { partners(first: 1) { nodes { partners(first: 1) { nodes { name } } } } }" \
       " } } } } } } } } } } } } } } } } } } } } }"


def seed_lab(graph: Graph) -> None:
    """Two opened challenges and a draft (lab staff see the draft, others do not), with
    proposals sent by the demo's organisations."""
    graph.run(
        "MATCH (o:Organisation) WITH collect(o)[..3] AS orgs "
        "UNWIND [['Open water', 'OPEN'], ['Clean air', 'OPEN'], ['Draft idea', 'DRAFT']] AS c "
        "CREATE (ch:Challenge {id: randomUUID(), title: c[0], description: 'A challenge.', "
        "  status: c[1], version: 1, createdAt: datetime('2026-01-02T03:04:05Z'), "
        "  updatedAt: datetime('2026-01-02T03:04:05Z'), "
        "  deadline: datetime('2026-06-30T12:00:00Z')}) "
        "WITH ch, orgs UNWIND range(0, size(orgs) - 1) AS i "
        "CREATE (p:Proposal {id: randomUUID(), title: ch.title + ' proposal ' + i, "
        "  summary: 'A proposal.', status: 'SUBMITTED', version: 1, createdAt: datetime(), "
        "  updatedAt: datetime()})-[:RESPONDS_TO]->(ch) "
        "WITH p, orgs[i] AS o CREATE (p)-[:SUBMITTED_BY]->(o)", write=True)


@pytest.fixture(scope="module")
def usual_app(app: Flask) -> Flask:
    """The same app with the plan cache off: every request through graphql-core."""
    settings = app.extensions["civicgraph"]["settings"]
    usual = create_app({
        "debug_cypher": settings.debug_cypher, "log_json": True, "keys_dir": settings.keys_dir,
        "secret_key": settings.secret_key,
        "token_rate_per_ip": 1_000_000, "token_rate_per_client": 1_000_000,
        "plan_cache": False,
    })
    usual.testing = True
    assert usual.extensions["civicgraph"]["settings"].plan_cache is False
    assert settings.plan_cache is True
    return usual


@pytest.fixture
def executed_fields(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The fields graphql-core executes, counted as it executes them."""
    seen: list[str] = []
    original = CompiledExecutionContext.execute_field

    def counting(self: CompiledExecutionContext, parent_type: Any, source: Any,
                 field_nodes: Any, path: Any) -> Any:
        seen.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return original(self, parent_type, source, field_nodes, path)

    monkeypatch.setattr(CompiledExecutionContext, "execute_field", counting)
    yield seen


def post(client: FlaskClient, query: str, variables: dict[str, Any] | None = None,
         operation: str | None = None) -> tuple[int, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables,
                                             "operationName": operation})
    return response.status_code, response.get_json()


def without_cypher(body: Any) -> Any:
    """The debug extension lists the statements run; it is the same on both paths when it is
    on, but the test compares what a client gets in production (debug off)."""
    if isinstance(body, dict) and "extensions" in body:
        body = {k: v for k, v in body.items() if k != "extensions"}
        extensions = {k: v for k, v in (body.get("extensions") or {}).items() if k != "cypher"}
        if extensions:
            body["extensions"] = extensions
    return body


def test_the_cache_answers_as_graphql_core_does(
        app: Flask, usual_app: Flask, graph: Graph,
        authorised: Callable[..., FlaskClient]) -> None:
    demo.seed(graph)
    partner_demo.sync_demo(graph)
    seed_lab(graph)
    plans.PLANS.clear()
    callers: dict[str, tuple[FlaskClient, FlaskClient]] = {}
    for name, scopes in (("anonymous", None), ("reader", ["graph:read"]), ("admin", ["admin"])):
        if scopes is None:
            callers[name] = (app.test_client(), usual_app.test_client())
        else:
            fast = client_with_token(app, graph, scopes)
            usual = usual_app.test_client()
            usual.environ_base.update(fast.environ_base)  # the same bearer token
            callers[name] = (fast, usual)

    reader = callers["reader"][0]
    listed = gql(reader, "{ organisations(first: 50) { nodes { id partners(first: 1) {"
                         " totalCount } } } }")
    org_id = next(n["id"] for n in listed["data"]["organisations"]["nodes"]
                  if n["partners"]["totalCount"])
    vacancy_id = gql(reader, "{ vacancies(first: 1) { nodes { id } } }")[
        "data"]["vacancies"]["nodes"][0]["id"]
    first_page = gql(reader, PAGES, {"withTotal": True, "noCursor": False})
    after = first_page["data"]["vacancies"]["pageInfo"]["endCursor"]
    assert after

    # A root field that is not a compiled read: the whole operation runs the usual way.
    mixed: tuple[str, dict[str, Any] | None, str | None] = (
        "{ organisations(first: 1) { nodes { name } } partnersOfPartners(id: "
        f'"{org_id}") {{ distance organisation {{ name }} }} }}', None, None)
    battery: list[tuple[str, dict[str, Any] | None, str | None]] = [
        (text.replace(PLACEHOLDER, f'"{org_id}"'), None, None)
        for _, text in EXAMPLES if not is_mutation(text)]
    battery += [
        (CONNECTION, {"n": 3}, None),
        (CONNECTION, {"n": 1}, None),
        (PAGES, {"withTotal": True, "noCursor": False}, None),
        (PAGES, {"after": after, "withTotal": False, "noCursor": True}, None),
        (NODES, {"a": org_id, "b": vacancy_id, "missing": "no-such-id"}, None),
        (NODES, {"a": vacancy_id, "b": org_id, "missing": org_id}, None),
        (LAB, None, None),
        (TWO_OPERATIONS, None, "Other"),
        (TWO_OPERATIONS, None, "One"),
        mixed,
        ("{ __typename }", None, None),
        # Errors: variables, limits, page arguments, a forged cursor, a record not found,
        # an unknown operation, the access policy.
        (CONNECTION, {"n": "three"}, None),
        (CONNECTION, {}, None),
        (CONNECTION, {"n": 1000}, None),
        (PAGES, {"after": "forged", "withTotal": True, "noCursor": False}, None),
        (PAGES, {"after": after[:-2], "withTotal": True, "noCursor": False}, None),
        ("query ($id: ID!) { challenge(id: $id) { title } }", {"id": "no-such-challenge"},
         None),
        ("{ a: organisation(id: \"no-such-org\") { name } b: skills(first: 1) { nodes"
         " { name } } }", None, None),
        (DEEP, None, None),
        (TWO_OPERATIONS, None, "Third"),
        (TWO_OPERATIONS, None, None),
        ("{ ideas(first: 1) { nodes { id } } }", None, None),
        ("{ organisations(first: -1) { nodes { name } } }", None, None),
    ]
    # What is all compiled reads becomes a plan; what is not, or is refused, does not.
    planned = [
        (CONNECTION, {"n": 3}, None),
        (PAGES, {"after": after, "withTotal": False, "noCursor": True}, None),
        (NODES, {"a": org_id, "b": vacancy_id, "missing": "no-such-id"}, None),
        (LAB, None, None),
        (TWO_OPERATIONS, None, "Other"),
        ("{ __typename }", None, None),
        ("query ($id: ID!) { challenge(id: $id) { title } }", {"id": "no-such-challenge"},
         None),
    ]
    usual_way = [mixed, (CONNECTION, {"n": "three"}, None), (TWO_OPERATIONS, None, None)]
    limits = Limits.from_settings(app.extensions["civicgraph"]["settings"])
    compared = 0
    for query, variables, operation in battery:
        for name, (fast, usual) in callers.items():
            expected = post(usual, query, variables, operation)
            for attempt in ("builds the plan", "runs the plan"):
                got = post(fast, query, variables, operation)
                assert (got[0], without_cypher(got[1])) == \
                    (expected[0], without_cypher(expected[1])), (name, attempt, query, variables)
                compared += 1
    assert compared == len(battery) * len(callers) * 2
    for query, variables, operation in planned:
        assert plans.PLANS.planned(plans.PLANS.key(query, operation, variables, limits)), query
    for query, variables, operation in usual_way:
        assert not plans.PLANS.planned(plans.PLANS.key(query, operation, variables, limits))
    # The battery did go through plans: most of its requests were answered from one.
    assert plans.PLANS.hits > len(battery)


def test_a_repeated_read_runs_no_resolver_of_graphql_core(
        app: Flask, usual_app: Flask, graph: Graph, executed_fields: list[str]) -> None:
    demo.seed(graph)
    query = """query Nested { organisations(first: 3, orderBy: [{field: NAME}]) { edges {
      cursor node { id name partners(first: 2) { nodes { name } } } } } }"""
    usual = post(usual_app.test_client(), query)
    assert usual[0] == 200 and len(usual[1]["data"]["organisations"]["edges"]) == 3
    assert "Query.organisations" in executed_fields  # the hook sees graphql-core's execution
    executed_fields.clear()
    client = app.test_client()
    first = post(client, query)
    executed_fields.clear()
    second = post(client, query)
    assert executed_fields == []
    assert [(status, without_cypher(body)) for status, body in (first, second)] == \
        [(usual[0], without_cypher(usual[1]))] * 2
