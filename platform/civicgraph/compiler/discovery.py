"""Discovery reads compiled like the rest: partners of partners, the shortest chain of
partnerships, organisations similar to one. Each is one statement; the organisations in the
answer are projected from the client's selection like any other read.

Visibility holds here as in every read: an organisation the caller may not see (synced only
from a TEST-mode platform) is neither a start, an answer, nor a step or a shared partner on the
way to one, so a hidden record changes no answer the caller can see."""

from __future__ import annotations

from civicgraph.compiler import nested
from civicgraph.compiler.cypher import Builder, Fields, Plan, kids, project
from civicgraph.compiler.model import ORGANISATION
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Scope, predicate

MAX_HOPS = 4
MAX_CHAIN = 8


def _wrap(b: Builder, fields: Fields, scalars: dict[str, str], node_field: str, var: str,
          list_of: str | None = None) -> str:
    """A map keyed by response key: scalar fields from ``scalars``, the organisation field(s)
    projected from the selection (``list_of`` projects a list comprehension over that list)."""
    entries: list[str] = []
    for sel, path in fields:
        if sel.field in scalars:
            entries.append(f"`{sel.key}`: {scalars[sel.field]}")
        elif sel.field == node_field and list_of is not None:
            entries.append(f"`{sel.key}`: {_whole(b, sel, path, var, list_of)}")
        elif sel.field == node_field:
            entries.append(f"`{sel.key}`: {project(b, ORGANISATION, var, kids(sel, path))}")
    return "{" + ", ".join(entries) + "}"


def _whole(b: Builder, sel: Selection, path: tuple[int, ...], var: str, list_of: str) -> str:
    """A list the statement already holds (a chain's organisations) as a connection: a chain
    is at most ``MAX_CHAIN`` + 1 long, so the page is a slice of it in the statement, and its
    cursors are positions along it (``nested``'s)."""
    size = f"size({list_of})"
    lo, hi = nested.window(b, path, size)
    page = f"range({lo}, ({hi}) - 1)"
    entries: list[str] = []
    for child, child_path in kids(sel, path):
        if child.field == "nodes":
            projection = project(b, ORGANISATION, var, kids(child, child_path))
            entries.append(f"`{child.key}`: [i IN {page} | head([{var} IN [{list_of}[i]] | "
                           f"{projection}])]")
        elif child.field == "edges":
            parts = []
            for part, part_path in kids(child, child_path):
                if part.field == "cursor":
                    parts.append(f"`{part.key}`: '{nested.PREFIX}' + toString(i)")
                elif part.field == "node":
                    projection = project(b, ORGANISATION, var, kids(part, part_path))
                    parts.append(f"`{part.key}`: head([{var} IN [{list_of}[i]] | "
                                 f"{projection}])")
            entries.append(f"`{child.key}`: [i IN {page} | {{{', '.join(parts)}}}]")
        elif child.field == "totalCount":
            entries.append(f"`{child.key}`: {size}")
        elif child.field == "pageInfo":
            some = f"CASE WHEN ({hi}) > ({lo}) THEN '{nested.PREFIX}' + toString"
            info = {"hasNextPage": f"({hi}) < {size}", "hasPreviousPage": f"({lo}) > 0",
                    "startCursor": f"{some}({lo}) END", "endCursor": f"{some}(({hi}) - 1) END"}
            entries.append(f"`{child.key}`: {{" + ", ".join(
                f"`{c.key}`: {info[c.field]}" for c in child.children if c.field in info)
                + "}")
    return "{" + ", ".join(entries) + "}"


def _clamp(value: object, default: int, high: int) -> int:
    number = default if value is None else int(str(value))
    return max(1, min(high, number))


def _seen(var: str, scope: Scope, lead: str = " WHERE ") -> str:
    test = predicate(var, scope)
    return lead + test if test else ""


def _path_seen(scope: Scope) -> str:
    """Every organisation on ``path`` visible ('' when the caller sees all)."""
    test = predicate("x", scope)
    return f" AND all(x IN nodes(path) WHERE {test})" if test else ""


