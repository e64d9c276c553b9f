"""The lab's GraphQL object types; each resolves from the services' camelCase dicts."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.enums import code_enum
from civicgraph.api.model_scalars import register
from civicgraph.api.model_types import OBJECTS
from civicgraph.lab.api.payloads import record
from civicgraph.lab.service import ideas, pilots, proposals, sessions
from civicgraph.lab.service.lifecycles import (
    ANY_STATUS,
    LIFECYCLES,
    MOVE_TARGETS,
    WEBHOOK_EVENTS,
)

# The lab's closed sets, each built from its service's table and registered as the enum of the
# model's fields of that set (compiler.domains.lab names them), so a record's field, its filter
# and the input that writes it are one enum.
LabRecordKind = code_enum(
    "LabRecordKind", {kind: f"A lab {lc.label.lower()}" for kind, lc in sorted(LIFECYCLES.items())},
    "Which kind of lab record, each with its own lifecycle.")
IdeaStatus = register(code_enum("IdeaStatus", LIFECYCLES["IDEA"].statuses,
                                "Where an idea is in its lifecycle."))
ChallengeStatus = register(code_enum("ChallengeStatus", LIFECYCLES["CHALLENGE"].statuses,
                                     "Where a challenge is in its lifecycle."))
ProposalStatus = register(code_enum("ProposalStatus", LIFECYCLES["PROPOSAL"].statuses,
                                    "Where a proposal is in its lifecycle."))
PilotStatus = register(code_enum("PilotStatus", LIFECYCLES["PILOT"].statuses,
                                 "The stage a pilot is in."))
LabRecordStatus = code_enum("LabRecordStatus", ANY_STATUS,
                            "A status of a lab record of any kind, with its meaning for each.")
LabMoveTarget = code_enum(
    "LabMoveTarget", MOVE_TARGETS,
    "A status a move takes a lab record to, with its meaning for each kind that enters it; a "
    "status the record's kind is never moved to is BAD_USER_INPUT naming the kind's targets.")
IdeaOrigin = register(code_enum("IdeaOrigin", ideas.ORIGINS, "Where an idea came from."))
Relationship = register(code_enum("OperatingRelationship", pilots.RELATIONSHIPS,
                                  "How the parties of a pilot's operating model relate."))
Ownership = register(code_enum("OperatingOwnership", pilots.OWNERSHIP,
                               "Who owns the service a pilot runs."))
FundingMethod = register(code_enum("FundingMethod", pilots.FUNDING,
                                   "How the service a pilot runs is paid for."))
PowerSits = register(code_enum("PowerSits", pilots.POWER,
                               "Where power over the service a pilot runs sits."))
PublicSectorRole = register(code_enum("PublicSectorRole", pilots.PUBLIC_ROLES,
                                      "What the public sector does in a pilot's model."))
Involved = register(code_enum("InvolvedParty", pilots.INVOLVED,
                              "Who takes part in the service a pilot runs."))
MeasureDirection = register(code_enum("MeasureDirection", pilots.DIRECTIONS,
                                      "Which way an outcome measure should move."))
PartnerRole = register(code_enum("PilotPartnerRole", pilots.PARTNER_ROLES,
                                 "What an organisation does in a pilot."))
Stage = register(code_enum("PilotStage", pilots.STAGES, "A pilot stage entered through a gate."))
SessionKind = register(code_enum("LabSessionKind", sessions.KINDS,
                                 "What kind of lab session it is."))
TeamMemberRole = register(code_enum("TeamMemberRole", proposals.TEAM_ROLES,
                                    "What a person does in a proposing team."))


# The lab's records are the model's types (compiler.domains.lab), like every other record.
Idea = OBJECTS["Idea"]
Challenge = OBJECTS["Challenge"]
Criterion = OBJECTS["Criterion"]
Proposal = OBJECTS["Proposal"]
Team = OBJECTS["Team"]
Pilot = OBJECTS["Pilot"]
OutcomeMeasure = OBJECTS["OutcomeMeasure"]
Measurement = OBJECTS["Measurement"]
LabSession = OBJECTS["LabSession"]
LifecycleEvent = OBJECTS["LifecycleEvent"]


def plain(value: Any) -> Any:
    """An enum argument as the service's plain value (graphene may hand over the enum member)."""
    return getattr(value, "value", value)


