"""Every GraphQL type name names one Python type: graphene does not refuse a clash, it keeps one
of them silently, and the other domain's resolvers then answer with the wrong shape."""

from __future__ import annotations

import sys

import graphene
from graphene.types.inputobjecttype import InputObjectTypeContainer

from civicgraph.gateway.schema import schema


def _subclasses(base: type) -> list[type]:
    found: list[type] = []
    sub: type
    for sub in base.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _graphene_own(cls: type) -> bool:
    """graphene's library classes (relay's PageInfo, ...), as opposed to types made with type()."""
    module = sys.modules.get(cls.__module__)
    return cls.__module__.startswith("graphene.") and getattr(module, cls.__qualname__, None) is cls


def test_no_two_types_share_a_graphql_name() -> None:
    type_map = schema.graphql_schema.type_map
    clashes: list[str] = []
    for base in (graphene.ObjectType, graphene.InputObjectType, graphene.Interface):
        for cls in _subclasses(base):
            if issubclass(cls, InputObjectTypeContainer):
                continue  # graphene's own per-input container class, not a type of ours
            # An abstract base (api.mutation.Mutation) has no _meta of its own and no type.
            name = getattr(cls.__dict__.get("_meta"), "name", None)
            held = type_map.get(name) if name else None
            owner = getattr(held, "graphene_type", None)
            if owner is not None and owner is not cls and not _graphene_own(cls):
                clashes.append(f"{name}: {cls.__module__}.{cls.__qualname__} is hidden by "
                               f"{owner.__module__}.{owner.__qualname__}")
    assert clashes == []
