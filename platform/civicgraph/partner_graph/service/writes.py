"""Create, update and delete partner-graph records: validation, then one statement each.

Each property's rules are declared in the model (``compiler.model``) and checked by its
``clean``, which registration, the feeds, the seeds and the generator use too.
"""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.compiler.model import TYPES
from civicgraph.compiler.selection import Selection
from civicgraph.core.errors import BadInput, Conflict, NotFound
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import writes as repo
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key

REL_INPUTS = repo.REL_INPUTS


def writable(type_name: str) -> list[tuple[str, str, bool]]:
    """(field, kind, required on create) of the fields a client may set."""
    return [(p.name, p.kind, p.required) for p in TYPES[type_name].writable]


def _relations(type_name: str, values: dict[str, Any], creating: bool) -> dict[str, list[str]]:
    relations: dict[str, list[str]] = {}
    for rel in REL_INPUTS[type_name]:
        if rel.name not in values:
            if creating and not rel.many and rel.rel_type == "OFFERED_BY":
                raise BadInput(f"{rel.name} is required", field=rel.name)
            continue
        value = values[rel.name]
        keys = [str(v) for v in (value or [])] if rel.many else ([] if value is None else
                                                                   [str(value)])
        if not rel.many and rel.rel_type == "OFFERED_BY" and not keys:
            raise BadInput(f"{rel.name} is required", field=rel.name)
        relations[rel.name] = sorted(set(keys))
    return relations


def _outcome(result: repo.WriteResult, type_name: str, node_id: str,
             version: int | None) -> None:
    if result.missing:
        names = ", ".join(f"{m['field']} {m['value']}" for m in result.missing)
        raise NotFound(f"no record for {names}", missing=result.missing)
    if not result.found:
        raise NotFound(f"no {type_name} with id {node_id}", id=node_id)
    if not result.applied:
        raise Conflict(
            f"{type_name} {node_id} is at version {result.current_version}, not {version}: "
            "read it again and retry", currentVersion=result.current_version)


def create(graph: Graph, type_name: str, values: dict[str, Any], root: Selection,
           record_field: str) -> dict[str, Any]:
    props = TYPES[type_name].clean(values, creating=True)
    props["id"] = str(uuid.uuid4())
    relations = _relations(type_name, values, creating=True)
    result = repo.create(graph, type_name, props, relations, root, record_field)
    _outcome(result, type_name, props["id"], None)
    return {record_field: result.item}


def update(graph: Graph, type_name: str, node_id: str, version: int, values: dict[str, Any],
           root: Selection, record_field: str) -> dict[str, Any]:
    props = TYPES[type_name].clean(values, creating=False)
    relations = _relations(type_name, values, creating=False)

    def work() -> dict[str, Any]:
        labels = None
        if type_name == "Organisation" and {"name", "region", "kind"} & props.keys():
            # The name key is derived from name and region, so the stored pair is read first,
            # in the same transaction as the write; the version check in the write makes a
            # concurrent change a CONFLICT.
            stored = repo.read_for_update(graph, type_name, node_id)
            if stored is None:
                raise NotFound(f"no {type_name} with id {node_id}", id=node_id)
            props["nameKey"] = name_key(props.get("name", stored.get("name", "")),
                                        props.get("region", stored.get("region", "")))
            if "kind" in props:
                labels = (list(KIND_LABELS.values()), KIND_LABELS[props["kind"]])
        result = repo.update(graph, type_name, node_id, version, props, relations, root,
                             record_field, labels)
        _outcome(result, type_name, node_id, version)
        return {record_field: result.item}

    return graph.write_transaction(work)


def delete(graph: Graph, type_name: str, node_id: str, version: int | None) -> dict[str, Any]:
    """Deleting an organisation that still offers vacancies, courses or services is refused
    (CONFLICT): they would be left offered by no one."""
    result = repo.delete(graph, type_name, node_id, version)
    if result.missing:
        raise Conflict(f"{type_name} {node_id} still offers {result.missing[0]['value']} "
                       "vacancies, courses or services: delete them first", id=node_id)
    _outcome(result, type_name, node_id, version)
    return {"id": node_id, "deleted": True}
