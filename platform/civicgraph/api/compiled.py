"""Let graphql-core return compiled subtrees as they are.

A compiled read already has the client's exact shape: every selected field under its response key,
fragments and directives applied, temporal values as text, ``__typename`` as a literal. Walking it
again field by field (graphql-core's value completion, about 1,500 resolver calls for the
benchmark's nested read) would cost several times the database round trip, so values wrapped in
``Compiled`` are returned without completing their fields. What is given up: a null in a
non-null field of stored data is passed through rather than reported, and the order of keys inside
a compiled object is the database's, not the selection's (JSON objects are unordered).
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionContext


class Compiled(dict[str, Any]):
    """A projection produced by the compiler for this very selection."""


def compiled(item: dict[str, Any] | None) -> Compiled | None:
    if item is None:
        return None
    item.pop("__type", None)
    item.pop("__keys", None)
    return Compiled(item)


class CompiledExecutionContext(ExecutionContext):
    def complete_value(self, return_type: Any, field_nodes: Any, info: Any, path: Any,
                       result: Any) -> Any:
        if isinstance(result, Compiled):
            return result
        return super().complete_value(return_type, field_nodes, info, path, result)


def compiled_all(items: list[dict[str, Any]]) -> list[Compiled]:
    return [Compiled(item) for item in items]
