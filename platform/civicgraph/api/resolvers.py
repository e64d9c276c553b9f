"""How fields read their value from what the services return.

Services return plain dicts keyed as in the graph (camelCase, as Cypher projections name them);
GraphQL field names are camelCase too, while graphene's attribute names are snake_case. Reading
the dict by the schema's field name first lets every type resolve straight from a projection,
with no per-field resolver.
"""

from __future__ import annotations

from typing import Any

from graphene.types.resolver import dict_or_attr_resolver


def field_name_resolver(attname: str, default_value: Any, root: Any, info: Any, **args: Any) -> Any:
    if isinstance(root, dict):
        # Compiled reads key each value by the response key, so aliases of one field with
        # different arguments each get their own value.
        key = info.path.key
        if key in root:
            return root[key]
        if info.field_name in root:
            return root[info.field_name]
    return dict_or_attr_resolver(attname, default_value, root, info, **args)
