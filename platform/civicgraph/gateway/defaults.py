"""An explicit ``null`` on an argument that has a default means the default.

GraphQL lets a client send ``null`` for a nullable argument even when the schema gives it a
default, and graphql-core then hands ``None`` to the resolver (and to the selection the compiler
reads), which crashed resolvers that counted on the default (``matchVacancies(first: null)``).
Rather than every resolver and the compiler re-applying defaults, the gateway drops such
arguments from the document before it executes, once for every field at every depth, so
graphql-core applies the schema's default as if the argument were absent. Which arguments are
candidates is found once per query text; which of them carry null variables is decided per
request.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLSchema,
    NullValueNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    VariableNode,
    Visitor,
    visit,
)
from graphql.language.visitor import REMOVE

from civicgraph.api import document_cache

# (the argument's node, the variable it reads or None for a literal null)
Candidate = tuple[ArgumentNode, str | None]


class _Find(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: list[Candidate] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is None or argument.default_value is Undefined \
                or argument.default_value is None:
            return
        if isinstance(node.value, NullValueNode):
            self.found.append((node, None))
        elif isinstance(node.value, VariableNode):
            self.found.append((node, node.value.name.value))


Found = tuple[DocumentNode, tuple[Candidate, ...], dict[str, bool]]


@lru_cache(maxsize=document_cache.SIZE)
def _candidates(schema: GraphQLSchema, query: str, max_tokens: int) -> Found:
    return _find(schema, document_cache.parsed(query, max_tokens))


def _find(schema: GraphQLSchema, document: DocumentNode) -> Found:
    type_info = TypeInfo(schema)
    finder = _Find(type_info)
    visit(document, TypeInfoVisitor(type_info, finder))
    # Variables declared with a default of null count as null when the request omits them.
    null_by_default = {
        v.variable.name.value: isinstance(v.default_value, NullValueNode)
        for d in document.definitions if isinstance(d, OperationDefinitionNode)
        for v in d.variable_definitions or ()
    }
    return document, tuple(finder.found), null_by_default


class _Drop(Visitor):
    def __init__(self, nodes: set[int]) -> None:
        super().__init__()
        self.nodes = nodes

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        return REMOVE if id(node) in self.nodes else None


def apply(schema: GraphQLSchema, query: str, max_tokens: int, document: DocumentNode,
          variables: dict[str, Any] | None) -> DocumentNode:
    """The document with every null on a defaulted argument left out (the same one if none)."""
    cached, found, null_by_default = _candidates(schema, query, max_tokens)
    if not found:
        return document
    if cached is not document:  # the parse cache let it go: find them in this one
        cached, found, null_by_default = _find(schema, document)
    values = variables or {}
    drop = {id(node) for node, variable in found
            if variable is None
            or (values[variable] is None if variable in values
                else null_by_default.get(variable, False))}
    if not drop:
        return document
    edited: DocumentNode = visit(document, _Drop(drop))
    return edited
