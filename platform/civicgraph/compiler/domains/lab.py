"""The innovation lab in the model: ideas, challenges (with their rubric), proposals, teams,
pilots with their outcome measures and measurements, sessions, and every record's history.

Who sees what is each type's ``guard``, applied by the compiler to every match of the label:
drafts of challenges and every idea stay with lab staff; a proposal is seen by staff and experts
once sent, and by the organisation that made it; people are seen by staff, by themselves, and
when they are the lab's public faces (experts and staff, who facilitate sessions and sponsor
pilots). Pilots, their measures, sessions and opened challenges are public, as they were.

The status sets the guards read are the lifecycles' (``lab.service.lifecycles`` builds its
tables from these tuples), so a status is public in one place only.
"""

from __future__ import annotations

from civicgraph.compiler.model import (
    _COMMON,
    DATETIME,
    FLOAT,
    INT,
    STRING,
    NodeType,
    Prop,
    Rel,
    RelFilter,
)

TITLE_MAX = 200
TEXT_MAX = 8000
URL_MAX = 500
WEB_ADDRESS = r"https?://[^\s/?#]+\.[^\s]*"
WEB_ADDRESS_HINT = "a web address starting with https:// or http://"

CHALLENGE_PUBLIC = ("OPEN", "EVALUATION", "DECIDED", "CLOSED")
"""A challenge's statuses anyone may read; the rest (drafts, cancelled) are staff's."""
PROPOSAL_SENT = ("SUBMITTED", "SHORTLISTED", "SELECTED", "REJECTED", "WITHDRAWN")
"""A proposal's statuses once its proposer sent it."""

_PARAMS = (("challengePublic", CHALLENGE_PUBLIC), ("proposalSent", PROPOSAL_SENT))


def _title(name: str = "title") -> Prop:
    return Prop(name, required=True, order=True, max_length=TITLE_MAX)


def _text(name: str, required: bool = False) -> Prop:
    return Prop(name, required=required, max_length=TEXT_MAX)


def _status(enum: str) -> Prop:
    """A record's status, served as its lifecycle's enum (``lab.service.lifecycles`` holds the
    table; the lab's API builds the enum from it)."""
    return Prop("status", required=True, order=True, read_only=True, enum=enum)


def _link(name: str, description: str) -> Prop:
    """A web address a record points to (a hackathon project's repository or demo)."""
    return Prop(name, max_length=URL_MAX, pattern=WEB_ADDRESS, hint=WEB_ADDRESS_HINT,
                filter=False, description=description)


def _kits(description: str) -> Prop:
    """The data kits a record uses, by name: ``DataKit`` is the kits domain's own type, so the
    lab serves the names its ``USES_KIT`` links reach."""
    return Prop("kits", many=True, filter=False, read_only=True, description=description,
                expr="COLLECT { MATCH ({v})-[:USES_KIT]->(k:DataKit) "
                     "WITH k ORDER BY k.name RETURN k.name }")


def _history() -> Rel:
    return Rel("history", "HAPPENED_TO", "in", "LifecycleEvent", connection=True,
               order=("at",), description="Every change of status, oldest first.")


IDEA = NodeType(
    "Idea", "Idea",
    (*_COMMON, _title(), _text("description", required=True),
     Prop("origin", read_only=True, enum="IdeaOrigin",
          description="Whether it came from the lab's staff or from outside."),
     _status("IdeaStatus")),
    (Rel("mergedInto", "MERGED_INTO", "out", "Idea", many=False),
     Rel("becameChallenge", "FROM_IDEA", "in", "Challenge", many=False),
     Rel("becameProposal", "FROM_IDEA", "in", "Proposal", many=False),
     Rel("submitter", "SUBMITTED_BY", "out", "Person", many=False),
     _history()),
    default_order=("createdAt",),
    guard="$staff",
    fulltext_index="idea_text",
    description="An idea sent to the lab; lab staff review it.",
)

CRITERION = NodeType(
    "Criterion", "Criterion",
    (*_COMMON, Prop("name", required=True, max_length=TITLE_MAX), _text("description"),
     Prop("weight", FLOAT, read_only=True), Prop("position", INT, order=True, read_only=True)),
    (Rel("challenge", "HAS_CRITERION", "in", "Challenge", many=False),),
    default_order=("position",),
    description="One criterion of a challenge's rubric, with its weight.",
)

