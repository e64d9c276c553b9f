"""The lifecycle tables, concurrent moves on one record, and sessions."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.errors import Conflict, DomainError
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import transitions as transition_repo
from civicgraph.lab.service import challenges, machine, sessions
from civicgraph.lab.service.lifecycles import LIFECYCLES
from tests.lab.builders import FUTURE, RUBRIC, field, person

# The lifecycles written out by hand, so a changed table fails here: status -> next statuses.
EXPECTED = {
    "IDEA": {"SUBMITTED": {"IN_REVIEW"}, "IN_REVIEW": {"ACCEPTED", "DECLINED", "MERGED"}},
    "CHALLENGE": {"DRAFT": {"OPEN", "CANCELLED"}, "OPEN": {"EVALUATION", "CANCELLED"},
                  "EVALUATION": {"DECIDED", "CANCELLED"}, "DECIDED": {"CLOSED"}},
    "PROPOSAL": {"DRAFT": {"SUBMITTED", "WITHDRAWN"},
                 "SUBMITTED": {"SHORTLISTED", "REJECTED", "WITHDRAWN"},
                 "SHORTLISTED": {"SELECTED", "REJECTED", "WITHDRAWN"}},
    "PILOT": {"PROOF_OF_CONCEPT": {"PILOT", "STOPPED"}, "PILOT": {"SCALING", "STOPPED"},
              "SCALING": {"MAINSTREAMED", "STOPPED"}},
}


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_each_lifecycle_table_is_the_designed_one(kind: str) -> None:
    lc = LIFECYCLES[kind]
    moves = {s: {t.target for t in lc.moves_from(s)} for s in lc.statuses if lc.moves_from(s)}
    assert moves == EXPECTED[kind]
    assert lc.final == frozenset(lc.statuses) - set(EXPECTED[kind])
    known = transition_repo.CONDITION_NAMES[lc.label]
    for t in lc.transitions:
        assert set(t.conditions) <= known, t
        assert t.roles or t.owner_roles, t
    assert len({(t.source, t.target) for t in lc.transitions}) == len(lc.transitions)


def test_two_staff_opening_the_same_challenge_at_once(graph: Graph) -> None:
    field(graph, "employment")
    staff = [person(graph, f"Staff {i}", {"LAB_STAFF"}) for i in range(2)]
    for _round in range(3):
        draft = challenges.create(graph, staff[0], title="t", description="d",
                                  field_codes=["employment"], criteria=RUBRIC, deadline=FUTURE)
        barrier = threading.Barrier(2)
        outcomes: list[Any] = [None, None]

        def move(i: int, challenge_id: str = draft["id"], gate: threading.Barrier = barrier,
                 results: list[Any] = outcomes) -> None:
            gate.wait()
            try:
                results[i] = challenges.advance(graph, staff[i], challenge_id, "OPEN", 1)
            except DomainError as exc:
                results[i] = exc

        threads = [threading.Thread(target=move, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        wins = [o for o in outcomes if isinstance(o, dict)]
        losses = [o for o in outcomes if isinstance(o, Conflict)]
        assert (len(wins), len(losses)) == (1, 1), outcomes
        assert losses[0].code == "CONFLICT"
        assert losses[0].details["currentVersion"] == 2
        history = machine.history(graph, "CHALLENGE", draft["id"])
        assert [e["toStatus"] for e in history] == ["DRAFT", "OPEN"]


def test_the_write_itself_refuses_a_stale_version(graph: Graph, staff: Actor) -> None:
    """Even past the service's own check, the statement compares versions under the lock."""
    field(graph, "employment")
    draft = challenges.create(graph, staff, title="t", description="d",
                              field_codes=["employment"], criteria=RUBRIC, deadline=FUTURE)
    challenges.advance(graph, staff, draft["id"], "CANCELLED", 1, "not needed")
    stale = transition_repo.transition(graph, "Challenge", {
        "id": draft["id"], "version": 1, "from": "DRAFT", "to": "OPEN", "at": FUTURE,
        "actorId": staff.id, "reason": None, "eventId": "e", "kind": "CHALLENGE",
        "webhook": None, "payload": "{}", "effect": {}})
    assert stale is None
    assert challenges.get(graph, draft["id"])["status"] == "CANCELLED"


def test_sessions_with_experts_participants_and_capacity(graph: Graph, staff: Actor) -> None:
    field(graph, "employment")
    expert = person(graph, "Eve Expert", {"EXPERT"}, None, ("employment",))
    citizen = person(graph, "Cleo", {"CITIZEN"})
    other = person(graph, "Carl", {"CITIZEN"})
    workshop = sessions.create(graph, expert, title="Design sprint", kind="WORKSHOP",
                               starts_at="2099-03-01T09:00:00Z", ends_at="2099-03-01T12:00:00Z",
                               field_codes=["employment"], capacity=1)
    assert [x["name"] for x in workshop["experts"]] == ["Eve Expert"]
    with pytest.raises(DomainError, match="not experts"):
        sessions.create(graph, staff, title="x", kind="SESSION", starts_at=FUTURE,
                        ends_at="2099-01-01T01:00:00Z", field_codes=[], expert_ids=[citizen.id])
    joined = sessions.join(graph, citizen, workshop["id"])
    assert joined["participantCount"] == 1
    assert sessions.join(graph, citizen, workshop["id"])["participantCount"] == 1  # idempotent
    with pytest.raises(Conflict, match="full"):
        sessions.join(graph, other, workshop["id"])
    assert [s["id"] for s in sessions.upcoming(graph, "employment")] == [workshop["id"]]


def test_the_write_statements_race_and_only_one_moves(graph: Graph, staff: Actor) -> None:
    """Both statements pass any check made before them; the lock-then-compare lets one win."""
    field(graph, "employment")
    for _round in range(10):
        draft = challenges.create(graph, staff, title="t", description="d",
                                  field_codes=["employment"], criteria=RUBRIC, deadline=FUTURE)
        barrier = threading.Barrier(2)
        rows: list[Any] = []

        def write(event_id: str, challenge_id: str = draft["id"],
                  gate: threading.Barrier = barrier, out: list[Any] = rows) -> None:
            gate.wait()
            out.append(transition_repo.transition(graph, "Challenge", {
                "id": challenge_id, "version": 1, "from": "DRAFT", "to": "OPEN", "at": FUTURE,
                "actorId": staff.id, "reason": None, "eventId": event_id, "kind": "CHALLENGE",
                "webhook": None, "payload": "{}", "effect": {}}))

        threads = [threading.Thread(target=write, args=(str(uuid.uuid4()),)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(r is None for r in rows) == [False, True], rows
        assert [r["version"] for r in rows if r] == [2]
        history = machine.history(graph, "CHALLENGE", draft["id"])
        assert [e["toStatus"] for e in history] == ["DRAFT", "OPEN"]
