"""Turn graphql-core's view of a field into the plain ``Selection`` tree the compiler reads.

Fragments (named and inline) are flattened, ``@skip``/``@include`` obeyed, variables substituted
and enum values reduced to their plain values, so nothing below this layer imports graphql-core.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_object_type,
)
from graphql.execution.collect_fields import should_include_node
from graphql.execution.values import get_argument_values

from civicgraph.compiler.selection import Selection


def _camel(key: str) -> str:
    """Graphene hands arguments over by Python name (``order_by``, ``in_``, ``from_``)."""
    head, *rest = key.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {_camel(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _collect(info: GraphQLResolveInfo, parent: Any, selection_set: SelectionSetNode | None,
             on_type: str | None, out: dict[tuple[str, str | None], Selection]) -> None:
    """Fields by (response key, type condition): ``... on Vacancy { title }`` and
    ``... on TrainingCourse { title }`` share a key but are two selections, one per type, so
    the compiler projects each type's own (repeats under one condition merge)."""
    if selection_set is None:
        return
    for node in selection_set.selections:
        if not isinstance(node, FieldNode | FragmentSpreadNode | InlineFragmentNode):
            continue
        if not should_include_node(info.variable_values, node):
            continue
        if isinstance(node, FieldNode):
            key = node.alias.value if node.alias else node.name.value
            built = _field(info, parent, node, on_type)
            earlier = out.get((key, on_type))
            if earlier is not None:
                built = Selection(earlier.field, key, earlier.args,
                                  earlier.children + built.children, earlier.on_type)
            out[(key, on_type)] = built
            continue
        if isinstance(node, FragmentSpreadNode):
            fragment = info.fragments[node.name.value]
            condition, sub = fragment.type_condition, fragment.selection_set
        elif isinstance(node, InlineFragmentNode):
            condition, sub = node.type_condition, node.selection_set
        else:
            continue
        target = parent
        narrowed = on_type
        if condition is not None:
            named = info.schema.get_type(condition.name.value)
            if named is not None:
                target = named
                if is_object_type(named) and named is not parent:
                    narrowed = named.name
        _collect(info, target, sub, narrowed, out)


def _field(info: GraphQLResolveInfo, parent: Any, node: FieldNode,
           on_type: str | None) -> Selection:
    key = node.alias.value if node.alias else node.name.value
    name = node.name.value
    fields = getattr(parent, "fields", {})
    definition = fields.get(name)
    if definition is None:  # __typename and other introspection fields
        return Selection(name, key, {}, (), on_type)
    args = _plain(get_argument_values(definition, node, info.variable_values))
    children: dict[tuple[str, str | None], Selection] = {}
    _collect(info, get_named_type(definition.type), node.selection_set, None, children)
    return Selection(name, key, args, tuple(children.values()), on_type)


def root_selection(info: GraphQLResolveInfo) -> Selection:
    """The resolving field as one Selection (several field nodes when the client repeated it)."""
    parent: GraphQLObjectType = info.parent_type
    merged: Selection | None = None
    for node in info.field_nodes:
        built = _field(info, parent, node, None)
        merged = built if merged is None else Selection(
            merged.field, merged.key, merged.args, merged.children + built.children)
    assert merged is not None
    return merged


def document_key(info: GraphQLResolveInfo) -> tuple[str, str | None] | None:
    """The plan cache's document part: the query text as sent and the operation's name."""
    loc = info.operation.loc
    if loc is None:
        return None
    operation = info.operation.name.value if info.operation.name else None
    return (loc.source.body, operation)
