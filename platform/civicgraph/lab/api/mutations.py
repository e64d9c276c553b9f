"""The lab's mutations: ideas, challenges, proposals, evaluation, and every status move.

Each resolver takes the actor from ``actor_from_context`` and calls one service. A move that
queued webhook events asks a worker to deliver them now (the beat would otherwise within 15 s).
"""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import actor_from_context
from civicgraph.lab.service import challenges, evaluation, ideas, machine, proposals, webhooks


def moved(info: Any, result: dict[str, Any]) -> dict[str, Any]:
    if result.get("queuedWebhooks"):
        webhooks.request_outbox_flush(ctx(info).tasks)
    return result


class CriterionInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    weight = graphene.Float(required=True)
    description = graphene.String()


class ScoreInput(graphene.InputObjectType):
    criterion_id = graphene.ID(required=True)
    score = graphene.Float(required=True, description="0 to 10.")


class MoveLabRecord(graphene.Mutation):
    """Move an idea, challenge, proposal or pilot to another status, naming the version read.

    Answers BAD_USER_INPUT with ``allowedMoves`` for an illegal move and ``unmetConditions`` for
    a refused gate, FORBIDDEN for a role or scope, CONFLICT for a stale version.
    """

    class Arguments:
        kind = t.LabRecordKind(required=True)
        id = graphene.ID(required=True)
        to = graphene.String(required=True)
        version = graphene.Int(required=True)
        reason = graphene.String()

    Output = t.TransitionResult

    @staticmethod
    def mutate(root: Any, info: Any, kind: Any, id: str, to: str, version: int,
               reason: str | None = None) -> dict[str, Any]:
        actor = actor_from_context(info)
        return moved(info, machine.advance(ctx(info).graph, str(t.plain(kind)), id, to, actor,
                                           version, reason))


class SubmitIdea(graphene.Mutation):
    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String(required=True)

    Output = t.IdeaSubmission

    @staticmethod
    def mutate(root: Any, info: Any, title: str, description: str) -> dict[str, Any]:
        return ideas.submit(ctx(info).graph, actor_from_context(info), title=title,
                            description=description)


class AcceptIdea(graphene.Mutation):
    """Accept an idea in review as a new draft challenge, or a draft proposal to an open one."""

    class Arguments:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        into = graphene.String(required=True, description="CHALLENGE or PROPOSAL")
        reason = graphene.String(required=True)
        challenge_id = graphene.ID()

    Output = t.TransitionResult

    @staticmethod
    def mutate(root: Any, info: Any, id: str, version: int, into: str, reason: str,
               challenge_id: str | None = None) -> dict[str, Any]:
        return ideas.accept(ctx(info).graph, actor_from_context(info), id, version, into=into,
                            reason=reason, challenge_id=challenge_id)


