"""Partner-feed syncs on the worker: one run per task, and the beat-driven check for due feeds."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from celery.signals import worker_ready

from civicgraph.config import load_settings
from civicgraph.core import runtime
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue
from partners.cypher import sync as sync_statements
from partners.service import sync as partner_sync

log = logging.getLogger(__name__)

SYNC_DUE_PARTNER_FEEDS = "civicgraph.partners.sync_due"

# Beat only sends this check; each platform's own schedule (PartnerPlatform.scheduleSeconds)
# decides whether a sync is due.
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "partner-feeds-due": {"task": SYNC_DUE_PARTNER_FEEDS, "schedule": 60.0},
}


@shared_task(name=partner_sync.SYNC_PARTNER_FEED)  # type: ignore[untyped-decorator]
def sync_partner_feed(run_id: str, lease: int = 1) -> dict[str, Any]:
    """Run or resume one sync run; a redelivery after a crash resumes from the run's cursor,
    and a delivery whose lease was superseded (the run was taken over) does nothing."""
    return partner_sync.run_sync(runtime.graph(), run_id, lease)


@shared_task(name=SYNC_DUE_PARTNER_FEEDS)  # type: ignore[untyped-decorator]
def sync_due_partner_feeds() -> list[str]:
    started = partner_sync.sync_due(runtime.graph(), CeleryTaskQueue(current_app))
    if started:
        log.info("started %d scheduled partner-feed syncs", len(started))
    return started


@worker_ready.connect  # type: ignore[untyped-decorator]
def warm_sync_statements(**_: Any) -> None:
    """Have Neo4j plan the sync's batch statements before the first run needs them; a worker
    that cannot reach the database yet still starts (the first run plans them instead)."""
    try:
        graph = Graph.from_settings(load_settings())
        try:
            sync_statements.warm(graph)
        finally:
            graph.close()
    except Exception:
        log.warning("could not warm the partner sync statements", exc_info=True)
