"""Lab fixtures: a staff member, and a maker of people (tests.lab.builders writes them)."""

from __future__ import annotations

import os

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from tests.lab.builders import person

# Short webhook backoff for the whole session: read by the worker, which the session starts
# after every conftest module has been imported.
os.environ.setdefault("CIVICGRAPH_WEBHOOK_BACKOFF_SECONDS", "0.2")
os.environ.setdefault("CIVICGRAPH_WEBHOOK_TIMEOUT_SECONDS", "2")


@pytest.fixture
def staff(graph: Graph) -> Actor:
    return person(graph, "Stella Staff", {"LAB_STAFF"})
