"""`make bench-graph`: two nested reads at 1, 8 and 32 concurrent clients, three ways against one
seeded graph. The partner graph's read: organisations -> partners -> vacancies -> skills; the
cross-domain read: the lab's challenges -> proposals -> proposer organisation -> partners ->
vacancies (challenges and proposals seeded beside the generated partner graph, read as an admin,
since a proposal is seen by lab staff and its own organisation only). Each is served:

- CivicGraph's GraphQL gateway, served by gunicorn;
- the same Cypher statement the gateway compiles, bare through the Python driver (the floor);
- the Neo4j GraphQL Library (@neo4j/graphql 7 on @apollo/server 5) serving the same database.

It starts its own embedded Neo4j (with APOC, which only the library needs) in var/bench/, seeds it
once with `civicgraph generate` (kept between runs), and writes the figures to docs/benchmarks.md
under "## Partner graph: nested read". Everything listens on 127.0.0.1 only. It also times deep
keyset paging: page 1,000 of the vacancies (100 a page) against page 1, through the gateway.

Smaller runs for one's own profiling: BENCH_ORGANISATIONS, BENCH_VACANCIES, BENCH_CHALLENGES,
BENCH_SECONDS, BENCH_CLIENTS ("1,8"), BENCH_READS ("nested", "cross" or both) and
BENCH_PEER_PROCESSES (the library's Node processes, one per CPU by default, as gunicorn has one
worker per CPU) in the environment. BENCH_WORKER picks how gunicorn serves: "gthread" (the default:
BENCH_THREADS threads a worker, enough for the highest client level) or "gevent" (the deployed
configuration, ``civicgraph.api.http.serving``); the section written names the one measured, as
the two differ. On 2026-12-04 (2 CPUs, nothing else running) gevent's p50 against the bare
statement's was better at 8 and 32 clients (1.22-1.45x against gthread's 1.39-1.54x: about 0.1 ms
less CPU a request, with no hand-off of each keep-alive connection between gthread's poller thread
and its pool) but worse at one client (1.74x against 1.30-1.59x: 1.45 ms of worker CPU a request
against about 1.1). (On 2026-12-02, on older code, gevent had been 1.5-2x slower throughout.)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import requests
from neo4j import READ_ACCESS, GraphDatabase

from bench import harness
from bench.graph_load import http_call, load
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
CHALLENGES = int(os.environ.get("BENCH_CHALLENGES", "500"))
PROPOSALS_EACH = 8
READS = os.environ.get("BENCH_READS", "nested,cross").split(",")
WORKER = os.environ.get("BENCH_WORKER", "gthread")
THREADS = int(os.environ.get("BENCH_THREADS", str(max(8, max(LEVELS) // (os.cpu_count() or 2)))))
"""gthread threads a worker: enough for every client of the highest level to be served at once
(32 clients on 2 workers: 16), as the deployed gevent worker serves every connection at once.
With fewer, the clients past the threads wait in gunicorn's queue and the p50 compared with
the bare statement's (whose clients all run in Neo4j at once) measures that queue: 8 threads
gave 1.55x and 1.98x the bare p50 of the nested read at 32 clients in two runs of the same
code."""
# As many Node processes as gunicorn workers: one Node process is one core for the library's own
# JavaScript, while ours has every core.
PEER_PROCESSES = int(os.environ.get("BENCH_PEER_PROCESSES", str(os.cpu_count() or 2)))
if WORKER not in ("gthread", "gevent"):
    raise SystemExit(f"BENCH_WORKER is gthread or gevent, not {WORKER!r}")
THROUGHPUT_TARGET = 2.5
P50_TARGET = 1.5

OUR_QUERY = """query Nested { organisations(first: 10, orderBy: [{field: NAME}]) { edges { node {
  id name partners(first: 5) { nodes { id name vacancies(first: 5) { nodes { id title
    skills(first: 5) { nodes { name } } } } } }
} } } }"""
LIBRARY_QUERY = """query Nested { organisations(limit: 10, sort: [{name: ASC}]) {
  id name partners(limit: 5, sort: [{name: ASC}]) { id name
    vacancies(limit: 5, sort: [{title: ASC}]) { id title skills(limit: 5, sort: [{name: ASC}]) {
      name } } } } }"""
CROSS_QUERY = """query Cross { challenges(first: 10, orderBy: [{field: TITLE}]) { nodes {
  id title proposals(first: 5, orderBy: [{field: TITLE}]) { nodes { id title proposer {
    id name partners(first: 5) { nodes { id name vacancies(first: 5) { nodes { id title } } } }
  } } } } } }"""
CROSS_LIBRARY_QUERY = """query Cross { challenges(limit: 10, sort: [{title: ASC}]) {
  id title proposals(limit: 5, sort: [{title: ASC}]) { id title proposer(limit: 1) {
    id name partners(limit: 5, sort: [{name: ASC}]) { id name
      vacancies(limit: 5, sort: [{title: ASC}]) { id title } } } } } }"""
DEEP_QUERY = """query Deep($after: String) { vacancies(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id title } } }"""
DEEP_PAGE = 1000


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


def seed_lab(graph: Graph) -> int:
    """Opened challenges, each with proposals sent by generated organisations (deterministic
    picks, so every run reads the same answers); kept between runs like the partner graph."""
    have = graph.run("RETURN COUNT { (:Challenge) } AS n")[0]["n"]
    if have >= CHALLENGES:
        return int(have)
    graph.run(
        "MATCH (o:Organisation) WITH collect(o) AS orgs "
        "UNWIND range(1, $challenges) AS i "
        "CREATE (c:Challenge {id: randomUUID(), title: 'Challenge ' + right('0000' + i, 5), "
        "  description: 'A bench challenge.', status: 'OPEN', version: 1, "
        "  createdAt: datetime(), updatedAt: datetime(), deadline: datetime() + duration('P30D')}) "
        "WITH c, orgs, i UNWIND range(1, $each) AS j "
        "WITH c, orgs[(i * 7919 + j * 104729) % size(orgs)] AS o, i, j "
        "CREATE (p:Proposal {id: randomUUID(), title: 'Proposal ' + i + '-' + j, "
        "  summary: 'A bench proposal.', status: 'SUBMITTED', version: 1, "
        "  createdAt: datetime(), updatedAt: datetime()})-[:RESPONDS_TO]->(c) "
        "CREATE (p)-[:SUBMITTED_BY]->(o)",
        {"challenges": CHALLENGES, "each": PROPOSALS_EACH}, write=True)
    return CHALLENGES


def admin_token(graph: Graph, base: str) -> str:
    """A client-credentials token with the admin scope, from the gateway's own token endpoint."""
    from civicgraph.identity.service import clients as oauth_clients

    created, secret = oauth_clients.create(graph, name="bench", organisation_id=None,
                                           scopes=["admin"], grant_types=["client_credentials"])
    response = requests.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(created["clientId"], secret or ""), timeout=30)
    response.raise_for_status()
    return str(response.json()["access_token"])


