"""The lab's worker tasks and beat entries: deadline transitions, overdue measurements, webhook
delivery. Only the worker and beat send these, except the outbox flush, which the web app asks
for after a move (its name lives beside the service it calls, ``webhooks.FLUSH_OUTBOX``)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from civicgraph.config import load_settings
from civicgraph.core import runtime
from civicgraph.lab.service import scheduling, webhooks

log = logging.getLogger(__name__)

CLOSE_DUE_CHALLENGES = "civicgraph.lab.close_due_challenges"
FLAG_OVERDUE_MEASUREMENTS = "civicgraph.lab.flag_overdue_measurements"
DELIVER_OUTBOX_EVENT = "civicgraph.lab.deliver_outbox_event"
FLUSH_OUTBOX = webhooks.FLUSH_OUTBOX

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lab-close-due-challenges": {"task": CLOSE_DUE_CHALLENGES, "schedule": 60.0},
    "lab-flag-overdue-measurements": {"task": FLAG_OVERDUE_MEASUREMENTS, "schedule": 3600.0},
    # Catches events whose immediate delivery was never sent or whose retries ran out.
    "lab-flush-outbox": {"task": FLUSH_OUTBOX, "schedule": 15.0},
}


def _policy() -> webhooks.DeliveryPolicy:
    settings = load_settings()
    return webhooks.DeliveryPolicy(settings.webhook_backoff_seconds,
                                   settings.webhook_backoff_max_seconds,
                                   settings.webhook_timeout_seconds)


@shared_task(name=CLOSE_DUE_CHALLENGES)  # type: ignore[untyped-decorator]
def close_due_challenges(now: str | None = None) -> dict[str, Any]:
    result = scheduling.close_due_challenges(runtime.graph(), now)
    if result["moved"]:
        flush_outbox.delay()
    return result


@shared_task(name=FLAG_OVERDUE_MEASUREMENTS)  # type: ignore[untyped-decorator]
def flag_overdue_measurements(now: str | None = None) -> dict[str, Any]:
    return scheduling.flag_overdue_measurements(runtime.graph(), now)


@shared_task(name=FLUSH_OUTBOX)  # type: ignore[untyped-decorator]
def flush_outbox() -> dict[str, Any]:
    """Send a delivery task for every due event (each task retries on its own)."""
    ids = webhooks.due_events(runtime.graph())
    for outbox_id in ids:
        deliver_outbox_event.delay(outbox_id)
    return {"sent": len(ids)}


@shared_task(name=DELIVER_OUTBOX_EVENT, bind=True, max_retries=None)  # type: ignore[untyped-decorator]
def deliver_outbox_event(self: Any, outbox_id: str) -> dict[str, Any]:
    result = webhooks.deliver(runtime.graph(), outbox_id, _policy())
    retries_left = self.request.retries < load_settings().webhook_task_retries
    if result["retryIn"] is not None and retries_left:
        log.info("webhook %s not delivered (attempt %s); retrying in %.1fs",
                 outbox_id, result.get("attempts"), result["retryIn"])
        raise self.retry(countdown=result["retryIn"])
    return result
