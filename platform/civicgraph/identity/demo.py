"""Demo accounts and clients for `make run`: known credentials, printed in the banner.

For a laptop demo only: the secrets are in the README. Seeding is idempotent (nothing is added
twice, and an existing account or client keeps whatever it has).
"""

from __future__ import annotations

import uuid

from civicgraph.compiler.domains.identity import PURPOSE
from civicgraph.compiler.model import OCCUPATION, SKILL
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Visibility
from civicgraph.core.access import Principal
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import accounts as accounts_repo
from civicgraph.identity.cypher import consent as consent_repo
from civicgraph.identity.cypher import purposes as purposes_repo
from civicgraph.identity.service import accounts, data_use
from civicgraph.identity.service import clients as oauth_clients
from civicgraph.identity.service import consent as consent_service
from civicgraph.partner_graph import vocabulary
from civicgraph.partner_graph.service.organisations import name_key

# The demo's two places (the partner graph's demo: "North" and "Metro").
NORTH = vocabulary.REGION_NAMES["E12000003"]
METRO = vocabulary.REGION_NAMES["E12000002"]

STAFF_EMAIL = "staff@demo.civicgraph.example"
STAFF_PASSWORD = "demo-staff-password"
CITIZEN_EMAIL = "citizen@demo.civicgraph.example"
CITIZEN_PASSWORD = "demo-citizen-password"
STARTUP_EMAIL = "startup@demo.civicgraph.example"
STARTUP_PASSWORD = "demo-startup-password"
STARTUP_ORGANISATION = ("CareerPath Labs", METRO)
PARTNER_MEMBER_EMAIL = "partner@demo.civicgraph.example"
PARTNER_MEMBER_PASSWORD = "demo-partner-password"
PARTNER_MEMBER_ORGANISATION = ("Open Skills College", NORTH)
PARTNER_CLIENT_ID = "demo-partner"
PARTNER_SECRET = "demo-partner-secret"
PARTNER_ORGANISATION = ("SkillBridge", NORTH)
CONSOLE_CLIENT_ID = "demo-console"
DEMO_PURPOSE = "job-matching"
DEMO_SKILLS = [{"uri": s["uri"], "name": s["name"]} for s in vocabulary.sample().skills
               if s["uri"] in {vocabulary.skill("welding"), vocabulary.skill("read-blueprints")}]
DEMO_PURPOSES: list[tuple[tuple[str, str], dict[str, object]]] = [
    (PARTNER_ORGANISATION, {
        "code": DEMO_PURPOSE, "nameEn": "Job matching",
        "nameFr": "Mise en relation avec des offres",
        "descriptionEn": "We compare your skills and occupation with open vacancies in your "
                         "region.",
        "descriptionFr": "Nous comparons vos compétences et votre métier aux offres ouvertes "
                         "dans votre région.",
        "benefitEn": "Vacancies that fit you, with the reason each one was chosen.",
        "benefitFr": "Des offres qui vous correspondent, avec la raison de chaque choix.",
        "categories": ["contact", "occupation", "skills"], "legalBasis": "CONSENT",
        "retentionDays": 180}),
    (PARTNER_MEMBER_ORGANISATION, {
        "code": "course-suggestions", "nameEn": "Course suggestions",
        "nameFr": "Suggestions de formations",
        "descriptionEn": "We look at your skills to suggest courses that fill the gaps for the "
                         "jobs you want.",
        "descriptionFr": "Nous regardons vos compétences pour vous suggérer des formations "
                         "qui comblent les manques pour les métiers que vous visez.",
        "benefitEn": "Courses near you, some of them free, that lead to the jobs you want.",
        "benefitFr": "Des formations près de chez vous, certaines gratuites, vers les métiers "
                     "que vous visez.",
        "categories": ["skills"], "legalBasis": "CONSENT", "retentionDays": 90}),
]
"""The demo's declared, approved purposes (the lab approved them before the demo starts)."""
DEMO_OCCUPATION = {k: vocabulary.occupation("welder")[k] for k in ("uri", "code", "name")}