def compile_reach(root: Selection, scope: Scope = "public") -> Plan:
    """Organisations within ``hops`` partnerships, each at its smallest distance."""
    b = Builder(scope=scope)
    start = b.param((), ("id",))
    hops = _clamp(root.args.get("hops"), 2, MAX_HOPS)
    limit = b.param((), ("first",), lambda v: 20 if v is None else int(v))
    item = _wrap(b, kids(root, ()), {"distance": "distance"}, "organisation", "n")
    return b.plan(
        f"MATCH (o:Organisation {{id: {start}}}){_seen('o', scope)} "
        "CALL (o) { "
        f"OPTIONAL MATCH path = (o)-[:PARTNERS_WITH*1..{hops}]-(n:Organisation) "
        f"WHERE n <> o{_path_seen(scope)} "
        "WITH n, min(length(path)) AS distance WHERE n IS NOT NULL "
        f"ORDER BY distance, n.name, n.id LIMIT {limit} "
        f"RETURN collect({item}) AS items }} "
        "RETURN items, true AS found"
    )


def compile_chain(root: Selection, scope: Scope = "public") -> Plan:
    """The shortest chain of partnerships (Cypher's shortestPath; no GDS needed)."""
    b = Builder(scope=scope)
    a = b.param((), ("from",))
    z = b.param((), ("to",))
    hops = _clamp(root.args.get("maxHops"), 6, MAX_CHAIN)
    item = _wrap(b, kids(root, ()), {"length": "length(path)"}, "organisations", "n",
                 list_of="nodes(path)")
    return b.plan(
        f"MATCH (a:Organisation {{id: {a}}}){_seen('a', scope)} "
        f"MATCH (z:Organisation {{id: {z}}}){_seen('z', scope)} "
        f"OPTIONAL MATCH path = shortestPath((a)-[:PARTNERS_WITH*..{hops}]-(z))"
        f"{_path_seen(scope).replace(' AND ', ' WHERE ', 1)} "
        f"RETURN CASE WHEN path IS NULL THEN null ELSE {item} END AS item"
    )


def compile_similar(root: Selection, scope: Scope = "public") -> Plan:
    """Organisations sharing fields, skills or partners with one, best score first.

    score = 2 x shared fields + 1 x shared skills + 1.5 x shared partners: a field is a broad
    capability, a skill a narrow one, a shared partner a sign of working in the same circle."""
    b = Builder(scope=scope)
    start = b.param((), ("id",))
    limit = b.param((), ("first",), lambda v: 10 if v is None else int(v))
    scalars = {"score": "score", "sharedFields": "f", "sharedSkills": "s",
               "sharedPartners": "p"}
    item = _wrap(b, kids(root, ()), scalars, "organisation", "n")
    return b.plan(
        f"MATCH (o:Organisation {{id: {start}}}){_seen('o', scope)} "
        "CALL (o) { CALL (o) { "
        "MATCH (o)-[:IN_FIELD]->(:Field)<-[:IN_FIELD]-(n:Organisation) RETURN n, 'f' AS why "
        "UNION ALL "
        "MATCH (o)-[:HAS_SKILL]->(:Skill)<-[:HAS_SKILL]-(n:Organisation) RETURN n, 's' AS why "
        "UNION ALL "
        "MATCH (o)-[:PARTNERS_WITH]-(m:Organisation)-[:PARTNERS_WITH]-(n:Organisation) "
        f"WHERE m <> n{_seen('m', scope, ' AND ')} RETURN n, 'p' AS why }} "
        f"WITH o, n, why WHERE n <> o{_seen('n', scope, ' AND ')} "
        "WITH n, count(CASE WHEN why = 'f' THEN 1 END) AS f, "
        "count(CASE WHEN why = 's' THEN 1 END) AS s, count(CASE WHEN why = 'p' THEN 1 END) AS p "
        "WITH n, f, s, p, 2.0 * f + 1.0 * s + 1.5 * p AS score "
        f"ORDER BY score DESC, n.name, n.id LIMIT {limit} "
        f"RETURN collect({item}) AS items }} "
        "RETURN items, true AS found"
    )
