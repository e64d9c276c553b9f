"""What every resolver can reach: the graph, the task queue and who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civicgraph.graphql.limits import Limits
from civicgraph.repositories.graph import Graph
from civicgraph.services.background import TaskQueue


@dataclass
class RequestContext:
    graph: Graph
    tasks: TaskQueue
    request_id: str
    limits: Limits = field(default_factory=Limits)


def ctx(info: Any) -> RequestContext:
    context = info.context
    assert isinstance(context, RequestContext)
    return context
