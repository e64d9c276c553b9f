"""A background task's state by id, and the ``TaskRun`` type that mutations starting work return."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.core import tasks as background
from civicgraph.core.tasks import TASK_STATES, TaskStatus

TaskState = code_enum("TaskState", TASK_STATES, "Where a background task is.")


class TaskRun(graphene.ObjectType):
    """A task's state as the queue reports it."""

    id = graphene.ID(required=True)
    state = TaskState(required=True)
    result = GenericScalar(description="What the task returned, as JSON, once it succeeded.")
    error = graphene.String()


def task_run(status: TaskStatus) -> TaskRun:
    return TaskRun(id=status.id, state=status.state, result=status.result, error=status.error)


class TaskQueries(graphene.ObjectType):
    task = graphene.Field(TaskRun, required=True, id=graphene.ID(required=True))

    @staticmethod
    def resolve_task(root: Any, info: Any, id: str) -> TaskRun:
        return task_run(background.task_status(ctx(info).tasks, id))


QUERIES = (TaskQueries,)
MUTATIONS: tuple[type, ...] = ()
