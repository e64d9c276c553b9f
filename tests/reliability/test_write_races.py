"""Optimistic concurrency under real concurrency: for each kind of versioned write, 50 races of
two writers who read the same version and send their change at the same moment, over HTTP to
the app served by gunicorn (two processes, four threads each). Each race must end with exactly
one success and one CONFLICT, and the stored record must be the winner's change at version 2:
no writer's change is silently overwritten.

The GraphQL documents are in the one table below, so renaming a mutation is one edit here.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from civicgraph.core.graph import Graph
from tests.identity.builders import approved_purpose
from tests.lab.builders import person
from tests.reliability import builders
from tests.reliability.conftest import Served

RACES = 50

# Each write kind's document: the version races take $id, $version and the writer's $value.
DOCUMENTS: dict[str, str] = {
    "Organisation": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateOrganisation(input: {id: $id, version: $version, name: $value}) {
        organisation { id version name } } }""",
    "Skill": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateSkill(input: {id: $id, version: $version, name: $value}) {
        skill { id version name } } }""",
    "Occupation": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateOccupation(input: {id: $id, version: $version, name: $value}) {
        occupation { id version name } } }""",
    "Field": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateField(input: {id: $id, version: $version, name: $value}) {
        field { id version name } } }""",
    "PartnerPlatform": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updatePartnerPlatform(input: {id: $id, version: $version, name: $value}) {
        partnerPlatform { id version name } } }""",
    "Vacancy": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateVacancy(input: {id: $id, version: $version, title: $value}) {
        vacancy { id version title } } }""",
    "TrainingCourse": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateTrainingCourse(input: {id: $id, version: $version, title: $value}) {
        trainingCourse { id version title } } }""",
    "Service": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateService(input: {id: $id, version: $version, name: $value}) {
        service { id version name } } }""",
    "deleteSkill": """mutation Race($id: ID!, $version: Int!) {
      deleteSkill(input: {id: $id, version: $version}) { deletedId } }""",
    "moveIdea": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      moveLabRecord(input: {kind: IDEA, id: $id, to: IN_REVIEW, version: $version,
        reason: $value}) { status version } }""",
    "updateChallenge": """mutation Race($id: ID!, $version: Int!, $value: String!) {
      updateChallenge(input: {id: $id, version: $version, description: $value}) {
        challenge { version description } } }""",
    "grantConsent": """mutation Race($purposeId: ID!) {
      grantConsent(input: {purposeId: $purposeId, categories: [SKILLS]}) {
        consent { id status } } }""",
}

# The property each partner-graph document changes.
CHANGED = {"Organisation": "name", "Skill": "name", "Occupation": "name", "Field": "name",
           "PartnerPlatform": "name", "Vacancy": "title", "TrainingCourse": "title",
           "Service": "name"}


@dataclass
class Outcome:
    status: int
    body: dict[str, Any]

    @property
    def code(self) -> str:
        """"OK" for an answer with data and no error, else the first error's code."""
        errors = self.body.get("errors")
        if not errors and any(v is not None for v in (self.body.get("data") or {}).values()):
            return "OK"
        return str((errors or [{}])[0].get("extensions", {}).get("code"))


def race(served: Served, sessions: list[requests.Session], document: str,
         variables: list[dict[str, Any]]) -> list[Outcome]:
    """Both writers send at once (a barrier releases them together); their answers in order."""
    barrier = threading.Barrier(2)
    answers: list[Outcome | None] = [None, None]

    def writer(i: int) -> None:
        barrier.wait()
        answers[i] = Outcome(*served.gql(sessions[i], document, variables[i]))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert all(a is not None for a in answers), "a writer got no answer"
    return [a for a in answers if a is not None]


def run_races(served: Served, token: str, document: str, ids: list[str],
              check: Callable[[str, list[Outcome], list[str]], None]) -> dict[str, int]:
    """Race each record: two writers name version 1, each with its own value."""
    sessions = [served.session(token), served.session(token)]
    tally: dict[str, int] = {}
    for record_id in ids:
        values = [f"writer-a-{uuid.uuid4().hex[:8]}", f"writer-b-{uuid.uuid4().hex[:8]}"]
        outcomes = race(served, sessions, document,
                        [{"id": record_id, "version": 1, "value": v} for v in values])
        key = "+".join(sorted(o.code for o in outcomes))
        tally[key] = tally.get(key, 0) + 1
        check(record_id, outcomes, values)
    return tally


