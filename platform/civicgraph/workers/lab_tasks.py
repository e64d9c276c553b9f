"""The lab's tasks: deadline transitions, overdue measurements, webhook delivery."""

from __future__ import annotations

import logging
from typing import Any

from civicgraph.config import load_settings
from civicgraph.services.lab import scheduling, webhooks
from civicgraph.workers import lab_schedule, runtime
from civicgraph.workers.celery_app import celery_app

log = logging.getLogger(__name__)


def _policy() -> webhooks.DeliveryPolicy:
    settings = load_settings()
    return webhooks.DeliveryPolicy(settings.webhook_backoff_seconds,
                                   settings.webhook_backoff_max_seconds,
                                   settings.webhook_timeout_seconds)


@celery_app.task(name=lab_schedule.CLOSE_DUE_CHALLENGES)  # type: ignore[untyped-decorator]
def close_due_challenges(now: str | None = None) -> dict[str, Any]:
    result = scheduling.close_due_challenges(runtime.graph(), now)
    if result["moved"]:
        flush_outbox.delay()
    return result


@celery_app.task(name=lab_schedule.FLAG_OVERDUE_MEASUREMENTS)  # type: ignore[untyped-decorator]
def flag_overdue_measurements(now: str | None = None) -> dict[str, Any]:
    return scheduling.flag_overdue_measurements(runtime.graph(), now)


@celery_app.task(name=lab_schedule.FLUSH_OUTBOX)  # type: ignore[untyped-decorator]
def flush_outbox() -> dict[str, Any]:
    """Send a delivery task for every due event (each task retries on its own)."""
    ids = webhooks.due_events(runtime.graph())
    for outbox_id in ids:
        deliver_outbox_event.delay(outbox_id)
    return {"sent": len(ids)}


@celery_app.task(  # type: ignore[untyped-decorator]
    name=lab_schedule.DELIVER_OUTBOX_EVENT, bind=True, max_retries=None)
def deliver_outbox_event(self: Any, outbox_id: str) -> dict[str, Any]:
    result = webhooks.deliver(runtime.graph(), outbox_id, _policy())
    retries_left = self.request.retries < load_settings().webhook_task_retries
    if result["retryIn"] is not None and retries_left:
        log.info("webhook %s not delivered (attempt %s); retrying in %.1fs",
                 outbox_id, result.get("attempts"), result["retryIn"])
        raise self.retry(countdown=result["retryIn"])
    return result
