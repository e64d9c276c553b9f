"""Nested reads cost one Cypher statement per root field, whatever their depth and width."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from bench.graph_bench import gateway_statement
from civicgraph.compiler.cache import PLANS
from civicgraph.core.access import ANONYMOUS
from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import build, link, register

NESTED = """
query Nested($first: Int) {
  organisations(first: $first, orderBy: [{field: NAME}]) {
    totalCount
    edges { node {
      name
      partners(first: 5) { nodes { name vacancies(first: 5) { nodes { title
        skills(first: 5) { nodes { name } } } } } }
      vacancies(first: 5) { nodes { title organisation { name } occupation { code } } }
      fields { nodes { code } }
    } }
  }
}
"""


def test_four_levels_cost_one_statement(client: FlaskClient) -> None:
    build(client)
    body = gql(client, NESTED, {"first": 10})
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    nodes = {e["node"]["name"]: e["node"] for e in body["data"]["organisations"]["edges"]}
    agency = nodes["North Employment Agency"]
    partners = agency["partners"]["nodes"]
    assert [p["name"] for p in partners] == ["Northern Rail Works", "SkillBridge"]
    rail = partners[0]
    assert [v["title"] for v in rail["vacancies"]["nodes"]] == ["Rail Technician", "Welder"]
    skills = rail["vacancies"]["nodes"][0]["skills"]["nodes"]
    assert sorted(s["name"] for s in skills) == ["Python", "Welding"]
    assert nodes["Northern Rail Works"]["vacancies"]["nodes"][1] == {
        "title": "Welder", "organisation": {"name": "Northern Rail Works"},
        "occupation": {"code": "7212"}}
    assert agency["fields"] == {"nodes": [{"code": "employment-services"}]}


def test_two_root_fields_cost_two_statements_and_aliases_keep_their_arguments(
        client: FlaskClient) -> None:
    build(client)
    body = gql(client, """{
      north: organisations(where: {region: {eq: "North"}}) { totalCount }
      metro: organisations(where: {region: {eq: "Metro"}}) {
        totalCount edges { node { one: partners(first: 1) { nodes { name } }
          all: partners { nodes { name } } } } }
    }""")
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 2
    assert body["data"]["north"]["totalCount"] == 4
    metro = body["data"]["metro"]
    assert metro["totalCount"] == 1
    assert metro["edges"][0]["node"] == {"one": {"nodes": [{"name": "Northern Rail Works"}]},
                                         "all": {"nodes": [{"name": "Northern Rail Works"}]}}


def test_fragments_and_variables_are_resolved(client: FlaskClient) -> None:
    build(client)
    body = gql(client, """
      query Q($withPartners: Boolean!) {
        organisations(first: 2) { edges { node { ...Card } } }
      }
      fragment Card on Organisation {
        name ... on Organisation { region }
        partners @include(if: $withPartners) { nodes { name } }
      }""", {"withPartners": False})
    assert "errors" not in body, body
    node = body["data"]["organisations"]["edges"][0]["node"]
    assert set(node) == {"name", "region"}
    assert len(body["extensions"]["cypher"]) == 1


def test_repeated_document_reuses_its_plan_with_new_values(client: FlaskClient) -> None:
    build(client)
    query = """query ByRegion($r: String!) {
      organisations(where: {region: {eq: $r}}) { totalCount } }"""
    gql(client, query, {"r": "North"})
    hits = PLANS.hits
    body = gql(client, query, {"r": "Metro"})
    assert PLANS.hits == hits + 1
    assert body["data"]["organisations"]["totalCount"] == 1
    assert body["extensions"]["cypher"][0]["cypher"].count("$p0") >= 1


def test_node_resolves_any_type_in_one_statement(client: FlaskClient) -> None:
    ids = build(client)
    query = """query N($id: ID!) { node(id: $id) { id __typename
        ... on Vacancy { title organisation { name } }
        ... on Organisation { name }
        ... on Skill { uri } } }"""
    vacancy = gql(client, query, {"id": ids["welder"]})
    assert vacancy["data"]["node"] == {"id": ids["welder"], "__typename": "Vacancy",
                                       "title": "Welder",
                                       "organisation": {"name": "Northern Rail Works"}}
    assert len(vacancy["extensions"]["cypher"]) == 1
    org = gql(client, query, {"id": ids["A"]})["data"]["node"]
    assert org == {"id": ids["A"], "__typename": "Organisation",
                   "name": "North Employment Agency"}
    skill = gql(client, query, {"id": ids["python"]})["data"]["node"]
    assert skill["__typename"] == "Skill" and skill["uri"].endswith("/python")
    assert gql(client, query, {"id": "no-such-id"})["data"]["node"] is None


def test_other_types_read_their_relations(client: FlaskClient) -> None:
    build(client)
    body = gql(client, """{
      skills(first: 5, orderBy: [{field: NAME}]) { nodes {
        name organisations(first: 5) { nodes { name } }
        vacancies(first: 5) { nodes { title } } trainingCourses(first: 5) { nodes { title } }
        occupations(first: 5) { nodes { code } } } }
      trainingCourses { nodes { title durationHours cost startDate provider { name } } }
      services { nodes { name provider { name } fields { nodes { code } } } }
      fields(first: 5) { nodes { code organisations(first: 5) { nodes { name } }
        services(first: 5) { nodes { name } } } }
      occupations(first: 5) { nodes { name skills(first: 5) { nodes { name } }
        vacancies(first: 5) { nodes { title } } } }
    }""")
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 5
    data = body["data"]
    python = data["skills"]["nodes"][1]
    assert python["name"] == "Python"
    assert sorted(o["name"] for o in python["organisations"]["nodes"]) == [
        "Northern Rail Works", "Open Skills College", "SkillBridge"]
    assert python["trainingCourses"]["nodes"] == [{"title": "Python for jobseekers"}]
    assert data["trainingCourses"]["nodes"] == [{
        "title": "Python for jobseekers", "durationHours": 40, "cost": 0.0,
        "startDate": "2026-03-01", "provider": {"name": "Open Skills College"}}]
    assert data["services"]["nodes"][0]["fields"]["nodes"] == [{"code": "employment-services"}]
    assert data["occupations"]["nodes"][0]["vacancies"]["nodes"] == [{"title": "Welder"}]


def test_variables_that_change_the_statement_get_their_own_plan(client: FlaskClient) -> None:
    build(client)
    query = """query Q($where: OrganisationWhere, $order: [OrganisationSort!]) {
      organisations(where: $where, orderBy: $order, first: 2) { nodes { name } } }"""

    def first_names(variables: dict[str, object]) -> list[str]:
        body = gql(client, query, variables)
        assert "errors" not in body, body
        return [n["name"] for n in body["data"]["organisations"]["nodes"]]

    assert first_names({}) == ["Metro Health Trust", "North Employment Agency"]
    assert first_names({"order": [{"field": "NAME", "direction": "DESC"}]}) == [
        "SkillBridge", "Open Skills College"]
    assert first_names({"where": {"kind": {"eq": "EMPLOYER"}}}) == [
        "Metro Health Trust", "Northern Rail Works"]
    assert first_names({"where": {"region": {"eq": "North"}},
                        "order": [{"field": "KIND"}]}) == [
        "North Employment Agency", "Northern Rail Works"]
    # The same shapes again: answered from cached plans, with this request's values.
    misses = PLANS.misses
    assert first_names({"where": {"kind": {"eq": "START_UP"}}}) == ["SkillBridge"]
    assert first_names({"order": [{"field": "NAME", "direction": "DESC"}]}) == [
        "SkillBridge", "Open Skills College"]
    assert PLANS.misses == misses



def _db_hits(graph: Graph, cypher: str, values: dict[str, Any]) -> int:
    """The database's own count of what the statement read (nested subqueries included)."""
    with graph.driver.session(database=graph.database) as session:
        plan = session.run("PROFILE " + cypher, values).consume().profile
    assert plan is not None

    def total(op: dict[str, Any]) -> int:
        return int(op.get("dbHits", 0)) + sum(total(c) for c in op.get("children", []))
    return total(plan)


