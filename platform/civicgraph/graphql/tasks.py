"""Background work started through GraphQL, and its state by task id."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from civicgraph.graphql.context import ctx
from civicgraph.services import background
from civicgraph.services.background import TaskStatus


class TaskRun(graphene.ObjectType):
    """A task's state as Celery reports it: PENDING (or unknown id), STARTED, SUCCESS, FAILURE."""

    id = graphene.ID(required=True)
    state = graphene.String(required=True)
    result = GenericScalar(description="What the task returned, as JSON, once it succeeded.")
    error = graphene.String()


def _task_run(status: TaskStatus) -> TaskRun:
    return TaskRun(id=status.id, state=status.state, result=status.result, error=status.error)


class TaskQueries(graphene.ObjectType):
    task = graphene.Field(TaskRun, required=True, id=graphene.ID(required=True))

    @staticmethod
    def resolve_task(root: Any, info: Any, id: str) -> TaskRun:
        return _task_run(background.task_status(ctx(info).tasks, id))


class RecomputePartnerCounts(graphene.Mutation):
    """Ask a worker to store every organisation's partner count on it."""

    task = graphene.Field(TaskRun, required=True)

    @staticmethod
    def mutate(root: Any, info: Any) -> RecomputePartnerCounts:
        status = background.request_partner_count_recompute(ctx(info).tasks)
        return RecomputePartnerCounts(task=_task_run(status))


class TaskMutations(graphene.ObjectType):
    recompute_partner_counts = RecomputePartnerCounts.Field(required=True)
