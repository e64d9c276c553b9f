"""Compile a selection tree into one parameterised Cypher statement.

The text depends only on the selection's *shape* (fields, aliases, which arguments are present,
orderings); every argument value becomes a parameter, looked up again from the selection by a
``Binding`` each time a cached plan is reused. Labels, properties and relationship types come from
``model`` (constants of the code), so nothing a client sends is ever part of the text.

Nested relationship fields become ``COLLECT { MATCH ... RETURN m {...} }`` subqueries inside map
projections, so a whole tree (organisations → partners → vacancies → skills) is one statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from civicgraph.compiler import cursors, nested
from civicgraph.compiler import where as where_clause
from civicgraph.compiler.json_text import wrap as json_text_of
from civicgraph.compiler.model import DATE, DATETIME, INT, PARAMS, TYPES, NodeType, Prop
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import SOURCED_LABELS, Scope, predicate

Path = tuple[int, ...]
Fields = list[tuple[Selection, Path]]

_OPERATORS = {
    "eq": "=", "in": "IN", "contains": "CONTAINS", "startsWith": "STARTS WITH",
    "endsWith": "ENDS WITH", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
}
NESTED_DEFAULT = 20
_SEEN = re.compile(r"\{seen:(\w+)\}")


@dataclass(frozen=True)
class Binding:
    """Where a parameter's value comes from: a selection (by child indexes) and an argument."""

    name: str
    path: Path
    arg_path: tuple[Any, ...]
    transform: Callable[[Any], Any] | None = None

    def value(self, root: Selection) -> Any:
        sel = root
        for index in self.path:
            sel = sel.children[index]
        value: Any = sel.args
        for key in self.arg_path:
            if isinstance(key, int):
                value = value[key] if isinstance(value, list) and key < len(value) else None
            else:
                value = value.get(key) if isinstance(value, Mapping) else None
        return self.transform(value) if self.transform else value


