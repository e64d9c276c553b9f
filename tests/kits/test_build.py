"""A kit built by the real worker, downloaded over HTTP and checked as a participant would."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from frictionless import Package

from civicgraph.ops.devstack import Service
from civicgraph.repositories.graph import Graph
from tests.helpers import gql
from tests.kits import factories
from tests.kits.helpers import build, unzip

pytestmark = pytest.mark.worker

CELLS = {  # (region, occupation, month) -> vacancies
    ("North", "Nurse", "2025-01"): 14, ("North", "Nurse", "2025-02"): 3,
    ("North", "Welder", "2025-01"): 22, ("North", "Welder", "2025-02"): 11,
    ("Metro", "Nurse", "2025-01"): 30, ("Metro", "Nurse", "2025-02"): 2,
    ("Metro", "Welder", "2025-01"): 12, ("Metro", "Welder", "2025-02"): 40,
}


def test_build_download_and_validate_a_kit(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    factories.vacancies(graph, CELLS)
    status = build(client, "vacancies-by-region-occupation-month")
    assert status["releaseNumber"] == 1 and status["percent"] == 100

    response = client.get("/kits/vacancies-by-region-occupation-month/releases/1/download")
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

    release = gql(client, "{ kit(name: \"vacancies-by-region-occupation-month\") { "
                  "latestRelease { version sha256 bytes rows downloads disclosureReport } } }")
    latest = release["data"]["kit"]["latestRelease"]
    assert latest["sha256"] == digest and latest["bytes"] == len(data)
    assert latest["rows"]["vacancies"] == len(rows)
    assert latest["downloads"] == 1
    assert latest["disclosureReport"]["vacancies"]["primarySuppressed"] == 2
    assert json.loads((root / "datapackage.json").read_text())["created"] == "1980-01-01T00:00:00Z"