def wait_http(url: str, body: dict[str, Any], alive: Callable[[], bool]) -> None:
    def answers() -> bool:
        return requests.post(url, json=body, timeout=5).status_code == 200
    devstack.wait_until(answers, 120, url, alive)


def gateway_statement(graph: Graph, query: str, principal: Any) -> tuple[str, dict[str, Any],
                                                                        dict[str, Any]]:
    """The exact statement and parameters the gateway sends for ``query`` over HTTP (page items
    as the database's JSON text, compiler/json_text.py), and its answer."""
    from civicgraph.api.context import RequestContext
    from civicgraph.compiler import json_text
    from civicgraph.gateway import execution

    wanted = json_text.WANTED.set(True)
    try:
        with recording_statements(keep_values=True) as log:
            answer = execution.run(query, None, None, RequestContext(
                graph=graph, tasks=None, request_id="bench", principal=principal))  # type: ignore[arg-type]
    finally:
        json_text.WANTED.reset(wanted)
    assert "errors" not in answer.body, answer.body
    assert len(log.entries) == 1, [e["cypher"] for e in log.entries]
    assert json_text.FUNCTION in log.entries[0]["cypher"], "APOC is missing: run `make neo4j`"
    data = orjson.loads(orjson.dumps(answer.body["data"]))
    return log.entries[0]["cypher"], log.entries[0]["values"], data


