"""Names of the lab's worker tasks: the web app sends them by name and never imports tasks."""

from __future__ import annotations

from civicgraph.services.background import TaskQueue, TaskStatus

CLOSE_DUE_CHALLENGES = "civicgraph.lab.close_due_challenges"
FLAG_OVERDUE_MEASUREMENTS = "civicgraph.lab.flag_overdue_measurements"
FLUSH_OUTBOX = "civicgraph.lab.flush_outbox"
DELIVER_OUTBOX_EVENT = "civicgraph.lab.deliver_outbox_event"


def request_outbox_flush(queue: TaskQueue) -> TaskStatus:
    """After a change queued webhook events: deliver now rather than at the next beat."""
    return queue.enqueue(FLUSH_OUTBOX)
