"""What the domain needs from a task queue, so services never import Celery."""

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


# Names of the tasks the worker registers; the web app sends by name and never imports them.
RECOMPUTE_PARTNER_COUNTS = "civicgraph.recompute_partner_counts"
DIAGNOSTICS = "civicgraph.diagnostics"
SYNC_PARTNER_FEED = "civicgraph.partners.sync"
SYNC_DUE_PARTNER_FEEDS = "civicgraph.partners.sync_due"


def request_partner_count_recompute(queue: TaskQueue) -> TaskStatus:
    return queue.enqueue(RECOMPUTE_PARTNER_COUNTS)


def task_status(queue: TaskQueue, task_id: str) -> TaskStatus:
    return queue.status(task_id)
