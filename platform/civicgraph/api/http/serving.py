"""gunicorn's configuration for the web tier: ``gunicorn -c python:civicgraph.api.http.serving``.

Why gevent workers: a client that announces a body and sends it slowly holds whatever reads
it. Under the threaded worker that was one of eight threads, so ten slow clients made
``/healthz`` time out; under gevent it is one greenlet among ``worker_connections``, and the
body guard (``body.py``) frees it after ``CIVICGRAPH_BODY_TIMEOUT_SECONDS``. The Neo4j driver,
redis-py and kombu do their I/O through the standard socket module, which gevent patches before
the app is imported, so a request waiting on Neo4j yields to the others too.

Why a JSON ``write_error``: gunicorn answers what it refuses before the app sees it (a request
line too long: 414, headers too large: 431, a malformed request: 400) with an HTML page; the
API promises JSON for every error, so gunicorn's writer is replaced by one that writes the same
``{"error": {"code", "message"}}`` body as ``errors.py``, keeping gunicorn's status and reason.

This module is imported by gunicorn's master before any worker exists: it imports nothing that
would pull in ssl or the app before gevent patches them.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import orjson
from gunicorn import util

worker_class = "gevent"
worker_connections = 1000
# gunicorn's own limits on the request line and headers (its 414 and 431), stated here so
# they are visible; the body limit is the app's (body.py), per route.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
timeout = 30
graceful_timeout = 20
keepalive = 5


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error`` with our JSON body instead of its HTML page."""
    code = reason.upper().replace(" ", "_")
    body = orjson.dumps({"error": {"code": code, "message": mesg or reason}})
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


def on_starting(server: Any) -> None:
    """In the master, before any worker forks: JSON errors, and the metrics folder.

    The folder is emptied by whoever starts the whole stack (``civicgraph up``), not here: the
    Celery worker writes its task metrics into the same folder and may have started first.
    """
    util.write_error = write_json_error
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if metrics_dir:
        Path(metrics_dir).mkdir(parents=True, exist_ok=True)


def post_worker_init(worker: Any) -> None:
    """In each worker, once the app is loaded: the garbage collector tuned for answers.

    What exists now (the app, the GraphQL schema, the model's tables) lives as long as the
    worker, so ``gc.freeze`` takes it out of every later collection. An answer unpacked from
    the driver is thousands of dicts and strings that reference counting frees when the
    response is written; at the default threshold (700 net allocations) the youngest generation
    was scanned several times per answer for cycles it does not have. At 20,000 it is scanned
    about once per large answer: 2-4% fewer instructions per request, counted with callgrind
    on the benchmark's two reads.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended keeps its counters in the sums, but its live gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
