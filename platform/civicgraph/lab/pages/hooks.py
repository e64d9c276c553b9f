"""Lab staff subscribe webhooks, see each subscription's deliveries, pause, resume or remove it;
each record's page shows its events and their delivery log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act, refused
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import LAB_WRITE, STAFF
from civicgraph.core.errors import DomainError
from civicgraph.lab.service import webhooks
from civicgraph.lab.service.lifecycles import WEBHOOK_EVENTS


def _page(created: dict[str, Any] | None = None, failure: dict[str, Any] | None = None
          ) -> str:
    return render_template("console/staff_webhooks.html", events=sorted(WEBHOOK_EVENTS),
                           created=created, failure=failure,
                           subscriptions=webhooks.subscriptions(graph(), actor()))


@signed_in(STAFF, scope=LAB_WRITE)
def page() -> ResponseReturnValue:
    return _page()


@signed_in(STAFF, scope=LAB_WRITE)
def subscribe() -> ResponseReturnValue:
    """Rendered, not redirected: the signing secret is shown this once and never stored here.
    A refusal goes back to the page like any form's."""
    try:
        created = webhooks.subscribe(graph(), actor(), url=request.form.get("url", "").strip(),
                                     events=request.form.getlist("events"))
    except DomainError as error:
        return refused(error, "hook", "console.webhooks")
    response = _page(created=created)
    return response, 201, {"Cache-Control": "no-store"}


@signed_in(STAFF, scope=LAB_WRITE)
def manage(subscription_id: str, action: str) -> ResponseReturnValue:
    g, who = graph(), actor()
    if action == "remove":
        return act(lambda: webhooks.remove(g, who, subscription_id),
                   "The subscription is removed; its events not yet delivered are cancelled.",
                   _page, "console.webhooks", f"hook-{subscription_id}")
    paused = action == "pause"
    return act(lambda: webhooks.set_active(g, who, subscription_id, not paused),
               "The subscription is paused: nothing new is queued for it."
               if paused else "The subscription is active again.",
               _page, "console.webhooks", f"hook-{subscription_id}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff/webhooks", "webhooks", page)
    bp.add_url_rule("/staff/webhooks", "subscribe", subscribe, methods=["POST"])
    bp.add_url_rule("/staff/webhooks/<subscription_id>/<any(pause, resume, remove):action>",
                    "manage_webhook", manage, methods=["POST"])
