"""The Celery side of the task-queue protocol: a client that sends tasks by name and reads their
state, used by the web app, the CLI and tasks that start other tasks.

Services see only :class:`civicgraph.core.tasks.TaskQueue`; this module is where Celery is named.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.result import AsyncResult

from civicgraph.config import Settings
from civicgraph.core.tasks import TaskStatus


def create_celery(settings: Settings) -> Celery:
    """A Celery app configured from the settings; the worker's app adds each domain's tasks."""
    app = Celery("civicgraph", broker=settings.redis_url, backend=settings.redis_url)
    app.conf.update(
        task_track_started=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=7 * 24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # A task is acknowledged when it ends, not when it starts: a worker killed mid-task
        # (kill -9, OOM, a lost machine) leaves its message unacknowledged in Redis, and after
        # the visibility timeout any worker takes it again. Tasks are written for that: kit
        # builds and feed syncs hold leases, and a finished one is not run twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={
            "visibility_timeout": settings.task_visibility_seconds,
            # kombu looks for such messages every interval x throttle seconds (10 x 10 by
            # default); every few seconds here, so a redelivery follows the timeout closely.
            "unacked_restore_interval": max(1, min(10, settings.task_visibility_seconds // 5)),
            "unacked_restore_throttle": 1,
        },
    )
    return app


class CeleryTaskQueue:
    """Sends to Celery's default queue, or to a named one (a worker started with ``-Q name``)."""

    def __init__(self, celery: Celery, queue: str | None = None) -> None:
        self.celery = celery
        self.queue = queue

    def enqueue(self, name: str, **kwargs: Any) -> TaskStatus:
        options = {"queue": self.queue} if self.queue else {}
        result = self.celery.send_task(name, kwargs=kwargs, **options)
        return TaskStatus(id=result.id, state=result.state)

    def status(self, task_id: str) -> TaskStatus:
        result = AsyncResult(task_id, app=self.celery)
        state = result.state
        if state == "FAILURE":
            return TaskStatus(id=task_id, state=state, error=str(result.result))
        if state == "SUCCESS":
            return TaskStatus(id=task_id, state=state, result=result.result)
        return TaskStatus(id=task_id, state=state)
