"""The lab's payloads (moves, pilots, measures, sign-offs, evaluation) answer their records compiled
from the client's selection like any read: a nested selection (a pilot's partners and their
partners, a challenge's proposals and their proposer) is answered as the graph holds it, in one
read statement for the whole payload, in the write's own transaction (counted on the debug log).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import proposals
from civicgraph.partner_graph.service import organisations
from tests.builders import gql
from tests.lab.builders import (
    field,
    open_challenge,
    organisation,
    person,
    submitted_proposals,
    to_evaluation,
)
from tests.lab.test_cross_domain_reads import ADMIN
from tests.lab.test_graphql_lab import signed_in
from tests.lab.test_lab_conventions import transactions
from tests.lab.test_pilots_scenario import selected_proposal

PARTNERS = """partners(first: 10) { totalCount edges { role node { name
  partners(first: 10) { nodes { name } } } } }"""


def _answer(client: FlaskClient, mutation: str, variables: dict[str, Any],
            statements: int) -> dict[str, Any]:
    """The mutation's data, after checking it ran ``statements`` statements in one
    transaction."""
    body = gql(client, mutation, variables)
    assert "errors" not in body, body
    log = body["extensions"]["cypher"]
    assert len(log) == statements, log
    assert len(set(transactions(body))) == 1, log
    data: dict[str, Any] = body["data"]
    return data


def _partners_in_graph(graph: Graph, pilot_id: str) -> list[dict[str, Any]]:
    """The pilot's partners with their roles and own partners, as the graph holds them."""
    rows = graph.run(
        "MATCH (:Pilot {id: $id})-[i:INVOLVES]->(o:Organisation) "
        "RETURN o.name AS name, i.role AS role, "
        "COLLECT { MATCH (o)-[:PARTNERS_WITH]-(p:Organisation) RETURN p.name ORDER BY p.name } "
        "AS partners ORDER BY name", {"id": pilot_id})
    return [{"role": r["role"], "node": {"name": r["name"], "partners": {
        "nodes": [{"name": n} for n in r["partners"]]}}} for r in rows]


