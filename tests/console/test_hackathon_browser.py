"""A hackathon end to end in real Chromium: staff set it up; two people register, one forms a
team and the other joins it and sends the project; once the deadline passes an expert scores it
and staff select it and decide; the public page then shows the winner. Each page visited is
checked with axe-core, the public page in English and in French."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from tests.console.test_console_browser import (
    EXPERT_EMAIL,
    EXPERT_PASSWORD,
    _accessible,
    _expert,
    _sign_in,
    _sign_out,
)
from tests.lab.builders import field, to_evaluation

pytestmark = pytest.mark.worker


def test_a_hackathon_from_registration_to_winners(
    graph: Graph, web: str, browser: Any, axe_script: Path
) -> None:
    demo_identity.seed(graph, web)
    field(graph, "employment")
    for kit in ("vacancies", "claimant-counts"):
        graph.run("MERGE (:DataKit {name: $name})", {"name": kit}, write=True)
    _expert(graph, "Jo Judge", EXPERT_EMAIL, None)
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    try:
        # Staff set the hackathon up: its session and its judging challenge, opened at once.
        _sign_in(page, web, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
        page.goto(f"{web}/console/staff/hackathons/new")
        page.get_by_label("Title").fill("Hack the North")
        page.get_by_label("Rules").fill("Teams of up to five; code under an open licence.")
        page.get_by_label("Starts (UTC)").fill("2098-12-30T09:00")
        page.get_by_label("Projects due (UTC)").fill("2099-01-01T00:00")
        page.get_by_label("Ends (UTC)").fill("2099-01-01T00:00")
        page.get_by_label("employment").check()
        page.get_by_label("vacancies").check()
        page.get_by_label("claimant-counts").check()
        _accessible(page, axe_script, "60-staff-hackathon-new")
        page.get_by_role("button", name="Set up the hackathon").click()
        page.wait_for_url(re.compile(r"/console/hackathons$"))
        page.get_by_role("link", name="Hack the North").click()
        hackathon_url = page.url
        _sign_out(page)

        # The citizen registers and forms a team.
        _sign_in(page, web, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
        page.goto(hackathon_url)
        page.get_by_role("button", name="Register for the hackathon").click()
        assert "You are registered" in page.get_by_role("status").inner_text()
        page.get_by_label("Team name").fill("Job Finders")
        page.get_by_role("button", name="Form a team").click()
        assert "Your team is formed" in page.get_by_role("status").inner_text()
        _accessible(page, axe_script, "61-hackathon-team")
        _sign_out(page)

        # The founder registers, joins the team and sends its project; a bad link is refused.
        _sign_in(page, web, demo_identity.STARTUP_EMAIL, demo_identity.STARTUP_PASSWORD)
        page.goto(hackathon_url)
        page.get_by_role("button", name="Register for the hackathon").click()
        page.get_by_role("button", name="Join the team Job Finders").click()
        assert "You are in the team Job Finders" in page.get_by_text(
            re.compile("You are in the team")).inner_text()
        page.get_by_label("Title").fill("Skills map")
        page.get_by_label(re.compile("^Summary")).fill("Vacancies and claimants by region.")
        page.get_by_label(re.compile("^Repository link")).fill("ftp://example.org/code")
        page.get_by_label("vacancies").check()
        page.get_by_role("button", name="Send the project").click()
        assert "must be a web address" in page.locator("#project-repositoryUrl-error").inner_text()
        assert page.get_by_label("Title").input_value() == "Skills map"
        _accessible(page, axe_script, "62-hackathon-project-refused")
        page.get_by_label(re.compile("^Repository link")).fill(
            "https://example.org/jobfinders/skills-map")
        page.get_by_label(re.compile("^Demo link")).fill("https://skills-map.example.org")
        page.get_by_role("button", name="Send the project").click()
        assert "Your project is sent" in page.get_by_role("status").inner_text()
        projects = page.locator("section", has=page.get_by_role("heading", name="Skills map"))
        assert "Kits used: vacancies" in projects.inner_text()
        _accessible(page, axe_script, "63-hackathon-project-sent")
        _sign_out(page)

        # The deadline passes (the scheduler's move); staff assign the judges of its field.
        challenge_id = graph.run(
            "MATCH (:Session {title: 'Hack the North'})-[:JUDGED_AS]->(c) RETURN c.id AS id"
        )[0]["id"]
        to_evaluation(graph, challenge_id)
        _sign_in(page, web, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
        page.goto(hackathon_url)
        page.get_by_role("link", name="Open the judging board").click()
        page.get_by_role("button", name="Assign every expert in these fields").click()
        assert "Jo Judge" in page.locator("#judges").inner_text()
        _sign_out(page)

        # The judge scores the project on the rubric.
        _sign_in(page, web, EXPERT_EMAIL, EXPERT_PASSWORD)
        page.get_by_role("link", name="My scoring queue").click()
        section = page.locator("section", has=page.get_by_role("heading", name="Skills map"))
        for criterion, score in (("Impact", "8"), ("Use of the data", "9"),
                                 ("Quality of the build", "7"), ("Presentation", "6")):
            section.get_by_label(re.compile(f"^{criterion}")).fill(score)
        section.get_by_role("button", name="Save my scores").click()
        assert "Your scores are saved" in page.get_by_role("status").inner_text()
        _sign_out(page)

        # Staff select the winner with reasons and decide the challenge.
        _sign_in(page, web, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
        page.goto(f"{web}/console/staff/challenges/{challenge_id}")

        def project() -> Any:
            return page.locator("section", has=page.get_by_role(
                "heading", name=re.compile("^Skills map")))
        for to, reason in (("SHORTLISTED", "top score"), ("SELECTED", "the winner")):
            project().get_by_label("Decision").select_option(to)
            project().get_by_label("Reason").fill(reason)
            project().get_by_role("button", name="Record decision").click()
        assert "SELECTED" in project().inner_text()
        page.get_by_label("Move the challenge to").select_option("DECIDED")
        page.locator("#cm-reason").fill("judging is over")
        page.get_by_role("button", name="Move", exact=True).click()
        assert "DECIDED" in page.locator("h1 + p").inner_text()
        _sign_out(page)

        # Anyone, signed out, sees the winner and the project's links.
        page.goto(hackathon_url)
        winners = page.get_by_role("region", name="Winners")
        assert "Skills map" in winners.inner_text()
        assert "by Job Finders" in winners.inner_text()
        assert page.get_by_role("link", name="Demo of Skills map").get_attribute(
            "href") == "https://skills-map.example.org"
        _accessible(page, axe_script, "64-hackathon-winners")
        page.goto(f"{hackathon_url}?lang=fr")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.get_by_role("region", name="Lauréats").is_visible()
        _accessible(page, axe_script, "65-hackathon-winners-fr")
    finally:
        context.close()