class TransitionResult(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    status = graphene.String(required=True)
    version = graphene.Int(required=True, description="Name this version in the next move.")
    event = graphene.Field(LifecycleEvent, required=True)
    queued_webhooks = graphene.Int(required=True)
    challenge_id = graphene.ID(description="Accepting an idea into a challenge: the new draft.")
    proposal_id = graphene.ID(description="Accepting an idea into a proposal: the new draft.")


class SimilarIdea(graphene.ObjectType):
    """An existing idea like the one submitted, and how alike: the idea is the model's Idea,
    read under its guard like any read (the search lists only ideas the caller may see)."""

    idea = record("Idea", "id", required=True)
    score = graphene.Float(required=True, description="Full-text relevance; higher is closer.")


class IdeaSubmission(graphene.ObjectType):
    idea = graphene.Field(Idea, required=True)
    likely_duplicates = graphene.List(graphene.NonNull(SimilarIdea), required=True)


class Exclusion(graphene.ObjectType):
    expert = record("Person", "expertId", "The expert kept off the proposal.")
    name = graphene.String()
    code = graphene.String(required=True)
    reason = graphene.String(required=True)


class JudgeScore(graphene.ObjectType):
    expert = record("Person", "expertId", "The judge who scored.")
    name = graphene.String()
    weighted_score = graphene.Float(required=True)
    z_score = graphene.Float(required=True)


class ProposalResult(graphene.ObjectType):
    proposal = record("Proposal", "proposalId", "The proposal ranked.")
    title = graphene.String(required=True)
    status = graphene.Field(ProposalStatus, required=True)
    judge_count = graphene.Int(required=True)
    raw_weighted_mean = graphene.Float()
    normalised_score = graphene.Float(description="Mean of per-judge z-scores.")
    rank = graphene.Int()
    tied_with = graphene.List(graphene.NonNull(graphene.ID), required=True)
    judges = graphene.List(graphene.NonNull(JudgeScore), required=True)
    excluded = graphene.List(graphene.NonNull(Exclusion), required=True)


class MissingScore(graphene.ObjectType):
    proposal = record("Proposal", "proposalId", "The proposal a score is missing for.")
    expert = record("Person", "expertId", "The judge who has not scored it in full.")
    name = graphene.String()
    missing_criteria = graphene.List(graphene.NonNull(graphene.String), required=True)


class EvaluationResults(graphene.ObjectType):
    challenge = record("Challenge", "challengeId",
                        "The challenge evaluated; its `criteria` are the rubric scored.")
    proposals = graphene.List(graphene.NonNull(ProposalResult), required=True)
    missing_scores = graphene.List(graphene.NonNull(MissingScore), required=True)


class PanelExclusions(graphene.ObjectType):
    proposal = record("Proposal", "proposalId", "The proposal these experts may not judge.")
    excluded = graphene.List(graphene.NonNull(Exclusion), required=True)


class Judge(graphene.ObjectType):
    """An expert on a challenge's panel, with the fields that put them there."""

    expert = record("Person", "id", "The expert.")
    fields = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="Codes of the challenge's fields the expert is expert in.")


class ExpertPanel(graphene.ObjectType):
    judges = graphene.List(graphene.NonNull(Judge), required=True)
    exclusions = graphene.List(graphene.NonNull(PanelExclusions), required=True)


class GateCondition(graphene.ObjectType):
    condition = graphene.String(required=True)
    met = graphene.Boolean(required=True)


class StageGate(graphene.ObjectType):
    stage = graphene.Field(Stage, required=True)
    conditions = graphene.List(graphene.NonNull(GateCondition), required=True)
    unmet = graphene.List(graphene.NonNull(graphene.String), required=True)


class IdeasInPeriod(graphene.ObjectType):
    period = graphene.String(required=True, description="YYYY-MM")
    ideas = graphene.Int(required=True)
    external = graphene.Int(required=True)
    external_share = graphene.Float()


class Conversion(graphene.ObjectType):
    ideas = graphene.Int(required=True)
    ideas_accepted = graphene.Int(required=True)
    ideas_became_challenges = graphene.Int(required=True)
    ideas_reached_pilot = graphene.Int(required=True)
    ideas_mainstreamed = graphene.Int(required=True)
    challenges = graphene.Int(required=True)
    challenges_with_pilot = graphene.Int(required=True)
    pilots = graphene.Int(required=True)
    pilots_mainstreamed = graphene.Int(required=True)


class PilotsByModel(graphene.ObjectType):
    relationship = graphene.Field(Relationship)
    ownership = graphene.Field(Ownership)
    funding_method = graphene.Field(FundingMethod)
    power_sits = graphene.Field(PowerSits)
    public_role = graphene.Field(PublicSectorRole)
    pilots = graphene.Int(required=True)


class LabFigures(graphene.ObjectType):
    ideas_per_period = graphene.List(graphene.NonNull(IdeasInPeriod), required=True)
    ideas_in = graphene.Int(required=True)
    external_share = graphene.Float(description="Share of ideas from outside the agency.")
    conversion = graphene.Field(Conversion, required=True)
    pilots_by_operating_model = graphene.List(graphene.NonNull(PilotsByModel), required=True)


WebhookEvent = register(code_enum("WebhookEvent", WEBHOOK_EVENTS,
                                  "A lab event a webhook delivers."))
"""The one enum of the events: a subscription's events, an outbox event's type and
subscribeWebhook's input (the model's ``compiler.domains.webhooks`` names it)."""
WebhookSubscription = OBJECTS["WebhookSubscription"]
OutboxEvent = OBJECTS["OutboxEvent"]
WebhookDelivery = OBJECTS["WebhookDelivery"]
