"""A hackathon on the real graph: set up with its kits and judging challenge in one go; people
register, form and join teams (one team each), send a project with links and kits until the
deadline; judges score it with the lab's evaluation; the winners are published once decided."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges, evaluation, hackathons, proposals, sessions
from tests.builders import gql
from tests.lab.builders import FUTURE, field, person, to_evaluation
from tests.lab.test_graphql_lab import as_principal, signed_in


def kit(graph: Graph, name: str) -> None:
    """A kit as the catalogue leaves it in the graph (the lab only reads its name)."""
    graph.run("MERGE (:DataKit {name: $name})", {"name": name}, write=True)


def hackathon(graph: Graph, staff: Actor, kits: tuple[str, ...] = ("vacancies",)
              ) -> dict[str, Any]:
    field(graph, "employment")
    for name in ("vacancies", "claimant-counts", "courses"):
        kit(graph, name)
    return hackathons.create(
        graph, staff, title="Hack the North", description=None,
        rules="Teams of up to five. Code under an open licence.",
        starts_at="2098-12-30T09:00:00Z", ends_at=FUTURE, submission_deadline=FUTURE,
        field_codes=["employment"], kit_names=list(kits))


def test_a_hackathon_runs_from_registration_to_winners(graph: Graph, staff: Actor) -> None:
    made = hackathon(graph, staff, ("vacancies", "claimant-counts"))
    assert made["kind"] == "HACKATHON"
    assert made["kits"] == ["claimant-counts", "vacancies"]
    assert made["challenge"]["status"] == "OPEN"
    assert made["submissionDeadline"] == made["challenge"]["deadline"]
    judging = challenges.get(graph, made["challenge"]["id"])
    assert [k["name"] for k in judging["criteria"]] == [k["name"] for k in hackathons.RUBRIC]
    assert [f["code"] for f in judging["fields"]] == ["employment"]

    ada, bo = (person(graph, n, {"CITIZEN"}) for n in ("Ada", "Bo"))
    for who in (ada, bo):
        sessions.join(graph, who, made["id"])
    team = hackathons.form_team(graph, ada, made["id"], "Job Finders")
    hackathons.join_team(graph, bo, team["id"])
    project = hackathons.submit_project(
        graph, bo, team_id=team["id"], title="Skills map", summary="Vacancies by skill.",
        repository_url="https://example.org/jobfinders/skills-map",
        demo_url="https://skills-map.example.org", kit_names=["vacancies"])
    assert project["status"] == "SUBMITTED"
    assert project["kits"] == ["vacancies"]
    edited = hackathons.update_project(graph, ada, project["id"], project["version"],
                                       kit_names=["vacancies", "claimant-counts"])
    assert edited["kits"] == ["claimant-counts", "vacancies"]
    assert edited["repositoryUrl"] == "https://example.org/jobfinders/skills-map"

    page = hackathons.get(graph, made["id"], bo)
    assert page["participantCount"] == 2
    assert [(t["name"], t["members"]) for t in page["teams"]] == [("Job Finders", 2)]
    assert page["myTeam"]["project"]["title"] == "Skills map"
    assert [p["title"] for p in page["projects"]] == ["Skills map"]
    assert page["winners"] == []

    judge = person(graph, "Jo Judge", {"EXPERT"}, None, ("employment",))
    to_evaluation(graph, made["challenge"]["id"])
    assigned = evaluation.assign_experts(graph, staff, made["challenge"]["id"])
    assert [j["name"] for j in assigned["judges"]] == ["Jo Judge"]
    evaluation.score(graph, judge, project["id"], [
        {"criterionId": k["id"], "score": 8} for k in judging["criteria"]])
    ranked = evaluation.results(graph, made["challenge"]["id"])["proposals"]
    assert ranked[0]["rawWeightedMean"] == 8.0
    version = proposals.get(graph, project["id"])["version"]
    shortlisted = proposals.advance(graph, staff, project["id"], "SHORTLISTED", version, "strong")
    proposals.advance(graph, staff, project["id"], "SELECTED", shortlisted["version"], "best")
    challenge = challenges.get(graph, made["challenge"]["id"])
    challenges.advance(graph, staff, challenge["id"], "DECIDED", challenge["version"], "done")
    anyone = hackathons.get(graph, made["id"])
    assert [w["title"] for w in anyone["winners"]] == ["Skills map"]
    assert anyone["winners"][0]["demoUrl"] == "https://skills-map.example.org"


def test_refusals_say_why(graph: Graph, staff: Actor) -> None:
    made = hackathon(graph, staff)
    ada, bo, cy = (person(graph, n, {"CITIZEN"}) for n in ("Ada", "Bo", "Cy"))
    with pytest.raises(Forbidden, match="register for the hackathon first") as refused:
        hackathons.form_team(graph, ada, made["id"], "Early")
    assert refused.value.details["requirement"] == "REGISTERED"
    for who in (ada, bo):
        sessions.join(graph, who, made["id"])
    first = hackathons.form_team(graph, ada, made["id"], "First")
    second = hackathons.form_team(graph, bo, made["id"], "Second")
    with pytest.raises(Conflict, match="already in the team First"):
        hackathons.form_team(graph, ada, made["id"], "Another")
    with pytest.raises(Conflict, match="already in the team Second"):
        hackathons.join_team(graph, bo, first["id"])
    with pytest.raises(Forbidden, match="register"):
        hackathons.join_team(graph, cy, first["id"])
    with pytest.raises(NotFound):
        hackathons.join_team(graph, ada, "no-such-team")
    with pytest.raises(BadInput, match="not a kit of this hackathon: courses") as foreign:
        hackathons.submit_project(graph, ada, team_id=first["id"], title="T", summary="S",
                                  kit_names=["courses"])
    assert foreign.value.details["field"] == "kits"
    with pytest.raises(BadInput, match="no data kit named nope"):
        hackathons.submit_project(graph, ada, team_id=first["id"], title="T", summary="S",
                                  kit_names=["nope"])
    with pytest.raises(BadInput, match="repositoryUrl must be a web address") as bad_url:
        hackathons.submit_project(graph, ada, team_id=first["id"], title="T", summary="S",
                                  repository_url="javascript:alert(1)")
    assert bad_url.value.details["field"] == "repositoryUrl"
    with pytest.raises(Forbidden, match="member of the team"):
        hackathons.submit_project(graph, bo, team_id=first["id"], title="T", summary="S")
    sent = hackathons.submit_project(graph, ada, team_id=first["id"], title="T", summary="S")
    with pytest.raises(Conflict, match="sent its project already"):
        hackathons.submit_project(graph, ada, team_id=first["id"], title="T2", summary="S")
    assert proposals.get(graph, sent["id"])["proposer"]["name"] == "First"

    to_evaluation(graph, made["challenge"]["id"])  # the deadline passes
    with pytest.raises(BadInput, match="takes proposals only while OPEN"):
        hackathons.submit_project(graph, bo, team_id=second["id"], title="Late", summary="S")
    with pytest.raises(BadInput, match="can no longer be edited"):
        hackathons.update_project(graph, ada, sent["id"], sent["version"], title="Later")
    with pytest.raises(Forbidden):
        hackathons.create(graph, ada, title="Mine", description="", rules="",
                          starts_at="2098-01-01T00:00:00Z", ends_at=FUTURE,
                          submission_deadline=FUTURE, field_codes=["employment"], kit_names=[])
    with pytest.raises(BadInput, match="projects are due after the hackathon starts"):
        hackathons.create(graph, staff, title="Backwards", description="", rules="",
                          starts_at=FUTURE, ends_at="2099-02-01T00:00:00Z",
                          submission_deadline="2098-01-01T00:00:00Z",
                          field_codes=["employment"], kit_names=[])
    with pytest.raises(NotFound):
        hackathons.get(graph, "no-such-hackathon")


def test_the_hackathon_through_graphql(app: Flask, client: FlaskClient, graph: Graph,
                                       staff: Actor) -> None:
    field(graph, "employment")
    kit(graph, "vacancies")
    made = as_principal(app, graph, staff, """mutation($in: CreateHackathonInput!) {
      createHackathon(input: $in) { hackathon { id kind rules kits submissionDeadline
        judging { status criteria { totalCount } } } } }""", {"in": {
        "title": "Hack the North", "rules": "Open source.", "startsAt": "2098-12-30T09:00:00Z",
        "endsAt": FUTURE, "submissionDeadline": FUTURE, "fields": ["employment"],
        "kits": ["vacancies"]}})
    hackathon_ = made["data"]["createHackathon"]["hackathon"]
    assert hackathon_["kind"] == "HACKATHON" and hackathon_["kits"] == ["vacancies"]
    assert hackathon_["judging"]["status"] == "OPEN"
    assert hackathon_["submissionDeadline"].startswith("2099-01-01T00:00:00")
    assert hackathon_["judging"]["criteria"]["totalCount"] == len(hackathons.RUBRIC)

    ada = person(graph, "Ada", {"CITIZEN"})
    ada_client = signed_in(app, graph, ada, "graph:read")
    refused = gql(ada_client, """mutation($id: ID!) { formHackathonTeam(input:
      {hackathonId: $id, name: "Early"}) { team { id } } }""", {"id": hackathon_["id"]},
                  status=None)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["errors"][0]["extensions"]["requirement"] == "REGISTERED"
    gql(ada_client, """mutation($id: ID!) { joinLabSession(input: {sessionId: $id}) {
      labSession { id } } }""", {"id": hackathon_["id"]})
    team = gql(ada_client, """mutation($id: ID!) { formHackathonTeam(input:
      {hackathonId: $id, name: "Job Finders"}) { team { id name hackathon { id }
      members { totalCount } } } }""", {"id": hackathon_["id"]})["data"]["formHackathonTeam"]
    assert team["team"]["hackathon"]["id"] == hackathon_["id"]
    assert team["team"]["members"]["totalCount"] == 1
    submit = """mutation($in: SubmitHackathonProjectInput!) { submitHackathonProject(input: $in)
      { proposal { id status version repositoryUrl demoUrl kits team { name } } } }"""
    bad = gql(ada_client, submit, {"in": {"teamId": team["team"]["id"], "title": "Map",
                                          "summary": "s", "demoUrl": "not a link"}},
              status=None)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "demoUrl"
    sent = gql(ada_client, submit, {"in": {
        "teamId": team["team"]["id"], "title": "Map", "summary": "s",
        "repositoryUrl": "https://example.org/map", "kits": ["vacancies"]}}
    )["data"]["submitHackathonProject"]["proposal"]
    assert sent["status"] == "SUBMITTED" and sent["kits"] == ["vacancies"]
    assert sent["team"] == {"name": "Job Finders"}
    edited = gql(ada_client, """mutation($id: ID!, $v: Int!) { updateHackathonProject(input:
      {id: $id, version: $v, demoUrl: "https://map.example.org"}) { proposal { demoUrl
      repositoryUrl } } }""", {"id": sent["id"], "v": sent["version"]})
    assert edited["data"]["updateHackathonProject"]["proposal"] == {
        "demoUrl": "https://map.example.org", "repositoryUrl": "https://example.org/map"}

    # Anyone reads the hackathon and its projects, without a token.
    public = gql(client, """{ labSessions(where: {kind: {eq: HACKATHON}}) { nodes { title
      judging { proposals { nodes { title demoUrl } } } } } }""")
    assert public["data"]["labSessions"]["nodes"] == [{"title": "Hack the North", "judging": {
        "proposals": {"nodes": [{"title": "Map", "demoUrl": "https://map.example.org"}]}}}]


def test_one_person_forming_two_teams_at_once_gets_one(graph: Graph, staff: Actor) -> None:
    made = hackathon(graph, staff)
    ada = person(graph, "Ada", {"CITIZEN"})
    sessions.join(graph, ada, made["id"])
    for attempt in range(3):  # the race is real: run it a few times
        graph.run("MATCH (:Person {id: $id})-[r:MEMBER_OF]->(:Team) DELETE r", {"id": ada.id},
                  write=True)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def form(name: str, gate: threading.Barrier = barrier,
                 out: list[str] = outcomes) -> None:
            gate.wait()
            try:
                hackathons.form_team(graph, ada, made["id"], name)
                out.append("formed")
            except Conflict:
                out.append("refused")

        threads = [threading.Thread(target=form, args=(f"Team {attempt}-{i}",))
                   for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["formed", "refused"], outcomes
        teams = graph.run("MATCH (:Person {id: $id})-[:MEMBER_OF]->(t:Team)-[:FORMED_FOR]->"
                          "(:Session {id: $s}) RETURN count(t) AS n",
                          {"id": ada.id, "s": made["id"]})
        assert teams[0]["n"] == 1
