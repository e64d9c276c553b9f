"""The web app's side of the queue: send tasks by name, read their state from the result backend."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.result import AsyncResult

from civicgraph.services.background import TaskStatus


class CeleryTaskQueue:
    def __init__(self, celery: Celery) -> None:
        self.celery = celery

    def enqueue(self, name: str, **kwargs: Any) -> TaskStatus:
        result = self.celery.send_task(name, kwargs=kwargs)
        return TaskStatus(id=result.id, state=result.state)

    def status(self, task_id: str) -> TaskStatus:
        result = AsyncResult(task_id, app=self.celery)
        state = result.state
        if state == "FAILURE":
            return TaskStatus(id=task_id, state=state, error=str(result.result))
        if state == "SUCCESS":
            return TaskStatus(id=task_id, state=state, result=result.result)
        return TaskStatus(id=task_id, state=state)
