"""Career paths through GraphQL: ranked, explained vacancies and paths between occupations."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS
from civicgraph.partner_graph.api.queries import by_id_resolver
from partners.api.platforms import RecordSource, caller
from partners.service import careers as service


class SkillRef(graphene.ObjectType):
    uri = graphene.String(required=True)
    name = graphene.String()
    essential = graphene.Boolean(description="Essential (weight 2) or optional (weight 1).")


class OrganisationRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    business_id = graphene.String()


class OccupationRef(graphene.ObjectType):
    uri = graphene.String(required=True)
    name = graphene.String()


class CourseSuggestion(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    provider = graphene.String()
    region = graphene.String()
    mode = graphene.String()
    duration_hours = graphene.Float()
    cost = graphene.Float()
    credential = graphene.String()
    start_date = graphene.String()
    url = graphene.String()
    closes = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="The missing skills (URIs) this course teaches.")


class Vacancy(graphene.ObjectType):
    """A vacancy as career matching shows it: its skills, employer and provenance."""

    class Meta:
        # The partner graph's generated type is `Vacancy`; GraphQL type names must be unique.
        name = "CareerVacancy"

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String()
    region = graphene.String()
    contract_type = graphene.String()
    salary_min = graphene.Float()
    salary_max = graphene.Float()
    salary_currency = graphene.String()
    status = graphene.String(required=True)
    url = graphene.String()
    posted_at = graphene.String()
    closes_at = graphene.String()
    organisation = graphene.Field(OrganisationRef)
    occupation = graphene.Field(OccupationRef)
    skills = graphene.List(graphene.NonNull(SkillRef))
    sources = graphene.List(graphene.NonNull(RecordSource))


class VacancyMatch(graphene.ObjectType):
    """Why a vacancy ranks where it does: the skills matched and those still missing."""

    vacancy = graphene.Field(Vacancy, required=True)
    score = graphene.Int(required=True, description="2 per essential, 1 per optional skill held")
    max_score = graphene.Int(required=True)
    matched = graphene.List(graphene.NonNull(SkillRef), required=True)
    missing = graphene.List(graphene.NonNull(SkillRef), required=True)
    courses = graphene.List(graphene.NonNull(CourseSuggestion), required=True,
                            description="Courses that teach the missing skills.")


class PathStep(graphene.ObjectType):
    from_ = graphene.Field(OccupationRef, required=True, name="from")
    to = graphene.Field(OccupationRef, required=True)
    overlap = graphene.Int(required=True, description="Skills of `to` already needed by `from`.")
    needed = graphene.Int(required=True)
    share = graphene.Float(required=True)
    gap = graphene.List(graphene.NonNull(SkillRef), required=True,
                        description="Essential skills of `to` that `from` does not need.")
    courses = graphene.List(graphene.NonNull(CourseSuggestion), required=True)


class CareerPath(graphene.ObjectType):
    steps = graphene.List(graphene.NonNull(PathStep), required=True)
    weakest_share = graphene.Float(required=True)


class CareerQueries(graphene.ObjectType):
    match_vacancies = graphene.List(
        graphene.NonNull(VacancyMatch), required=True,
        skills=graphene.List(graphene.NonNull(graphene.String), required=True,
                             description="The profile: ESCO skill URIs."),
        first=graphene.Int(default_value=10), courses_per_vacancy=graphene.Int(default_value=3))
    vacancy = graphene.Field(
        OBJECTS["Vacancy"], required=True, id=graphene.ID(required=True),
        resolver=by_id_resolver("Vacancy", "vacancy"),
        description="A vacancy you may see, with its sources (compiled like `node`).")
    career_paths = graphene.List(
        graphene.NonNull(CareerPath), required=True,
        from_=graphene.String(required=True, name="from", description="Occupation URI."),
        to=graphene.String(required=True, description="Target occupation URI."),
        max_hops=graphene.Int(default_value=3), first=graphene.Int(default_value=5))

    @staticmethod
    def resolve_match_vacancies(root: Any, info: Any, skills: list[str], first: int = 10,
                                courses_per_vacancy: int = 3) -> list[dict[str, Any]]:
        return service.match_vacancies(ctx(info).graph, skills, first=first,
                                       courses_per_vacancy=courses_per_vacancy,
                                       caller=caller(info))

    @staticmethod
    def resolve_career_paths(root: Any, info: Any, to: str, max_hops: int = 3, first: int = 5,
                             **kwargs: Any) -> list[dict[str, Any]]:
        return service.occupation_paths(ctx(info).graph, kwargs["from_"], to,
                                         max_hops=max_hops, first=first, caller=caller(info))
