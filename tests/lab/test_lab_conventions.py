"""The lab keeps the API conventions through GraphQL: its closed sets are enums in and out (read,
filtered and written as the one enum its service's table builds), and creating a challenge or a
session is one transaction."""

from __future__ import annotations

from typing import Any

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import pilots
from civicgraph.lab.service.lifecycles import LIFECYCLES
from tests.builders import gql
from tests.lab.builders import FUTURE, RUBRIC, open_challenge, person
from tests.lab.builders import field as make_field
from tests.lab.test_graphql_lab import signed_in

CHALLENGE = """mutation C($input: CreateChallengeInput!) {
  createChallenge(input: $input) { challenge { id title status } } }"""
SESSION = """mutation S($input: CreateLabSessionInput!) {
  createLabSession(input: $input) { labSession { id kind experts { nodes { name } } } } }"""


def transactions(body: dict[str, Any]) -> list[Any]:
    """The transaction number of each statement the request ran (the debug log)."""
    return [entry["transaction"] for entry in body["extensions"]["cypher"]]


def test_creating_a_challenge_is_one_transaction(app: Flask, graph: Graph, staff: Actor) -> None:
    make_field(graph, "employment")
    client = signed_in(app, graph, staff, "graph:read lab:write")
    body = gql(client, CHALLENGE, {"input": {
        "title": "Reach rural job seekers", "description": "Advisers far from towns",
        "fields": ["employment"], "criteria": RUBRIC, "deadline": FUTURE}})
    challenge = body["data"]["createChallenge"]["challenge"]
    assert challenge["status"] == "DRAFT"
    numbers = transactions(body)
    assert len(numbers) >= 2 and None not in numbers, body["extensions"]["cypher"]
    assert len(set(numbers)) == 1, body["extensions"]["cypher"]
    unknown = gql(client, CHALLENGE, {"input": {
        "title": "Unknown field", "description": "x", "fields": ["no-such-field"]}}, status=None)
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    listed = gql(client, '{ challenges(where: {title: {eq: "Unknown field"}}) { totalCount } }')
    assert listed["data"]["challenges"]["totalCount"] == 0


def test_creating_a_session_is_one_transaction(app: Flask, graph: Graph, staff: Actor) -> None:
    make_field(graph, "employment")
    expert = person(graph, "Erin Expert", {"EXPERT"})
    client = signed_in(app, graph, staff, "graph:read lab:write")
    session = {"title": "Data clinic", "kind": "HACKATHON", "fields": ["employment"],
               "expertIds": [expert.id],
               "startsAt": "2030-01-01T10:00:00Z", "endsAt": "2030-01-01T12:00:00Z"}
    body = gql(client, SESSION, {"input": session})
    created = body["data"]["createLabSession"]["labSession"]
    assert created["kind"] == "HACKATHON"
    assert created["experts"]["nodes"] == [{"name": "Erin Expert"}]
    numbers = transactions(body)
    assert len(numbers) >= 3 and None not in numbers, body["extensions"]["cypher"]
    assert len(set(numbers)) == 1, body["extensions"]["cypher"]
    refused = gql(client, SESSION, {"input": {**session, "expertIds": [staff.id]}}, status=None)
    extensions = refused["errors"][0]["extensions"]
    assert (extensions["code"], extensions["field"]) == ("BAD_USER_INPUT", "expertIds")


def test_statuses_are_enums_read_and_filtered(app: Flask, graph: Graph, staff: Actor) -> None:
    """A challenge's status is read as ChallengeStatus and filtered by its values; a string
    where the enum is due, or a status no lifecycle has, is refused before anything runs."""
    make_field(graph, "employment")
    opened = open_challenge(graph, staff)
    client = signed_in(app, graph, staff, "graph:read lab:write")
    query = """query Q($status: ChallengeStatus!) { challenges(where: {status: {eq: $status}}) {
      nodes { id status } } }"""
    found = gql(client, query, {"status": "OPEN"})["data"]["challenges"]["nodes"]
    assert {"id": opened["id"], "status": "OPEN"} in found
    drafts = gql(client, query, {"status": "DRAFT"})["data"]["challenges"]["nodes"]
    assert all(c["status"] == "DRAFT" for c in drafts) and opened["id"] not in {
        c["id"] for c in drafts}
    for bad in ('{ challenges(where: {status: {eq: "OPEN"}}) { totalCount } }',
                "{ challenges(where: {status: {eq: OPENED}}) { totalCount } }",
                '{ challenges(where: {status: {contains: "OP"}}) { totalCount } }'):
        refused = gql(client, bad, status=None)
        assert refused["errors"][0]["extensions"]["code"] in (
            "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"), bad
        assert "data" not in refused or refused["data"] is None, bad


def enum_of(client: Any, type_name: str, field: str, inputs: bool = False) -> str:
    body = gql(client, """query T($name: String!) { __type(name: $name) {
      fields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } }
      inputFields { name type { name kind ofType { name kind ofType { name kind ofType {
        name } } } } } } }""", {"name": type_name})
    found = body["data"]["__type"]["inputFields" if inputs else "fields"]
    ref = next(f["type"] for f in found if f["name"] == field)
    while ref.get("ofType"):
        ref = ref["ofType"]
    return str(ref["name"])


