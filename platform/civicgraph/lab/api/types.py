"""The lab's GraphQL object types; each resolves from the services' camelCase dicts."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.model_types import OBJECTS
from civicgraph.lab.service import pilots
from civicgraph.lab.service.lifecycles import LIFECYCLES

LabRecordKind = graphene.Enum("LabRecordKind", [(k, k) for k in sorted(LIFECYCLES)])
Relationship = graphene.Enum("OperatingRelationship", [(v, v) for v in pilots.RELATIONSHIPS])
Ownership = graphene.Enum("OperatingOwnership", [(v, v) for v in pilots.OWNERSHIP])
FundingMethod = graphene.Enum("FundingMethod", [(v, v) for v in pilots.FUNDING])
PowerSits = graphene.Enum("PowerSits", [(v, v) for v in pilots.POWER])
PublicSectorRole = graphene.Enum("PublicSectorRole", [(v, v) for v in pilots.PUBLIC_ROLES])
Involved = graphene.Enum("InvolvedParty", [(v, v) for v in pilots.INVOLVED])
MeasureDirection = graphene.Enum("MeasureDirection", [(v, v) for v in pilots.DIRECTIONS])


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
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    status = graphene.String(required=True)
    score = graphene.Float(required=True, description="Full-text relevance; higher is closer.")


class IdeaSubmission(graphene.ObjectType):
    idea = graphene.Field(Idea, required=True)
    likely_duplicates = graphene.List(graphene.NonNull(SimilarIdea), required=True)


class Exclusion(graphene.ObjectType):
    expert_id = graphene.ID(required=True)
    name = graphene.String()
    code = graphene.String(required=True)
    reason = graphene.String(required=True)


class JudgeScore(graphene.ObjectType):
    expert_id = graphene.ID(required=True)
    name = graphene.String()
    weighted_score = graphene.Float(required=True)
    z_score = graphene.Float(required=True)


class ProposalResult(graphene.ObjectType):
    proposal_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    status = graphene.String(required=True)
    judge_count = graphene.Int(required=True)
    raw_weighted_mean = graphene.Float()
    normalised_score = graphene.Float(description="Mean of per-judge z-scores.")
    rank = graphene.Int()
    tied_with = graphene.List(graphene.NonNull(graphene.ID), required=True)
    judges = graphene.List(graphene.NonNull(JudgeScore), required=True)
    excluded = graphene.List(graphene.NonNull(Exclusion), required=True)


class MissingScore(graphene.ObjectType):
    proposal_id = graphene.ID(required=True)
    expert_id = graphene.ID(required=True)
    name = graphene.String()
    missing_criteria = graphene.List(graphene.NonNull(graphene.String), required=True)


class EvaluationResults(graphene.ObjectType):
    challenge_id = graphene.ID(required=True)
    criteria = graphene.List(graphene.NonNull(Criterion), required=True)
    proposals = graphene.List(graphene.NonNull(ProposalResult), required=True)
    missing_scores = graphene.List(graphene.NonNull(MissingScore), required=True)


class PanelExclusions(graphene.ObjectType):
    proposal_id = graphene.ID(required=True)
    excluded = graphene.List(graphene.NonNull(Exclusion), required=True)


class Judge(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    fields = graphene.List(graphene.NonNull(graphene.String), required=True)


class ExpertPanel(graphene.ObjectType):
    judges = graphene.List(graphene.NonNull(Judge), required=True)
    exclusions = graphene.List(graphene.NonNull(PanelExclusions), required=True)


class GateCondition(graphene.ObjectType):
    condition = graphene.String(required=True)
    met = graphene.Boolean(required=True)


class StageGate(graphene.ObjectType):
    stage = graphene.String(required=True)
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
    relationship = graphene.String()
    ownership = graphene.String()
    funding_method = graphene.String()
    power_sits = graphene.String()
    public_role = graphene.String()
    pilots = graphene.Int(required=True)


class LabFigures(graphene.ObjectType):
    ideas_per_period = graphene.List(graphene.NonNull(IdeasInPeriod), required=True)
    ideas_in = graphene.Int(required=True)
    external_share = graphene.Float(description="Share of ideas from outside the agency.")
    conversion = graphene.Field(Conversion, required=True)
    pilots_by_operating_model = graphene.List(graphene.NonNull(PilotsByModel), required=True)


class WebhookSubscription(graphene.ObjectType):
    id = graphene.ID(required=True)
    url = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(graphene.String), required=True)
    active = graphene.Boolean(required=True)
    secret = graphene.String(description="Shown once, at creation: verify X-CivicGraph-Signature.")


class WebhookDelivery(graphene.ObjectType):
    attempt = graphene.Int(required=True)
    status_code = graphene.Int()
    error = graphene.String()
    duration_ms = graphene.Float()
    at = graphene.String(required=True)


class OutboxEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    event_type = graphene.String(required=True)
    status = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    subscription_id = graphene.ID(required=True)
    delivered_at = graphene.String()
    payload = graphene.String(description="The signed JSON body sent to the receiver.")
    deliveries = graphene.List(graphene.NonNull(WebhookDelivery), required=True)
