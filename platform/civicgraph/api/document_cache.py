"""Parsed and validated documents, remembered per query text.

Clients send the same few documents again and again; parsing and validating one costs about as
much as a small database read. The schema does not change while the process runs, so the
validation of a text is remembered with it; limits that depend on variables (page size, cost) are
remembered per (text, limits, variables).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from civicgraph.api.limits import Limits, rules

SIZE = 512


@lru_cache(maxsize=SIZE)
def parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


def checked(schema: GraphQLSchema, query: str, max_tokens: int,
            rule_sets: tuple[tuple[Any, ...], ...]) -> tuple[list[GraphQLError], ...]:
    return _checked(schema, query, max_tokens, rule_sets)


@lru_cache(maxsize=SIZE)
def _checked(schema: GraphQLSchema, query: str, max_tokens: int,
             rule_sets: tuple[tuple[Any, ...], ...]) -> tuple[list[GraphQLError], ...]:
    document = parsed(query, max_tokens)
    return tuple(validate(schema, document, list(rule_set)) for rule_set in rule_sets)


def limit_errors(schema: GraphQLSchema, query: str, limits: Limits,
                 variables: dict[str, Any] | None) -> list[GraphQLError]:
    try:
        key = json.dumps(variables, sort_keys=True) if variables else ""
    except (TypeError, ValueError):
        return _limits(schema, query, limits, variables)
    return _limits_cached(schema, query, limits, key)


@lru_cache(maxsize=SIZE)
def _limits_cached(schema: GraphQLSchema, query: str, limits: Limits,
                   variables_key: str) -> list[GraphQLError]:
    variables = json.loads(variables_key) if variables_key else None
    return _limits(schema, query, limits, variables)


def _limits(schema: GraphQLSchema, query: str, limits: Limits,
            variables: dict[str, Any] | None) -> list[GraphQLError]:
    document = parsed(query, limits.max_tokens * 10)
    return validate(schema, document, rules(limits, variables))
