"""The Celery application, configured from the same settings as the web app.

Start a worker with ``celery -A civicgraph.workers.celery_app worker``. The web app builds its own
Celery client with :func:`create_celery` (so test overrides reach it) and sends tasks by name.
"""

from __future__ import annotations

from celery import Celery

from civicgraph.config import Settings, load_settings
from civicgraph.services.background import SYNC_DUE_PARTNER_FEEDS
from civicgraph.workers.lab_schedule import LAB_BEAT_SCHEDULE


def create_celery(settings: Settings) -> Celery:
    app = Celery("civicgraph", broker=settings.redis_url, backend=settings.redis_url)
    app.conf.update(
        task_track_started=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=7 * 24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
    )
    # Beat (`celery -A civicgraph.workers.celery_app beat`) only sends this check; each
    # platform's own schedule (PartnerPlatform.scheduleSeconds) decides whether a sync is due.
    app.conf.beat_schedule = {
        "partner-feeds-due": {"task": SYNC_DUE_PARTNER_FEEDS, "schedule": 60.0},
    }
    return app


celery_app = create_celery(load_settings())
celery_app.conf.include = [
    "civicgraph.workers.tasks",
    "civicgraph.workers.lab_tasks",
    "civicgraph.workers.partner_tasks",
]
# Celery beat (`celery -A civicgraph.workers.celery_app beat`): each domain adds its entries.
celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **LAB_BEAT_SCHEDULE}
