"""The lab's Celery beat entries (kept apart from the app so other domains add their own)."""

from __future__ import annotations

from typing import Any

from civicgraph.services.lab.background import (
    CLOSE_DUE_CHALLENGES,
    DELIVER_OUTBOX_EVENT,
    FLAG_OVERDUE_MEASUREMENTS,
    FLUSH_OUTBOX,
)

__all__ = ["CLOSE_DUE_CHALLENGES", "DELIVER_OUTBOX_EVENT", "FLAG_OVERDUE_MEASUREMENTS",
           "FLUSH_OUTBOX", "LAB_BEAT_SCHEDULE"]

LAB_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "lab-close-due-challenges": {"task": CLOSE_DUE_CHALLENGES, "schedule": 60.0},
    "lab-flag-overdue-measurements": {"task": FLAG_OVERDUE_MEASUREMENTS, "schedule": 3600.0},
    # Catches events whose immediate delivery was never sent or whose retries ran out.
    "lab-flush-outbox": {"task": FLUSH_OUTBOX, "schedule": 15.0},
}
