"""Kits a team can build on, tried as a team would: from the zip alone, on a seeded graph.

A skills-to-vacancies matcher from the jobs-and-skills kit's files; the claimant-count join the
README prints, run as printed; missing values empty and typed; a kit of nothing but ``[c]``
refused; and cell-key perturbation that gives the same records the same noise everywhere.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from flask.testing import FlaskClient

from civicgraph.cli.devstack import Service
from civicgraph.core.graph import Graph
from hackathon_kits.builder.disclosure import TOTAL, PerturbationTable, cell_key
from tests.hackathon_kits import builders as factories
from tests.hackathon_kits.builders import build, start_build, unzip, wait_finished
from tests.hackathon_kits.conftest import CELL_KEY_SECRET

pytestmark = pytest.mark.worker

ESCO = "http://data.europa.eu/esco/skill/"
SKILLS = {"python": "Python", "sql": "SQL", "welding": "Welding", "care": "Patient care",
          "excel": "Spreadsheets"}
# id, title, skills (uri suffix -> essential, None when the feed did not say)
VACANCIES: list[tuple[str, str, dict[str, bool | None]]] = [
    ("v-data-1", "Data analyst", {"python": True, "sql": True, "excel": None}),
    ("v-data-2", "Junior developer", {"python": True, "excel": False}),
    ("v-weld-1", "Welder", {"welding": True}),
    ("v-care-1", "Nurse", {"care": True, "excel": None}),
]


def _seed_jobs(graph: Graph) -> None:
    graph.run(
        "UNWIND keys($skills) AS k MERGE (s:Skill {uri: $esco + k}) "
        "ON CREATE SET s.id = randomUUID(), s.name = $skills[k]",
        {"skills": SKILLS, "esco": ESCO}, write=True)
    graph.run(
        "MERGE (o:Occupation {uri: 'http://data.europa.eu/esco/occupation/analyst'}) "
        "ON CREATE SET o.id = randomUUID(), o.name = 'Data analyst', o.code = '2511' "
        "WITH o UNWIND ['python', 'sql'] AS k MATCH (s:Skill {uri: $esco + k}) "
        "MERGE (o)-[:NEEDS_SKILL {essential: k = 'python'}]->(s)", {"esco": ESCO}, write=True)
    rows = [{"id": vid, "title": title, "salary": 30000 if vid != "v-care-1" else None,
             "skills": [{"uri": ESCO + k, "essential": e} for k, e in skills.items()]}
            for vid, title, skills in VACANCIES]
    graph.run(
        "UNWIND $rows AS row CREATE (v:Vacancy {id: row.id, title: row.title, status: 'OPEN', "
        "regionCode: 'E12000003', postedAt: date('2026-02-03'), salaryMin: row.salary}) "
        "WITH v, row UNWIND row.skills AS link MATCH (s:Skill {uri: link.uri}) "
        "CREATE (v)-[r:REQUIRES]->(s) SET r.essential = link.essential",
        {"rows": rows}, write=True)
    graph.run(
        "MATCH (v:Vacancy {id: 'v-data-1'}), "
        "(o:Occupation {uri: 'http://data.europa.eu/esco/occupation/analyst'}) "
        "CREATE (v)-[:FOR_OCCUPATION]->(o)", write=True)


def _match(root: Path, profile: set[str]) -> list[tuple[str, int, int]]:
    """The team's matcher, from the kit's Parquet alone: vacancies ranked by how many of
    their essential skills, then of all their skills, the profile holds."""
    links = pq.read_table(root / "data" / "vacancy-skills.parquet").to_pylist()
    open_ids = {r["vacancy_id"] for r in pq.read_table(root / "data" / "vacancies.parquet")
                .to_pylist() if r["status"] == "OPEN"}
    essential: Counter[str] = Counter()
    overlap: Counter[str] = Counter()
    for link in links:
        if link["skill_uri"] in profile and link["vacancy_id"] in open_ids:
            overlap[link["vacancy_id"]] += 1
            essential[link["vacancy_id"]] += bool(link["essential"])
    return sorted(((v, essential[v], overlap[v]) for v in overlap),
                  key=lambda x: (-x[1], -x[2], x[0]))


def test_a_matcher_from_the_jobs_kit_alone(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    _seed_jobs(graph)
    build(client, "jobs-and-skills")
    root = unzip(client.get("/kits/jobs-and-skills/releases/1/download").get_data(), tmp_path)

    # The README's join, run as printed, gives each link with its vacancy.
    joined = _run_readme_join(root, "### Join `vacancies` and `vacancy-skills`")
    assert {(r["vacancy_id"], r["title"], r["skill_uri"]) for r in joined} >= {
        ("v-data-1", "Data analyst", ESCO + "sql"), ("v-weld-1", "Welder", ESCO + "welding")}

    ranked = _match(root, {ESCO + "python", ESCO + "sql"})
    assert [v for v, _, _ in ranked] == ["v-data-1", "v-data-2"]
    assert ranked[0][1:] == (2, 2)
    assert _match(root, {ESCO + "welding"})[0][0] == "v-weld-1"

    # The occupation's skills are there to widen a profile, from the same zip.
    needs = list(csv.DictReader((root / "data" / "occupation-skills.csv").open()))
    assert {(n["skill_uri"], n["essential"]) for n in needs} == {
        (ESCO + "python", "true"), (ESCO + "sql", "false")}

    # Missing values are empty and typed: never the suppression marker.
    links = pq.read_table(root / "data" / "vacancy-skills.parquet")
    assert links.schema.field("essential").type == pa.bool_()
    essential = {(r["vacancy_id"], r["skill_uri"]): r["essential"] for r in links.to_pylist()}
    assert essential[("v-data-1", ESCO + "excel")] is None
    assert essential[("v-data-2", ESCO + "excel")] is False
    table = pq.read_table(root / "data" / "vacancies.parquet")
    assert table.schema.field("salary_min").type == pa.int64()
    assert table.schema.field("posted_on").type == pa.date32()
    by_id = {r["vacancy_id"]: r for r in table.to_pylist()}
    assert by_id["v-data-1"]["salary_min"] == 30000
    assert by_id["v-care-1"]["salary_min"] is None
    assert by_id["v-care-1"]["posted_on"] == dt.date(2026, 2, 3)
    text = (root / "data" / "vacancies.csv").read_text()
    assert "[c]" not in text and "[c]" not in (root / "data" / "vacancy-skills.csv").read_text()
    care = next(r for r in csv.DictReader(io.StringIO(text)) if r["vacancy_id"] == "v-care-1")
    assert care["salary_min"] == "" and care["closes_on"] == ""
    assert care["region_code"] == "E12000003"


def test_a_course_without_a_start_date_reads_empty(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    graph.run("CREATE (:TrainingCourse {id: 'c-any-time', title: 'Any time', mode: 'ONLINE', "
              "regionCode: 'E12000003'})", write=True)
    build(client, "courses-and-skills")
    root = unzip(client.get("/kits/courses-and-skills/releases/1/download").get_data(), tmp_path)
    (course,) = csv.DictReader((root / "data" / "courses.csv").open())
    assert course["start_date"] == "" and course["duration_hours"] == ""
    assert course["region_code"] == "E12000003"
    parquet = pq.read_table(root / "data" / "courses.parquet")
    assert parquet.schema.field("start_date").type == pa.date32()
    assert parquet.to_pylist()[0]["start_date"] is None


def _readme_python(readme: str, heading: str) -> str:
    section = readme[readme.index(heading):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no Python block after {heading!r}"
    return match.group(1)


def _run_readme_join(root: Path, heading: str) -> list[dict[str, str]]:
    """Run the README's join code as printed, in the unzipped kit's folder."""
    code = _readme_python((root / "README.md").read_text(), heading)
    out = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.chdir(root), contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)  # the README's own code
    joined: list[dict[str, str]] = namespace["joined"]
    assert out.getvalue().startswith(f"{len(joined)} rows joined")
    return joined


def test_the_readmes_join_of_claimants_and_vacancies_returns_rows(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    # Visible counts in two regions and months of the claimant count, and some vacancies
    # without a region code (counted under Unknown, which joins nothing).
    factories.vacancies(graph, {("E12000003", "Nurse", "2025-03"): 14,
                                ("E12000003", "Nurse", "2025-04"): 22,
                                ("E12000007", "Welder", "2025-03"): 31,
                                ("E12000007", "Welder", "2026-01"): 12})
    graph.run("UNWIND range(1, 11) AS i CREATE (:Vacancy {id: 'nocode-' + i, status: 'OPEN', "
              "postedAt: date('2025-03-10'), title: 'Unplaced'})", write=True)
    build(client, "claimant-count-and-vacancies")
    root = unzip(client.get("/kits/claimant-count-and-vacancies/releases/1/download")
                 .get_data(), tmp_path)
    joined = _run_readme_join(
        root, "### Join `claimant-count` and `vacancies-by-region-month`")
    pairs = {(r["region_code"], r["month"]): r for r in joined}
    assert {("E12000003", "2025-03"), ("E12000003", "2025-04"), ("E12000007", "2025-03")} \
        <= set(pairs)
    row = pairs[("E12000003", "2025-04")]
    assert row["region"] and int(row["claimants"]) > 0 and row["vacancies"] == "20"
    assert not any(r["region_code"] in {"Unknown", TOTAL} for r in joined)
    counts = list(csv.DictReader((root / "data" / "vacancies-by-region-month.csv").open()))
    assert {"region_code": "Unknown", "month": "2025-03", "vacancies": "10"} in counts


def test_a_kit_of_nothing_but_suppressed_cells_is_refused(
    client: FlaskClient, graph: Graph, worker: Service
) -> None:
    factories.vacancies(graph, {("E12000003", "Nurse", "2025-01"): 3,
                                ("E12000003", "Nurse", "2025-02"): 4,
                                ("E12000003", "Welder", "2025-01"): 2})
    status = wait_finished(client, start_build(client, "vacancies-by-region-occupation-year"))
    assert status["state"] == "REFUSED", status
    assert "every published cell" in status["error"]
    assert re.search(r"coarsen the dimension '(occupation|year)'", status["error"])
    assert graph.run("MATCH (r:KitRelease {kit: 'vacancies-by-region-occupation-year'}) "
                     "RETURN count(r) AS n")[0]["n"] == 0


def _counts(data: bytes) -> dict[tuple[str, ...], int]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("data/vacancies.csv"), "utf-8")))
    return {tuple(v for k, v in r.items() if k != "vacancies"): int(r["vacancies"])
            for r in rows}


def _zip_texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def test_cell_key_gives_the_same_records_the_same_noise_in_every_table(
    client: FlaskClient, graph: Graph, worker: Service
) -> None:
    cells = {("E12000003", "Nurse", "2025-01"): 14, ("E12000003", "Welder", "2025-01"): 6,
             ("E12000003", "Nurse", "2025-02"): 3, ("E12000007", "Nurse", "2025-01"): 30,
             ("E12000007", "Welder", "2025-02"): 11, ("E12000007", "Nurse", "2025-02"): 1}
    factories.vacancies(graph, cells)
    by_region = "/kits/test-cell-key-by-region/releases/{}/download"
    by_occupation = "/kits/test-cell-key-by-region-occupation/releases/1/download"
    build(client, "test-cell-key-by-region")
    build(client, "test-cell-key-by-region-occupation")
    first = client.get(by_region.format(1)).get_data()
    a, b = _counts(first), _counts(client.get(by_occupation).get_data())

    # The cell (region, month) of one table and the total over occupations of the other are
    # the same records: the same noise; and so are both tables' totals.
    for (region, month), value in ((k, v) for k, v in a.items() if TOTAL not in k):
        assert b[(region, TOTAL, month)] == value, (region, month)
    assert a[(TOTAL, TOTAL)] == b[(TOTAL, TOTAL, TOTAL)]
    assert a[("E12000003", TOTAL)] == b[("E12000003", TOTAL, TOTAL)]

    # The noise is the published p-table's for the cell's key, which the test can work out
    # because it knows the records and the secret; nothing is suppressed.
    table = PerturbationTable.build(256, 2)
    ids = {(r["region"], r["month"]): r["ids"] for r in graph.run(
        "MATCH (v:Vacancy) RETURN v.regionCode AS region, "
        "substring(toString(v.postedAt), 0, 7) AS month, collect(v.id) AS ids")}
    noises = []
    for key, records in ids.items():
        noise = table.noise(len(records), cell_key(CELL_KEY_SECRET.encode(), records, 256))
        assert a[key] == len(records) + noise, key
        noises.append(noise)
    assert any(noises) and all(abs(n) <= 2 for n in noises)
    assert all(v >= 0 for v in (*a.values(), *b.values()))

    # New vacancies elsewhere leave these cells' noise as it was: a rebuild gives them the
    # same values, so comparing releases reveals nothing.
    factories.vacancies(graph, {("E12000001", "Nurse", "2025-01"): 5})
    assert build(client, "test-cell-key-by-region")["releaseNumber"] == 2
    again = _counts(client.get(by_region.format(2)).get_data())
    assert {k: v for k, v in again.items() if k[0] != "E12000001" and TOTAL not in k} == \
        {k: v for k, v in a.items() if TOTAL not in k}

    # The method and its parameters are published; the secret is in no file of any kit.
    text = _zip_texts(first)
    assert "perturbation-table.csv" in text and "Cell-key perturbation" in text
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        ptable = list(csv.DictReader(io.TextIOWrapper(zf.open("perturbation-table.csv"))))
    assert [tuple(int(r[c]) for c in ("count", "cell_key_from", "cell_key_to", "noise"))
            for r in ptable] == list(table.rows)
    for data in (first, client.get(by_occupation).get_data()):
        assert CELL_KEY_SECRET not in _zip_texts(data)