def test_one_enum_per_set_in_and_out(app: Flask, graph: Graph, staff: Actor) -> None:
    """What a pilot's operating model is written as is what it is read as, in the pilot, its
    filter and the figures; each value is described by the service's table."""
    client = signed_in(app, graph, staff, "graph:read lab:write")
    for read, write, enum in (
            (("Pilot", "fundingMethod"), ("OperatingModelInput", "fundingMethod"),
             "FundingMethod"),
            (("Pilot", "involved"), ("OperatingModelInput", "involved"), "InvolvedParty"),
            (("PilotsByModel", "publicRole"), ("OperatingModelInput", "publicRole"),
             "PublicSectorRole"),
            (("OutcomeMeasure", "direction"), ("AddOutcomeMeasureInput", "direction"),
             "MeasureDirection"),
            (("PilotPartnersEdge", "role"), ("InvolvePartnerInput", "role"), "PilotPartnerRole"),
            (("OrganisationPilotsEdge", "role"), ("InvolvePartnerInput", "role"),
             "PilotPartnerRole"),
            (("PilotSignOffsEdge", "stage"), ("SignOffStageInput", "stage"), "PilotStage"),
            (("LabSession", "kind"), ("CreateLabSessionInput", "kind"), "LabSessionKind"),
            (("Pilot", "status"), ("PilotWhere", "status"), "PilotStatus"),
            (("StageGate", "stage"), ("Query", "stageGate"), "PilotStage")):
        assert enum_of(client, *read) == enum, read
        if write[0] != "Query":
            assert enum_of(client, *write, inputs=True) in (enum, f"{enum}Filter"), write
    values = gql(client, """{ __type(name: "FundingMethod") { description
      enumValues { name description } } }""")["data"]["__type"]
    assert values["description"]
    assert {v["name"]: v["description"] for v in values["enumValues"]} == pilots.FUNDING
    statuses = gql(client, """{ __type(name: "ProposalStatus") {
      enumValues { name description } } }""")["data"]["__type"]["enumValues"]
    assert {v["name"]: v["description"] for v in statuses} == dict(
        LIFECYCLES["PROPOSAL"].statuses)


def test_lab_figures_are_bounded_by_instants(app: Flask, graph: Graph, staff: Actor) -> None:
    """``since``/``until`` are DateTime: an instant with its zone bounds the count, text that is
    not one is refused as bad input before anything runs."""
    client = signed_in(app, graph, staff, "graph:read lab:write")
    ok = gql(client, """mutation { submitIdea(input: {title: "Figures idea",
      description: "Counted between the bounds"}) { idea { id } } }""")
    assert "errors" not in ok
    query = "query F($s: DateTime, $u: DateTime) { labFigures(since: $s, until: $u) { ideasIn } }"
    counted = gql(client, query, {"s": "2000-01-01T00:00:00Z", "u": "2999-01-01T00:00:00+02:00"})
    assert counted["data"]["labFigures"]["ideasIn"] >= 1
    none = gql(client, query, {"s": "2999-01-01T00:00:00Z"})
    assert none["data"]["labFigures"]["ideasIn"] == 0
    refused = gql(client, query, {"s": "last spring"}, status=None)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_move_names_its_target_as_an_enum(app: Flask, graph: Graph, staff: Actor) -> None:
    """``moveLabRecord``'s ``to`` is the enum of every status a lifecycle moves a record to,
    each value described; one the record's kind never enters is BAD_USER_INPUT naming the
    kind's targets, and stores nothing; text where the enum is due is refused before anything
    runs."""
    make_field(graph, "employment")
    opened = open_challenge(graph, staff)
    client = signed_in(app, graph, staff, "graph:read lab:write")
    assert enum_of(client, "MoveLabRecordInput", "to", inputs=True) == "LabMoveTarget"
    values = gql(client, """{ __type(name: "LabMoveTarget") { description
      enumValues { name description } } }""")["data"]["__type"]
    assert values["description"]
    targets = {s for lc in LIFECYCLES.values() for t in lc.transitions for s in [t.target]}
    assert {v["name"] for v in values["enumValues"]} == targets
    assert all(v["description"] for v in values["enumValues"])
    described = {v["name"]: v["description"] for v in values["enumValues"]}
    assert "Challenge: " + LIFECYCLES["CHALLENGE"].statuses["CANCELLED"] in described["CANCELLED"]

    move = """mutation M($id: ID!, $to: LabMoveTarget!) { moveLabRecord(input: {kind: CHALLENGE,
      id: $id, to: $to, version: 2, reason: "why"}) { status version } }"""
    read = """query C($id: ID!) { challenge(id: $id) { status version history { totalCount } } }"""
    before = gql(client, read, {"id": opened["id"]})["data"]["challenge"]
    assert (before["status"], before["version"]) == ("OPEN", 2)
    for to in ("PILOT", "SUBMITTED", "IN_REVIEW"):  # other kinds' targets
        refused = gql(client, move, {"id": opened["id"], "to": to}, status=None)
        extensions = refused["errors"][0]["extensions"]
        assert extensions["code"] == "BAD_USER_INPUT", refused
        assert extensions["field"] == "to"
        assert extensions["allowedValues"] == list(LIFECYCLES["CHALLENGE"].targets)
        assert refused["data"] is None
    assert gql(client, read, {"id": opened["id"]})["data"]["challenge"] == before
    text = gql(client, """mutation M($id: ID!) { moveLabRecord(input: {kind: CHALLENGE, id: $id,
      to: "CANCELLED", version: 2, reason: "why"}) { status } }""", {"id": opened["id"]},
               status=None)
    assert text["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", text
    assert text["extensions"]["cypher"] == []  # refused by validation: nothing ran
    assert gql(client, read, {"id": opened["id"]})["data"]["challenge"] == before
    cancelled = gql(client, move, {"id": opened["id"], "to": "CANCELLED"})
    assert cancelled["data"]["moveLabRecord"] == {"status": "CANCELLED", "version": 3}
