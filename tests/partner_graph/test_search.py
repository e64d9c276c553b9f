"""Full-text search on vacancies, courses (and organisations, services, challenges, ideas): best
match first, each edge with its ``score``; a record the caller may not see is never returned nor
counted; any text is a search (no Lucene syntax gets through, nothing is a 500)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import create, ok, register
from tests.partner_graph.feeds import hidden_vacancy

SEARCH = """query S($q: String, $first: Int, $after: String) {
  vacancies(search: $q, first: $first, after: $after) { totalCount
    pageInfo { hasNextPage endCursor } edges { score node { title } } } }"""


def _vacancies(admin: FlaskClient, graph: Graph, folder: Path) -> None:
    hidden_vacancy(graph, folder, "Welder on trial", "Trial Co")
    employer = register(admin, "Yard Ltd", "EMPLOYER", "North")
    for title, description in (("Welder", "Welding and welder's work in the yard"),
                               ("Yard hand", "Helps the welder"),
                               ("Office clerk", "Paperwork")):
        create(admin, "Vacancy", {"title": title, "description": description,
                                  "organisationId": employer})


def _search(client: FlaskClient, **variables: Any) -> Any:
    return ok(client, SEARCH, variables)["vacancies"]


def test_search_orders_by_score_and_never_shows_hidden_records(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    _vacancies(admin_client, graph, tmp_path)
    public = _search(app.test_client(), q="welder")
    titles = [e["node"]["title"] for e in public["edges"]]
    assert sorted(titles) == ["Welder", "Yard hand"]  # not the TEST-mode "Welder on trial"
    assert public["totalCount"] == 2
    scores = [e["score"] for e in public["edges"]]
    assert all(isinstance(s, float) and s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    admin = _search(admin_client, q="welder")
    assert admin["totalCount"] == 3
    assert "Welder on trial" in [e["node"]["title"] for e in admin["edges"]]
    # Without a search there is no score.
    assert {e["score"] for e in _search(admin_client, first=5)["edges"]} == {None}


def test_search_pages_by_score_without_repeats(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    _vacancies(admin_client, graph, tmp_path)
    client = app.test_client()
    first = _search(client, q="welder", first=1)
    assert first["pageInfo"]["hasNextPage"] is True
    rest = _search(client, q="welder", first=5, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["title"] for e in first["edges"] + rest["edges"]] == [
        e["node"]["title"] for e in _search(client, q="welder")["edges"]]
    # The cursor belongs to this search: another search's list refuses it.
    body = gql(client, SEARCH, {"q": "yard", "first": 1,
                                "after": first["pageInfo"]["endCursor"]}, status=None)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_any_text_is_a_search_never_a_server_error(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    _vacancies(admin_client, graph, tmp_path)
    client = app.test_client()
    for text in ('"', "\\", "welder~", "wel*", "title:welder", "(welder", "AND", "OR NOT",
                 '""', "", "   ", "welder)^2", "[a TO z]", "/re.*/", "&& ||", "!"):
        body = gql(client, SEARCH, {"q": text}, status=None)
        assert "errors" not in body, (text, body)
    assert [e["node"]["title"] for e in _search(client, q="title:welder")["edges"]] == []
    too_long = gql(client, SEARCH, {"q": "w" * 201}, status=None)
    assert too_long["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_courses_and_challenges_are_searched_too(admin_client: FlaskClient) -> None:
    provider = register(admin_client, "Open College", "TRAINING_PROVIDER", "North")
    for title in ("Welding basics", "Bookkeeping"):
        create(admin_client, "TrainingCourse", {"title": title, "providerId": provider})
    found = ok(admin_client, """{ trainingCourses(search: "welding") {
      totalCount edges { score node { title } } } }""")["trainingCourses"]
    assert found["totalCount"] == 1
    assert found["edges"][0]["node"]["title"] == "Welding basics"
    assert found["edges"][0]["score"] > 0
    assert ok(admin_client, '{ challenges(search: "welding") { totalCount } }') == {
        "challenges": {"totalCount": 0}}
