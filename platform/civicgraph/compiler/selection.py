"""The plain selection tree the GraphQL layer hands down, so the compiler never sees graphql-core.

A ``Selection`` is one field as the client asked for it: the schema field name, the response key
(the alias, or the name), its argument values with variables already substituted, and the fields
selected under it, fragments flattened. ``on_type`` is set for fields that came from a fragment on
a concrete type (``... on Vacancy { title }`` under ``node``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import Any

# Argument keys whose values change the Cypher text (an ORDER BY list, a variable-length bound):
# they are part of a plan's cache key; every other value is sent as a parameter.
STRUCTURAL_ARGS = frozenset({"orderBy", "hops", "maxHops"})


@dataclass(frozen=True)
class Selection:
    field: str
    key: str
    args: Mapping[str, Any] = dc_field(default_factory=dict)
    children: tuple[Selection, ...] = ()
    on_type: str | None = None

    def child(self, name: str) -> Selection | None:
        """The first selected child with this field name (aliases aside)."""
        return next((c for c in self.children if c.field == name), None)

    def selects(self, name: str) -> bool:
        return self.child(name) is not None

    @cached_property
    def shape(self) -> tuple[Any, ...]:
        """``shape(self)``, computed once: a plan the gateway keeps (gateway/plans.py) reuses
        its selections on every request, and the plan cache's key asks for their shape."""
        return (
            self.field,
            self.key,
            self.on_type,
            _arg_shape(self.args, False),
            tuple(c.shape for c in self.children),
        )


def _arg_shape(value: Any, structural: bool) -> Any:
    if structural:
        return repr(value)
    if isinstance(value, Mapping):
        return tuple(
            (key, _arg_shape(val, key in STRUCTURAL_ARGS))
            for key, val in sorted(value.items())
            if val is not None
        )
    if isinstance(value, list | tuple):
        # A list of filters (AND/OR) shapes the statement item by item; a list of values
        # is one parameter whatever its length.
        if any(isinstance(item, Mapping) for item in value):
            return tuple(_arg_shape(item, False) for item in value)
        return "list"
    return type(value).__name__


def shape(selection: Selection) -> tuple[Any, ...]:
    """What the Cypher text depends on: names, keys, which arguments are present, structure."""
    return selection.shape
