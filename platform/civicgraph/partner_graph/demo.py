"""The demo ecosystem's vocabulary and offers: fields, skills, occupations, vacancies, courses and
services for the demo organisations. Ids are derived from names (UUID 5), so every run merges
onto the same records and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import bulk

SKILL = "http://data.europa.eu/esco/skill/demo-"
OCCUPATION = "http://data.europa.eu/esco/occupation/demo-"

FIELDS = [("employment-services", "Employment services"), ("social-care", "Social care"),
          ("digital-skills", "Digital skills"), ("green-jobs", "Green jobs"),
          ("youth-employment", "Youth employment")]
SKILLS = [("python", "Python programming"), ("welding", "Welding"),
          ("patient-care", "Personal care of patients"), ("career-guidance", "Career guidance"),
          ("data-analysis", "Data analysis"), ("track-maintenance", "Rail track maintenance"),
          ("mentoring", "Mentoring"), ("solar-installation", "Solar panel installation")]
OCCUPATIONS = [("welder", "7212", "Welder", ["welding"]),
               ("care-assistant", "5321", "Health care assistant", ["patient-care"]),
               ("data-analyst", "2511", "Data analyst", ["python", "data-analysis"])]
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
# (organisation index, title, region, skills, occupation, salary range, posted)
VACANCIES = [(4, "Apprentice Welder", "North", ["welding"], "welder", (21000, 24000),
              "2026-10-01"),
             (4, "Track Technician", "North", ["track-maintenance", "welding"], None,
              (28000, 34000), "2026-10-15"),
             (5, "Care Assistant", "Metro", ["patient-care"], "care-assistant", (22000, 25000),
              "2026-09-20"),
             (2, "Junior Data Analyst", "North", ["python", "data-analysis"], "data-analyst",
              (30000, 36000), "2026-11-02")]
COURSES = [(6, "Python for jobseekers", "North", "ONLINE", 40, ["python"]),
           (6, "Solar installer bootcamp", "North", "IN_PERSON", 80, ["solar-installation"]),
           (7, "Mentoring in the community", "Metro", "BLENDED", 12, ["mentoring"])]
SERVICES = [(0, "Career coaching", "North", "jobseekers", ["employment-services"]),
            (1, "Family support line", "Metro", "families", ["social-care"]),
            (8, "Back-to-work mentoring", "North", "long-term unemployed",
             ["employment-services"])]


def _id(kind: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"civicgraph-demo:{kind}:{name}"))


def seed(graph: Graph, org_keys: list[str]) -> dict[str, int]:
    """``org_keys``: the demo organisations' name keys, in DEMO_ORGANISATIONS order."""
    ids = bulk.ids_by_name_key(graph, org_keys)
    org = [ids[key] for key in org_keys]
    counts = {
        "fieldsCreated": bulk.fields(graph, [
            {"props": {"id": _id("field", c), "code": c, "name": n}} for c, n in FIELDS]),
        "skillsCreated": bulk.skills(graph, [
            {"props": {"id": _id("skill", k), "uri": SKILL + k, "name": n}} for k, n in SKILLS]),
        "occupationsCreated": bulk.occupations(graph, [
            {"props": {"id": _id("occupation", k), "uri": OCCUPATION + k, "code": code,
                       "name": name},
             "skills": [SKILL + s for s in skills]} for k, code, name, skills in OCCUPATIONS]),
    }
    counts["capabilitiesLinked"] = bulk.capabilities(graph, [
        {"id": org[i], "fields": f, "skills": [SKILL + s for s in s_]}
        for i, f, s_ in CAPABILITIES])
    vacancies: list[dict[str, Any]] = [
        {"by": org[i],
         "props": {"id": _id("vacancy", title), "title": title, "region": region,
                   "status": "OPEN", "contractType": "PERMANENT", "salaryMin": pay[0],
                   "salaryMax": pay[1], "postedAt": dt.date.fromisoformat(posted),
                   "closesAt": dt.date.fromisoformat(posted) + dt.timedelta(days=45)},
         "skills": [SKILL + s for s in skills],
         "occupation": [OCCUPATION + occupation] if occupation else []}
        for i, title, region, skills, occupation, pay, posted in VACANCIES]
    counts["vacanciesCreated"] = bulk.offers(graph, "Vacancy", vacancies)
    counts["trainingCoursesCreated"] = bulk.offers(graph, "TrainingCourse", [
        {"by": org[i],
         "props": {"id": _id("course", title), "title": title, "region": region, "mode": mode,
                   "durationHours": hours, "cost": 0.0},
         "skills": [SKILL + s for s in skills]}
        for i, title, region, mode, hours, skills in COURSES])
    counts["servicesCreated"] = bulk.offers(graph, "Service", [
        {"by": org[i],
         "props": {"id": _id("service", name), "name": name, "region": region,
                   "audience": audience},
         "fields": fields}
        for i, name, region, audience, fields in SERVICES])
    return counts
