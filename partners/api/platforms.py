"""Partner platforms through GraphQL: onboarding, on-demand syncs, sync logs and provenance."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS
from civicgraph.partner_graph.api.queries import connection_field
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

FeedTransport = graphene.Enum(
    "FeedTransport", [("HTTP", "HTTP"), ("FILE", "FILE"), ("WEBHOOK", "WEBHOOK")])


class RecordSource(graphene.ObjectType):
    """Provenance: which platform said this, under which key, when, and with which content hash."""

    platform = graphene.String(required=True)
    platform_id = graphene.ID(required=True)
    mode = graphene.String(required=True)
    key = graphene.String(required=True)
    fetched_at = graphene.String(required=True)
    hash = graphene.String(required=True,
                           description="sha256 of the mapped record's canonical JSON")
    withdrawn_at = graphene.String()


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
        return partner_sync.sources(ctx(info).graph, record_id)
