"""Partner-feed syncs on the worker: one run per task, and the beat-driven check for due feeds."""

from __future__ import annotations

import logging
from typing import Any

from civicgraph.services import background, partner_sync
from civicgraph.workers import runtime
from civicgraph.workers.celery_app import celery_app
from civicgraph.workers.dispatch import CeleryTaskQueue

log = logging.getLogger(__name__)


@celery_app.task(name=background.SYNC_PARTNER_FEED)  # type: ignore[untyped-decorator]
def sync_partner_feed(run_id: str, lease: int = 1) -> dict[str, Any]:
    """Run or resume one sync run; a redelivery after a crash resumes from the run's cursor,
    and a delivery whose lease was superseded (the run was taken over) does nothing."""
    return partner_sync.run_sync(runtime.graph(), run_id, lease)


@celery_app.task(name=background.SYNC_DUE_PARTNER_FEEDS)  # type: ignore[untyped-decorator]
def sync_due_partner_feeds() -> list[str]:
    started = partner_sync.sync_due(runtime.graph(), CeleryTaskQueue(celery_app))
    if started:
        log.info("started %d scheduled partner-feed syncs", len(started))
    return started
