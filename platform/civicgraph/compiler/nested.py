"""A nested relationship served as a connection, inside its owner's projection.

The related nodes are matched once (under the target type's visibility and guard, and the
client's ``where``), ordered, and collected with their relationships; the page is a slice of
that list, so ``totalCount``, ``pageInfo`` and the edges come from the one match, and each edge
carries the relationship's own properties. Nested lists are bounded by one node's relationships,
so the slice costs what the old ``LIMIT`` did while giving exact counts and both directions of
paging (``first/after``, ``last/before``).

Cursors are keysets, as at the root (``compiler.cursors``): the item's sort-key values and id,
with the parent's id, bound to the owner type, field, filters and order. A page starts after the
rows at or before the cursor's values (and ends before those at or beyond ``before``'s), so an
insert or a delete while paging repeats and skips nothing; a cursor from another list, or from
the same field of another record, is ``BAD_USER_INPUT``. (The discovery chain's whole-page
connection still uses positions, ``n:<position>``: it has no order of its own to key on.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from civicgraph.compiler import cursors, cypher
from civicgraph.compiler.model import DATE, DATETIME, FLOAT, INT, TYPES, NodeType, Prop, Rel
from civicgraph.compiler.selection import Selection
from civicgraph.core.errors import BadInput

NESTED_MAX = 100
DEFAULT = 20
PREFIX = "n:"


def encode(position: int) -> str:
    return f"{PREFIX}{position}"


def decode(cursor: Any, field: str) -> int:
    text = str(cursor)
    number = text[len(PREFIX):]
    if not text.startswith(PREFIX) or not number.isdigit() or len(number) > 9:
        raise BadInput("the cursor is not one this list gave out", field=field)
    return int(number)


def _size(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if not 0 <= int(value) <= NESTED_MAX:
        raise BadInput(f"{field} must be between 0 and {NESTED_MAX}", field=field,
                       limit="pageSize", max=NESTED_MAX)
    return int(value)


def _first(args: Mapping[str, Any]) -> int:
    if args.get("first") is not None and args.get("last") is not None:
        raise BadInput("give first or last, not both", field="last")
    first = _size(args.get("first"), "first")
    return DEFAULT if first is None else first


def _start(args: Mapping[str, Any]) -> int:
    after = args.get("after")
    return 0 if after is None else decode(after, "after") + 1


def _last(args: Mapping[str, Any]) -> int | None:
    return _size(args.get("last"), "last")


def _before(args: Mapping[str, Any]) -> int | None:
    before = args.get("before")
    return None if before is None else decode(before, "before")


def window(b: cypher.Builder, path: cypher.Path, size: str) -> tuple[str, str]:
    """The page's first and past-the-end positions in a list of ``size`` items, from the
    selection's first/after or last/before (each checked as it is bound)."""
    first = b.param(path, (), _first)
    start = b.param(path, (), _start)
    last = b.param(path, (), _last)
    before = b.param(path, (), _before)
    stop = f"coalesce({before}, {size})"
    lo = (f"CASE WHEN {last} IS NULL THEN {start} WHEN {stop} - {last} < 0 THEN 0 "
          f"ELSE {stop} - {last} END")
    hi = f"CASE WHEN {last} IS NULL THEN {start} + {first} ELSE {stop} END"
    return lo, f"CASE WHEN {hi} > {size} THEN {size} ELSE {hi} END"


def _only_nodes(sel: Selection) -> bool:
    """A page of nodes read forwards and nothing else: what a plain list used to be."""
    return (bool(sel.children) and all(c.field == "nodes" for c in sel.children)
            and all(sel.args.get(a) is None for a in ("last", "before", "after")))


