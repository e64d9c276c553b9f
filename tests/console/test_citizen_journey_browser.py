"""A citizen sees what their data does, in real Chromium (issue 17's scenario).

The citizen grants a purpose SkillBridge declared and the lab approved; the partner reads
under it and records what came of the read; the citizen sees the read and its value, narrows
and then withdraws the consent, and downloads the receipt, the export and the access log; the
log verifies with the documented command, and an altered copy does not. Every page is checked
with axe-core, in English and in French. The partner's calls go over HTTP to the same server.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.partner_graph.service import organisations
from tests.console.test_console_browser import _accessible

EMAIL, PASSWORD = "lea@example.org", "lea-password-1"


def _post(url: str, data: bytes, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


class Partner:
    """SkillBridge's matching service: the demo partner client, over HTTP."""

    def __init__(self, web: str) -> None:
        basic = base64.b64encode(f"{demo_identity.PARTNER_CLIENT_ID}:"
                                 f"{demo_identity.PARTNER_SECRET}".encode()).decode()
        self.web = web
        self.token = _post(f"{web}/oauth/token",
                           urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
                           {"Authorization": f"Basic {basic}",
                            "Content-Type": "application/x-www-form-urlencoded"}
                           )["access_token"]

    def gql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = _post(
            f"{self.web}/graphql", json.dumps({"query": query, "variables": variables}).encode(),
            {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        return body

    def read(self, citizen_id: str) -> dict[str, Any]:
        return self.gql('query($id: ID!) { citizenProfile(citizenId: $id, '
                        'purpose: "job-matching") { read { id } categories name skills { nodes '
                        '{ name } } occupation { name } } }', {"id": citizen_id})

    def record(self, read_id: str, kind: str, count: int, link: str | None = None) -> None:
        body = self.gql("mutation($read: ID!, $kind: DataUseKind!, $count: Int, "
                        "$links: [String!]) { recordDataUse(input: {readId: $read, "
                        "kind: $kind, count: $count, links: $links}) { dataUse { id } } }",
                        {"read": read_id, "kind": kind, "count": count,
                         "links": [link] if link else None})
        assert "errors" not in body, body


def _verify(path: Path, web: str) -> subprocess.CompletedProcess[str]:
    """The documented command (README): civicgraph access-log verify FILE --jwks URL."""
    return subprocess.run(
        [sys.executable, "-m", "civicgraph.cli", "access-log", "verify", str(path),
         "--jwks", f"{web}/.well-known/jwks.json"],
        capture_output=True, text=True, timeout=120, check=False)


def test_a_citizen_sees_what_their_data_does_and_keeps_the_proof(
    graph: Graph, web: str, browser: Any, axe_script: Path, tmp_path: Path
) -> None:
    name, region = demo_identity.PARTNER_ORGANISATION
    organisations.register(graph, name=name, kind="START_UP", region=region, description=None)
    organisations.register(graph, name="Open Skills College", kind="TRAINING_PROVIDER",
                           region="North", description=None)
    demo_identity.seed(graph, web)  # SkillBridge's declared purpose, approved; its client
    lea = accounts.create(graph, email=EMAIL, name="Léa Martin", password=PASSWORD,
                          roles=["CITIZEN"], region="North")
    graph.run("MATCH (p:Person {id: $id}) "
              "CREATE (p)-[:HAS_SKILL]->(:Skill {id: randomUUID(), uri: 'esco:weld', "
              "  name: 'weld metal parts'})", {"id": lea["id"]}, write=True)
    partner = Partner(web)

    # The sign-in page's policy forbids any script: axe is let in by the test alone (the log
    # check's script, a file of our own, is held to the console's policy in its own test).
    context = browser.new_context(accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    try:
        # Signing in from "My data" asks only for what a citizen needs.
        page.goto(f"{web}/console")
        page.get_by_role("link", name="My data").click()
        assert "innovation lab" not in page.content()
        _accessible(page, axe_script, "20-citizen-sign-in")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in and allow").click()
        page.wait_for_url(re.compile(r"/console/me$"))
        _accessible(page, axe_script, "21-citizen-my-data-empty")

        # A bad form keeps what was chosen and says what to do, in words.
        page.get_by_label("Skills", exact=True).check()
        page.get_by_role("button", name="Allow", exact=True).click()
        page.get_by_text("Choose what your data may be used for.").wait_for()
        assert page.get_by_label("Skills", exact=True).is_checked()
        assert not page.get_by_label("SkillBridge: Job matching").is_checked()

        # Grant the declared purpose: all it needs unless fewer are ticked.
        page.get_by_label("Skills", exact=True).uncheck()
        page.get_by_label("SkillBridge: Job matching").check()
        page.get_by_role("button", name="Allow", exact=True).click()
        page.get_by_text("Your consent is recorded").wait_for()

        # The partner reads under it and says what came of the reads.
        first = partner.read(lea["id"])
        assert "errors" not in first, first
        assert first["data"]["citizenProfile"]["skills"] == {"nodes": [
            {"name": "weld metal parts"}]}
        partner.record(first["data"]["citizenProfile"]["read"]["id"], "MATCHES_SHOWN", 12,
                       "https://skillbridge.example/matches/1")
        second = partner.read(lea["id"])["data"]["citizenProfile"]
        partner.record(second["read"]["id"], "INTERVIEW", 1)

        page.reload()
        value = page.locator("#value + p").inner_text()
        assert "SkillBridge" in value and "used your skills 2 times" in value, value
        assert "showed you 12 vacancies" in value and "arranged 1 interview" in value, value
        reads = page.locator("#read-list").inner_text()
        assert ("SkillBridge read your contact details, your skills and your occupation for "
                "job matching.") in reads
        assert "It showed you 12 vacancies" in reads and "It arranged 1 interview" in reads
        _accessible(page, axe_script, "22-citizen-read-and-value")

        # Narrow: skills only from now on.
        panel = page.locator("section.panel", has=page.get_by_role(
            "heading", name=re.compile("SkillBridge: Job matching In force")))
        panel.get_by_text("Change what it may read or until when").click()
        panel.get_by_label("Contact details (name, email, region)").uncheck()
        panel.get_by_label("Occupation").uncheck()
        panel.get_by_role("button", name="Save the change").click()
        page.get_by_text("Your consent is changed").wait_for()
        narrowed = partner.read(lea["id"])["data"]["citizenProfile"]
        assert narrowed["categories"] == ["SKILLS"] and narrowed["name"] is None
        assert page.get_by_role("heading", name=re.compile("Job matching Replaced")).count() == 1

        # Withdraw: the next read is refused, and the refusal is on the page.
        live = page.locator("section.panel", has=page.get_by_role(
            "heading", name=re.compile("SkillBridge: Job matching In force")))
        live.get_by_role("button", name="Withdraw this consent").click()
        page.get_by_text("Your consent is withdrawn").wait_for()
        refused = partner.read(lea["id"])
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        page.reload()
        assert page.get_by_text(re.compile(r"Withdrawn on \d{4}-\d\d-\d\d")).count() == 1
        assert "Refused" in page.locator("#read-list").inner_text()
        assert "1 attempt to read your data was refused." in page.locator(
            "#value + p").inner_text()
        _accessible(page, axe_script, "23-citizen-withdrawn-en")

        # The receipt, the export and the log, as files.
        with page.expect_download() as got:
            page.get_by_role("link", name="Download the receipt (JSON)").first.click()
        receipt = json.loads(Path(got.value.path()).read_text())
        assert receipt["version"] == "KI-CR-v1.1.0"
        assert receipt["piiControllers"][0]["piiController"] == "SkillBridge"
        with page.expect_download() as got:
            page.get_by_role("link", name="Download my data (JSON)").click()
        export = Path(got.value.path()).read_text()
        assert "Léa Martin" in export and "weld metal parts" in export
        with page.expect_download() as got:
            page.get_by_role("link", name="Download my access log (JSON)").click()
        log_file = tmp_path / "civicgraph-access-log.json"
        got.value.save_as(log_file)
        log = json.loads(log_file.read_text())
        assert [e["outcome"] for e in log["events"]] == ["READ", "READ", "READ", "REFUSED"]

        verified = _verify(log_file, web)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "verified: 4 events" in verified.stdout
        log["events"][1]["fields"] = ["skills"]  # someone quietly narrows what was read
        altered = tmp_path / "altered.json"
        altered.write_text(json.dumps(log))
        failed = _verify(altered, web)
        assert failed.returncode == 1 and "event 2" in failed.stdout + failed.stderr

        page.get_by_role("button", name="Check my log").click()
        page.get_by_role("status").filter(has_text=re.compile("Verified: 4 events")).wait_for(
            timeout=15000)

        # The same page in French, checked too.
        page.goto(f"{web}/console/me?lang=fr")
        assert "Ce que vos données vous ont apporté cette année" in page.content()
        assert "vous a montré 12 offres" in page.locator("#value + p").inner_text()
        _accessible(page, axe_script, "24-citizen-my-data-fr")
        # Signed out, "Mes données" leads to the sign-in page in French, checked too.
        page.get_by_role("button", name=re.compile("Se déconnecter")).click()
        page.wait_for_url(re.compile(r"/console$"))
        page.goto(f"{web}/console?lang=fr")
        page.get_by_role("link", name="Mes données").click()
        page.get_by_role("button", name="Se connecter et autoriser").wait_for()
        assert "voir vos consentements et qui a lu vos données" in page.content()
        _accessible(page, axe_script, "25-citizen-sign-in-fr")
    finally:
        context.close()
