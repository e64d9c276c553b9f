"""The demo ecosystem's hand-written offers (vacancies, courses and services of the demo
organisations, which the console stories name) on the one vocabulary (``vocabulary``: regions,
fields, the ESCO-shaped skills and occupations). Ids are derived from names (UUID 5), so every
run merges onto the same records and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.partner_graph import generator, vocabulary
from civicgraph.partner_graph.cypher import bulk

SEED = 2026
"""The generated part's seed: every `make run` generates the same records (ids included)."""
FULL_SIZE = generator.Size(organisations=400, vacancies=8000, partners_per_organisation=2,
                           courses=400, batch=2500)
"""What `make run` generates around the hand-written records: organisations of every kind with
partnerships, vacancies posted over 2025 and 2026, courses; all on the one vocabulary."""
SMALL_SIZE = generator.Size(organisations=30, vacancies=200, partners_per_organisation=2,
                            courses=20, batch=500)
"""The same demo, small, for the tests that seed it."""

# The demo's two places: "North" is Yorkshire and The Humber (Leeds, York, Sheffield, where the
# demo feeds' companies are), "Metro" the North West (Manchester).
NORTH, METRO = "E12000003", "E12000002"

# (organisation index in DEMO_ORGANISATIONS, fields, skills)
CAPABILITIES = [(0, ["employment-services"], ["career-guidance"]),
                (1, ["social-care"], ["patient-care"]),
                (2, ["digital-skills", "employment-services"], ["python", "data-analysis"]),
                (3, ["digital-skills", "youth-employment"], ["career-guidance"]),
                (4, ["green-jobs"], ["welding", "track-maintenance"]),
                (5, ["social-care"], ["patient-care"]),
                (6, ["digital-skills", "green-jobs"], ["python", "solar-installation"]),
                (7, ["employment-services"], ["mentoring"]),
                (8, ["employment-services"], ["mentoring", "career-guidance"]),
                (9, ["youth-employment"], ["mentoring"]),
                (10, ["employment-services", "social-care"], ["data-analysis"])]
# (organisation index, title, region code, skills, occupation, salary range, posted)
VACANCIES = [(4, "Apprentice Welder", NORTH, ["welding"], "welder", (21000, 24000),
              "2026-10-01"),
             (4, "Track Technician", NORTH, ["track-maintenance", "welding"], None,
              (28000, 34000), "2026-10-15"),
             (5, "Care Assistant", METRO, ["patient-care"], "healthcare-assistant",
              (22000, 25000), "2026-09-20"),
             (2, "Junior Data Analyst", NORTH, ["python", "data-analysis"], "data-analyst",
              (30000, 36000), "2026-11-02")]
COURSES = [(6, "Python for jobseekers", NORTH, "ONLINE", 40, ["python"]),
           (6, "Solar installer bootcamp", NORTH, "IN_PERSON", 80, ["solar-installation"]),
           (7, "Mentoring in the community", METRO, "BLENDED", 12, ["mentoring"])]
SERVICES = [(0, "Career coaching", NORTH, "jobseekers", ["employment-services"]),
            (1, "Family support line", METRO, "families", ["social-care"]),
            (8, "Back-to-work mentoring", NORTH, "long-term unemployed",
             ["employment-services"])]


def generate(graph: Graph, size: generator.Size) -> dict[str, int]:
    """The generated bulk of the demo, at ``size`` (``FULL_SIZE`` for `make run`); idempotent."""
    report = generator.generate(graph, size, SEED)
    return {f"generated{name[0].upper()}{name[1:]}": n for name, n in report.created.items()}


def _id(kind: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"civicgraph-demo:{kind}:{name}"))


def seed(graph: Graph, org_keys: list[str]) -> dict[str, int]:
    """``org_keys``: the demo organisations' name keys, in DEMO_ORGANISATIONS order."""
    ids = bulk.ids_by_name_key(graph, org_keys)
    org = [ids[key] for key in org_keys]
    words = vocabulary.rows()
    counts = {
        "fieldsCreated": bulk.fields(graph, words["fields"]),
        "skillsCreated": bulk.skills(graph, words["skills"]),
        "occupationsCreated": bulk.occupations(graph, words["occupations"]),
    }
    skill = vocabulary.skill
    counts["capabilitiesLinked"] = bulk.capabilities(graph, [
        {"id": org[i], "fields": f, "skills": [skill(s) for s in s_]}
        for i, f, s_ in CAPABILITIES])
    vacancies: list[dict[str, Any]] = [
        {"by": org[i],
         "props": {"id": _id("vacancy", title), "title": title, **vocabulary.region(code),
                   "status": "OPEN", "contractType": "PERMANENT", "salaryMin": pay[0],
                   "salaryMax": pay[1], "postedAt": dt.date.fromisoformat(posted),
                   "closesAt": dt.date.fromisoformat(posted) + dt.timedelta(days=45)},
         "skills": [skill(s) for s in skills],
         "occupation": [vocabulary.occupation(occupation)["uri"]] if occupation else []}
        for i, title, code, skills, occupation, pay, posted in VACANCIES]
    counts["vacanciesCreated"] = bulk.offers(graph, "Vacancy", vacancies)
    counts["trainingCoursesCreated"] = bulk.offers(graph, "TrainingCourse", [
        {"by": org[i],
         "props": {"id": _id("course", title), "title": title, **vocabulary.region(code),
                   "mode": mode, "durationHours": hours, "cost": 0.0},
         "skills": [skill(s) for s in skills]}
        for i, title, code, mode, hours, skills in COURSES])
    counts["servicesCreated"] = bulk.offers(graph, "Service", [
        {"by": org[i],
         "props": {"id": _id("service", name), "region": vocabulary.REGION_NAMES[code],
                   "name": name, "audience": audience},
         "fields": fields}
        for i, name, code, audience, fields in SERVICES])
    return counts