def connection(b: cypher.Builder, owner: str, t: NodeType, rel: Rel, sel: Selection,
               path: cypher.Path) -> str:
    target = TYPES[rel.target]
    var, rvar = b.var(), b.var()
    where = cypher.compile_where(b, target, var, sel.args.get("where"), path)
    fast = _only_nodes(sel)
    # Nodes alone never read the relationship: it stays anonymous, as in a plain list.
    match = "MATCH " + rel.pattern(owner, var, target.label, "" if fast else rvar)
    if where:
        match += " WHERE " + where
    order = cypher.order_by(target, var, sel.args.get("orderBy"), scope=b.scope,
                            default=rel.order)
    if fast:
        return _nodes_page(b, target, var, match, order, sel, path)
    keys = cypher.sort_keys(target, var, sel.args.get("orderBy"), scope=b.scope,
                            default=rel.order)
    bound = f"{t.name}.{rel.name}"
    fingerprint = b.param(path, (), lambda args: cursors.fingerprint(bound, args))
    first = b.param(path, (), _first)
    last = b.param(path, (), _last)
    # Keyset bounds: the rows at or before the `after` cursor's values come first, the page
    # starts after them; the page before `before` ends at the rows strictly before its values.
    # An insert or delete elsewhere in the list moves neither bound.
    row_keys = [k._replace(expr=f"r_{var}[2][{i}]") for i, k in enumerate(keys)]
    start, stop, parents = "0", f"size(rows_{var})", []
    for which in ("after", "before"):
        if sel.args.get(which) is None:
            continue
        values = [b.param(path, (), _cursor_value(bound, i, len(keys), which))
                  for i in range(len(keys) + 1)]
        parents.append(values[0])
        if which == "after":
            start = (f"size([r_{var} IN rows_{var} WHERE NOT "
                     f"({cypher.keyset(row_keys, values[1:])})])")
        else:
            flipped = [k.flipped() for k in row_keys]
            stop = (f"size([r_{var} IN rows_{var} WHERE "
                    f"{cypher.keyset(flipped, values[1:])}])")
    result: list[str] = []
    # Each level's names carry its node variable: Neo4j refuses a subquery's variable that
    # shadows one of an enclosing level.
    window = (f"UNWIND range(lo_{var}, hi_{var} - 1) AS i_{var} "
              f"WITH rows_{var}[i_{var}][0] AS {var}, rows_{var}[i_{var}][1] AS {rvar}, "
              f"i_{var} RETURN")
    # Each row's cursor is written once, as the rows are collected, and only when selected.
    marked = _selects_cursor(sel)

    def mark(i: str) -> str:
        return f"rows_{var}[{i}][3]"
    for child, child_path in cypher.kids(sel, path):
        if child.field == "edges":
            edge = _edge(b, target, rel, var, rvar, child, child_path, mark)
            result.append(f"`{child.key}`: COLLECT {{ {window} {edge} }}")
        elif child.field == "nodes":
            projection = cypher.project(b, target, var, cypher.kids(child, child_path))
            result.append(f"`{child.key}`: COLLECT {{ {window} {projection} }}")
        elif child.field == "totalCount":
            result.append(f"`{child.key}`: size(rows_{var})")
        elif child.field == "aggregate":
            result.append(f"`{child.key}`: {_list_aggregate(b, target, var, child)}")
        elif child.field == "pageInfo":
            result.append(f"`{child.key}`: {_page_info(child, var, mark)}")
    answer = "{" + ", ".join(result) + "}"
    if parents:
        # A cursor names the record whose list it came from: under another one it is refused
        # (reads turn the mark into BAD_USER_INPUT).
        same = " AND ".join(f"{p} = {owner}.id" for p in parents)
        answer = f"CASE WHEN {same} THEN {answer} ELSE {{`{REFUSED}`: true}} END"
    # Subquery expressions (COLLECT) rather than aggregations: an aggregation anywhere inside
    # a projection makes Neo4j treat the owner's other keys as grouping keys and refuse them.
    key_list = "[" + ", ".join(k.expr for k in keys) + "]"
    row = f"[{var}, {rvar}, {key_list}" + (
        f", {_cursor_text(fingerprint, owner, keys)}]" if marked else "]")
    return (
        f"head(COLLECT {{ UNWIND [COLLECT {{ {match} WITH {var}, {rvar} ORDER BY {order} "
        f"RETURN {row} }}] AS rows_{var} "
        f"WITH rows_{var}, {stop} AS stop_{var}, {start} AS start_{var} "
        f"WITH rows_{var}, stop_{var}, CASE WHEN {last} IS NULL THEN start_{var} "
        f"WHEN stop_{var} - {last} < 0 THEN 0 ELSE stop_{var} - {last} END AS lo_{var}, "
        f"CASE WHEN {last} IS NULL THEN start_{var} + {first} ELSE stop_{var} END AS hi_{var} "
        f"WITH rows_{var}, lo_{var}, CASE WHEN hi_{var} > stop_{var} "
        f"THEN stop_{var} ELSE hi_{var} END AS hi_{var} "
        f"RETURN {answer} }})"
    )


REFUSED = "__refusedCursor"
"""The mark a nested connection answers when its cursor came from another record's list."""


def refused(value: Any) -> bool:
    """Whether a compiled answer holds the mark of a refused nested cursor anywhere."""
    if isinstance(value, Mapping):
        return REFUSED in value or any(refused(v) for v in value.values())
    if isinstance(value, list):
        return any(refused(v) for v in value)
    return False


def any_refused(cypher: str, records: Iterable[Any]) -> bool:
    """Whether a statement's records hold a refused nested cursor; only a statement that pages
    a nested list by cursor can, so the others are not searched."""
    return REFUSED in cypher and any(refused(dict(r)) for r in records)


