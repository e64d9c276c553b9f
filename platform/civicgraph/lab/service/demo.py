"""A small lab for `make run`: a challenge in evaluation with two proposals and two experts.

So a newcomer can sign in to the console as the demo staff member and walk the whole scenario
(assign experts, score as the expert, shortlist, select, start a pilot, pass a gate) by hand.
Idempotent: nothing is added twice. Demo only; the passwords are in the README.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core import clock
from civicgraph.core.access import CITIZEN, EXPERT, LAB_STAFF, PARTICIPANT, PARTNER
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity.service import accounts
from civicgraph.lab.cypher import demo as repo
from civicgraph.lab.service import challenges, ideas, pilots, proposals, scheduling, sessions
from civicgraph.partner_graph import vocabulary
from civicgraph.partner_graph.service import organisations

EXPERT_EMAIL = "expert@demo.civicgraph.example"
EXPERT_PASSWORD = "demo-expert-password"
INSIDER_EMAIL = "insider@demo.civicgraph.example"
TITLE = "Reach rural job seekers (demo)"
FIELD = "employment-services"  # also in the partner graph's demo catalogue
REGION = "E12000003"  # the demo's "North" (Yorkshire and The Humber)
PROPOSALS = (("Rural Bus Start-up", "Job bus", "Advisers travel to villages by bus"),
             ("Village Vans Co-op", "Advice vans", "Vans with advisers and a printer"))


def seed(graph: Graph, staff_email: str) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    repo.ensure_field(graph, FIELD, "Employment services", str(uuid.uuid4()), clock.iso())
    for email, name in ((EXPERT_EMAIL, "Demo Expert"), (INSIDER_EMAIL, "Demo Insider Expert")):
        accounts.ensure(graph, email=email, name=name, password=EXPERT_PASSWORD,
                        roles=[EXPERT])
        repo.link_person(graph, email, FIELD, None)
    staff = accounts.by_email(graph, staff_email)
    if staff is None or repo.challenge_titled(graph, TITLE):
        return {"labChallengesCreated": 0}
    actor = Actor(str(staff["id"]), frozenset({LAB_STAFF}))
    deadline = now + dt.timedelta(hours=1)  # while the proposals are sent
    challenge = challenges.create(
        graph, actor, title=TITLE, description="How can job advisers reach people in villages "
        "without a bus line?", eligibility="Organisations working in the North",
        field_codes=[FIELD], criteria=[{"name": "impact", "weight": 3},
                                              {"name": "feasibility", "weight": 1}],
        deadline=clock.iso(deadline))
    challenges.advance(graph, actor, challenge["id"], "OPEN", 1)
    for index, (org_name, title, summary) in enumerate(PROPOSALS):
        org = organisations.register(graph, name=org_name, kind="START_UP",
                                     region=vocabulary.REGION_NAMES[REGION],
                                     region_code=REGION, description="Demo proposer")
        if index == 0:  # the insider works for the first proposer: a conflict of interest
            repo.link_person(graph, INSIDER_EMAIL, None, org["id"])
        founder = Actor(f"demo-founder-{index}", frozenset({PARTNER}), org["id"])
        draft = proposals.create(graph, founder, challenge_id=challenge["id"], title=title,
                                 summary=summary)
        proposals.advance(graph, founder, draft["id"], "SUBMITTED", 1)
    # The call closes once both are in: staff bring the deadline forward to now, and the
    # scheduler's own sweep, on the real clock, finds it passed. So the history's move to
    # EVALUATION comes after the deadline, and neither is in the future.
    sent = challenges.get(graph, challenge["id"])
    challenges.update(graph, actor, challenge["id"], sent["version"], deadline=clock.iso())
    scheduling.close_due_challenges(graph)
    return {"labChallengesCreated": 1}


def field_expert_email(code: str) -> str:
    return f"expert-{code}@demo.civicgraph.example"


def seed_field_experts(graph: Graph) -> dict[str, int]:
    """An expert in each of the lab's twenty fields (``vocabulary.FIELDS``) but the demo
    challenge's, whose panel is the two experts above: so every field has someone to assign,
    and the demo challenge's panel stays the one the stories walk. Idempotent (by email)."""
    made = 0
    for code, name in vocabulary.FIELDS:
        if code == FIELD:
            continue
        repo.ensure_field(graph, code, name, vocabulary.node_id("field", code), clock.iso())
        email = field_expert_email(code)
        made += accounts.ensure(graph, email=email, name=f"Demo Expert ({name})",
                                password=EXPERT_PASSWORD, roles=[EXPERT],
                                region=vocabulary.REGION_NAMES[REGION])
        repo.link_person(graph, email, code, None)
    return {"labFieldExpertsCreated": made}


DEMO_IDEAS = (
    (LAB_STAFF, "A shared calendar of the region's job fairs",
     "Agencies, colleges and employers post their job fairs in one calendar jobseekers can "
     "follow."),
    (CITIZEN, "Evening courses for people who work days",
     "Many of us cannot take a course in working hours: offer the digital ones in the evening."),
    (PARTICIPANT, "Open figures on apprenticeship starts by region",
     "Publish how many apprenticeships start each month in each region, so providers can plan "
     "their courses."),
)
"""The demo's ideas, one from each kind of sender: staff (an INTERNAL idea), a citizen and a
partner's member (EXTERNAL), as (the sender's role, title, description)."""


