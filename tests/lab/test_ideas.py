"""Ideas through the services, on the real graph: submission, duplicates, review outcomes."""

from __future__ import annotations

import pytest

from civicgraph.compiler.visibility import Visibility
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, Unauthenticated
from civicgraph.core.graph import Graph, recording_statements
from civicgraph.lab.service import challenges, ideas, machine
from tests.lab.builders import organisation, person

STAFF_READER = Visibility(staff=True)


def test_submission_records_origin_and_history(graph: Graph, staff: Actor) -> None:
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    outside = ideas.submit(graph, citizen, title="Job club on the bus",
                           description="A mobile job club visiting rural villages weekly")
    inside = ideas.submit(graph, staff, title="Shared CV templates",
                          description="One CV template library for all advisers")
    assert outside["idea"]["origin"] == "EXTERNAL"
    assert inside["idea"]["origin"] == "INTERNAL"
    assert outside["idea"]["status"] == "SUBMITTED"
    history = machine.history(graph, "IDEA", outside["idea"]["id"])
    assert [(e["fromStatus"], e["toStatus"], e["actor"]) for e in history] == [
        (None, "SUBMITTED", citizen.id)]


def test_anonymous_cannot_submit(graph: Graph) -> None:
    with pytest.raises(Unauthenticated):
        ideas.submit(graph, Actor("anon", frozenset({"PUBLIC"})), title="t", description="d")


def test_likely_duplicates_are_ranked_by_similarity(graph: Graph, staff: Actor) -> None:
    first = ideas.submit(graph, staff, title="Mobile job club for rural villages",
                         description="A bus that brings job advisers to villages")["idea"]
    ideas.submit(graph, staff, title="Faster benefit payments",
                 description="Pay benefits within two days of a claim")
    again = ideas.submit(graph, staff, title="Job club bus for villages",
                         description="Advisers travel by bus to rural villages (again!)",
                         reader=STAFF_READER)
    duplicates = again["likelyDuplicates"]
    assert duplicates[0]["id"] == first["id"]
    assert duplicates[0]["score"] > 0
    assert all(d["id"] != again["idea"]["id"] for d in duplicates)
    # Lucene syntax in user text is not interpreted.
    odd = ideas.submit(graph, staff, title='AND OR "unclosed ( [ ~ *', description="x: y^2",
                       reader=STAFF_READER)
    assert isinstance(odd["likelyDuplicates"], list)


def test_a_reader_who_may_not_see_ideas_is_shown_no_duplicates(graph: Graph,
                                                               staff: Actor) -> None:
    """Ideas are lab staff's (Idea's guard): the public is shown none, so none of their titles
    leak to whoever submits a similar one."""
    ideas.submit(graph, staff, title="Bus job club", description="Rides to interviews")
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    submitted = ideas.submit(graph, citizen, title="Bus job club for youth",
                             description="Rides to interviews")
    assert submitted["likelyDuplicates"] == []
    shown = ideas.likely_duplicates(graph, "Bus job club", "Rides", STAFF_READER)
    assert [d["title"] for d in shown][:1] == ["Bus job club"]


def test_submission_searches_and_creates_in_one_transaction(graph: Graph,
                                                            staff: Actor) -> None:
    ideas.submit(graph, staff, title="Bus job club", description="Rides to interviews")
    with recording_statements() as log:
        submitted = ideas.submit(graph, staff, title="Bus job club for youth",
                                 description="Rides to interviews", reader=STAFF_READER)
    assert [d["title"] for d in submitted["likelyDuplicates"]] == ["Bus job club"]
    assert len(log) == 2
    assert len({entry["transaction"] for entry in log.entries}) == 1


def test_review_into_challenge_and_decline_and_merge(graph: Graph, staff: Actor) -> None:
    citizen = person(graph, "Cleo", {"CITIZEN"})
    idea = ideas.submit(graph, citizen, title="Idea A", description="first idea")["idea"]
    with pytest.raises(Forbidden):
        ideas.start_review(graph, citizen, idea["id"], 1)
    reviewed = ideas.start_review(graph, staff, idea["id"], 1)
    assert (reviewed["status"], reviewed["version"]) == ("IN_REVIEW", 2)
    accepted = ideas.accept(graph, staff, idea["id"], 2, into="CHALLENGE", reason="promising")
    challenge = challenges.get(graph, accepted["challengeId"])
    assert (challenge["status"], challenge["fromIdea"], challenge["title"]) == (
        "DRAFT", idea["id"], "Idea A")
    assert ideas.get(graph, idea["id"])["becameChallenge"] == challenge["id"]

    other = ideas.submit(graph, citizen, title="Idea B", description="second")["idea"]
    ideas.start_review(graph, staff, other["id"], 1)
    with pytest.raises(BadInput, match="needs a reason"):
        ideas.decline(graph, staff, other["id"], 2, reason="  ")
    ideas.merge(graph, staff, other["id"], 2, into_idea_id=idea["id"], reason="same thing")
    assert ideas.get(graph, other["id"])["mergedInto"] == idea["id"]

    third = ideas.submit(graph, citizen, title="Idea C", description="third")["idea"]
    with pytest.raises(BadInput) as illegal:
        ideas.decline(graph, staff, third["id"], 1, reason="no")
    assert illegal.value.details["allowedMoves"] == ["IN_REVIEW"]
    with pytest.raises(Conflict):
        ideas.start_review(graph, staff, third["id"], 7)
    history = machine.history(graph, "IDEA", other["id"])
    assert [e["toStatus"] for e in history] == ["SUBMITTED", "IN_REVIEW", "MERGED"]
    assert history[-1]["reason"] == "same thing"


def test_accept_into_a_proposal_to_an_open_challenge(graph: Graph, staff: Actor) -> None:
    org = organisation(graph, "Bus Start-up")
    founder = person(graph, "Fay Founder", {"PARTNER"}, org)
    from tests.lab.builders import field

    field(graph, "mobility")
    challenge = challenges.create(
        graph, staff, title="Reach rural job seekers", description="How?",
        field_codes=["mobility"], criteria=[{"name": "impact", "weight": 2}],
        deadline="2099-01-01T00:00:00Z")
    challenges.advance(graph, staff, challenge["id"], "OPEN", 1)
    idea = ideas.submit(graph, founder, title="Bus job club", description="by bus")["idea"]
    ideas.start_review(graph, staff, idea["id"], 1)
    accepted = ideas.accept(graph, staff, idea["id"], 2, into="PROPOSAL", reason="fits",
                            challenge_id=challenge["id"])
    rows = graph.run(
        "MATCH (p:Proposal {id: $id})-[:RESPONDS_TO]->(c:Challenge), "
        "(p)-[:SUBMITTED_BY]->(o:Organisation) RETURN p.status AS s, c.id AS c, o.id AS o",
        {"id": accepted["proposalId"]})
    assert dict(rows[0]) == {"s": "DRAFT", "c": challenge["id"], "o": org}
