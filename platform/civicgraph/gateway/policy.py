"""Who may call which root field: ONE table, default-deny, checked before anything executes.

The table is gathered from each domain's ``policy`` module. Every root field of every operation
(through fragments and aliases) is looked up as ``"Query.<field>"`` / ``"Mutation.<field>"``. A
field missing from the table is not open: it needs ``graph:read`` as a query and ``admin`` as a
mutation, so a field added by any domain is protected from the moment it exists, and opening it
up is a one-line change in that domain's rows. ``PUBLIC`` fields need no token (the public
directory). ``admin`` satisfies every scope.

Finer rules live where the data is: ownership in the services (``require_owner``), consent in
the Cypher that reads citizen data (``identity.cypher.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from civicgraph.api.context import RequestContext
from civicgraph.core.access import ADMIN, GRAPH_READ, Rule, needs
from civicgraph.identity import policy as identity_policy
from civicgraph.lab import policy as lab_policy
from civicgraph.partner_graph import policy as partner_graph_policy
from hackathon_kits import policy as kits_policy
from partners import policy as partners_policy

# Each domain's rows, gathered.
DOMAIN_POLICIES = (partner_graph_policy, kits_policy, lab_policy, partners_policy,
                   identity_policy)


def gather(*tables: dict[str, Rule]) -> dict[str, Rule]:
    """One table from the domains' rows; a field named twice is a mistake, not an override."""
    table: dict[str, Rule] = {}
    for rows in tables:
        for path, rule in rows.items():
            if path in table:
                raise ValueError(f"{path} has a policy row in two domains")
            table[path] = rule
    return table


POLICY: dict[str, Rule] = gather(*(module.POLICY for module in DOMAIN_POLICIES))

DEFAULT: dict[OperationType, Rule] = {
    OperationType.QUERY: needs(GRAPH_READ),
    OperationType.MUTATION: needs(ADMIN),
    OperationType.SUBSCRIPTION: needs(ADMIN),
}

_INTROSPECTION = {"__schema", "__type"}


@dataclass
class Denied:
    body: dict[str, Any]
    status: int
    headers: dict[str, str]


def rule_for(type_name: str, operation: OperationType, field_name: str) -> Rule:
    return POLICY.get(f"{type_name}.{field_name}", DEFAULT[operation])


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> list[str]:
    """Field names (not aliases) at the root, through fragment spreads and inline fragments."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    names: list[str] = []
    seen: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    walk(fragments[name].selection_set)

    walk(operation.selection_set)
    return names


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extra}}


def check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
          context: RequestContext) -> Denied | None:
    """None when every root field may run for this caller; else the errors, nothing executed."""
    root = schema.get_root_type(operation.operation)
    type_name = root.name if root else operation.operation.value.capitalize()
    principal = context.principal
    unauthenticated: list[dict[str, Any]] = []
    forbidden: list[dict[str, Any]] = []
    for name in root_fields(document, operation):
        path = f"{type_name}.{name}"
        if name == "__typename":
            continue
        if name in _INTROSPECTION:
            if not context.introspection:
                return Denied({"errors": [_error(
                    "GraphQL introspection is off in this deployment",
                    "GRAPHQL_VALIDATION_FAILED")], "data": None}, 400, {})
            continue
        rule = rule_for(type_name, operation.operation, name)
        if rule.scope is None:
            continue
        if not principal.authenticated:
            unauthenticated.append(_error(
                f"{path} needs an access token with scope {rule.scope}", "UNAUTHENTICATED",
                field=path, requiredScope=rule.scope))
        elif not principal.has_scope(rule.scope):
            forbidden.append(_error(
                f"{path} needs scope {rule.scope}", "FORBIDDEN", field=path,
                requiredScope=rule.scope))
        elif rule.roles and not (rule.roles & principal.roles):
            roles = ", ".join(sorted(rule.roles))
            forbidden.append(_error(f"{path} needs the role {roles}", "FORBIDDEN",
                                    field=path, requiredRoles=sorted(rule.roles)))
    if unauthenticated:
        return Denied({"errors": unauthenticated + forbidden, "data": None}, 401,
                      {"WWW-Authenticate": 'Bearer realm="civicgraph"'})
    if forbidden:
        scopes = " ".join(sorted({e["extensions"].get("requiredScope", "") for e in forbidden}
                                 - {""}))
        header = 'Bearer realm="civicgraph", error="insufficient_scope"'
        if scopes:
            header += f', scope="{scopes}"'
        return Denied({"errors": forbidden, "data": None}, 403, {"WWW-Authenticate": header})
    return None
