"""The lab's mutations for pilots (partners, operating model, measures, sign-off) and sessions."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.lab.api import types as t
from civicgraph.lab.api.actor import actor_from_context
from civicgraph.lab.service import pilots, sessions


class StartPilot(graphene.Mutation):
    class Arguments:
        proposal_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        sponsor_id = graphene.ID(description="The person who signs off stages; default you.")

    Output = t.Pilot

    @staticmethod
    def mutate(root: Any, info: Any, proposal_id: str, title: str,
               sponsor_id: str | None = None) -> dict[str, Any]:
        return pilots.start(ctx(info).graph, actor_from_context(info), proposal_id, title=title,
                            sponsor_id=sponsor_id)


class InvolvePartner(graphene.Mutation):
    class Arguments:
        pilot_id = graphene.ID(required=True)
        organisation_id = graphene.ID(required=True)
        role = graphene.String(required=True, description=", ".join(pilots.PARTNER_ROLES))

    Output = t.Pilot

    @staticmethod
    def mutate(root: Any, info: Any, pilot_id: str, organisation_id: str,
               role: str) -> dict[str, Any]:
        return pilots.involve(ctx(info).graph, actor_from_context(info), pilot_id,
                              organisation_id, role)


class OperatingModelInput(graphene.InputObjectType):
    involved = graphene.List(graphene.NonNull(t.Involved), required=True)
    relationship = t.Relationship(required=True)
    ownership = t.Ownership(required=True)
    funding_method = t.FundingMethod(required=True)
    power_sits = t.PowerSits(required=True)
    public_role = t.PublicSectorRole(required=True)


class SetOperatingModel(graphene.Mutation):
    class Arguments:
        pilot_id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        model = OperatingModelInput(required=True)

    Output = t.Pilot

    @staticmethod
    def mutate(root: Any, info: Any, pilot_id: str, version: int,
               model: dict[str, Any]) -> dict[str, Any]:
        return pilots.set_operating_model(
            ctx(info).graph, actor_from_context(info), pilot_id, version,
            involved=[t.plain(i) for i in model["involved"]],
            relationship=t.plain(model["relationship"]), ownership=t.plain(model["ownership"]),
            funding_method=t.plain(model["funding_method"]),
            power_sits=t.plain(model["power_sits"]), public_role=t.plain(model["public_role"]))


class AddOutcomeMeasure(graphene.Mutation):
    class Arguments:
        pilot_id = graphene.ID(required=True)
        name = graphene.String(required=True)
        unit = graphene.String(required=True)
        target = graphene.Float(required=True)
        direction = t.MeasureDirection(required=True)
        baseline = graphene.Float()
        every_days = graphene.Int(description="Expected measurement interval, for overdue flags.")

    Output = t.OutcomeMeasure

    @staticmethod
    def mutate(root: Any, info: Any, pilot_id: str, name: str, unit: str, target: float,
               direction: Any, baseline: float | None = None,
               every_days: int | None = None) -> dict[str, Any]:
        return pilots.add_measure(ctx(info).graph, actor_from_context(info), pilot_id,
                                  name=name, unit=unit, target=target,
                                  direction=t.plain(direction), baseline=baseline,
                                  every_days=every_days)


class SetBaseline(graphene.Mutation):
    class Arguments:
        measure_id = graphene.ID(required=True)
        baseline = graphene.Float(required=True)

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, measure_id: str, baseline: float) -> SetBaseline:
        pilots.set_baseline(ctx(info).graph, actor_from_context(info), measure_id, baseline)
        return SetBaseline(ok=True)


class RecordMeasurement(graphene.Mutation):
    class Arguments:
        measure_id = graphene.ID(required=True)
        value = graphene.Float(required=True)
        measured_at = graphene.String()

    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root: Any, info: Any, measure_id: str, value: float,
               measured_at: str | None = None) -> RecordMeasurement:
        pilots.record_measurement(ctx(info).graph, actor_from_context(info), measure_id, value,
                                  measured_at)
        return RecordMeasurement(ok=True)


class SignOffStage(graphene.Mutation):
    class Arguments:
        pilot_id = graphene.ID(required=True)
        stage = graphene.String(required=True)

    Output = t.Pilot

    @staticmethod
    def mutate(root: Any, info: Any, pilot_id: str, stage: str) -> dict[str, Any]:
        return pilots.sign_off(ctx(info).graph, actor_from_context(info), pilot_id, stage)


class CreateLabSession(graphene.Mutation):
    class Arguments:
        title = graphene.String(required=True)
        kind = graphene.String(required=True, description="SESSION, WORKSHOP or HACKATHON")
        starts_at = graphene.String(required=True)
        ends_at = graphene.String(required=True)
        fields = graphene.List(graphene.NonNull(graphene.String), required=True)
        expert_ids = graphene.List(graphene.NonNull(graphene.ID))
        description = graphene.String()
        location = graphene.String()
        capacity = graphene.Int()

    Output = t.LabSession

    @staticmethod
    def mutate(root: Any, info: Any, title: str, kind: str, starts_at: str, ends_at: str,
               fields: list[str], **args: Any) -> dict[str, Any]:
        return sessions.create(ctx(info).graph, actor_from_context(info), title=title, kind=kind,
                               starts_at=starts_at, ends_at=ends_at, field_codes=fields,
                               expert_ids=args.get("expert_ids"),
                               description=args.get("description"),
                               location=args.get("location"), capacity=args.get("capacity"))


class JoinLabSession(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)

    Output = t.LabSession

    @staticmethod
    def mutate(root: Any, info: Any, session_id: str) -> dict[str, Any]:
        return sessions.join(ctx(info).graph, actor_from_context(info), session_id)


class LabPilotMutations(graphene.ObjectType):
    start_pilot = StartPilot.Field(required=True)
    involve_partner = InvolvePartner.Field(required=True)
    set_operating_model = SetOperatingModel.Field(required=True)
    add_outcome_measure = AddOutcomeMeasure.Field(required=True)
    set_baseline = SetBaseline.Field(required=True)
    record_measurement = RecordMeasurement.Field(required=True)
    sign_off_stage = SignOffStage.Field(required=True)
    create_lab_session = CreateLabSession.Field(required=True)
    join_lab_session = JoinLabSession.Field(required=True)
