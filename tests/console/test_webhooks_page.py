"""Staff manage webhook subscriptions in the console: each one's tally and latest attempts (to a
receiver that is down, here), pause and resume, and removal, which cancels what was not sent
and keeps the record's log."""

from __future__ import annotations

import socket

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import challenges, proposals, webhooks
from civicgraph.lab.service import demo as lab_demo
from tests.console.test_console_auth import _csrf, _signed_in


def _closed_port() -> int:
    """A port nothing listens on: a receiver that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_staff_see_pause_resume_and_remove_a_subscription(app: Flask, graph: Graph) -> None:
    staff = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    page = staff.get("/console/staff/webhooks").get_data(as_text=True)
    assert "No subscription yet." in page
    receiver = f"http://127.0.0.1:{_closed_port()}/hook"
    made = staff.post("/console/staff/webhooks", data={
        "csrf_token": _csrf(page), "url": receiver, "events": "proposal.selected"})
    assert made.status_code == 201

    person = accounts.by_email(graph, demo_identity.STAFF_EMAIL)
    assert person is not None
    lab = Actor(person["id"], frozenset({"LAB_STAFF"}))
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    chosen = proposals.for_challenge(graph, challenge["id"])[0]["id"]
    proposals.advance(graph, lab, chosen, "SHORTLISTED", 2, "promising")
    proposals.advance(graph, lab, chosen, "SELECTED", 3, "the best")
    [event] = webhooks.outbox_for(graph, chosen)
    tried = webhooks.deliver(graph, event["id"], webhooks.DeliveryPolicy(timeout_seconds=2))
    assert tried["delivered"] is False and tried["state"] == "PENDING"

    page = staff.get("/console/staff/webhooks").get_data(as_text=True)
    assert receiver in page and "0 delivered, 1 waiting" in page
    assert "proposal.selected" in page and "No delivery attempt yet." not in page
    [sub] = graph.run("MATCH (s:WebhookSubscription) RETURN s.id AS id")
    paused = staff.post(f"/console/staff/webhooks/{sub['id']}/pause",
                        data={"csrf_token": _csrf(page)})
    assert paused.status_code == 302
    assert graph.run("MATCH (s:WebhookSubscription) RETURN s.active AS a")[0]["a"] is False
    page = staff.get("/console/staff/webhooks").get_data(as_text=True)
    assert "The subscription is paused" in page and "Resume" in page
    assert staff.post(f"/console/staff/webhooks/{sub['id']}/resume",
                      data={"csrf_token": _csrf(page)}).status_code == 302
    assert graph.run("MATCH (s:WebhookSubscription) RETURN s.active AS a")[0]["a"] is True

    removed = staff.post(f"/console/staff/webhooks/{sub['id']}/remove",
                         data={"csrf_token": _csrf(page)})
    assert removed.status_code == 302
    assert graph.run("MATCH (s:WebhookSubscription) RETURN count(s) AS n")[0]["n"] == 0
    [kept] = webhooks.outbox_for(graph, chosen)  # still in the record's log, never sent
    assert kept["status"] == "CANCELLED" and kept["subscriptionId"] is None
    assert webhooks.deliver(graph, kept["id"], webhooks.DeliveryPolicy())["state"] == "NOT_DUE"
    again = staff.post(f"/console/staff/webhooks/{sub['id']}/remove",
                       data={"csrf_token": _csrf(page)}, follow_redirects=True)
    assert [r.status_code for r in again.history] == [303]
    assert "no webhook subscription with id" in again.get_data(as_text=True)
    # A citizen may not manage them.
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    assert citizen.get("/console/staff/webhooks").status_code == 403
