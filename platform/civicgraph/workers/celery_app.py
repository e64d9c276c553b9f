"""The worker's Celery application: each domain's tasks and beat entries, gathered here.

Start a worker with ``celery -A civicgraph.workers.celery_app worker`` and beat with
``celery -A civicgraph.workers.celery_app beat``. A domain adds work by writing its own
``tasks`` module (shared tasks, and a ``BEAT_SCHEDULE`` dict if it has periodic work) and naming
it in ``DOMAIN_TASKS``; nothing else here changes.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from celery import signals

from civicgraph.config import load_settings
from civicgraph.core import metrics
from civicgraph.core.queue import create_celery
from civicgraph.identity import tasks as identity_tasks
from civicgraph.lab import tasks as lab_tasks
from civicgraph.workers import tasks as platform_tasks
from hackathon_kits import tasks as kit_tasks
from partners import tasks as partner_tasks

DOMAIN_TASKS: tuple[ModuleType, ...] = (
    platform_tasks, lab_tasks, partner_tasks, kit_tasks, identity_tasks,
)


def beat_schedule(modules: tuple[ModuleType, ...] = DOMAIN_TASKS) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {}
    for module in modules:
        for entry, spec in getattr(module, "BEAT_SCHEDULE", {}).items():
            if entry in schedule:
                raise ValueError(f"beat entry {entry!r} is declared by two domains")
            schedule[entry] = spec
    return schedule


celery_app = create_celery(load_settings())
celery_app.conf.beat_schedule = beat_schedule()
# Every task's outcome and duration, in whichever pool process runs it.
signals.task_prerun.connect(metrics.task_started, weak=False)
signals.task_postrun.connect(metrics.task_finished, weak=False)
