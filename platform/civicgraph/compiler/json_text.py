"""Answers written as JSON text by the database itself, where it can.

A large answer costs the gateway more than the database: the driver unpacks thousands of maps
into Python dicts (about half of the gateway's instructions on the benchmark's reads, counted
with callgrind), orjson writes them out again and the collector frees them. A root connection's
items can instead come back as one JSON text each, written by ``apoc.convert.toJson`` inside the
same statement, which the response then carries as it is (``orjson.Fragment``). The compiled
projections are already JSON-clean for this: temporal values are ISO text and Int fields
integers in the statement (``cypher._output``).

Only the HTTP GraphQL endpoint asks for it (``WANTED``), since only it writes the answer
straight out; in-process callers (the console, the CLI, tests) keep getting dicts. Where the
database has no APOC (a server at ``NEO4J_URI`` without the plugin), ``available`` says so once
and the answers stay dicts.
"""

from __future__ import annotations

import logging
import weakref
from contextvars import ContextVar

from neo4j.exceptions import ClientError

from civicgraph.core.graph import Graph

FUNCTION = "apoc.convert.toJson"
WANTED: ContextVar[bool] = ContextVar("civicgraph_json_text_wanted", default=False)
"""Set by whoever writes the answer out as JSON, for the statements compiled meanwhile."""

log = logging.getLogger(__name__)
_known: weakref.WeakKeyDictionary[Graph, bool] = weakref.WeakKeyDictionary()


def available(graph: Graph) -> bool:
    """Whether ``graph``'s database has the function: asked once per graph, and again after a
    failure to ask (the database may have been down). Asked past ``Graph.run``, so that the
    question is not counted among the statements of the request that happened to ask it."""
    known = _known.get(graph)
    if known is not None:
        return known
    try:
        graph.driver.execute_query(f"RETURN {FUNCTION}([1]) AS text", database_=graph.database)
    except ClientError:
        log.info("the database has no %s: answers are unpacked and written by the gateway",
                 FUNCTION)
        _known[graph] = False
        return False
    _known[graph] = True
    return True


def wrap(projection: str) -> str:
    """``projection`` as the database's JSON text of it."""
    return f"{FUNCTION}({projection})"
