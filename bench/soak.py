"""`make soak`: the whole stack under 32 mixed clients while it is hurt, then a check that nothing
acknowledged was lost and no revoked token came back.

The stack is started the way `civicgraph up` starts it (``civicgraph.cli.devstack``: an embedded
Neo4j, Redis without persistence, a Celery worker, beat and gunicorn), on free ports, with its
data in a temporary folder and its logs (each service's, ``soak.log`` and ``report.json``) in a
folder of the run's own under ``var/soak/``, kept; the worker, beat and web app are
watched by the same ``Supervisor`` that `civicgraph up` uses. For ``SOAK_SECONDS`` (default 300)
32 clients read, write with versions, fetch, use and revoke tokens and push partner records,
while the soak kills the worker with SIGKILL (the supervisor restarts it), opens slow clients
(a body announced and never sent), restarts Redis and restarts Neo4j. Then it checks:

- every write that was answered as done is in the graph (a write that got no answer may or may
  not have landed: the stored value must be the last acknowledged one or one sent after it);
- every revoked token is refused;
- every acknowledged pushed record is in the graph and no sync run of the feed is left RUNNING;
- no answer was a 5xx other than a 503 during an outage (a GraphQL ``INTERNAL_SERVER_ERROR``
  counts as a 500).

The figures go to ``docs/reliability.md`` (``--write``); the exit status is 1 when a check fails.
"""


from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import requests

from bench.soak_clients import (
    CLIENTS,
    REQUEST_TIMEOUT,
    SLOW_CLIENTS,
    TOKEN_READ,
    Client,
    Ledger,
    slow_clients,
)
from bench.soak_report import (
    Outage,
    classify,
    markdown,
    percentile,
    verdict,
    write_soak_section,
)
from civicgraph.cli import devstack
from civicgraph.config import PROJECT_ROOT

log = logging.getLogger("bench.soak")

PROBE_SECONDS = 180.0
"""How long the push after the soak may be refused before the feed counts as wedged: beyond a
dead push's takeover (60 s of silence) plus one of beat's minute checks, with room for a loaded
machine."""
GRACE = 10.0  # seconds after a service answers again during which its outage still counts


