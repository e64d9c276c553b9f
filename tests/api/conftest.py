"""The real web tier (gunicorn with the project's serving configuration) on a free port."""

from __future__ import annotations

import os
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from civicgraph.cli import devstack


@dataclass
class Served:
    base: str
    port: int
    metrics_dir: Path
    service: devstack.Service

    def raw(self, request: bytes, timeout: float = 30.0) -> bytes:
        """Send bytes as they are (no client library fixes them up); the whole answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        return answer


def serve(env: dict[str, str], log: Path, metrics_dir: Path, workers: int = 2) -> Served:
    port = devstack.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "CIVICGRAPH_ISSUER": base, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
           "CIVICGRAPH_TOKEN_RATE_PER_IP": "100000", "CIVICGRAPH_TOKEN_RATE_PER_CLIENT": "100000"}
    service = devstack.web_service(env, "127.0.0.1", port, log, workers=workers)
    service.start()

    def answers() -> bool:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
            return bool(response.status == 200)

    try:
        devstack.wait_until(answers, 60, "the web tier", service.alive)
    except devstack.StackError:
        service.stop()
        raise
    return Served(base, port, metrics_dir, service)


@pytest.fixture(scope="session")
def served(services: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """gunicorn serving the app against the session's Neo4j and Redis."""
    env = {**os.environ, "CIVICGRAPH_KEYS_DIR": str(tmp_path_factory.mktemp("served-keys")),
           "CIVICGRAPH_ENV": "test", "CIVICGRAPH_BODY_TIMEOUT_SECONDS": "5"}
    web = serve(env, services["logs"] / "served-web.log", tmp_path_factory.mktemp("metrics"))
    try:
        yield web
    finally:
        web.service.stop()
