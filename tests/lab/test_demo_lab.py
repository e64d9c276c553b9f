"""The demo lab `make run` seeds: enough for a newcomer to walk the console's scenario by hand."""

from __future__ import annotations

from civicgraph.core import clock
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import challenges, evaluation, ideas, machine, proposals
from civicgraph.lab.service import demo as lab_demo
from civicgraph.lab.service.lifecycles import CHALLENGE, PILOT, PROPOSAL
from civicgraph.partner_graph import vocabulary


def test_demo_lab_is_a_challenge_in_evaluation_with_experts_and_is_seeded_once(
        graph: Graph) -> None:
    demo_identity.seed(graph, "http://127.0.0.1:8000")
    assert lab_demo.seed(graph, demo_identity.STAFF_EMAIL) == {"labChallengesCreated": 1}
    assert lab_demo.seed(graph, demo_identity.STAFF_EMAIL) == {"labChallengesCreated": 0}
    found = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    assert [(c["status"], c["proposalCount"]) for c in found] == [("EVALUATION", 2)]
    staff_id = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                     demo_identity.STAFF_PASSWORD)["id"]  # type: ignore[index]
    panel = evaluation.assign_experts(graph, Actor(staff_id, frozenset({"LAB_STAFF"})),
                                      found[0]["id"])
    assert {j["name"] for j in panel["judges"]} == {"Demo Expert", "Demo Insider Expert"}
    expert = accounts.authenticate(graph, lab_demo.EXPERT_EMAIL, lab_demo.EXPERT_PASSWORD)
    assert expert is not None
    queue = evaluation.queue(graph, Actor(expert["id"], frozenset({"EXPERT"})))
    assert [(p["title"], p["tie"]) for p in queue] == [("Job bus", None), ("Advice vans", None)]
    insider = accounts.authenticate(graph, lab_demo.INSIDER_EMAIL, lab_demo.EXPERT_PASSWORD)
    assert insider is not None
    ties = {p["title"]: p["tie"] for p in evaluation.queue(
        graph, Actor(insider["id"], frozenset({"EXPERT"})))}
    assert ties["Job bus"]["code"] == "MEMBER_OF_PROPOSER"
    assert ties["Job bus"]["reason"] == (
        "The expert is a member of the proposing organisation, Rural Bus Start-up.")
    assert ties["Advice vans"] is None


def test_demo_lab_history_moves_to_evaluation_after_the_deadline_and_not_in_the_future(
        graph: Graph) -> None:
    demo_identity.seed(graph, "http://127.0.0.1:8000")
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    seeded = clock.now()
    [demo] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    deadline = clock.parse(demo["deadline"], "deadline")
    *_, move = machine.history(graph, CHALLENGE.kind, demo["id"])
    assert (move["fromStatus"], move["toStatus"], move["reason"]) == (
        "OPEN", "EVALUATION", "deadline passed")
    assert deadline < clock.parse(move["at"], "at") <= seeded
    # The proposals were sent before the deadline.
    for proposal in proposals.for_challenge(graph, demo["id"]):
        sent = [e for e in machine.history(graph, PROPOSAL.kind, proposal["id"])
                if e["toStatus"] == "SUBMITTED"]
        assert [clock.parse(e["at"], "at") < deadline for e in sent] == [True]


def test_every_field_of_the_lab_has_an_expert_and_the_demo_panel_stays_two(
        graph: Graph) -> None:
    demo_identity.seed(graph, "http://127.0.0.1:8000")
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    assert lab_demo.seed_field_experts(graph) == {"labFieldExpertsCreated": 19}
    assert lab_demo.seed_field_experts(graph) == {"labFieldExpertsCreated": 0}
    [row] = graph.run("MATCH (f:Field) WHERE f.code IN $codes "
                      "RETURN count(f) AS fields, "
                      "count(CASE WHEN EXISTS { (:Expert)-[:EXPERT_IN]->(f) } THEN 1 END) "
                      "AS covered", {"codes": [c for c, _ in vocabulary.FIELDS]})
    assert row == {"fields": 20, "covered": 20}
    staff_id = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                     demo_identity.STAFF_PASSWORD)["id"]  # type: ignore[index]
    [found] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    panel = evaluation.assign_experts(graph, Actor(staff_id, frozenset({"LAB_STAFF"})),
                                      found["id"])
    assert {j["name"] for j in panel["judges"]} == {"Demo Expert", "Demo Insider Expert"}


def test_the_demo_idea_inbox_has_an_idea_from_every_origin(graph: Graph) -> None:
    demo_identity.seed(graph, "http://127.0.0.1:8000")
    senders = {"LAB_STAFF": demo_identity.STAFF_EMAIL, "CITIZEN": demo_identity.CITIZEN_EMAIL,
               "PARTICIPANT": demo_identity.PARTNER_MEMBER_EMAIL}
    assert lab_demo.seed_ideas(graph, senders) == {"labIdeasCreated": 3}
    assert lab_demo.seed_ideas(graph, senders) == {"labIdeasCreated": 0}
    inbox = ideas.list_ideas(graph, None, 100)
    assert {i["origin"] for i in inbox} == set(ideas.ORIGINS)
    assert sorted(i["title"] for i in inbox) == sorted(t for _, t, _ in lab_demo.DEMO_IDEAS)


def test_what_make_run_seeds_of_the_lab(graph: Graph) -> None:
    from civicgraph.cli import demo as demo_seed
    from civicgraph.cli import stack

    demo_seed.seed(graph)
    seeded = stack.seed_lab(graph)
    assert {k: seeded[k] for k in ("labChallengesCreated", "labFieldExpertsCreated",
                                   "labIdeasCreated", "labStageChallengesCreated",
                                   "labPilotsCreated")} == {
        "labChallengesCreated": 1, "labFieldExpertsCreated": 19, "labIdeasCreated": 3,
        "labStageChallengesCreated": 5, "labPilotsCreated": 5}
    assert seeded["labSessionsCreated"] == len(lab_demo.DEMO_SESSIONS)


def test_the_demo_lab_has_challenges_in_every_status_and_pilots_in_every_stage(
        graph: Graph) -> None:
    demo_identity.seed(graph, "http://127.0.0.1:8000")
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    assert lab_demo.seed_stages(graph, demo_identity.STAFF_EMAIL) == {
        "labStageChallengesCreated": 5, "labPilotsCreated": 5}
    assert lab_demo.seed_stages(graph, demo_identity.STAFF_EMAIL) == {
        "labStageChallengesCreated": 0, "labPilotsCreated": 0}
    [row] = graph.run(
        "RETURN COLLECT { MATCH (c:Challenge) RETURN DISTINCT c.status } AS challenges, "
        "COLLECT { MATCH (p:Pilot) RETURN DISTINCT p.status } AS pilots, "
        "COUNT { (p:Pilot) WHERE p.fundingMethod IS NULL } AS without_model, "
        "COUNT { (:Pilot)-[]-(:OutcomeMeasure) } AS measures")
    assert sorted(row["challenges"]) == sorted(CHALLENGE.statuses)
    assert sorted(row["pilots"]) == sorted(PILOT.statuses)
    assert row["without_model"] == 0 and row["measures"] == len(lab_demo.PILOTS)
