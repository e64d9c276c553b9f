"""The lab's mutations: ideas, challenges, proposals, evaluation, and every status move.

Each resolver takes the actor from ``actor_from_context`` and calls one service; each answers
with the record it changed, in the one shape of ``civicgraph.api.mutation``, compiled from the
client's selection in the write's transaction (``lab.api.payloads``). A move that queued
webhook events asks a worker to deliver them now, after the commit (the beat would otherwise
within 15 s).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene

from civicgraph.api.compiled import payload_records
from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.api.mutation import Mutation, plain
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import actor_from_context
from civicgraph.lab.api.payloads import answered, record
from civicgraph.lab.service import challenges, evaluation, ideas, machine, proposals, webhooks
from civicgraph.partner_graph.api.queries import prefetch_records, viewer

# Where a move's answer holds the moved record's id, per kind: only that kind's field names it.
_MOVED = {"IDEA": "movedIdeaId", "CHALLENGE": "movedChallengeId",
          "PROPOSAL": "movedProposalId", "PILOT": "movedPilotId"}


def move(info: Any, payload: Any, write: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A status move and its payload's records in one transaction (``answered``); the webhook
    events it queued are then asked for, after the commit."""
    def ids() -> dict[str, Any]:
        result = write()
        return {**result, _MOVED[result["kind"]]: result["id"]}
    result = answered(info, payload, ids)
    if result.get("queuedWebhooks"):
        webhooks.request_outbox_flush(ctx(info).tasks)
    return result


class Moved:
    """What a status move answers: the record (as its own type), its new status and version."""

    kind = graphene.Field(t.LabRecordKind, required=True)
    status = graphene.Field(t.LabRecordStatus, required=True)
    version = graphene.Int(required=True, description="Name this version in the next move.")
    event = graphene.Field(t.LifecycleEvent, required=True)
    queued_webhooks = graphene.Int(required=True)
    idea = record("Idea", _MOVED["IDEA"], "When an idea moved.")
    challenge = record("Challenge", _MOVED["CHALLENGE"], "When a challenge moved.")
    proposal = record("Proposal", _MOVED["PROPOSAL"], "When a proposal moved.")
    pilot = record("Pilot", _MOVED["PILOT"], "When a pilot moved.")


class CriterionInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    weight = graphene.Float(required=True)
    description = graphene.String()


class ScoreInput(graphene.InputObjectType):
    criterion_id = graphene.ID(required=True)
    score = graphene.Float(required=True, description="0 to 10.")


class MoveLabRecord(Moved, Mutation):
    """Move an idea, challenge, proposal or pilot to another status, naming the version read.

    Answers BAD_USER_INPUT with ``allowedMoves`` for an illegal move and ``unmetConditions`` for
    a refused gate, FORBIDDEN for a role or scope, CONFLICT for a stale version.
    """

    class Input:
        kind = t.LabRecordKind(required=True)
        id = graphene.ID(required=True)
        to = t.LabMoveTarget(required=True)
        version = graphene.Int(required=True)
        reason = graphene.String()

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return move(info, MoveLabRecord, lambda: machine.advance(
            ctx(info).graph, str(plain(input["kind"])), input["id"], str(plain(input["to"])),
            actor, input["version"], input.get("reason")))


AcceptedInto = code_enum("IdeaAcceptedInto", ideas.ACCEPTED_INTO,
                         "What an accepted idea becomes.")
WebhookEvent = t.WebhookEvent


class SubmitIdea(Mutation):
    class Input:
        title = graphene.String(required=True)
        description = graphene.String(required=True)

    idea = graphene.Field(t.Idea, required=True)
    likely_duplicates = graphene.List(graphene.NonNull(t.SimilarIdea), required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        # The likely duplicates' ideas: one statement for all of them, not one per idea.
        return prefetch_records(info, SubmitIdea, ideas.submit(
            ctx(info).graph, actor_from_context(info), title=input["title"],
            description=input["description"], reader=viewer(info)))


class AcceptIdea(Moved, Mutation):
    """Accept an idea in review as a new draft challenge, or a draft proposal to an open one."""

    class Input:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        into = AcceptedInto(required=True)
        reason = graphene.String(required=True)
        challenge_id = graphene.ID()

    new_challenge = record("Challenge", "challengeId",
                           "Accepted into a challenge: the new draft.")
    new_proposal = record("Proposal", "proposalId", "Accepted into a proposal: the new draft.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return move(info, AcceptIdea, lambda: ideas.accept(
            ctx(info).graph, actor, input["id"], input["version"], into=plain(input["into"]),
            reason=input["reason"], challenge_id=input.get("challenge_id")))


class MergeIdea(Moved, Mutation):
    class Input:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        into_idea_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return move(info, MergeIdea, lambda: ideas.merge(
            ctx(info).graph, actor, input["id"], input["version"],
            into_idea_id=input["into_idea_id"], reason=input["reason"]))


class CreateChallenge(Mutation):
    class Input:
        title = graphene.String(required=True)
        description = graphene.String(required=True)
        eligibility = graphene.String()
        fields = graphene.List(graphene.NonNull(graphene.String), description="Field codes.")
        criteria = graphene.List(graphene.NonNull(CriterionInput))
        deadline = graphene.DateTime(description="With a time zone.")
        organisation_id = graphene.ID()

    challenge = graphene.Field(t.Challenge, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"challenge": challenges.create(
            ctx(info).graph, actor_from_context(info), title=input["title"],
            description=input["description"], eligibility=input.get("eligibility"),
            field_codes=input.get("fields"),
            criteria=[dict(c) for c in input.get("criteria") or []],
            deadline=input.get("deadline"), organisation_id=input.get("organisation_id"))}