def one_winner(outcomes: list[Outcome]) -> int:
    codes = sorted(o.code for o in outcomes)
    assert codes == ["CONFLICT", "OK"], [o.body for o in outcomes]
    assert all(o.status == 200 for o in outcomes), [o.status for o in outcomes]
    return [o.code for o in outcomes].index("OK")


@pytest.mark.parametrize("type_name", sorted(CHANGED))
def test_partner_graph_updates_have_one_winner(served: Served, graph: Graph,
                                               type_name: str) -> None:
    ids = builders.partner_records(graph, type_name, RACES)
    token = served.token(["admin"])
    prop = CHANGED[type_name]

    def check(record_id: str, outcomes: list[Outcome], values: list[str]) -> None:
        winner = one_winner(outcomes)
        assert builders.stored(graph, [record_id], prop)[record_id] == (2, values[winner])
        conflict = outcomes[1 - winner].body["errors"][0]["extensions"]
        assert conflict["currentVersion"] == 2

    tally = run_races(served, token, DOCUMENTS[type_name], ids, check)
    assert tally == {"CONFLICT+OK": RACES}


def test_two_deletes_of_one_record(served: Served, graph: Graph) -> None:
    """Both name the version read: one deletes, the other finds it gone (never a 500)."""
    ids = builders.partner_records(graph, "Skill", RACES)
    token = served.token(["admin"])

    def check(record_id: str, outcomes: list[Outcome], values: list[str]) -> None:
        assert sorted(o.code for o in outcomes) in (["NOT_FOUND", "OK"], ["CONFLICT", "OK"]), \
            [o.body for o in outcomes]
        assert builders.stored(graph, [record_id], "name") == {}

    run_races(served, token, DOCUMENTS["deleteSkill"], ids, check)


def test_lab_moves_have_one_winner(served: Served, graph: Graph) -> None:
    staff = person(graph, "Stella Staff", {"LAB_STAFF"})
    author = person(graph, "Cleo Citizen", {"CITIZEN"})
    ids = builders.submitted_ideas(graph, author, RACES)
    token = served.person_token(staff, "graph:read lab:write")

    def check(record_id: str, outcomes: list[Outcome], values: list[str]) -> None:
        winner = one_winner(outcomes)
        moves = graph.run("MATCH (e:LifecycleEvent)-[:HAPPENED_TO]->(i:Idea {id: $id}) "
                          "WHERE e.toStatus = 'IN_REVIEW' RETURN e.reason AS reason, "
                          "i.version AS version", {"id": record_id})
        assert [(r["reason"], r["version"]) for r in moves] == [(values[winner], 2)]

    tally = run_races(served, token, DOCUMENTS["moveIdea"], ids, check)
    assert tally == {"CONFLICT+OK": RACES}


def test_challenge_edits_have_one_winner(served: Served, graph: Graph) -> None:
    staff = person(graph, "Stella Staff", {"LAB_STAFF"})
    ids = builders.draft_challenges(graph, staff, RACES)
    token = served.person_token(staff, "graph:read lab:write")

    def check(record_id: str, outcomes: list[Outcome], values: list[str]) -> None:
        winner = one_winner(outcomes)
        assert builders.stored(graph, [record_id], "description")[record_id] == \
            (2, values[winner])

    tally = run_races(served, token, DOCUMENTS["updateChallenge"], ids, check)
    assert tally == {"CONFLICT+OK": RACES}


def test_two_grants_at_once_leave_one_live_consent(served: Served, graph: Graph) -> None:
    """A grant supersedes the live one for the same organisation and purpose; two at once must
    not both see none and leave two live consents."""
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    organisations = builders.partner_records(graph, "Organisation", RACES)
    token = served.person_token(citizen, "consent:read consent:write")
    sessions = [served.session(token), served.session(token)]
    for organisation_id in organisations:
        purpose_id = approved_purpose(graph, organisation_id)
        outcomes = race(served, sessions, DOCUMENTS["grantConsent"],
                        [{"purposeId": purpose_id}] * 2)
        assert [o.code for o in outcomes] == ["OK", "OK"], [o.body for o in outcomes]
        rows = graph.run(
            "MATCH (:Person {id: $person})-[:GAVE]->(c:Consent)-[:TO]->(:Organisation {id: $org}) "
            "RETURN count(c) AS total, count(CASE WHEN c.withdrawnAt IS NULL THEN 1 END) AS live, "
            "COUNT { (:Consent)-[:SUPERSEDES]->(:Consent)-[:TO]->(:Organisation {id: $org}) } "
            "AS superseded", {"person": citizen.id, "org": organisation_id})
        assert (rows[0]["total"], rows[0]["live"], rows[0]["superseded"]) == (2, 1, 1)