class MergeIdea(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        into_idea_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    Output = t.TransitionResult

    @staticmethod
    def mutate(root: Any, info: Any, id: str, version: int, into_idea_id: str,
               reason: str) -> dict[str, Any]:
        return ideas.merge(ctx(info).graph, actor_from_context(info), id, version,
                           into_idea_id=into_idea_id, reason=reason)


class CreateChallenge(graphene.Mutation):
    class Arguments:
        title = graphene.String(required=True)
        description = graphene.String(required=True)
        eligibility = graphene.String()
        fields = graphene.List(graphene.NonNull(graphene.String), description="Field codes.")
        criteria = graphene.List(graphene.NonNull(CriterionInput))
        deadline = graphene.String(description="ISO 8601 with a time zone.")
        organisation_id = graphene.ID()

    Output = t.Challenge

    @staticmethod
    def mutate(root: Any, info: Any, title: str, description: str, **args: Any) -> dict[str, Any]:
        return challenges.create(
            ctx(info).graph, actor_from_context(info), title=title, description=description,
            eligibility=args.get("eligibility"), field_codes=args.get("fields"),
            criteria=[dict(c) for c in args.get("criteria") or []],
            deadline=args.get("deadline"), organisation_id=args.get("organisation_id"))


class UpdateChallenge(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        description = graphene.String()
        eligibility = graphene.String()
        deadline = graphene.String()
        fields = graphene.List(graphene.NonNull(graphene.String))
        criteria = graphene.List(graphene.NonNull(CriterionInput))

    Output = t.Challenge

    @staticmethod
    def mutate(root: Any, info: Any, id: str, version: int, **args: Any) -> dict[str, Any]:
        criteria = args.get("criteria")
        return challenges.update(
            ctx(info).graph, actor_from_context(info), id, version,
            description=args.get("description"), eligibility=args.get("eligibility"),
            deadline=args.get("deadline"), field_codes=args.get("fields"),
            criteria=[dict(c) for c in criteria] if criteria is not None else None)


class CreateTeam(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)
        member_ids = graphene.List(graphene.NonNull(graphene.ID))

    Output = t.Team

    @staticmethod
    def mutate(root: Any, info: Any, name: str,
               member_ids: list[str] | None = None) -> dict[str, Any]:
        return proposals.create_team(ctx(info).graph, actor_from_context(info), name=name,
                                     member_ids=member_ids or [])


class CreateProposal(graphene.Mutation):
    class Arguments:
        challenge_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        summary = graphene.String(required=True)
        team_id = graphene.ID(description="Propose for a team; else for your organisation.")

    Output = t.Proposal

    @staticmethod
    def mutate(root: Any, info: Any, challenge_id: str, title: str, summary: str,
               team_id: str | None = None) -> dict[str, Any]:
        return proposals.create(ctx(info).graph, actor_from_context(info),
                                challenge_id=challenge_id, title=title, summary=summary,
                                team_id=team_id)


class UpdateProposal(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        title = graphene.String()
        summary = graphene.String()

    Output = t.Proposal

    @staticmethod
    def mutate(root: Any, info: Any, id: str, version: int, title: str | None = None,
               summary: str | None = None) -> dict[str, Any]:
        return proposals.update(ctx(info).graph, actor_from_context(info), id, version,
                                title=title, summary=summary)


class AssignExperts(graphene.Mutation):
    class Arguments:
        challenge_id = graphene.ID(required=True)

    Output = t.ExpertPanel

    @staticmethod
    def mutate(root: Any, info: Any, challenge_id: str) -> dict[str, Any]:
        return evaluation.assign_experts(ctx(info).graph, actor_from_context(info), challenge_id)


class ScoreProposal(graphene.Mutation):
    class Arguments:
        proposal_id = graphene.ID(required=True)
        scores = graphene.List(graphene.NonNull(ScoreInput), required=True)
        comment = graphene.String()

    saved = graphene.Int(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, proposal_id: str, scores: list[Any],
               comment: str | None = None) -> ScoreProposal:
        result = evaluation.score(
            ctx(info).graph, actor_from_context(info), proposal_id,
            [{"criterionId": s["criterion_id"], "score": s["score"]} for s in scores], comment)
        return ScoreProposal(saved=result["saved"])


class DeclareConflict(graphene.Mutation):
    """An expert steps aside from a proposal, with a reason shown wherever exclusions are."""

    class Arguments:
        proposal_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    proposal_id = graphene.ID(required=True)
    reason = graphene.String(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, proposal_id: str, reason: str) -> DeclareConflict:
        result = evaluation.declare_conflict(ctx(info).graph, actor_from_context(info),
                                             proposal_id, reason)
        return DeclareConflict(proposal_id=proposal_id,
                               reason=(result["exclusion"] or {}).get("reason", ""))


class SubscribeWebhook(graphene.Mutation):
    class Arguments:
        url = graphene.String(required=True)
        events = graphene.List(graphene.NonNull(graphene.String), required=True,
                               description="challenge.opened, proposal.selected, pilot.advanced")
        organisation_id = graphene.ID()

    Output = t.WebhookSubscription

    @staticmethod
    def mutate(root: Any, info: Any, url: str, events: list[str],
               organisation_id: str | None = None) -> dict[str, Any]:
        return webhooks.subscribe(ctx(info).graph, actor_from_context(info), url=url,
                                  events=events, organisation_id=organisation_id)


class LabMutations(graphene.ObjectType):
    move_lab_record = MoveLabRecord.Field(required=True)
    submit_idea = SubmitIdea.Field(required=True)
    accept_idea = AcceptIdea.Field(required=True)
    merge_idea = MergeIdea.Field(required=True)
    create_challenge = CreateChallenge.Field(required=True)
    update_challenge = UpdateChallenge.Field(required=True)
    create_team = CreateTeam.Field(required=True)
    create_proposal = CreateProposal.Field(required=True)
    update_proposal = UpdateProposal.Field(required=True)
    assign_experts = AssignExperts.Field(required=True)
    score_proposal = ScoreProposal.Field(required=True)
    declare_conflict = DeclareConflict.Field(required=True)
    subscribe_webhook = SubscribeWebhook.Field(required=True)