def seed_ideas(graph: Graph, senders: dict[str, str]) -> dict[str, int]:
    """The demo's ideas for the idea inbox, sent by the people of ``senders`` (role -> email),
    once (by title): every origin of an idea is in it."""
    have = {i["title"] for i in ideas.list_ideas(graph, None, 100)}
    made = 0
    for role, title, description in DEMO_IDEAS:
        person = accounts.by_email(graph, senders[role])
        if title in have or person is None:
            continue
        ideas.submit(graph, Actor(str(person["id"]), frozenset({role})), title=title,
                     description=description)
        made += 1
    return {"labIdeasCreated": made}


STAGES_TITLE = "Green skills for the rail corridor (demo)"
"""The challenge whose selected proposals became the demo's pilots (it is DECIDED, then
CLOSED); the other stage challenges are named after their status."""
PILOTS = (
    ("Welding academy on wheels", "PROOF_OF_CONCEPT"), ("Solar roofs by apprentices", "PILOT"),
    ("Track skills passport", "SCALING"), ("Care careers open days", "MAINSTREAMED"),
    ("Night-shift childcare club", "STOPPED"),
)
"""The demo's pilots, (title, stage they are brought to), one in each stage."""
_MODELS = (
    (["CITIZENS", "START_UPS", "PUBLIC_AGENCIES"], "NETWORK", "SOCIAL_ENTERPRISE",
     "MATCHED_CROWDFUNDING", "COMMUNITIES", "ENABLER"),
    (["EMPLOYERS", "PUBLIC_AGENCIES"], "CONTRACT", "PUBLIC", "TAXES", "LOCAL_GOVERNMENT",
     "COMMISSIONER"),
    (["THIRD_SECTOR", "COMMUNITIES", "FUNDERS"], "PARTNERSHIP", "CHARITY", "OUTCOME_BASED",
     "SHARED", "CONVENER"),
)


def _to_evaluation(graph: Graph, actor: Actor, challenge_id: str) -> None:
    """The call closes now: staff bring the deadline forward and the scheduler's sweep moves
    the challenge on, as in ``seed``."""
    sent = challenges.get(graph, challenge_id)
    challenges.update(graph, actor, challenge_id, sent["version"], deadline=clock.iso())
    scheduling.close_due_challenges(graph)


def _challenge(graph: Graph, actor: Actor, title: str, deadline: dt.datetime) -> dict[str, Any]:
    return challenges.create(
        graph, actor, title=title, description="A demo challenge of the lab, in the stage its "
        "title names.", eligibility="Organisations working in Yorkshire and The Humber",
        field_codes=["green-jobs"], criteria=[{"name": "impact", "weight": 2},
                                              {"name": "cost", "weight": 1}],
        deadline=clock.iso(deadline))


def _stage_pilot(graph: Graph, actor: Actor, pilot_id: str, stage: str, model: int) -> None:
    """Bring a new pilot to ``stage`` through its gates: an outcome measure with its baseline,
    the sponsor's sign-offs, measurements meeting the target, the operating model."""
    involved, relationship, ownership, funding, power, public = _MODELS[model % len(_MODELS)]
    pilots.set_operating_model(graph, actor, pilot_id, pilots.get(graph, pilot_id)["version"],
                               involved=involved, relationship=relationship,
                               ownership=ownership, funding_method=funding, power_sits=power,
                               public_role=public)
    measure = pilots.add_measure(graph, actor, pilot_id, name="Job starts", unit="people",
                                 baseline=5, target=20, direction="INCREASE", every_days=30)
    if stage == "STOPPED":
        pilots.advance(graph, actor, pilot_id, "STOPPED", pilots.get(graph, pilot_id)["version"],
                       "the partner college closed its site")
        return
    now = clock.now()
    for step, to in enumerate(("PILOT", "SCALING", "MAINSTREAMED")):
        if ("PROOF_OF_CONCEPT", "PILOT", "SCALING", "MAINSTREAMED").index(stage) <= step:
            return
        pilots.sign_off(graph, actor, pilot_id, to)
        if to != "PILOT":
            pilots.record_measurement(graph, actor, measure["id"], 20 + 5 * step,
                                      now - dt.timedelta(days=60 - 20 * step))
        pilots.advance(graph, actor, pilot_id, to, pilots.get(graph, pilot_id)["version"])


