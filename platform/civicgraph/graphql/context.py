"""What every resolver can reach: the graph, the task queue and who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civicgraph.config import Settings, load_settings
from civicgraph.repositories.graph import Graph
from civicgraph.services.background import TaskQueue


@dataclass
class RequestContext:
    graph: Graph
    tasks: TaskQueue
    request_id: str
    settings: Settings = field(default_factory=load_settings)


def ctx(info: Any) -> RequestContext:
    context = info.context
    assert isinstance(context, RequestContext)
    return context
