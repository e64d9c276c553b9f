"""`make bench-graph`: a nested read (organisations -> partners -> vacancies -> skills) at 1, 8
and 32 concurrent clients, three ways against one seeded graph:

- CivicGraph's GraphQL gateway, served by gunicorn;
- the same Cypher statement the gateway compiles, bare through the Python driver (the floor);
- the Neo4j GraphQL Library (@neo4j/graphql 7 on @apollo/server 5) serving the same database.

It starts its own embedded Neo4j (with APOC, which only the library needs) in var/bench/, seeds it
once with `civicgraph generate` (kept between runs), and writes the figures to docs/benchmarks.md
under "## Partner graph: nested read". Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from neo4j import GraphDatabase, RoutingControl

from bench import harness
from civicgraph.cli import devstack
from civicgraph.config import PROJECT_ROOT
from civicgraph.core.graph import Graph, recording_statements
from civicgraph.partner_graph import generator
from graph_schema import Migrator

HEADING = "## Partner graph: nested read"
VAR = Path(os.environ.get("BENCH_VAR", str(PROJECT_ROOT / "var" / "bench")))
ORGS = int(os.environ.get("BENCH_ORGANISATIONS", "10000"))
VACANCIES = int(os.environ.get("BENCH_VACANCIES", "100000"))
SKILLS = int(os.environ.get("BENCH_SKILLS", "1000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
LEVELS = [int(x) for x in os.environ.get("BENCH_CLIENTS", "1,8,32").split(",")]

OUR_QUERY = """query Nested { organisations(first: 10, orderBy: [{field: NAME}]) { edges { node {
  id name partners(first: 5) { id name vacancies(first: 5) { id title skills(first: 5) { name } } }
} } } }"""
LIBRARY_QUERY = """query Nested { organisations(limit: 10, sort: [{name: ASC}]) {
  id name partners(limit: 5, sort: [{name: ASC}]) { id name
    vacancies(limit: 5, sort: [{title: ASC}]) { id title skills(limit: 5, sort: [{name: ASC}]) {
      name } } } } }"""


def seed(graph: Graph) -> dict[str, Any]:
    Migrator(graph.driver, graph.database).migrate()
    counts = graph.run("RETURN COUNT { (:Organisation) } AS orgs, COUNT { (:Vacancy) } AS vac")[0]
    saved = VAR / "seed.json"
    if counts["orgs"] >= ORGS and counts["vac"] >= VACANCIES:
        earlier = json.loads(saved.read_text()) if saved.exists() else {}
        return {**earlier, "reused": True}
    size = generator.Size(ORGS, VACANCIES, SKILLS, batch=5000)
    report = generator.generate(
        graph, size, 42, lambda n, r, s: print(f"  {n}: {r} in {s:.1f}s", flush=True))
    saved.write_text(json.dumps(report.as_dict()))
    return {"reused": False, **report.as_dict()}


def wait_http(url: str, body: dict[str, Any], alive: Callable[[], bool]) -> None:
    def answers() -> bool:
        return requests.post(url, json=body, timeout=5).status_code == 200
    devstack.wait_until(answers, 120, url, alive)


def load(call: Callable[[Any], bool], make_client: Callable[[], Any],
         clients: int) -> dict[str, Any]:
    """`clients` threads, each calling in a loop until the time or request budget is spent."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def worker() -> None:
        client = make_client()
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
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

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"clients": clients, "requests": len(ordered), "errors": errors[0],
            "rps": len(ordered) / elapsed, "p50": pct(0.50), "p95": pct(0.95),
            "p99": pct(0.99), "mean": statistics.fmean(ordered) * 1000}


