"""Every Prometheus metric the platform exports, named and labelled once (``/metrics``).

Each metric is defined here and nowhere else, and each domain records through the small
functions below, so a name or a label set cannot drift between the web app, the worker and the
feeds. Labels take only values from bounded sets (route templates, task names, platform names
an administrator registered, outcome words); a client-chosen value (a GraphQL operation name)
is admitted only in a safe shape and up to a fixed number of distinct values per process, so no
caller can grow the number of series without bound.

Multi-process (gunicorn's workers, Celery's pool): when ``PROMETHEUS_MULTIPROC_DIR`` is set
before this module is first imported, prometheus_client keeps every process's values in files
there and ``/metrics`` sums them (``api/http/metrics.py``). ``civicgraph up`` points the web
tier and the worker at one fresh folder under ``var/``, so one scrape shows both.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from prometheus_client import Counter, Histogram

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_JOBS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)

HTTP_REQUESTS = Counter(
    "civicgraph_http_requests_total", "HTTP requests answered, by route template and status.",
    ["route", "method", "status", "operation"])
HTTP_LATENCY = Histogram(
    "civicgraph_http_request_duration_seconds", "Time to answer an HTTP request.",
    ["route", "method", "operation"], buckets=_LATENCY)
CYPHER_LATENCY = Histogram(
    "civicgraph_cypher_statement_duration_seconds",
    "Time of one Cypher statement through Graph.run or Graph.stream, by access mode and outcome.",
    ["access", "outcome"], buckets=_LATENCY)
TOKENS_ISSUED = Counter(
    "civicgraph_oauth_tokens_issued_total", "Access tokens issued by /oauth/token.",
    ["grant_type"])
TOKEN_REFUSALS = Counter(
    "civicgraph_oauth_token_refusals_total",
    "Refused token requests (endpoint=token) and refused bearer tokens (endpoint=api).",
    ["endpoint", "reason"])
TASK_RUNS = Counter(
    "civicgraph_task_runs_total", "Celery task runs that ended, by task and outcome.",
    ["task", "outcome"])
TASK_LATENCY = Histogram(
    "civicgraph_task_duration_seconds", "Time a Celery task ran.", ["task"], buckets=_JOBS)
SYNC_RECORDS = Counter(
    "civicgraph_sync_records_total",
    "Feed records handled by sync runs, by platform and outcome (rate() gives records/s).",
    ["platform", "outcome"])
SYNC_QUARANTINED = Counter(
    "civicgraph_sync_quarantined_total", "Feed records quarantined, by platform.", ["platform"])
SYNC_RUN_LATENCY = Histogram(
    "civicgraph_sync_run_duration_seconds", "Time of one sync run, by platform and status.",
    ["platform", "status"], buckets=_JOBS)
KIT_BUILD_LATENCY = Histogram(
    "civicgraph_kit_build_duration_seconds", "Time of one kit build, by kit and final state.",
    ["kit", "state"], buckets=_JOBS)

_OPERATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATION_NAMES = 200
_operations: set[str] = set()
_operations_lock = threading.Lock()


def operation_label(name: object) -> str:
    """A GraphQL operation name as a label: "-" for none, "other" past the bound."""
    if not isinstance(name, str) or not name:
        return "-"
    if not _OPERATION.match(name):
        return "other"
    with _operations_lock:
        if name in _operations:
            return name
        if len(_operations) >= MAX_OPERATION_NAMES:
            return "other"
        _operations.add(name)
    return name


def http_request(route: str, method: str, status: int, operation: str, seconds: float) -> None:
    HTTP_REQUESTS.labels(route, method, str(status), operation).inc()
    HTTP_LATENCY.labels(route, method, operation).observe(seconds)


def cypher_statement(write: bool, ok: bool, seconds: float) -> None:
    CYPHER_LATENCY.labels("write" if write else "read", "ok" if ok else "error").observe(seconds)


def token_issued(grant_type: str) -> None:
    TOKENS_ISSUED.labels(grant_type or "-").inc()


def token_refused(endpoint: str, reason: str) -> None:
    """``reason``: an OAuth error code (invalid_client, invalid_grant, rate_limited, ...)."""
    TOKEN_REFUSALS.labels(endpoint, reason if _OPERATION.match(reason) else "other").inc()


def sync_run_finished(platform: str, status: str, seconds: float, *, created: int = 0,
                      updated: int = 0, unchanged: int = 0, quarantined: int = 0) -> None:
    """For the feeds (partners.service.sync): one call when a run ends, however it ends."""
    for outcome, count in (("created", created), ("updated", updated),
                           ("unchanged", unchanged), ("quarantined", quarantined)):
        if count:
            SYNC_RECORDS.labels(platform, outcome).inc(count)
    if quarantined:
        SYNC_QUARANTINED.labels(platform).inc(quarantined)
    SYNC_RUN_LATENCY.labels(platform, status).observe(seconds)


def kit_build_finished(kit: str, state: str, seconds: float) -> None:
    KIT_BUILD_LATENCY.labels(kit, state).observe(seconds)


# Celery's task_prerun and task_postrun signals call these (connected by the worker's app,
# workers/celery_app.py, as the core knows no Celery here): a task's start time
# is kept by task id between task_prerun and task_postrun, which run in the same process.
_task_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, state: str | None = None,
                  **_: Any) -> None:
    name = str(getattr(task, "name", None) or "unknown")
    started = _task_started.pop(task_id or "", None)
    TASK_RUNS.labels(name, (state or "UNKNOWN").lower()).inc()
    if started is not None:
        TASK_LATENCY.labels(name).observe(time.perf_counter() - started)

