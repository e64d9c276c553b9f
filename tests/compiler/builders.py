"""What compiler tests build: the selection tree the gateway builds for a GraphQL query, and the
statement and parameters the partner graph's reads would send for it, with no database.

``selection`` gives graphql-core exactly what a request gives it (the real schema, validation,
variable coercion, the execution context the gateway uses) and hands the root field's resolve
info to ``civicgraph.api.selection.root_selection``, as the resolvers do. ``compiled`` then picks
the compiler entry point the root field's resolver reaches (``partner_graph.cypher.reads``) and
fills the parameters as that module does before it calls the driver: the plan's own values, then
the caller's visibility.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionContext,
    GraphQLObjectType,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.execution.collect_fields import collect_fields
from graphql.pyutils import Path

from civicgraph.api.compiled import CompiledExecutionContext
from civicgraph.api.selection import root_selection
from civicgraph.compiler import discovery
from civicgraph.compiler.cypher import Plan, compile_by_id, compile_connection, compile_node
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import PUBLIC, Scope
from civicgraph.core.access import ANONYMOUS, Principal
from civicgraph.gateway.schema import schema
from civicgraph.partner_graph.api.queries import ROOTS
from civicgraph.partner_graph.service.reads import viewer_for


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Root field (as the schema spells it) -> the node type of its connection.
CONNECTIONS = {_camel(name): type_name for name, type_name in ROOTS.items()}
# The lab's connections go through the same compiler entry point (``connection_field``): the
# benchmark's cross-domain read starts at one.
CONNECTIONS["challenges"] = "Challenge"
# The other reads, each with its compiler entry point; every one takes the caller's visibility.
OTHER_READS: dict[str, tuple[Callable[[Selection, Scope], Plan], bool]] = {
    "node": (compile_node, True),
    "organisation": (lambda root, scope: compile_by_id(TYPES["Organisation"], root, scope), True),
    "partnersOfPartners": (discovery.compile_reach, True),
    "partnershipChain": (discovery.compile_chain, True),
    "similarOrganisations": (discovery.compile_similar, True),
}


def selection(query: str, variables: Mapping[str, Any] | None = None) -> Selection:
    """The one root field of a query document, as the gateway hands it to the partner graph."""
    graphql_schema = schema.graphql_schema
    document = parse(query)
    errors = validate(graphql_schema, document)
    assert not errors, errors
    context = CompiledExecutionContext.build(graphql_schema, document,
                                             raw_variable_values=dict(variables or {}))
    assert isinstance(context, ExecutionContext), context
    operation: OperationDefinitionNode = context.operation
    root_type = graphql_schema.query_type
    assert isinstance(root_type, GraphQLObjectType)
    fields = collect_fields(graphql_schema, context.fragments, context.variable_values,
                            root_type, operation.selection_set)
    assert len(fields) == 1, f"one root field per document here, not {list(fields)}"
    (key, nodes), = fields.items()
    definition = root_type.fields[nodes[0].name.value]
    info = context.build_resolve_info(definition, nodes, root_type,
                                      Path(None, key, root_type.name))
    return root_selection(info)


@dataclass(frozen=True)
class Compiled:
    """A read as it would reach the driver: the statement text and every parameter."""

    cypher: str
    params: dict[str, Any]


def compiled(query: str, variables: Mapping[str, Any] | None = None,
             principal: Principal = ANONYMOUS, json_text: bool = False) -> Compiled:
    root = selection(query, variables)
    if root.field in CONNECTIONS:
        viewer = viewer_for(principal)
        plan = compile_connection(TYPES[CONNECTIONS[root.field]], root, viewer.scope,
                                  json_text)
    else:
        compile_plan, sees = OTHER_READS[root.field]
        viewer = viewer_for(principal) if sees else PUBLIC
        plan = compile_plan(root, viewer.scope)
    return Compiled(plan.cypher, plan.with_caller(root, viewer.params()))
