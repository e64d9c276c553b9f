"""The soak's accounting and its report: what each answer was, which outages it overlapped,
which 5xx are explained by an outage, and the markdown written to docs/reliability.md."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import load_average, machine, measured_at
from civicgraph.config import PROJECT_ROOT


@dataclass
class Answer:
    at: float
    kind: str
    status: int  # 0: no answer (refused, reset, timed out)
    seconds: float
    internal: bool = False  # a GraphQL INTERNAL_SERVER_ERROR inside a 200


@dataclass
class Outage:
    fault: str
    start: float
    end: float = float("inf")
    recovered_in: float | None = None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def classify(answers: list[Answer], outages: list[Outage]) -> dict[str, Any]:
    by_status: Counter[str] = Counter()
    unexplained: Counter[str] = Counter()
    for answer in answers:
        label = "500 (GraphQL INTERNAL_SERVER_ERROR)" if answer.internal else \
            ("no answer" if answer.status == 0 else str(answer.status))
        by_status[label] += 1
        failed = answer.internal or answer.status >= 500
        # A request counts as during an outage when its time in flight overlaps one.
        during = any(answer.at <= o.end and o.start <= answer.at + answer.seconds
                     for o in outages)
        if failed and not (answer.status == 503 and during):
            unexplained[label + (" during an outage" if during else " outside outages")] += 1
    return {"by_status": dict(sorted(by_status.items())), "unexplained": dict(unexplained)}


def verdict(r: dict[str, Any]) -> list[str]:
    """The checks a run failed (none: it passed). A soak that wrote or pushed nothing fails too:
    "nothing acknowledged was lost" is then true of any code, so it would prove nothing."""
    checks = {
        "no write was acknowledged (a soak that wrote nothing proves nothing)":
            r["acknowledged_writes"] > 0,
        "an acknowledged write is missing": r["lost_writes"] == 0,
        "no working token was revoked (a soak that revoked nothing proves nothing)":
            r["revoked"] > 0,
        "a revoked token works after the run": r["revoked_refused"] == r["revoked"],
        "a revoked token worked during the run": r["resurrected_during_run"] == 0,
        "no pushed record was acknowledged": r["pushed_keys"] > 0,
        "an acknowledged pushed record is missing": r["pushed_missing"] == 0,
        "the feed is wedged (a sync run left QUEUED or RUNNING)": r["runs_left_open"] == 0,
        "the feed is wedged (a push after the soak was refused)":
            str(r["push_after_soak"]).startswith("accepted"),
        "a 5xx other than a 503 during an outage": not r["unexplained"],
    }
    return [name for name, held in checks.items() if not held]


BEGIN = "<!-- the last soak: written by `make soak` (bench/soak.py) from here -->"
END = "<!-- the last soak: to here -->"


def write_soak_section(path: Path, section: str) -> None:
    """Replace the last soak's figures in the document, keeping what is written around them
    (the defects and their tests); a document without the markers gets the section at its end."""
    text = path.read_text() if path.exists() else ""
    block = f"{BEGIN}\n{section.strip()}\n{END}\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + block
    path.write_text(text)


def markdown(r: dict[str, Any]) -> str:
    faults = "\n".join(f"| {name} | {'—' if not back else f'{back} s'} |"
                       for name, back in r["faults"])
    statuses = "\n".join(f"| {k} | {v} |" for k, v in r["by_status"].items())
    unexplained = "\n".join(f"- {k}: {v}" for k, v in r["unexplained"].items()) or "- none"
    memory = "\n".join(f"| {k} | {r['memory_start_mib'].get(k, 0)} | {v} |"
                       for k, v in r["memory_end_mib"].items())
    # Paths in the supervisor's lines are shown relative to the project.
    supervisor = "\n".join(f"- `{line.replace(str(PROJECT_ROOT) + os.sep, '')}`"
                           for line in r["supervisor"]) or "- (no line)"
    notes = "\n".join(f"- {n}" for n in r["notes"])
    verdict = "**passed**" if r["passed"] else \
        "**failed**: " + "; ".join(r["failed_checks"])
    return f"""## The last soak

`make soak` (`python -m bench.soak`; `SOAK_SECONDS`, default 300) starts the stack as `civicgraph
up` does, runs {r['clients']} mixed clients (half reads, a quarter versioned writes, token fetch,
use and revocation, partner-feed pushes) and meanwhile kills the worker, opens slow clients,
restarts Redis and restarts Neo4j; then compares what clients were told with the graph.
What the soak does and checks is in the docstring of `bench/soak.py`.

Measured {measured_at()} on {machine()}; load average {load_average():.1f} at the end.
Verdict: {verdict}.

### Load held

{r['requests']} requests in {r['seconds']} s ({r['per_second']}/s) from {r['clients']} clients (the
load runs for the requested time, then the run waits for the last fault to recover);
latency of the answered ones p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms.

### Faults survived

| fault | back after |
|---|---|
{faults}

{notes}

The supervisor's lines:

{supervisor}

### What was checked afterwards

| check | result |
|---|---|
| acknowledged writes | {r['acknowledged_writes']} |
| acknowledged writes missing from the graph | {r['lost_writes']} |
| tokens revoked | {r['revoked']} |
| of which still refused after the run | {r['revoked_refused']} |
| revoked tokens accepted during the run | {r['resurrected_during_run']} |
| pushed records acknowledged | {r['pushed_keys']} |
| of which missing from the graph | {r['pushed_missing']} |
| sync runs left QUEUED or RUNNING | {r['runs_left_open']} |
| a push after the soak | {r['push_after_soak']} |

### Answers by status

| status | answers |
|---|---|
{statuses}

5xx answers that are not a 503 during an outage:

{unexplained}

### Memory (resident, MiB, each process with its children)

| process | start | end |
|---|---|---|
{memory}
"""
