"""`make bench-partners`: partner-feed sync throughput and career matching latency.

Starts its own embedded Neo4j (or uses NEO4J_URI, which it then WIPES), syncs generated
schema.org JobPosting file drops through the same code a worker runs (`partner_sync.sync_now`),
and times `careers.match_vacancies` against 100k vacancies. Writes the figures to
docs/benchmarks.md under "## Partner feeds: sync and matching".
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from civicgraph.cli import devstack
from civicgraph.config import PROJECT_ROOT
from civicgraph.core.graph import Graph
from graph_schema import Migrator
from partners.service import careers
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR

HEADING = "## Partner feeds: sync and matching"
SKILLS = [f"urn:esco-sample:skill:bench-{i}" for i in range(300)]
EMPLOYERS = [f"Bench Employer {i}" for i in range(200)]


def posting(n: int, rng: random.Random, title_suffix: str = "") -> dict[str, Any]:
    chosen = rng.sample(SKILLS, 6)
    return {
        "@context": "https://schema.org/", "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "value": f"B-{n:07d}"},
        "title": f"Bench job {n}{title_suffix}", "description": "Generated for the benchmark.",
        "datePosted": "2026-11-01", "validThrough": "2099-12-31",
        "hiringOrganization": {"@type": "Organization", "name": rng.choice(EMPLOYERS)},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Leeds"}},
        "employmentType": "FULL_TIME",
        "skills": [{"@type": "DefinedTerm", "@id": uri, "name": uri.rsplit(":", 1)[-1],
                    **({} if i < 4 else {"esco:relationType": "optional"})}
                   for i, uri in enumerate(chosen)],
    }


def write_feed(path: Path, start: int, count: int, seed: int, changed: float = 0.0) -> None:
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    items = [posting(n, rng, " (changed)" if change.random() < changed else "")
             for n in range(start, start + count)]
    path.write_text(json.dumps(items))


def timed_sync(graph: Graph, name: str) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    run = partner_sync.sync_now(graph, name)
    return run, time.perf_counter() - started


def load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown memory"
    return f"{os.cpu_count()} CPUs (nproc), {memory}, {cpu}, Python {platform.python_version()}"


def bench(graph: Graph, work: Path) -> list[str]:
    graph.run("MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:SchemaMigrationLock "
              "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", write=True)
    feed = work / "jobs.json"
    platform_row = partner_platforms.register(
        graph, name="bench-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
        transport="FILE", location=str(feed), schedule_seconds=0)
    partner_platforms.promote(graph, platform_row["id"], OPERATOR)
    lines = []

    # Warm-up, as a long-running worker would be: JIT-compiled, query plans cached.
    warm = work / "warm.json"
    partner_platforms.register(
        graph, name="warm-board", kind="JOB_BOARD", connector="schemaorg-jobposting",
        transport="FILE", location=str(warm), schedule_seconds=0)
    for start in (5_000_000, 5_010_000):
        write_feed(warm, start, 10_000, seed=start)
        partner_sync.sync_now(graph, "warm-board")
        partner_sync.sync_now(graph, "warm-board")

    write_feed(feed, 0, 20_000, seed=1)
    run, seconds = timed_sync(graph, "bench-board")
    assert run["created"] == 20_000, run
    new_rate = run["created"] / seconds
    lines.append(f"| sync, 20k new records | {run['created'] / seconds:,.0f} records/s "
                 f"({seconds:.1f} s) |")

    write_feed(feed, 0, 20_000, seed=1, changed=0.01)
    run, seconds = timed_sync(graph, "bench-board")
    assert run["updated"] + run["unchanged"] == 20_000, run
    lines.append(f"| re-sync, 20k records, 1% changed ({run['updated']} updated, "
                 f"{run['unchanged']} unchanged) | {20_000 / seconds:,.0f} records/s "
                 f"({seconds:.1f} s) |")
    run, seconds = timed_sync(graph, "bench-board")
    assert run["unchanged"] == 20_000, run
    unchanged_rate = 20_000 / seconds
    lines.append(f"| re-sync, 20k records, all unchanged | {20_000 / seconds:,.0f} records/s "
                 f"({seconds:.1f} s) |")

    write_feed(feed, 0, 100_000, seed=1, changed=0.01)
    run, seconds = timed_sync(graph, "bench-board")
    lines.append(f"| sync to 100k vacancies ({run['created']:,} new, {run['updated']} updated, "
                 f"{run['unchanged']:,} unchanged) | {100_000 / seconds:,.0f} records/s "
                 f"({seconds:.1f} s) |")
    run, seconds = timed_sync(graph, "bench-board")
    lines.append(f"| re-sync, 100k records, all unchanged | {100_000 / seconds:,.0f} records/s "
                 f"({seconds:.1f} s) |")

    rng = random.Random(7)
    careers.match_vacancies(graph, rng.sample(SKILLS, 8), first=10)  # warm the plan cache
    timings = []
    for _ in range(60):
        profile = rng.sample(SKILLS, 8)
        started = time.perf_counter()
        careers.match_vacancies(graph, profile, first=10)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    lines.append(f"| load average at the end (1 min) | {load()} |")
    met = new_rate >= 5_000 and unchanged_rate >= 20_000
    lines.append(f"| targets (5,000/s new, 20,000/s unchanged) | {'met' if met else 'NOT met'} |")
    lines.append(f"| match a profile of 8 skills against 100k vacancies (top 10, explained, "
                 f"with courses) | p50 {p50:.0f} ms, p95 {p95:.0f} ms (60 profiles) |")
    return lines


def write_doc(lines: list[str]) -> None:
    doc = PROJECT_ROOT / "docs" / "benchmarks.md"
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    section = (
        f"{HEADING}\n\n`make bench-partners` ({time.strftime('%Y-%m-%d')}): {machine()}; "
        "embedded Neo4j 5.26 (1 GB heap) on the same machine. Syncs read a generated schema.org "
        "JobPosting file drop (6 ESCO-style skills per posting, 200 employers) through the code "
        "a worker runs: parse, raw-record hash, map and sha256 of canonical JSON where the raw "
        "hash changed, then batched `UNWIND` upserts of 1,000 records per transaction with "
        "provenance and sync bookkeeping, after a warm-up of 20k records (JIT and query "
        "plans warm, as in a long-running worker). Each figure is the whole sync, end to end "
        "(file read to run closed, withdrawal pass included).\n\n"
        "| measure | result |\n|---|---|\n" + "\n".join(lines) + "\n\n"
        "Targets from the issue: at least 5,000 records/s for new records and 20,000 records/s "
        "for unchanged-heavy re-syncs. The run states whether it met them; a load average "
        "above the number of CPUs means other work shared the machine and the figures are "
        "low by that much.\n"
    )
    if HEADING in text:
        before, _, rest = text.partition(HEADING)
        after = rest.split("\n## ", 1)
        text = before + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, devstack.running([]) as stack:
        work = Path(tmp)
        uri = os.environ.get("NEO4J_URI", "").strip()
        if not uri:
            port = devstack.free_port()
            neo4j = devstack.neo4j_service(port, work / "neo4j", work / "neo4j.log", "1g")
            neo4j.start()
            stack.append(neo4j)
            uri = f"bolt://127.0.0.1:{port}"
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD", "")
        devstack.wait_for_bolt(uri, user, password, 120)
        graph = Graph.connect(uri, user, password, os.environ.get("NEO4J_DATABASE", "neo4j"))
        try:
            Migrator(graph.driver, graph.database).migrate()
            lines = bench(graph, work)
        finally:
            graph.close()
    print("\n".join(lines))
    write_doc(lines)
    print("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
