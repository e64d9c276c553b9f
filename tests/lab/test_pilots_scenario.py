"""Pilots and the full scenario, idea to mainstreamed pilot, through the services."""

from __future__ import annotations

from typing import Any

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Forbidden
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import transitions
from civicgraph.lab.service import (
    challenges,
    evaluation,
    figures,
    ideas,
    machine,
    pilots,
    proposals,
    scheduling,
    webhooks,
)
from tests.lab.builders import FUTURE, field, open_challenge, organisation, person, to_evaluation

MODEL: dict[str, Any] = {
    "involved": ["CITIZENS", "START_UPS", "PUBLIC_AGENCIES"], "relationship": "NETWORK",
    "ownership": "SOCIAL_ENTERPRISE", "funding_method": "MATCHED_CROWDFUNDING",
    "power_sits": "COMMUNITIES", "public_role": "ENABLER",
}


def selected_proposal(graph: Graph, staff: Actor) -> tuple[str, str]:
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    org = organisation(graph, "Bus Start-up")
    founder = person(graph, "Fay", {"PARTNER"}, org)
    draft = proposals.create(graph, founder, challenge_id=challenge["id"], title="Job bus",
                             summary="s")
    proposals.advance(graph, founder, draft["id"], "SUBMITTED", 1)
    to_evaluation(graph, challenge["id"])
    proposals.advance(graph, staff, draft["id"], "SHORTLISTED", 2, "promising")
    proposals.advance(graph, staff, draft["id"], "SELECTED", 3, "best")
    return draft["id"], org


def test_stage_gates_refuse_with_unmet_conditions(graph: Graph, staff: Actor) -> None:
    proposal_id, _org = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    assert pilot["partners"] == [{"organisationId": _org, "name": "Bus Start-up",
                                  "role": "LEAD"}]
    with pytest.raises(BadInput) as refused:
        pilots.advance(graph, staff, pilot["id"], "PILOT", 1)
    assert refused.value.details["unmetConditions"] == [
        "has_outcome_measures", "every_measure_has_baseline", "sponsor_signed_off"]
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 target=50, direction="INCREASE")
    assert pilots.gate(graph, pilot["id"], "PILOT")["unmet"] == [
        "every_measure_has_baseline", "sponsor_signed_off"]
    pilots.set_baseline(graph, staff, measure["id"], 10)
    other_staff = person(graph, "Otto", {"LAB_STAFF"})
    with pytest.raises(Forbidden, match="sponsor"):
        pilots.sign_off(graph, other_staff, pilot["id"], "PILOT")
    pilots.sign_off(graph, staff, pilot["id"], "PILOT")
    moved = pilots.advance(graph, staff, pilot["id"], "PILOT", 1)
    assert moved["status"] == "PILOT"
    pilots.sign_off(graph, staff, pilot["id"], "SCALING")
    pilots.record_measurement(graph, staff, measure["id"], 30, "2027-01-01T00:00:00Z")
    with pytest.raises(BadInput) as short:
        pilots.advance(graph, staff, pilot["id"], "SCALING", 2)
    assert short.value.details["unmetConditions"] == ["target_met_on_latest"]
    pilots.record_measurement(graph, staff, measure["id"], 55, "2027-02-01T00:00:00Z")
    pilots.record_measurement(graph, staff, measure["id"], 20, "2026-12-01T00:00:00Z")  # older
    assert pilots.gate(graph, pilot["id"], "SCALING")["unmet"] == []
    with pytest.raises(BadInput) as illegal:
        pilots.advance(graph, staff, pilot["id"], "MAINSTREAMED", 2)
    assert illegal.value.details["allowedMoves"] == ["SCALING", "STOPPED"]
    stopped = pilots.advance(graph, staff, pilot["id"], "STOPPED", 2, "funding ended")
    assert stopped["status"] == "STOPPED"
    with pytest.raises(BadInput):
        pilots.advance(graph, staff, pilot["id"], "PILOT", 3)


def test_overdue_measurements_are_flagged(graph: Graph, staff: Actor) -> None:
    proposal_id, _ = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 baseline=1, target=5, direction="INCREASE", every_days=30)
    pilots.record_measurement(graph, staff, measure["id"], 2, "2090-01-01T00:00:00Z")
    assert scheduling.flag_overdue_measurements(graph, "2090-01-15T00:00:00Z")["flagged"] == []
    flagged = scheduling.flag_overdue_measurements(graph, "2090-03-01T00:00:00Z")["flagged"]
    assert flagged == [{"id": pilot["id"], "overdue": ["Job starts"]}]
    assert pilots.get(graph, pilot["id"])["overdueMeasures"] == ["Job starts"]


