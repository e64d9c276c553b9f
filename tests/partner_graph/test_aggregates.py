"""Connections answer ``aggregate { count node { <property> { min max average } } }`` over the
whole list (filters applied, every page), nested and at the root, in the list's own statement;
a record the caller may not see (only a TEST-mode feed lists it) never moves a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import create, ok
from tests.partner_graph.feeds import hidden_vacancy

NESTED = """query A($id: ID!) { organisation(id: $id) { name
  vacancies(first: 1, where: {status: {eq: OPEN}}) { totalCount nodes { title }
    aggregate { count all: count node { salaryMin { min max average }
      salaryMax { low: min } postedAt { min max } } } } } }"""

ROOT = """{ vacancies(first: 1) { aggregate { count node { salaryMin { min max average }
  closesAt { max } } } } }"""


def _employer_with_vacancies(admin: FlaskClient, graph: Graph, folder: Path) -> str:
    """"Trial Co" offers three public vacancies (salaries 20000, 30000 and 40000 from, one
    CLOSED) and one only a TEST-mode job board lists, with salary 90000 from."""
    hidden = hidden_vacancy(graph, folder, "Trial Job", "Trial Co")
    graph.run("MATCH (v:Vacancy {id: $id}) SET v.salaryMin = 90000, "
              "v.postedAt = date('2020-01-01'), v.status = 'OPEN'", {"id": hidden}, write=True)
    employer = str(graph.run("MATCH (:Vacancy {id: $id})-[:OFFERED_BY]->(o) RETURN o.id AS id",
                             {"id": hidden})[0]["id"])
    for title, salary, posted, status in (("Clerk", 20000, "2026-01-10", "OPEN"),
                                          ("Driver", 30000, "2026-02-20", "OPEN"),
                                          ("Cook", 40000, "2026-03-30", "CLOSED")):
        create(admin, "Vacancy", {"title": title, "organisationId": employer,
                                  "salaryMin": salary, "salaryMax": salary + 5000,
                                  "postedAt": posted, "status": status,
                                  "closesAt": "2026-12-31"})
    return employer


def _nested(client: FlaskClient, employer: str) -> tuple[Any, int]:
    body = gql(client, NESTED, {"id": employer})
    assert "errors" not in body, body
    return body["data"]["organisation"]["vacancies"], len(body["extensions"]["cypher"])


def test_nested_aggregates_cover_the_filtered_list_and_ignore_hidden_records(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    employer = _employer_with_vacancies(admin_client, graph, tmp_path)
    public, statements = _nested(app.test_client(), employer)
    assert statements == 1
    assert public["totalCount"] == 2 and len(public["nodes"]) == 1  # one page, two in all
    assert public["aggregate"] == {
        "count": 2, "all": 2,
        "node": {"salaryMin": {"min": 20000, "max": 30000, "average": 25000.0},
                 "salaryMax": {"low": 25000},
                 "postedAt": {"min": "2026-01-10", "max": "2026-02-20"}}}
    assert isinstance(public["aggregate"]["node"]["salaryMin"]["min"], int)
    # An admin sees the TEST-mode vacancy, and the figures move with it.
    admin, _ = _nested(admin_client, employer)
    assert admin["aggregate"]["count"] == 3
    assert admin["aggregate"]["node"]["salaryMin"] == {
        "min": 20000, "max": 90000, "average": pytest.approx((20000 + 30000 + 90000) / 3)}
    assert admin["aggregate"]["node"]["postedAt"]["min"] == "2020-01-01"


def test_root_aggregates_ignore_hidden_records(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    _employer_with_vacancies(admin_client, graph, tmp_path)
    public = gql(app.test_client(), ROOT)
    assert "errors" not in public, public
    assert len(public["extensions"]["cypher"]) == 1
    assert public["data"]["vacancies"]["aggregate"] == {
        "count": 3, "node": {"salaryMin": {"min": 20000, "max": 40000, "average": 30000.0},
                             "closesAt": {"max": "2026-12-31"}}}
    admin = ok(admin_client, ROOT)["vacancies"]["aggregate"]
    assert admin["count"] == 4
    assert admin["node"]["salaryMin"]["max"] == 90000
