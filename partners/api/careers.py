"""Career paths through GraphQL: ranked, explained vacancies and paths between occupations."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import Compiled, compiled_all
from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS
from civicgraph.api.selection import document_key, root_selection
from civicgraph.partner_graph.api.queries import by_id_resolver, viewer
from partners.cypher import careers as names
from partners.service import careers as service

# The records in an answer are the model's own types; the answer's objects around them hold
# what belongs to the match itself (a score, why a skill counts), so they have no id.
Vacancy = OBJECTS["Vacancy"]
Skill = OBJECTS["Skill"]
Occupation = OBJECTS["Occupation"]
TrainingCourse = OBJECTS["TrainingCourse"]


class RequiredSkill(graphene.ObjectType):
    """A skill as a vacancy or an occupation requires it."""

    class Meta:
        name = names.REQUIRED_SKILL

    skill = graphene.Field(Skill, required=True)
    essential = graphene.Boolean(required=True,
                                 description="Essential (weight 2) or optional (weight 1).")


class CourseMatch(graphene.ObjectType):
    """A course suggested for a gap: the course and which of the gap's skills it teaches."""

    class Meta:
        name = names.COURSE_MATCH

    course = graphene.Field(TrainingCourse, required=True)
    closes = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="The URIs of the missing skills this course teaches.")


class VacancyMatch(graphene.ObjectType):
    """Why a vacancy ranks where it does: the skills matched and those still missing."""

    class Meta:
        name = names.VACANCY_MATCH

    vacancy = graphene.Field(Vacancy, required=True)
    score = graphene.Int(required=True, description="2 per essential, 1 per optional skill held")
    max_score = graphene.Int(required=True)
    matched = graphene.List(graphene.NonNull(RequiredSkill), required=True)
    missing = graphene.List(graphene.NonNull(RequiredSkill), required=True)
    courses = graphene.List(graphene.NonNull(CourseMatch), required=True,
                            description="Open courses that teach the missing skills.")


class PathStep(graphene.ObjectType):
    class Meta:
        name = names.PATH_STEP

    from_ = graphene.Field(Occupation, required=True, name="from")
    to = graphene.Field(Occupation, required=True)
    overlap = graphene.Int(required=True, description="Skills of `to` already needed by `from`.")
    needed = graphene.Int(required=True)
    share = graphene.Float(required=True)
    gap = graphene.List(graphene.NonNull(RequiredSkill), required=True,
                        description="Essential skills of `to` that `from` does not need.")
    courses = graphene.List(graphene.NonNull(CourseMatch), required=True)


class CareerPath(graphene.ObjectType):
    class Meta:
        name = names.CAREER_PATH

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
                                courses_per_vacancy: int = 3) -> list[Compiled]:
        # One statement whatever is selected under the vacancy, its skills and the courses.
        return compiled_all(service.match_vacancies(
            ctx(info).graph, skills, first=first, courses_per_vacancy=courses_per_vacancy,
            viewer=viewer(info), selection=root_selection(info), document=document_key(info)))

    @staticmethod
    def resolve_career_paths(root: Any, info: Any, to: str, max_hops: int = 3, first: int = 5,
                             **kwargs: Any) -> list[Compiled]:
        return compiled_all(service.occupation_paths(
            ctx(info).graph, kwargs["from_"], to, max_hops=max_hops, first=first,
            viewer=viewer(info), selection=root_selection(info), document=document_key(info)))
