"""Slow clients cannot hold the web tier: fifty connections that announce a body and trickle it
leave /healthz and GraphQL answering (gevent workers, api/http/serving.py)."""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.request

from tests.api.conftest import Served

SLOW_CLIENTS = 50


def test_fifty_slow_bodies_leave_healthz_and_graphql_answering(served: Served) -> None:
    with contextlib.ExitStack() as stack:
        for _ in range(SLOW_CLIENTS):
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", served.port),
                                                                timeout=30))
            sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                         b"\r\nContent-Length: 1000\r\n\r\n0123456789")
        # The two gunicorn workers have all fifty requests reading their bodies now; the
        # threaded worker this replaced had eight slots and timed out here.
        for _ in range(5):
            with urllib.request.urlopen(f"{served.base}/healthz", timeout=30) as response:
                assert response.status == 200
                assert json.load(response)["status"] == "ok"
        query = json.dumps({"query": "{ __typename }"}).encode()
        request = urllib.request.Request(f"{served.base}/graphql", data=query,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["data"] == {"__typename": "Query"}
