"""The lab's queries. Public reads (opened challenges, pilots, sessions, figures, history) need no
principal; staff-only reads (ideas, evaluation results, outboxes) take the actor from it."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.core.access import EXPERT, STAFF
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import reader_from_context
from civicgraph.lab.service import (
    challenges,
    evaluation,
    figures,
    ideas,
    machine,
    pilots,
    proposals,
    sessions,
    webhooks,
)
from civicgraph.lab.service.validation import require_role


class LabQueries(graphene.ObjectType):
    challenges = graphene.List(
        graphene.NonNull(t.Challenge), required=True, status=graphene.String(),
        first=graphene.Int(), description="Challenges that have been opened (drafts stay private).")
    challenge = graphene.Field(t.Challenge, required=True, id=graphene.ID(required=True))
    proposals = graphene.List(graphene.NonNull(t.Proposal), required=True,
                              challenge_id=graphene.ID(required=True))
    pilot = graphene.Field(t.Pilot, required=True, id=graphene.ID(required=True))
    stage_gate = graphene.Field(t.StageGate, required=True, pilot_id=graphene.ID(required=True),
                                stage=graphene.String(required=True))
    lab_history = graphene.List(graphene.NonNull(t.LifecycleEvent), required=True,
                                kind=t.LabRecordKind(required=True), id=graphene.ID(required=True))
    allowed_moves = graphene.List(
        graphene.NonNull(graphene.String), required=True, kind=t.LabRecordKind(required=True),
        id=graphene.ID(required=True),
        description="The statuses you may move the record to now (conditions aside).")
    lab_sessions = graphene.List(graphene.NonNull(t.LabSession), required=True,
                                 field=graphene.String(), first=graphene.Int())
    lab_figures = graphene.Field(t.LabFigures, required=True, since=graphene.String(),
                                 until=graphene.String())
    ideas = graphene.List(graphene.NonNull(t.Idea), required=True, status=graphene.String(),
                          first=graphene.Int(), description="Lab staff only.")
    evaluation_results = graphene.Field(t.EvaluationResults, required=True,
                                        challenge_id=graphene.ID(required=True),
                                        description="Lab staff only.")
    lab_outbox = graphene.List(graphene.NonNull(t.OutboxEvent), required=True,
                               record_id=graphene.ID(required=True),
                               description="Webhook events about a record and their delivery "
                                           "log; lab staff only.")

    @staticmethod
    def resolve_challenges(root: Any, info: Any, status: str | None = None,
                           first: int | None = None) -> list[dict[str, Any]]:
        return challenges.public_list(ctx(info).graph, status, first or 50)

    @staticmethod
    def resolve_challenge(root: Any, info: Any, id: str) -> dict[str, Any]:
        return challenges.readable(ctx(info).graph, id, reader_from_context(info))

    @staticmethod
    def resolve_proposals(root: Any, info: Any, challenge_id: str) -> list[dict[str, Any]]:
        require_role(reader_from_context(info), STAFF | {EXPERT}, "read proposals")
        return proposals.for_challenge(ctx(info).graph, challenge_id)

    @staticmethod
    def resolve_pilot(root: Any, info: Any, id: str) -> dict[str, Any]:
        return pilots.get(ctx(info).graph, id)

    @staticmethod
    def resolve_stage_gate(root: Any, info: Any, pilot_id: str, stage: str) -> dict[str, Any]:
        return pilots.gate(ctx(info).graph, pilot_id, stage)

    @staticmethod
    def resolve_lab_history(root: Any, info: Any, kind: Any, id: str) -> list[dict[str, Any]]:
        return machine.history(ctx(info).graph, str(t.plain(kind)), id)

    @staticmethod
    def resolve_allowed_moves(root: Any, info: Any, kind: Any, id: str) -> list[str]:
        return machine.allowed_moves(ctx(info).graph, str(t.plain(kind)), id,
                                     reader_from_context(info))

    @staticmethod
    def resolve_lab_sessions(root: Any, info: Any, field: str | None = None,
                             first: int | None = None) -> list[dict[str, Any]]:
        return sessions.upcoming(ctx(info).graph, field, first or 50)

    @staticmethod
    def resolve_lab_figures(root: Any, info: Any, since: str | None = None,
                            until: str | None = None) -> dict[str, Any]:
        return figures.lab_figures(ctx(info).graph, since, until)

    @staticmethod
    def resolve_ideas(root: Any, info: Any, status: str | None = None,
                      first: int | None = None) -> list[dict[str, Any]]:
        require_role(reader_from_context(info), STAFF, "list ideas")
        return ideas.list_ideas(ctx(info).graph, status, first or 50)

    @staticmethod
    def resolve_evaluation_results(root: Any, info: Any, challenge_id: str) -> dict[str, Any]:
        require_role(reader_from_context(info), STAFF, "read evaluation results")
        return evaluation.results(ctx(info).graph, challenge_id)

    @staticmethod
    def resolve_lab_outbox(root: Any, info: Any, record_id: str) -> list[dict[str, Any]]:
        require_role(reader_from_context(info), STAFF, "read webhook deliveries")
        return webhooks.outbox_for(ctx(info).graph, record_id)

