"""Reads across the lab and the partner graph compile into one statement per root field
(counted on the wire), and the lab's guards hold inside them: a draft, an idea or another
organisation's unsent proposal is never reached through a relationship either."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.compiler.visibility import UNPUBLISHED
from civicgraph.core.access import Principal
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges, pilots, proposals
from civicgraph.partner_graph.service import organisations
from tests.builders import gql
from tests.lab.builders import organisation, person
from tests.lab.test_graphql_lab import signed_in
from tests.lab.test_pilots_scenario import selected_proposal

ADMIN = Principal(client_id="tests", scopes=frozenset({"admin"}))


def _ecosystem(graph: Graph, staff: Actor) -> dict[str, Any]:
    """A selected proposal by "Bus Start-up" to an open challenge; the start-up partners with
    a rail employer offering a vacancy that requires a skill; a pilot of the proposal involves
    the employer as FUNDER, with a measure and two measurements."""
    proposal_id, org = selected_proposal(graph, staff)
    rail = organisation(graph, "Rail Works", "EMPLOYER")
    organisations.link_partners(graph, org, rail, None, principal=ADMIN)
    graph.run(
        "MATCH (o:Organisation {id: $rail}) "
        "CREATE (v:Vacancy {id: randomUUID(), title: 'Welder', status: 'OPEN', version: 1})"
        "-[:OFFERED_BY]->(o) "
        "CREATE (v)-[:REQUIRES]->(:Skill {id: randomUUID(), uri: 'esco:weld', name: 'Welding', "
        "version: 1})", {"rail": rail}, write=True)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    pilots.involve(graph, staff, pilot["id"], rail, "FUNDER")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Placements", unit="people",
                                 target=10, direction="INCREASE", baseline=1)
    measure_id = measure["id"]
    pilots.record_measurement(graph, staff, measure_id, 4, "2026-01-01T00:00:00Z")
    pilots.record_measurement(graph, staff, measure_id, 7, "2026-02-01T00:00:00Z")
    challenge_id = proposals.get(graph, proposal_id)["challengeId"]
    return {"proposal": proposal_id, "org": org, "rail": rail, "pilot": pilot["id"],
            "challenge": challenge_id}


CHALLENGE_TO_SKILLS = """
query C($id: ID!) { challenge(id: $id) { title
  proposals(first: 5) { totalCount edges { cursor node { title
    proposer { name partners(first: 5) { nodes { name
      vacancies(first: 5) { nodes { title skills(first: 5) { nodes { name } } } } } } } } } } } }
"""


def test_challenge_to_proposals_to_proposer_to_partners_to_vacancies_to_skills(
        app: Flask, graph: Graph, staff: Actor) -> None:
    eco = _ecosystem(graph, staff)
    body = gql(signed_in(app, graph, staff, "graph:read lab:write"), CHALLENGE_TO_SKILLS,
               {"id": eco["challenge"]})
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    listed = body["data"]["challenge"]["proposals"]
    assert listed["totalCount"] == 1
    proposer = listed["edges"][0]["node"]["proposer"]
    assert proposer["name"] == "Bus Start-up"
    assert proposer["partners"] == {"nodes": [{"name": "Rail Works", "vacancies": {"nodes": [
        {"title": "Welder", "skills": {"nodes": [{"name": "Welding"}]}}]}}]}


ORGANISATION_TO_MEASUREMENTS = """
query O($id: ID!) { organisation(id: $id) { name
  challenges(first: 5) { totalCount }
  proposals(first: 5) { totalCount nodes { title challenge { title } } }
  pilots(first: 5) { totalCount edges { role node { title
    measures(first: 5) { nodes { name measurements(first: 5, orderBy: [{field: AT}]) {
      totalCount nodes { value } } } } } } } } }
