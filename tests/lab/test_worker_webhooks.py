"""The beat's transition and webhook delivery, run by the real Celery worker over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from civicgraph.cli import devstack
from civicgraph.config import load_settings
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.core.queue import create_celery
from civicgraph.lab import tasks as lab_tasks
from civicgraph.lab.service import challenges, machine, webhooks
from tests.builders import wait_for
from tests.lab.builders import AFTER_DEADLINE, FUTURE, RUBRIC, field, person

pytestmark = pytest.mark.worker


class Receiver:
    """A partner platform's endpoint: answers 503 to its first ``failures`` requests."""

    def __init__(self, port: int, failures: int) -> None:
        self.requests: list[dict[str, Any]] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body})
                code = 503 if len(receiver.requests) <= receiver.failures else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    started: list[Receiver] = []
    yield started
    for r in started:
        r.close()


def _draft(graph: Graph, staff: Actor, deadline: str = FUTURE) -> dict[str, Any]:
    field(graph, "employment")
    return challenges.create(graph, staff, title="Reach rural job seekers", description="How?",
                             field_codes=["employment"], criteria=RUBRIC, deadline=deadline)


def test_beat_task_moves_challenges_past_deadline(graph: Graph, staff: Actor,
                                                  worker: devstack.Service) -> None:
    challenge = _draft(graph, staff)
    challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    celery = create_celery(load_settings())
    early = celery.send_task(lab_tasks.CLOSE_DUE_CHALLENGES).get(timeout=60)
    assert early["moved"] == []
    result = celery.send_task(lab_tasks.CLOSE_DUE_CHALLENGES,
                              kwargs={"now": AFTER_DEADLINE}).get(timeout=60)
    assert result["moved"] == [{"id": challenge["id"], "version": 3}]
    assert challenges.get(graph, challenge["id"])["status"] == "EVALUATION"
    last = machine.history(graph, "CHALLENGE", challenge["id"])[-1]
    assert (last["actor"], last["reason"], last["toStatus"]) == (
        "civicgraph-scheduler", "deadline passed", "EVALUATION")


def test_webhooks_survive_receivers_that_are_down(graph: Graph, staff: Actor,
                                                  worker: devstack.Service,
                                                  receivers: list[Receiver]) -> None:
    flaky = Receiver(devstack.free_port(), failures=2)
    receivers.append(flaky)
    down_port = devstack.free_port()  # nothing listens here until later
    partner = person(graph, "Pia Platform", {"LAB_STAFF"})
    flaky_url = f"http://127.0.0.1:{flaky.server.server_port}/hook"
    sub_flaky = webhooks.subscribe(graph, partner, url=flaky_url, events=["challenge.opened"])
    sub_down = webhooks.subscribe(graph, partner, url=f"http://127.0.0.1:{down_port}/hook",
                                  events=["challenge.opened", "proposal.selected"])
    webhooks.subscribe(graph, partner, url="http://127.0.0.1:9/other",
                       events=["pilot.advanced"])  # not interested in this event
    challenge = _draft(graph, staff)
    opened = challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    assert opened["queuedWebhooks"] == 2
    queued = webhooks.outbox_for(graph, challenge["id"])
    assert {(e["subscriptionId"], e["status"]) for e in queued} == {
        (sub_flaky["id"], "PENDING"), (sub_down["id"], "PENDING")}

    celery = create_celery(load_settings())
    assert celery.send_task(lab_tasks.FLUSH_OUTBOX).get(timeout=60) == {"sent": 2}

    def attempts_on_down() -> bool:
        events = webhooks.outbox_for(graph, challenge["id"])
        return any(e["subscriptionId"] == sub_down["id"] and e["attempts"] >= 2 for e in events)

    wait_for(attempts_on_down, timeout=60)
    receivers.append(Receiver(down_port, failures=0))  # the receiver comes back up

    def all_delivered() -> list[dict[str, Any]] | None:
        events = webhooks.outbox_for(graph, challenge["id"])
        return events if all(e["status"] == "DELIVERED" for e in events) else None

    events = {e["subscriptionId"]: e for e in wait_for(all_delivered, timeout=90)}
    flaky_log = [(d["attempt"], d["statusCode"]) for d in events[sub_flaky["id"]]["deliveries"]]
    assert flaky_log == [(1, 503), (2, 503), (3, 200)]
    down_log = events[sub_down["id"]]["deliveries"]
    assert down_log[-1]["statusCode"] == 200
    assert all(d["statusCode"] is None and d["error"] for d in down_log[:-1])
    assert len(down_log) >= 3

    # Every request carried the same event, signed with the subscription's secret.
    assert len(flaky.requests) == 3
    for request in flaky.requests:
        body = request["body"]
        expected = "sha256=" + hmac.new(sub_flaky["secret"].encode(), body,
                                        hashlib.sha256).hexdigest()
        assert request["headers"][webhooks.SIGNATURE_HEADER.lower()] == expected
        assert request["headers"]["x-civicgraph-delivery"] == events[sub_flaky["id"]]["id"]
        payload = json.loads(body)
        assert (payload["event"], payload["id"], payload["from"], payload["to"]) == (
            "challenge.opened", challenge["id"], "DRAFT", "OPEN")
    assert len(receivers[1].requests) == 1
