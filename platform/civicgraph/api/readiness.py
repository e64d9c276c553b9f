"""Whether the platform can serve: Neo4j answers over Bolt, Redis answers, migrations applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from civicgraph.core.graph import Graph
from graph_schema import Migrator


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(value == "ok" for value in self.checks.values())


def check(graph: Graph, redis_ping: Callable[[], object]) -> Readiness:
    report = Readiness()
    try:
        graph.ping()
    except Exception as exc:
        report.checks["neo4j"] = f"unreachable at {graph.driver_uri}: {type(exc).__name__}"
        report.checks["migrations"] = "unknown: Neo4j is unreachable"
    else:
        report.checks["neo4j"] = "ok"
        try:
            pending = Migrator(graph.driver, graph.database).pending()
        except Exception as exc:
            report.checks["migrations"] = f"cannot be read: {exc}"
        else:
            names = ", ".join(m.filename for m in pending)
            report.checks["migrations"] = (
                f"pending: {names} (run civicgraph migrate)" if pending else "ok"
            )
    try:
        redis_ping()
    except Exception as exc:
        report.checks["redis"] = f"unreachable: {type(exc).__name__}"
    else:
        report.checks["redis"] = "ok"
    return report