CHALLENGE = NodeType(
    "Challenge", "Challenge",
    (*_COMMON, _title(), _text("description", required=True), _text("eligibility"),
     _status("ChallengeStatus"), Prop("deadline", DATETIME, order=True, read_only=True),
     Prop("proposalCount", INT, filter=False, read_only=True,
          expr="COUNT { (x:Proposal)-[:RESPONDS_TO]->({v}) WHERE x.status IN $proposalSent }",
          description="Proposals sent in answer.")),
    (Rel("postedBy", "POSTED_BY", "out", "Organisation", many=False,
         description="The organisation that posted it (none: the lab itself)."),
     Rel("fields", "IN_FIELD", "out", "Field", connection=True, order=("code",)),
     Rel("criteria", "HAS_CRITERION", "out", "Criterion", connection=True),
     Rel("fromIdea", "FROM_IDEA", "out", "Idea", many=False),
     Rel("proposals", "RESPONDS_TO", "in", "Proposal", connection=True,
         description="Proposals in answer to it that you may see."),
     _history()),
    default_order=("deadline",),
    guard="($staff OR {v}.status IN $challengePublic)",
    fulltext_index="challenge_text",
    params=_PARAMS,
    description="A problem the lab asks partners to propose solutions to.",
)

PROPOSAL = NodeType(
    "Proposal", "Proposal",
    (*_COMMON, _title(), _text("summary", required=True), _status("ProposalStatus"),
     _link("repositoryUrl", "A hackathon project's code repository."),
     _link("demoUrl", "Where a hackathon project can be tried."),
     _kits("The data kits a hackathon project uses.")),
    (Rel("challenge", "RESPONDS_TO", "out", "Challenge", many=False),
     Rel("proposer", "SUBMITTED_BY", "out", "Organisation", many=False,
         description="The organisation that made it (null when a team did)."),
     Rel("team", "SUBMITTED_BY", "out", "Team", many=False,
         description="The team that made it (null when an organisation did)."),
     Rel("fromIdea", "FROM_IDEA", "out", "Idea", many=False),
     Rel("pilots", "PILOTS", "in", "Pilot", connection=True),
     _history()),
    (RelFilter("challenge", "ID",
               "EXISTS { ({v})-[:RESPONDS_TO]->(:Challenge {id: {p}}) }",
               "In answer to the challenge with this id."),),
    default_order=("title",),
    # A hackathon's projects are published once sent, and a team sees its own. A CASE, not an
    # OR: Cypher may evaluate every operand of an OR, and the three pattern checks then cost
    # staff reading sent proposals (every proposal of a board) for nothing; CASE stops at the
    # first branch that holds (the cross read of bench-graph fell below 2.5x the library's
    # throughput at one client with the OR).
    guard=("CASE WHEN ($staff OR $expert) AND {v}.status IN $proposalSent THEN true "
           "ELSE EXISTS { ({v})-[:SUBMITTED_BY]->(:Organisation {id: $callerOrganisation}) } "
           "OR EXISTS { ({v})-[:SUBMITTED_BY]->(:Team)<-[:MEMBER_OF]-(:Person "
           "{id: $callerPerson}) } OR ({v}.status IN $proposalSent AND EXISTS { ({v})"
           "-[:RESPONDS_TO]->(:Challenge)<-[:JUDGED_AS]-(:Session) }) END"),
    params=_PARAMS,
    description="An answer to a challenge, by an organisation or a team (a hackathon's "
                "project is one).",
)

TEAM = NodeType(
    "Team", "Team",
    (*_COMMON, Prop("name", required=True, order=True, max_length=TITLE_MAX)),
    (Rel("members", "MEMBER_OF", "in", "Person", connection=True,
         edge=(Prop("role", enum="TeamMemberRole"),)),
     Rel("proposals", "SUBMITTED_BY", "in", "Proposal", connection=True),
     Rel("hackathon", "FORMED_FOR", "out", "LabSession", many=False,
         description="The hackathon the team was formed for (null for other teams).")),
    guard=("($staff OR $expert OR EXISTS { (:Person {id: $callerPerson})-[:MEMBER_OF]->"
           "({v}) })"),
    description="People proposing together.",
)

PERSON = NodeType(
    "Person", "Person",
    (*_COMMON, Prop("name", required=True, order=True)),
    (Rel("organisations", "MEMBER_OF", "out", "Organisation", connection=True),),
    guard="($staff OR {v}.id = $callerPerson OR {v}:Expert OR {v}:LabStaff)",
    description="A person, as far as you may see them: lab staff and experts are public, "
                "others only to lab staff and to themselves.",
)

