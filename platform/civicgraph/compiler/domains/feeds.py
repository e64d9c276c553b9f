"""Partner feeds in the model: each sync run of a platform's feed and the records it
quarantined. The platforms themselves and every synced record's ``sources`` (its
``SOURCED_FROM`` provenance, with the relationship's key, hash and times on the edge) are
declared with the partner graph's types in ``compiler.model``, which they belong to.

Quarantined records hold what a partner sent and the graph refused: lab admins only, as the
``quarantinedRecords`` root field always was.
"""

from __future__ import annotations

from civicgraph.compiler.model import (
    _COMMON,
    DATETIME,
    ID,
    INT,
    STRING,
    NodeType,
    Prop,
    Rel,
    RelFilter,
)

RUN_STATUSES = ("QUEUED", "RUNNING", "SUCCEEDED", "PARTIAL", "FAILED")
TRIGGERS = ("MANUAL", "SCHEDULE", "PUSH")


def _count(name: str, description: str = "") -> Prop:
    return Prop(name, INT, order=name == "seen", read_only=True, description=description)


_OF_PLATFORM = "EXISTS { {r}({v}_p:PartnerPlatform) WHERE {v}_p.name = {p} OR {v}_p.id = {p} }"
"""A platform named as the feeds' API always took one: by its name or its id."""

SYNC_RUN = NodeType(
    "SyncRun", "SyncRun",
    (*_COMMON,
     Prop("status", required=True, order=True, read_only=True, choices=RUN_STATUSES,
          meanings=("Asked for; no worker has started it.", "A worker is syncing it.",
                    "Finished: every page read.",
                    "Stopped after some batches landed (see error).",
                    "Stopped with an error (see error).")),
     Prop("trigger", read_only=True, choices=TRIGGERS,
          meanings=("Asked for by a person or client.", "Started by the schedule.",
                    "Records pushed to the webhook.")),
     _count("seen"), _count("created"), _count("updated"), _count("unchanged"),
     _count("withdrawn"), _count("quarantined"), _count("pagesNotModified"),
     _count("duplicates", "Records whose key appeared again in the feed."),
     _count("warnings", "Values cut to the model's limit (see notes)."),
     Prop("notes", many=True, filter=False, read_only=True,
          description="The first 50 duplicate keys and cut values, in words."),
     _count("durationMs"),
     _count("attempts", "More than 1 when resumed after a crash."),
     Prop("error", read_only=True, filter=False),
     Prop("requestedAt", DATETIME, order=True, read_only=True),
     Prop("startedAt", DATETIME, order=True, read_only=True),
     Prop("finishedAt", DATETIME, order=True, read_only=True)),
    (Rel("platform", "SYNCS", "out", "PartnerPlatform", many=False),
     Rel("quarantinedRecords", "QUARANTINED", "out", "QuarantinedRecord", connection=True,
         description="What this run refused, with the reason (admins only).")),
    (RelFilter("platform", STRING, _OF_PLATFORM.replace("{r}", "({v})-[:SYNCS]->"),
               "A run of the platform with this name (or id)."),),
    default_order=("requestedAt",),
    description="One sync of one platform's feed, with its log.",
)

QUARANTINED_RECORD = NodeType(
    "QuarantinedRecord", "QuarantinedRecord",
    (*_COMMON, Prop("key", read_only=True), Prop("reason", required=True, read_only=True),
     Prop("raw", required=True, read_only=True, filter=False,
          description="The record as received, as JSON."),
     Prop("at", DATETIME, order=True, read_only=True)),
    (Rel("run", "QUARANTINED", "in", "SyncRun", many=False),),
    (RelFilter("platform", STRING,
               _OF_PLATFORM.replace("{r}", "({v})<-[:QUARANTINED]-(:SyncRun)-[:SYNCS]->"),
               "Refused by a run of the platform with this name (or id)."),
     RelFilter("run", ID, "EXISTS { ({v})<-[:QUARANTINED]-(:SyncRun {id: {p}}) }",
               "Refused by the sync run with this id.")),
    default_order=("at",),
    guard="$admin",
    description="A record a feed sent that the graph refused, kept with the reason.",
)

TYPES: tuple[NodeType, ...] = (SYNC_RUN, QUARANTINED_RECORD)
