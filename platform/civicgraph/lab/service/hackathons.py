"""Hackathons: a lab session of kind HACKATHON whose projects are judged as a challenge's
proposals.

Nothing here is a second engine. Registering is joining the session (``sessions.join``); a team
is a proposing team (``proposals.create_team``) formed for the hackathon; a project is the team's
proposal to the hackathon's challenge, so the proposal window (open and before the deadline),
editing, sending and withdrawing are the proposal lifecycle's; judges are the challenge's
experts, assigned by field with their conflicts of interest, scoring its rubric and ranked with
per-judge normalisation (``evaluation``); the winners are the proposals staff select with a
reason on the challenge's board, published once the challenge is decided. What is the
hackathon's own: its rules, its kits (the kits domain's ``DataKit`` nodes, by name), one team
per person per hackathon, and a project's links and kits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.lab.cypher import hackathons as repo
from civicgraph.lab.cypher import proposals as proposal_repo
from civicgraph.lab.service import challenges, proposals, sessions
from civicgraph.lab.service.lifecycles import CHALLENGE, PROPOSAL
from civicgraph.lab.service.validation import page_size, require_role, require_signed_in, text

KIND = "HACKATHON"
RUBRIC = (
    {"name": "Impact", "weight": 3,
     "description": "Who it helps, and how much, in the region."},
    {"name": "Use of the data", "weight": 2,
     "description": "How well it builds on the hackathon's kits."},
    {"name": "Quality of the build", "weight": 2,
     "description": "Does it work, and could others take it on?"},
    {"name": "Presentation", "weight": 1,
     "description": "How clearly the project and its demo explain themselves."},
)
"""The rubric a hackathon's judges score when its organisers name none."""
# The winners a public page shows: once the challenge is decided, the proposals selected.
WINNERS = PROPOSAL.sets["chosen"]
DECIDED = CHALLENGE.sets["decided"]


def _kits(graph: Graph, names: list[str], allowed: set[str] | None = None) -> list[str]:
    """The kits named, each known (a ``DataKit`` node) and, for a project, one of the
    hackathon's."""
    wanted = sorted({n.strip() for n in names if n and n.strip()})
    unknown = sorted(set(wanted) - repo.kits_among(graph, wanted))
    if unknown:
        raise BadInput(f"no data kit named {', '.join(unknown)}", field="kits", unknown=unknown)
    if allowed is not None:
        foreign = sorted(set(wanted) - allowed)
        if foreign:
            raise BadInput(f"not a kit of this hackathon: {', '.join(foreign)} (its kits: "
                           f"{', '.join(sorted(allowed)) or 'none'})", field="kits",
                           unknown=foreign)
    return wanted


