"""Webhook subscriptions, outbox events and delivery attempts are records of the one model:
fetched by ``node(id:)`` under their guards (the subscription's organisation and admins; another
organisation gets null), the outbox read with its subscription in one statement, and
subscribeWebhook answering with the subscription as the client selected."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import webhooks as outbox_repo
from civicgraph.lab.service import challenges, webhooks
from tests.builders import gql
from tests.lab.builders import FUTURE, RUBRIC, field, organisation
from tests.lab.test_graphql_lab import signed_in

NODE = "query N($id: ID!) { node(id: $id) { __typename id } }"
SUBSCRIBE = """mutation S($url: String!) {
  subscribeWebhook(input: {url: $url, events: [CHALLENGE_OPENED]}) {
    secret webhookSubscription { id url events active organisation { name } } } }"""
SCOPES = ["graph:read", "lab:write"]


def seen(client: FlaskClient, node_id: str) -> bool:
    body = gql(client, NODE, {"id": node_id})
    assert "errors" not in body, body
    return body["data"]["node"] is not None


def _opened(graph: Graph, staff: Actor, first: bool = True) -> str:
    """A challenge opened: one outbox event per subscription to challenge.opened (``first``
    makes the field it is in)."""
    if first:
        field(graph, "employment")
    challenge = challenges.create(graph, staff, title="Reach rural job seekers",
                                  description="How?", field_codes=["employment"],
                                  criteria=RUBRIC, deadline=FUTURE)
    challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    return str(challenge["id"])


def test_a_subscription_is_its_organisations_and_admins(
    graph: Graph, authorised: Callable[..., FlaskClient], admin_client: FlaskClient
) -> None:
    mine, other = organisation(graph, "Hook Owners"), organisation(graph, "Bystanders")
    partner = authorised(SCOPES, mine)
    body = gql(partner, SUBSCRIBE, {"url": "https://owners.example/hook"})
    assert "errors" not in body, body
    answer = body["data"]["subscribeWebhook"]
    made = answer["webhookSubscription"]
    assert answer["secret"]
    assert (made["url"], made["events"], made["active"], made["organisation"]) == (
        "https://owners.example/hook", ["CHALLENGE_OPENED"], True, {"name": "Hook Owners"})
    assert seen(partner, made["id"])
    assert seen(admin_client, made["id"])
    assert not seen(authorised(SCOPES, other), made["id"])
    assert not seen(authorised(["graph:read"]), made["id"])


def test_outbox_events_and_deliveries_are_seen_through_their_subscription(
    graph: Graph, staff: Actor, authorised: Callable[..., FlaskClient],
    admin_client: FlaskClient
) -> None:
    mine, other = organisation(graph, "Hook Owners"), organisation(graph, "Bystanders")
    owner = Actor(id="owner-client", roles=frozenset({"PARTNER"}), organisation_id=mine)
    subscription = webhooks.subscribe(graph, owner, url="https://owners.example/hook",
                                      events=["challenge.opened"])
    challenge_id = _opened(graph, staff)
    (event,) = webhooks.outbox_for(graph, challenge_id)
    outbox_repo.record_attempt(graph, {
        "id": event["id"], "at": "2026-01-01T00:00:05Z", "statusCode": 503, "error": None,
        "delivered": False, "retryMs": 1000, "durationMs": 12.5})

    query = """query N($id: ID!) { node(id: $id) { ... on OutboxEvent { eventType status
      attempts subscription { id } deliveries { totalCount nodes { attempt statusCode at } }
    } } }"""
    body = gql(authorised(SCOPES, mine), query, {"id": event["id"]})
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    assert body["data"]["node"] == {
        "eventType": "CHALLENGE_OPENED", "status": "PENDING", "attempts": 1,
        "subscription": {"id": subscription["id"]},
        "deliveries": {"totalCount": 1, "nodes": [
            {"attempt": 1, "statusCode": 503, "at": "2026-01-01T00:00:05Z"}]}}
    assert seen(admin_client, event["id"])
    assert not seen(authorised(SCOPES, other), event["id"])

    delivery = gql(admin_client, query, {"id": event["id"]})
    delivery_id = gql(admin_client, """query N($id: ID!) { node(id: $id) { ... on OutboxEvent {
      deliveries { nodes { id } } } } }""", {"id": event["id"]})["data"]["node"]
    assert delivery["data"]["node"]["deliveries"]["totalCount"] == 1
    (attempt,) = delivery_id["deliveries"]["nodes"]
    assert seen(authorised(SCOPES, mine), attempt["id"])
    assert not seen(authorised(SCOPES, other), attempt["id"])


def test_the_lab_outbox_is_a_connection_of_the_records_events(
    app: Flask, graph: Graph, staff: Actor, admin_client: FlaskClient
) -> None:
    mine = organisation(graph, "Hook Owners")
    owner = Actor(id="owner-client", roles=frozenset({"PARTNER"}), organisation_id=mine)
    for host in ("a", "b"):
        webhooks.subscribe(graph, owner, url=f"https://{host}.example/hook",
                           events=["challenge.opened"])
    challenge_id = _opened(graph, staff)
    _opened(graph, staff, first=False)  # another record's events are not this one's
    query = ("query($id: ID!) { labOutbox(recordId: $id) { totalCount nodes { status "
             "eventType subscription { url } } } }")
    body = gql(signed_in(app, graph, staff, "graph:read lab:write"), query,
               {"id": challenge_id})
    assert "errors" not in body, body
    outbox = body["data"]["labOutbox"]
    assert outbox["totalCount"] == 2
    assert {(e["status"], e["eventType"]) for e in outbox["nodes"]} == {
        ("PENDING", "CHALLENGE_OPENED")}
    # Lab staff see what the lab sent; the subscriptions stay their organisation's and admins'.
    assert [e["subscription"] for e in outbox["nodes"]] == [None, None]
    # An admin's read of the outbox and each subscription is one statement.
    seen_by_admin = gql(admin_client, query, {"id": challenge_id})
    assert len(seen_by_admin["extensions"]["cypher"]) == 1
    assert sorted(e["subscription"]["url"] for e in seen_by_admin["data"]["labOutbox"]["nodes"]) \
        == ["https://a.example/hook", "https://b.example/hook"]
