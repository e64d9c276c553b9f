"""Root fields reading the partner graph: a connection per type, `node`, `organisation`, and the
discovery queries. Each resolver hands its whole selection to a service: one statement each."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any

import graphene

from civicgraph.api.compiled import Compiled, compiled, compiled_all, replayable
from civicgraph.api.context import ctx
from civicgraph.api.limits import page_max
from civicgraph.api.selection import document_key, root_selection
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
            out[sel.key] = [{"cursor": mark, **{key: Compiled(item[sel.key][key])
                                                 for key in nodes}}
                            for mark, item in zip(page.cursors, page.items, strict=True)]
        elif sel.field == "nodes":
            out[sel.key] = [Compiled(item[sel.key]) for item in page.items]
        elif sel.field == "pageInfo":
            out[sel.key] = {
                "hasNextPage": page.has_next, "hasPreviousPage": page.has_previous,
                "startCursor": page.cursors[0] if page.cursors else None,
                "endCursor": page.cursors[-1] if page.cursors else None}
        elif sel.field == "totalCount":
            out[sel.key] = page.total
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
    per record named; computed answers name few."""
    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any] | None:
        record_id = root.get(key) if isinstance(root, dict) else getattr(root, key, None)
        if record_id is None:
            return None
        # The field's own arguments are none of the read's: it reads the record of that id.
        selection = replace(root_selection(info), args={"id": str(record_id)})
        return compiled(service.by_id(ctx(info).graph, type_name, selection, None, viewer(info)))
    return resolve


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