@dataclass(frozen=True)
class Plan:
    """A compiled statement and how to fill its parameters from a selection of the same shape."""

    cypher: str
    bindings: tuple[Binding, ...]
    extra_params: tuple[tuple[str, Any], ...] = ()

    def with_caller(self, root: Selection, caller: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to send: the selection's values and those of the caller's
        (``Visibility.params``) that this statement reads; a guard of a type the statement
        never matches sends nothing."""
        values = self.params(root)
        values.update((k, v) for k, v in caller.items() if f"${k}" in self.cypher)
        return values

    def params(self, root: Selection) -> dict[str, Any]:
        values: dict[str, Any] = {b.name: b.value(root) for b in self.bindings}
        values.update(self.extra_params)
        return values


@dataclass
class Builder:
    """Collects a statement's parameter bindings; ``scope`` is whose visibility of TEST-mode
    feeds the statement applies (compiler/visibility), part of the plan's cache key."""

    bindings: list[Binding] = field(default_factory=list)
    count: int = 0
    scope: Scope = "public"

    def param(self, path: Path, arg_path: tuple[Any, ...],
              transform: Callable[[Any], Any] | None = None) -> str:
        name = f"p{len(self.bindings)}"
        self.bindings.append(Binding(name, path, arg_path, transform))
        return "$" + name

    def var(self) -> str:
        self.count += 1
        return f"n{self.count}"

    def plan(self, cypher: str) -> Plan:
        """The statement with its bindings and the model's constants it reads (a guard's
        status sets), which travel as parameters like every value."""
        constants = tuple((name, value) for name, value in PARAMS.items()
                          if f"${name}" in cypher)
        return Plan(cypher, tuple(self.bindings), constants)


def kids(sel: Selection, path: Path) -> Fields:
    return [(child, (*path, i)) for i, child in enumerate(sel.children)]


def visibility(b: Builder, t: NodeType, var: str) -> str:
    """The caller's visibility test for a node of ``t`` ('' for types feeds never write)."""
    return predicate(var, b.scope) if t.label in SOURCED_LABELS else ""


def prop_expr(t: NodeType, prop: Prop, var: str, scope: Scope) -> str:
    """The stored property, or for a counted figure (``count_of``) the live count of the
    related records this caller can see, so the figure always matches the list."""
    if prop.expr:
        return prop.expr.replace("{v}", var)
    if not prop.count_of:
        return f"{var}.{prop.property}"
    rel = t.rel(prop.count_of)
    assert rel is not None, prop.count_of
    target = TYPES[rel.target]
    other = f"{var}_{prop.name}"
    test = predicate(other, scope) if target.label in SOURCED_LABELS else ""
    return ("COUNT { " + rel.pattern(var, other, target.label)
            + (f" WHERE {test}" if test else "") + " }")


def scalar(prop: Prop, var: str) -> str:
    """A property of a relationship (no counted figures there), as the answer carries it."""
    return _output(prop, prop.expr.replace("{v}", var) if prop.expr else f"{var}.{prop.property}")


def _scalar(t: NodeType, prop: Prop, var: str, scope: Scope) -> str:
    """What the answer carries: temporal values as ISO text, and Int fields as integers (a
    feed or an import may have stored 19000.0; the compiled answer bypasses GraphQL's own
    serialisation, so the statement makes it an integer)."""
    return _output(prop, prop_expr(t, prop, var, scope))


def _output(prop: Prop, expr: str) -> str:
    if prop.many:
        return expr
    if prop.kind in (DATE, DATETIME):
        return f"toString({expr})"
    if prop.kind == INT and not prop.count_of:
        return f"toInteger({expr})"
    return expr


def project(b: Builder, t: NodeType, var: str, fields: Fields, typed: bool = False) -> str:
    """``var {key: expr, ...}`` for the selected fields of type ``t``, keyed by response key.

    A field selected under a type condition for another type (``... on Vacancy``) is left out;
    the first selection of a response key that applies to ``t`` wins (the GraphQL layer has
    merged repeated selections of one key under one condition already)."""
    entries = [f"`__type`: '{t.name}'"] if typed else []
    seen: set[str] = set()
    for sel, path in fields:
        if sel.key in seen or (sel.on_type is not None and sel.on_type != t.name):
            continue
        if sel.field == "__typename":
            entries.append(f"`{sel.key}`: '{t.name}'")
            seen.add(sel.key)
            continue
        prop = t.prop(sel.field)
        rel = t.rel(sel.field)
        if prop is not None:
            entries.append(f"`{sel.key}`: {_scalar(t, prop, var, b.scope)}")
        elif rel is not None and rel.connection:
            entries.append(f"`{sel.key}`: {nested.connection(b, var, t, rel, sel, path)}")
        elif rel is not None:
            entries.append(f"`{sel.key}`: {relation(b, var, t, sel, path)}")
        else:
            continue
        seen.add(sel.key)
    return var + " {" + ", ".join(entries) + "}" if entries else "{}"


def relation(b: Builder, owner: str, t: NodeType, sel: Selection, path: Path) -> str:
    rel = t.rel(sel.field)
    assert rel is not None
    target = TYPES[rel.target]
    var = b.var()
    where = compile_where(b, target, var, sel.args.get("where"), path)
    text = "MATCH " + rel.pattern(owner, var, target.label)
    if where:
        text += " WHERE " + where
    projection = project(b, target, var, kids(sel, path))
    if not rel.many:
        return f"head(COLLECT {{ {text} RETURN {projection} LIMIT 1 }})"
    limit = b.param(path, ("first",), _nested_first)
    order = order_by(target, var, sel.args.get("orderBy"), scope=b.scope)
    return (f"COLLECT {{ {text} WITH {var} ORDER BY {order} LIMIT {limit} "
            f"RETURN {projection} }}")


def _nested_first(value: Any) -> int:
    return NESTED_DEFAULT if value is None else int(value)


def compile_where(b: Builder, t: NodeType, var: str, where: Any, path: Path) -> str:
    """Visibility (the caller's scope of TEST-mode feeds), the type's own guard (the lab's
    drafts, ...) and the client's ``where``: ``compiler.where``."""
    return where_clause.compile_where(b, t, var, where, path)


class Key(NamedTuple):
    """One sort key of a list: its expression, direction and whether it is never null."""

    expr: str
    direction: str
    required: bool

    def flipped(self) -> Key:
        return self._replace(direction="DESC" if self.direction == "ASC" else "ASC")


def sort_keys(t: NodeType, var: str, order: Any, score: bool = False,
              scope: Scope = "public", default: tuple[str, ...] = ()) -> list[Key]:
    """The keys of ORDER BY from the (validated) enum values; the id last breaks ties, so
    every item has one place in the order (what keyset cursors rely on)."""
    keys: list[Key] = []
    for item in order or []:
        prop = t.prop(str(item.get("field")))
        if prop is None or not prop.order:
            continue
        direction = "DESC" if item.get("direction") == "DESC" else "ASC"
        keys.append(Key(prop_expr(t, prop, var, scope), direction,
                        prop.required or bool(prop.count_of)))
    if not keys:
        if score:
            keys.append(Key("score", "DESC", True))
        for name in default or t.default_order:
            prop = t.prop(name)
            keys.append(Key(f"{var}.{name}", "ASC", prop is not None and prop.required))
    keys.append(Key(f"{var}.id", "ASC", True))
    return keys


def order_by(t: NodeType, var: str, order: Any, reverse: bool = False,
             score: bool = False, scope: Scope = "public", default: tuple[str, ...] = ()) -> str:
    keys = sort_keys(t, var, order, score, scope, default)
    return ", ".join(f"{k.expr} {k.flipped().direction if reverse else k.direction}"
                     for k in keys)


def _beyond(key: Key, value: str, inclusive: bool) -> str:
    """``key`` comes after ``value`` in its direction (Cypher sorts nulls last ascending and
    first descending, so a null is after every value ascending and before it descending)."""
    if key.required:
        op = {"ASC": ">", "DESC": "<"}[key.direction] + ("=" if inclusive else "")
        return f"{key.expr} {op} {value}"
    if key.direction == "ASC":
        return f"({key.expr} > {value} OR ({key.expr} IS NULL AND {value} IS NOT NULL))"
    return f"({key.expr} < {value} OR ({key.expr} IS NOT NULL AND {value} IS NULL))"


def _equal(key: Key, value: str) -> str:
    if key.required:
        return f"{key.expr} = {value}"
    return f"({key.expr} = {value} OR ({key.expr} IS NULL AND {value} IS NULL))"


def keyset(keys: list[Key], values: list[str], inclusive: bool = False) -> str:
    """The items beyond the cursor's values in this order (at or beyond when ``inclusive``):
    lexicographic over the keys, led by a plain bound on the first key when it is never null,
    so the planner can seek its ordering index to the cursor instead of reading from the
    start."""
    terms: list[str] = []
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        parts = [_equal(k, v) for k, v in zip(keys[:i], values[:i], strict=True)]
        parts.append(_beyond(key, values[i], inclusive and last))
        terms.append(" AND ".join(parts))
    text = "(" + " OR ".join(f"({term})" if " AND " in term else term for term in terms) + ")"
    lead = keys[0]
    if lead.required and lead.expr != "score" and len(keys) > 1:
        op = {"ASC": ">=", "DESC": "<="}[lead.direction]
        text = f"{lead.expr} {op} {values[0]} AND {text}"
    return text


def _leading_required(t: NodeType, order: Any) -> str | None:
    """The first ordering property when every stored node has it (a required field).

    ``n.prop IS NOT NULL`` then changes no answer but lets the planner walk the property's range
    index in order and stop after the page, instead of sorting every node of the label: on the
    benchmark's 10k organisations that took the nested read from about 33 ms to 13 ms.
    """
    first = (order or [{}])[0].get("field") if order else t.default_order[0]
    prop = t.prop(str(first))
    return prop.property if prop is not None and prop.required and not prop.count_of else None


def lucene_query(text: Any) -> str:
    """Each word of a search as a quoted Lucene term: no word can act as Lucene syntax (AND,
    wildcards, field:value), and the quoting escapes only backslash and quote."""
    words = ['"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
             for word in str(text or "").split()]
    return " ".join(words) or '""'


def _has_filter(where: Any) -> bool:
    return isinstance(where, Mapping) and any(v is not None for v in where.values())


def _cursor_value(field: str, index: int, count: int) -> Callable[[Any], Any]:
    def value(args: Any) -> Any:
        win = cursors.window(args)
        assert win.cursor is not None
        bound = cursors.fingerprint(field, args)
        return cursors.decode(args.get(win.cursor), bound, count, win.cursor)[index]
    return value


def _page_size(args: Any) -> int:
    return cursors.window(args).size + 1


def _total(b: Builder, t: NodeType, source: str, filtered: bool) -> str:
    """``total``: from the count store when nothing but visibility narrows the list (all
    nodes of the label less the unpublished ones the caller may not see), else counted (a
    type's guard, such as the lab's drafts, is a filter)."""
    if filtered:
        return f"CALL () {{ {source} RETURN count(n) AS total }} "
    if b.scope == "all" or t.label not in SOURCED_LABELS:
        return f"CALL () {{ MATCH (n:{t.label}) RETURN count(n) AS total }} "
    hidden = "" if b.scope == "public" else f" WHERE NOT {predicate('u', b.scope)}"
    return (f"CALL () {{ MATCH (n:{t.label}) WITH count(n) AS labelled "
            f"OPTIONAL MATCH (u:{t.label}:Unpublished){hidden} "
            "WITH labelled, count(u) AS hidden RETURN labelled - hidden AS total } ")


def compile_connection(t: NodeType, root: Selection, scope: Scope = "public",
                       json_text: bool = False) -> Plan:
    """One page (one row over, to tell whether there are more) and, only when selected, the
    total and whether items lie on the cursor's other side, in one statement.

    Each item carries ``__keys``, its sort-key values, from which the service makes its cursor;
    each ``edges``/``nodes`` selection (under its response key) has its own projection, as the
    database's JSON text of it when ``json_text`` (see ``json_text.py``)."""
    b = Builder(scope=scope)
    var = "n"
    args = root.args
    where = compile_where(b, t, var, args.get("where"), ())
    searching = args.get("search") is not None and t.fulltext_index is not None
    win = cursors.window(args)
    keys = sort_keys(t, var, args.get("orderBy"), searching, scope)
    walk = [k.flipped() for k in keys] if win.reversed else keys
    if searching:
        query = b.param((), ("search",), lucene_query)
        head = (f"CALL db.index.fulltext.queryNodes('{t.fulltext_index}', {query}) "
                f"YIELD node AS {var}, score WHERE {var}:{t.label}")
        conditions = [where] if where else []
        carried = f"{var}, score"
    else:
        head = f"MATCH ({var}:{t.label})"
        lead = _leading_required(t, args.get("orderBy"))
        conditions = [c for c in (f"{var}.{lead} IS NOT NULL" if lead else "", where) if c]
        carried = var

    def source(*extra: str) -> str:
        both = [*conditions, *extra]
        if not both:
            return head
        return head + (" AND " if searching else " WHERE ") + " AND ".join(both)

    values: list[str] = []
    if win.cursor is not None:
        values = [b.param((), (), _cursor_value(root.field, i, len(keys)))
                  for i in range(len(keys))]
    page_source = source(keyset(walk, values)) if values else source()
    limit = b.param((), (), _page_size)
    size = b.param((), (), _window_size)
    order = ", ".join(f"{k.expr} {k.direction}" for k in walk)
    item = _item(b, t, var, root, keys, searching, json_text)
    cypher = ""
    if root.selects("totalCount"):
        cypher += _total(b, t, source(), _has_filter(args.get("where")) or searching
                         or bool(t.guard))
    other = "null"
    # Whether items lie on the cursor's other side answers one field only: hasPreviousPage
    # after `after`, hasNextPage before `before`; a page that asks neither (a client paging on
    # with `hasNextPage endCursor`) does not pay for the second match.
    beyond = "hasNextPage" if win.reversed else "hasPreviousPage"
    if values and any(c.field == "pageInfo" and c.selects(beyond) for c in root.children):
        back = [k.flipped() for k in walk]
        cypher += (f"CALL () {{ {source(keyset(back, values, inclusive=True))} "
                   f"WITH {var} LIMIT 1 RETURN count({var}) > 0 AS other }} ")
        other = "other"
    aggregates, aggregated = nested.root_aggregates(b, t, var, root, source())
    cypher += aggregates
    cypher += (
        f"CALL () {{ {page_source} WITH {carried} ORDER BY {order} LIMIT {limit} "
        f"{_page_and_one_over(var, searching, size, item, keys)} }} "
        f"RETURN {'total' if root.selects('totalCount') else 'null AS total'}, items, "
        f"{other} AS other" + (f", {aggregated} AS aggregates" if aggregates else "")
    )
    return b.plan(cypher)


def _window_size(args: Any) -> int:
    return cursors.window(args).size


def _page_and_one_over(var: str, searching: bool, size: str, item: str,
                       keys: list[Key]) -> str:
    """The page's items, then the one row read past it (only to tell there is a next page) as
    its sort keys alone: its nested lists were read for nothing, as the service drops that row.
    Two ``CALL`` subqueries over the collected rows rather than a ``CASE`` per row, which would
    turn the nested ``COLLECT`` subqueries into per-row expressions: on the benchmark's reads
    this cut db hits by 9% (cross 18,230 -> 16,661, nested 8,176 -> 7,405) and the server's CPU
    by about as much, where the ``CASE`` form saved db hits but no CPU."""
    rows = f"{{n: {var}, score: score}}" if searching else var

    def unwind(part: str) -> str:
        if searching:
            return (f"UNWIND page_rows[{part}] AS page_row "
                    f"WITH page_row.n AS {var}, page_row.score AS score")
        return f"UNWIND page_rows[{part}] AS {var}"
    over = "{`__keys`: [" + ", ".join(k.expr for k in keys) + "]}"
    return (f"WITH collect({rows}) AS page_rows "
            f"CALL (page_rows) {{ {unwind('..' + size)} RETURN collect({item}) AS shown }} "
            f"CALL (page_rows) {{ {unwind(size + '..')} RETURN collect({over}) AS over }} "
            "RETURN shown + over AS items")


def _item(b: Builder, t: NodeType, var: str, root: Selection, keys: list[Key],
          searching: bool = False, json_text: bool = False) -> str:
    """One page item: its sort-key values, then a projection per ``nodes`` selection and per
    ``node`` under each ``edges`` selection, each under its response key, so that aliases and
    nested arguments of one never leak into another. A projection that pages a nested list by
    cursor stays a map even under ``json_text``: its refusal mark is looked for in the map."""
    def node(fields: Fields) -> str:
        projection = project(b, t, var, fields)
        if json_text and nested.REFUSED not in projection:
            return json_text_of(projection)
        return projection

    entries = ["`__keys`: [" + ", ".join(k.expr for k in keys) + "]"]
    for sel, path in kids(root, ()):
        if sel.field == "nodes":
            entries.append(f"`{sel.key}`: {node(kids(sel, path))}")
        elif sel.field == "edges":
            inner = [f"`{n.key}`: {node(kids(n, node_path))}"
                     for n, node_path in kids(sel, path) if n.field == "node"]
            inner += [f"`{c.key}`: {'score' if searching else 'null'}"
                      for c in sel.children if c.field == "score"]
            entries.append(f"`{sel.key}`: {{{', '.join(inner)}}}")
    return "{" + ", ".join(entries) + "}"


def _visible_where(b: Builder, t: NodeType, var: str) -> str:
    rules = [r for r in (visibility(b, t, var), t.guard.replace("{v}", var)) if r]
    return " WHERE " + " AND ".join(rules) if rules else ""


def compile_by_id(t: NodeType, root: Selection, scope: Scope = "public") -> Plan:
    b = Builder(scope=scope)
    node_id = b.param((), ("id",))
    projection = project(b, t, "n", kids(root, ()))
    return b.plan(f"MATCH (n:{t.label} {{id: {node_id}}}){_visible_where(b, t, 'n')} "
                  f"RETURN {projection} AS item")


def compile_node(root: Selection, scope: Scope = "public") -> Plan:
    """Any type by id: one lookup per label (each on its id constraint), then a projection
    per label, so the node's type is found in the same statement that reads it."""
    b = Builder(scope=scope)
    node_id = b.param((), ("id",))
    lookups = []
    for t in TYPES.values():
        lookups.append(f"MATCH (n:{t.label} {{id: {node_id}}}){_visible_where(b, t, 'n')} "
                       "RETURN n")
    branches = " ".join(
        f"WHEN n:{t.label} THEN {project(b, t, 'n', kids(root, ()), typed=True)}"
        for t in TYPES.values()
    )
    return b.plan(f"CALL () {{ {' UNION '.join(lookups)} }} "
                  f"RETURN CASE {branches} END AS item LIMIT 1")
