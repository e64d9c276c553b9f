"""The lab scenario in real Chromium: staff, an expert and the public use the console.

Data a person would have typed elsewhere (accounts, a challenge open for proposals, proposals
from two organisations) is made through the services; every step of the scenario is done by
clicking in the browser. Each page visited is checked with axe-core and key pages are saved as
screenshots under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import challenges, ideas, proposals
from tests.console.conftest import SCREENSHOTS
from tests.lab.builders import field, open_challenge, organisation, person, to_evaluation

EXPERT_EMAIL, EXPERT_PASSWORD = "expert@lab.example", "expert-password-1"
pytestmark = pytest.mark.worker


def _accessible(page: Any, axe: Path, name: str) -> None:
    """No serious or critical axe violation on this page; its screenshot is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(axe))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: {bad}"


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/console")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in and allow").click()
    page.wait_for_url(re.compile(r"/console$"))
    assert page.get_by_role("button", name=re.compile("Sign out")).is_visible()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.wait_for_url(re.compile(r"/console$"))
    assert page.get_by_role("link", name="Sign in").is_visible()


def _expert(graph: Graph, name: str, email: str, organisation_id: str | None) -> None:
    made = accounts.create(graph, email=email, name=name, password=EXPERT_PASSWORD,
                           roles=["EXPERT"])
    # Fields and memberships are the partner graph's nodes: written directly, as the lab
    # fixtures do.
    graph.run("MATCH (p:Person {id: $id}), (f:Field {code: 'employment'}) "
              "MERGE (p)-[:EXPERT_IN]->(f) WITH p OPTIONAL MATCH (o:Organisation {id: $org}) "
              "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | "
              "  MERGE (p)-[:MEMBER_OF]->(o))", {"id": made["id"], "org": organisation_id},
              write=True)


def _scenario_data(graph: Graph, base: str) -> dict[str, Any]:
    demo_identity.seed(graph, base)
    staff_id = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                     demo_identity.STAFF_PASSWORD)["id"]  # type: ignore[index]
    staff = Actor(staff_id, frozenset({"LAB_STAFF"}))
    field(graph, "employment")
    challenge = open_challenge(graph, staff)
    bus = organisation(graph, "Bus Start-up")
    vans = organisation(graph, "Van Co-op")
    _expert(graph, "Jo Judge", EXPERT_EMAIL, None)
    _expert(graph, "Ines Insider", "insider@lab.example", bus)
    made = {}
    for org, title in ((bus, "Job bus"), (vans, "Advice vans")):
        founder = person(graph, f"Founder of {title}", {"PARTNER"}, org)
        draft = proposals.create(graph, founder, challenge_id=challenge["id"], title=title,
                                 summary=f"{title}: advisers travel to rural villages")
        proposals.advance(graph, founder, draft["id"], "SUBMITTED", 1)
        made[title] = draft["id"]
    to_evaluation(graph, challenge["id"])
    citizen = person(graph, "Cleo Citizen", {"CITIZEN"})
    ideas.submit(graph, citizen, title="A job club on a bus",
                 description="Bring job advisers to rural villages by bus")
    return {"challenge": challenge, "staff": staff, "proposals": made}


