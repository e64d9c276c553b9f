"""Hackathon kits: the catalogue, releases, and builds with their progress.

A kit is its reviewed spec file, so ``DataKit`` is this domain's own type; its releases and
builds are the model's ``KitRelease`` and ``KitBuild`` (``compiler.domains.kits``), read by
compiled statements from the client's selection under their guards, like every other record.
The ``releases``, ``latestRelease`` and ``builds`` of every kit a list answers are read
together, in one statement for the whole catalogue (``_with_kit_pages``), not one per kit.
"""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import Compiled, payload_records
from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.api.model_filters import nested_args
from civicgraph.api.model_types import CONNECTIONS, OBJECTS
from civicgraph.api.mutation import Mutation
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler.selection import Selection
from civicgraph.core.errors import NotFound
from civicgraph.partner_graph.api.queries import by_id_resolver, connection_page, viewer
from hackathon_kits import service
from hackathon_kits.builder.spec import COLUMN_TYPES, TABLE_KINDS

ColumnType = code_enum("KitColumnType", COLUMN_TYPES, "What a kit column holds.")
TableKind = code_enum("KitTableKind", TABLE_KINDS, "What kind of table a kit dataset is.")
KitRelease = OBJECTS["KitRelease"]
KitBuild = OBJECTS["KitBuild"]


class KitColumn(graphene.ObjectType):
    name = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    type = ColumnType(required=True)
    unit = graphene.String()


class KitSource(graphene.ObjectType):
    title = graphene.String(required=True)
    publisher = graphene.String(required=True)
    url = graphene.String()
    licence = graphene.String(required=True)
    note = graphene.String()


class KitDataset(graphene.ObjectType):
    name = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    table = TableKind(required=True)
    dimensions = graphene.List(graphene.NonNull(graphene.String), required=True)
    measure = graphene.String()
    key = graphene.List(graphene.NonNull(graphene.String), required=True)
    quasi_identifiers = graphene.List(graphene.NonNull(graphene.String), required=True)
    columns = graphene.List(graphene.NonNull(KitColumn), required=True)
    source = graphene.Field(KitSource, description="For a shipped file: where it comes from.")


def _newest_first(selection: Selection, newest: str) -> Selection:
    """A list of a kit's records is newest first unless the client orders it."""
    if selection.args.get("orderBy"):
        return selection
    args = {**selection.args, "orderBy": [{"field": newest, "direction": "DESC"}]}
    return Selection(selection.field, selection.key, args, selection.children,
                     selection.on_type)


def _of_kit(selection: Selection, kit: str, newest: str, **where: Any) -> Selection:
    """The selection narrowed to one kit's records (and ``where``'s equalities), inside the
    client's own where, newest first unless the client orders it."""
    args = dict(selection.args)
    own: dict[str, Any] = {"kit": {"eq": kit}, **{k: {"eq": v} for k, v in where.items()}}
    args["where"] = {"AND": [own, args["where"]]} if args.get("where") else own
    return _newest_first(Selection(selection.field, selection.key, args, selection.children,
                                   selection.on_type), newest)


_PAGES = "__pages"
_LATEST = "__latest "


def _wanted_pages(kit: Selection) -> tuple[Selection, ...]:
    """The kit selection's ``releases`` and ``builds`` (each response key its own page) and
    ``latestRelease`` (the one-item page newest first, its selection as the page's
    ``nodes``)."""
    wanted: list[Selection] = []
    for child in kit.children:
        if child.on_type not in (None, "DataKit"):
            continue
        if child.field == "releases":
            wanted.append(_newest_first(child, "number"))
        elif child.field == "builds":
            wanted.append(_newest_first(child, "requestedAt"))
        elif child.field == "latestRelease":
            nodes = Selection("nodes", "nodes", {}, child.children)
            wanted.append(_newest_first(
                Selection("releases", _LATEST + child.key, {"first": 1}, (nodes,)), "number"))
    return tuple(wanted)


