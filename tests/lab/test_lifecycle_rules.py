"""The lab's lifecycle tables checked as tables, without a database: every record can start, move
and finish, a finished one stays finished, and only known roles move anything."""

from __future__ import annotations

import pytest

from civicgraph.core.access import PUBLIC_ROLE, ROLES
from civicgraph.core.actor import SYSTEM_ROLE
from civicgraph.lab.service.lifecycles import LIFECYCLES, STAGE_GATES, Lifecycle

KINDS = sorted(LIFECYCLES)

# Where each record's story ends, as the lab describes it to its users.
TERMINAL = {
    "IDEA": {"ACCEPTED", "DECLINED", "MERGED"},
    "CHALLENGE": {"CLOSED", "CANCELLED"},
    "PROPOSAL": {"SELECTED", "REJECTED", "WITHDRAWN"},
    "PILOT": {"MAINSTREAMED", "STOPPED"},
}


def reachable(lc: Lifecycle, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for move in lc.moves_from(todo.pop()):
            if move.target not in seen:
                seen.add(move.target)
                todo.append(move.target)
    return seen


@pytest.mark.parametrize("kind", KINDS)
def test_every_move_goes_between_statuses_of_its_lifecycle(kind: str) -> None:
    lc = LIFECYCLES[kind]
    assert len(set(lc.statuses)) == len(lc.statuses)
    assert lc.initial in lc.statuses
    for move in lc.transitions:
        assert move.source in lc.statuses, move
        assert move.target in lc.statuses, move
        assert move.source != move.target, move


@pytest.mark.parametrize("kind", KINDS)
def test_every_status_is_reachable_from_the_initial_one(kind: str) -> None:
    lc = LIFECYCLES[kind]
    assert reachable(lc, lc.initial) == set(lc.statuses)


@pytest.mark.parametrize("kind", KINDS)
def test_terminal_statuses_have_no_way_out(kind: str) -> None:
    lc = LIFECYCLES[kind]
    assert lc.final == TERMINAL[kind]
    for status in TERMINAL[kind]:
        assert lc.moves_from(status) == []
        assert all(lc.find(status, target) is None for target in lc.statuses)


@pytest.mark.parametrize("kind", KINDS)
def test_no_record_gets_stuck_before_its_end(kind: str) -> None:
    lc = LIFECYCLES[kind]
    for status in lc.statuses:
        assert reachable(lc, status) & TERMINAL[kind], status


@pytest.mark.parametrize("kind", KINDS)
def test_the_roles_named_are_known_roles(kind: str) -> None:
    for move in LIFECYCLES[kind].transitions:
        named = move.roles | move.owner_roles
        assert named, move
        # SYSTEM is the scheduler's own role, never granted through a token (core.actor).
        assert named <= ROLES | {SYSTEM_ROLE}, move
        assert PUBLIC_ROLE not in named, move  # without a token nothing moves


def test_only_the_deadline_move_is_made_by_the_scheduler() -> None:
    by_system = [(kind, move.source, move.target) for kind, lc in LIFECYCLES.items()
                 for move in lc.transitions if SYSTEM_ROLE in move.roles | move.owner_roles]
    assert by_system == [("CHALLENGE", "OPEN", "EVALUATION")]


def test_entering_a_pilot_stage_checks_that_stage_s_gate() -> None:
    for move in LIFECYCLES["PILOT"].transitions:
        if move.target in STAGE_GATES:
            assert move.conditions == STAGE_GATES[move.target], move
    assert set(STAGE_GATES) <= set(LIFECYCLES["PILOT"].statuses)