def _cursor_value(bound: str, index: int, count: int, which: str) -> Any:
    def value(args: Mapping[str, Any]) -> Any:
        values = cursors.decode_nested(args.get(which), cursors.fingerprint(bound, args),
                                       count, which)
        if not isinstance(values[0], str):
            raise BadInput("the cursor is not one this list gave out", field=which)
        return values[index]
    return value


def _json(expr: str) -> str:
    """A value of a sort key as JSON text, as ``cursors`` reads it back (strings escaped,
    dates and date-times tagged); written in Cypher because the cursor is made there."""
    escaped = "replace(replace(" + expr + r""", '\\', '\\\\'), '"', '\\"')"""
    return (f"CASE WHEN {expr} IS NULL THEN 'null' "
            f"WHEN {expr} IS :: STRING THEN '\"' + {escaped} + '\"' "
            f"WHEN {expr} IS :: DATE THEN '{{\"d\":\"' + toString({expr}) + '\"}}' "
            f"WHEN {expr} IS :: ZONED DATETIME OR {expr} IS :: LOCAL DATETIME "
            f"THEN '{{\"t\":\"' + toString({expr}) + '\"}}' "
            f"ELSE toString({expr}) END")


def _cursor_text(fingerprint: str, owner: str, keys: list[cypher.Key]) -> str:
    """The Cypher text of a row's cursor: the parent's id and the row's sort-key values."""
    values = [f"{owner}.id"] + [k.expr for k in keys]
    inner = " + ',' + ".join(_json(v) for v in values)
    return (f"'{cursors.NESTED}[{cursors.VERSION},\"' + {fingerprint} + '\",[' + "
            f"{inner} + ']]'")


def _selects_cursor(sel: Selection) -> bool:
    return any((c.field == "edges" and c.selects("cursor"))
               or (c.field == "pageInfo" and (c.selects("startCursor") or c.selects("endCursor")))
               for c in sel.children)


def _nodes_page(b: cypher.Builder, target: NodeType, var: str, match: str, order: str,
               sel: Selection, path: cypher.Path) -> str:
    """Only ``nodes`` selected, forwards: the page is the ordered match cut by SKIP and LIMIT,
    so the planner stops after it (a sort with a top-k limit) instead of collecting every
    related row to slice it; the statement costs what the plain nested list did."""
    limit = b.param(path, (), _first)
    entries = []
    for child, child_path in cypher.kids(sel, path):
        projection = cypher.project(b, target, var, cypher.kids(child, child_path))
        entries.append(f"`{child.key}`: COLLECT {{ {match} WITH {var} ORDER BY {order} "
                       f"LIMIT {limit} RETURN {projection} }}")
    return "{" + ", ".join(entries) + "}"


def _edge(b: cypher.Builder, target: NodeType, rel: Rel, var: str, rvar: str,
          sel: Selection, path: cypher.Path, mark: Callable[[str], str]) -> str:
    entries: list[str] = []
    for child, child_path in cypher.kids(sel, path):
        if child.field == "cursor":
            entries.append(f"`{child.key}`: {mark(f'i_{var}')}")
        elif child.field == "score":  # a search's relevance: nested lists are not searched
            entries.append(f"`{child.key}`: null")
        elif child.field == "node":
            entries.append(f"`{child.key}`: "
                           f"{cypher.project(b, target, var, cypher.kids(child, child_path))}")
        else:
            prop = next((p for p in rel.edge if p.name == child.field), None)
            if prop is not None:
                entries.append(f"`{child.key}`: {cypher.scalar(prop, rvar)}")
    return "{" + ", ".join(entries) + "}"


def _page_info(sel: Selection, var: str, mark: Callable[[str], str]) -> str:
    some = f"CASE WHEN hi_{var} > lo_{var} THEN"
    values = {
        "hasNextPage": f"hi_{var} < size(rows_{var})",
        "hasPreviousPage": f"lo_{var} > 0",
        "startCursor": f"{some} {mark(f'lo_{var}')} END",
        "endCursor": f"{some} {mark(f'hi_{var} - 1')} END",
    }
    entries = [f"`{c.key}`: {values[c.field]}" for c in sel.children if c.field in values]
    return "{" + ", ".join(entries) + "}"


AGGREGATED_KINDS = (INT, FLOAT, DATE, DATETIME)
AVERAGED_KINDS = (INT, FLOAT)


def aggregated(t: NodeType) -> tuple[Prop, ...]:
    """The properties a connection's ``aggregate { node { ... } }`` offers: numeric and
    temporal ones (not the version counter, not lists)."""
    return tuple(p for p in t.props
                 if p.kind in AGGREGATED_KINDS and not p.many and p.name != "version")


