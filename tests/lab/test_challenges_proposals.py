"""Challenges and proposals through the services: posting, guards, edits, withdrawal, scope."""

from __future__ import annotations

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges, machine, proposals
from tests.lab.builders import FUTURE, field, open_challenge, organisation, person, to_evaluation


def test_a_challenge_opens_only_when_complete(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    bare = challenges.create(graph, staff, title="Bare", description="no rubric yet")
    with pytest.raises(BadInput) as refused:
        challenges.advance(graph, staff, bare["id"], "OPEN", 1)
    assert refused.value.details["unmetConditions"] == [
        "has_field", "has_rubric", "deadline_in_future"]
    past = challenges.create(graph, staff, title="Late", description="d",
                             field_codes=["employment"], criteria=[{"name": "a", "weight": 1}],
                             deadline="2001-01-01T00:00:00Z")
    with pytest.raises(BadInput, match="deadline_in_future"):
        challenges.advance(graph, staff, past["id"], "OPEN", 1)
    with pytest.raises(BadInput, match="unknown fields: nowhere"):
        challenges.create(graph, staff, title="x", description="y", field_codes=["nowhere"])
    with pytest.raises(BadInput, match="positive weight"):
        challenges.create(graph, staff, title="x", description="y",
                          criteria=[{"name": "a", "weight": 0}])


def test_partner_posts_for_its_own_organisation(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    org = organisation(graph, "Jobs Co", "EMPLOYER")
    rival = organisation(graph, "Rival Co", "EMPLOYER")
    partner = person(graph, "Pat Partner", {"PARTNER"}, org)
    outsider = person(graph, "Olly Other", {"PARTNER"}, rival)
    citizen = person(graph, "Cleo", {"CITIZEN"})
    with pytest.raises(Forbidden):
        challenges.create(graph, citizen, title="t", description="d")
    with pytest.raises(Forbidden):
        challenges.create(graph, partner, title="t", description="d", organisation_id=rival)
    posted = challenges.create(graph, partner, title="Hire locally", description="d",
                               field_codes=["employment"], criteria=[{"name": "a", "weight": 1}],
                               deadline=FUTURE)
    assert posted["postedBy"]["id"] == org
    with pytest.raises(Forbidden) as forbidden:
        challenges.advance(graph, outsider, posted["id"], "OPEN", 1)
    assert forbidden.value.details["allowedMoves"] == []
    opened = challenges.advance(graph, partner, posted["id"], "OPEN", 1)
    assert opened["status"] == "OPEN"
    assert [c["id"] for c in challenges.public_list(graph)] == [posted["id"]]


def test_an_edit_that_changes_nothing_is_no_new_version(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    same = {"description": challenge["description"], "eligibility": challenge["eligibility"],
            "deadline": "2099-01-01T01:00:00+01:00",  # the same moment, written otherwise
            "field_codes": [f["code"] for f in challenge["fields"]],
            "criteria": [{"name": k["name"], "weight": k["weight"]}
                         for k in challenge["criteria"]]}
    # Open, the rubric is not editable, but sending it back unchanged is no edit of it.
    kept = challenges.update(graph, staff, challenge["id"], challenge["version"], **same)
    assert kept["version"] == challenge["version"]
    assert [k["id"] for k in kept["criteria"]] == [k["id"] for k in challenge["criteria"]]
    with pytest.raises(Conflict):  # a stale version is refused even when nothing changes
        challenges.update(graph, staff, challenge["id"], challenge["version"] - 1, **same)
    with pytest.raises(BadInput, match="rubric"):
        challenges.update(graph, staff, challenge["id"], challenge["version"],
                          **{**same, "criteria": [{"name": "impact", "weight": 1}]})
    moved = challenges.update(graph, staff, challenge["id"], challenge["version"],
                              **{**same, "eligibility": "Anyone in the North"})
    assert moved["version"] == challenge["version"] + 1


def test_proposals_editable_until_deadline_and_withdrawable(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    org = organisation(graph, "Bus Start-up")
    founder = person(graph, "Fay", {"PARTNER"}, org)
    colleague = person(graph, "Cole", {"PARTNER"}, org)
    stranger = person(graph, "Stan", {"PARTNER"}, organisation(graph, "Other"))
    draft = proposals.create(graph, founder, challenge_id=challenge["id"], title="Bus",
                             summary="A job club bus")
    assert draft["proposer"] == {"id": org, "name": "Bus Start-up", "kind": "ORGANISATION"}
    with pytest.raises(Forbidden):
        proposals.advance(graph, stranger, draft["id"], "SUBMITTED", 1)
    submitted = proposals.advance(graph, colleague, draft["id"], "SUBMITTED", 1)
    edited = proposals.update(graph, founder, draft["id"], submitted["version"],
                              summary="A job club bus, twice a week")
    assert (edited["summary"], edited["version"]) == ("A job club bus, twice a week", 3)
    with pytest.raises(Conflict):
        proposals.update(graph, founder, draft["id"], 2, summary="stale")
    with pytest.raises(Forbidden):
        proposals.update(graph, stranger, draft["id"], 3, summary="not mine")

    # A team proposal, withdrawn by a team member; staff may not withdraw for them.
    maker = person(graph, "Mo Maker", {"CITIZEN"})
    team = proposals.create_team(graph, maker, name="Makers", member_ids=[])
    team_draft = proposals.create(graph, maker, challenge_id=challenge["id"], title="App",
                                  summary="An app", team_id=team["id"])
    with pytest.raises(Forbidden):
        proposals.advance(graph, staff, team_draft["id"], "WITHDRAWN", 1)
    withdrawn = proposals.advance(graph, maker, team_draft["id"], "WITHDRAWN", 1, "changed mind")
    assert withdrawn["status"] == "WITHDRAWN"

    to_evaluation(graph, challenge["id"])
    with pytest.raises(BadInput, match="can no longer be edited"):
        proposals.update(graph, founder, draft["id"], 3, summary="too late")
    late = proposals.create
    with pytest.raises(BadInput, match="OPEN and before its deadline"):
        late(graph, founder, challenge_id=challenge["id"], title="Late", summary="late")


def test_shortlist_select_and_decide_with_reasons(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    orgs = [organisation(graph, f"Org {i}") for i in range(2)]
    people = [person(graph, f"P{i}", {"PARTNER"}, o) for i, o in enumerate(orgs)]
    drafts = [proposals.create(graph, p, challenge_id=challenge["id"], title=f"T{i}",
                               summary="s") for i, p in enumerate(people)]
    for p, d in zip(people, drafts, strict=True):
        proposals.advance(graph, p, d["id"], "SUBMITTED", 1)
    with pytest.raises(BadInput, match="challenge_in_evaluation"):
        proposals.advance(graph, staff, drafts[0]["id"], "SHORTLISTED", 2, "good")
    to_evaluation(graph, challenge["id"])
    with pytest.raises(BadInput, match="needs a reason"):
        proposals.advance(graph, staff, drafts[0]["id"], "SHORTLISTED", 2)
    proposals.advance(graph, staff, drafts[0]["id"], "SHORTLISTED", 2, "strong impact")
    current = challenges.get(graph, challenge["id"])
    with pytest.raises(BadInput, match="no_proposal_pending"):
        challenges.advance(graph, staff, challenge["id"], "DECIDED", current["version"], "done")
    proposals.advance(graph, staff, drafts[0]["id"], "SELECTED", 3, "best value")
    proposals.advance(graph, staff, drafts[1]["id"], "REJECTED", 2, "out of scope")
    decided = challenges.advance(graph, staff, challenge["id"], "DECIDED", current["version"],
                                 "one selected")
    challenges.advance(graph, staff, challenge["id"], "CLOSED", decided["version"])
    history = machine.history(graph, "PROPOSAL", drafts[0]["id"])
    assert [(e["toStatus"], e["reason"]) for e in history] == [
        ("DRAFT", "created"), ("SUBMITTED", None), ("SHORTLISTED", "strong impact"),
        ("SELECTED", "best value")]
    with pytest.raises(BadInput) as final:
        proposals.advance(graph, people[0], drafts[0]["id"], "WITHDRAWN", 4)
    assert final.value.details["allowedMoves"] == []
