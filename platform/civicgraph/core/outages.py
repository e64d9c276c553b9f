"""Which exceptions mean "a dependency is down", so every endpoint answers an outage alike.

The Neo4j driver, redis-py and kombu each raise their own errors when their server is gone or
hung; before this, each reached a view as an unexpected exception and was answered 500 (after
the driver's retries, 15 to 30 s later). Naming them once here lets the GraphQL executor and the
HTTP error handler answer 503 with ``Retry-After`` instead, as soon as the (short, see
``core/graph.py`` and ``core/queue.py``) timeouts run out.
"""

from __future__ import annotations

import kombu.exceptions
import neo4j.exceptions
import redis.exceptions

from civicgraph.core.errors import ServiceUnavailable

_NEO4J_DOWN: tuple[type[BaseException], ...] = (
    neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired,
    neo4j.exceptions.ConnectionPoolError,
    # A database that is shutting down or starting answers with transient errors (its
    # transactions terminated, "Neo.TransientError.General.DatabaseUnavailable"), which the
    # driver retries for its short interactive retry time and then raises: the soak's 500
    # during a Neo4j restart. Every TransientError is one the server says to retry.
    neo4j.exceptions.TransientError,
)
_REDIS_DOWN: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)


def unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """The outage an exception (or one it was raised from) reports, or None if it is not one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ServiceUnavailable):
            return current
        if isinstance(current, neo4j.exceptions.IncompleteCommit):
            # The commit was sent and the connection broke before its answer: it may have been
            # applied. "Retry shortly" would invite a second copy; a versioned write's retry is
            # refused CONFLICT if the first landed, so the caller is told to read it back.
            return ServiceUnavailable(
                "the graph database went away while committing this write: it may or may not "
                "have been applied; read it back before retrying", dependency="neo4j",
                outcome="UNKNOWN")
        if isinstance(current, _NEO4J_DOWN):
            return ServiceUnavailable("the graph database is unavailable; retry shortly",
                                      dependency="neo4j")
        if isinstance(current, _REDIS_DOWN):
            return ServiceUnavailable("the token and task store (Redis) is unavailable; "
                                      "retry shortly", dependency="redis")
        current = current.__cause__ or current.__context__
    return None