def test_full_scenario_from_idea_to_mainstreamed_pilot(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    org = organisation(graph, "Bus Start-up")
    founder = person(graph, "Fay Founder", {"PARTNER"}, org)
    judge = person(graph, "Jo Judge", {"EXPERT"}, None, ("employment",))

    hook = webhooks.subscribe(graph, staff, url="http://127.0.0.1:9/hook",
                              events=["challenge.opened", "proposal.selected", "pilot.advanced"])
    idea = ideas.submit(graph, citizen, title="A job club on a bus",
                        description="Bring advisers to rural villages")["idea"]
    ideas.start_review(graph, staff, idea["id"], 1)
    challenge_id = ideas.accept(graph, staff, idea["id"], 2, into="CHALLENGE",
                                reason="worth a challenge")["challengeId"]
    draft = challenges.get(graph, challenge_id)
    with pytest.raises(BadInput, match="has_field, has_rubric, deadline_in_future"):
        challenges.advance(graph, staff, challenge_id, "OPEN", draft["version"])
    completed = challenges.update(graph, staff, challenge_id, draft["version"], deadline=FUTURE,
                                  field_codes=["employment"],
                                  criteria=[{"name": "impact", "weight": 2},
                                            {"name": "cost", "weight": 1}])
    challenges.advance(graph, staff, challenge_id, "OPEN", completed["version"])
    proposal = proposals.create(graph, founder, challenge_id=challenge_id, title="Job bus",
                                summary="A bus with advisers")
    proposals.advance(graph, founder, proposal["id"], "SUBMITTED", 1)
    to_evaluation(graph, challenge_id)
    evaluation.assign_experts(graph, staff, challenge_id)
    scores = [{"criterionId": k["id"], "score": 8} for k in completed["criteria"]]
    evaluation.score(graph, judge, proposal["id"], scores)
    results = evaluation.results(graph, challenge_id)
    assert (results["proposals"][0]["rawWeightedMean"], results["missingScores"]) == (8.0, [])
    proposals.advance(graph, staff, proposal["id"], "SHORTLISTED", 2, "scored 8")
    proposals.advance(graph, staff, proposal["id"], "SELECTED", 3, "only strong one")
    current = challenges.get(graph, challenge_id)
    decided = challenges.advance(graph, staff, challenge_id, "DECIDED", current["version"],
                                 "selected one")
    challenges.advance(graph, staff, challenge_id, "CLOSED", decided["version"])

    pilot = pilots.start(graph, staff, proposal["id"], title="Job bus pilot")
    council = organisation(graph, "County Council", "AGENCY")
    pilots.involve(graph, staff, pilot["id"], council, "FUNDER")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 baseline=4, target=20, direction="INCREASE", every_days=30)
    cost = pilots.add_measure(graph, staff, pilot["id"], name="Cost per start", unit="EUR",
                              baseline=900, target=600, direction="DECREASE")
    outsider = person(graph, "Olly", {"PARTNER"}, organisation(graph, "Not Involved Ltd"))
    with pytest.raises(Forbidden, match="involved"):
        pilots.record_measurement(graph, outsider, measure["id"], 99)
    version = 1
    for stage in ("PILOT", "SCALING", "MAINSTREAMED"):
        pilots.sign_off(graph, staff, pilot["id"], stage)
        pilots.record_measurement(graph, founder, measure["id"], 25)
        pilots.record_measurement(graph, founder, cost["id"], 550)
        if stage == "MAINSTREAMED":
            with pytest.raises(BadInput, match="operating_model_complete"):
                pilots.advance(graph, staff, pilot["id"], stage, version)
            version = pilots.set_operating_model(graph, staff, pilot["id"], version,
                                                 **MODEL)["version"]
        version = pilots.advance(graph, staff, pilot["id"], stage, version)["version"]
    final = pilots.get(graph, pilot["id"])
    assert final["status"] == "MAINSTREAMED"
    assert {p["role"] for p in final["partners"]} == {"LEAD", "FUNDER"}
    history = machine.history(graph, "PILOT", pilot["id"])
    assert [e["toStatus"] for e in history] == [
        "PROOF_OF_CONCEPT", "PILOT", "SCALING", "MAINSTREAMED"]
    assert all(e["actor"] == staff.id for e in history)

    # Each event went to the outbox with its change (nothing is listening on port 9: queued).
    queued = [e["eventType"] for record in (challenge_id, proposal["id"], pilot["id"])
              for e in webhooks.outbox_for(graph, record)]
    assert queued == ["challenge.opened", "proposal.selected"] + ["pilot.advanced"] * 3
    assert hook["secret"]

    numbers = figures.lab_figures(graph)
    assert numbers["conversion"]["ideas"] == 1
    assert numbers["conversion"]["ideasBecameChallenges"] == 1
    assert numbers["conversion"]["ideasReachedPilot"] == 1
    assert numbers["conversion"]["ideasMainstreamed"] == 1
    assert numbers["conversion"]["pilotsMainstreamed"] == 1
    assert numbers["externalShare"] == 1.0
    assert numbers["pilotsByOperatingModel"][0]["fundingMethod"] == "MATCHED_CROWDFUNDING"


def test_a_gate_condition_falsified_after_the_check_cannot_let_the_move_through(
        graph: Graph, staff: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate is checked again inside the write: a sign-off withdrawn between the caller's
    facts and the write (another transaction, committed in between) refuses the move."""
    proposal_id, _ = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 target=50, direction="INCREASE", baseline=10)
    assert measure["baseline"] == 10
    pilots.sign_off(graph, staff, pilot["id"], "PILOT")
    assert pilots.gate(graph, pilot["id"], "PILOT")["unmet"] == []
    read_facts = transitions.facts

    def facts_then_withdrawn(*args: Any, **kwargs: Any) -> Any:
        found = read_facts(*args, **kwargs)
        graph.run("MATCH (:Person)-[s:SIGNED_OFF {stage: 'PILOT'}]->(:Pilot {id: $id}) "
                  "DELETE s", {"id": pilot["id"]}, write=True)
        return found

    monkeypatch.setattr(transitions, "facts", facts_then_withdrawn)
    with pytest.raises(BadInput) as refused:
        pilots.advance(graph, staff, pilot["id"], "PILOT", 1)
    assert refused.value.details["unmetConditions"] == ["sponsor_signed_off"]
    monkeypatch.undo()
    assert pilots.get(graph, pilot["id"])["status"] == "PROOF_OF_CONCEPT"
    assert [e["toStatus"] for e in machine.history(graph, "PILOT", pilot["id"])] == [
        "PROOF_OF_CONCEPT"]
