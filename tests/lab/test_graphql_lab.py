"""The lab through GraphQL: public reads over HTTP without a token, mutations refused without
one, and moves made with real access tokens from the browser sign-in (authorization code + PKCE)
of people whose roles the lifecycle tables check."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges, ideas, pilots, sessions
from tests.builders import bearer, create_public_client, gql, login_with_pkce
from tests.lab.builders import FUTURE, RUBRIC, open_challenge, person
from tests.lab.builders import field as make_field

PASSWORD = "a long lab password"
_HASH = PasswordHasher().hash(PASSWORD)


def signed_in(app: Flask, graph: Graph, actor: Actor, scope: str) -> FlaskClient:
    """Give the person a password, sign in through the real login page, use the token."""
    email = f"{actor.id}@lab.example"
    graph.run("MATCH (p:Person {id: $id}) SET p.email = $email, p.passwordHash = $hash",
              {"id": actor.id, "email": email, "hash": _HASH}, write=True)
    console = create_public_client(graph, ["graph:read", "lab:write"])
    token = login_with_pkce(app, console, email, PASSWORD, scope)["access_token"]
    return bearer(app, token)


def as_principal(app: Flask, graph: Graph, actor: Actor, query: str,
                 variables: dict[str, Any], scope: str = "graph:read lab:write") -> dict[str, Any]:
    return gql(signed_in(app, graph, actor, scope), query, variables, status=None)


MOVE = """mutation Move($kind: LabRecordKind!, $id: ID!, $to: LabMoveTarget!, $version: Int!,
  $reason: String) { moveLabRecord(input: {kind: $kind, id: $id, to: $to,
  version: $version, reason: $reason}) {
  status version event { fromStatus toStatus actor } queuedWebhooks } }"""


def test_public_reads_need_no_principal(client: FlaskClient, graph: Graph, staff: Actor) -> None:
    make_field(graph, "employment")
    challenge = open_challenge(graph, staff)
    draft = challenges.create(graph, staff, title="Secret draft", description="d")
    citizen = person(graph, "Cleo", {"CITIZEN"})
    ideas.submit(graph, citizen, title="Idea", description="from outside")
    sessions.create(graph, staff, title="Open lab", kind="SESSION",
                    starts_at="2099-01-01T09:00:00Z", ends_at="2099-01-01T10:00:00Z",
                    field_codes=["employment"])
    body = gql(client, """{ challenges { totalCount nodes { id title status
        fields { nodes { code } } criteria { nodes { name weight } } } }
      labFigures { ideasIn externalShare conversion { ideas pilots } }
      labSessions(where: {field: "employment"}) { nodes { title kind
        fields { nodes { code } } participantCount } } }""")
    assert "errors" not in body, body
    data = body["data"]
    assert data["challenges"]["totalCount"] == 1  # the draft is staff's
    listed = data["challenges"]["nodes"]
    assert [c["id"] for c in listed] == [challenge["id"]]
    assert listed[0]["criteria"]["nodes"] == [{"name": "impact", "weight": 3.0},
                                             {"name": "feasibility", "weight": 1.0}]
    assert data["labFigures"] == {"ideasIn": 1, "externalShare": 1.0,
                                  "conversion": {"ideas": 1, "pilots": 0}}
    assert data["labSessions"]["nodes"] == [{"title": "Open lab", "kind": "SESSION",
                                             "fields": {"nodes": [{"code": "employment"}]},
                                             "participantCount": 0}]
    history = gql(client, "query H($id: ID!) { labHistory(kind: CHALLENGE, id: $id) "
                          "{ totalCount nodes { fromStatus toStatus actor } } }",
                  {"id": challenge["id"]})["data"]["labHistory"]
    assert [e["toStatus"] for e in history["nodes"]] == ["DRAFT", "OPEN"]
    assert history["totalCount"] == 2
    # Paged like any connection, and a draft's history is as hidden as the draft.
    page = gql(client, "query H($id: ID!) { labHistory(kind: CHALLENGE, id: $id, first: 1) "
                       "{ nodes { toStatus } pageInfo { hasNextPage endCursor } } }",
               {"id": challenge["id"]})["data"]["labHistory"]
    assert page["nodes"] == [{"toStatus": "DRAFT"}] and page["pageInfo"]["hasNextPage"]
    rest = gql(client, "query H($id: ID!, $after: String) { labHistory(kind: CHALLENGE, "
                       "id: $id, after: $after) { nodes { toStatus } } }",
               {"id": challenge["id"], "after": page["pageInfo"]["endCursor"]})
    assert rest["data"]["labHistory"]["nodes"] == [{"toStatus": "OPEN"}]
    draft_history = gql(client, "query H($id: ID!) { labHistory(kind: CHALLENGE, id: $id) "
                                "{ totalCount } }", {"id": draft["id"]}, status=None)
    assert draft_history["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    moves = gql(client, "query M($id: ID!) { allowedMoves(kind: CHALLENGE, id: $id) }",
                {"id": challenge["id"]})
    assert moves["data"]["allowedMoves"] == []  # anonymous readers move nothing
    hidden = gql(client, "query C($id: ID!) { challenge(id: $id) { id } }", {"id": draft["id"]})
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    staff_only = gql(client, "{ ideas { totalCount } }", status=401)
    assert staff_only["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_mutations_without_a_principal_are_unauthenticated(client: FlaskClient) -> None:
    body = gql(client,
               'mutation { submitIdea(input: {title: "t", description: "d"}) { idea { id } } }',
               status=401)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["data"] is None


def test_moves_through_graphql_with_a_principal(app: Flask, graph: Graph, staff: Actor) -> None:
    make_field(graph, "employment")
    citizen = person(graph, "Cleo", {"CITIZEN"})
    submitted = as_principal(app, graph, citizen, """mutation {
      submitIdea(input: {title: "Bus job club",
      description: "advisers on a bus"}) { idea { id origin status version } } }""", {})
    idea = submitted["data"]["submitIdea"]["idea"]
    assert (idea["origin"], idea["status"]) == ("EXTERNAL", "SUBMITTED")
    refused = as_principal(app, graph, citizen, MOVE, {"kind": "IDEA", "id": idea["id"],
                                                "to": "IN_REVIEW", "version": 1})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    no_scope = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"],
                                               "to": "IN_REVIEW", "version": 1}, scope="graph:read")
    assert no_scope["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    moved = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"],
                                            "to": "IN_REVIEW", "version": 1})
    assert moved["data"]["moveLabRecord"]["event"] == {
        "fromStatus": "SUBMITTED", "toStatus": "IN_REVIEW", "actor": staff.id}
    allowed = as_principal(app, graph, staff,
                           "query M($id: ID!) { allowedMoves(kind: IDEA, id: $id) }",
                           {"id": idea["id"]})
    assert allowed["data"]["allowedMoves"] == ["ACCEPTED", "DECLINED", "MERGED"]
    stale = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"],
                                            "to": "DECLINED", "version": 1, "reason": "x"})
    assert stale["errors"][0]["extensions"]["code"] == "CONFLICT"
    illegal = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"],
                                              "to": "IN_REVIEW", "version": 2})
    assert illegal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert illegal["errors"][0]["extensions"]["allowedMoves"] == [
        "ACCEPTED", "DECLINED", "MERGED"]
    # A status no idea is ever moved to (SUBMITTED is a proposal's target) names the idea's.
    never = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"],
                                            "to": "SUBMITTED", "version": 2})
    assert never["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert never["errors"][0]["extensions"]["allowedValues"] == [
        "IN_REVIEW", "ACCEPTED", "DECLINED", "MERGED"]
    via = as_principal(app, graph, staff, MOVE, {"kind": "IDEA", "id": idea["id"], "to": "ACCEPTED",
                                          "version": 2, "reason": "ok"})
    assert "acceptIdea" in via["errors"][0]["message"]
    accepted = as_principal(app, graph, staff, """mutation A($id: ID!) { acceptIdea(input: {id: $id,
      version: 2, into: CHALLENGE, reason: "good"}) { status newChallenge { id } } }""",
                            {"id": idea["id"]})
    challenge_id = accepted["data"]["acceptIdea"]["newChallenge"]["id"]
    completed = as_principal(app, graph, staff, """mutation U($id: ID!, $c: [CriterionInput!]) {
      updateChallenge(input: {id: $id, version: 1, deadline: "2099-01-01T00:00:00Z",
      fields: ["employment"], criteria: $c}) {
      challenge { version criteria { nodes { name } } } } }""",
                             {"id": challenge_id, "c": RUBRIC})
    assert completed["data"]["updateChallenge"]["challenge"]["version"] == 2
    opened = as_principal(app, graph, staff, MOVE, {"kind": "CHALLENGE", "id": challenge_id,
                                             "to": "OPEN", "version": 2})
    assert opened["data"]["moveLabRecord"]["status"] == "OPEN"
    assert FUTURE.startswith("2099")


def test_pilot_and_gate_reads(client: FlaskClient, graph: Graph, staff: Actor) -> None:
    from tests.lab.test_pilots_scenario import selected_proposal

    proposal_id, _ = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    body = gql(client, """query P($id: ID!) { pilot(id: $id) { title status
      partners { edges { role } } measures { nodes { name } } }
      stageGate(pilotId: $id, stage: PILOT) { unmet
      conditions { condition met } } }""", {"id": pilot["id"]})
    assert body["data"]["pilot"]["partners"] == {"edges": [{"role": "LEAD"}]}
    assert body["data"]["stageGate"]["unmet"] == [
        "has_outcome_measures", "every_measure_has_baseline", "sponsor_signed_off"]


SESSION = """mutation S($input: CreateLabSessionInput!) {
  createLabSession(input: $input) { labSession { kind startsAt endsAt } } }"""
HOOK = """mutation H($events: [WebhookEvent!]!) {
  subscribeWebhook(input: {url: "https://partner.example/hook", events: $events}) {
    webhookSubscription { events } } }"""


def test_closed_sets_and_times_are_typed_inputs(app: Flask, graph: Graph, staff: Actor) -> None:
    """A session kind outside the code table, or a time without a zone, is refused; the webhook
    events are named as enum values and stored as the event codes the deliveries carry."""
    make_field(graph, "employment")
    client = signed_in(app, graph, staff, "graph:read lab:write")
    session = {"title": "Data clinic", "kind": "WORKSHOP", "fields": ["employment"],
               "startsAt": "2030-01-01T10:00:00+02:00", "endsAt": "2030-01-01T12:00:00+02:00"}
    for bad in ({"kind": "PARTY"}, {"startsAt": "next Tuesday"},
                {"startsAt": "2030-01-01T10:00:00"}):
        body = gql(client, SESSION, {"input": {**session, **bad}}, status=None)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (bad, body)
    created = gql(client, SESSION, {"input": session})["data"]["createLabSession"]["labSession"]
    assert created == {"kind": "WORKSHOP", "startsAt": "2030-01-01T08:00:00Z",
                       "endsAt": "2030-01-01T10:00:00Z"}
    hook = gql(client, HOOK, {"events": ["PILOT_ADVANCED", "CHALLENGE_OPENED"]})
    assert hook["data"]["subscribeWebhook"]["webhookSubscription"]["events"] == [
        "CHALLENGE_OPENED", "PILOT_ADVANCED"]
    stored = graph.run("MATCH (s:WebhookSubscription) RETURN s.events AS events")
    assert [r["events"] for r in stored] == [["challenge.opened", "pilot.advanced"]]
    unknown = gql(client, HOOK, {"events": ["pilot.advanced"]}, status=None)
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_likely_duplicates_are_ideas_the_submitter_may_see(
    app: Flask, graph: Graph, staff: Actor
) -> None:
    """Each duplicate is the Idea itself, read under Idea's guard (lab staff): staff traverse
    from it; a citizen is shown none, and nothing of the hidden ideas counts for them."""
    first = ideas.submit(graph, staff, title="Bus job club", description="Rides to interviews")
    submit = """mutation S($t: String!) { submitIdea(input: {title: $t,
      description: "Rides to interviews"}) {
      idea { id } likelyDuplicates { score idea { id title status submitter { name } } } } }"""
    as_staff = as_principal(app, graph, staff, submit, {"t": "Bus job club for youth"})
    assert "errors" not in as_staff, as_staff
    shown = as_staff["data"]["submitIdea"]["likelyDuplicates"]
    assert shown[0]["idea"]["id"] == first["idea"]["id"]
    assert shown[0]["idea"]["title"] == "Bus job club"
    assert shown[0]["idea"]["status"] == "SUBMITTED" and shown[0]["score"] > 0
    new_id = as_staff["data"]["submitIdea"]["idea"]["id"]
    assert all(d["idea"]["id"] != new_id for d in shown)

    citizen = person(graph, "Cleo", {"CITIZEN"})
    as_citizen = as_principal(app, graph, citizen, submit, {"t": "Bus job club again"})
    assert "errors" not in as_citizen, as_citizen
    assert as_citizen["data"]["submitIdea"]["likelyDuplicates"] == []


def test_likely_duplicates_are_read_in_one_statement_however_many(
    app: Flask, graph: Graph, staff: Actor
) -> None:
    """The ideas a submission names are read together: three duplicates cost the request no
    more statements than one (counted on the debug log)."""
    submit = """mutation S($t: String!) { submitIdea(input: {title: $t,
      description: "Rides to interviews"}) { likelyDuplicates { idea { title } } } }"""
    ideas.submit(graph, staff, title="Bus job club", description="Rides to interviews")
    one = as_principal(app, graph, staff, submit, {"t": "Bus job club north"})
    assert len(one["data"]["submitIdea"]["likelyDuplicates"]) == 1, one
    for title in ("Bus job club south", "Bus job club east"):
        ideas.submit(graph, staff, title=title, description="Rides to interviews")
    many = as_principal(app, graph, staff, submit, {"t": "Bus job club west"})
    shown = many["data"]["submitIdea"]["likelyDuplicates"]
    assert len(shown) >= 3 and all(d["idea"]["title"].startswith("Bus job club") for d in shown)
    assert len(many["extensions"]["cypher"]) == len(one["extensions"]["cypher"])
