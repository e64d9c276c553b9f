"""The lab's rows of the access table.

Public: open challenges, pilots and their outcomes, sessions, figures, history (the services
hide drafts from non-staff). Staff's and experts' reads and every lab move need lab:write; the
lifecycle tables then check the actor's role per move. Anyone signed in may submit an idea,
join a session, and form or join a hackathon's team and send its project (staff, the public,
start-ups, partners).
"""

from __future__ import annotations

from civicgraph.core.access import GRAPH_READ, LAB_WRITE, PUBLIC, Rule, needs

POLICY: dict[str, Rule] = {
    "Query.challenges": PUBLIC,
    "Query.pilots": PUBLIC,
    "Query.challenge": PUBLIC,
    "Query.pilot": PUBLIC,
    "Query.stageGate": PUBLIC,
    "Query.labHistory": PUBLIC,
    "Query.allowedMoves": PUBLIC,
    "Query.labSessions": PUBLIC,
    "Query.labFigures": PUBLIC,
    "Query.ideas": needs(LAB_WRITE),
    "Query.proposals": needs(LAB_WRITE),
    "Query.evaluationResults": needs(LAB_WRITE),
    "Query.labOutbox": needs(LAB_WRITE),
    "Mutation.submitIdea": needs(GRAPH_READ),
    "Mutation.joinLabSession": needs(GRAPH_READ),
    # A hackathon is open to anyone signed in, as its session is: teams and projects too.
    **{f"Mutation.{name}": needs(GRAPH_READ) for name in (
        "formHackathonTeam", "joinHackathonTeam", "submitHackathonProject",
        "updateHackathonProject",
    )},
    **{f"Mutation.{name}": needs(LAB_WRITE) for name in (
        "moveLabRecord", "acceptIdea", "mergeIdea", "createChallenge", "updateChallenge",
        "createTeam", "createProposal", "updateProposal", "assignExperts", "scoreProposal",
        "declareConflict", "subscribeWebhook", "startPilot", "involvePartner", "setOperatingModel",
        "addOutcomeMeasure", "setBaseline", "recordMeasurement", "signOffStage",
        "createLabSession", "createHackathon",
    )},
}


def scope_of(field: str) -> str:
    """The scope a console page asks for doing what ``field`` does, so that the page and the
    API let in the same people (every field a page does this for needs a token)."""
    scope = POLICY[field].scope
    if scope is None:
        raise LookupError(f"{field} needs no token: a page doing it needs no scope either")
    return scope
