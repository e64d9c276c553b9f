"""What every benchmark needs, written once: a line describing the machine, an embedded Neo4j of
its own, and its own section of docs/benchmarks.md.

Figures mean little without the machine and its load beside them, so each section names both.
Neo4j is started through `civicgraph.cli.devstack`, the same way `make run` and the tests start
it, and listens on 127.0.0.1 only. Each benchmark rewrites only its own section (from its heading
to the next `## ` heading), so the three can run in any order and the file keeps its structure.
"""

from __future__ import annotations

import os
import platform
import re
import time
from pathlib import Path

import psutil

from civicgraph.cli import devstack
from civicgraph.config import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    """CPUs, model, memory, Python and kernel: what the figures depend on besides the code."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} CPUs (nproc), {model}, {memory:.1f} GiB RAM, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def load_average() -> float:
    """The 1-minute load average: above the number of CPUs, other work shared the machine."""
    return os.getloadavg()[0]


def measured_at() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def start_neo4j(stack: list[devstack.Service], home: Path, log_path: Path, heap: str = "1g", *,
                apoc: bool = False, pagecache: str | None = None) -> str:
    """Start an embedded Neo4j on a free loopback port, add it to `stack` (which stops it), wait
    until it answers over Bolt and return its URI."""
    port = devstack.free_port()
    service = devstack.neo4j_service(port, home, log_path, heap)
    if apoc and devstack.apoc_jar() is None:
        # The embedded Neo4j carries it when `make neo4j` fetched it (devstack.neo4j_service).
        raise SystemExit("APOC is missing: run `make neo4j` (it fetches it with Maven)")
    if pagecache:
        service.argv += ["--pagecache", pagecache]
    service.start()
    stack.append(service)
    uri = f"bolt://127.0.0.1:{port}"
    devstack.wait_for_bolt(uri, "neo4j", "", 180, service.alive)
    return uri


def write_section(section: str, doc: Path = DOC) -> Path:
    """Put `section` (a `## ` heading line, then its text) in place of the section of the same
    heading in `doc`, or after the last section when there is none yet."""
    heading = section.split("\n", 1)[0]
    if not heading.startswith("## "):
        raise ValueError(f"a section starts with its `## ` heading, not {heading!r}")
    section = section.rstrip("\n") + "\n"
    text = doc.read_text() if doc.exists() else "# Benchmarks\n\nWritten by `make bench`.\n"
    found = re.search(rf"^{re.escape(heading)}$", text, re.M)
    if found is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text.find("\n## ", found.end())
        rest = text[following + 1:] if following >= 0 else ""
        text = text[:found.start()] + section + ("\n" + rest if rest else "")
    doc.write_text(text)
    return doc
