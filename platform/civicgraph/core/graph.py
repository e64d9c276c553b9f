"""One door to Neo4j: every statement the platform sends goes through ``Graph.run``.

Going through one door lets a request count and time the statements it sent (tests assert the
count; GraphQL debug output lists them) and keeps driver options such as the database name and
routing in one place.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Record, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError

from civicgraph.config import Settings
from civicgraph.core import metrics


@dataclass
class StatementLog:
    """The statements one unit of work sent, in order, with their parameter names and time."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    # Off for requests (values may be personal data); the benchmark turns it on to replay the
    # exact statement bare through the driver.
    keep_values: bool = False

    def add(self, cypher: str, params: Mapping[str, Any], seconds: float) -> None:
        entry = {"cypher": cypher, "parameters": sorted(params), "ms": round(seconds * 1000, 3),
                 "transaction": _transaction_number()}
        if self.keep_values:
            entry["values"] = dict(params)
        self.entries.append(entry)

    def __len__(self) -> int:
        return len(self.entries)


_current_log: ContextVar[StatementLog | None] = ContextVar("civicgraph_statement_log", default=None)
# The transaction function ``Graph.write_transaction`` is running, with its number, if any.
_current_tx: ContextVar[tuple[Graph, ManagedTransaction, int] | None] = ContextVar(
    "civicgraph_transaction", default=None)
_transactions = itertools.count(1)
T = TypeVar("T")


def _transaction_number() -> int:
    """The open ``write_transaction``'s number, else a fresh one: a lone statement is its own."""
    current = _current_tx.get()
    return current[2] if current is not None else next(_transactions)


@contextlib.contextmanager
def recording_statements(keep_values: bool = False) -> Iterator[StatementLog]:
    """Record every statement sent inside the block (nested blocks record into their own log)."""
    log = StatementLog(keep_values=keep_values)
    token = _current_log.set(log)
    try:
        yield log
    finally:
        _current_log.reset(token)


