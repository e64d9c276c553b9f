"""What every resolver can reach: the graph, the task queue and who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civicgraph.api.limits import Limits
from civicgraph.config import Settings, load_settings
from civicgraph.core.access import ANONYMOUS, Principal
from civicgraph.core.graph import Graph
from civicgraph.core.tasks import TaskQueue


@dataclass
class RequestContext:
    graph: Graph
    tasks: TaskQueue
    request_id: str
    # Who is asking (from the bearer token); anonymous unless the HTTP layer verified one.
    principal: Principal = field(default=ANONYMOUS)
    # ``__schema`` / ``__type`` answered; off in production.
    introspection: bool = True
    settings: Settings = field(default_factory=load_settings)
    limits: Limits = field(default_factory=Limits)


def ctx(info: Any) -> RequestContext:
    context = info.context
    assert isinstance(context, RequestContext)
    return context
