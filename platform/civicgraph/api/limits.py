"""Request limits as graphql-core validation rules, checked before anything runs.

Each limit is its own ``ASTValidationRule`` and its error carries its own ``extensions.code``
(``DEPTH_LIMIT_EXCEEDED``, ``ALIAS_LIMIT_EXCEEDED``, ``COST_LIMIT_EXCEEDED``,
``TOKEN_LIMIT_EXCEEDED``) plus ``limit`` and ``max`` details, so a client can tell which one it
hit. A page size out of range is ``BAD_USER_INPUT`` with ``limit: "pageSize"``, as it was before
the limits existed (and as the services say when the value arrives another way). Defaults follow
GraphQL Armor's; each is an environment variable (README). Introspection fields (``__schema``…)
are not counted, so GraphiQL works.

Cost is an estimate made from the document alone: every field costs 1, and a list or connection
multiplies what is under it by its ``first``/``last`` (a literal or a variable's value; absent,
20, the compiler's default); a connection's own ``edges``/``nodes`` lists do not multiply again.
A list that cannot be paged (no ``first``/``last`` argument: a kit's columns, a match's missing
skills) is small by nature and multiplies by 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.language import Lexer, TokenKind

CONNECTION_DEFAULT = 20
NESTED_DEFAULT = 20
UNPAGED_DEFAULT = 5
NESTED_CAP = 1000


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 15
    max_cost: int = 5000
    max_tokens: int = 2000
    max_page_size: int = 100

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(settings.max_depth, settings.max_aliases, settings.max_cost,
                   settings.max_tokens, settings.max_page_size)


def page_max(info: Any) -> int:
    limits = getattr(info.context, "limits", None)
    return limits.max_page_size if isinstance(limits, Limits) else Limits().max_page_size


def _error(rule: ASTValidationRule, message: str, code: str, limit: str, maximum: int,
           node: Any = None) -> None:
    rule.report_error(GraphQLError(message, node, extensions={
        "code": code, "limit": limit, "max": maximum}))


def _fields(context: ValidationContext, selection_set: SelectionSetNode | None,
            seen: frozenset[str] = frozenset()) -> list[FieldNode]:
    """The fields of a selection set with fragments spread (each fragment once per path)."""
    out: list[FieldNode] = []
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FieldNode):
            out.append(node)
        elif isinstance(node, InlineFragmentNode):
            out += _fields(context, node.selection_set, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            fragment = context.get_fragment(node.name.value)
            if fragment is not None:
                out += _fields(context, fragment.selection_set, seen | {node.name.value})
    return out


_WRAPPERS = frozenset({"nodes", "edges", "node"})


def _level(field: FieldNode) -> int:
    """A connection's ``edges``/``nodes``/``node`` wrap the records of the level above them
    rather than reaching a new one, so depth counts the records a query walks: lists being
    connections everywhere must not halve how far a partner may traverse. ``node(id:)``, which
    takes an argument, is a root field and counts."""
    return 0 if field.name.value in _WRAPPERS and not field.arguments else 1


def _depth(context: ValidationContext, selection_set: SelectionSetNode | None) -> int:
    return max((_level(f) + _depth(context, f.selection_set)
                for f in _fields(context, selection_set)
                if not f.name.value.startswith("__")), default=0)


def _multiplier(field: FieldNode, field_type: Any, parent: Any,
                variables: dict[str, Any], pageable: bool) -> int:
    if getattr(parent, "name", "").endswith("Connection"):
        return 1
    named = get_named_type(field_type)
    is_connection = named is not None and named.name.endswith("Connection")
    if not (is_connection or is_list_type(get_nullable_type(field_type))):
        return 1
    for arg in field.arguments:
        if arg.name.value in ("first", "last"):
            if isinstance(arg.value, IntValueNode):
                return max(0, int(arg.value.value))
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value)
                if isinstance(value, int):
                    return max(0, min(value, NESTED_CAP))
    if is_connection:
        return CONNECTION_DEFAULT
    return NESTED_DEFAULT if pageable else UNPAGED_DEFAULT


def _cost(context: ValidationContext, selection_set: SelectionSetNode | None, parent: Any,
          variables: dict[str, Any]) -> int:
    total = 0
    for field in _fields(context, selection_set):
        if field.name.value.startswith("__"):
            continue
        definition = getattr(parent, "fields", {}).get(field.name.value)
        if definition is None:
            continue
        below = _cost(context, field.selection_set, get_named_type(definition.type), variables)
        pageable = any(name in getattr(definition, "args", {}) for name in ("first", "last"))
        # A connection's wrappers cost nothing of their own, as they add no depth (_level).
        total += _level(field) + _multiplier(field, definition.type, parent, variables,
                                             pageable) * below
    return total


def _operation_root(context: ValidationContext, node: OperationDefinitionNode) -> Any:
    return context.schema.get_root_type(node.operation)


def rules(limits: Limits, variables: dict[str, Any] | None = None
          ) -> list[type[ASTValidationRule]]:
    """The limit rules for one request, bound to its limits and variables (for the cost)."""

    class DepthLimit(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = _depth(self.context, node.selection_set)  # type: ignore[arg-type]
            if depth > limits.max_depth:
                _error(self, f"The query is {depth} levels deep; the limit is {limits.max_depth}",
                       "DEPTH_LIMIT_EXCEEDED", "depth", limits.max_depth, node)

    class AliasLimit(ASTValidationRule):
        count = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is not None:
                self.count += 1
                if self.count == limits.max_aliases + 1:
                    _error(self, f"The query uses more than {limits.max_aliases} aliases",
                           "ALIAS_LIMIT_EXCEEDED", "aliases", limits.max_aliases, node)

    class CostLimit(ASTValidationRule):
        # On leaving, so a page-size error (the cause) is reported before the cost it inflates.
        def leave_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            context: ValidationContext = self.context  # type: ignore[assignment]
            root = _operation_root(context, node)
            cost = _cost(context, node.selection_set, root, variables or {})
            if cost > limits.max_cost:
                _error(self, f"The query's estimated cost is {cost}; the limit is "
                       f"{limits.max_cost} (ask for smaller pages with first/last)",
                       "COST_LIMIT_EXCEEDED", "cost", limits.max_cost, node)

    class TokenLimit(ASTValidationRule):
        def enter_document(self, node: Any, *_: Any) -> None:
            if node.loc is None:
                return
            lexer = Lexer(node.loc.source)
            count = 0
            while lexer.advance().kind != TokenKind.EOF:
                count += 1
                if count > limits.max_tokens:
                    _error(self, f"The query has more than {limits.max_tokens} tokens",
                           "TOKEN_LIMIT_EXCEEDED", "tokens", limits.max_tokens)
                    return

    class PageSizeLimit(ASTValidationRule):
        def enter_argument(self, node: Any, *_: Any) -> None:
            if node.name.value not in ("first", "last"):
                return
            value: Any = None
            if isinstance(node.value, IntValueNode):
                value = int(node.value.value)
            elif isinstance(node.value, VariableNode):
                value = (variables or {}).get(node.value.name.value)
            if isinstance(value, int) and not 0 <= value <= limits.max_page_size:
                _error(self, f"{node.name.value} must be between 0 and "
                       f"{limits.max_page_size}, not {value}", "BAD_USER_INPUT",
                       "pageSize", limits.max_page_size, node)

    made: list[type[ASTValidationRule]] = [TokenLimit, DepthLimit, AliasLimit, PageSizeLimit,
                                           CostLimit]
    return made

