"""Partner platforms through GraphQL: onboarding, on-demand syncs, sync logs and provenance."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.api.model_scalars import DateTime, closed_set, register
from civicgraph.api.model_types import OBJECTS
from civicgraph.compiler.model import PARTNER_PLATFORM
from civicgraph.partner_graph.api.queries import (
    connection_field,
    prefetch_records,
    record_resolver,
)
from partners.connectors.contract import TRANSPORTS
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import Caller


def caller(info: Any) -> Caller:
    """The asking principal as the partner services see it (admin, a platform, or anonymous)."""
    context = ctx(info)
    return partner_platforms.caller_for(context.graph, context.principal)


# A platform, its sync runs and what they quarantined are the model's types
# (compiler.model, compiler.domains.feeds), reachable from every record they sourced.
PartnerPlatform = OBJECTS["PartnerPlatform"]
SyncRun = OBJECTS["SyncRun"]
QuarantinedRecord = OBJECTS["QuarantinedRecord"]

FeedTransport = register(code_enum(
    "FeedTransport", TRANSPORTS, "How a partner platform's feed records arrive."))
"""The one enum of the transports (the connectors' table): a platform's field, its filter and
registerPartnerPlatform's input."""

PlatformMode = closed_set("PartnerPlatform", PARTNER_PLATFORM.prop("mode"))  # type: ignore[arg-type]


class RecordSource(graphene.ObjectType):
    """Provenance: which platform said this, under which key, when, and with which content hash.

    The ``SOURCED_FROM`` relationship's properties beside the platform it points to; the same
    as a record's ``sources`` connection, for a record named by id only."""

    platform = graphene.Field(
        PartnerPlatform, resolver=record_resolver("PartnerPlatform", "platformId"),
        description="The platform whose feed sent it; null if you may not see that platform.")
    mode = graphene.Field(PlatformMode, required=True,
                          description="The platform's mode: whether the record is public.")
    key = graphene.String(required=True)
    fetched_at = DateTime(required=True)
    hash = graphene.String(required=True,
                           description="sha256 of the mapped record's canonical JSON")
    withdrawn_at = DateTime(description="When the feed stopped listing it.")


class PartnerQueries(graphene.ObjectType):
    # Compiled connections like every list of the model's records: `where: {platform: ...}`
    # (and `run:` for the quarantine) narrows them; the quarantine's guard keeps it to admins.
    partner_feeds = connection_field(
        "PartnerPlatform", "The registered partner feeds (the platforms whose feeds join).")
    sync_run = graphene.Field(SyncRun, required=True, id=graphene.ID(required=True))
    sync_runs = connection_field("SyncRun", "Sync runs of every feed, oldest first.")
    quarantined_records = connection_field(
        "QuarantinedRecord", "What the feeds sent and the graph refused (admins only).")
    sources = graphene.List(graphene.NonNull(RecordSource), required=True,
                            record_id=graphene.ID(required=True),
                            description="Where a vacancy, course or organisation came from.")

    @staticmethod
    def resolve_sync_run(root: Any, info: Any, id: str) -> dict[str, Any]:
        return partner_sync.get_run(ctx(info).graph, id)

    @staticmethod
    def resolve_sources(root: Any, info: Any, record_id: str) -> list[dict[str, Any]]:
        # The platforms they name: one statement for all the sources, not one per source.
        return prefetch_records(info, RecordSource, partner_sync.sources(ctx(info).graph,
                                                                         record_id))