def seed(graph: Graph, base_url: str) -> dict[str, int]:
    created = {"accountsCreated": 0, "clientsCreated": 0}
    created["accountsCreated"] += accounts.ensure(
        graph, email=STAFF_EMAIL, name="Demo Lab Staff", password=STAFF_PASSWORD,
        roles=["LAB_STAFF", "ADMIN"], region=METRO)
    created["accountsCreated"] += accounts.ensure(
        graph, email=CITIZEN_EMAIL, name="Demo Citizen", password=CITIZEN_PASSWORD,
        roles=["CITIZEN"], region=NORTH)
    # Outsiders who take part in the lab for their organisation: a start-up's founder (its
    # admin) and a partner's member (a college). Their organisations come from the demo graph.
    for email, name, password, organisation, role in (
            (STARTUP_EMAIL, "Demo Start-up Founder", STARTUP_PASSWORD, STARTUP_ORGANISATION,
             "ADMIN"),
            (PARTNER_MEMBER_EMAIL, "Demo Partner Member", PARTNER_MEMBER_PASSWORD,
             PARTNER_MEMBER_ORGANISATION, "MEMBER")):
        created["accountsCreated"] += accounts.ensure(
            graph, email=email, name=name, password=password, roles=["PARTICIPANT"],
            region=organisation[1])
        accounts.add_membership(graph, email=email, organisation_key=name_key(*organisation),
                                role=role)
    partner_key = name_key(*PARTNER_ORGANISATION)
    created["clientsCreated"] += oauth_clients.ensure_demo_client(
        graph, client_id=PARTNER_CLIENT_ID, secret=PARTNER_SECRET,
        name="SkillBridge matching service", organisation_key=partner_key,
        scopes=["graph:read", "graph:write", "citizen:read"],
        grant_types=["client_credentials"], redirect_uris=[])
    created["clientsCreated"] += oauth_clients.ensure_demo_client(
        graph, client_id=CONSOLE_CLIENT_ID, secret=None, name="CivicGraph console (demo)",
        organisation_key=None,
        scopes=["graph:read", "graph:write", "lab:write", "kits:read", "consent:read",
                "consent:write", "admin"],
        grant_types=["authorization_code", "refresh_token"],
        redirect_uris=[f"{base_url}/oauth/callback", f"{base_url}/console/callback"])
    for skill in DEMO_SKILLS:  # the partner graph's records: its rules hold for seeds too
        SKILL.clean(skill, creating=True)
    OCCUPATION.clean(DEMO_OCCUPATION, creating=True)
    accounts_repo.attach_demo_profile(graph, CITIZEN_EMAIL, DEMO_SKILLS, DEMO_OCCUPATION)
    created["purposesCreated"] = 0
    for organisation, terms in DEMO_PURPOSES:
        fields = PURPOSE.clean(terms, creating=True)  # the model's rules hold for seeds too
        fields["categories"] = terms["categories"]
        created["purposesCreated"] += purposes_repo.ensure_demo(graph, name_key(*organisation),
                                                                fields)
    created["consentsCreated"] = consent_repo.ensure_demo_consent(graph, {
        "email": CITIZEN_EMAIL, "organisationKey": partner_key, "purpose": DEMO_PURPOSE,
        "id": str(uuid.uuid4()), "categories": ["contact", "occupation", "skills"],
        "expiresAt": consent_repo.in_days(365),
    })
    return created


def read_once(graph: Graph) -> int:
    """SkillBridge reads the demo citizen's contact details once, through the same service as
    ``citizenProfile`` (consent checked, the read chained in the log), and says what came of it,
    so the citizen's page shows a read and its value from the start; 1 if it read now. Only
    the ecosystem's seed (``make run``) calls it: tests that seed identities count reads."""
    state = consent_repo.demo_read_state(graph, CITIZEN_EMAIL, name_key(*PARTNER_ORGANISATION))
    if state is None or state["read"]:
        return 0
    partner = Principal(subject=PARTNER_CLIENT_ID, client_id=PARTNER_CLIENT_ID,
                        organisation_id=state["organisationId"],
                        scopes=frozenset({"citizen:read"}))
    selection = Selection("citizenProfile", "citizenProfile", {}, (
        Selection("name", "name"), Selection("region", "region"),
        Selection("read", "read", {}, (Selection("id", "id"),))))
    viewer = Visibility(client_id=PARTNER_CLIENT_ID, organisation_id=state["organisationId"])
    profile = consent_service.citizen_profile(graph, partner, citizen_id=state["citizenId"],
                                              purpose=DEMO_PURPOSE, root=selection,
                                              viewer=viewer)
    data_use.record(graph, partner, read_id=profile["read"]["id"], kind="matches_shown",
                    count=3, note="Three welding vacancies in the North match your skills.")
    return 1


def banner() -> str:
    return (
        "  Demo sign-in (GET /oauth/authorize with client_id=demo-console and PKCE):\n"
        f"    staff:   {STAFF_EMAIL} / {STAFF_PASSWORD}\n"
        f"    citizen: {CITIZEN_EMAIL} / {CITIZEN_PASSWORD}\n"
        f"    start-up founder ({STARTUP_ORGANISATION[0]}): {STARTUP_EMAIL} / {STARTUP_PASSWORD}\n"
        f"    partner member ({PARTNER_MEMBER_ORGANISATION[0]}): {PARTNER_MEMBER_EMAIL} / "
        f"{PARTNER_MEMBER_PASSWORD}\n"
        f"  Demo partner client (client credentials): {PARTNER_CLIENT_ID} / {PARTNER_SECRET}\n"
        "  Lab console: /console (expert: expert@demo.civicgraph.example / demo-expert-password)\n"
    )