class Stack:
    """The services of one soak run, in a temporary folder; logs under var/soak."""

    def __init__(self, base: Path, logs: Path) -> None:
        self.base = base
        self.logs = logs
        self.neo4j_port = devstack.free_port()
        self.redis_port = devstack.free_port()
        self.web_port = devstack.free_port()
        self.url = f"http://127.0.0.1:{self.web_port}"
        self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_port}"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = {**os.environ, "NEO4J_URI": self.neo4j_uri, "REDIS_URL": self.redis_url,
                    "CIVICGRAPH_ISSUER": self.url, "CIVICGRAPH_KEYS_DIR": str(base / "keys"),
                    "CIVICGRAPH_VAR_DIR": str(base / "var"),
                    "CIVICGRAPH_KIT_STORE": str(base / "kits"),
                    "CIVICGRAPH_TOKEN_RATE_PER_IP": "1000000",
                    "CIVICGRAPH_TOKEN_RATE_PER_CLIENT": "1000000"}
        self.neo4j = devstack.neo4j_service(self.neo4j_port, base / "neo4j", logs / "neo4j.log")
        self.redis = devstack.redis_service(self.redis_port, base / "redis", logs / "redis.log")
        self.worker = devstack.worker_service(self.env, logs / "worker.log")
        self.beat = devstack.beat_service(self.env, logs / "beat.log",
                                          base / "celery" / "beat-schedule")
        self.web = devstack.web_service(self.env, "127.0.0.1", self.web_port, logs / "web.log")
        self.supervised = [self.worker, self.beat, self.web]
        self.lines: list[str] = []

    def start(self) -> None:
        self.neo4j.start()
        self.redis.start()
        devstack.wait_for_bolt(self.neo4j_uri, "neo4j", "", 180, self.neo4j.alive)
        devstack.wait_for_redis(self.redis_url, 30, self.redis.alive)
        os.environ.update(NEO4J_URI=self.neo4j_uri, REDIS_URL=self.redis_url)
        from civicgraph.core.graph import Graph
        from graph_schema import Migrator

        graph = Graph.connect(self.neo4j_uri, "neo4j", "", "neo4j")
        Migrator(graph.driver, graph.database).migrate()
        graph.close()
        for service in self.supervised:
            service.start()
        devstack.wait_until(lambda: requests.get(self.url + "/healthz", timeout=2).ok, 90,
                            "the web app", self.web.alive)

    def stop(self) -> None:
        for service in (*reversed(self.supervised), self.redis, self.neo4j):
            service.stop()

    @contextlib.contextmanager
    def supervision(self) -> Iterator[None]:
        supervisor = devstack.Supervisor(self.supervised, self.lines.append)
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.5):
                supervisor.check()

        thread = threading.Thread(target=watch, name="supervisor", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def memory_mib(self) -> dict[str, float]:
        """Resident memory of each of our process groups (gunicorn and the worker fork)."""
        sizes: dict[str, float] = {}
        for service in (self.web, self.worker, self.neo4j, self.redis):
            if service.process is None:
                continue
            total = 0
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(service.process.pid)
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
            sizes[service.name] = total / 2**20
        return sizes


def seed(stack: Stack, per_client: int) -> dict[str, Any]:
    """Admin and victim clients, one skill set per client, a webhook partner platform."""
    from civicgraph.core.graph import Graph
    from civicgraph.identity.service import clients as oauth_clients
    from civicgraph.partner_graph.cypher import writers
    from partners.service import platforms

    graph = Graph.connect(stack.neo4j_uri, "neo4j", "", "neo4j")
    try:
        admin, admin_secret = oauth_clients.create(graph, name="Soak admin",
                                                   organisation_id=None, scopes=["admin"],
                                                   grant_types=["client_credentials"])
        victim, victim_secret = oauth_clients.create(graph, name="Soak tokens",
                                                     organisation_id=None,
                                                     scopes=["graph:read"],
                                                     grant_types=["client_credentials"])
        pusher, pusher_secret = oauth_clients.create(graph, name="Soak feed",
                                                     organisation_id=None,
                                                     scopes=["graph:write"],
                                                     grant_types=["client_credentials"])
        platforms.register(graph, name="soak-board", kind="JOB_BOARD",
                           connector="schemaorg-jobposting", transport="WEBHOOK",
                           client_id=pusher["clientId"])
        skills = [{"id": str(uuid.uuid4()), "uri": f"urn:soak:skill:{i}", "name": f"skill {i}"}
                  for i in range(CLIENTS * per_client)]
        graph.run("UNWIND $rows AS row " + writers.create("Skill", "n", "row"),
                  {"rows": skills}, write=True)
        orgs = [{"id": str(uuid.uuid4()), "name": f"Soak org {i}", "kind": "EMPLOYER",
                 "region": "North", "nameKey": f"soak org {i}|north"} for i in range(50)]
        graph.run("UNWIND $rows AS row " + writers.create("Organisation", "n", "row"),
                  {"rows": orgs}, write=True)
    finally:
        graph.close()
    return {"admin": (admin["clientId"], admin_secret),
            "victim": (victim["clientId"], victim_secret),
            "pusher": (pusher["clientId"], pusher_secret),
            "skills": [s["id"] for s in skills]}


def faults(stack: Stack, seconds: float, outages: list[Outage], notes: list[str]) -> None:
    """The faults, spread over the run: worker killed, slow clients, Redis and Neo4j restarted."""
    begin = time.monotonic()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, begin + seconds * fraction - time.monotonic()))

    def back(outage: Outage, ready: Callable[[], bool]) -> None:
        devstack.wait_until(ready, 300, outage.fault)
        now = time.monotonic()
        outage.recovered_in = now - outage.start
        outage.end = now + GRACE
        log.info("fault over: %s (back after %.1f s)", outage.fault, outage.recovered_in)

    at(0.15)
    outage = Outage("worker killed (SIGKILL), restarted by the supervisor", time.monotonic())
    outages.append(outage)
    log.info("fault: %s", outage.fault)
    first_pid = stack.worker.process.pid if stack.worker.process else None
    stack.worker.kill()
    back(outage, lambda: stack.worker.alive() and stack.worker.process is not None
         and stack.worker.process.pid != first_pid)

    at(0.3)
    outage = Outage(f"{SLOW_CLIENTS} slow clients (1,000-byte body announced, 10 sent)",
                    time.monotonic())
    outages.append(outage)
    log.info("fault: %s", outage.fault)
    worst = slow_clients(stack, SLOW_CLIENTS, min(15.0, seconds * 0.1))
    outage.end = time.monotonic() + GRACE
    outage.recovered_in = 0.0
    notes.append("slowest /healthz while the slow clients were open: " +
                 (f"{worst:.2f} s" if worst != float("inf") else "none answered within the hold"))

    at(0.45)
    outage = Outage("Redis restarted (no persistence: every key lost)", time.monotonic())
    outages.append(outage)
    log.info("fault: %s", outage.fault)
    stack.redis.stop()
    stack.redis.start()
    back(outage, lambda: _redis_answers(stack.redis_url))

    at(0.65)
    outage = Outage("Neo4j restarted", time.monotonic())
    outages.append(outage)
    log.info("fault: %s", outage.fault)
    stack.neo4j.stop()
    stack.neo4j.start()
    back(outage, lambda: _bolt_answers(stack.neo4j_uri))


