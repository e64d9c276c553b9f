"""The lab's four lifecycles as data: one table of transitions per record kind.

A transition names who may make it (``roles`` on any record, ``owner_roles`` only on a record the
actor's organisation or person owns: that is the scope check), the conditions that must hold (each
a name the record's facts query answers, so a stage gate is a list of names), whether a reason is
required, and the webhook event it emits. :mod:`machine` is the only reader of these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from civicgraph.core.access import PARTNER, SIGNED_IN, STAFF
from civicgraph.core.actor import SYSTEM_ROLE


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    owner_roles: frozenset[str] = frozenset()
    conditions: tuple[str, ...] = ()
    needs_reason: bool = False
    webhook: str | None = None
    # A move with an effect (e.g. creating the challenge an idea becomes) is made only through
    # the service that supplies it, named here for the error message.
    via: str | None = None


@dataclass(frozen=True)
class Lifecycle:
    kind: str
    label: str
    initial: str
    statuses: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def moves_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == status]

    def find(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.moves_from(source) if t.target == target), None)

    @property
    def final(self) -> frozenset[str]:
        return frozenset(s for s in self.statuses if not self.moves_from(s))


def _each(sources: tuple[str, ...], target: str, roles: frozenset[str],
          **options: object) -> tuple[Transition, ...]:
    return tuple(Transition(s, target, roles, **options) for s in sources)  # type: ignore[arg-type]


IDEA = Lifecycle(
    kind="IDEA", label="Idea", initial="SUBMITTED",
    statuses=("SUBMITTED", "IN_REVIEW", "ACCEPTED", "DECLINED", "MERGED"),
    transitions=(
        Transition("SUBMITTED", "IN_REVIEW", STAFF),
        # Accepting turns the idea into a challenge or a proposal in the same statement.
        Transition("IN_REVIEW", "ACCEPTED", STAFF, needs_reason=True, via="acceptIdea"),
        Transition("IN_REVIEW", "DECLINED", STAFF, needs_reason=True),
        Transition("IN_REVIEW", "MERGED", STAFF, needs_reason=True, via="mergeIdea"),
    ),
)

CHALLENGE = Lifecycle(
    kind="CHALLENGE", label="Challenge", initial="DRAFT",
    statuses=("DRAFT", "OPEN", "EVALUATION", "DECIDED", "CLOSED", "CANCELLED"),
    transitions=(
        Transition("DRAFT", "OPEN", STAFF, owner_roles=frozenset({PARTNER}),
                   conditions=("has_field", "has_rubric", "deadline_in_future"),
                   webhook="challenge.opened"),
        Transition("OPEN", "EVALUATION", STAFF | {SYSTEM_ROLE}, conditions=("deadline_passed",)),
        Transition("EVALUATION", "DECIDED", STAFF, conditions=("no_proposal_pending",),
                   needs_reason=True),
        Transition("DECIDED", "CLOSED", STAFF),
        *_each(("DRAFT", "OPEN", "EVALUATION"), "CANCELLED", STAFF,
               owner_roles=frozenset({PARTNER}), needs_reason=True),
    ),
)

PROPOSAL = Lifecycle(
    kind="PROPOSAL", label="Proposal", initial="DRAFT",
    statuses=("DRAFT", "SUBMITTED", "SHORTLISTED", "SELECTED", "REJECTED", "WITHDRAWN"),
    transitions=(
        Transition("DRAFT", "SUBMITTED", frozenset(), owner_roles=SIGNED_IN,
                   conditions=("challenge_open", "before_deadline")),
        Transition("SUBMITTED", "SHORTLISTED", STAFF, conditions=("challenge_in_evaluation",),
                   needs_reason=True),
        Transition("SHORTLISTED", "SELECTED", STAFF, conditions=("challenge_in_evaluation",),
                   needs_reason=True, webhook="proposal.selected"),
        *_each(("SUBMITTED", "SHORTLISTED"), "REJECTED", STAFF,
               conditions=("challenge_in_evaluation",), needs_reason=True),
        # Only the proposer withdraws: staff reject instead.
        *_each(("DRAFT", "SUBMITTED", "SHORTLISTED"), "WITHDRAWN", frozenset(),
               owner_roles=SIGNED_IN, conditions=("challenge_not_decided",)),
    ),
)

# A stage gate: what must hold to enter a stage, evaluated together by one query (pilots repo).
STAGE_GATES: dict[str, tuple[str, ...]] = {
    "PILOT": ("has_outcome_measures", "every_measure_has_baseline", "sponsor_signed_off"),
    "SCALING": ("every_measure_has_baseline", "every_measure_measured", "target_met_on_latest",
                "sponsor_signed_off"),
    "MAINSTREAMED": ("target_met_on_latest", "operating_model_complete", "sponsor_signed_off"),
}

PILOT = Lifecycle(
    kind="PILOT", label="Pilot", initial="PROOF_OF_CONCEPT",
    statuses=("PROOF_OF_CONCEPT", "PILOT", "SCALING", "MAINSTREAMED", "STOPPED"),
    transitions=(
        Transition("PROOF_OF_CONCEPT", "PILOT", STAFF, conditions=STAGE_GATES["PILOT"],
                   webhook="pilot.advanced"),
        Transition("PILOT", "SCALING", STAFF, conditions=STAGE_GATES["SCALING"],
                   webhook="pilot.advanced"),
        Transition("SCALING", "MAINSTREAMED", STAFF, conditions=STAGE_GATES["MAINSTREAMED"],
                   webhook="pilot.advanced"),
        *_each(("PROOF_OF_CONCEPT", "PILOT", "SCALING"), "STOPPED", STAFF, needs_reason=True,
               webhook="pilot.advanced"),
    ),
)

LIFECYCLES: dict[str, Lifecycle] = {lc.kind: lc for lc in (IDEA, CHALLENGE, PROPOSAL, PILOT)}
WEBHOOK_EVENTS = frozenset(
    t.webhook for lc in LIFECYCLES.values() for t in lc.transitions if t.webhook
)
