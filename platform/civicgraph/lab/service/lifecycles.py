"""The lab's four lifecycles as data: one table per record kind, and the only place a lab status
is named for what it means.

A transition names who may make it (``roles`` on any record, ``owner_roles`` only on a record the
actor's organisation or person owns: that is the scope check), the conditions that must hold,
whether a reason is required, and the webhook event it emits. :mod:`machine` is the only reader
of the transitions.

A condition is declared once, on its lifecycle: its name (what a refused move lists, and the key
of its fact in the record's facts query, ``lab.cypher.transitions.FACTS``) and its text (the
msgid the console shows, translated, beside a stage gate). Transitions name the conditions they
wait for.

A named status set is the one statement of a rule that other code applies ("a challenge takes
proposals while OPEN", "a pilot is live until it is mainstreamed or stopped"). Python tests
membership in ``sets``; Cypher receives a set as a parameter (``params``), so no statement spells
out statuses a set supplies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from civicgraph.compiler.domains.lab import CHALLENGE_PUBLIC, PROPOSAL_SENT
from civicgraph.core.access import PARTNER, SIGNED_IN, STAFF
from civicgraph.core.actor import SYSTEM_ROLE


@dataclass(frozen=True)
class Condition:
    name: str
    text: str


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
    # Each status and what it means: the one table of the kind's statuses (its GraphQL enum's
    # values and their descriptions).
    statuses: Mapping[str, str]
    transitions: tuple[Transition, ...]
    conditions: tuple[Condition, ...] = ()
    # Each set lists its statuses in the order of ``statuses``, so messages read in that order.
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def moves_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == status]

    def find(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.moves_from(source) if t.target == target), None)

    @property
    def final(self) -> frozenset[str]:
        return frozenset(s for s in self.statuses if not self.moves_from(s))

    @property
    def targets(self) -> tuple[str, ...]:
        """The statuses a move can take a record of this kind to, in the order of
        ``statuses``: any other ``to`` is refused before anything is read."""
        entered = {t.target for t in self.transitions}
        return tuple(s for s in self.statuses if s in entered)

    @property
    def gates(self) -> dict[str, tuple[str, ...]]:
        """What must hold to enter each status that a move into waits for."""
        return {t.target: t.conditions for t in self.transitions if t.conditions}

    def condition(self, name: str) -> Condition:
        return {c.name: c for c in self.conditions}[name]

    def param(self, name: str) -> str:
        """The Cypher parameter a set travels as: ``challenge`` + ``TakingProposals``."""
        return self.kind.lower() + "".join(part.capitalize() for part in name.split("_"))

    def params(self, *names: str) -> dict[str, list[str]]:
        return {self.param(name): list(self.sets[name]) for name in names}

    def words(self, name: str) -> str:
        """A set for a message: ``SUBMITTED or SHORTLISTED``."""
        return " or ".join(self.sets[name])


def _each(sources: tuple[str, ...], target: str, roles: frozenset[str],
          **options: object) -> tuple[Transition, ...]:
    return tuple(Transition(s, target, roles, **options) for s in sources)  # type: ignore[arg-type]


IDEA = Lifecycle(
    kind="IDEA", label="Idea", initial="SUBMITTED",
    statuses={
        "SUBMITTED": "Sent to the lab; nobody has looked at it yet",
        "IN_REVIEW": "Lab staff are reviewing it",
        "ACCEPTED": "Accepted: it became a draft challenge or proposal",
        "DECLINED": "Declined by lab staff, with a reason",
        "MERGED": "Merged into another idea saying the same",
    },
    transitions=(
        Transition("SUBMITTED", "IN_REVIEW", STAFF),
        # Accepting turns the idea into a challenge or a proposal in the same statement.
        Transition("IN_REVIEW", "ACCEPTED", STAFF, needs_reason=True, via="acceptIdea"),
        Transition("IN_REVIEW", "DECLINED", STAFF, needs_reason=True),
        Transition("IN_REVIEW", "MERGED", STAFF, needs_reason=True, via="mergeIdea"),
    ),
    sets={
        # Staff's inbox: ideas not decided yet, the new ones first.
        "inbox": ("SUBMITTED", "IN_REVIEW"),
        # What the figures count as accepted.
        "accepted": ("ACCEPTED",),
        # An idea is merged into one that is still alive, never into a declined or merged one.
        "merge_targets": ("SUBMITTED", "IN_REVIEW", "ACCEPTED"),
    },
)

CHALLENGE = Lifecycle(
    kind="CHALLENGE", label="Challenge", initial="DRAFT",
    statuses={
        "DRAFT": "Being written; only lab staff and its poster see it",
        "OPEN": "Taking proposals until its deadline",
        "EVALUATION": "Past its deadline: judges score the proposals",
        "DECIDED": "Every proposal was selected or rejected",
        "CLOSED": "Finished",
        "CANCELLED": "Called off, with a reason",
    },
    conditions=(
        Condition("has_field", "The challenge is in at least one field"),
        Condition("has_rubric", "The challenge has a rubric with at least one criterion"),
        Condition("deadline_in_future", "The challenge's deadline is in the future"),
        Condition("deadline_passed", "The challenge's deadline has passed"),
        Condition("no_proposal_pending", "No proposal is still waiting for a decision"),
    ),
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
    sets={
        # Listed to anyone: opened, and not cancelled.
        "public": CHALLENGE_PUBLIC,
        # Seen by lab staff only; to anyone else the challenge does not exist. A cancelled
        # challenge is neither listed nor hidden: it may have been open, and its page stays.
        "private": ("DRAFT",),
        # Description, eligibility, fields and deadline may change; the rubric only while
        # nobody has written a proposal against it.
        "editable": ("DRAFT", "OPEN"),
        "rubric_editable": ("DRAFT",),
        # Proposals are drafted, edited and submitted (and ideas accepted into proposals) while
        # the challenge is in this set and before its deadline; the scheduler moves it on after.
        "taking_proposals": ("OPEN",),
        # Judges score, and staff shortlist, select and reject.
        "judging": ("EVALUATION",),
        # A proposer may still withdraw.
        "undecided": ("DRAFT", "OPEN", "EVALUATION"),
        # Shown on the console's front page below the open ones.
        "evaluated": ("EVALUATION", "DECIDED"),
        # Its results are final: a hackathon publishes its winners from then on.
        "decided": ("DECIDED", "CLOSED"),
    },
)

PROPOSAL = Lifecycle(
    kind="PROPOSAL", label="Proposal", initial="DRAFT",
    statuses={
        "DRAFT": "Being written by its proposer",
        "SUBMITTED": "Sent in answer to the challenge",
        "SHORTLISTED": "Kept for the final decision",
        "SELECTED": "Chosen: a pilot may start from it",
        "REJECTED": "Not chosen, with a reason",
        "WITHDRAWN": "Taken back by its proposer",
    },
    conditions=(
        Condition("challenge_open", "The challenge is open for proposals"),
        Condition("before_deadline", "The challenge's deadline has not passed"),
        Condition("challenge_in_evaluation", "The challenge is being evaluated"),
        Condition("challenge_not_decided", "The challenge has not been decided yet"),
    ),
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
    sets={
        # Past its draft: listed to staff and judges and counted on the challenge (a draft is
        # its authors' own).
        "sent": PROPOSAL_SENT,
        # The proposer edits it (while the challenge takes proposals).
        "editable": ("DRAFT", "SUBMITTED"),
        # Waiting for a decision: judges score these, and a challenge is not decided while any
        # remains.
        "pending": ("SUBMITTED", "SHORTLISTED"),
        # A pilot starts from one of these.
        "pilotable": ("SELECTED",),
        # Chosen by staff: a hackathon's winners, once its challenge is decided.
        "chosen": ("SELECTED",),
    },
)

PILOT = Lifecycle(
    kind="PILOT", label="Pilot", initial="PROOF_OF_CONCEPT",
    statuses={
        "PROOF_OF_CONCEPT": "Showing on a small scale that the idea can work",
        "PILOT": "Tried out with real users, measured against its targets",
        "SCALING": "Being extended to more places or people",
        "MAINSTREAMED": "Part of the ordinary service",
        "STOPPED": "Ended before it was mainstreamed, with a reason",
    },
    # The stage gates' conditions, all answered by one query.
    conditions=(
        Condition("has_outcome_measures", "The pilot has at least one outcome measure"),
        Condition("every_measure_has_baseline", "Every outcome measure has a baseline"),
        Condition("sponsor_signed_off", "The sponsor signed off this stage"),
        Condition("every_measure_measured",
                  "Every outcome measure has been measured at least once"),
        Condition("target_met_on_latest",
                  "The latest measurement of every measure meets its target"),
        Condition("operating_model_complete", "All six operating-model variables are set"),
    ),
    transitions=(
        Transition("PROOF_OF_CONCEPT", "PILOT", STAFF,
                   conditions=("has_outcome_measures", "every_measure_has_baseline",
                               "sponsor_signed_off"),
                   webhook="pilot.advanced"),
        Transition("PILOT", "SCALING", STAFF,
                   conditions=("every_measure_has_baseline", "every_measure_measured",
                               "target_met_on_latest", "sponsor_signed_off"),
                   webhook="pilot.advanced"),
        Transition("SCALING", "MAINSTREAMED", STAFF,
                   conditions=("target_met_on_latest", "operating_model_complete",
                               "sponsor_signed_off"),
                   webhook="pilot.advanced"),
        *_each(("PROOF_OF_CONCEPT", "PILOT", "SCALING"), "STOPPED", STAFF, needs_reason=True,
               webhook="pilot.advanced"),
    ),
    sets={
        # Running: its outcome measures are still due measurements.
        "live": ("PROOF_OF_CONCEPT", "PILOT", "SCALING"),
        # What the figures count as mainstreamed.
        "mainstreamed": ("MAINSTREAMED",),
    },
)

# A stage gate: what must hold to enter a stage, evaluated together by one query.
STAGE_GATES: dict[str, tuple[str, ...]] = PILOT.gates

LIFECYCLES: dict[str, Lifecycle] = {lc.kind: lc for lc in (IDEA, CHALLENGE, PROPOSAL, PILOT)}


def _any_status() -> dict[str, str]:
    """Every status of any kind, with what it means for each kind that has it (a status move's
    answer names the status of whichever record moved)."""
    meanings: dict[str, list[str]] = {}
    for lc in LIFECYCLES.values():
        for status, text in lc.statuses.items():
            meanings.setdefault(status, []).append(f"{lc.label}: {text}")
    return {status: "; ".join(texts) for status, texts in meanings.items()}


ANY_STATUS = _any_status()
""":data:`LIFECYCLES`' statuses together, for answers about a record of any kind."""


