"""The hackathon's mutations: set one up (staff), form or join a team, send and edit a project.

Registering is ``joinLabSession`` (a hackathon is a lab session); judging is the challenge's
(``assignExperts``, ``scoreProposal``, ``moveLabRecord``). Each answer is compiled from the
client's selection in the write's transaction (``lab.api.payloads``).
"""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.mutation import Mutation
from civicgraph.lab.api.actor import actor_from_context
from civicgraph.lab.api.mutations import CriterionInput
from civicgraph.lab.api.payloads import answered, record
from civicgraph.lab.service import hackathons


class CreateHackathon(Mutation):
    """A HACKATHON session with its kits and rules, and its judging challenge opened at once
    (its fields, the submission deadline, the rubric given or the default one)."""

    class Input:
        title = graphene.String(required=True)
        description = graphene.String()
        rules = graphene.String()
        starts_at = graphene.DateTime(required=True, description="With a time zone.")
        ends_at = graphene.DateTime(required=True, description="With a time zone.")
        submission_deadline = graphene.DateTime(
            required=True, description="Projects are taken until then; by the end at latest.")
        fields = graphene.List(graphene.NonNull(graphene.String), required=True,
                               description="Field codes: their experts judge.")
        kits = graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="The names of the data kits it builds on.")
        location = graphene.String()
        capacity = graphene.Int()
        criteria = graphene.List(graphene.NonNull(CriterionInput),
                                 description="The rubric; the default one when not given.")

    hackathon = record("LabSession", "hackathonId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, CreateHackathon, lambda: {"hackathonId": hackathons.create(
            ctx(info).graph, actor, title=input["title"], description=input.get("description"),
            rules=input.get("rules"), starts_at=input["starts_at"], ends_at=input["ends_at"],
            submission_deadline=input["submission_deadline"], field_codes=input["fields"],
            kit_names=input["kits"], location=input.get("location"),
            capacity=input.get("capacity"),
            criteria=[dict(k) for k in input["criteria"]] if input.get("criteria") else None,
        )["id"]})


class FormHackathonTeam(Mutation):
    """A registered person forms a team for the hackathon; one team per person per hackathon
    (CONFLICT otherwise), FORBIDDEN with ``requirement: REGISTERED`` before registering."""

    class Input:
        hackathon_id = graphene.ID(required=True)
        name = graphene.String(required=True)

    team = record("Team", "teamId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, FormHackathonTeam, lambda: {"teamId": hackathons.form_team(
            ctx(info).graph, actor, input["hackathon_id"], input["name"])["id"]})


class JoinHackathonTeam(Mutation):
    """A registered person joins a team of the hackathon (one team each, as forming one)."""

    class Input:
        team_id = graphene.ID(required=True)

    team = record("Team", "teamId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, JoinHackathonTeam, lambda: {"teamId": hackathons.join_team(
            ctx(info).graph, actor, input["team_id"])["id"]})


class SubmitHackathonProject(Mutation):
    """A team member sends the team's project before the deadline: a proposal to the
    hackathon's challenge, with its links (http or https) and the hackathon's kits it uses."""

    class Input:
        team_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        summary = graphene.String(required=True)
        repository_url = graphene.String()
        demo_url = graphene.String()
        kits = graphene.List(graphene.NonNull(graphene.String))

    proposal = record("Proposal", "proposalId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, SubmitHackathonProject, lambda: {
            "proposalId": hackathons.submit_project(
                ctx(info).graph, actor, team_id=input["team_id"], title=input["title"],
                summary=input["summary"], repository_url=input.get("repository_url"),
                demo_url=input.get("demo_url"), kit_names=input.get("kits"))["id"]})


class UpdateHackathonProject(Mutation):
    """Edit the team's project until the deadline, naming the version read; what is left out
    stays, an empty link clears it, ``kits`` given replace the old ones."""

    class Input:
        id = graphene.ID(required=True)
        version = graphene.Int(required=True)
        title = graphene.String()
        summary = graphene.String()
        repository_url = graphene.String()
        demo_url = graphene.String()
        kits = graphene.List(graphene.NonNull(graphene.String))

    proposal = record("Proposal", "proposalId", required=True)

    @staticmethod
    def mutate(root: Any, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        actor = actor_from_context(info)
        return answered(info, UpdateHackathonProject, lambda: {
            "proposalId": hackathons.update_project(
                ctx(info).graph, actor, input["id"], input["version"],
                title=input.get("title"), summary=input.get("summary"),
                repository_url=input.get("repository_url"), demo_url=input.get("demo_url"),
                kit_names=input.get("kits"))["id"]})


class LabHackathonMutations(graphene.ObjectType):
    create_hackathon = CreateHackathon.Field()
    form_hackathon_team = FormHackathonTeam.Field()
    join_hackathon_team = JoinHackathonTeam.Field()
    submit_hackathon_project = SubmitHackathonProject.Field()
    update_hackathon_project = UpdateHackathonProject.Field()