"""


def test_organisation_to_its_challenges_proposals_and_pilots_with_role_to_measurements(
        app: Flask, graph: Graph, staff: Actor) -> None:
    eco = _ecosystem(graph, staff)
    client = signed_in(app, graph, staff, "graph:read lab:write")
    for org, role in ((eco["org"], "LEAD"), (eco["rail"], "FUNDER")):
        body = gql(client, ORGANISATION_TO_MEASUREMENTS, {"id": org})
        assert "errors" not in body, body
        assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
        found = body["data"]["organisation"]
        assert found["pilots"]["totalCount"] == 1
        edge = found["pilots"]["edges"][0]
        assert edge["role"] == role
        measure = edge["node"]["measures"]["nodes"][0]
        assert measure == {"name": "Placements", "measurements": {
            "totalCount": 2, "nodes": [{"value": 4.0}, {"value": 7.0}]}}
    lead = gql(client, ORGANISATION_TO_MEASUREMENTS, {"id": eco["org"]})["data"]["organisation"]
    assert lead["proposals"] == {"totalCount": 1, "nodes": [
        {"title": "Job bus", "challenge": {"title": "Reach rural job seekers"}}]}


def test_nested_connections_page_both_ways_with_exact_counts(
        app: Flask, graph: Graph, staff: Actor) -> None:
    eco = _ecosystem(graph, staff)
    client = signed_in(app, graph, staff, "graph:read lab:write")
    query = """query P($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      pilot(id: $id) { measures(first: 5) { nodes { measurements(first: $first, after: $after,
        last: $last, before: $before, orderBy: [{field: AT}]) { totalCount
        edges { cursor node { value } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } } }"""

    def page(**args: Any) -> dict[str, Any]:
        body = gql(client, query, {"id": eco["pilot"], **args})
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["pilot"]["measures"]["nodes"][0]["measurements"]
        return result

    first = page(first=1)
    assert [e["node"]["value"] for e in first["edges"]] == [4.0]
    assert first["totalCount"] == 2
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = page(first=1, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["value"] for e in second["edges"]] == [7.0]
    assert not second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    last = page(last=1)
    assert [e["node"]["value"] for e in last["edges"]] == [7.0]
    back = page(last=1, before=last["pageInfo"]["startCursor"])
    assert [e["node"]["value"] for e in back["edges"]] == [4.0]
    bad = gql(client, query, {"id": eco["pilot"], "after": "offset:1"}, status=None)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_guards_hold_through_relationships(client: FlaskClient, app: Flask, graph: Graph,
                                           staff: Actor,
                                           authorised: Callable[..., FlaskClient]) -> None:
    """Anonymous callers reach neither a draft challenge nor proposals (staff's and experts')
    through an organisation, nor a draft by its id; lab staff see both."""
    eco = _ecosystem(graph, staff)
    draft = challenges.create(graph, staff, title="Secret draft", description="d",
                              organisation_id=eco["org"])
    query = """query O($id: ID!) { organisation(id: $id) {
      challenges(first: 5) { totalCount nodes { title } } proposals(first: 5) { totalCount }
      } }"""
    seen = gql(client, query, {"id": eco["org"]})
    assert "errors" not in seen, seen
    assert seen["data"]["organisation"]["challenges"] == {"totalCount": 0, "nodes": []}
    assert seen["data"]["organisation"]["proposals"] == {"totalCount": 0}
    staff_seen = gql(signed_in(app, graph, staff, "graph:read lab:write"), query,
                     {"id": eco["org"]})["data"]["organisation"]
    assert staff_seen["challenges"]["nodes"] == [{"title": draft["title"]}]
    assert staff_seen["proposals"]["totalCount"] == 1
    hidden = gql(authorised(["graph:read"]), "query N($id: ID!) { node(id: $id) { id } }",
                 {"id": draft["id"]})
    assert hidden["data"]["node"] is None


def test_rich_filters_across_domains_and_hidden_records_change_no_answer(
        graph: Graph, staff: Actor, authorised: Callable[..., FlaskClient]) -> None:
    """AND/OR/NOT, quantifiers over the related type's where (with the relationship's own
    properties), counts and a single relationship's where, checked against the ecosystem;
    a vacancy only a TEST-mode platform sent neither satisfies ``some`` nor breaks ``all``."""
    eco = _ecosystem(graph, staff)
    graph.run(
        "MATCH (o:Organisation {id: $rail}) "
        "CREATE (p:PartnerPlatform {id: 'test-pf', name: 'test-feed', mode: 'TEST', version: 1}) "
        "CREATE (v:Vacancy {id: 'hidden-v', title: 'Hidden', status: 'CLOSED', version: 1})"
        "-[:OFFERED_BY]->(o) CREATE (v)-[:SOURCED_FROM {key: 'k', hash: 'h'}]->(p) "
        # What the sync writer marks a record only TEST-mode platforms sent with.
        "SET v:$($unpublished)",
        {"rail": eco["rail"], "unpublished": UNPUBLISHED}, write=True)
    reader = authorised(["graph:read"])

    def names(where: str) -> list[str]:
        body = gql(reader, "{ organisations(first: 20, where: " + where + ") "
                           "{ totalCount nodes { name } } }")
        assert "errors" not in body, body
        found = [n["name"] for n in body["data"]["organisations"]["nodes"]]
        assert body["data"]["organisations"]["totalCount"] == len(found)
        return found

    assert names('{vacancies: {some: {title: {eq: "Welder"}}}}') == ["Rail Works"]
    assert names('{vacancies: {some: {title: {eq: "Hidden"}}}}') == []
    # Every vacancy the public sees is open: the hidden closed one does not break `all`.
    assert names('{vacancies: {all: {status: {eq: OPEN}}}, vacanciesCount: {gte: 1}}') == [
        "Rail Works"]
    assert names('{vacanciesCount: {eq: 1}, partnersCount: {eq: 1}}') == ["Rail Works"]
    assert names('{pilots: {some: {edge: {role: {eq: FUNDER}}}}}') == ["Rail Works"]
    assert names('{pilots: {some: {edge: {role: {eq: LEAD}}, '
                 'node: {title: {contains: "bus"}}}}}') == ["Bus Start-up"]
    assert names('{pilots: {single: {node: {status: {eq: PROOF_OF_CONCEPT}}}}, '
                 'NOT: {name: {eq: "Rail Works"}}}') == ["Bus Start-up"]
    assert names('{OR: [{name: {startsWith: "Rail"}}, {partners: {none: {}}}]}') == [
        "Rail Works"]
    assert names('{AND: [{partners: {some: {node: {name: {eq: "Rail Works"}}}}}, '
                 '{pilotsCount: {gte: 1}}]}') == ["Bus Start-up"]
    # A proposal's single relationship: the organisation that made it.
    body = gql(authorised(["admin"]), """{ pilots(first: 5, where: {proposalWhere:
      {proposerWhere: {name: {eq: "Bus Start-up"}}}}) { totalCount } }""")
    assert "errors" not in body, body
    assert body["data"]["pilots"]["totalCount"] == 1


def test_a_citizen_is_reached_through_no_compiled_read(
        graph: Graph, staff: Actor, authorised: Callable[..., FlaskClient]) -> None:
    """People are in the model only as far as policy allows: a citizen's node is lab staff's
    (and their own); a partner gets a citizen's profile only through citizenProfile, under a
    live consent, which logs the access. An expert, a public face of the lab, is seen."""
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    expert = person(graph, "Eve Expert", {"EXPERT"})
    query = "query N($id: ID!) { node(id: $id) { id ... on Person { name } } }"
    partner = authorised(["graph:read"], organisation(graph, "Bus Start-up"))
    assert gql(partner, query, {"id": citizen.id})["data"]["node"] is None
    assert gql(partner, query, {"id": expert.id})["data"]["node"] == {
        "id": expert.id, "name": "Eve Expert"}
    assert gql(authorised(["admin"]), query, {"id": citizen.id})["data"]["node"] == {
        "id": citizen.id, "name": "Cleo Citizen"}
    assert staff.id
