"""Create, update and delete records of the partner graph, each in one statement that also
returns the record as the client's selection asks (projected by the compiler).

Optimistic concurrency: an update or delete names the ``version`` it read; the statement applies
the change only when the stored version still matches and reports the current one otherwise.
Related records named by key (an organisation id, skill URIs, field codes) must exist: the
statement lists the ones that do not and then changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import ConstraintError

from civicgraph.compiler.cypher import Builder, kids, project
from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.envelope import touched
from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writers

ADMIN_VIEW = Visibility(admin=True)


@dataclass(frozen=True)
class RelInput:
    """An input field that sets a relationship to records named by their key."""

    name: str
    rel_type: str
    target: str
    key: str
    many: bool = True
    direction: str = "out"

    def pattern(self, node: str, other: str) -> str:
        if self.direction == "in":
            return f"({node})<-[:{self.rel_type}]-({other})"
        return f"({node})-[:{self.rel_type}]->({other})"


REL_INPUTS: dict[str, tuple[RelInput, ...]] = {
    "Organisation": (RelInput("fieldCodes", "IN_FIELD", "Field", "code"),
                     RelInput("skillUris", "HAS_SKILL", "Skill", "uri"),
                     RelInput("platformIds", "OPERATES", "PartnerPlatform", "id")),
    "Vacancy": (RelInput("organisationId", "OFFERED_BY", "Organisation", "id", many=False),
                RelInput("skillUris", "REQUIRES", "Skill", "uri"),
                RelInput("occupationUri", "FOR_OCCUPATION", "Occupation", "uri", many=False)),
    "TrainingCourse": (RelInput("providerId", "OFFERED_BY", "Organisation", "id", many=False),
                       RelInput("skillUris", "TEACHES", "Skill", "uri")),
    "Service": (RelInput("providerId", "OFFERED_BY", "Organisation", "id", many=False),
                RelInput("fieldCodes", "IN_FIELD", "Field", "code")),
    "Occupation": (RelInput("skillUris", "NEEDS_SKILL", "Skill", "uri"),),
    "Skill": (),
    "Field": (),
    "PartnerPlatform": (),
}


@dataclass(frozen=True)
class WriteResult:
    found: bool
    applied: bool
    current_version: int | None
    missing: list[dict[str, str]]
    item: dict[str, Any] | None


def _relations(type_name: str, relations: dict[str, list[str]]) -> tuple[str, str, dict[str, Any]]:
    """The check for missing targets, the unit subqueries that replace each given relationship,
    and their parameters (one list of keys per relationship given)."""
    label = TYPES[type_name].label
    checks: list[str] = []
    updates: list[str] = []
    params: dict[str, Any] = {}
    for index, rel in enumerate(REL_INPUTS[type_name]):
        if rel.name not in relations:
            continue
        param = f"r{index}"
        params[param] = relations[rel.name]
        target = TYPES[rel.target].label
        checks.append(
            f"[x IN ${param} WHERE NOT EXISTS {{ MATCH (:{target} {{{rel.key}: x}}) }} "
            f"| {{field: '{rel.name}', value: x}}]"
        )
        updates.append(
            f"CALL (n, ok) {{ WITH n, ok WHERE ok MATCH {rel.pattern('n', 'm:' + target)} "
            f"DELETE r }} ".replace("-[:", "-[r:", 1)
        )
        updates.append(
            f"CALL (n, ok) {{ WITH n, ok WHERE ok UNWIND ${param} AS x "
            f"MATCH (m:{target} {{{rel.key}: x}}) MERGE {rel.pattern('n', 'm')} }} "
        )
    del label
    missing = " + ".join(checks) if checks else "[]"
    return missing, "".join(updates), params


def _projection(root: Selection, record_field: str, type_name: str) -> tuple[str, Builder]:
    builder = Builder()
    fields = [(c, p) for c, p in kids(root, ()) if c.field == record_field]
    entries = []
    for sel, path in fields:
        entries.append(project(builder, TYPES[type_name], "n", kids(sel, path)))
    return (entries[0] if entries else "{}"), builder


def _execute(graph: Graph, cypher: str, params: dict[str, Any], builder: Builder,
             root: Selection) -> WriteResult:
    # The partner graph's writes are admin work (graphql/policy.py): the record they return is
    # projected with an admin's visibility of TEST-mode partner feeds.
    all_params = {**builder.plan(cypher).with_caller(root, ADMIN_VIEW.params()), **params}
    try:
        records = graph.run((cypher), all_params, write=True)
    except ConstraintError as exc:
        raise Conflict("a record with this key already exists") from exc
    row = records[0]
    item = row["item"]
    return WriteResult(bool(row["found"]), bool(row["ok"]), row["current"],
                       [dict(m) for m in row["missing"]], dict(item) if item else None)


def create(graph: Graph, type_name: str, props: dict[str, Any], relations: dict[str, list[str]],
           root: Selection, record_field: str, labels: list[str] | None = None) -> WriteResult:
    label = TYPES[type_name].label
    missing, updates, params = _relations(type_name, relations)
    projection, builder = _projection(root, record_field, type_name)
    cypher = (
        f"WITH {missing} AS missing "
        "WITH missing, size(missing) = 0 AS ok "
        "FOREACH (_ IN CASE WHEN ok THEN [1] ELSE [] END | "
        + writers.create(type_name, "c", "$props", labels="$labels") + ") "
        f"WITH missing, ok OPTIONAL MATCH (n:{label} {{id: $props.id}}) "
        "WITH n, missing, ok AND n IS NOT NULL AS ok "
        + updates +
        f"RETURN ok AS found, ok, 1 AS current, missing, "
        f"CASE WHEN ok THEN {projection} END AS item"
    )
    params.update(props=props, labels=labels or [label])
    return _execute(graph, cypher, params, builder, root)


def update(graph: Graph, type_name: str, node_id: str, version: int, props: dict[str, Any],
           relations: dict[str, list[str]], root: Selection, record_field: str,
           labels: tuple[list[str], str] | None = None) -> WriteResult:
    """``labels``: (labels to remove, label to add), for an organisation changing kind."""
    label = TYPES[type_name].label
    missing, updates, params = _relations(type_name, relations)
    projection, builder = _projection(root, record_field, type_name)
    relabel = ""
    if labels is not None:
        relabel = ("CALL (n, ok) { WITH n, ok WHERE ok "
                   "REMOVE n:$($dropLabels) SET n:$($addLabel) } ")
        params.update(dropLabels=labels[0], addLabel=labels[1])
    cypher = (
        f"OPTIONAL MATCH (n:{label} {{id: $id}}) "
        f"WITH n, {missing} AS missing "
        "WITH n, missing, n.version AS current, n IS NOT NULL AS found "
        "WITH n, missing, current, found, found AND current = $version AS fresh "
        "WITH n, missing, current, found, fresh, fresh AND size(missing) = 0 AS ok "
        "CALL (n, ok) { WITH n, ok WHERE ok SET n += $props, " + touched("n") + " } "
        + relabel + updates +
        f"RETURN found, ok, current, missing, CASE WHEN ok THEN {projection} END AS item"
    )
    params.update(id=node_id, version=version, props=props)
    return _execute(graph, cypher, params, builder, root)


def delete(graph: Graph, type_name: str, node_id: str, version: int | None) -> WriteResult:
    """Delete with its relationships; a record that others are offered by (an organisation
    with vacancies, courses or services) is kept and reported in ``missing`` as ``offers``."""
    label = TYPES[type_name].label
    records = graph.run(
        f"OPTIONAL MATCH (n:{label} {{id: $id}}) "
        "WITH n, n.version AS current, n IS NOT NULL AS found, "
        "COUNT { (n)<-[:OFFERED_BY]-() } AS offers "
        "WITH n, current, found, offers, "
        "found AND ($version IS NULL OR current = $version) AS fresh "
        "WITH n, current, found, offers, fresh, fresh AND offers = 0 AS ok "
        "CALL (n, ok) { WITH n, ok WHERE ok DETACH DELETE n } "
        "RETURN found, fresh, ok, current, offers",
        {"id": node_id, "version": version},
        write=True,
    )
    row = records[0]
    blocked = [{"field": "offers", "value": str(row["offers"])}] if row["fresh"] and \
        not row["ok"] else []
    return WriteResult(bool(row["found"]), bool(row["fresh"]), row["current"], blocked, None)


def read_for_update(graph: Graph, type_name: str, node_id: str) -> dict[str, Any] | None:
    """The stored fields a service needs to derive keys (an organisation's name key)."""
    label = TYPES[type_name].label
    records = graph.run(
        (f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS props"),
        {"id": node_id},
    )
    return dict(records[0]["props"]) if records else None
