"""bench-graph's load generator: client threads on keep-alive connections, latencies and each
process's CPU a request. Kept apart from the benchmark's setup and report (``graph_bench``) so
that what is measured and how it is measured read separately."""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import orjson
import psutil


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and its live descendants (gunicorn's workers,
    the library's Node processes); of this process alone (the load generator, whose children
    are the servers)."""
    try:
        root = psutil.Process(pid)
        family = [root] if pid == os.getpid() else [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in family:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def load(call: Callable[[Any], bool], make_client: Callable[[], Any], clients: int, *,
         seconds: float, max_requests: int,
         processes: dict[str, int] | None = None) -> dict[str, Any]:
    """`clients` threads, each calling in a loop until ``seconds`` or ``max_requests`` is spent;
    with ``processes`` (name to pid), each one's CPU milliseconds a request as well: at a level
    where the two CPUs are saturated, the p50 ratio is a ratio of CPU per request, and this
    shows whose."""
    watched = {"client": os.getpid(), **(processes or {})}
    cpu_before = {name: cpu_seconds(pid) for name, pid in watched.items()}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        client = make_client()
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline and len(latencies) + len(mine) < max_requests:
            started = time.perf_counter()
            ok = call(client)
            mine.append(time.perf_counter() - started)
            failed += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    cpu = {name: (cpu_seconds(pid) - cpu_before[name]) * 1000 / max(1, len(ordered))
           for name, pid in watched.items()}

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"clients": clients, "requests": len(ordered), "errors": errors[0],
            "rps": len(ordered) / elapsed, "p50": pct(0.50), "p95": pct(0.95),
            "p99": pct(0.99), "mean": statistics.fmean(ordered) * 1000, "cpu": cpu}


class HttpClient:
    """One client's keep-alive connection, as light as the standard library allows: the load
    generator shares the two CPUs with what it measures, so its own cost per request is kept
    far below the servers' (requests and a JSON parse of each answer cost it about 1-2 ms a
    request, which both HTTP targets were charged)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path or "/"
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1",
                                                     parts.port, timeout=60)

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.connection.request("POST", self.path, body, headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed an idle keep-alive connection: open a new one, once.
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def http_call(url: str, query: str, headers: dict[str, str] | None = None,
              variables: dict[str, Any] | None = None) -> tuple[Callable[[Any], bool],
                                                                Callable[[], Any]]:
    """A call that POSTs ``query`` and tells whether it was answered without errors, and the
    maker of the per-thread client it takes. The answer itself was compared with the peer's
    once before the load (``main``); under load a 200 whose body is ``{"data": ...}`` with no
    ``"errors"`` member is an answer, checked on the bytes without parsing them."""
    body = orjson.dumps({"query": query, "variables": variables})
    sent = {"Content-Type": "application/json", **(headers or {})}

    def call(client: HttpClient) -> bool:
        status, answer = client.post(body, sent)
        return status == 200 and answer.startswith(b'{"data":') and b'"errors"' not in answer
    return call, lambda: HttpClient(url)
