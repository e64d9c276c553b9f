"""Root fields reading the partner graph: a connection per type, `node`, `organisation`, and the
discovery queries. Each resolver hands its whole selection to a service: one statement each."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import graphene
from graphene.utils.str_converters import to_camel_case

from civicgraph.api.compiled import Compiled, compiled, compiled_all, compiled_value, replayable
from civicgraph.api.context import ctx
from civicgraph.api.limits import page_max
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler import records
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.errors import NotFound
from civicgraph.core.graph import Graph
from civicgraph.partner_graph.api.types import (
    CONNECTIONS,
    OBJECTS,
    Node,
    connection_args,
)
from civicgraph.partner_graph.service import reads as service

ROOTS = {
    "organisations": "Organisation", "vacancies": "Vacancy",
    "training_courses": "TrainingCourse", "services": "Service", "skills": "Skill",
    "occupations": "Occupation", "fields": "Field", "partner_platforms": "PartnerPlatform",
}


def viewer(info: Any) -> Visibility:
    """What of TEST-mode partner feeds the caller may see (public unless a platform or admin)."""
    return service.viewer_for(ctx(info).principal)


def to_connection(root: Selection, page: service.Page) -> dict[str, Any]:
    """The connection keyed by the client's response keys: each ``edges`` and ``nodes``
    selection gets the projection the statement made for it (compiler.cypher._item)."""
    out: dict[str, Any] = {}
    for sel in root.children:
        if sel.field == "edges":
            nodes = [n.key for n in sel.children if n.field == "node"]
            scores = [c.key for c in sel.children if c.field == "score"]
            marked = sel.selects("cursor")
            out[sel.key] = [{**({"cursor": page.cursor(i)} if marked else {}),
                             **{key: compiled_value(item[sel.key][key]) for key in nodes},
                             **{key: item[sel.key][key] for key in scores}}
                            for i, item in enumerate(page.items)]
        elif sel.field == "nodes":
            out[sel.key] = [compiled_value(item[sel.key]) for item in page.items]
        elif sel.field == "pageInfo":
            last = len(page.items) - 1
            wanted = {c.field for c in sel.children}
            out[sel.key] = {
                "hasNextPage": page.has_next, "hasPreviousPage": page.has_previous,
                "startCursor": page.cursor(0) if last >= 0 and "startCursor" in wanted
                else None,
                "endCursor": page.cursor(last) if last >= 0 and "endCursor" in wanted
                else None}
        elif sel.field == "totalCount":
            out[sel.key] = page.total
        elif sel.field == "aggregate":
            out[sel.key] = Compiled(page.aggregates[sel.key])
    return out


Narrow = Callable[[Any, Selection], Selection]
"""Rewrites a root connection's selection for the caller (``info``): identity's ``my…`` lists
add the caller's own person to the client's where, inside the same compiled statement."""


def connection_page(info: Any, type_name: str, selection: Selection) -> dict[str, Any]:
    """One compiled statement answering ``selection`` as a connection of ``type_name``, under
    the caller's visibility; for a field whose parent is not a model record (a kit's releases,
    narrowed to the kit by its resolver)."""
    page = service.connection(ctx(info).graph, type_name, selection,
                              page_max(info), document_key(info), viewer(info))
    return to_connection(selection, page)


def _connection_resolver(type_name: str, narrow: Narrow | None = None) -> Any:
    def read(graph: Graph, selection: Selection, limit: int, document: Hashable | None,
             caller: Visibility) -> dict[str, Any]:
        page = service.connection(graph, type_name, selection, limit, document, caller)
        return to_connection(selection, page)

    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any]:
        selection = root_selection(info)
        if narrow is not None:
            selection = narrow(info, selection)
        return read(ctx(info).graph, selection, page_max(info), document_key(info),
                    viewer(info))
    # A narrowed list depends on the caller beyond the visibility: never replayed.
    return resolve if narrow is not None else replayable(resolve, read)


def connection_field(type_name: str, description: str | None = None,
                     narrow: Narrow | None = None) -> Any:
    """A root connection of any type of the model, compiled into one statement (the lab's,
    the feeds', the kits' and identity's lists use it too: the partner graph's public face for
    reads)."""
    return graphene.Field(CONNECTIONS[type_name], required=True,
                          args=connection_args(type_name), description=description,
                          resolver=_connection_resolver(type_name, narrow))


def by_id_resolver(type_name: str, missing: str | None = None) -> Any:
    """``type(id:)`` compiled into one statement under the type's guard; ``missing`` makes an
    unseen record NOT_FOUND rather than null."""
    def read(graph: Graph, selection: Selection, limit: int, document: Hashable | None,
             caller: Visibility) -> dict[str, Any] | None:
        found = compiled(service.by_id(graph, type_name, selection, document, caller))
        if found is None and missing is not None:
            record_id = selection.args.get("id")
            raise NotFound(f"no {missing} with id {record_id}", id=record_id)
        return found

    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any] | None:
        return read(ctx(info).graph, root_selection(info), page_max(info), document_key(info),
                    viewer(info))
    return replayable(resolve, read)


def _connection_field(type_name: str) -> Any:
    return graphene.Field(CONNECTIONS[type_name], required=True,
                          args=connection_args(type_name),
                          resolver=_connection_resolver(type_name))


class ReachedOrganisation(graphene.ObjectType):
    """An organisation reached through partnerships, at its smallest number of hops."""

    distance = graphene.Int(required=True)
    organisation = graphene.Field(OBJECTS["Organisation"], required=True)


class PartnershipChain(graphene.ObjectType):
    """The shortest chain of partnerships between two organisations, both ends included."""

    length = graphene.Int(required=True, description="Number of partnerships in the chain.")
    organisations = graphene.Field(
        CONNECTIONS["Organisation"], required=True,
        first=graphene.Int(description="How many, from the start (or after `after`)."),
        after=graphene.String(description="An endCursor of this chain: the page after it."),
        last=graphene.Int(description="The last ones (of the chain, or before `before`)."),
        before=graphene.String(description="A startCursor of this chain: the page before it."),
        description="From `from` to `to`, in order along the chain, as one whole page.")


class SimilarOrganisation(graphene.ObjectType):
    score = graphene.Float(required=True,
                           description="2 x sharedFields + 1 x sharedSkills + 1.5 x sharedPartners")
    shared_fields = graphene.Int(required=True)
    shared_skills = graphene.Int(required=True)
    shared_partners = graphene.Int(required=True)
    organisation = graphene.Field(OBJECTS["Organisation"], required=True)


def _node(graph: Graph, selection: Selection, limit: int, document: Hashable | None,
          caller: Visibility) -> Compiled | None:
    return compiled(service.node(graph, selection, document, caller))


def _organisation(graph: Graph, selection: Selection, limit: int, document: Hashable | None,
                  caller: Visibility) -> Compiled | None:
    return compiled(service.by_id(graph, "Organisation", selection, document, caller))


class PartnerGraphQueries(graphene.ObjectType):
    organisations = _connection_field("Organisation")
    vacancies = _connection_field("Vacancy")
    training_courses = _connection_field("TrainingCourse")
    services = _connection_field("Service")
    skills = _connection_field("Skill")
    occupations = _connection_field("Occupation")
    fields = _connection_field("Field")
    partner_platforms = _connection_field("PartnerPlatform")
    node = graphene.Field(Node, id=graphene.ID(required=True),
                          description="Any record by its id (a UUID), whatever its type.")
    organisation = graphene.Field(OBJECTS["Organisation"], id=graphene.ID(required=True))
    partners_of_partners = graphene.List(
        graphene.NonNull(ReachedOrganisation), required=True,
        id=graphene.ID(required=True),
        hops=graphene.Int(default_value=2, description="1 to 4."),
        first=graphene.Int(default_value=20),
        description="Organisations within `hops` partnerships of one, nearest first.")
    partnership_chain = graphene.Field(
        PartnershipChain, from_=graphene.ID(required=True, name="from"),
        to=graphene.ID(required=True),
        max_hops=graphene.Int(default_value=6, description="1 to 8."),
        description="The shortest chain of partnerships; null when there is none.")
    similar_organisations = graphene.List(
        graphene.NonNull(SimilarOrganisation), required=True,
        id=graphene.ID(required=True), first=graphene.Int(default_value=10),
        description="Organisations sharing fields, skills or partners with one, best first.")

    @staticmethod
    def resolve_node(root: Any, info: Any, id: str) -> dict[str, Any] | None:
        return _node(ctx(info).graph, root_selection(info), page_max(info), document_key(info),
                     viewer(info))

    @staticmethod
    def resolve_organisation(root: Any, info: Any, id: str) -> dict[str, Any] | None:
        return _organisation(ctx(info).graph, root_selection(info), page_max(info),
                             document_key(info), viewer(info))

    @staticmethod
    def resolve_partners_of_partners(root: Any, info: Any, **kwargs: Any) -> list[Compiled]:
        return compiled_all(service.reach(
            ctx(info).graph, root_selection(info), page_max(info), document_key(info),
            viewer(info)))

    @staticmethod
    def resolve_partnership_chain(root: Any, info: Any, **kwargs: Any) -> dict[str, Any] | None:
        return compiled(service.chain(ctx(info).graph, root_selection(info), document_key(info),
                                      viewer(info)))

    @staticmethod
    def resolve_similar_organisations(root: Any, info: Any,
                                      **kwargs: Any) -> list[Compiled]:
        return compiled_all(service.similar(
            ctx(info).graph, root_selection(info), page_max(info), document_key(info),
            viewer(info)))


replayable(PartnerGraphQueries.resolve_node, _node)
replayable(PartnerGraphQueries.resolve_organisation, _organisation)


def record_resolver(type_name: str, key: str) -> Any:
    """The record a computed answer names by id (an evaluation's proposal, its judges), served
    as the record's own type: the client's selection under it is compiled like ``type(id:)``,
    under the type's guard, so a client traverses on from it as from any read. One statement
    per record named, unless the answer's resolver read them all at once beforehand
    (``prefetch_records``), which leaves them under ``__records`` by response key."""
    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any] | None:
        prefetched = root.get(PREFETCHED) if isinstance(root, dict) else None
        if prefetched is not None and info.path.key in prefetched:
            found: dict[str, Any] | None = prefetched[info.path.key]
            return found
        record_id = root.get(key) if isinstance(root, dict) else getattr(root, key, None)
        if record_id is None:
            return None
        # The field's own arguments are none of the read's: it reads the record of that id.
        selection = replace(root_selection(info), args={"id": str(record_id)})
        return compiled(service.by_id(ctx(info).graph, type_name, selection, None, viewer(info)))
    resolve.record_of = (type_name, key)  # type: ignore[attr-defined]
    return resolve


PREFETCHED = "__records"
A = TypeVar("A", dict[str, Any], list[dict[str, Any]])


@dataclass
class _Group:
    """One field naming records, at one place of the answer (response keys from the root)."""

    type_name: str
    selection: Selection
    holders: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def _object_fields(object_type: Any) -> dict[str, Any]:
    """A graphene object type's fields by their GraphQL names."""
    fields = getattr(getattr(object_type, "_meta", None), "fields", None) or {}
    return {(f.name or to_camel_case(name)): f for name, f in fields.items()}


def _unwrapped(field_type: Any) -> Any:
    while hasattr(field_type, "of_type"):
        field_type = field_type.of_type
    return field_type


def _collect(object_type: Any, sel: Selection, items: list[Any], at: tuple[str, ...],
             groups: dict[tuple[str, ...], _Group]) -> None:
    fields = _object_fields(object_type)
    dicts = [item for item in items if isinstance(item, dict)]
    for child in sel.children:
        declared = fields.get(child.field)
        if declared is None or (child.on_type not in (None, object_type._meta.name)):
            continue
        here = (*at, child.key)
        record_of = getattr(declared.resolver, "record_of", None)
        if record_of is not None:
            type_name, key = record_of
            group = groups.get(here)
            if group is None:
                group = groups[here] = _Group(type_name, child)
            else:  # the same response key selected twice: one projection of both
                group.selection = replace(group.selection,
                                          children=group.selection.children + child.children)
            group.holders += [(item, str(item[key])) for item in dicts
                              if item.get(key) is not None]
            continue
        inner = _unwrapped(declared.type)
        if isinstance(inner, type) and issubclass(inner, graphene.ObjectType):
            values: list[Any] = []
            for item in dicts:
                value = item.get(child.field)
                values += value if isinstance(value, list) else [value]
            _collect(inner, child, values, here, groups)


def prefetch_records(info: Any, object_type: Any, answer: A) -> A:
    """Read every record a computed answer names (``record_resolver`` fields, at any depth of
    its lists) in one statement, projected from the client's selection of each field, and
    leave each under its holder's ``__records`` by response key: the field then resolves from
    there instead of one statement per record. A record the caller may not see is null. The
    answer is one ``object_type`` or a list of them (a root list such as ``sources``)."""
    groups: dict[tuple[str, ...], _Group] = {}
    items = answer if isinstance(answer, list) else [answer]
    _collect(object_type, root_selection(info), items, (), groups)
    groups = {at: g for at, g in groups.items() if g.holders}
    wanted = [records.Wanted(g.type_name, replace(
        g.selection, args={"ids": sorted({i for _h, i in g.holders})}))
        for g in groups.values()]
    found = service.by_ids(ctx(info).graph, wanted, viewer(info))
    for group, by_id in zip(groups.values(), found, strict=True):
        response_key = group.selection.key
        for holder, record_id in group.holders:
            record = by_id.get(record_id)
            holder.setdefault(PREFETCHED, {})[response_key] = (
                compiled(dict(record)) if record is not None else None)
    return answer


def related_connection(info: Any, type_name: str, record_id: str, field: str) -> Compiled:
    """A record's nested connection (a lab record's ``history``) served as a root field: the
    root field's selection and paging arguments become the nested field's, read in one compiled
    statement under the record type's guard; a record the reader may not see is NOT_FOUND."""
    root = root_selection(info)
    nested = replace(root, field=field, key=field,
                     args={k: v for k, v in root.args.items() if k not in ("kind", "id")})
    found = service.by_id(ctx(info).graph, type_name,
                          Selection(root.field, root.key, {"id": record_id}, (nested,)),
                          None, viewer(info))
    if found is None:
        raise NotFound(f"no {type_name.lower()} with id {record_id}", id=record_id)
    return Compiled(found[field])
