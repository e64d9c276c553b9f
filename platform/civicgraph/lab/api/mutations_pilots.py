"""The lab's mutations for pilots (partners, operating model, measures, sign-off) and sessions.

Starting a pilot, involving a partner, setting its operating model, adding a measure, setting a
baseline, recording a measurement and signing off a stage answer their pilot and measure
compiled from the client's selection, in the write's transaction (``lab.api.payloads``)."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.mutation import Mutation, plain
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import actor_from_context
from civicgraph.lab.api.payloads import answered, record
from civicgraph.lab.service import pilots, sessions


class StartPilot(Mutation):
    class Input:
        proposal_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        sponsor_id = graphene.ID(description="The person who signs off stages; default you.")

    pilot = record("Pilot", "pilotId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, StartPilot, lambda: {"pilotId": pilots.start(
            ctx(info).graph, actor, input["proposal_id"], title=input["title"],
            sponsor_id=input.get("sponsor_id"))["id"]})


PartnerRole, Stage, SessionKind = t.PartnerRole, t.Stage, t.SessionKind


class InvolvePartner(Mutation):
    class Input:
        pilot_id = graphene.ID(required=True)
        organisation_id = graphene.ID(required=True)
        role = PartnerRole(required=True)

    pilot = record("Pilot", "pilotId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, InvolvePartner, lambda: pilots.involve(
            ctx(info).graph, actor, input["pilot_id"], input["organisation_id"],
            plain(input["role"])))


class OperatingModelInput(graphene.InputObjectType):
    involved = graphene.List(graphene.NonNull(t.Involved), required=True)
    relationship = t.Relationship(required=True)
    ownership = t.Ownership(required=True)
    funding_method = t.FundingMethod(required=True)
    power_sits = t.PowerSits(required=True)
    public_role = t.PublicSectorRole(required=True)


class SetOperatingModel(Mutation):
    class Input:
        pilot_id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        model = OperatingModelInput(required=True)

    pilot = record("Pilot", "pilotId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor, model = actor_from_context(info), input["model"]
        return answered(info, SetOperatingModel, lambda: {"pilotId": pilots.set_operating_model(
            ctx(info).graph, actor, input["pilot_id"], input["version"],
            involved=[plain(i) for i in model["involved"]],
            relationship=plain(model["relationship"]), ownership=plain(model["ownership"]),
            funding_method=plain(model["funding_method"]),
            power_sits=plain(model["power_sits"]), public_role=plain(model["public_role"]))["id"]})


class AddOutcomeMeasure(Mutation):
    class Input:
        pilot_id = graphene.ID(required=True)
        name = graphene.String(required=True)
        unit = graphene.String(required=True)
        target = graphene.Float(required=True)
        direction = t.MeasureDirection(required=True)
        baseline = graphene.Float()
        every_days = graphene.Int(description="Expected measurement interval, for overdue flags.")

    outcome_measure = record("OutcomeMeasure", "outcomeMeasureId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, AddOutcomeMeasure, lambda: {"outcomeMeasureId": pilots.add_measure(
            ctx(info).graph, actor, input["pilot_id"], name=input["name"], unit=input["unit"],
            target=input["target"], direction=plain(input["direction"]),
            baseline=input.get("baseline"), every_days=input.get("every_days"))["id"]})


class SetBaseline(Mutation):
    class Input:
        measure_id = graphene.ID(required=True)
        baseline = graphene.Float(required=True)

    outcome_measure = record("OutcomeMeasure", "outcomeMeasureId", required=True)
    pilot = record("Pilot", "pilotId", "The pilot it measures.", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, SetBaseline, lambda: pilots.set_baseline(
            ctx(info).graph, actor, input["measure_id"], input["baseline"]))


class RecordMeasurement(Mutation):
    class Input:
        measure_id = graphene.ID(required=True)
        value = graphene.Float(required=True)
        measured_at = graphene.DateTime(description="With a time zone; default now.")

    outcome_measure = record("OutcomeMeasure", "outcomeMeasureId", required=True)
    pilot = record("Pilot", "pilotId", "The pilot it measures.", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, RecordMeasurement, lambda: pilots.record_measurement(
            ctx(info).graph, actor, input["measure_id"], input["value"],
            input.get("measured_at")))


class SignOffStage(Mutation):
    class Input:
        pilot_id = graphene.ID(required=True)
        stage = Stage(required=True)

    pilot = record("Pilot", "pilotId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, SignOffStage, lambda: pilots.sign_off(
            ctx(info).graph, actor, input["pilot_id"], plain(input["stage"])))


class CreateLabSession(Mutation):
    class Input:
        title = graphene.String(required=True)
        kind = SessionKind(required=True)
        starts_at = graphene.DateTime(required=True, description="With a time zone.")
        ends_at = graphene.DateTime(required=True, description="With a time zone.")
        fields = graphene.List(graphene.NonNull(graphene.String), required=True)
        expert_ids = graphene.List(graphene.NonNull(graphene.ID))
        description = graphene.String()
        location = graphene.String()
        capacity = graphene.Int()

    lab_session = graphene.Field(t.LabSession, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"labSession": sessions.create(
            ctx(info).graph, actor_from_context(info), title=input["title"],
            kind=plain(input["kind"]),
            starts_at=input["starts_at"], ends_at=input["ends_at"], field_codes=input["fields"],
            expert_ids=input.get("expert_ids"), description=input.get("description"),
            location=input.get("location"), capacity=input.get("capacity"))}


class JoinLabSession(Mutation):
    class Input:
        session_id = graphene.ID(required=True)

    lab_session = graphene.Field(t.LabSession, required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        return {"labSession": sessions.join(ctx(info).graph, actor_from_context(info),
                                            input["session_id"])}


class LabPilotMutations(graphene.ObjectType):
    start_pilot = StartPilot.Field()
    involve_partner = InvolvePartner.Field()
    set_operating_model = SetOperatingModel.Field()
    add_outcome_measure = AddOutcomeMeasure.Field()
    set_baseline = SetBaseline.Field()
    record_measurement = RecordMeasurement.Field()
    sign_off_stage = SignOffStage.Field()
    create_lab_session = CreateLabSession.Field()
    join_lab_session = JoinLabSession.Field()