def http_call(url: str, query: str, check: Callable[[dict[str, Any]], bool]
              ) -> Callable[[Any], bool]:
    def call(session: requests.Session) -> bool:
        response = session.post(url, json={"query": query}, timeout=60)
        return response.status_code == 200 and check(response.json())
    return call


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    stack: list[devstack.Service] = []
    results: dict[str, list[dict[str, Any]]] = {}
    with devstack.running(stack):
        uri = harness.start_neo4j(stack, VAR / "neo4j", VAR / "log" / "neo4j.log", "2g",
                                  apoc=True, pagecache="1g")
        graph = Graph.connect(uri, "neo4j", "", "neo4j")
        apoc = graph.run("RETURN apoc.version() AS v")[0]["v"]
        print(f"neo4j with APOC {apoc}; seeding {ORGS} organisations, {VACANCIES} vacancies…")
        seeded = seed(graph)
        size = graph.run("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"], \
            graph.run("MATCH ()-[r]->() RETURN count(r) AS rels")[0]["rels"]

        env = {**os.environ, "NEO4J_URI": uri, "CIVICGRAPH_ENV": "production",
               "CIVICGRAPH_DEBUG_CYPHER": "false", "CIVICGRAPH_LOG_LEVEL": "WARNING",
               "REDIS_URL": "redis://127.0.0.1:1/0"}
        web_port = devstack.free_port()
        workers = os.cpu_count() or 2
        web = devstack.Service("gunicorn", [
            sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{web_port}", "--workers",
            str(workers), "--threads", "8", "civicgraph.app:create_app()"],
            VAR / "log" / "web.log", env=env)
        web.start()
        stack.append(web)
        node_port = devstack.free_port()
        peer = devstack.Service("neo4j-graphql", [
            "node", str(PROJECT_ROOT / "bench" / "neo4j-graphql-server.mjs"), str(node_port), uri],
            VAR / "log" / "neo4j-graphql.log", cwd=PROJECT_ROOT / "bench")
        peer.start()
        stack.append(peer)
        ours = f"http://127.0.0.1:{web_port}/graphql"
        library = f"http://127.0.0.1:{node_port}/"
        wait_http(ours, {"query": "{ organisations(first: 1) { totalCount } }"}, web.alive)
        wait_http(library, {"query": "{ __typename }"}, peer.alive)

        # The exact statement and parameters the gateway sends, for the bare-driver floor.
        from civicgraph.api.context import RequestContext
        from civicgraph.gateway import execution

        with recording_statements(keep_values=True) as log:
            answer = execution.run(OUR_QUERY, None, None, RequestContext(
                graph=graph, tasks=None, request_id="bench"))  # type: ignore[arg-type]
        assert "errors" not in answer.body, answer.body
        cypher, params = log.entries[0]["cypher"], log.entries[0]["values"]
        ours_first = answer.body["data"]["organisations"]["edges"]
        lib_first = requests.post(library, json={"query": LIBRARY_QUERY}, timeout=60).json()
        assert "errors" not in lib_first, lib_first
        assert [e["node"]["name"] for e in ours_first] == [
            o["name"] for o in lib_first["data"]["organisations"]], "the two reads differ"

        driver = GraphDatabase.driver(uri, auth=None, max_connection_pool_size=100)

        def bare(_: Any) -> bool:
            records, _s, _k = driver.execute_query(cypher, params, database_="neo4j",
                                                   routing_=RoutingControl.READ)
            return bool(records[0]["items"])

        targets: list[tuple[str, Callable[[Any], bool], Callable[[], Any]]] = [
            ("bare Cypher (driver)", bare, lambda: None),
            ("CivicGraph (gunicorn)", http_call(
                ours, OUR_QUERY, lambda b: "errors" not in b and bool(b.get("data"))),
             requests.Session),
            ("@neo4j/graphql 7", http_call(
                library, LIBRARY_QUERY, lambda b: "errors" not in b and bool(b.get("data"))),
             requests.Session),
        ]
        for name, call, make_client in targets:
            warm = time.perf_counter() + 5
            client = make_client()
            while time.perf_counter() < warm:
                call(client)
            results[name] = []
        # Level by level, the three targets one after the other, so that they share the
        # machine's conditions (it may be busy with other work) as closely as possible.
        for clients in LEVELS:
            for name, call, make_client in targets:
                row = load(call, make_client, clients)
                results[name].append(row)
                print(f"{name:24} c={clients:<3} {row['rps']:8.1f} req/s  p50 {row['p50']:7.2f}"
                      f"  p95 {row['p95']:7.2f}  p99 {row['p99']:7.2f} ms  errors {row['errors']}",
                      flush=True)
        driver.close()
        graph.close()
    write_doc(results, seeded, size, cypher)


