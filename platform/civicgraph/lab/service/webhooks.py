"""Partner platforms' webhooks: subscriptions, and delivery of the outbox with a signed body.

Events enter the outbox in the statement that makes the change (see ``repositories.lab
.transitions``), so a change without its event, or an event without its change, cannot happen.
Delivery is at least once: an event stays PENDING until a receiver answers 2xx; each attempt is
logged as a ``WebhookDelivery``; the next attempt waits ``backoff * 2**(attempts-1)`` seconds
(capped). Receivers tell repeats apart by the ``X-CivicGraph-Delivery`` header (the outbox id).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from civicgraph.core import clock
from civicgraph.core.access import STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import QueueUnavailable, TaskQueue, TaskStatus
from civicgraph.lab.cypher import webhooks as repo
from civicgraph.lab.service.lifecycles import WEBHOOK_EVENTS
from civicgraph.lab.service.validation import acting_for, require_role

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-CivicGraph-Signature"


@dataclass(frozen=True)
class DeliveryPolicy:
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    timeout_seconds: float = 10.0

    def retry_after(self, attempts: int) -> float:
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (attempts - 1)))


@dataclass(frozen=True)
class HttpResult:
    status_code: int | None
    error: str | None


Sender = Callable[[str, bytes, dict[str, str], float], HttpResult]


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> HttpResult:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpResult(int(response.status), None)
    except urllib.error.HTTPError as exc:
        return HttpResult(int(exc.code), f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        return HttpResult(None, str(getattr(exc, "reason", exc))[:500])


def subscribe(graph: Graph, actor: Actor, *, url: str, events: list[str],
              organisation_id: str | None = None) -> dict[str, Any]:
    """Returns the subscription with its signing secret: the only time the secret is shown."""
    organisation_id = acting_for(actor, organisation_id, "subscribe webhooks")
    parsed = urlparse(url or "")
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or len(url) > 2000:
        raise BadInput("url must be an http or https address", field="url")
    unknown = sorted(set(events) - WEBHOOK_EVENTS.keys())
    if unknown or not events:
        raise BadInput(f"events are one or more of {', '.join(sorted(WEBHOOK_EVENTS))}",
                       field="events")
    secret = secrets.token_urlsafe(32)
    subscription = repo.create_subscription(graph, {
        "id": str(uuid.uuid4()), "url": url, "events": sorted(set(events)), "secret": secret,
        "organisationId": organisation_id, "actorId": actor.id, "at": clock.iso(),
    })
    return {**subscription, "secret": secret}


# The worker task that sends every due event (lab.tasks.flush_outbox) is sent by this name.
FLUSH_OUTBOX = "civicgraph.lab.flush_outbox"


def request_outbox_flush(queue: TaskQueue) -> TaskStatus | None:
    """After a change queued webhook events: deliver now rather than at the next beat.

    Only a prompt: the events are in the outbox, committed with the change, and the beat's
    flush delivers them within 15 s. So a queue that is down is logged, not raised: the change
    is reported as committed, and a client's retry does not meet a CONFLICT for its own move.
    """
    try:
        return queue.enqueue(FLUSH_OUTBOX)
    except QueueUnavailable as exc:
        log.warning("outbox flush not sent (%s); the beat delivers the events", exc.message)
        return None


def due_events(graph: Graph, limit: int = 100) -> list[str]:
    return repo.due(graph, clock.iso(), limit)


def deliver(graph: Graph, outbox_id: str, policy: DeliveryPolicy,
            send: Sender = http_post) -> dict[str, Any]:
    """One attempt at one event. Says whether it was delivered and, if not, when to retry."""
    claimed = repo.claim(graph, outbox_id, clock.iso(), policy.timeout_seconds + 30)
    if claimed is None:
        return {"id": outbox_id, "state": "NOT_DUE", "delivered": False, "retryIn": None}
    body = claimed["payload"].encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CivicGraph-Webhooks/1",
        "X-CivicGraph-Event": claimed["eventType"],
        "X-CivicGraph-Delivery": outbox_id,
        SIGNATURE_HEADER: sign(claimed["secret"], body),
    }
    started = time.perf_counter()
    if claimed["active"]:
        result = send(claimed["url"], body, headers, policy.timeout_seconds)
    else:
        result = HttpResult(None, "subscription inactive")
    delivered = result.status_code is not None and 200 <= result.status_code < 300
    attempt = claimed["attempts"] + 1
    retry_in = None if delivered else policy.retry_after(attempt)
    settled = repo.record_attempt(graph, {
        "id": outbox_id, "at": clock.iso(), "statusCode": result.status_code,
        "error": result.error, "delivered": delivered,
        "retryMs": int((retry_in or 0) * 1000),
        "durationMs": round((time.perf_counter() - started) * 1000, 1),
    })
    return {"id": outbox_id, "state": settled["status"], "delivered": delivered,
            "attempts": settled["attempts"], "retryIn": retry_in}


def outbox_for(graph: Graph, record_id: str) -> list[dict[str, Any]]:
    return repo.outbox_for(graph, record_id)


DELIVERIES_SHOWN = 5


def subscriptions(graph: Graph, actor: Actor) -> list[dict[str, Any]]:
    """Every subscription, its tally and its latest attempts: for lab staff."""
    require_role(actor, STAFF, "manage webhook subscriptions")
    return repo.subscriptions(graph, DELIVERIES_SHOWN)


def set_active(graph: Graph, actor: Actor, subscription_id: str, active: bool) -> None:
    """Pause (nothing new is queued for it; what is queued waits) or resume a subscription."""
    require_role(actor, STAFF, "manage webhook subscriptions")
    if not repo.set_active(graph, subscription_id, active, clock.iso()):
        raise NotFound(f"no webhook subscription with id {subscription_id}",
                       id=subscription_id)


def remove(graph: Graph, actor: Actor, subscription_id: str) -> int:
    """Remove a subscription; its pending events are cancelled. How many were."""
    require_role(actor, STAFF, "manage webhook subscriptions")
    cancelled = repo.remove(graph, subscription_id, clock.iso())
    if cancelled is None:
        raise NotFound(f"no webhook subscription with id {subscription_id}",
                       id=subscription_id)
    return cancelled
