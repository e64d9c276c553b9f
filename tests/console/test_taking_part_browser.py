"""Taking part, in real Chromium: a citizen sends an idea and registers for a workshop; every
page visited is checked with axe-core in English and in French."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.lab.service import demo as lab_demo
from tests.console.test_console_browser import _accessible, _sign_in


def test_a_citizen_sends_an_idea_and_registers_for_a_workshop(
    graph: Graph, web: str, browser: Any, axe_script: Path
) -> None:
    demo_identity.seed(graph, web)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    lab_demo.seed_sessions(graph, demo_identity.STAFF_EMAIL)
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        _sign_in(page, web, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
        page.get_by_role("link", name="Send an idea").click()
        page.get_by_label("Title").fill("Job clubs in the village library")
        page.get_by_label("What is the idea").fill("A weekly job club where the bus does not go.")
        page.get_by_role("button", name="Look for similar ideas").click()
        assert page.get_by_role("heading", name="Similar ideas").is_visible()
        assert page.get_by_label("Title").input_value() == "Job clubs in the village library"
        _accessible(page, axe_script, "40-idea-checked")
        page.get_by_role("button", name="Send my idea").click()
        page.wait_for_url(re.compile(r"/console/my/ideas$"))
        assert page.get_by_role("heading", name="Job clubs in the village library").is_visible()
        _accessible(page, axe_script, "41-my-ideas")

        page.get_by_role("link", name="Sessions and workshops").click()
        workshop = page.get_by_role("region", name="Co-design: the job adviser's van")
        workshop.get_by_role("button", name="Register").click()
        page.wait_for_url(re.compile(r"/console/sessions$"))
        workshop = page.get_by_role("region", name="Co-design: the job adviser's van")
        assert workshop.get_by_text("You are registered.").is_visible()
        assert workshop.get_by_text("1 of 12 places taken").is_visible()
        _accessible(page, axe_script, "42-sessions")

        for path, name in (("/console/sessions", "43-sessions-fr"),
                           ("/console/my/ideas", "44-my-ideas-fr"),
                           ("/console/ideas/new", "45-idea-new-fr")):
            page.goto(f"{web}{path}?lang=fr")
            assert page.locator("html").get_attribute("lang") == "fr"
            _accessible(page, axe_script, name)
        assert page.get_by_role("button", name="Envoyer mon idée").is_visible()
    finally:
        context.close()
