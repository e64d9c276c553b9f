"""A small ecosystem built through the public mutations, shared by the partner-graph tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.builders import gql


def ok(client: FlaskClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


def create(client: FlaskClient, type_name: str, values: dict[str, Any]) -> dict[str, Any]:
    field = type_name[0].lower() + type_name[1:]
    data = ok(client, f"mutation C($input: Create{type_name}Input!) {{ create{type_name}"
                      f"(input: $input) {{ {field} {{ id version }} }} }}", {"input": values})
    record: dict[str, Any] = data[f"create{type_name}"][field]
    return record


def register(client: FlaskClient, name: str, kind: str, region: str,
             description: str = "") -> str:
    data = ok(client, """mutation R($input: RegisterOrganisationInput!) {
        registerOrganisation(input: $input) { organisation { id } } }""",
              {"input": {"name": name, "kind": kind, "region": region,
                         "description": description}})
    org_id: str = data["registerOrganisation"]["organisation"]["id"]
    return org_id


def update_org(client: FlaskClient, org_id: str, values: dict[str, Any]) -> None:
    ok(client, """mutation U($input: UpdateOrganisationInput!) {
        updateOrganisation(input: $input) { organisation { id } } }""",
       {"input": {"id": org_id, "version": 1, **values}})


def link(client: FlaskClient, a: str, b: str) -> None:
    ok(client, "mutation L($a: ID!, $b: ID!) { linkPartners(input: {a: $a, b: $b}) { created } }",
       {"a": a, "b": b})


SKILL = "http://data.europa.eu/esco/skill/"


def build(client: FlaskClient) -> dict[str, str]:
    """Five organisations in a chain A-B, A-C, B-E, C-D; vacancies, a course, a service."""
    ids: dict[str, str] = {}
    create(client, "Field", {"code": "employment-services", "name": "Employment services"})
    create(client, "Field", {"code": "social-care", "name": "Social care"})
    for key, name in (("python", "Python"), ("welding", "Welding"), ("care", "Personal care")):
        ids[key] = create(client, "Skill", {"uri": SKILL + key, "name": name})["id"]
    create(client, "Occupation", {"uri": "http://data.europa.eu/esco/occupation/welder",
                                  "code": "7212", "name": "Welder",
                                  "skillUris": [SKILL + "welding"]})
    ids["A"] = register(client, "North Employment Agency", "AGENCY", "North",
                        "Public employment service: jobseeker support and career planning.")
    ids["B"] = register(client, "SkillBridge", "START_UP", "North",
                        "Matching the skills of jobseekers to vacancies.")
    ids["C"] = register(client, "Northern Rail Works", "EMPLOYER", "North",
                        "Rail maintenance employer hiring apprentices.")
    ids["D"] = register(client, "Metro Health Trust", "EMPLOYER", "Metro",
                        "Hospital trust recruiting care assistants.")
    ids["E"] = register(client, "Open Skills College", "TRAINING_PROVIDER", "North",
                        "Digital and green-skills courses.")
    update_org(client, ids["A"], {"fieldCodes": ["employment-services"]})
    update_org(client, ids["B"], {"skillUris": [SKILL + "python"]})
    update_org(client, ids["C"], {"skillUris": [SKILL + "welding", SKILL + "python"]})
    update_org(client, ids["D"], {"skillUris": [SKILL + "care"], "fieldCodes": ["social-care"]})
    update_org(client, ids["E"], {"skillUris": [SKILL + "python"],
                                  "fieldCodes": ["employment-services"]})
    for a, b in (("A", "B"), ("A", "C"), ("B", "E"), ("C", "D")):
        link(client, ids[a], ids[b])
    ids["welder"] = create(client, "Vacancy", {
        "title": "Welder", "region": "North", "status": "OPEN", "salaryMin": 30000,
        "salaryMax": 35000, "postedAt": "2026-01-10", "contractType": "PERMANENT",
        "organisationId": ids["C"], "skillUris": [SKILL + "welding"],
        "occupationUri": "http://data.europa.eu/esco/occupation/welder"})["id"]
    ids["tech"] = create(client, "Vacancy", {
        "title": "Rail Technician", "region": "North", "status": "OPEN", "salaryMin": 28000,
        "salaryMax": 40000, "postedAt": "2026-02-01", "organisationId": ids["C"],
        "skillUris": [SKILL + "welding", SKILL + "python"]})["id"]
    ids["care"] = create(client, "Vacancy", {
        "title": "Care Assistant", "region": "Metro", "status": "CLOSED", "salaryMin": 22000,
        "salaryMax": 24000, "postedAt": "2025-11-20", "organisationId": ids["D"],
        "skillUris": [SKILL + "care"]})["id"]
    ids["course"] = create(client, "TrainingCourse", {
        "title": "Python for jobseekers", "region": "North", "mode": "ONLINE",
        "durationHours": 40, "startDate": "2026-03-01", "cost": 0.0,
        "providerId": ids["E"], "skillUris": [SKILL + "python"]})["id"]
    ids["service"] = create(client, "Service", {
        "name": "Career coaching", "region": "North", "audience": "jobseekers",
        "providerId": ids["A"], "fieldCodes": ["employment-services"]})["id"]
    return ids
