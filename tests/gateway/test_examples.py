"""The GraphQL examples in README.md and docs/ are checked against the served schema, then run.

Every fenced ``graphql`` block is parsed and validated with the gateway's own rules, so an
example that drifts from the schema (a renamed mutation, a field that moved) fails here; then
each is sent over HTTP to the app on the demo data ``make run`` loads, as a reader of the docs
would, so an example that validates but errors when run fails too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from graphql import OperationType, parse, validate
from graphql.language import OperationDefinitionNode

from civicgraph.cli import demo
from civicgraph.core.graph import Graph
from civicgraph.gateway.schema import schema
from partners import demo as partner_demo
from tests.builders import gql

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for source in SOURCES:
        for number, match in enumerate(BLOCK.finditer(source.read_text()), 1):
            found.append((f"{source.name}#{number}", match.group(1)))
    return found


EXAMPLES = examples()


def test_there_are_examples_to_check() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("where", "text"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_an_example_is_valid_against_the_served_schema(where: str, text: str) -> None:
    errors = validate(schema.graphql_schema, parse(text))
    assert [e.message for e in errors] == [], where


# An id the docs leave for the reader to fill in.
PLACEHOLDER = '"…"'


def is_mutation(text: str) -> bool:
    return any(isinstance(d, OperationDefinitionNode) and d.operation == OperationType.MUTATION
               for d in parse(text).definitions)


def test_every_example_runs_on_the_demo_graph(
        graph: Graph, authorised: Callable[..., FlaskClient], admin_client: FlaskClient) -> None:
    """Queries run with a graph:read token (what the README tells a reader to get), mutations
    as an admin. Each answers without errors and with every top-level field non-null."""
    reader = authorised(["graph:read"])
    # What `make run` loads: the demo ecosystem, then the ESCO sample and the demo partner feeds.
    demo.seed(graph)
    partner_demo.sync_demo(graph)
    # The reader fills the placeholder with the id of an organisation the API lists with
    # partners (the example is about partners of partners).
    listed = gql(reader, "{ organisations(first: 50) { nodes { id partners(first: 1) {"
                         " totalCount } } } }")
    some_id = next(n["id"] for n in listed["data"]["organisations"]["nodes"]
                   if n["partners"]["totalCount"])
    failures = []
    for where, text in EXAMPLES:
        body = gql(admin_client if is_mutation(text) else reader,
                   text.replace(PLACEHOLDER, f'"{some_id}"'), status=None)
        data = body.get("data") or {}
        if body.get("errors") or not data or any(v is None for v in data.values()):
            failures.append(f"{where}: {body}")
    assert failures == [], "\n".join(failures)
