"""The demo ecosystem for `make run`, safe to load on every start (it adds no duplicates): the
hand-written organisations the console stories name, and around them, at the size asked, the
generated bulk (``partner_graph.demo``: its sizes and seed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.partner_graph import demo as demo_catalogue
from civicgraph.partner_graph import generator, vocabulary
from civicgraph.partner_graph.cypher import bulk
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key

NORTH, METRO = demo_catalogue.NORTH, demo_catalogue.METRO
DEMO_ORGANISATIONS: list[tuple[str, str, str, str]] = [
    ("North Employment Agency", "AGENCY", NORTH,
     "Public employment service for the northern region: jobseeker support and career planning."),
    ("Metro Social Care Department", "AGENCY", METRO,
     "Municipal social care: family services, disability support and housing advice."),
    ("SkillBridge", "START_UP", NORTH,
     "Start-up matching jobseekers' skills to vacancies with explainable recommendations."),
    ("CareerPath Labs", "START_UP", METRO,
     "Start-up building gamified CVs and career-path planning tools."),
    ("Northern Rail Works", "EMPLOYER", NORTH,
     "Regional rail maintenance employer hiring apprentices and technicians."),
    ("Metro Health Trust", "EMPLOYER", METRO,
     "Hospital trust recruiting care assistants, nurses and administrators."),
    ("Open Skills College", "TRAINING_PROVIDER", NORTH,
     "Further-education college offering digital and green-skills courses."),
    ("Community Learning Network", "TRAINING_PROVIDER", METRO,
     "Adult learning in libraries and community centres."),
    ("Back to Work Trust", "THIRD_SECTOR", NORTH,
     "Charity mentoring long-term unemployed people back into work."),
    ("Youth Futures Collective", "THIRD_SECTOR", METRO,
     "Youth organisation running employability workshops and hackathons."),
    ("Institute for Public Service Innovation", "RESEARCH", METRO,
     "Research institute evaluating pilots of new public operating models."),
]

DEMO_PARTNERSHIPS: list[tuple[int, int, str]] = [
    (0, 2, "2024-03-01"), (0, 4, "2023-09-15"), (0, 6, "2022-01-10"), (0, 8, "2021-06-01"),
    (1, 3, "2024-05-20"), (1, 5, "2023-02-14"), (1, 7, "2022-11-30"), (1, 9, "2024-01-08"),
    (2, 6, "2025-02-01"), (3, 9, "2025-04-12"), (10, 0, "2024-10-01"), (10, 1, "2024-10-01"),
]


def seed(graph: Graph, base_url: str = "http://127.0.0.1:8000",
         size: generator.Size | None = None) -> dict[str, int]:
    """The hand-written demo and, with ``size`` (``partner_graph.demo.FULL_SIZE`` for `make
    run`, ``SMALL_SIZE`` in tests), the generated bulk around it; without, the hand-written
    records only (what most tests need: they count them)."""
    rows: list[dict[str, Any]] = [
        {"label": KIND_LABELS[kind], "fields": [], "skills": [],
         "props": {"id": str(uuid.uuid4()), "name": name,
                   "nameKey": name_key(name, vocabulary.REGION_NAMES[code]), "kind": kind,
                   **vocabulary.region(code), "description": description}}
        for name, kind, code, description in DEMO_ORGANISATIONS
    ]
    created = bulk.organisations(graph, rows)
    keys = [row["props"]["nameKey"] for row in rows]
    ids = bulk.ids_by_name_key(graph, keys)  # the stored ones: a second run made no new ones
    linked = bulk.partnerships(graph, [
        {"a": ids[keys[a]], "b": ids[keys[b]], "since": dt.date.fromisoformat(since)}
        for a, b, since in DEMO_PARTNERSHIPS])
    catalogue = demo_catalogue.seed(graph, keys)
    identities = demo_identity.seed(graph, base_url)
    bulk_counts = demo_catalogue.generate(graph, size) if size is not None else {}
    return {"organisationsCreated": created, "partnershipsCreated": linked, **catalogue,
            **identities, "demoReads": demo_identity.read_once(graph), **bulk_counts}
