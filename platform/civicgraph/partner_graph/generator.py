"""A seeded, reproducible ecosystem of any size, written with batched ``UNWIND`` upserts.

The same seed gives the same graph (ids included: they are drawn from the seeded generator), so
benchmarks can be repeated and a second run adds nothing. It writes on the one vocabulary
(``vocabulary``), and the demo of `make run` is this generator at the demo's size and seed
(``demo``) around the hand-written records. The standard library's ``random`` is
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
from civicgraph.partner_graph import vocabulary
from civicgraph.partner_graph.cypher import bulk
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key

_REGION_WEIGHTS = (5, 13, 10, 9, 11, 12, 16, 17, 10)
"""Roughly the regions' shares of England's workforce, in ``vocabulary.REGIONS`` order."""
_KIND_WEIGHTS = {"AGENCY": 8, "START_UP": 14, "EMPLOYER": 42, "TRAINING_PROVIDER": 14,
                 "THIRD_SECTOR": 15, "RESEARCH": 7}
_OFFERING = ("EMPLOYER", "START_UP", "AGENCY", "THIRD_SECTOR")
"""The kinds whose organisations offer vacancies (training providers offer the courses)."""
DAYS = 730
"""Vacancies are posted and courses start over two years from ``EPOCH``."""
EPOCH = dt.date(2025, 1, 1)
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
_LEVEL = ["Trainee", "Junior", "Apprentice", "Senior", "Lead", "Assistant", "Qualified"]


@dataclass(frozen=True)
class Size:
    organisations: int = 1000
    vacancies: int = 10000
    skills: int = 500
    """At most this many of the vocabulary's skills (all of them when it has fewer)."""
    partners_per_organisation: int = 3
    batch: int = 5000
    courses: int = 0


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


def _region(rng: random.Random) -> str:
    return rng.choices(vocabulary.REGION_CODES, _REGION_WEIGHTS)[0]


def build_rows(size: Size, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Everything the graph will hold, as rows; pure, so the same seed gives the same rows.

    Regions, fields, skills and occupations are the vocabulary's (``vocabulary``), so generated
    records join the demo's, the feeds' and the shipped statistics; a vacancy asks for skills its
    occupation needs, and a record's region is one of the nine with its GSS code."""
    rng = random.Random(seed)
    words = vocabulary.rows([s["uri"] for s in vocabulary.sample().skills][:size.skills])
    skill_uris = [s["props"]["uri"] for s in words["skills"]]
    kept = set(skill_uris)
    needs = {o["props"]["uri"]: [u for u in vocabulary.sample().needs(o["props"]["uri"])
                                 if u in kept] for o in words["occupations"]}
    occupation_uris = list(needs)
    job_names = {o["props"]["uri"]: o["props"]["name"] for o in words["occupations"]}
    skill_names = {s["props"]["uri"]: s["props"]["name"] for s in words["skills"]}
    kinds = list(KIND_LABELS)
    orgs: list[dict[str, Any]] = []
    for i in range(size.organisations):
        # One of each kind first, so even a small graph has every kind.
        kind = kinds[i] if i < len(kinds) else rng.choices(
            kinds, [_KIND_WEIGHTS[k] for k in kinds])[0]
        place = vocabulary.region(_region(rng))
        name = f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} {_SUFFIX[kind]} {i}"
        orgs.append({
            "label": KIND_LABELS[kind],
            "props": {"id": _uuid(rng), "name": name, "nameKey": name_key(name, place["region"]),
                      "kind": kind, **place,
                      "description": f"{name} works on {rng.choice(vocabulary.FIELDS)[1].lower()}"
                                     f" in {place['region']}."},
            "fields": [c for c, _ in rng.sample(vocabulary.FIELDS, 2)],
            "skills": rng.sample(skill_uris, min(4, len(skill_uris))),
        })
    org_ids: list[str] = [str(o["props"]["id"]) for o in orgs]
    pairs: set[tuple[str, str]] = set()
    for a in org_ids:
        for _ in range(size.partners_per_organisation if len(org_ids) > 1 else 0):
            b = rng.choice(org_ids)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
    partnerships = [{"a": a, "b": b, "since": dt.date(2022, 1, 1)
                     + dt.timedelta(days=rng.randrange(1400))} for a, b in sorted(pairs)]
    employers = [o for o in orgs if o["props"]["kind"] in _OFFERING] or orgs
    vacancies = []
    for i in range(size.vacancies if orgs else 0):
        by = rng.choice(employers)
        occupation = rng.choice(occupation_uris) if occupation_uris else None
        wanted = needs[occupation] if occupation else []
        skills = wanted[:rng.randint(min(2, len(wanted)), len(wanted))] if wanted else \
            rng.sample(skill_uris, min(3, len(skill_uris)))
        job = job_names[occupation] if occupation else "worker"
        low = 18000 + 500 * rng.randrange(60)
        posted = EPOCH + dt.timedelta(days=rng.randrange(DAYS))
        # Most vacancies are where their employer is; some are elsewhere.
        code = by["props"]["regionCode"] if rng.random() < 0.8 else _region(rng)
        vacancies.append({
            "by": by["props"]["id"],
            "props": {"id": _uuid(rng), "title": f"{rng.choice(_LEVEL)} {job} {i}",
                      **vocabulary.region(code), "status": rng.choice(
                          ["OPEN", "OPEN", "OPEN", "CLOSED", "WITHDRAWN"]),
                      "contractType": rng.choice(["PERMANENT", "FIXED_TERM", "APPRENTICESHIP"]),
                      "salaryMin": low, "salaryMax": low + 500 * rng.randrange(1, 20),
                      "postedAt": posted, "closesAt": posted + dt.timedelta(days=30)},
            "skills": skills,
            "occupation": [occupation] if occupation else [],
        })
    providers = [o for o in orgs if o["props"]["kind"] == "TRAINING_PROVIDER"] or orgs
    courses = []
    for i in range(size.courses if orgs else 0):
        by = rng.choice(providers)
        occupation = rng.choice(occupation_uris) if occupation_uris else None
        wanted = needs[occupation] if occupation else skill_uris
        taught = rng.sample(wanted, rng.randint(1, min(3, len(wanted))))
        courses.append({
            "by": by["props"]["id"],
            "props": {"id": _uuid(rng),
                      "title": f"{skill_names[taught[0]].capitalize()}: course {i}",
                      **vocabulary.region(by["props"]["regionCode"]),
                      "mode": rng.choice(["IN_PERSON", "ONLINE", "BLENDED"]),
                      "durationHours": rng.choice([6, 12, 20, 30, 40, 60, 120]),
                      "startDate": EPOCH + dt.timedelta(days=rng.randrange(DAYS)),
                      "cost": float(rng.choice([0, 0, 0, 90, 250, 600]))},
            "skills": sorted(taught),
        })
    return {**words, "organisations": orgs, "partnerships": partnerships,
            "vacancies": vacancies, "courses": courses}


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
        ("courses", lambda b: bulk.offers(graph, "TrainingCourse", b), 4),
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
