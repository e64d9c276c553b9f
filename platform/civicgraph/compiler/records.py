"""Records a computed answer names by id, read in one statement whatever their number.

A domain's computed answer (an evaluation's ranking, a panel) names records by id: the proposal
ranked, each judge, the challenge. Each field naming a record is served as the record's own type,
projected from the client's selection under it; reading them one by one costs one statement per
record named (about fifty for a challenge's results). ``compile_by_ids`` reads every such field at
once: one ``CALL`` subquery per field (per response key), each matching its list of ids on the
id constraint under the type's visibility and guard, so a record the caller may not see is
simply absent (the field then answers null), as it would be read alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from civicgraph.compiler import cypher
from civicgraph.compiler import where as where_clause
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Scope


@dataclass(frozen=True)
class Wanted:
    """One field naming records: its type and the client's selection under it, whose ``args``
    hold ``{"ids": [...]}`` (every id the field names across the answer's lists)."""

    type_name: str
    selection: Selection


def compile_by_ids(wanted: Sequence[Wanted], scope: Scope = "public") -> cypher.Plan:
    """``RETURN g0, g1, ...``: for each wanted field, the pairs ``[id, projection]`` of the
    records among its ids that the caller may see."""
    b = cypher.Builder(scope=scope)
    calls: list[str] = []
    for i, want in enumerate(wanted):
        t = TYPES[want.type_name]
        path = (i,)
        var, rid = b.var(), b.var()
        ids = b.param(path, ("ids",))
        rules = where_clause.access(b, t, var)
        where = " WHERE " + " AND ".join(rules) if rules else ""
        projection = cypher.project(b, t, var, cypher.kids(want.selection, path))
        calls.append(f"CALL () {{ UNWIND {ids} AS {rid} MATCH ({var}:{t.label} {{id: {rid}}})"
                     f"{where} RETURN collect([{rid}, {projection}]) AS g{i} }}")
    returned = ", ".join(f"g{i}" for i in range(len(wanted)))
    return b.plan(" ".join(calls) + f" RETURN {returned}")


def root(wanted: Sequence[Wanted]) -> Selection:
    """The selection the plan's parameters are read from (one child per wanted field)."""
    return Selection("records", "records", {}, tuple(w.selection for w in wanted))
