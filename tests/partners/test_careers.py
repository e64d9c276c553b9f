"""Career paths through GraphQL on the synced demo feeds and the ESCO-shaped sample."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.compiler.visibility import PUBLIC, Visibility
from civicgraph.core.errors import NotFound
from civicgraph.core.graph import Graph, recording_statements
from partners import demo as partner_demo
from partners.service import careers
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR
from tests.builders import bearer, create_client, fetch_token, gql
from tests.partners.feed_server import posting
from tests.partners.test_file_sync import register

SW = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


def skill(slug: str) -> str:
    return f"urn:esco-sample:skill:{slug}"


def occupation(slug: str) -> str:
    return f"urn:esco-sample:occupation:{slug}"


MATCH = """query M($skills: [String!]!) { matchVacancies(skills: $skills, first: 3) {
  score maxScore vacancy { title postedAt organisation { name businessId }
    sources { edges { key node { name } } } }
  matched { skill { uri } essential } missing { skill { uri } essential }
  courses { course { title startDate mode } closes } } }"""
PATHS = """query P($from: String!, $to: String!) { careerPaths(from: $from, to: $to, first: 10) {
  weakestShare steps { from { name } to { name } overlap needed share gap { skill { uri } }
  courses { course { title } closes } } } }"""


def test_ranked_explained_vacancies_with_courses_for_the_gaps(client: FlaskClient,
                                                              graph: Graph) -> None:
    partner_demo.sync_demo(graph)
    body = gql(client, MATCH, {"skills": [skill("python"), skill("software-testing"),
                                          skill("sql")]})
    matches: list[dict[str, Any]] = body["data"]["matchVacancies"]
    assert [m["vacancy"]["title"] for m in matches] == [
        "Junior Python Developer", "Data Analyst", "Web Developer (JavaScript)"]
    top = matches[0]
    assert (top["score"], top["maxScore"]) == (5, 7)
    assert top["vacancy"]["organisation"] == {"name": "PENNINE SOFTWARE WORKS LTD",
                                              "businessId": "09000001"}
    assert top["vacancy"]["sources"]["edges"] == [{"key": "DJB-0001",
                                                   "node": {"name": "demo-jobs-board"}}]
    dt.date.fromisoformat(top["vacancy"]["postedAt"])  # the model's Date, as ISO text
    assert {m["skill"]["uri"] for m in top["matched"]} == {
        skill("python"), skill("software-testing"), skill("sql")}
    assert top["missing"] == [{"skill": {"uri": skill("version-control")}, "essential": True}]
    [course] = top["courses"]
    assert course["course"]["title"] == "Python Programming for Beginners"
    assert course["closes"] == [skill("version-control")]
    dt.date.fromisoformat(course["course"]["startDate"])
    assert course["course"]["mode"] in {"IN_PERSON", "ONLINE", "BLENDED"}
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    # Data Analyst: sql essential (2) + python optional (1) of 2+2+2+1.
    assert (matches[1]["score"], matches[1]["maxScore"]) == (3, 7)


def test_paths_between_occupations_rank_the_gentlest_steps_first(client: FlaskClient,
                                                                 graph: Graph) -> None:
    partner_demo.sync_demo(graph)
    body = gql(client, PATHS, {"from": occupation("ict-help-desk-agent"), "to": SW})
    paths = body["data"]["careerPaths"]
    names = [[s["to"]["name"] for s in p["steps"]] for p in paths]
    assert names[0] == ["data analyst", "software developer"]
    assert names[1] == ["database administrator", "software developer"]
    assert ["software developer"] in names  # the direct jump ranks below
    direct = paths[names.index(["software developer"])]
    assert direct["weakestShare"] == 0.2 and paths[0]["weakestShare"] == 0.4
    last = paths[1]["steps"][1]
    assert (last["overlap"], last["needed"]) == (2, 5)
    assert {g["skill"]["uri"] for g in last["gap"]} == {skill("software-testing"),
                                                        skill("version-control")}
    assert last["courses"][0]["course"]["title"] == "Python Programming for Beginners"
    assert sorted(last["courses"][0]["closes"]) == [skill("software-testing"),
                                                    skill("version-control")]


def test_bad_career_questions_get_clear_errors(client: FlaskClient, graph: Graph) -> None:
    partner_demo.sync_demo(graph)
    empty = gql(client, MATCH, {"skills": []})
    assert empty["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = gql(client, PATHS, {"from": "urn:nope", "to": SW})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_test_mode_records_stay_private_until_promotion(
    client: FlaskClient, graph: Graph, tmp_path: Path, app: Flask
) -> None:
    partner_demo.sync_demo(graph)
    feed = tmp_path / "jobs.json"
    feed.write_text('[{"@type": "JobPosting", "identifier": "T-1", "title": "Secret Python Job",'
                    ' "hiringOrganization": "Test Co", "skills": [{"@type": "DefinedTerm",'
                    ' "@id": "' + skill("python") + '", "name": "Python"},'
                    ' {"@type": "DefinedTerm", "@id": "' + skill("sql") + '", "name": "SQL"}]}]')
    platform = register(graph, "trial-board", "schemaorg-jobposting", str(feed), promote=False)
    client_id, secret = create_client(graph, ["graph:read", "graph:write"])
    graph.run("MATCH (p:PartnerPlatform {id: $id}) SET p.clientId = $client",
              {"id": platform["id"], "client": client_id}, write=True)
    own = bearer(app, fetch_token(app.test_client(), client_id, secret)["access_token"])
    partner_sync.sync_now(graph, "trial-board")
    profile = [skill("python"), skill("sql")]

    def titles(viewer: Visibility) -> list[str]:
        return [m["vacancy"]["title"]
                for m in careers.match_vacancies(graph, profile, first=20, viewer=viewer)]

    assert "Secret Python Job" not in titles(PUBLIC)
    assert "Secret Python Job" in titles(Visibility(client_id=client_id))
    assert "Secret Python Job" not in titles(Visibility(client_id="another-client"))
    assert "Secret Python Job" in titles(Visibility(admin=True))
    body = gql(client, MATCH, {"skills": profile})
    assert "Secret Python Job" not in [m["vacancy"]["title"]
                                       for m in body["data"]["matchVacancies"]]
    # Through GraphQL with the platform's own token, its TEST records are visible to it alone.
    mine = gql(own, MATCH, {"skills": profile})
    assert "Secret Python Job" in [m["vacancy"]["title"] for m in mine["data"]["matchVacancies"]]
    refused = gql(own, "mutation P($id: ID!) { promotePartnerPlatform(input: {id: $id}) "
                       "{ platform { mode } } }", {"id": platform["id"]}, status=403)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    partner_platforms.promote(graph, platform["id"], OPERATOR)
    assert "Secret Python Job" in titles(PUBLIC)


def test_sources_of_an_organisation_named_by_two_feeds(
    authorised: Callable[..., FlaskClient], graph: Graph
) -> None:
    client = authorised(["graph:read"])  # provenance is for partners, not anonymous readers
    partner_demo.sync_demo(graph)
    register(graph, "second-register", "companies-house-basic",
             str(partner_demo.DEMO_DIR / "companies.csv"))
    partner_sync.sync_now(graph, "second-register")
    org_id = graph.run("MATCH (o:Organisation {businessId: '09000004'}) RETURN o.id AS id")
    assert len(org_id) == 1
    body = gql(client, """query S($id: ID!) { sources(recordId: $id) {
      platform { name transport } mode key hash fetchedAt withdrawnAt } }""",
               {"id": org_id[0]["id"]})
    sources = body["data"]["sources"]
    assert [s["platform"] for s in sources] == [
        {"name": "demo-company-register", "transport": "FILE"},
        {"name": "second-register", "transport": "FILE"}]
    assert {s["key"] for s in sources} == {"09000004"}
    assert all(s["fetchedAt"] and s["withdrawnAt"] is None for s in sources)
    assert [s["mode"] for s in sources] == ["PRODUCTION", "PRODUCTION"]  # both promoted


def test_a_vacancy_past_its_closing_date_is_never_offered_as_open(graph: Graph) -> None:
    """A posting synced while open keeps status OPEN until its feed is read again; once its
    closesAt has passed by the clock it is not matched (it used to be, with status OPEN)."""
    partner_demo.sync_demo(graph)
    profile = [skill("python"), skill("software-testing"), skill("sql")]

    def titles() -> list[str]:
        return [m["vacancy"]["title"] for m in careers.match_vacancies(graph, profile)]

    assert "Junior Python Developer" in titles()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    graph.run("MATCH (v:Vacancy {title: 'Junior Python Developer'}) SET v.closesAt = $d",
              {"d": yesterday}, write=True)
    assert "Junior Python Developer" not in titles()
    assert "Data Analyst" in titles()
    graph.run("MATCH (v:Vacancy {title: 'Junior Python Developer'}) SET v.closesAt = $d",
              {"d": dt.date.today()}, write=True)
    assert "Junior Python Developer" in titles()  # closing today: still open today


def test_matching_ranks_exactly_as_the_rule_says(graph: Graph, tmp_path: Path) -> None:
    """Only candidates that can reach the top are expanded: the answer must still be the exact
    ranking (score, then share of the vacancy's own skills, then newest, then id)."""
    rng = random.Random(11)
    pool = [f"s{i}" for i in range(10)]
    postings = []
    for n in range(60):
        chosen = rng.sample(pool, rng.randint(1, 6))
        postings.append(posting(n, skills=[(s, rng.random() < 0.6) for s in chosen]))
    feed = tmp_path / "jobs.json"
    feed.write_text(json.dumps(postings))
    register(graph, "rank-board", "schemaorg-jobposting", str(feed))
    partner_sync.sync_now(graph, "rank-board")
    profile = [skill(s) for s in ("s1", "s4", "s7", "s8")]
    rows = graph.run("MATCH (v:Vacancy)-[q:REQUIRES]->(k:Skill) "
                     "RETURN v.id AS id, v.title AS title, collect([k.uri, q.essential]) AS req")
    ranked = []
    for r in rows:
        weights = {uri: 2 if essential else 1 for uri, essential in r["req"]}
        score = sum(w for uri, w in weights.items() if uri in profile)
        if score:
            ranked.append((-score, -score / sum(weights.values()), r["id"], r["title"]))
    expected = [t for *_, t in sorted(ranked)][:7]
    got = careers.match_vacancies(graph, profile, first=7)
    assert [m["vacancy"]["title"] for m in got] == expected


def test_career_paths_take_one_statement(graph: Graph) -> None:
    partner_demo.sync_demo(graph)
    with recording_statements() as log:
        paths = careers.occupation_paths(graph, occupation("ict-help-desk-agent"), SW)
    assert paths and len(log) == 1
    with recording_statements() as log, pytest.raises(NotFound) as missing:
        careers.occupation_paths(graph, "urn:nope", SW)
    assert missing.value.details["ids"] == ["urn:nope"] and len(log) == 1


NESTED = """query N($skills: [String!]!) { matchVacancies(skills: $skills, first: 3) {
  __typename score
  vacancy { __typename id title organisation { name partners { nodes { name } } } }
  missing { __typename essential skill { uri trainingCourses { nodes { title } } } }
  courses { __typename course { title provider { name } } closes } } }"""


def test_a_match_with_its_nested_records_is_one_statement(client: FlaskClient,
                                                          graph: Graph) -> None:
    """The vacancy's employer and its partners, and the courses teaching a missing skill, are
    read by the one careers statement, not a statement per match or per record."""
    partner_demo.sync_demo(graph)
    graph.run("MATCH (o:Organisation {businessId: '09000001'}) "
              "CREATE (o)-[:PARTNERS_WITH {since: date()}]->"
              "(:Organisation {id: randomUUID(), name: 'Pennine Partner', version: 1})",
              write=True)
    profile = [skill("python"), skill("software-testing"), skill("sql")]
    body = gql(client, NESTED, {"skills": profile})
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    top = body["data"]["matchVacancies"][0]
    assert (top["__typename"], top["vacancy"]["__typename"]) == ("VacancyMatch", "Vacancy")
    assert top["vacancy"]["title"] == "Junior Python Developer"
    assert top["vacancy"]["organisation"]["partners"]["nodes"] == [{"name": "Pennine Partner"}]
    [gap] = top["missing"]
    assert (gap["__typename"], gap["skill"]["uri"]) == ("RequiredSkill", skill("version-control"))
    assert {"title": "Python Programming for Beginners"} in gap["skill"]["trainingCourses"]["nodes"]
    assert top["courses"][0]["__typename"] == "CourseMatch"
    assert top["courses"][0]["course"]["provider"]["name"]


PATH_RECORDS = """query P($from: String!, $to: String!) {
  careerPaths(from: $from, to: $to, first: 2) { steps { to { name code }
    gap { skill { uri trainingCourses(first: 3) { nodes { title } } } }
    courses { course { title provider { name } } } } } }"""


def test_career_paths_with_nested_records_are_one_statement(client: FlaskClient,
                                                            graph: Graph) -> None:
    partner_demo.sync_demo(graph)
    variables = {"from": occupation("ict-help-desk-agent"), "to": SW}
    body = gql(client, PATH_RECORDS, variables)
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    last = body["data"]["careerPaths"][1]["steps"][1]
    assert last["to"]["name"] == "software developer"
    assert "code" in last["to"]
    gap = {g["skill"]["uri"]: g["skill"]["trainingCourses"]["nodes"] for g in last["gap"]}
    assert {"title": "Python Programming for Beginners"} in gap[skill("version-control")]
    assert last["courses"][0]["course"]["title"] == "Python Programming for Beginners"
    assert last["courses"][0]["course"]["provider"]["name"]