class UpdateChallenge(Mutation):
    class Input:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        description = graphene.String()
        eligibility = graphene.String()
        deadline = graphene.DateTime(description="With a time zone.")
        fields = graphene.List(graphene.NonNull(graphene.String))
        criteria = graphene.List(graphene.NonNull(CriterionInput))

    challenge = graphene.Field(t.Challenge, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        criteria = input.get("criteria")
        return {"challenge": challenges.update(
            ctx(info).graph, actor_from_context(info), input["id"], input["version"],
            description=input.get("description"), eligibility=input.get("eligibility"),
            deadline=input.get("deadline"), field_codes=input.get("fields"),
            criteria=[dict(c) for c in criteria] if criteria is not None else None)}


class CreateTeam(Mutation):
    class Input:
        name = graphene.String(required=True)
        member_ids = graphene.List(graphene.NonNull(graphene.ID))

    team = graphene.Field(t.Team, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"team": proposals.create_team(ctx(info).graph, actor_from_context(info),
                                              name=input["name"],
                                              member_ids=input.get("member_ids") or [])}


class CreateProposal(Mutation):
    class Input:
        challenge_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        summary = graphene.String(required=True)
        team_id = graphene.ID(description="Propose for a team; else for your organisation.")

    proposal = graphene.Field(t.Proposal, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"proposal": proposals.create(
            ctx(info).graph, actor_from_context(info), challenge_id=input["challenge_id"],
            title=input["title"], summary=input["summary"], team_id=input.get("team_id"))}


class UpdateProposal(Mutation):
    class Input:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        title = graphene.String()
        summary = graphene.String()

    proposal = graphene.Field(t.Proposal, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"proposal": proposals.update(
            ctx(info).graph, actor_from_context(info), input["id"], input["version"],
            title=input.get("title"), summary=input.get("summary"))}


class AssignExperts(Mutation):
    class Input:
        challenge_id = graphene.ID(required=True)

    challenge = record("Challenge", "challengeId", required=True)
    judges = graphene.List(graphene.NonNull(t.Judge), required=True)
    exclusions = graphene.List(graphene.NonNull(t.PanelExclusions), required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, AssignExperts, lambda: {
            **evaluation.assign_experts(ctx(info).graph, actor, input["challenge_id"]),
            "challengeId": input["challenge_id"]})


class ScoreProposal(Mutation):
    class Input:
        proposal_id = graphene.ID(required=True)
        scores = graphene.List(graphene.NonNull(ScoreInput), required=True)
        comment = graphene.String()

    proposal = record("Proposal", "proposalId", required=True)
    saved = graphene.Int(required=True, description="How many criteria's scores were saved.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        scores = [{"criterionId": s["criterion_id"], "score": s["score"]}
                  for s in input["scores"]]
        return answered(info, ScoreProposal, lambda: {
            "saved": evaluation.score(ctx(info).graph, actor, input["proposal_id"], scores,
                                      input.get("comment"))["saved"],
            "proposalId": input["proposal_id"]})


class DeclareConflict(Mutation):
    """An expert steps aside from a proposal, with a reason shown wherever exclusions are."""

    class Input:
        proposal_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    proposal = record("Proposal", "proposalId", required=True)
    reason = graphene.String(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)

        def write() -> dict[str, Any]:
            result = evaluation.declare_conflict(ctx(info).graph, actor, input["proposal_id"],
                                                 input["reason"])
            return {"proposalId": input["proposal_id"],
                    "reason": (result["exclusion"] or {}).get("reason", "")}
        return answered(info, DeclareConflict, write)


class SubscribeWebhook(Mutation):
    class Input:
        url = graphene.String(required=True)
        events = graphene.List(graphene.NonNull(WebhookEvent), required=True)
        organisation_id = graphene.ID()

    webhook_subscription = graphene.Field(t.WebhookSubscription, required=True)
    secret = graphene.String(required=True,
                             description="Shown once, now: verify X-CivicGraph-Signature with it.")

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        made = webhooks.subscribe(
            ctx(info).graph, actor_from_context(info), url=input["url"],
            events=[plain(e) for e in input["events"]],
            organisation_id=input.get("organisation_id"))
        # The answer is compiled from the client's selection (api.compiled.payload_records).
        return {**payload_records(info, viewer(info), "WebhookSubscription",
                                  {"webhookSubscription": made["id"]}),
                "secret": made["secret"]}


class LabMutations(graphene.ObjectType):
    move_lab_record = MoveLabRecord.Field()
    submit_idea = SubmitIdea.Field()
    accept_idea = AcceptIdea.Field()
    merge_idea = MergeIdea.Field()
    create_challenge = CreateChallenge.Field()
    update_challenge = UpdateChallenge.Field()
    create_team = CreateTeam.Field()
    create_proposal = CreateProposal.Field()
    update_proposal = UpdateProposal.Field()
    assign_experts = AssignExperts.Field()
    score_proposal = ScoreProposal.Field()
    declare_conflict = DeclareConflict.Field()
    subscribe_webhook = SubscribeWebhook.Field()
