"""The web app's side of the queue: send tasks by name, read their state from the result backend."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.result import AsyncResult

from civicgraph.services.background import TaskStatus


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