def _move_targets() -> dict[str, str]:
    """Every status a move can target, described for each kind whose lifecycle enters it (and
    the mutation that makes the move, where ``moveLabRecord`` does not)."""
    meanings: dict[str, list[str]] = {}
    for lc in LIFECYCLES.values():
        for status in lc.targets:
            via = sorted({t.via for t in lc.transitions if t.target == status and t.via})
            text = f"{lc.label}: {lc.statuses[status]}" + (f" (with {via[0]})" if via else "")
            meanings.setdefault(status, []).append(text)
    return {status: "; ".join(texts) for status, texts in meanings.items()}


MOVE_TARGETS = _move_targets()
"""The statuses a status move names (``moveLabRecord``'s ``to``): :data:`LIFECYCLES`' targets
together; which of them a record takes is its own lifecycle's ``targets``."""


def _webhook_events() -> dict[str, str]:
    """Each event a transition emits, described by the moves that emit it."""
    moves: dict[str, tuple[str, list[str]]] = {}
    for lc in LIFECYCLES.values():
        for t in lc.transitions:
            if t.webhook:
                targets = moves.setdefault(t.webhook, (lc.label.lower(), []))[1]
                if t.target not in targets:
                    targets.append(t.target)
    return {event: f"A {label} moved to {' or '.join(targets)}"
            for event, (label, targets) in sorted(moves.items())}


WEBHOOK_EVENTS = _webhook_events()
# Every named set as a Cypher parameter, for statements that read records of several kinds.
STATUS_PARAMS: dict[str, list[str]] = {
    key: value for lc in LIFECYCLES.values() for key, value in lc.params(*lc.sets).items()
}
