"""Resources a worker process holds: one Neo4j driver, opened on first use, closed at exit."""

from __future__ import annotations

import atexit
from functools import cache

from civicgraph.config import load_settings
from civicgraph.core.graph import Graph


@cache
def graph() -> Graph:
    settings = load_settings()
    connected = Graph.from_settings(settings)
    atexit.register(connected.close)
    return connected