def test_the_row_past_the_page_reads_no_nested_list(client: FlaskClient, graph: Graph) -> None:
    """The statement reads one organisation more than the page to tell that there is a next
    page; that one's partners are never read, so giving it partners costs the page nothing."""
    names = ["Alpha Agency", "Beta Works", "Gamma College", "Zeta One", "Zeta Two", "Zeta Three"]
    ids = {name: register(client, name, "EMPLOYER", "North") for name in names}
    link(client, ids["Alpha Agency"], ids["Beta Works"])
    query = """{ organisations(first: 2, orderBy: [{field: NAME}]) {
      pageInfo { hasNextPage } nodes { name partners(first: 5) { nodes { name } } } } }"""

    def read() -> tuple[Any, int]:
        # The statement and values the gateway sends for this query (the benchmark's helper).
        cypher, values, data = gateway_statement(graph, query, ANONYMOUS)
        return data["organisations"], _db_hits(graph, cypher, values)

    page, before = read()
    assert page == {"pageInfo": {"hasNextPage": True}, "nodes": [
        {"name": "Alpha Agency", "partners": {"nodes": [{"name": "Beta Works"}]}},
        {"name": "Beta Works", "partners": {"nodes": [{"name": "Alpha Agency"}]}}]}
    for name in ("Zeta One", "Zeta Two", "Zeta Three"):
        link(client, ids["Gamma College"], ids[name])
    again, after = read()
    assert again == page
    assert after == before
