"""The lab's queries. Public reads (opened challenges, pilots, sessions, figures, history) need no
principal; staff-only reads (ideas, evaluation results, outboxes) take the actor from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.model_filters import connection_args, nested_args
from civicgraph.api.model_scalars import DateTime
from civicgraph.api.model_types import CONNECTIONS
from civicgraph.api.mutation import plain
from civicgraph.api.selection import root_selection
from civicgraph.core.access import STAFF
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import reader_from_context
from civicgraph.lab.service import (
    evaluation,
    figures,
    machine,
    pilots,
)
from civicgraph.lab.service.lifecycles import LIFECYCLES
from civicgraph.lab.service.validation import require_role
from civicgraph.partner_graph.api.queries import (
    by_id_resolver,
    connection_field,
    connection_page,
    prefetch_records,
    related_connection,
)


class LabQueries(graphene.ObjectType):
    challenges = connection_field(
        "Challenge", "Challenges you may see: opened ones (drafts are lab staff's).")
    challenge = graphene.Field(t.Challenge, required=True, id=graphene.ID(required=True),
                               resolver=by_id_resolver("Challenge", "challenge"))
    proposals = connection_field(
        "Proposal", "Proposals you may see: sent ones for lab staff and experts, and your "
                    "organisation's own (filter by `where: {challenge: ID}`).")
    pilot = graphene.Field(t.Pilot, required=True, id=graphene.ID(required=True),
                           resolver=by_id_resolver("Pilot", "pilot"))
    pilots = connection_field("Pilot", "Pilots, public.")
    stage_gate = graphene.Field(t.StageGate, required=True, pilot_id=graphene.ID(required=True),
                                stage=t.Stage(required=True))
    lab_history = graphene.Field(
        graphene.NonNull(CONNECTIONS["LifecycleEvent"]),
        args={"kind": t.LabRecordKind(required=True), "id": graphene.ID(required=True),
              **nested_args("LifecycleEvent")},
        description="A lab record's history, oldest first: its `history`, for a record you "
                    "may see (NOT_FOUND otherwise).")
    allowed_moves = graphene.List(
        graphene.NonNull(graphene.String), required=True, kind=t.LabRecordKind(required=True),
        id=graphene.ID(required=True),
        description="The statuses you may move the record to now (conditions aside).")
    lab_sessions = connection_field(
        "LabSession", "The lab's sessions, soonest first (filter by `where: {field: code}`).")
    lab_figures = graphene.Field(
        t.LabFigures, required=True,
        since=DateTime(description="Count what happened from this instant on (default: all)."),
        until=DateTime(description="Count what happened before this instant (default: all)."))
    ideas = connection_field("Idea", "Lab staff only.")
    evaluation_results = graphene.Field(t.EvaluationResults, required=True,
                                        challenge_id=graphene.ID(required=True),
                                        description="Lab staff only.")
    lab_outbox = graphene.Field(
        CONNECTIONS["OutboxEvent"], required=True,
        args={**connection_args("OutboxEvent"), "record_id": graphene.ID(required=True)},
        description="Webhook events about a record, oldest first, with their delivery log; lab "
                    "staff only.")

    @staticmethod
    def resolve_stage_gate(root: Any, info: Any, pilot_id: str, stage: str) -> dict[str, Any]:
        return pilots.gate(ctx(info).graph, pilot_id, str(plain(stage)))

    @staticmethod
    def resolve_lab_history(root: Any, info: Any, kind: Any, id: str, **page: Any) -> Any:
        return related_connection(info, LIFECYCLES[str(plain(kind))].label, id, "history")

    @staticmethod
    def resolve_allowed_moves(root: Any, info: Any, kind: Any, id: str) -> list[str]:
        return machine.allowed_moves(ctx(info).graph, str(t.plain(kind)), id,
                                     reader_from_context(info))

    @staticmethod
    def resolve_lab_figures(root: Any, info: Any, since: dt.datetime | None = None,
                            until: dt.datetime | None = None) -> dict[str, Any]:
        return figures.lab_figures(ctx(info).graph, since, until)

    @staticmethod
    def resolve_evaluation_results(root: Any, info: Any, challenge_id: str) -> dict[str, Any]:
        require_role(reader_from_context(info), STAFF, "read evaluation results")
        # The proposals, judges and challenge it names: one statement for all of them.
        return prefetch_records(info, t.EvaluationResults,
                                evaluation.results(ctx(info).graph, challenge_id))

    @staticmethod
    def resolve_lab_outbox(root: Any, info: Any, record_id: str, **page: Any) -> Any:
        require_role(reader_from_context(info), STAFF, "read webhook deliveries")
        selection = root_selection(info)
        args = {k: v for k, v in selection.args.items() if k != "recordId"}
        about = {"record": record_id}
        args["where"] = {"AND": [about, args["where"]]} if args.get("where") else about
        return connection_page(info, "OutboxEvent", replace(selection, args=args))