def _served(partners: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(partners["edges"], key=lambda e: e["node"]["name"])


def test_pilot_payloads_answer_nested_selections_in_one_read(
        app: Flask, graph: Graph, staff: Actor) -> None:
    proposal_id, org = selected_proposal(graph, staff)
    rail = organisation(graph, "Rail Works", "EMPLOYER")
    council = organisation(graph, "North Council", "AGENCY")
    organisations.link_partners(graph, org, rail, None, principal=ADMIN)
    organisations.link_partners(graph, rail, council, None, principal=ADMIN)
    client = signed_in(app, graph, staff, "graph:read lab:write")

    # startPilot and addOutcomeMeasure: the write, then one read of what the client selected.
    started = _answer(client, """mutation P($p: ID!) { startPilot(input: {proposalId: $p,
      title: "Job bus pilot"}) { pilot { id title status proposal { title
        proposer { name partners { nodes { name } } } } """ + PARTNERS + " } } }",
                      {"p": proposal_id}, statements=2)["startPilot"]["pilot"]
    pilot_id = started["id"]
    assert (started["title"], started["status"]) == ("Job bus pilot", "PROOF_OF_CONCEPT")
    assert started["proposal"] == {"title": "Job bus", "proposer": {
        "name": "Bus Start-up", "partners": {"nodes": [{"name": "Rail Works"}]}}}
    assert _served(started["partners"]) == _partners_in_graph(graph, pilot_id)
    added = _answer(client, """mutation M($p: ID!) { addOutcomeMeasure(input: {pilotId: $p,
      name: "Job starts", unit: "people", target: 50, direction: INCREASE, baseline: 10}) {
        outcomeMeasure { id name baseline pilot { title measures { totalCount } } } } }""",
                    {"p": pilot_id}, statements=2)["addOutcomeMeasure"]["outcomeMeasure"]
    measure_id = added["id"]
    assert added["pilot"] == {"title": "Job bus pilot", "measures": {"totalCount": 1}}

    # involvePartner: the write, then one read of the pilot and its partners' partners.
    involved = _answer(client, """mutation I($p: ID!, $o: ID!) { involvePartner(input: {
      pilotId: $p, organisationId: $o, role: FUNDER}) { pilot { id """ + PARTNERS + " } } }",
                       {"p": pilot_id, "o": rail}, statements=2)["involvePartner"]["pilot"]
    assert involved["partners"]["totalCount"] == 2
    assert _served(involved["partners"]) == _partners_in_graph(graph, pilot_id)
    assert {"role": "FUNDER", "node": {"name": "Rail Works", "partners": {"nodes": [
        {"name": "Bus Start-up"}, {"name": "North Council"}]}}} in involved["partners"]["edges"]

    # signOffStage: the same, and without a record selected there is no read at all.
    sign = """mutation S($p: ID!) { signOffStage(input: {pilotId: $p, stage: PILOT}) { %s } }"""
    signed = _answer(client, sign % ("pilot { signOffs { edges { stage node { name } } } "
                                     + PARTNERS + " }"), {"p": pilot_id},
                     statements=2)["signOffStage"]["pilot"]
    assert signed["signOffs"]["edges"] == [{"stage": "PILOT", "node": {"name": "Stella Staff"}}]
    assert _served(signed["partners"]) == _partners_in_graph(graph, pilot_id)
    _answer(client, sign % "__typename", {"p": pilot_id}, statements=1)

    # moveLabRecord: the facts, the transition, and one read of the moved pilot (the other
    # kinds' fields are null and cost nothing).
    move = """mutation M($id: ID!, $to: LabMoveTarget!, $v: Int!, $r: String) { moveLabRecord(
      input: {kind: PILOT, id: $id, to: $to, version: $v, reason: $r}) { status %s } }"""
    moved = _answer(client, move % ("idea { id } challenge { id } pilot { status version "
                                    "proposal { title challenge { title } } " + PARTNERS
                                    + " }"), {"id": pilot_id, "to": "PILOT", "v": 1},
                    statements=3)["moveLabRecord"]
    assert (moved["status"], moved["idea"], moved["challenge"]) == ("PILOT", None, None)
    pilot = moved["pilot"]
    assert (pilot["status"], pilot["version"]) == ("PILOT", 2)
    assert pilot["proposal"] == {"title": "Job bus",
                                 "challenge": {"title": "Reach rural job seekers"}}
    assert _served(pilot["partners"]) == _partners_in_graph(graph, pilot_id)

    # recordMeasurement: the measure and its pilot, both nested, in one read.
    recorded = _answer(client, """mutation R($m: ID!) { recordMeasurement(input: {measureId: $m,
      value: 30, measuredAt: "2027-01-01T00:00:00Z"}) {
        outcomeMeasure { name baseline measurements { totalCount nodes { value } }
          pilot { title } }
        pilot { status measures { nodes { name } } partners { totalCount } } } }""",
                       {"m": measure_id}, statements=2)["recordMeasurement"]
    assert recorded["outcomeMeasure"] == {
        "name": "Job starts", "baseline": 10.0, "pilot": {"title": "Job bus pilot"},
        "measurements": {"totalCount": 1, "nodes": [{"value": 30.0}]}}
    assert recorded["pilot"] == {"status": "PILOT", "measures": {"nodes": [{"name": "Job starts"}]},
                                 "partners": {"totalCount": 2}}
    stored = graph.run("MATCH (x:Measurement)-[:OF]->(:OutcomeMeasure {id: $m}) "
                       "RETURN x.value AS v", {"m": measure_id})
    assert [r["v"] for r in stored] == [30.0]

    # A move selecting no record reads nothing after its two statements.
    stopped = _answer(client, move % "version", {"id": pilot_id, "to": "STOPPED", "v": 2,
                                                 "r": "funding ended"}, statements=2)
    assert stopped["moveLabRecord"] == {"status": "STOPPED", "version": 3}

    # setOperatingModel: the versioned write, then one read.
    modelled = _answer(client, """mutation O($p: ID!) { setOperatingModel(input: {pilotId: $p,
      version: 3, model: {involved: [CITIZENS, EMPLOYERS], relationship: PARTNERSHIP,
        ownership: PUBLIC, fundingMethod: TAXES, powerSits: SHARED, publicRole: CONVENER}}) {
        pilot { version involved fundingMethod """ + PARTNERS + " } } }",
                       {"p": pilot_id}, statements=2)["setOperatingModel"]["pilot"]
    assert (modelled["version"], modelled["involved"], modelled["fundingMethod"]) == (
        4, ["CITIZENS", "EMPLOYERS"], "TAXES")
    assert _served(modelled["partners"]) == _partners_in_graph(graph, pilot_id)


def test_a_moved_challenge_answers_its_proposals_and_their_proposer(
        app: Flask, graph: Graph, staff: Actor) -> None:
    proposal_id, org = selected_proposal(graph, staff)
    rail = organisation(graph, "Rail Works", "EMPLOYER")
    organisations.link_partners(graph, org, rail, None, principal=ADMIN)
    challenge_id = proposals.get(graph, proposal_id)["challengeId"]
    client = signed_in(app, graph, staff, "graph:read lab:write")
    version = graph.run("MATCH (c:Challenge {id: $id}) RETURN c.version AS v",
                        {"id": challenge_id})[0]["v"]
    moved = _answer(client, """mutation M($id: ID!, $v: Int!) { moveLabRecord(input: {
      kind: CHALLENGE, id: $id, to: DECIDED, version: $v, reason: "all decided"}) {
        pilot { id }
        challenge { status proposals(first: 5) { totalCount nodes { title status
          proposer { name partners { nodes { name } } } } } } } }""",
                    {"id": challenge_id, "v": version}, statements=3)["moveLabRecord"]
    assert moved["pilot"] is None
    in_graph = graph.run(
        "MATCH (c:Challenge {id: $id})<-[:RESPONDS_TO]-(p:Proposal)-[:SUBMITTED_BY]->"
        "(o:Organisation) RETURN c.status AS status, p.title AS title, p.status AS pstatus, "
        "o.name AS proposer, COLLECT { MATCH (o)-[:PARTNERS_WITH]-(x:Organisation) "
        "RETURN x.name } AS partners", {"id": challenge_id})
    assert [r["status"] for r in in_graph] == ["DECIDED"]
    assert moved["challenge"] == {"status": "DECIDED", "proposals": {"totalCount": 1, "nodes": [
        {"title": r["title"], "status": r["pstatus"], "proposer": {
            "name": r["proposer"], "partners": {"nodes": [{"name": n} for n in r["partners"]]}}}
        for r in in_graph]}}
    assert moved["challenge"]["proposals"]["nodes"][0]["proposer"] == {
        "name": "Bus Start-up", "partners": {"nodes": [{"name": "Rail Works"}]}}


def test_evaluation_payloads_answer_nested_selections_in_one_read(
        app: Flask, graph: Graph, staff: Actor) -> None:
    """assignExperts, scoreProposal and declareConflict answer their challenge or proposal (and
    the panel's experts) from the client's selection: one read beside the write's statements."""
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    impact, feasibility = (k["id"] for k in challenge["criteria"])
    alpha, beta = organisation(graph, "Alpha"), organisation(graph, "Beta")
    judge = person(graph, "Ann Judge", {"EXPERT"}, None, ("employment",))
    insider = person(graph, "Ida Insider", {"EXPERT"}, alpha, ("employment",))
    ids = submitted_proposals(graph, challenge["id"], {"A": alpha, "B": beta})
    to_evaluation(graph, challenge["id"])
    lab = signed_in(app, graph, staff, "graph:read lab:write")

    assign = "mutation A($c: ID!) { assignExperts(input: {challengeId: $c}) { %s } }"
    bare = gql(lab, assign % "judges { fields }", {"c": challenge["id"]})
    assert "errors" not in bare, bare
    writes = len(bare["extensions"]["cypher"])
    panel = _answer(lab, assign % """challenge { title status proposals(first: 5) {
        totalCount nodes { title proposer { name } } } }
      judges { expert { name } fields }
      exclusions { proposal { title proposer { name } } excluded { expert { name } code } }""",
                    {"c": challenge["id"]}, statements=writes + 1)["assignExperts"]
    assert panel["challenge"] == {"title": "Reach rural job seekers", "status": "EVALUATION",
                                  "proposals": {"totalCount": 2, "nodes": [
                                      {"title": "A", "proposer": {"name": "Alpha"}},
                                      {"title": "B", "proposer": {"name": "Beta"}}]}}
    assert sorted(j["expert"]["name"] for j in panel["judges"]) == ["Ann Judge", "Ida Insider"]
    excluded = {e["proposal"]["title"]: e for e in panel["exclusions"]}
    assert excluded["A"]["proposal"]["proposer"] == {"name": "Alpha"}
    assert excluded["A"]["excluded"] == [{"expert": {"name": "Ida Insider"},
                                          "code": "MEMBER_OF_PROPOSER"}]

    scored = _answer(signed_in(app, graph, judge, "graph:read lab:write"), """
      mutation S($p: ID!, $s: [ScoreInput!]!) { scoreProposal(input: {proposalId: $p,
        scores: $s}) { saved proposal { title proposer { name }
          challenge { title criteria { nodes { name } } } } } }""",
                     {"p": ids["B"], "s": [{"criterionId": impact, "score": 8},
                                           {"criterionId": feasibility, "score": 6}]},
                     statements=3)["scoreProposal"]  # the scoring context, the save, the read
    assert scored == {"saved": 2, "proposal": {"title": "B", "proposer": {"name": "Beta"},
                                               "challenge": {"title": "Reach rural job seekers",
                                                             "criteria": {"nodes": [
                                                                 {"name": "impact"},
                                                                 {"name": "feasibility"}]}}}}
    stored = graph.run("MATCH (:Person {id: $j})<-[:BY]-(:Evaluation)-[r:SCORED]->(k:Criterion) "
                       "RETURN k.name AS name, r.score AS score ORDER BY name", {"j": judge.id})
    assert [(r["name"], r["score"]) for r in stored] == [("feasibility", 6.0), ("impact", 8.0)]

    stepped = gql(signed_in(app, graph, insider, "graph:read lab:write"), """
      mutation D($p: ID!) { declareConflict(input: {proposalId: $p, reason: "I advise Beta"}) {
        reason proposal { title proposer { name } } } }""", {"p": ids["B"]})
    assert "errors" not in stepped, stepped
    assert stepped["data"]["declareConflict"] == {
        "reason": "The expert declared a conflict of interest: I advise Beta",
        "proposal": {"title": "B", "proposer": {"name": "Beta"}}}
    assert len(set(transactions(stepped))) == 1, stepped["extensions"]["cypher"]
