"""Answers that were silently wrong (issue: exact answers), each checked as a client sees it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import create, link, ok, register
from tests.partner_graph.feeds import hidden_organisation


def test_type_conditions_sharing_a_key_are_kept_per_type(admin_client: FlaskClient) -> None:
    org = register(admin_client, "Open Skills College", "TRAINING_PROVIDER", "North")
    course = create(admin_client, "TrainingCourse", {"title": "Welding basics",
                                                      "providerId": org})
    vacancy = create(admin_client, "Vacancy", {"title": "Welder", "organisationId": org})
    query = """query N($id: ID!) { node(id: $id) { __typename
      ... on Vacancy { title } ... on TrainingCourse { title } } }"""
    assert ok(admin_client, query, {"id": course["id"]})["node"] == {
        "__typename": "TrainingCourse", "title": "Welding basics"}
    assert ok(admin_client, query, {"id": vacancy["id"]})["node"] == {
        "__typename": "Vacancy", "title": "Welder"}


def test_edges_and_nodes_are_projected_each_from_its_own_selection(
        admin_client: FlaskClient) -> None:
    a = register(admin_client, "Agency A", "AGENCY", "North")
    for name in ("Partner B", "Partner C", "Partner D"):
        link(admin_client, a, register(admin_client, name, "EMPLOYER", "North"))
    data = ok(admin_client, """{ organisations(first: 1) {
      edges { node { name few: partners(first: 1) { nodes { name } } } }
      nodes { id all: partners(first: 3) { nodes { name } } } } }""")
    edge_node = data["organisations"]["edges"][0]["node"]
    node = data["organisations"]["nodes"][0]
    assert edge_node == {"name": "Agency A", "few": {"nodes": [{"name": "Partner B"}]}}
    assert node == {"id": a, "all": {"nodes": [{"name": "Partner B"}, {"name": "Partner C"},
                                               {"name": "Partner D"}]}}


def test_int_fields_serve_integers_whatever_was_stored(admin_client: FlaskClient,
                                                       graph: Graph) -> None:
    org = register(admin_client, "Open Skills College", "TRAINING_PROVIDER", "North")
    vacancy = create(admin_client, "Vacancy", {"title": "Welder", "organisationId": org})
    course = create(admin_client, "TrainingCourse", {"title": "Welding", "providerId": org})
    # A feed or an import stored floats (JSON numbers such as 19000.0).
    graph.run("MATCH (v:Vacancy {id: $v}), (c:TrainingCourse {id: $c}) "
              "SET v.salaryMin = 19000.0, c.durationHours = 240.0",
              {"v": vacancy["id"], "c": course["id"]}, write=True)
    body = admin_client.post("/graphql", json={"query": """{
      vacancies { nodes { salaryMin } } trainingCourses { nodes { durationHours } } }"""})
    text = body.get_data(as_text=True)
    assert '"salaryMin":19000' in text.replace(" ", "") and "19000.0" not in text
    assert '"durationHours":240' in text.replace(" ", "") and "240.0" not in text
    salary = body.get_json()["data"]["vacancies"]["nodes"][0]["salaryMin"]
    assert isinstance(salary, int)


def test_partner_count_is_the_live_count_of_partners_the_caller_sees(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    a = register(admin_client, "Agency A", "AGENCY", "North")
    b = register(admin_client, "Partner B", "EMPLOYER", "North")
    query = """query O($id: ID!) { organisation(id: $id) { partnerCount
      partners { nodes { name } } } }"""
    assert ok(admin_client, query, {"id": a})["organisation"]["partnerCount"] == 0
    link(admin_client, a, b)
    assert ok(admin_client, query, {"id": a})["organisation"]["partnerCount"] == 1
    hidden = hidden_organisation(graph, tmp_path, "TRIAL SOFTWARE LTD", "09999991")
    link(admin_client, a, hidden)
    assert ok(admin_client, query, {"id": a})["organisation"]["partnerCount"] == 2
    public = ok(app.test_client(), query, {"id": a})["organisation"]
    assert public == {"partnerCount": 1, "partners": {"nodes": [{"name": "Partner B"}]}}
    ordered = ok(app.test_client(), """{ organisations(orderBy: [{field: PARTNER_COUNT,
      direction: DESC}, {field: NAME}], where: {partnerCount: {gte: 1}}) {
      nodes { name partnerCount } } }""")["organisations"]["nodes"]
    assert ordered == [{"name": "Agency A", "partnerCount": 1},
                       {"name": "Partner B", "partnerCount": 1}]


def test_register_and_link_answer_from_the_clients_selection(admin_client: FlaskClient,
                                                             graph: Graph) -> None:
    a = register(admin_client, "Agency A", "AGENCY", "North")
    graph.run("MATCH (o:Organisation {id: $id}) SET o.businessId = '1234567-8'", {"id": a},
              write=True)
    c = register(admin_client, "Partner C", "EMPLOYER", "North")
    link(admin_client, a, c)
    b = register(admin_client, "Partner B", "EMPLOYER", "North")
    data = ok(admin_client, """mutation L($a: ID!, $b: ID!) { linkPartners(input: {a: $a, b: $b}) {
      created a { businessId partners { nodes { name } } partnerCount }
      other: b { name first: partners { nodes { name } } } } }""", {"a": a, "b": b})["linkPartners"]
    assert data == {"created": True,
                    "a": {"businessId": "1234567-8", "partnerCount": 2,
                          "partners": {"nodes": [{"name": "Partner B"}, {"name": "Partner C"}]}},
                    "other": {"name": "Partner B", "first": {"nodes": [{"name": "Agency A"}]}}}
    body = gql(admin_client, """mutation R($input: RegisterOrganisationInput!) {
      registerOrganisation(input: $input) { organisation { name kind partners { nodes { id } }
      vacancies { nodes { id } } partnerCount } } }""",
               {"input": {"name": "New Org", "kind": "EMPLOYER", "region": "North"}})
    assert body["data"]["registerOrganisation"]["organisation"] == {
        "name": "New Org", "kind": "EMPLOYER", "partners": {"nodes": []},
        "vacancies": {"nodes": []}, "partnerCount": 0}
    # One statement for the write, one for the payload's record.
    assert len(body["extensions"]["cypher"]) == 2