def test_lab_scenario_in_chromium(graph: Graph, web: str, browser: Any, axe_script: Path,
                                  worker: Any) -> None:
    data = _scenario_data(graph, web)
    challenge_id = data["challenge"]["id"]
    context = browser.new_context(locale="en-GB")
    page = context.new_page()

    # The public: the home page, then sign in as lab staff.
    page.goto(f"{web}/console")
    assert page.get_by_role("heading", level=1).inner_text() == "Innovation lab"
    _accessible(page, axe_script, "01-public-home")
    _sign_in(page, web, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)

    # Staff subscribe a webhook (nothing listens on port 9: deliveries fail and are logged).
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Address (http or https)").fill("http://127.0.0.1:9/hook")
    page.get_by_label("pilot.advanced").check()
    page.get_by_label("proposal.selected").check()
    page.get_by_role("button", name="Subscribe").click()
    assert "Signing secret" in page.locator("#created").inner_text()
    _accessible(page, axe_script, "01b-staff-webhooks")

    # Staff review a citizen's idea in the inbox and accept it into a new challenge.
    page.get_by_role("link", name="Idea inbox").click()
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Reason", exact=True).fill("worth a challenge of its own")
    page.get_by_role("button", name="Accept into a new challenge").click()
    assert "Idea accepted" in page.get_by_role("status").inner_text()

    # Staff complete the new draft challenge; a colleague saves it meanwhile, so the editor
    # shows both versions with the input kept, and the second save goes through.
    page.get_by_label("Deadline").fill("2099-06-30T17:00")
    page.get_by_label(re.compile("^Fields")).fill("employment")
    page.get_by_label(re.compile("^Rubric")).fill("impact: 2\ncost: 1")
    draft_id = page.url.split("/challenges/")[1].split("/")[0]
    challenges.update(graph, data["staff"], draft_id, 1, eligibility="Only the North")
    page.get_by_role("button", name="Save the challenge").click()
    both = page.locator("#both-versions").inner_text()
    assert "Only the North" in both and "impact: 2" in both, both
    assert page.get_by_label(re.compile("^Rubric")).input_value() == "impact: 2\ncost: 1"
    _accessible(page, axe_script, "02a-staff-editor-conflict")
    page.get_by_role("button", name="Save the challenge").click()
    assert "Challenge saved" in page.get_by_role("status").inner_text()
    page.get_by_label("Move the challenge to").select_option("OPEN")
    page.get_by_role("button", name="Move", exact=True).click()
    assert "Challenge moved" in page.get_by_role("status").inner_text()
    page.goto(f"{web}/console")
    assert page.get_by_role("link", name="A job club on a bus").is_visible()

    # Staff open the challenge and assign the experts of its field in one go.
    page.goto(f"{web}/console/challenges/{challenge_id}")
    _accessible(page, axe_script, "02-challenge-public")
    page.get_by_role("link", name="Open the evaluation board").click()
    page.get_by_role("button", name="Assign every expert in these fields").click()
    assert "now its judges" in page.get_by_role("status").inner_text()
    judges = page.locator("#judges").inner_text()
    assert "Jo Judge" in judges and "Ines Insider" in judges
    conflicts = page.locator("#conflicts").inner_text()
    assert "Ines Insider" in conflicts and (
        "A member of the proposing organisation, Bus Start-up." in conflicts)
    _accessible(page, axe_script, "03-staff-evaluation-board")
    _sign_out(page)

    # An expert scores both proposals from the queue with the rubric form.
    _sign_in(page, web, EXPERT_EMAIL, EXPERT_PASSWORD)
    page.get_by_role("link", name="My scoring queue").click()
    _accessible(page, axe_script, "04-expert-queue")
    for title, impact, feasibility in (("Job bus", "9", "7"), ("Advice vans", "5", "6")):
        section = page.locator("section", has=page.get_by_role("heading", name=title))
        section.get_by_label(re.compile("^impact")).fill(impact)
        section.get_by_label(re.compile("^feasibility")).fill(feasibility)
        section.get_by_role("button", name="Save my scores").click()
        assert "Your scores are saved" in page.get_by_role("status").inner_text()
    _sign_out(page)

    # Staff see the ranking, shortlist and select the best with a reason; a stale form is
    # shown as a conflict with the reason typed kept.
    _sign_in(page, web, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    page.goto(f"{web}/console/staff/challenges/{challenge_id}")
    ranking = page.locator("#ranking").inner_text()
    assert re.search(r"1\s+Job bus.*8\.5", ranking), ranking
    vans = page.locator("section", has=page.get_by_role("heading", name="Advice vans"))
    proposals.advance(graph, data["staff"], data["proposals"]["Advice vans"], "SHORTLISTED", 2,
                      "shortlisted by a colleague meanwhile")
    vans.get_by_label("Reason").fill("second best, keep in view")
    vans.get_by_role("button", name="Record decision").click()
    alert = page.get_by_role("alert").first.inner_text()
    assert "changed" in alert and "SHORTLISTED" in alert, alert
    assert "second best, keep in view" in alert
    kept = page.locator("section", has=page.get_by_role("heading", name=re.compile("Advice vans")))
    assert kept.get_by_label("Reason").input_value() == "second best, keep in view"
    _accessible(page, axe_script, "05-staff-stale-edit")
    def bus() -> Any:
        return page.locator("section", has=page.get_by_role("heading",
                                                            name=re.compile("^Job bus")))
    page.goto(f"{web}/console/staff/challenges/{challenge_id}")
    bus().get_by_label("Decision").select_option("SHORTLISTED")
    bus().get_by_label("Reason").fill("highest normalised score")
    bus().get_by_role("button", name="Record decision").click()
    bus().get_by_label("Decision").select_option("SELECTED")
    bus().get_by_label("Reason").fill("best answer to the challenge")
    bus().get_by_role("button", name="Record decision").click()
    assert "SELECTED" in bus().inner_text()

    # A pilot is started; the gate refuses while conditions are unmet, then passes.
    bus().get_by_role("button", name="Start a pilot").click()
    page.wait_for_url(re.compile(r"/console/staff/pilots/"))
    pilot_url = page.url
    page.get_by_label("Name", exact=True).fill("Job starts")
    page.get_by_label("Unit", exact=True).fill("people")
    page.get_by_label("Target", exact=True).fill("abc")
    page.get_by_role("button", name="Add measure").click()
    assert page.locator("#measure-target").get_attribute("aria-invalid") == "true"
    assert page.locator("#measure-name").input_value() == "Job starts"
    page.get_by_label("Target", exact=True).fill("20")
    page.get_by_role("button", name="Add measure").click()
    page.get_by_label("Move the pilot to").select_option("PILOT")
    page.get_by_role("button", name="Move", exact=True).click()
    refused = page.locator("#gate").inner_text()
    assert "Not yet" in refused and "every_measure_has_baseline" in refused, refused
    assert "sponsor_signed_off" in refused
    _accessible(page, axe_script, "06-staff-gate-refused")
    page.get_by_label("New value for Job starts").fill("4")
    page.get_by_role("button", name="Set as baseline").click()
    page.get_by_role("button", name="Sign off PILOT as sponsor").click()
    page.get_by_label("Move the pilot to").select_option("PILOT")
    page.get_by_role("button", name="Move", exact=True).click()
    assert "Pilot moved" in page.get_by_role("status").inner_text()
    page.get_by_label("New value for Job starts").fill("25")
    page.get_by_role("button", name="Record measurement").click()
    assert "Stage: PILOT" in page.locator("main").inner_text()
    page.get_by_label("citizens").check()
    page.get_by_label("start ups").check()
    for label, value in (("Relationship", "NETWORK"), ("Ownership", "SOCIAL_ENTERPRISE"),
                         ("Funding", "MATCHED_CROWDFUNDING"), ("Where power sits", "COMMUNITIES"),
                         ("Role of the public sector", "ENABLER")):
        page.get_by_label(label, exact=True).select_option(value)
    page.get_by_role("button", name="Save the operating model").click()
    assert "Operating model saved" in page.get_by_role("status").inner_text()
    assert page.get_by_label("Funding", exact=True).input_value() == "MATCHED_CROWDFUNDING"
    assert "pilot.advanced" in page.locator("table", has_text="Events sent").inner_text()
    _accessible(page, axe_script, "07-staff-pilot")

    page.get_by_role("link", name="Lab figures").click()
    assert page.get_by_role("img", name="From idea to mainstreamed").is_visible()
    funnel = page.locator("figure", has_text="From idea to mainstreamed").locator("table")
    assert re.search(r"Became challenges\s+1", funnel.inner_text())
    _accessible(page, axe_script, "08-staff-figures")
    _sign_out(page)

    # The public sees the pilot, its stage, its progress and its timeline.
    page.goto(pilot_url.replace("/staff/pilots/", "/pilots/"))
    text = page.locator("main").inner_text()
    assert "Stage: PILOT" in text and "target met" in text and "PROOF_OF_CONCEPT → PILOT" in text
    _accessible(page, axe_script, "09-public-pilot")

    # The citizen's side (declared purposes, value, control, the log's proof) is its own
    # scenario: tests/console/test_citizen_journey_browser.py.
    context.close()