PILOT = NodeType(
    "Pilot", "Pilot",
    (*_COMMON, _title(), _status("PilotStatus"),
     Prop("involved", many=True, filter=False, read_only=True, enum="InvolvedParty"),
     Prop("relationship", read_only=True, enum="OperatingRelationship"),
     Prop("ownership", read_only=True, enum="OperatingOwnership"),
     Prop("fundingMethod", read_only=True, enum="FundingMethod"),
     Prop("powerSits", read_only=True, enum="PowerSits"),
     Prop("publicRole", read_only=True, enum="PublicSectorRole"),
     Prop("overdueMeasures", many=True, filter=False, read_only=True)),
    (Rel("proposal", "PILOTS", "out", "Proposal", many=False),
     Rel("sponsor", "SPONSORED_BY", "out", "Person", many=False),
     Rel("partners", "INVOLVES", "out", "Organisation", connection=True,
         edge=(Prop("role", required=True, enum="PilotPartnerRole"),),
         description="Organisations involved, with the role of each."),
     Rel("signOffs", "SIGNED_OFF", "in", "Person", connection=True,
         edge=(Prop("stage", required=True, enum="PilotStage"),
               Prop("at", DATETIME, required=True)),
         order=("name",), description="Who signed off which stage."),
     Rel("measures", "MEASURES", "in", "OutcomeMeasure", connection=True),
     _history()),
    default_order=("createdAt",),
    description="A proposal being tried out, through its stage gates.",
)

OUTCOME_MEASURE = NodeType(
    "OutcomeMeasure", "OutcomeMeasure",
    (*_COMMON, Prop("name", required=True, order=True, max_length=TITLE_MAX),
     Prop("unit", required=True, max_length=50),
     Prop("baseline", FLOAT, read_only=True), Prop("target", FLOAT, read_only=True),
     Prop("direction", read_only=True, enum="MeasureDirection"),
     Prop("everyDays", INT, read_only=True)),
    (Rel("pilot", "MEASURES", "out", "Pilot", many=False),
     Rel("measurements", "OF", "in", "Measurement", connection=True)),
    description="What a pilot is judged by, with its target.",
)

MEASUREMENT = NodeType(
    "Measurement", "Measurement",
    (*_COMMON, Prop("value", FLOAT, required=True, order=True, read_only=True),
     Prop("at", DATETIME, required=True, order=True, read_only=True)),
    (Rel("measure", "OF", "out", "OutcomeMeasure", many=False),),
    default_order=("at",),
    description="One value of an outcome measure, as measured at a time.",
)

SESSION = NodeType(
    "LabSession", "Session",
    (*_COMMON, _title(), _text("description"), Prop("location", max_length=TITLE_MAX),
     Prop("kind", read_only=True, enum="LabSessionKind"), Prop("capacity", INT, read_only=True),
     Prop("startsAt", DATETIME, required=True, order=True, read_only=True),
     Prop("endsAt", DATETIME, required=True, order=True, read_only=True),
     Prop("participantCount", INT, filter=False, read_only=True,
          expr="COUNT { (:Person)-[:PARTICIPATES_IN]->({v}) }"),
     _text("rules"),
     Prop("submissionDeadline", DATETIME, read_only=True, filter=False,
          expr="COLLECT { MATCH ({v})-[:JUDGED_AS]->(c:Challenge) RETURN c.deadline }[0]",
          description="A hackathon's: projects are taken until then (its challenge's "
                      "deadline)."),
     _kits("The data kits a hackathon builds on.")),
    (Rel("fields", "IN_FIELD", "out", "Field", connection=True, order=("code",)),
     Rel("experts", "FACILITATES", "in", "Person", connection=True),
     Rel("judging", "JUDGED_AS", "out", "Challenge", many=False,
         description="A hackathon's projects are proposals to this challenge, judged as any."),
     Rel("teams", "FORMED_FOR", "in", "Team", connection=True,
         description="The teams formed for a hackathon that you may see.")),
    (RelFilter("field", STRING, "EXISTS { ({v})-[:IN_FIELD]->(:Field {code: {p}}) }",
               "In the field with this code."),),
    default_order=("startsAt",),
    description="A workshop, hackathon or clinic of the lab.",
)

LIFECYCLE_EVENT = NodeType(
    "LifecycleEvent", "LifecycleEvent",
    (*_COMMON, Prop("actor", read_only=True), Prop("fromStatus", read_only=True),
     Prop("toStatus", required=True, read_only=True), Prop("reason", read_only=True),
     Prop("at", DATETIME, required=True, order=True, read_only=True)),
    (),
    default_order=("at",),
    description="One step in a lab record's history (fromStatus is null for its creation).",
)

EVALUATION = NodeType(
    "Evaluation", "Evaluation",
    (*_COMMON, _text("comment")),
    (Rel("proposal", "EVALUATES", "out", "Proposal", many=False),
     Rel("expert", "BY", "out", "Person", many=False)),
    default_order=("createdAt",),
    guard="$staff",
    description="An expert's scores of a proposal; lab staff only.",
)

TYPES: tuple[NodeType, ...] = (
    IDEA, CRITERION, CHALLENGE, PROPOSAL, TEAM, PERSON, PILOT, OUTCOME_MEASURE, MEASUREMENT,
    SESSION, LIFECYCLE_EVENT, EVALUATION)
