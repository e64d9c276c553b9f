"""The partner-feed demo for `make run`: the ESCO-shaped sample and three file-drop feeds, one
per shipped format, registered in PRODUCTION and synced, so a fresh start shows synced records
with provenance. Safe on every start: a re-sync of unchanged files writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civicgraph.core.errors import Conflict
from civicgraph.core.graph import Graph
from civicgraph.partner_graph import vocabulary
from partners.cypher import platforms as repo
from partners.service import careers
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"

DEMO_PLATFORMS: list[tuple[str, str, str, str]] = [
    ("demo-company-register", "COMPANY_REGISTER", "companies-house-basic", "companies.csv"),
    ("demo-jobs-board", "JOB_BOARD", "schemaorg-jobposting", "jobs.jsonld"),
    ("demo-training-catalogue", "TRAINING_CATALOGUE", "schemaorg-course", "courses.jsonld"),
]


def sync_demo(graph: Graph) -> dict[str, Any]:
    summary: dict[str, Any] = {"esco": careers.load_esco(graph, vocabulary.sample())}
    for name, kind, connector, filename in DEMO_PLATFORMS:
        platform = repo.platform(graph, name=name)
        if platform is None:
            platform = partner_platforms.register(
                graph, name=name, kind=kind, connector=connector, transport="FILE",
                location=str(DEMO_DIR / filename))
        if platform["mode"] != "PRODUCTION":
            partner_platforms.promote(graph, platform["id"], OPERATOR)
        try:
            done = partner_sync.sync_now(graph, name, trigger="DEMO")
        except Conflict:
            summary[name] = "a sync is already running"
            continue
        summary[name] = {k: done[k] for k in ("status", "seen", "created", "updated",
                                              "unchanged", "withdrawn", "quarantined")}
    return summary
