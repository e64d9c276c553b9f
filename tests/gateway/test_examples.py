"""The GraphQL examples in README.md and docs/ are checked against the served schema.

Every fenced ``graphql`` block is parsed and validated with the gateway's own rules, so an
example that drifts from the schema (a renamed mutation, a field that moved) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from civicgraph.gateway.schema import schema

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