def seed_stages(graph: Graph, staff_email: str) -> dict[str, int]:
    """Challenges in every status and pilots in every stage, with operating models, outcome
    measures and measurements, for the lab's figures and pages; once (by the pilots'
    challenge's title). The stories' challenge (``seed``) is the one in EVALUATION."""
    staff = accounts.by_email(graph, staff_email)
    if staff is None or repo.challenge_titled(graph, STAGES_TITLE):
        return {"labStageChallengesCreated": 0, "labPilotsCreated": 0}
    actor = Actor(str(staff["id"]), frozenset({LAB_STAFF}))
    repo.ensure_field(graph, "green-jobs", dict(vocabulary.FIELDS)["green-jobs"],
                      vocabulary.node_id("field", "green-jobs"), clock.iso())
    now = clock.now()
    made = 0
    for status in ("DRAFT", "OPEN", "CANCELLED"):
        challenge = _challenge(graph, actor, f"Green skills: {status.lower()} call (demo)",
                               now + dt.timedelta(days=30))
        if status != "DRAFT":
            challenges.advance(graph, actor, challenge["id"], "OPEN", 1)
        if status == "CANCELLED":
            challenges.advance(graph, actor, challenge["id"], "CANCELLED", 2,
                               "the funding was withdrawn")
        made += 1
    # A decided one: its only proposal rejected.
    decided = _challenge(graph, actor, "Green skills: decided call (demo)",
                         now + dt.timedelta(hours=1))
    challenges.advance(graph, actor, decided["id"], "OPEN", 1)
    org = organisations.register(graph, name="Rail Retrofit Start-up", kind="START_UP",
                                 region=vocabulary.REGION_NAMES[REGION], region_code=REGION,
                                 description="Demo proposer")
    founder = Actor("demo-founder-retrofit", frozenset({PARTNER}), org["id"])
    lone = proposals.create(graph, founder, challenge_id=decided["id"], title="Retrofit crews",
                            summary="Apprentice crews retrofit stations")
    proposals.advance(graph, founder, lone["id"], "SUBMITTED", 1)
    _to_evaluation(graph, actor, decided["id"])
    proposals.advance(graph, actor, lone["id"], "REJECTED", 2, "outside the call's region")
    challenges.advance(graph, actor, decided["id"], "DECIDED",
                       challenges.get(graph, decided["id"])["version"], "no proposal fitted")
    made += 1
    # The pilots' challenge: every proposal selected, a pilot from each; then closed.
    source = _challenge(graph, actor, STAGES_TITLE, now + dt.timedelta(hours=1))
    challenges.advance(graph, actor, source["id"], "OPEN", 1)
    sent = []
    for index, (title, _stage) in enumerate(PILOTS):
        org = organisations.register(graph, name=f"{title} Partnership", kind="THIRD_SECTOR",
                                     region=vocabulary.REGION_NAMES[REGION],
                                     region_code=REGION, description="Demo proposer")
        founder = Actor(f"demo-founder-stage-{index}", frozenset({PARTNER}), org["id"])
        draft = proposals.create(graph, founder, challenge_id=source["id"], title=title,
                                 summary=f"{title}: a demo proposal that became a pilot")
        proposals.advance(graph, founder, draft["id"], "SUBMITTED", 1)
        sent.append(draft["id"])
    _to_evaluation(graph, actor, source["id"])
    started = 0
    for index, proposal_id in enumerate(sent):
        proposals.advance(graph, actor, proposal_id, "SHORTLISTED", 2, "fits the call")
        proposals.advance(graph, actor, proposal_id, "SELECTED", 3, "worth a pilot")
        title, stage = PILOTS[index]
        pilot = pilots.start(graph, actor, proposal_id, title=f"{title} pilot")
        _stage_pilot(graph, actor, pilot["id"], stage, index)
        started += 1
    closing = challenges.advance(graph, actor, source["id"], "DECIDED",
                                 challenges.get(graph, source["id"])["version"],
                                 "every proposal selected")
    challenges.advance(graph, actor, source["id"], "CLOSED", closing["version"])
    return {"labStageChallengesCreated": made + 1, "labPilotsCreated": started}


DEMO_SESSIONS = (
    ("Ideation: reaching jobseekers in villages", "IDEATION", 3, 2,
     "North Employment Agency, meeting room 2", 20,
     "Bring your ideas for meeting jobseekers where there is no bus line."),
    ("Co-design: the job adviser's van", "CO_DESIGN", 10, 3, "https://meet.example.org/van", 12,
     "Jobseekers, advisers and the start-ups shortlisted design the van's day together."),
    ("Pitch day: mobile advice pilots", "PITCH", 17, 2, "Metro town hall", None,
     "The shortlisted teams present their pilots to the lab and the public."),
)
"""The demo's sessions: (title, kind, days from the seeding, hours long, place, places,
description)."""


def seed_sessions(graph: Graph, staff_email: str) -> dict[str, int]:
    """The demo's upcoming sessions, scheduled by the demo staff, once (by title)."""
    staff = accounts.by_email(graph, staff_email)
    if staff is None:
        return {"labSessionsCreated": 0}
    actor = Actor(str(staff["id"]), frozenset({LAB_STAFF}))
    have = {s["title"] for s in sessions.for_person(graph, None, 200)}
    start = clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
    made = 0
    for title, kind, days, hours, place, places, about in DEMO_SESSIONS:
        if title in have:
            continue
        begins = start + dt.timedelta(days=days)
        sessions.create(graph, actor, title=title, kind=kind, starts_at=begins,
                        ends_at=begins + dt.timedelta(hours=hours), field_codes=[FIELD],
                        description=about, location=place, capacity=places)
        made += 1
    return {"labSessionsCreated": made}
