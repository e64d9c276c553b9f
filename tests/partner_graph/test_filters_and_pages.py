"""Every filter operator, ordering, full-text search and both pagination directions, on the real
graph; and Cypher-looking input treated as plain data."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.builders import gql
from tests.partner_graph.builders import SKILL, build, ok


def names(client: FlaskClient, where: dict[str, Any] | None = None, **args: Any) -> list[str]:
    data = ok(client, """query Q($where: OrganisationWhere, $orderBy: [OrganisationSort!],
                                 $search: String, $first: Int) {
        organisations(where: $where, orderBy: $orderBy, search: $search, first: $first) {
          totalCount nodes { name } } }""", {"where": where, **args})
    found = [n["name"] for n in data["organisations"]["nodes"]]
    assert data["organisations"]["totalCount"] == len(found)
    return found


def titles(client: FlaskClient, where: dict[str, Any]) -> list[str]:
    data = ok(client, """query Q($where: VacancyWhere) {
        vacancies(where: $where) { nodes { title } } }""", {"where": where})
    return [n["title"] for n in data["vacancies"]["nodes"]]


def test_every_filter_operator(client: FlaskClient) -> None:
    ids = build(client)
    assert names(client, {"name": {"eq": "SkillBridge"}}) == ["SkillBridge"]
    assert names(client, {"name": {"in": ["SkillBridge", "Metro Health Trust", "Nobody"]}}) == [
        "Metro Health Trust", "SkillBridge"]
    assert names(client, {"name": {"contains": "Skill"}}) == ["Open Skills College",
                                                               "SkillBridge"]
    assert names(client, {"name": {"startsWith": "North"}}) == ["North Employment Agency",
                                                                 "Northern Rail Works"]
    assert names(client, {"name": {"endsWith": "Trust"}}) == ["Metro Health Trust"]
    assert names(client, {"id": {"eq": ids["B"]}}) == ["SkillBridge"]
    assert names(client, {"id": {"in": [ids["B"], ids["D"]]}}) == ["Metro Health Trust",
                                                                   "SkillBridge"]
    assert names(client, {"kind": {"eq": "EMPLOYER"}}) == ["Metro Health Trust",
                                                           "Northern Rail Works"]
    assert names(client, {"kind": {"in": ["AGENCY", "START_UP"]}}) == [
        "North Employment Agency", "SkillBridge"]
    assert names(client, {"region": {"eq": "Metro"}}) == ["Metro Health Trust"]
    assert names(client, {"description": {"contains": "care"}}) == [
        "Metro Health Trust", "North Employment Agency"]
    assert names(client, {"field": "employment-services", "region": {"eq": "North"}}) == [
        "North Employment Agency", "Open Skills College"]
    assert names(client, {"skill": SKILL + "welding"}) == ["Northern Rail Works"]
    assert names(client, {"capableIn": {"fields": ["social-care"],
                                        "skills": [SKILL + "welding"]}}) == [
        "Metro Health Trust", "Northern Rail Works"]
    assert names(client, {"capableIn": {"skills": [SKILL + "python"]},
                          "region": {"eq": "North"}}) == [
        "Northern Rail Works", "Open Skills College", "SkillBridge"]
    assert names(client, {"partnerOf": ids["A"]}) == ["Northern Rail Works", "SkillBridge"]
    assert names(client, {"hasVacancies": True}) == ["Metro Health Trust",
                                                    "Northern Rail Works"]
    assert len(names(client, {"hasVacancies": False})) == 3
    assert names(client, {"hasPartners": False}) == []
    # Ranges, on vacancies (ints and dates) and courses (floats).
    assert titles(client, {"salaryMin": {"gte": 28000}}) == ["Rail Technician", "Welder"]
    assert titles(client, {"salaryMin": {"gt": 28000}}) == ["Welder"]
    assert titles(client, {"salaryMax": {"lt": 35000}}) == ["Care Assistant"]
    assert titles(client, {"salaryMax": {"lte": 35000, "gte": 24000}}) == ["Care Assistant",
                                                                           "Welder"]
    assert titles(client, {"salaryMin": {"in": [22000, 30000]}}) == ["Care Assistant", "Welder"]
    assert titles(client, {"postedAt": {"gte": "2026-01-01"}}) == ["Rail Technician", "Welder"]
    assert titles(client, {"postedAt": {"lt": "2026-01-01"}}) == ["Care Assistant"]
    assert titles(client, {"postedAt": {"eq": "2026-02-01"}}) == ["Rail Technician"]
    assert titles(client, {"status": {"eq": "OPEN"}, "region": {"eq": "North"}}) == [
        "Rail Technician", "Welder"]
    assert titles(client, {"organisation": ids["D"]}) == ["Care Assistant"]
    assert titles(client, {"skill": SKILL + "python"}) == ["Rail Technician"]
    assert titles(client, {"occupation": "http://data.europa.eu/esco/occupation/welder"}) == [
        "Welder"]
    courses = ok(client, """{ trainingCourses(where: {cost: {lte: 10.5}, durationHours: {gt: 8},
        skill: "http://data.europa.eu/esco/skill/python"}) { totalCount } }""")
    assert courses["trainingCourses"]["totalCount"] == 1


def test_ordering_and_search(client: FlaskClient) -> None:
    build(client)
    assert names(client, orderBy=[{"field": "KIND", "direction": "DESC"},
                                  {"field": "NAME", "direction": "DESC"}]) == [
        "Open Skills College", "SkillBridge", "Northern Rail Works", "Metro Health Trust",
        "North Employment Agency"]
    assert names(client, orderBy=[{"field": "REGION"}, {"field": "NAME"}])[0] == (
        "Metro Health Trust")
    data = ok(client, """{ vacancies(orderBy: [{field: SALARY_MAX, direction: DESC}]) {
        nodes { title } } }""")
    assert [n["title"] for n in data["vacancies"]["nodes"]] == [
        "Rail Technician", "Welder", "Care Assistant"]
    assert sorted(names(client, search="skills")) == ["Open Skills College", "SkillBridge"]
    assert names(client, search="employment") == ["North Employment Agency"]
    assert names(client, search="hospital") == ["Metro Health Trust"]
    assert names(client, search="rail", where={"region": {"eq": "Metro"}}) == []
    assert names(client, search="HOSPITAL care", orderBy=[{"field": "NAME"}]) == [
        "Metro Health Trust"]


def test_pages_forwards_and_backwards(client: FlaskClient) -> None:
    build(client)
    query = """query P($first: Int, $after: String, $last: Int, $before: String) {
      organisations(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { name } } } }"""
    everything = ["Metro Health Trust", "North Employment Agency", "Northern Rail Works",
                  "Open Skills College", "SkillBridge"]
    seen: list[str] = []
    after = None
    while True:
        page = ok(client, query, {"first": 2, "after": after})["organisations"]
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == everything
    backwards: list[str] = []
    before = None
    while True:
        page = ok(client, query, {"last": 2, "before": before})["organisations"]
        assert page["totalCount"] == 5
        backwards = [e["node"]["name"] for e in page["edges"]] + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        before = page["pageInfo"]["startCursor"]
    assert backwards == everything
    last_two = ok(client, query, {"last": 2})["organisations"]
    assert [e["node"]["name"] for e in last_two["edges"]] == everything[-2:]
    middle = ok(client, query, {"first": 1, "after": last_two["edges"][0]["cursor"]})
    assert middle["organisations"]["edges"][0]["node"]["name"] == "SkillBridge"
    for bad in ({"first": 1, "last": 1}, {"last": 1, "after": after},
                {"first": 1, "before": before or after}, {"last": 1, "before": "bad"}):
        body = gql(client, query, bad)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (bad, body)


HOSTILE = ["'", '"', "\\", "}", "{", "//", "/* */", "`", "``name``", "') RETURN 1 //",
           "MATCH (n) DETACH DELETE n", '"}) MATCH (n) DETACH DELETE n //',
           "$p0", "AND 1=1", "\u0000", "a:b OR *"]


def test_cypher_looking_values_are_data_in_every_filter(client: FlaskClient) -> None:
    ids = build(client)
    string_filters = ["name", "description", "website"]
    for value in HOSTILE:
        for field in string_filters:
            for op in ("eq", "contains", "startsWith", "endsWith"):
                assert names(client, {field: {op: value}}) == [], (field, op, value)
            assert names(client, {field: {"in": [value]}}) == []
        for key in ("field", "skill", "partnerOf"):
            assert names(client, {key: value}) == []
        assert names(client, {"id": {"eq": value}}) == []
        assert names(client, {"capableIn": {"fields": [value], "skills": [value]}}) == []
        names(client, search=value)  # words like "and" may match; it must not fail
        assert titles(client, {"title": {"contains": value}, "organisation": value,
                               "occupation": value, "skill": value}) == []
        node = ok(client, "query N($id: ID!) { node(id: $id) { id } }", {"id": value})
        assert node["node"] is None
        body = gql(client, """query R($id: ID!) { partnersOfPartners(id: $id) { distance } }""",
                   {"id": value})
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # Stored as data, read back as data.
    weird = 'Evil"}) MATCH (n) DETACH DELETE n // `x`'
    ok(client, """mutation U($id: ID!, $d: String) { updateOrganisation(input: {id: $id,
        version: 2, description: $d}) { organisation { id } } }""", {"id": ids["A"], "d": weird})
    assert names(client, {"description": {"eq": weird}}) == ["North Employment Agency"]
    assert len(names(client)) == 5
    total = ok(client, "{ vacancies { totalCount } skills { totalCount } }")
    assert total == {"vacancies": {"totalCount": 3}, "skills": {"totalCount": 3}}