def write_doc(results: dict[str, list[dict[str, Any]]], seeded: dict[str, Any],
              size: tuple[int, int], cypher: str) -> None:
    bare, ours, lib = (results[k] for k in results)
    lines = [
        HEADING, "",
        f"Measured {harness.measured_at()} by `make bench-graph` on {harness.machine()}; "
        "everything (Neo4j, gunicorn, Node and the load generator) on this one machine, over "
        f"loopback; load average at the end {harness.load_average():.1f} (other "
        "work shares this machine, so absolute figures are noisy; the ratios compare targets "
        "run back to back at each level).", "",
        f"Data: `civicgraph generate --organisations {ORGS} --vacancies {VACANCIES} --skills "
        f"{SKILLS} --seed 42`: {size[0]} nodes, {size[1]} relationships"
        + (f" (seeded at {seeded['recordsPerSecond']} records/s"
           + (", in an earlier run" if seeded["reused"] else "") + ")"
           if "recordsPerSecond" in seeded else " (reused from an earlier run)") + ".", "",
        "Query: 10 organisations by name -> 5 partners each -> 5 vacancies each -> 5 skills "
        "each. CivicGraph compiles it to one statement; the bare row runs that statement "
        "through the Python driver; the library runs its own translation. Each level runs "
        f"{SECONDS:.0f} s (or {MAX_REQUESTS} requests) after a 5 s warm-up; clients are "
        "Python threads. gunicorn: "
        f"{os.cpu_count()} workers x 8 threads; the library: one Node process.", "",
        "| clients | target | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for i, clients in enumerate(LEVELS):
        for name, rows in results.items():
            r = rows[i]
            lines.append(f"| {clients} | {name} | {r['rps']:.1f} | {r['p50']:.2f} | "
                         f"{r['p95']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    lines += ["", "Ratios (same run):", "",
              "| clients | CivicGraph / library throughput (target >= 1.2) | "
              "CivicGraph p50 / bare p50 (target <= 1.5) |", "|---:|---:|---:|"]
    for i, clients in enumerate(LEVELS):
        lines.append(f"| {clients} | {ours[i]['rps'] / lib[i]['rps']:.2f} | "
                     f"{ours[i]['p50'] / bare[i]['p50']:.2f} |")
    met_rps = [c for i, c in enumerate(LEVELS) if ours[i]["rps"] >= 1.2 * lib[i]["rps"]]
    met_p50 = [c for i, c in enumerate(LEVELS) if ours[i]["p50"] <= 1.5 * bare[i]["p50"]]
    lines += ["", f"Targets in this run: throughput >= 1.2x the library's met at "
              f"{met_rps or 'no'} clients; p50 <= 1.5x the bare Cypher met at "
              f"{met_p50 or 'no'} clients. The bare row is the database's own time plus the "
              "driver: the gateway adds HTTP, Flask, GraphQL parsing (remembered per query "
              "text), the plan lookup and JSON; with more clients than cores those compete with "
              "Neo4j for the same CPUs.", ""]
    lines += ["", "The compiled statement:", "", "```cypher", cypher, "```", ""]
    doc = harness.write_section("\n".join(lines))
    print(json.dumps({"written": str(doc)}))


if __name__ == "__main__":
    main()