def create(graph: Graph, actor: Actor, *, title: str | None, description: str | None,
           rules: str | None, starts_at: str | dt.datetime, ends_at: str | dt.datetime,
           submission_deadline: str | dt.datetime, field_codes: list[str],
           kit_names: list[str], location: str | None = None, capacity: int | None = None,
           criteria: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Staff set a hackathon up: the session, and its judging challenge opened at once (fields
    the session's, deadline the submission deadline), in one transaction."""
    require_role(actor, STAFF, "set up a hackathon")
    start, end = clock.parse(starts_at, "startsAt"), clock.parse(ends_at, "endsAt")
    deadline = clock.parse(submission_deadline, "submissionDeadline")
    if not start < deadline <= end:
        raise BadInput("projects are due after the hackathon starts and by the time it ends",
                       field="submissionDeadline")
    if not field_codes:
        raise BadInput("name at least one field: its judges are the experts in them",
                       field="fields")
    cleaned_rules = text("Session", "rules", rules)

    def work() -> dict[str, Any]:
        kits = _kits(graph, kit_names)
        session = sessions.create(
            graph, actor, title=title, kind=KIND, starts_at=start, ends_at=end,
            field_codes=field_codes, description=description, location=location,
            capacity=capacity)
        challenge = challenges.create(
            graph, actor, title=session["title"],
            description=session["description"] or session["title"],
            field_codes=field_codes,
            criteria=criteria or [dict(k) for k in RUBRIC], deadline=deadline)
        challenges.advance(graph, actor, challenge["id"], "OPEN", challenge["version"],
                           "the hackathon opens for projects")
        repo.make_hackathon(graph, {"sessionId": session["id"], "challengeId": challenge["id"],
                                    "rules": cleaned_rules, "kits": kits})
        return get(graph, session["id"], actor)

    return graph.write_transaction(work)


def get(graph: Graph, hackathon_id: str, reader: Actor | None = None) -> dict[str, Any]:
    """The hackathon as anyone may read it; for a signed-in reader, their registration and
    team. Winners are listed once the challenge is decided."""
    person = reader.id if reader is not None and reader.signed_in else None
    found = repo.get(graph, hackathon_id, KIND, PROPOSAL.params("sent"), person)
    if found is None:
        raise NotFound(f"no hackathon with id {hackathon_id}", id=hackathon_id)
    decided = found["challenge"]["status"] in DECIDED
    found["decided"] = decided
    found["winners"] = [p for p in found["projects"] if p["status"] in WINNERS] if decided \
        else []
    found["takingProjects"] = (found["challenge"]["status"] in CHALLENGE.sets["taking_proposals"]
                               and clock.parse(found["challenge"]["deadline"], "deadline")
                               > clock.now())
    return found


def listing(graph: Graph, limit: int = 50) -> list[dict[str, Any]]:
    return repo.listing(graph, KIND, page_size(limit))


def _standing(graph: Graph, actor: Actor, hackathon_id: str) -> dict[str, Any]:
    """The hackathon's challenge, kits and the actor's standing in it, taken under its lock;
    refused unless the actor registered and the hackathon takes projects still."""
    require_signed_in(actor)
    standing = repo.standing(graph, hackathon_id, KIND, actor.id)
    if standing is None:
        raise NotFound(f"no hackathon with id {hackathon_id}", field="hackathonId")
    if not standing["registered"]:
        raise Forbidden("register for the hackathon first", requirement="REGISTERED")
    proposals.require_window(graph, standing["challengeId"])
    return standing


def _one_team(standing: dict[str, Any]) -> None:
    if standing["team"] is not None:
        raise Conflict(f"you are already in the team {standing['team']} of this hackathon: "
                       "a person takes part in one team", field="teamId")


def form_team(graph: Graph, actor: Actor, hackathon_id: str, name: str | None
              ) -> dict[str, Any]:
    """A registered person forms a team for the hackathon, and is its first member.

    One team per person per hackathon: the check and the write run under the hackathon's lock,
    so two teams formed (or joined) at once cannot both take the same person."""
    def work() -> dict[str, Any]:
        _one_team(_standing(graph, actor, hackathon_id))
        team = proposals.create_team(graph, actor, name=name, member_ids=[])
        repo.form_for(graph, team["id"], hackathon_id)
        return team

    return graph.write_transaction(work)


def join_team(graph: Graph, actor: Actor, team_id: str) -> dict[str, Any]:
    """A registered person joins a team of the hackathon (under its lock, as ``form_team``)."""
    require_signed_in(actor)

    def work() -> dict[str, Any]:
        hackathon_id = repo.team_hackathon(graph, team_id)
        if hackathon_id is None:
            raise NotFound(f"no hackathon team with id {team_id}", field="teamId")
        _one_team(_standing(graph, actor, hackathon_id))
        repo.add_member(graph, team_id, actor.id, proposals.TEAM_MEMBER, clock.iso())
        return {"id": team_id, "hackathonId": hackathon_id}

    return graph.write_transaction(work)


def _links(repository_url: str | None, demo_url: str | None) -> dict[str, str | None]:
    return {"repositoryUrl": text("Proposal", "repositoryUrl", repository_url) or None,
            "demoUrl": text("Proposal", "demoUrl", demo_url) or None}


def submit_project(graph: Graph, actor: Actor, *, team_id: str, title: str | None,
                   summary: str | None, repository_url: str | None = None,
                   demo_url: str | None = None, kit_names: list[str] | None = None
                   ) -> dict[str, Any]:
    """A team sends its project: its proposal to the hackathon's challenge, drafted and sent in
    one transaction, with its links and kits. One project per team; after that, edit it."""
    require_signed_in(actor)
    links = _links(repository_url, demo_url)

    def work() -> dict[str, Any]:
        hackathon_id = repo.team_hackathon(graph, team_id)
        if hackathon_id is None:
            raise NotFound(f"no hackathon team with id {team_id}", field="teamId")
        standing = _standing(graph, actor, hackathon_id)
        if not proposal_repo.is_team_member(graph, team_id, actor.id):
            raise Forbidden("only a member of the team may send its project")
        if repo.team_project(graph, team_id, standing["challengeId"]) is not None:
            raise Conflict("your team has sent its project already: edit it instead",
                           field="teamId")
        kits = _kits(graph, kit_names or [], set(standing["kits"]))
        made = proposals.create(graph, actor, challenge_id=standing["challengeId"],
                                title=title, summary=summary, team_id=team_id)
        repo.set_project(graph, {"id": made["id"], **links, "kits": kits})
        proposals.advance(graph, actor, made["id"], "SUBMITTED", made["version"])
        return _project(graph, made["id"])

    return graph.write_transaction(work)


def update_project(graph: Graph, actor: Actor, proposal_id: str, version: int, *,
                   title: str | None = None, summary: str | None = None,
                   repository_url: str | None = None, demo_url: str | None = None,
                   kit_names: list[str] | None = None) -> dict[str, Any]:
    """Edit a project until the deadline: the proposal's own edit (its window, its version),
    with the links and kits in the same transaction. Links and kits given replace the old."""
    require_signed_in(actor)

    def work() -> dict[str, Any]:
        hackathon_id = repo.proposal_hackathon(graph, proposal_id)
        if hackathon_id is None:
            raise NotFound(f"no hackathon project with id {proposal_id}", id=proposal_id)
        current = repo.project(graph, proposal_id) or {}
        updated = proposals.update(graph, actor, proposal_id, version, title=title,
                                   summary=summary)
        links = _links(current.get("repositoryUrl") if repository_url is None
                       else repository_url,
                       current.get("demoUrl") if demo_url is None else demo_url)
        # The hackathon's kits are read only when the edit names kits.
        kits = current.get("kits", []) if kit_names is None else _kits(
            graph, kit_names, set(repo.kits_of(graph, hackathon_id)))
        repo.set_project(graph, {"id": updated["id"], **links, "kits": kits})
        return _project(graph, proposal_id)

    return graph.write_transaction(work)


def _project(graph: Graph, proposal_id: str) -> dict[str, Any]:
    found = repo.project(graph, proposal_id)
    assert found is not None
    return found


def kit_choices(graph: Graph) -> list[str]:
    """The kits a hackathon may name, for the staff form."""
    return repo.kit_names(graph)
