"""The Celery side of the task-queue protocol: a client that sends tasks by name and reads their
state, used by the web app, the CLI and tasks that start other tasks.

Services see only :class:`civicgraph.core.tasks.TaskQueue`; this module is where Celery is named.
"""

from __future__ import annotations

from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Celery
from celery.backends.redis import RedisBackend
from celery.result import AsyncResult

from civicgraph.config import Settings
from civicgraph.core.tasks import QueueUnavailable, TaskStatus

_SEND_FAILED = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError,
                redis.exceptions.TimeoutError, OSError)


def create_celery(settings: Settings, *, interactive: bool = False) -> Celery:
    """A Celery app configured from the settings; the worker's app adds each domain's tasks.

    ``interactive`` (the web app): sending a task or reading its state gives up after
    ``CIVICGRAPH_REDIS_TIMEOUT`` and one immediate retry (which also replaces a pooled
    connection a Redis restart broke), so a request is answered 503 within two seconds instead
    of waiting for kombu's default of retrying for as long as the broker is away.
    """
    backend = (f"{__name__}:StatusOnlyRedisBackend+{settings.redis_url}" if interactive
               else settings.redis_url)
    app = Celery("civicgraph", broker=settings.redis_url, backend=backend)
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
    if interactive:
        timeout = settings.redis_timeout
        app.conf.update(
            broker_connection_timeout=timeout,
            broker_transport_options={**(app.conf.broker_transport_options or {}),
                                      "socket_timeout": timeout,
                                      "socket_connect_timeout": timeout},
            task_publish_retry=True,
            task_publish_retry_policy=PUBLISH_RETRY,
            redis_socket_timeout=timeout,
            redis_socket_connect_timeout=timeout,
            result_backend_transport_options={
                **(app.conf.result_backend_transport_options or {}),
                "retry_policy": {"max_retries": 1, "interval_start": 0}},
        )
    return app


class StatusOnlyRedisBackend(RedisBackend):  # type: ignore[misc]
    """The web app's result backend: it reads task states and never waits on a result.

    Celery's Redis backend subscribes to a result channel for every task it sends (so that
    ``AsyncResult.get`` can wait); with Redis down that subscription failed before the message
    was even sent, with a RuntimeError saying the application must be restarted. A process
    that only reads states has no use for the subscription.
    """

    def on_task_call(self, producer: Any, task_id: str) -> None:
        return None


# One immediate retry on a fresh connection, then the error (kombu's default retries 3 times
# with growing pauses, and a hung broker made a request wait for each).
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}


class CeleryTaskQueue:
    """Sends to Celery's default queue, or to a named one (a worker started with ``-Q name``)."""

    def __init__(self, celery: Celery, queue: str | None = None) -> None:
        self.celery = celery
        self.queue = queue

    def enqueue(self, name: str, **kwargs: Any) -> TaskStatus:
        options = {"queue": self.queue} if self.queue else {}
        try:
            result = self.celery.send_task(name, kwargs=kwargs, **options)
        except _SEND_FAILED as exc:
            raise QueueUnavailable(f"the task queue is unavailable; {name} was not sent",
                                   dependency="redis") from exc
        # A fresh task is PENDING: asking the result backend would be one more round trip to
        # the Redis that may just have failed, for an answer known in advance.
        return TaskStatus(id=result.id, state="PENDING")

    def status(self, task_id: str) -> TaskStatus:
        result = AsyncResult(task_id, app=self.celery)
        state = result.state
        if state == "FAILURE":
            return TaskStatus(id=task_id, state=state, error=str(result.result))
        if state == "SUCCESS":
            return TaskStatus(id=task_id, state=state, result=result.result)
        return TaskStatus(id=task_id, state=state)
