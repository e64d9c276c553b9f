"""The records a lab mutation answers with, compiled from the client's selection like any read.

A payload field naming a record (a moved pilot, the challenge an idea became, the measure a value
was recorded for) is a ``record_resolver`` field: the service's write answers only ids, and
``answered`` then reads every such field the client selected (at any depth, aliases each their
own) in one compiled statement, projected from the selection under the record type's guard, so a
payload answers ``pilot { partners { nodes { partners { nodes { name } } } } }`` as a read would,
not a fixed projection. The read joins the write's transaction (``Graph.write_transaction``), so
the mutation stays one transaction and the answer is the state the write committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene

from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS
from civicgraph.partner_graph.api.queries import prefetch_records, record_resolver


def record(type_name: str, key: str, description: str | None = None,
           required: bool = False) -> graphene.Field:
    """A field serving, as its own type, the record whose id the answer holds under ``key`` (a
    write's payload, or a computed answer such as an evaluation's exclusions); null when the
    reader may not see it."""
    return graphene.Field(lambda: OBJECTS[type_name], required=required,
                          resolver=record_resolver(type_name, key), description=description)


def answered(info: Any, payload: Any, write: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``write`` (a service call answering the ids of what it changed) and read the
    payload's selected records, in one transaction: one read statement whatever the selection.
    ``write`` may be replayed whole on a transient error, so it must act only on the graph."""
    return ctx(info).graph.write_transaction(lambda: prefetch_records(info, payload, write()))