def _redis_answers(url: str) -> bool:
    import redis

    return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())


def _bolt_answers(uri: str) -> bool:
    """Back means the database answers a query: Bolt accepts connections some seconds before
    the database is started, and the 503s of those seconds belong to the outage."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, connection_timeout=2) as driver:
        driver.execute_query("RETURN 1")
    return True


def check(stack: Stack, ledger: Ledger, creds: dict[str, Any]) -> dict[str, Any]:
    """After the load: acknowledged writes, revoked tokens, the feed, compared with the graph."""
    from civicgraph.core.graph import Graph

    graph = Graph.connect(stack.neo4j_uri, "neo4j", "", "neo4j")
    try:
        stored = {r["id"]: r["name"] for r in graph.run(
            "MATCH (s:Skill) WHERE s.id IN $ids RETURN s.id AS id, s.name AS name",
            {"ids": list(ledger.writes)})}
        lost = 0
        acknowledged = 0
        for skill, sent in ledger.writes.items():
            acked = [i for i, (_, ok) in enumerate(sent) if ok]
            acknowledged += len(acked)
            if not acked:
                continue
            # The last acknowledged value, or one sent after it whose answer never came.
            allowed = {value for value, _ in sent[acked[-1]:]}
            if stored.get(skill) not in allowed:
                lost += 1
        keys = {r["key"] for r in graph.run(
            "MATCH ()-[s:SOURCED_FROM]->(:PartnerPlatform {name: 'soak-board'}) "
            "RETURN s.key AS key")}
        probe = Client(stack, Ledger(), creds, [], 0)
        still_refused = sum(1 for token in ledger.revoked
                            if probe.gql("check", TOKEN_READ, {}, token)[0] == 401)
        # The feed is wedged if pushes stay refused, or if a run stays open after one lands. A
        # run left by a push that the Neo4j restart cut off is taken over by the next push or by
        # beat (partners/service/sync.py: after PUSH_STALE_AFTER), and on a loaded machine a
        # push can outlast the client's timeout, so the probe retries for a bounded time: the
        # first run was refused 409 while beat was still closing the dead run (logs of 12-02).
        began, attempts = time.monotonic(), 0
        while True:
            attempts += 1
            probe.push()
            if probe.ledger.pushed_keys or time.monotonic() - began > PROBE_SECONDS:
                break
            time.sleep(5)
        probe_seconds = time.monotonic() - began
        left_open = graph.run(
            "MATCH (r:SyncRun)-[:SYNCS]->(:PartnerPlatform {name: 'soak-board'}) "
            "WHERE r.status IN ['QUEUED', 'RUNNING'] RETURN count(r) AS n")[0]["n"]
    finally:
        graph.close()
    return {"acknowledged_writes": acknowledged, "lost_writes": lost,
            "revoked": len(ledger.revoked), "revoked_refused": still_refused,
            "resurrected_during_run": ledger.resurrected,
            "pushed_keys": len(ledger.pushed_keys),
            "pushed_missing": len(ledger.pushed_keys - keys), "runs_left_open": left_open,
            "push_after_soak": (
                f"accepted (attempt {attempts}, after {probe_seconds:.0f} s)"
                if probe.ledger.pushed_keys else
                f"refused for {probe_seconds:.0f} s (" + ", ".join(
                    str(a.status) for a in probe.ledger.answers if a.kind == "push") + ")")}


def _keep_logs() -> Path:
    """A folder of this run's own under var/soak (gitignored): the services' logs and the
    soak's, kept after the run so a failure can be diagnosed from them."""
    logs = PROJECT_ROOT / "var" / "soak" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(logs / "soak.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler, logging.StreamHandler()])
    return logs


def run(seconds: float, write: Path | None) -> int:
    logs = _keep_logs()
    log.info("soak of %.0f s; logs in %s; load average %.1f", seconds, logs, os.getloadavg()[0])
    with tempfile.TemporaryDirectory(prefix="civicgraph-soak-") as tmp:
        stack = Stack(Path(tmp), logs)
        try:
            stack.start()
            creds = seed(stack, per_client=4)
            ledger = Ledger()
            outages: list[Outage] = []
            notes: list[str] = []
            skills = creds["skills"]
            clients = [Client(stack, ledger, creds, skills[i::CLIENTS], i) for i in range(CLIENTS)]
            memory_start = stack.memory_mib()
            stop = threading.Event()

            def loop(client: Client) -> None:
                while not stop.is_set():
                    client.step()

            with stack.supervision():
                threads = [threading.Thread(target=loop, args=(c,), daemon=True)
                           for c in clients]
                began = time.monotonic()
                for thread in threads:
                    thread.start()
                hurt = threading.Thread(target=faults, args=(stack, seconds, outages, notes),
                                        daemon=True)
                hurt.start()
                time.sleep(max(0.0, began + seconds - time.monotonic()))
                stop.set()
                for thread in threads:
                    thread.join(REQUEST_TIMEOUT * 3)
                hurt.join(600)  # a late fault (Neo4j) finishes recovering before the checks
                elapsed = time.monotonic() - began
                devstack.wait_until(lambda: requests.get(stack.url + "/healthz", timeout=2).ok,
                                    120, "the web app after the soak")
                memory_end = stack.memory_mib()
                results = check(stack, ledger, creds)
            figures = classify(ledger.answers, outages)
            latencies = [a.seconds for a in ledger.answers if a.status]
            report = {
                "seconds": round(elapsed, 1), "clients": CLIENTS, "requests": len(ledger.answers),
                "per_second": round(len(ledger.answers) / elapsed, 1),
                "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "memory_start_mib": {k: round(v) for k, v in memory_start.items()},
                "memory_end_mib": {k: round(v) for k, v in memory_end.items()},
                "faults": [(o.fault, None if o.recovered_in is None else round(o.recovered_in, 1))
                           for o in outages],
                "supervisor": stack.lines, "notes": notes, **figures, **results,
            }
        finally:
            stack.stop()
    report["failed_checks"] = verdict(report)
    ok = not report["failed_checks"]
    report["passed"] = ok
    (logs / "report.json").write_text(json.dumps(report, indent=2))
    log.info("verdict: %s", "passed" if ok else "failed: " + "; ".join(report["failed_checks"]))
    if write is not None:
        write_soak_section(write, markdown(report))
        log.info("wrote %s; the run's logs are in %s", write, logs)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("SOAK_SECONDS", "300")))
    parser.add_argument("--write", type=Path, default=None,
                        help="write the figures to this markdown file (docs/reliability.md)")
    args = parser.parse_args(argv)
    return run(args.seconds, args.write)


if __name__ == "__main__":
    sys.exit(main())