def deep_paging(url: str, graph: Graph) -> dict[str, float]:
    """p50 of page 1 and of page DEEP_PAGE (100 vacancies a page) through the gateway: the
    cursor of the last item of page DEEP_PAGE - 1 is made as the API makes it."""
    from civicgraph.compiler import cursors

    total = graph.run("MATCH (v:Vacancy) WHERE NOT v:Unpublished RETURN count(v) AS n")[0]["n"]
    page = min(DEEP_PAGE, max(1, total // 100))
    row = graph.run("MATCH (v:Vacancy) WHERE v.title IS NOT NULL AND NOT v:Unpublished "
                    "WITH v ORDER BY v.title, v.id SKIP $skip LIMIT 1 "
                    "RETURN v.title AS title, v.id AS id", {"skip": (page - 1) * 100 - 1})[0]
    deep = cursors.encode(cursors.fingerprint("vacancies", {}), [row["title"], row["id"]])
    figures: dict[str, float] = {"page": page}
    for name, after in (("first", None), ("deep", deep)):
        call, make_client = http_call(url, DEEP_QUERY, variables={"after": after})
        client = make_client()
        times = []
        for _ in range(60):
            started = time.perf_counter()
            assert call(client)
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = statistics.median(times[10:])
    return figures


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    stack: list[devstack.Service] = []
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    statements: dict[str, str] = {}
    with devstack.running(stack):
        uri = harness.start_neo4j(stack, VAR / "neo4j", VAR / "log" / "neo4j.log", "2g",
                                  apoc=True, pagecache="1g")
        graph = Graph.connect(uri, "neo4j", "", "neo4j")
        apoc = graph.run("RETURN apoc.version() AS v")[0]["v"]
        print(f"neo4j with APOC {apoc}; seeding {ORGS} organisations, {VACANCIES} vacancies…")
        seeded = seed(graph)
        seed_lab(graph)
        size = graph.run("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"], \
            graph.run("MATCH ()-[r]->() RETURN count(r) AS rels")[0]["rels"]
        redis_port = devstack.free_port()
        redis = devstack.redis_service(redis_port, VAR / "redis", VAR / "log" / "redis.log")
        redis.start()
        stack.append(redis)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        devstack.wait_for_redis(redis_url, 30, redis.alive)

        env = {**os.environ, "NEO4J_URI": uri, "CIVICGRAPH_ENV": "production",
               "CIVICGRAPH_DEBUG_CYPHER": "false", "CIVICGRAPH_LOG_LEVEL": "WARNING",
               "REDIS_URL": redis_url}
        web_port = devstack.free_port()
        workers = os.cpu_count() or 2
        # The deployed configuration file (limits, keepalive, the worker's GC tuning); only the
        # worker class differs unless BENCH_WORKER=gevent.
        serving = ["-c", "python:civicgraph.api.http.serving",
                   *([] if WORKER == "gevent"
                     else ["--worker-class", "gthread", "--threads", str(THREADS)])]
        web = devstack.Service("gunicorn", [
            sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{web_port}", "--workers",
            str(workers), *serving, "civicgraph.app:create_app()"],
            VAR / "log" / "web.log", env=env)
        web.start()
        stack.append(web)
        node_port = devstack.free_port()
        peer = devstack.Service("neo4j-graphql", [
            "node", str(PROJECT_ROOT / "bench" / "neo4j-graphql-server.mjs"), str(node_port), uri,
            str(PEER_PROCESSES)],
            VAR / "log" / "neo4j-graphql.log", cwd=PROJECT_ROOT / "bench")
        peer.start()
        stack.append(peer)
        base = f"http://127.0.0.1:{web_port}"
        ours = f"{base}/graphql"
        library = f"http://127.0.0.1:{node_port}/"
        wait_http(ours, {"query": "{ organisations(first: 1) { totalCount } }"}, web.alive)
        wait_http(library, {"query": "{ __typename }"}, peer.alive)
        token = admin_token(graph, base)
        processes = {name: service.process.pid for name, service in (
            ("neo4j", stack[0]), ("gateway", web), ("library", peer)) if service.process}

        from civicgraph.core.access import ADMIN, ANONYMOUS, Principal

        admin = Principal(subject="bench", client_id="bench", scopes=frozenset({ADMIN}))
        View = Callable[[Any], Any]
        reads: dict[str, tuple[str, str, Principal, dict[str, str] | None, View, View]] = {
            "nested": (OUR_QUERY, LIBRARY_QUERY, ANONYMOUS, None,
                       lambda d: [e["node"]["name"] for e in d["organisations"]["edges"]],
                       lambda d: [o["name"] for o in d["organisations"]]),
            "cross": (CROSS_QUERY, CROSS_LIBRARY_QUERY, admin,
                      {"Authorization": f"Bearer {token}"},
                      lambda d: [(c["title"], [p["title"] for p in c["proposals"]["nodes"]])
                                 for c in d["challenges"]["nodes"]],
                      lambda d: [(c["title"], [p["title"] for p in c["proposals"]])
                                 for c in d["challenges"]]),
        }
        driver = GraphDatabase.driver(uri, auth=None, max_connection_pool_size=100)
        for read in READS:
            query, lib_query, principal, headers, ours_view, lib_view = reads[read]
            cypher, params, ours_first = gateway_statement(graph, query, principal)
            statements[read] = cypher
            lib_first = requests.post(library, json={"query": lib_query}, timeout=60).json()
            assert "errors" not in lib_first, lib_first
            assert ours_view(ours_first) == lib_view(lib_first["data"]), f"the {read} reads differ"
            served = requests.post(ours, json={"query": query}, headers=headers, timeout=60)
            assert served.json() == {"data": ours_first}, f"the served {read} answer differs"

            def bare(_: Any, cypher: str = cypher, params: dict[str, Any] = params) -> bool:
                # As the gateway sends a read (core/graph.py, Graph._read): an auto-commit
                # transaction in a fresh session sharing execute_query's bookmark manager.
                with driver.session(database="neo4j", default_access_mode=READ_ACCESS,
                                    bookmark_manager=driver.execute_query_bookmark_manager
                                    ) as session:
                    records = list(session.run(cypher, params))
                return bool(records[0]["items"])

            targets: list[tuple[str, Callable[[Any], bool], Callable[[], Any]]] = [
                ("bare Cypher (driver)", bare, lambda: None),
                ("CivicGraph (gunicorn)", *http_call(ours, query, headers)),
                ("@neo4j/graphql 7", *http_call(library, lib_query)),
            ]
            results[read] = {}
            for name, call, make_client in targets:
                warm = time.perf_counter() + 5
                client = make_client()
                while time.perf_counter() < warm:
                    call(client)
                results[read][name] = []
            # Level by level, the three targets one after the other, so that they share the
            # machine's conditions (it may be busy with other work) as closely as possible.
            for clients in LEVELS:
                for name, call, make_client in targets:
                    row = load(call, make_client, clients, seconds=SECONDS,
                               max_requests=MAX_REQUESTS, processes=processes)
                    results[read][name].append(row)
                    print(f"{read:6} {name:24} c={clients:<3} {row['rps']:8.1f} req/s  "
                          f"p50 {row['p50']:7.2f}  p95 {row['p95']:7.2f}  p99 {row['p99']:7.2f}"
                          f" ms  errors {row['errors']}  CPU ms/req "
                          + " ".join(f"{k} {v:.2f}" for k, v in row["cpu"].items() if v >= 0.005),
                          flush=True)
        deep = deep_paging(ours, graph)
        print(f"keyset paging: page 1 p50 {deep['first']:.2f} ms, page {deep['page']:.0f} "
              f"p50 {deep['deep']:.2f} ms", flush=True)
        driver.close()
        graph.close()
    write_doc(results, seeded, size, statements, deep)


READ_TITLES = {
    "nested": "10 organisations by name -> 5 partners each -> 5 vacancies each -> 5 skills each "
              "(anonymous)",
    "cross": "10 challenges by title -> 5 proposals each -> the proposer organisation -> 5 "
             "partners -> 5 vacancies each (as an admin)",
}


def write_doc(results: dict[str, dict[str, list[dict[str, Any]]]], seeded: dict[str, Any],
              size: tuple[int, int], statements: dict[str, str], deep: dict[str, float]) -> None:
    lines = [
        HEADING, "",
        f"Measured {harness.measured_at()} by `make bench-graph` on {harness.machine()}; "
        "everything (Neo4j, gunicorn, Node and the load generator) on this one machine, over "
        f"loopback; load average at the end {harness.load_average():.1f} (other "
        "work shares this machine, so absolute figures are noisy; the ratios compare targets "
        "run back to back at each level).", "",
        f"Data: `civicgraph generate --organisations {ORGS} --vacancies {VACANCIES} --skills "
        f"{SKILLS} --seed 42` and {CHALLENGES} challenges with {PROPOSALS_EACH} proposals each: "
        f"{size[0]} nodes, {size[1]} relationships"
        + (f" (seeded at {seeded['recordsPerSecond']} records/s"
           + (", in an earlier run" if seeded["reused"] else "") + ")"
           if "recordsPerSecond" in seeded else " (reused from an earlier run)") + ".", "",
        "CivicGraph compiles each read to one statement; the bare row runs that statement "
        "through the Python driver; the library runs its own translation. Each level runs "
        f"{SECONDS:.0f} s (or {MAX_REQUESTS} requests) after a 5 s warm-up; clients are "
        "Python threads, each on one keep-alive `http.client` connection (each answer checked "
        "on its bytes: status 200, `{\"data\":`, no `\"errors\"`; the first answer of each "
        "read is compared in full with the library's), the bare row reads as the gateway does "
        "(an auto-commit transaction). gunicorn: "
        + (f"{os.cpu_count()} gevent workers (the deployed configuration, "
           "`civicgraph.api.http.serving`)" if WORKER == "gevent" else
           f"{os.cpu_count()} gthread workers x {THREADS} threads (`BENCH_WORKER=gevent` "
           "measures the deployed gevent configuration)")
        + f"; the library: {PEER_PROCESSES} Node processes (node:cluster on one port).", "",
    ]
    for read, by_target in results.items():
        bare, ours, lib = (by_target[k] for k in by_target)
        lines += [f"### {READ_TITLES[read]}", "",
                  "| clients | target | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms a "
                  "request: Neo4j / gateway / library / load generator |",
                  "|---:|---|---:|---:|---:|---:|---:|---|"]
        for i, clients in enumerate(LEVELS):
            for name, rows in by_target.items():
                r = rows[i]
                cpu = r["cpu"]
                lines.append(f"| {clients} | {name} | {r['rps']:.1f} | {r['p50']:.2f} | "
                             f"{r['p95']:.2f} | {r['p99']:.2f} | {r['errors']} | "
                             f"{cpu['neo4j']:.2f} / {cpu['gateway']:.2f} / {cpu['library']:.2f}"
                             f" / {cpu['client']:.2f} |")
        lines += ["", "Ratios (same run):", "",
                  f"| clients | CivicGraph / library throughput (target >= {THROUGHPUT_TARGET}) "
                  f"| CivicGraph p50 / bare p50 (target <= {P50_TARGET}) |", "|---:|---:|---:|"]
        for i, clients in enumerate(LEVELS):
            lines.append(f"| {clients} | {ours[i]['rps'] / lib[i]['rps']:.2f} | "
                         f"{ours[i]['p50'] / bare[i]['p50']:.2f} |")
        met_rps = [c for i, c in enumerate(LEVELS)
                   if ours[i]["rps"] >= THROUGHPUT_TARGET * lib[i]["rps"]]
        met_p50 = [c for i, c in enumerate(LEVELS) if ours[i]["p50"] <= P50_TARGET * bare[i]["p50"]]
        lines += ["", f"Targets in this run: throughput >= {THROUGHPUT_TARGET}x the library's "
                  f"met at {met_rps or 'no'} clients; p50 <= {P50_TARGET}x the bare Cypher met "
                  f"at {met_p50 or 'no'} clients.", "",
                  "The compiled statement:", "", "```cypher", statements[read], "```", ""]
    lines += ["### Keyset paging", "",
              f"`vacancies(first: 100, after: ...)` through the gateway, one client, p50 of 50 "
              f"requests: page 1 {deep['first']:.2f} ms, page {deep['page']:.0f} "
              f"{deep['deep']:.2f} ms (the cursor is a sort key and an id, so the statement "
              "seeks the title index to it instead of skipping the pages before).", "",
              "The bare row is the database's own time plus the driver: the gateway adds HTTP, "
              "Flask, GraphQL parsing (remembered per query text), the plan lookup and JSON; "
              "with more clients than cores those compete with Neo4j for the same CPUs.", ""]
    doc = harness.write_section("\n".join(lines))
    print(json.dumps({"written": str(doc)}))


if __name__ == "__main__":
    main()