def aggregate(b: cypher.Builder, t: NodeType, var: str, sel: Selection) -> str:
    """``WITH <aggregations> RETURN {...}`` over the rows binding ``var`` (a root list: its
    match, visibility and filters, every page): ``count``, and per selected property its
    ``min``, ``max`` and (numbers) ``average``, each under its response key. The aggregations
    are columns of one ``WITH``: Neo4j refuses aggregating and plain expressions mixed in a
    map."""
    columns = [f"count({var}) AS ag_{var}_0"]

    def column(function: str, expr: str) -> str:
        name = f"ag_{var}_{len(columns)}"
        cypher_function = "avg" if function == "average" else function
        columns.append(f"{cypher_function}({expr}) AS {name}")
        return name
    figures = _figures(b, t, var, sel, f"ag_{var}_0", column)
    return f"WITH {', '.join(columns)} RETURN {figures}"


def _list_aggregate(b: cypher.Builder, t: NodeType, var: str, sel: Selection) -> str:
    """The same figures over a nested connection's collected rows (``rows_<var>``, pairs of
    node and relationship), as list expressions: an aggregation anywhere inside the owner's
    projection would make Neo4j treat the owner's other keys as grouping keys and refuse
    them."""
    def over_list(function: str, expr: str) -> str:
        values = (f"[ay_{var} IN [ax_{var} IN [ar_{var} IN rows_{var} | ar_{var}[0]] | {expr}] "
                  f"WHERE ay_{var} IS NOT NULL]")
        if function == "average":
            return (f"CASE WHEN size({values}) = 0 THEN null ELSE "
                    f"reduce(s_{var} = 0.0, v_{var} IN {values} | s_{var} + v_{var}) "
                    f"/ size({values}) END")
        direction = "ASC" if function == "min" else "DESC"
        return (f"head(COLLECT {{ UNWIND {values} AS v_{var} RETURN v_{var} "
                f"ORDER BY v_{var} {direction} LIMIT 1 }})")
    return _figures(b, t, f"ax_{var}", sel, f"size(rows_{var})", over_list)


def _figures(b: cypher.Builder, t: NodeType, var: str, sel: Selection, count: str,
             figure: Callable[[str, str], str]) -> str:
    """The ``aggregate`` selection as a map by response key; ``figure(function, expr)`` gives
    the expression of ``min``/``max``/``average`` of a property's expression on ``var``."""
    entries: list[str] = []
    for child in sel.children:
        if child.field == "count":
            entries.append(f"`{child.key}`: {count}")
        elif child.field == "__typename":
            entries.append(f"`{child.key}`: '{t.name}Aggregate'")
        elif child.field == "node":
            inner: list[str] = []
            for field_sel in child.children:
                prop = next((p for p in aggregated(t) if p.name == field_sel.field), None)
                if prop is None:
                    continue
                expr = cypher.prop_expr(t, prop, var, b.scope)
                functions: list[str] = []
                for fn in field_sel.children:
                    if fn.field not in ("min", "max", "average") or (
                            fn.field == "average" and prop.kind not in AVERAGED_KINDS):
                        continue
                    functions.append(f"`{fn.key}`: "
                                     f"{_aggregate_output(prop, fn.field, figure(fn.field, expr))}")
                inner.append(f"`{field_sel.key}`: {{{', '.join(functions)}}}")
            entries.append(f"`{child.key}`: {{{', '.join(inner)}}}")
    return "{" + ", ".join(entries) + "}"


def _aggregate_output(prop: Prop, function: str, column: str) -> str:
    """As the answer carries it: an average is a Float, a minimum or maximum has the
    property's own type (ISO text for temporal values, an integer for an Int)."""
    if function == "average":
        return f"toFloat({column})"
    if prop.kind in (DATE, DATETIME):
        return f"toString({column})"
    if prop.kind == INT and not prop.count_of:
        return f"toInteger({column})"
    return column


def root_aggregates(b: cypher.Builder, t: NodeType, var: str, root: Selection,
                    source: str) -> tuple[str, str]:
    """A root connection's ``aggregate`` selections: one ``CALL`` each over the list's
    ``source`` (its match, visibility and filters, without the page), and the map of them by
    response key that the statement returns as ``aggregates``."""
    calls: list[str] = []
    keys: list[str] = []
    for i, sel in enumerate(c for c in root.children if c.field == "aggregate"):
        calls.append(f"CALL () {{ {source} {aggregate(b, t, var, sel)} AS aggregate{i} }} ")
        keys.append(f"`{sel.key}`: aggregate{i}")
    return "".join(calls), "{" + ", ".join(keys) + "}"
