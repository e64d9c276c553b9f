"""What a service needs from a task queue, so services never import Celery.

A task's name is declared once, in the domain module beside the work it runs (the service
function the task calls, or the task itself when only the worker sends it); the web app sends by
that name and never imports the worker's task modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from civicgraph.core.errors import ServiceUnavailable

# The states a task queue reports (Celery's), as the API lists them.
TASK_STATES = {
    "PENDING": "Waiting to run, or an id the queue does not know",
    "RECEIVED": "A worker has taken it",
    "STARTED": "Running",
    "RETRY": "Failed once and will be retried",
    "SUCCESS": "Done; the result is ready",
    "FAILURE": "Failed; the error says why",
    "REVOKED": "Cancelled before it finished",
    "REJECTED": "Refused by the worker",
    "IGNORED": "Finished without a state to report",
}


@dataclass(frozen=True)
class TaskStatus:
    id: str
    state: str
    result: Any = None
    error: str | None = None


class QueueUnavailable(ServiceUnavailable):
    """A task could not be sent (the broker is down or hung past its timeout).

    A service whose change has committed and whose task is only a prompt (the outbox and beat
    deliver anyway) catches this and reports the change; one that recorded a pending job for the
    task undoes that record before letting it rise, so nothing waits for a task never sent.
    """


class TaskQueue(Protocol):
    def enqueue(self, name: str, **kwargs: Any) -> TaskStatus:
        """Send a task; raises :class:`QueueUnavailable` within the queue's timeouts."""
        ...

    def status(self, task_id: str) -> TaskStatus: ...


def task_status(queue: TaskQueue, task_id: str) -> TaskStatus:
    return queue.status(task_id)