def _with_kit_pages(info: Any, kits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Read every ``releases``, ``builds`` and ``latestRelease`` selection of the kits for all
    of them in one statement, and leave each kit's pages on it for ``_page`` and
    ``_latest`` to serve."""
    wanted = _wanted_pages(root_selection(info))
    if not wanted or not kits:
        return kits
    top = Selection("kits", "kits", {}, wanted)
    pages = service.kit_pages_of(ctx(info).graph, [kit["name"] for kit in kits], top,
                                document_key(info), viewer(info))
    for kit in kits:
        kit[_PAGES] = {key: Compiled(page) for key, page in pages[kit["name"]].items()}
    return kits


def _page(root: dict[str, Any], info: Any, **kwargs: Any) -> Compiled:
    """The page (of releases or of builds) ``_with_kit_pages`` read for this response key."""
    page: Compiled = root[_PAGES][info.path.key]
    return page


def _latest(root: dict[str, Any], info: Any) -> Compiled | None:
    """The newest release ``_with_kit_pages`` read for this response key, if any."""
    nodes = root[_PAGES][_LATEST + info.path.key].get("nodes") or []
    return Compiled(nodes[0]) if nodes else None


def _one(info: Any, kit: str, **where: Any) -> Compiled | None:
    """A single release of a kit, compiled from the field's selection: the one-item page of
    the kit's releases (newest first) with the field's selection as its ``nodes``."""
    field = root_selection(info)
    nodes = Selection("nodes", "nodes", {}, field.children, field.on_type)
    page = Selection(field.field, field.key, {"first": 1}, (nodes,), None)
    found = connection_page(info, "KitRelease", _of_kit(page, kit, "number", **where))
    items = found.get("nodes") or []
    return items[0] if items else None


class DataKit(graphene.ObjectType):
    name = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    licence = graphene.String(required=True)
    licence_title = graphene.String(required=True)
    licence_url = graphene.String(required=True)
    keywords = graphene.List(graphene.NonNull(graphene.String), required=True)
    publisher = graphene.String(required=True)
    formats = graphene.List(graphene.NonNull(graphene.String), required=True)
    spec_hash = graphene.String(required=True)
    disclosure_method = graphene.List(graphene.NonNull(graphene.String), required=True)
    datasets = graphene.List(graphene.NonNull(KitDataset), required=True)
    latest_release = graphene.Field(KitRelease, resolver=_latest,
                                    description="Its newest release, if any.")
    releases = graphene.Field(
        graphene.NonNull(CONNECTIONS["KitRelease"]), args=nested_args("KitRelease"),
        resolver=_page,
        description="Newest first unless ordered: the kit's changelog.")
    builds = graphene.Field(
        graphene.NonNull(CONNECTIONS["KitBuild"]), args=nested_args("KitBuild"),
        resolver=_page,
        description="Its builds you may see (lab staff, admins and who asked for each), "
                    "newest first unless ordered.")


class KitQueries(graphene.ObjectType):
    kits = graphene.List(graphene.NonNull(DataKit), required=True)
    kit = graphene.Field(DataKit, name=graphene.String(required=True))
    kit_release = graphene.Field(
        KitRelease, required=True, name=graphene.String(required=True),
        number=graphene.Int(required=True, description="The release number, as in its URL."))
    kit_build = graphene.Field(KitBuild, required=True, id=graphene.ID(required=True),
                               resolver=by_id_resolver("KitBuild", missing="kit build"),
                               description="A build you may see (else NOT_FOUND).")

    @staticmethod
    def resolve_kits(root: Any, info: Any) -> list[dict[str, Any]]:
        return _with_kit_pages(info, service.kit_specs(ctx(info).settings))

    @staticmethod
    def resolve_kit(root: Any, info: Any, name: str) -> dict[str, Any]:
        return _with_kit_pages(info, [service.kit_spec(ctx(info).settings, name)])[0]

    @staticmethod
    def resolve_kit_release(root: Any, info: Any, name: str, number: int) -> Compiled:
        found = _one(info, name, number=number)
        if found is None:
            raise NotFound(f"kit {name!r} has no release {number}")
        return found


class BuildKit(Mutation):
    """Ask a worker to build a new release of a kit; follow it with ``kitBuild(id)``."""

    class Input:
        name = graphene.String(required=True)

    build = graphene.Field(KitBuild, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        c = ctx(info)
        principal = c.principal
        started = service.request_build(
            c.graph, c.tasks, c.settings, input["name"],
            {"client": principal.client_id, "person": principal.person_id,
             "organisation": principal.organisation_id})
        # The answer is compiled from the client's selection (api.compiled.payload_records).
        return payload_records(info, viewer(info), "KitBuild", {"build": started["id"]})


class KitMutations(graphene.ObjectType):
    build_kit = BuildKit.Field()


QUERIES = (KitQueries,)
MUTATIONS = (KitMutations,)
