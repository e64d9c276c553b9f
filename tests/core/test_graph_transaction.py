"""``Graph.write_transaction``: the statements of one mutation commit together or not at all."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph, recording_statements


def count(graph: Graph, label: str) -> int:
    value: int = graph.run(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
    return value


def test_statements_inside_share_one_transaction(graph: Graph) -> None:
    with recording_statements() as log:
        graph.run("CREATE (:Probe {id: 'lone'})", write=True)

        def work() -> int:
            graph.run("CREATE (:Probe {id: 'a'})", write=True)
            # The second statement sees the first one's uncommitted node: same transaction.
            seen: int = graph.run("MATCH (p:Probe {id: 'a'}) RETURN count(p) AS n")[0]["n"]
            return seen

        assert graph.write_transaction(work) == 1
    numbers = [entry["transaction"] for entry in log.entries]
    assert len(numbers) == 3
    assert numbers[1] == numbers[2] != numbers[0]
    assert count(graph, "Probe") == 2


def test_a_failure_after_a_write_leaves_nothing_written(graph: Graph) -> None:
    def work() -> None:
        graph.run("CREATE (:Probe {id: 'first'})", write=True)
        raise Conflict("the second part refused")

    with pytest.raises(Conflict):
        graph.write_transaction(work)
    assert count(graph, "Probe") == 0


def test_a_failing_second_statement_undoes_the_first(graph: Graph) -> None:
    """A real database refusal (a unique key taken) in the second statement."""
    graph.run("CREATE (:Organisation {id: 'o1', nameKey: 'taken'})", write=True)

    def work() -> None:
        graph.run("CREATE (:Probe {id: 'first'})", write=True)
        graph.run("CREATE (:Organisation {id: 'o2', nameKey: 'taken'})", write=True)

    with pytest.raises(ConstraintError):
        graph.write_transaction(work)
    assert count(graph, "Probe") == 0
    assert count(graph, "Organisation") == 1


def test_nested_calls_join_the_outer_transaction(graph: Graph) -> None:
    def inner() -> None:
        graph.run("CREATE (:Probe {id: 'inner'})", write=True)

    def outer() -> None:
        graph.write_transaction(inner)
        raise Conflict("outer refused")

    with pytest.raises(Conflict):
        graph.write_transaction(outer)
    assert count(graph, "Probe") == 0
