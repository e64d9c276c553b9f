"""Hackathon kits: the catalogue, releases, and builds with their progress."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.api.mutation import Mutation
from hackathon_kits import service
from hackathon_kits.builder.spec import COLUMN_TYPES

ColumnType = code_enum("KitColumnType", COLUMN_TYPES, "What a kit column holds.")


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
    table = graphene.String(required=True, description="aggregate (counts) or records")
    dimensions = graphene.List(graphene.NonNull(graphene.String), required=True)
    measure = graphene.String()
    key = graphene.List(graphene.NonNull(graphene.String), required=True)
    quasi_identifiers = graphene.List(graphene.NonNull(graphene.String), required=True)
    columns = graphene.List(graphene.NonNull(KitColumn), required=True)
    source = graphene.Field(KitSource, description="For a shipped file: where it comes from.")


class KitRelease(graphene.ObjectType):
    """An immutable published release: its zip never changes once recorded."""

    id = graphene.ID(required=True)
    kit = graphene.String(required=True)
    version = graphene.Int(required=True, description="Release number: 1, 2, … per kit.")
    sha256 = graphene.String(required=True)
    bytes = graphene.Float(required=True, description="Size of the zip.")
    rows = GenericScalar(required=True, description="Rows per resource.")
    spec_hash = graphene.String(required=True, description="sha256 of the spec it was built from.")
    snapshot_at = graphene.String(required=True, description="When the build began reading.")
    built_at = graphene.String(required=True)
    build_seconds = graphene.Float()
    downloads = graphene.Int(required=True)
    disclosure_report = GenericScalar(required=True, description="What was suppressed and why.")
    download_url = graphene.String(required=True)

    @staticmethod
    def resolve_version(parent: dict[str, Any], info: Any) -> int:
        return int(parent["number"])

    @staticmethod
    def resolve_download_url(parent: dict[str, Any], info: Any) -> str:
        return f"/kits/{parent['kit']}/releases/{parent['number']}/download"


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
    latest_release = graphene.Field(KitRelease)
    releases = graphene.List(graphene.NonNull(KitRelease), required=True,
                             description="Newest first: the kit's changelog.")


class KitBuild(graphene.ObjectType):
    """A build's progress: QUEUED, RUNNING, SUCCEEDED, FAILED, REFUSED, SKIPPED or LOST."""

    id = graphene.ID(required=True)
    kit = graphene.String(required=True)
    state = graphene.String(required=True)
    percent = graphene.Float(required=True)
    stage = graphene.String(description="What the build is doing, or why it ended.")
    error = graphene.String()
    release_number = graphene.Int(description="The release it published (or matched).")
    unchanged = graphene.Boolean(description="True when the bytes equal an earlier release's.")
    requested_at = graphene.String()
    started_at = graphene.String()
    finished_at = graphene.String()


class KitQueries(graphene.ObjectType):
    kits = graphene.List(graphene.NonNull(DataKit), required=True)
    kit = graphene.Field(DataKit, name=graphene.String(required=True))
    kit_release = graphene.Field(KitRelease, required=True, name=graphene.String(required=True),
                                 version=graphene.Int(required=True))
    kit_build = graphene.Field(KitBuild, required=True, id=graphene.ID(required=True))

    @staticmethod
    def resolve_kits(root: Any, info: Any) -> list[dict[str, Any]]:
        c = ctx(info)
        return service.list_kits(c.graph, c.settings)

    @staticmethod
    def resolve_kit(root: Any, info: Any, name: str) -> dict[str, Any]:
        c = ctx(info)
        return service.get_kit(c.graph, c.settings, name)

    @staticmethod
    def resolve_kit_release(root: Any, info: Any, name: str, version: int) -> dict[str, Any]:
        return service.get_release(ctx(info).graph, name, version)

    @staticmethod
    def resolve_kit_build(root: Any, info: Any, id: str) -> dict[str, Any]:
        return service.get_build(ctx(info).graph, id)


class BuildKit(Mutation):
    """Ask a worker to build a new release of a kit; follow it with ``kitBuild(id)``."""

    class Input:
        name = graphene.String(required=True)

    build = graphene.Field(KitBuild, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        c = ctx(info)
        return {"build": service.request_build(c.graph, c.tasks, c.settings, input["name"])}


class KitMutations(graphene.ObjectType):
    build_kit = BuildKit.Field()


QUERIES = (KitQueries,)
MUTATIONS = (KitMutations,)
