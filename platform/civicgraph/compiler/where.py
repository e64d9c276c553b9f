"""A type's ``where`` as one Cypher predicate, as rich as the Neo4j GraphQL Library's filters.

- operators per scalar (``eq``, ``in``, ``contains``, ``startsWith``, ``endsWith``, ``gt``...);
- ``AND`` / ``OR`` (lists of the same ``where``) and ``NOT`` (one);
- on every relationship, quantifiers over the related type's own ``where``: ``some``,
  ``none``, ``all``, ``single``; for a relationship with properties each takes
  ``{node: <its where>, edge: <the relationship's where>}``; a single relationship's
  ``<name>Where`` holds when the related node exists and matches;
- ``<name>Count`` compares how many related nodes there are;
- the hand-written relationship filters of the model (``RelFilter``).

Visibility (TEST-mode feeds) and each type's guard are part of every match, quantifier and count
too, so a hidden record never changes an answer: ``all`` is "no visible related node fails",
``<name>Count`` counts visible ones. Values are always parameters, bound by their path in the
arguments (list positions included, which the plan's shape records).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from civicgraph.compiler.model import TYPES, NodeType, Prop, Rel
from civicgraph.compiler.visibility import predicate

if TYPE_CHECKING:
    from civicgraph.compiler.cypher import Builder, Path

OPERATORS = {
    "eq": "=", "in": "IN", "contains": "CONTAINS", "startsWith": "STARTS WITH",
    "endsWith": "ENDS WITH", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
}
QUANTIFIERS = ("some", "none", "all", "single")
COUNT_SUFFIX = "Count"
SINGLE_SUFFIX = "Where"


def access(b: Builder, t: NodeType, var: str) -> list[str]:
    """Who may see a node of ``t``: the caller's visibility of feeds and the type's guard."""
    from civicgraph.compiler import cypher  # the statement builder imports this module

    shown = cypher.visibility(b, t, var)
    rules = [shown] if shown else []
    if t.guard:
        rules.append(t.guard.replace("{v}", var))
    return rules


def _seen(b: Builder, text: str) -> str:
    """A hand-written relationship filter's ``{seen:var}``: the caller's visibility there."""
    from civicgraph.compiler import cypher

    return cypher._SEEN.sub(lambda m: predicate(m[1], b.scope) or "true", text)


def compile_where(b: Builder, t: NodeType, var: str, where: Any, path: Path,
                  at: tuple[Any, ...] = ("where",)) -> str:
    """The access rules of ``t`` AND the client's ``where`` (found at ``at`` in the
    arguments of the selection at ``path``)."""
    return " AND ".join(access(b, t, var) + _conditions(b, t, var, where, path, at))


def _conditions(b: Builder, t: NodeType, var: str, where: Any, path: Path,
                at: tuple[Any, ...], props: tuple[Prop, ...] | None = None) -> list[str]:
    if not isinstance(where, Mapping):
        return []
    predicates: list[str] = []
    for key in sorted(where):
        value = where[key]
        if value is None:
            continue
        here = (*at, key)
        if key in ("AND", "OR") and isinstance(value, list):
            parts = [" AND ".join(_conditions(b, t, var, item, path, (*here, i), props)
                                  or ["true"]) for i, item in enumerate(value)]
            if parts:
                joiner = " AND " if key == "AND" else " OR "
                predicates.append("(" + joiner.join(f"({p})" for p in parts) + ")")
            continue
        if key == "NOT":
            inner = " AND ".join(_conditions(b, t, var, value, path, here, props) or ["true"])
            predicates.append(f"NOT ({inner})")
            continue
        prop = _prop(t, key, props)
        if prop is not None and isinstance(value, Mapping):
            from civicgraph.compiler import cypher

            expr = (f"{var}.{prop.property}" if props is not None
                    else cypher.prop_expr(t, prop, var, b.scope))
            for op in sorted(value):
                if value[op] is None or op not in OPERATORS:
                    continue
                param = b.param(path, (*here, op))
                predicates.append(f"{expr} {OPERATORS[op]} {param}")
            continue
        if props is not None:
            continue
        predicates += _relationship(b, t, var, key, value, path, here)
    return predicates


def _prop(t: NodeType, key: str, props: tuple[Prop, ...] | None) -> Prop | None:
    found = (next((p for p in props if p.name == key), None) if props is not None
             else t.prop(key))
    if found is None or found.many or not found.filter:
        return None
    return found


def _relationship(b: Builder, t: NodeType, var: str, key: str, value: Any, path: Path,
                  here: tuple[Any, ...]) -> list[str]:
    rel = t.rel(key)
    if rel is not None and rel.many and isinstance(value, Mapping):
        return [_quantified(b, rel, var, q, value[q], path, (*here, q))
                for q in QUANTIFIERS if value.get(q) is not None]
    if key.endswith(SINGLE_SUFFIX):
        single = t.rel(key[:-len(SINGLE_SUFFIX)])
        if single is not None and not single.many:
            return [_quantified(b, single, var, "some", value, path, here)]
    if key.endswith(COUNT_SUFFIX) and isinstance(value, Mapping):
        counted = t.rel(key[:-len(COUNT_SUFFIX)])
        if counted is not None and counted.many:
            return _count(b, counted, var, value, path, here)
    rel_filter = t.rel_filter(key)
    if rel_filter is not None:
        param = b.param(path, here)
        return [_seen(b, rel_filter.cypher.replace("{v}", var).replace("{p}", param))]
    return []


def _match(b: Builder, rel: Rel, owner: str) -> tuple[str, str, str, NodeType]:
    target = TYPES[rel.target]
    var, rvar = b.var(), b.var()
    return rel.pattern(owner, var, target.label, rvar), var, rvar, target


def _quantified(b: Builder, rel: Rel, owner: str, quantifier: str, value: Any, path: Path,
                here: tuple[Any, ...]) -> str:
    pattern, var, rvar, target = _match(b, rel, owner)
    if rel.edge:
        node_where = value.get("node") if isinstance(value, Mapping) else None
        condition = (_conditions(b, target, var, node_where, path, (*here, "node"))
                     + _conditions(b, target, rvar, value.get("edge")
                                   if isinstance(value, Mapping) else None,
                                   path, (*here, "edge"), rel.edge))
    else:
        condition = _conditions(b, target, var, value, path, here)
    matched = " AND ".join(condition) or "true"
    seen = " AND ".join(access(b, target, var)) or "true"
    if quantifier == "some":
        return f"EXISTS {{ MATCH {pattern} WHERE {seen} AND {matched} }}"
    if quantifier == "none":
        return f"NOT EXISTS {{ MATCH {pattern} WHERE {seen} AND {matched} }}"
    if quantifier == "all":
        return f"NOT EXISTS {{ MATCH {pattern} WHERE {seen} AND NOT ({matched}) }}"
    return f"COUNT {{ MATCH {pattern} WHERE {seen} AND {matched} }} = 1"


def _count(b: Builder, rel: Rel, owner: str, value: Mapping[str, Any], path: Path,
           here: tuple[Any, ...]) -> list[str]:
    predicates = []
    for op in sorted(value):
        if value[op] is None or op not in OPERATORS:
            continue
        pattern, var, _rvar, target = _match(b, rel, owner)
        seen = " AND ".join(access(b, target, var)) or "true"
        param = b.param(path, (*here, op))
        predicates.append(f"COUNT {{ MATCH {pattern} WHERE {seen} }} {OPERATORS[op]} {param}")
    return predicates
