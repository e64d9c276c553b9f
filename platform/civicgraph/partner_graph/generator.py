"""A seeded, reproducible ecosystem of any size, written with batched ``UNWIND`` upserts.

The same seed gives the same graph (ids included: they are drawn from the seeded generator), so
benchmarks can be repeated and a second run adds nothing. The standard library's ``random`` is
used rather than Faker: its sequence for a given seed is stable across versions, Faker's locale
data is not. Names are composed from small word lists; uniqueness comes from a serial number.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.partner_graph.cypher import bulk
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key

SKILL_BASE = "http://data.europa.eu/esco/skill/gen-"
OCCUPATION_BASE = "http://data.europa.eu/esco/occupation/gen-"
REGIONS = ["North", "Metro", "East", "West", "South", "Coast", "Lakes", "Highlands", "Valley",
           "Islands", "Capital", "Border"]
FIELDS = [
    ("employment-services", "Employment services"), ("social-care", "Social care"),
    ("digital-skills", "Digital skills"), ("green-jobs", "Green jobs"),
    ("youth-employment", "Youth employment"), ("disability-inclusion", "Disability inclusion"),
    ("health-and-wellbeing", "Health and wellbeing"), ("housing", "Housing"),
    ("adult-learning", "Adult learning"), ("entrepreneurship", "Entrepreneurship"),
    ("migration-and-integration", "Migration and integration"), ("data-and-ai", "Data and AI"),
    ("public-procurement", "Public procurement"), ("care-economy", "Care economy"),
    ("transport", "Transport"), ("construction", "Construction"), ("hospitality", "Hospitality"),
    ("manufacturing", "Manufacturing"), ("financial-inclusion", "Financial inclusion"),
    ("community-development", "Community development"),
]
_ADJ = ["Northern", "Open", "Bright", "Civic", "Green", "Future", "United", "Metro", "Coastal",
        "Digital", "Active", "Shared", "Rural", "Urban", "Next", "Clear"]
_NOUN = ["Skills", "Works", "Care", "Futures", "Bridge", "Path", "Learning", "Health", "Rail",
         "Energy", "Labs", "Network", "Trust", "Collective", "Partners", "Studio"]
_SUFFIX = {"AGENCY": "Agency", "START_UP": "Labs", "EMPLOYER": "Ltd",
           "TRAINING_PROVIDER": "College", "THIRD_SECTOR": "Trust", "RESEARCH": "Institute"}
_VERB = ["operating", "welding", "coding", "caring for", "teaching", "analysing", "repairing",
         "planning", "designing", "managing", "cooking", "driving"]
_OBJECT = ["networks", "patients", "machines", "data", "budgets", "buildings", "gardens",
           "vehicles", "software", "learners", "events", "records"]
_JOBS = ["Technician", "Assistant", "Coordinator", "Engineer", "Adviser", "Analyst", "Officer",
         "Apprentice", "Specialist", "Manager"]


@dataclass(frozen=True)
class Size:
    organisations: int = 1000
    vacancies: int = 10000
    skills: int = 500
    partners_per_organisation: int = 3
    batch: int = 5000


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)
    records: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "records": self.records,
                "seconds": round(self.seconds, 2), "recordsPerSecond": round(self.per_second)}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def build_rows(size: Size, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Everything the graph will hold, as rows; pure, so the same seed gives the same rows."""
    rng = random.Random(seed)
    fields = [{"props": {"id": _uuid(rng), "code": c, "name": n}} for c, n in FIELDS]
    skills = [{"props": {"id": _uuid(rng), "uri": f"{SKILL_BASE}{i:05d}",
                         "name": f"{rng.choice(_VERB)} {rng.choice(_OBJECT)} {i}"}}
              for i in range(size.skills)]
    skill_uris = [s["props"]["uri"] for s in skills]
    occupations: list[dict[str, Any]] = [
        {"props": {"id": _uuid(rng), "uri": f"{OCCUPATION_BASE}{i:04d}",
                   "code": str(1000 + rng.randrange(9000)),
                   "name": f"{rng.choice(_ADJ)} {rng.choice(_JOBS)} {i}"},
         "skills": rng.sample(skill_uris, min(5, len(skill_uris)))}
        for i in range(max(1, size.skills // 10))]
    kinds = list(KIND_LABELS)
    orgs: list[dict[str, Any]] = []
    for i in range(size.organisations):
        kind = kinds[rng.randrange(len(kinds))]
        region = rng.choice(REGIONS)
        name = f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} {_SUFFIX[kind]} {i}"
        orgs.append({
            "label": KIND_LABELS[kind],
            "props": {"id": _uuid(rng), "name": name, "nameKey": name_key(name, region),
                      "kind": kind, "region": region,
                      "description": f"{name} works on {rng.choice(FIELDS)[1].lower()} and "
                                     f"{rng.choice(_VERB)} {rng.choice(_OBJECT)}."},
            "fields": [c for c, _ in rng.sample(FIELDS, 2)],
            "skills": rng.sample(skill_uris, min(4, len(skill_uris))),
        })
    org_ids: list[str] = [str(o["props"]["id"]) for o in orgs]
    pairs: set[tuple[str, str]] = set()
    for a in org_ids:
        for _ in range(size.partners_per_organisation if len(org_ids) > 1 else 0):
            b = rng.choice(org_ids)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
    epoch = dt.date(2024, 1, 1)
    partnerships = [{"a": a, "b": b, "since": epoch + dt.timedelta(days=rng.randrange(900))}
                    for a, b in sorted(pairs)]
    vacancies = []
    for i in range(size.vacancies if org_ids else 0):
        low = 18000 + 500 * rng.randrange(60)
        posted = epoch + dt.timedelta(days=rng.randrange(1000))
        vacancy_id = _uuid(rng)  # drawn before the rest, as the sequence always has been
        vacancies.append({
            "by": rng.choice(org_ids),
            "props": {"id": vacancy_id, "title": f"{rng.choice(_ADJ)} {rng.choice(_JOBS)} {i}",
                      "region": rng.choice(REGIONS), "status": rng.choice(
                          ["OPEN", "OPEN", "OPEN", "CLOSED", "WITHDRAWN"]),
                      "contractType": rng.choice(["PERMANENT", "FIXED_TERM", "APPRENTICESHIP"]),
                      "salaryMin": low, "salaryMax": low + 500 * rng.randrange(1, 20),
                      "postedAt": posted, "closesAt": posted + dt.timedelta(days=30)},
            "skills": rng.sample(skill_uris, min(3, len(skill_uris))),
            "occupation": [rng.choice(occupations)["props"]["uri"]],
        })
    return {"fields": fields, "skills": skills, "occupations": occupations,
            "organisations": orgs, "partnerships": partnerships, "vacancies": vacancies}


def generate(graph: Graph, size: Size, seed: int,
             progress: Callable[[str, int, float], None] | None = None) -> Report:
    """Write the rows in batches; report nodes and relationships written per second."""
    rows = build_rows(size, seed)
    report = Report()
    started = time.perf_counter()
    writers: list[tuple[str, Callable[[list[dict[str, Any]]], int], int]] = [
        ("fields", lambda b: bulk.fields(graph, b), 1),
        ("skills", lambda b: bulk.skills(graph, b), 1),
        ("occupations", lambda b: bulk.occupations(graph, b), 6),
        ("organisations", lambda b: bulk.organisations(graph, b), 7),
        ("partnerships", lambda b: bulk.partnerships(graph, b), 1),
        ("vacancies", lambda b: bulk.offers(graph, "Vacancy", b), 6),
    ]
    for name, write, records_per_row in writers:
        phase = time.perf_counter()
        created = 0
        for batch in _batches(rows[name], size.batch):
            created += write(batch)
        report.created[name] = created
        report.records += len(rows[name]) * records_per_row
        if progress is not None:
            progress(name, len(rows[name]), time.perf_counter() - phase)
    report.seconds = time.perf_counter() - started
    return report