class Graph:
    """A driver plus the database name; repositories take one of these, never a raw driver."""

    def __init__(self, driver: Driver, database: str, uri: str = "", *,
                 retry_seconds: float = 10.0) -> None:
        self.driver = driver
        self.database = database
        self.driver_uri = uri
        # How long a read is retried after a transient failure: the driver's own
        # ``max_transaction_retry_time``, which its managed transactions (the writes) obey.
        self.retry_seconds = retry_seconds

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str, *,
                connection_timeout: float = 5.0, acquisition_timeout: float = 10.0,
                retry_seconds: float = 10.0) -> Graph:
        auth = (user, password) if password else None
        driver = GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=acquisition_timeout,
            max_transaction_retry_time=retry_seconds,
            # Server notifications (e.g. "property key does not exist" for a property no node
            # has yet) are advice for query authors, not events for operators' logs.
            notifications_min_severity="OFF",
        )
        return cls(driver, database, uri, retry_seconds=retry_seconds)

    @classmethod
    def from_settings(cls, settings: Settings, *, interactive: bool = False) -> Graph:
        """The graph the settings name; the web app, the worker and the CLI all open it so.

        ``interactive`` (the web app) gives up quickly: a request waits at most about
        ``CIVICGRAPH_NEO4J_ACQUIRE_TIMEOUT`` per attempt and retries for
        ``CIVICGRAPH_NEO4J_RETRY_SECONDS`` (the driver's first retry comes after about a
        second), so an outage is answered 503 within two seconds instead of 15 to 30. Workers
        and the CLI keep the driver's patient defaults: nobody is waiting on a socket there,
        and a transient error (a deadlock between writers) deserves several retries.
        """
        if interactive:
            return cls.connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                               settings.neo4j_database,
                               connection_timeout=settings.neo4j_connect_timeout,
                               acquisition_timeout=settings.neo4j_acquire_timeout,
                               retry_seconds=settings.neo4j_retry_seconds)
        return cls.connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                           settings.neo4j_database)

    def run(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
    ) -> list[Record]:
        """Send one statement in its own transaction (retried on transient errors).

        A write runs in a managed transaction. A read runs as an auto-commit transaction
        (``_read``): one round trip to the server instead of two, since there is nothing to
        commit; this is the path every GraphQL read takes.
        """
        parameters = dict(params or {})
        started = time.perf_counter()
        ok = False
        current = _current_tx.get()
        try:
            if current is not None and current[0] is self:
                inside = list(current[1].run(cypher, parameters))
                ok = True
                return inside
            if write:
                records, _summary, _keys = self.driver.execute_query(
                    cypher, parameters_=parameters, routing_=RoutingControl.WRITE,
                    database_=self.database)
            else:
                records = self._read(cypher, parameters)
            ok = True
        finally:
            seconds = time.perf_counter() - started
            metrics.cypher_statement(write, ok, seconds)
            log = _current_log.get()
            if log is not None:
                log.add(cypher, parameters, seconds)
        return records

    def _read(self, cypher: LiteralString, parameters: dict[str, Any]) -> list[Record]:
        """One read as an auto-commit transaction, retried as the driver retries its managed
        transactions: on an error the driver calls retryable (the server restarting, a leader
        switch, a connection lost), after about 1 s, then doubling with 20% jitter, until
        ``retry_seconds`` have passed since the first failure; then the last error is raised
        (the web app answers it 503). A read is safe to repeat. The session shares
        ``execute_query``'s bookmark manager, so a read still sees the writes this process
        committed before it, on a cluster too.
        """
        delay = 1.0
        first_failure: float | None = None
        while True:
            try:
                with self.driver.session(
                        database=self.database, default_access_mode=READ_ACCESS,
                        bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
                    return list(session.run(cypher, parameters))
            except (DriverError, Neo4jError) as error:
                if not error.is_retryable():
                    raise
                now = time.monotonic()
                first_failure = now if first_failure is None else first_failure
                left = self.retry_seconds - (now - first_failure)
                if left <= 0:
                    raise
                time.sleep(min(left, delay * random.uniform(0.8, 1.2)))
                delay *= 2

    def write_transaction(self, work: Callable[[], T]) -> T:
        """Run ``work`` so that every ``run`` inside it is one write transaction.

        A mutation that needs two statements (a read, then the write it decides) must still
        commit all or nothing. ``work`` is the driver's transaction function: it is replayed
        on a transient error (deadlock, leader switch), so it must not act outside the graph,
        and an exception it raises rolls everything back. Nested calls join the outer one.
        """
        current = _current_tx.get()
        if current is not None and current[0] is self:
            return work()
        number = next(_transactions)

        def unit(tx: ManagedTransaction) -> T:
            token = _current_tx.set((self, tx, number))
            try:
                return work()
            finally:
                _current_tx.reset(token)

        with self.driver.session(database=self.database) as session:
            return session.execute_write(unit)

    @contextlib.contextmanager
    def stream(
        self, cypher: LiteralString, params: Mapping[str, Any] | None = None,
        *, fetch_size: int = 2000,
    ) -> Iterator[Iterator[Record]]:
        """Rows of one read statement, pulled from the server ``fetch_size`` at a time.

        The result is iterated inside one read transaction, so only one batch of records is in
        this process at once, whatever the number of rows (kit builds rely on it).
        """
        parameters = dict(params or {})
        started = time.perf_counter()
        ok = False
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS,
                                     fetch_size=fetch_size) as session, \
                    session.begin_transaction() as tx:
                yield iter(tx.run(cypher, parameters))
            ok = True
        finally:
            seconds = time.perf_counter() - started
            metrics.cypher_statement(False, ok, seconds)
            log = _current_log.get()
            if log is not None:
                log.add(cypher, parameters, seconds)

    def query_type(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> str:
        """What the planner says a statement does ('r', 'rw', 'w' or 's'), without running it."""
        parameters = dict(params or {})
        started = time.perf_counter()
        explained: LiteralString = "EXPLAIN " + cypher
        try:
            with self.driver.session(database=self.database,
                                     default_access_mode=READ_ACCESS) as session:
                summary = session.run(explained, parameters).consume()
        finally:
            log = _current_log.get()
            if log is not None:
                log.add(explained, parameters, time.perf_counter() - started)
        return str(summary.query_type)

    def ping(self) -> None:
        """Raise if Bolt does not answer; readiness is defined by this, not by a port check."""
        self.driver.verify_connectivity()

    def close(self) -> None:
        self.driver.close()
