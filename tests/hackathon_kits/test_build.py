"""A kit built by the real worker, downloaded over HTTP and checked as a participant would."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from frictionless import Package

from civicgraph.cli.devstack import Service
from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.hackathon_kits import builders as factories
from tests.hackathon_kits.builders import build, unzip

pytestmark = pytest.mark.worker

POSTED = {  # (region code, occupation, month posted) -> vacancies
    ("E12000003", "Nurse", "2025-01"): 14, ("E12000003", "Nurse", "2026-02"): 3,
    ("E12000003", "Welder", "2025-01"): 22, ("E12000003", "Welder", "2026-02"): 11,
    ("E12000007", "Nurse", "2025-01"): 30, ("E12000007", "Nurse", "2026-02"): 2,
    ("E12000007", "Welder", "2025-01"): 12, ("E12000007", "Welder", "2026-02"): 40,
}
CELLS = {(region, occupation, month[:4]): n for (region, occupation, month), n in POSTED.items()}
"""The kit's cells: (region code, occupation, year) -> vacancies."""


def test_build_download_and_validate_a_kit(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    factories.vacancies(graph, POSTED)
    status = build(client, "vacancies-by-region-occupation-year")
    assert status["releaseNumber"] == 1 and status["percent"] == 100

    response = client.get("/kits/vacancies-by-region-occupation-year/releases/1/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data)
    digest = hashlib.sha256(data).hexdigest()
    assert response.headers["ETag"].strip('"') == digest

    root = unzip(data, tmp_path)
    report = Package(str(root / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for line in (root / "manifest-sha256.txt").read_text().splitlines():
        expected, name = line.split("  ", 1)
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == expected, name
    listed = {line.split("  ", 1)[1] for line in
              (root / "manifest-sha256.txt").read_text().splitlines()}
    assert listed == {str(p.relative_to(root)) for p in root.rglob("*")
                      if p.is_file() and p.name != "manifest-sha256.txt"}

    with (root / "data" / "vacancies.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    published = [int(r["vacancies"]) for r in rows if r["vacancies"] != "[c]"]
    assert published and all(n >= 10 and n % 5 == 0 for n in published)

    # Against every published total, the suppressed cells it covers are two or more and hide
    # at least the threshold between them (true counts from CELLS).
    value = {(r["region_code"], r["occupation"], r["year"]): r["vacancies"] for r in rows}
    totals = {k: v for k, v in value.items() if "Total" in k and v != "[c]"}
    assert ("Total", "Total", "Total") in totals
    for total in totals:
        covered = [c for c in CELLS
                   if all(t == "Total" or t == part for t, part in zip(total, c, strict=True))]
        hidden = [c for c in covered if value[c] == "[c]"]
        assert not hidden or (len(hidden) >= 2 and sum(CELLS[c] for c in hidden) >= 10), total

    release = gql(client, "{ kit(name: \"vacancies-by-region-occupation-year\") { "
                  "latestRelease { number sha256 bytes rows downloads disclosureReport } } }")
    latest = release["data"]["kit"]["latestRelease"]
    assert latest["sha256"] == digest and latest["bytes"] == len(data)
    assert latest["number"] == 1
    assert json.loads(latest["rows"])["vacancies"] == len(rows)
    assert latest["downloads"] == 1
    assert json.loads(latest["disclosureReport"])["vacancies"]["primarySuppressed"] == 2
    assert json.loads((root / "datapackage.json").read_text())["created"] == "1980-01-01T00:00:00Z"

    record = gql(client, "{ kit(name: \"vacancies-by-region-occupation-year\") { specHash "
                 "releases { totalCount nodes { number specHash snapshotAt builtAt buildSeconds "
                 "downloadUrl } } } }")
    kit = record["data"]["kit"]
    assert kit["releases"]["totalCount"] == 1
    (only,) = kit["releases"]["nodes"]
    assert only["specHash"] == kit["specHash"]
    assert only["snapshotAt"] <= only["builtAt"] and only["buildSeconds"] > 0
    assert only["downloadUrl"] == "/kits/vacancies-by-region-occupation-year/releases/1/download"


def test_courses_and_partnership_kits_build_from_the_graph(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    from civicgraph.cli import demo as demo_seed

    demo_seed.seed(graph)
    graph.run(
        "MATCH (p:Organisation {name: 'Open Skills College'}) "
        "UNWIND range(1, 3) AS i "
        "CREATE (c:TrainingCourse {id: 'course-' + i, title: 'Course ' + i, region: 'North', "
        "mode: 'ONLINE', durationHours: 10.5 * i, startDate: date('2026-01-0' + i)}) "
        "CREATE (c)-[:OFFERED_BY]->(p) "
        "MERGE (s:Skill {uri: 'http://data.europa.eu/esco/skill/s' + (i % 2)}) "
        "ON CREATE SET s.id = randomUUID(), s.name = 'Skill ' + (i % 2) "
        "CREATE (c)-[:TEACHES]->(s)", write=True)
    build(client, "courses-and-skills")
    root = unzip(client.get("/kits/courses-and-skills/releases/1/download").get_data(), tmp_path)
    assert Package(str(root / "datapackage.json")).validate().valid
    with (root / "data" / "courses.csv").open() as handle:
        courses = list(csv.DictReader(handle))
    ids = [c["course_id"] for c in courses]
    assert ids == sorted(ids)  # rows come in key order, whatever else the demo holds
    ours = [c for c in courses if c["course_id"].startswith("course-")]
    assert [c["course_id"] for c in ours] == ["course-1", "course-2", "course-3"]
    assert ours[0]["provider"] == "Open Skills College"
    assert ours[1]["start_date"] == "2026-01-02"

    build(client, "partnerships-by-kind-and-region")
    other = tmp_path / "p"
    other.mkdir()
    root = unzip(client.get("/kits/partnerships-by-kind-and-region/releases/1/download")
                 .get_data(), other)
    assert Package(str(root / "datapackage.json")).validate().valid
    with (root / "data" / "organisations.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    grand = [r for r in rows if r["region"] == "Total" and r["kind"] == "Total"]
    assert grand == [{"region": "Total", "kind": "Total", "organisations": "11"}]
