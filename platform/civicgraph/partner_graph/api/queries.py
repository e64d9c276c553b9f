"""Root fields reading the partner graph: a connection per type, `node`, `organisation`, and the
discovery queries. Each resolver hands its whole selection to a service: one statement each."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import Compiled, compiled, compiled_all
from civicgraph.api.context import ctx
from civicgraph.api.limits import page_max
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.errors import NotFound
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


def _connection_resolver(type_name: str) -> Any:
    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any]:
        selection = root_selection(info)
        page = service.connection(ctx(info).graph, type_name, selection,
                                  page_max(info), document_key(info), viewer(info))
        return to_connection(selection, page)
    return resolve


def connection_field(type_name: str, description: str | None = None) -> Any:
    """A root connection of any type of the model, compiled into one statement (the lab's,
    the feeds' and the kits' lists use it too: the partner graph's public face for reads)."""
    return graphene.Field(CONNECTIONS[type_name], required=True,
                          args=connection_args(type_name), description=description,
                          resolver=_connection_resolver(type_name))


def by_id_resolver(type_name: str, missing: str | None = None) -> Any:
    """``type(id:)`` compiled into one statement under the type's guard; ``missing`` makes an
    unseen record NOT_FOUND rather than null."""
    def resolve(root: Any, info: Any, **kwargs: Any) -> dict[str, Any] | None:
        found = compiled(service.by_id(ctx(info).graph, type_name, root_selection(info),
                                       document_key(info), viewer(info)))
        if found is None and missing is not None:
            raise NotFound(f"no {missing} with id {kwargs.get('id')}", id=kwargs.get("id"))
        return found
    return resolve


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
        return compiled(service.node(ctx(info).graph, root_selection(info), document_key(info),
                                     viewer(info)))

    @staticmethod
    def resolve_organisation(root: Any, info: Any, id: str) -> dict[str, Any] | None:
        return compiled(service.by_id(ctx(info).graph, "Organisation", root_selection(info),
                                      document_key(info), viewer(info)))

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
