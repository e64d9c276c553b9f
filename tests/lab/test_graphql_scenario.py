"""The whole lab, idea to mainstreamed pilot, through the public GraphQL API with real tokens:
people sign in through the browser flow (authorization code + PKCE), the proposing start-up acts
through its own client (client credentials), and the deadline passes on a real worker."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.cli.devstack import Service
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.queue import create_celery
from civicgraph.lab import tasks as lab_tasks
from tests.builders import client_with_token, gql
from tests.lab.builders import AFTER_DEADLINE, FUTURE, field, organisation, person
from tests.lab.test_graphql_lab import signed_in

pytestmark = pytest.mark.worker

MOVE = """mutation M($kind: LabRecordKind!, $id: ID!, $to: LabMoveTarget!, $version: Int!,
  $reason: String) { moveLabRecord(input: {kind: $kind, id: $id, to: $to,
  version: $version, reason: $reason}) { status version } }"""


def ok(client: FlaskClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


def refused(client: FlaskClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = gql(client, query, variables, status=None)
    assert body.get("errors"), body
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    return extensions


def move(client: FlaskClient, kind: str, record_id: str, to: str, version: int,
         reason: str | None = None) -> dict[str, Any]:
    moved: dict[str, Any] = ok(client, MOVE, {"kind": kind, "id": record_id, "to": to,
                                             "version": version, "reason": reason})
    record: dict[str, Any] = moved["moveLabRecord"]
    return record


def test_idea_to_mainstreamed_pilot_through_graphql(
    app: Flask, graph: Graph, client: FlaskClient, worker: Service
) -> None:
    field(graph, "employment")
    start_up = organisation(graph, "Bus Start-up")
    council = organisation(graph, "County Council", "AGENCY")
    staff = signed_in(app, graph, person(graph, "Stella Staff", {"LAB_STAFF"}),
                      "graph:read lab:write")
    expert = signed_in(app, graph, person(graph, "Jo Judge", {"EXPERT"}, None, ("employment",)),
                       "graph:read lab:write")
    citizen = signed_in(app, graph, person(graph, "Cleo Citizen", {"CITIZEN"}), "graph:read")
    founder = client_with_token(app, graph, ["graph:read", "lab:write"], start_up)

    # An idea from outside the agency, reviewed and accepted into a challenge.
    idea = ok(citizen, """mutation { submitIdea(input: {title: "A job club on a bus",
      description: "Bring advisers to rural villages"}) { idea { id origin version } } }"""
              )["submitIdea"]["idea"]
    assert idea["origin"] == "EXTERNAL"
    move(staff, "IDEA", idea["id"], "IN_REVIEW", 1)
    accepted = ok(staff, """mutation A($id: ID!) { acceptIdea(input: {id: $id,
      version: 2, into: CHALLENGE, reason: "worth a challenge"}) {
      status newChallenge { id } } }""",
                  {"id": idea["id"]})["acceptIdea"]
    challenge_id = accepted["newChallenge"]["id"]

    # The challenge cannot open before it has a field, a rubric and a deadline.
    unmet = refused(staff, MOVE, {"kind": "CHALLENGE", "id": challenge_id, "to": "OPEN",
                                  "version": 1})
    assert unmet["code"] == "BAD_USER_INPUT"
    assert unmet["unmetConditions"] == ["has_field", "has_rubric", "deadline_in_future"]
    challenge = ok(staff, """mutation U($id: ID!, $c: [CriterionInput!], $d: DateTime) {
      updateChallenge(input: {id: $id, version: 1, deadline: $d, fields: ["employment"],
      criteria: $c}) { challenge { version criteria { nodes { id name } } } } }""", {
        "id": challenge_id, "d": FUTURE,
        "c": [{"name": "impact", "weight": 2}, {"name": "cost", "weight": 1}]}
    )["updateChallenge"]["challenge"]
    move(staff, "CHALLENGE", challenge_id, "OPEN", challenge["version"])
    public = ok(client, "query C($id: ID!) { challenge(id: $id) { status } }",
                {"id": challenge_id})
    assert public["challenge"]["status"] == "OPEN"  # the public sees open challenges

    # The start-up proposes through its own client; the deadline passes on the worker.
    proposal = ok(founder, """mutation P($c: ID!) { createProposal(input: {challengeId: $c,
      title: "Job bus", summary: "A bus with advisers"}) { proposal { id version } } }""",
                  {"c": challenge_id})["createProposal"]["proposal"]
    move(founder, "PROPOSAL", proposal["id"], "SUBMITTED", 1)
    celery = create_celery(load_settings())
    closed = celery.send_task(lab_tasks.CLOSE_DUE_CHALLENGES,
                              kwargs={"now": AFTER_DEADLINE}).get(timeout=60)
    assert [m["id"] for m in closed["moved"]] == [challenge_id]

    # Experts by field score; staff shortlist, select, decide and close.
    panel = ok(staff, "mutation E($c: ID!) { assignExperts(input: {challengeId: $c}) "
                      "{ judges { expert { name } fields } } }", {"c": challenge_id})
    assert [(j["expert"]["name"], j["fields"]) for j in panel["assignExperts"]["judges"]] == [
        ("Jo Judge", ["employment"])]
    scores = [{"criterionId": k["id"], "score": 8} for k in challenge["criteria"]["nodes"]]
    ok(expert, """mutation S($p: ID!, $s: [ScoreInput!]!) { scoreProposal(input: {proposalId: $p,
      scores: $s}) { saved } }""", {"p": proposal["id"], "s": scores})
    results = ok(staff, """query R($c: ID!) { evaluationResults(challengeId: $c) {
      challenge { title fromIdea { origin } criteria { nodes { name weight } } }
      proposals { rawWeightedMean rank proposal { title challenge { id } }
        judges { expert { name } } } missingScores { __typename } } }""",
                 {"c": challenge_id})["evaluationResults"]
    assert results["proposals"][0]["rawWeightedMean"] == 8.0
    # The records the results name are the records themselves, to traverse on from.
    assert results["challenge"] == {
        "title": "A job club on a bus", "fromIdea": {"origin": "EXTERNAL"},
        "criteria": {"nodes": [{"name": "impact", "weight": 2.0}, {"name": "cost", "weight": 1.0}]}}
    assert results["proposals"][0]["proposal"] == {"title": "Job bus",
                                                   "challenge": {"id": challenge_id}}
    assert results["proposals"][0]["judges"] == [{"expert": {"name": "Jo Judge"}}]
    assert results["missingScores"] == []
    move(staff, "PROPOSAL", proposal["id"], "SHORTLISTED", 2, "scored 8")
    move(staff, "PROPOSAL", proposal["id"], "SELECTED", 3, "the strongest")
    current = ok(staff, "query C($id: ID!) { challenge(id: $id) { version } }",
                 {"id": challenge_id})["challenge"]["version"]
    decided = move(staff, "CHALLENGE", challenge_id, "DECIDED", current, "selected one")
    move(staff, "CHALLENGE", challenge_id, "CLOSED", decided["version"])

    # The pilot: partners, measures, gates that refuse, then pass, to mainstream.
    pilot = ok(staff, """mutation S($p: ID!) { startPilot(input: {proposalId: $p,
      title: "Job bus pilot"}) { pilot { id version } } }""",
               {"p": proposal["id"]})["startPilot"]["pilot"]
    ok(staff, """mutation I($p: ID!, $o: ID!) { involvePartner(input: {pilotId: $p,
      organisationId: $o, role: FUNDER}) { pilot { id } } }""", {"p": pilot["id"], "o": council})
    measure = ok(staff, """mutation M($p: ID!) { addOutcomeMeasure(input: {pilotId: $p,
      name: "Job starts", unit: "people", baseline: 4, target: 20, direction: INCREASE})
      { outcomeMeasure { id } } }""", {"p": pilot["id"]})["addOutcomeMeasure"]["outcomeMeasure"]
    gate = refused(staff, MOVE, {"kind": "PILOT", "id": pilot["id"], "to": "PILOT",
                                 "version": pilot["version"]})
    assert gate["unmetConditions"] == ["sponsor_signed_off"]
    version = pilot["version"]
    model = {"involved": ["CITIZENS", "START_UPS", "PUBLIC_AGENCIES"],
             "relationship": "NETWORK", "ownership": "SOCIAL_ENTERPRISE",
             "fundingMethod": "MATCHED_CROWDFUNDING", "powerSits": "COMMUNITIES",
             "publicRole": "ENABLER"}
    for stage in ("PILOT", "SCALING", "MAINSTREAMED"):
        ok(staff, "mutation O($p: ID!, $s: PilotStage!) { signOffStage(input: {pilotId: $p, "
                  "stage: $s}) { pilot { id } } }", {"p": pilot["id"], "s": stage})
        ok(founder, "mutation R($m: ID!) { recordMeasurement(input: {measureId: $m, "
                    "value: 25}) { outcomeMeasure { id } } }", {"m": measure["id"]})
        if stage == "MAINSTREAMED":
            incomplete = refused(staff, MOVE, {"kind": "PILOT", "id": pilot["id"],
                                               "to": stage, "version": version})
            assert "operating_model_complete" in incomplete["unmetConditions"]
            version = ok(staff, """mutation OM($p: ID!, $v: Int!, $m: OperatingModelInput!) {
              setOperatingModel(input: {pilotId: $p, version: $v, model: $m})
              { pilot { version } } }""",
                         {"p": pilot["id"], "v": version, "m": model}
                         )["setOperatingModel"]["pilot"]["version"]
        version = move(staff, "PILOT", pilot["id"], stage, version)["version"]

    # The public follows the result and its history without signing in.
    seen = ok(client, """query P($id: ID!) { pilot(id: $id) { status fundingMethod
      partners { edges { role } } proposal { title } }
      labHistory(kind: PILOT, id: $id) { nodes { toStatus } } }""",
              {"id": pilot["id"]})
    # The proposal piloted is the proposer's and the lab's: the public sees the pilot only.
    assert seen["pilot"]["proposal"] is None
    mine = ok(staff, "query P($id: ID!) { pilot(id: $id) { proposal { title } sponsor { id } } }",
              {"id": pilot["id"]})["pilot"]
    assert mine["proposal"] == {"title": "Job bus"} and mine["sponsor"] is not None
    assert seen["pilot"]["status"] == "MAINSTREAMED"
    assert seen["pilot"]["fundingMethod"] == "MATCHED_CROWDFUNDING"
    assert {p["role"] for p in seen["pilot"]["partners"]["edges"]} == {"LEAD", "FUNDER"}
    assert [e["toStatus"] for e in seen["labHistory"]["nodes"]] == [
        "PROOF_OF_CONCEPT", "PILOT", "SCALING", "MAINSTREAMED"]
    figures = ok(client, "{ labFigures { externalShare conversion { ideas pilots } } }")
    assert figures["labFigures"]["externalShare"] == 1.0
