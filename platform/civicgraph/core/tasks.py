"""What a service needs from a task queue, so services never import Celery.

A task's name is declared once, in the domain module beside the work it runs (the service
function the task calls, or the task itself when only the worker sends it); the web app sends by
that name and never imports the worker's task modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class TaskStatus:
    id: str
    state: str
    result: Any = None
    error: str | None = None


class TaskQueue(Protocol):
    def enqueue(self, name: str, **kwargs: Any) -> TaskStatus: ...

    def status(self, task_id: str) -> TaskStatus: ...


def task_status(queue: TaskQueue, task_id: str) -> TaskStatus:
    return queue.status(task_id)
