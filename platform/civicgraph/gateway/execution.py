"""Parse, validate and execute one GraphQL request, and shape errors with codes.

The HTTP view stays a thin adapter; everything a GraphQL client sees is decided here. Error codes
follow Apollo's conventions so that existing client tooling recognises them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    specified_rules,
)
from graphql.validation import ValuesOfCorrectTypeRule

from civicgraph.api import document_cache
from civicgraph.api.compiled import CompiledExecutionContext
from civicgraph.api.context import RequestContext
from civicgraph.core.errors import DomainError
from civicgraph.core.outages import unavailable
from civicgraph.gateway import defaults, plans, policy
from civicgraph.gateway.schema import schema

log = logging.getLogger(__name__)

_STRUCTURE_RULES = [rule for rule in specified_rules if rule is not ValuesOfCorrectTypeRule]


@dataclass
class GraphQLResponse:
    body: dict[str, Any]
    status: int = 200
    extensions: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extra}}


def format_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """Expose domain errors with their code; hide anything unexpected behind a request id."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, DomainError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code, **original.details}
    elif original is not None and (outage := unavailable(original)) is not None:
        log.warning("answered SERVICE_UNAVAILABLE at %s: %s", error.path, original,
                    extra={"request_id": request_id})
        formatted["message"] = outage.message
        formatted["extensions"] = {"code": outage.code, **outage.details}
    elif original is not None and not isinstance(original, GraphQLError):
        log.error(
            "unexpected error in resolver at %s", error.path, exc_info=original,
            extra={"request_id": request_id},
        )
        formatted["message"] = f"Internal error; quote request id {request_id} when reporting it"
        formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    elif "extensions" not in formatted or "code" not in formatted.get("extensions", {}):
        # Errors graphql-core raised itself while coercing variables: the caller's input.
        formatted["extensions"] = {"code": "BAD_USER_INPUT"}
    return formatted


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        return next((op for op in operations if op.name and op.name.value == name), None)
    return operations[0] if len(operations) == 1 else None


def run(
    query: Any,
    variables: Any,
    operation_name: Any,
    context: RequestContext,
    *,
    allow_mutations: bool = True,
) -> GraphQLResponse:
    if not isinstance(query, str) or not query.strip():
        return GraphQLResponse({"errors": [_error("Send a GraphQL query", "BAD_REQUEST")]}, 400)
    if variables is not None and not isinstance(variables, dict):
        return GraphQLResponse(
            {"errors": [_error("variables must be a JSON object", "BAD_REQUEST")]}, 400
        )
    if operation_name is not None and not isinstance(operation_name, str):
        return GraphQLResponse(
            {"errors": [_error("operationName must be a string", "BAD_REQUEST")]}, 400
        )
    try:
        # A hard stop well above the token limit, so a huge document is not even parsed.
        document = document_cache.parsed(query, context.limits.max_tokens * 10)
    except GraphQLError as exc:
        parse_error = {**exc.formatted, "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}
        return GraphQLResponse({"errors": [parse_error]}, 400)

    graphql_schema = schema.graphql_schema
    # Limits first: each error keeps its own code (DEPTH_LIMIT_EXCEEDED, ...), see limits.py.
    # Parsing and validation are remembered per query text (document_cache.py).
    limit_errors = document_cache.limit_errors(graphql_schema, query, context.limits, variables)
    if limit_errors:
        return GraphQLResponse({"errors": [e.formatted for e in limit_errors]}, 400)
    structure_errors, value_errors = document_cache.checked(
        graphql_schema, query, context.limits.max_tokens * 10,
        (tuple(_STRUCTURE_RULES), (ValuesOfCorrectTypeRule,)))
    if structure_errors or value_errors:
        errors = [
            {**e.formatted, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
            for e in structure_errors
        ] + [{**e.formatted, "extensions": {"code": "BAD_USER_INPUT"}} for e in value_errors]
        return GraphQLResponse({"errors": errors}, 400)

    operation = _operation(document, operation_name)
    is_mutation = operation is not None and operation.operation is OperationType.MUTATION
    if is_mutation and not allow_mutations:
        return GraphQLResponse(
            {"errors": [_error("Mutations must be sent with POST", "METHOD_NOT_ALLOWED")]}, 405
        )

    if operation is not None:
        denied = policy.check(graphql_schema, document, operation, context)
        if denied is not None:
            return GraphQLResponse(denied.body, denied.status, headers=denied.headers)

    result = None
    applied = False
    key = (plans.PLANS.key(query, operation_name, variables, context.limits)
           if context.settings.plan_cache and operation is not None and not is_mutation
           else None)
    if key is not None:
        found, plan = plans.PLANS.get(key)
        if not found:
            document = defaults.apply(graphql_schema, query, context.limits.max_tokens * 10,
                                      document, variables)
            applied = True
            plan = _plan(graphql_schema, document, variables, operation_name, context)
            plans.PLANS.put(key, plan)
        if plan is not None:
            try:
                result = plans.execute(plan, context)
            except plans.NotShaped:
                result = None  # graphql-core completes it, and reports what it finds
    if result is None:
        if not applied:
            # An explicit null on a defaulted argument means the default (gateway/defaults.py).
            document = defaults.apply(graphql_schema, query, context.limits.max_tokens * 10,
                                      document, variables)
        executed = execute(
            graphql_schema,
            document,
            variable_values=variables,
            operation_name=operation_name,
            context_value=context,
            execution_context_class=CompiledExecutionContext,
        )
        assert isinstance(executed, ExecutionResult), "resolvers are synchronous"
        result = executed
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_error(e, context.request_id) for e in result.errors]
    body["data"] = result.data
    # Variables that could not be coerced fail the request before any resolver ran (no path).
    rejected = result.data is None and all(e.path is None for e in result.errors or [])
    status = 400 if rejected and result.errors else 200
    if any(e.get("extensions", {}).get("code") == "SERVICE_UNAVAILABLE"
           for e in body.get("errors", [])):
        # Not 200 with an error inside, as GraphQL over HTTP prefers for application/json: a
        # dependency outage is the server's, and 503 with Retry-After is what load balancers,
        # client libraries and operators' alerts act on. The body is still GraphQL's; what
        # committed before the outage is in its data (a mutation's payload).
        return GraphQLResponse(body, 503, headers={
            "Retry-After": str(context.settings.retry_after_seconds)})
    return GraphQLResponse(body, status)


def _plan(schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None,
          operation_name: str | None, context: RequestContext) -> plans.Plan | None:
    """The operation's plan, or None (remembered) when it is not all compiled reads; a
    document the planner trips over is simply not a plan: the usual path answers it."""
    try:
        return plans.build(schema, document, variables, operation_name, context)
    except Exception:
        log.exception("no plan for operation %s; it runs the usual way", operation_name)
        return None


def outage_response(outage: DomainError, retry_after: int) -> GraphQLResponse:
    """A dependency failed before execution (the token's revocation check, the policy)."""
    return GraphQLResponse({"errors": [_error(outage.message, outage.code, **outage.details)]},
                           503, headers={"Retry-After": str(retry_after)})
