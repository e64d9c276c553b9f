"""The citizen checks their access log in real Chromium: the page's script recomputes the chain
with WebCrypto from the canonical form the server hashed (so the two must agree byte for byte,
here on a chain with a read and a refusal), checks the signed head against the served JWKS,
and says so in words; a tampered copy is said not to verify, in French too."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.partner_graph.service import organisations
from tests.console.test_console_browser import _accessible, _sign_in


def _post(url: str, data: bytes, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def _partner_reads(web: str, citizen_id: str) -> None:
    basic = base64.b64encode(f"{demo_identity.PARTNER_CLIENT_ID}:"
                             f"{demo_identity.PARTNER_SECRET}".encode()).decode()
    token = _post(f"{web}/oauth/token",
                  urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
                  {"Authorization": f"Basic {basic}",
                   "Content-Type": "application/x-www-form-urlencoded"})["access_token"]
    query = ('query($id: ID!) { citizenProfile(citizenId: $id, purpose: "job-matching") '
             '{ name } }')
    for purpose_ok in (True, False):
        body = {"query": query if purpose_ok else query.replace("job-matching", "marketing"),
                "variables": {"id": citizen_id}}
        _post(f"{web}/graphql", json.dumps(body).encode(),
              {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def test_check_my_log_in_chromium(graph: Graph, web: str, browser: Any,
                                  axe_script: Path) -> None:
    name, region = demo_identity.PARTNER_ORGANISATION
    organisations.register(graph, name=name, kind="START_UP", region=region, description=None)
    demo_identity.seed(graph, web)
    citizen_id = graph.run("MATCH (p:Person {email: $email}) RETURN p.id AS id",
                           {"email": demo_identity.CITIZEN_EMAIL})[0]["id"]
    _partner_reads(web, citizen_id)

    context = browser.new_context()
    page = context.new_page()
    try:
        _sign_in(page, web, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
        page.goto(f"{web}/console/me")
        page.get_by_role("button", name="Check my log").click()
        result = page.get_by_role("status").filter(has_text=re.compile("erified"))
        result.wait_for(timeout=15000)
        assert result.inner_text().startswith("Verified: 2 events"), result.inner_text()
        _accessible(page, axe_script, "11-citizen-access-log-verified")

        # A copy of the log with one event changed: the same page says it does not verify.
        def tampered(route: Any) -> None:
            response = route.fetch()
            document = response.json()
            document["events"][0]["purpose"] = "something-else"
            route.fulfill(response=response, body=json.dumps(document))

        page.route("**/console/me/access-log.json", tampered)
        page.goto(f"{web}/console/me?lang=fr")
        page.get_by_role("button", name="Vérifier mon journal").click()
        failed = page.get_by_role("status").filter(has_text="Non vérifié")
        failed.wait_for(timeout=15000)
        assert "l\u2019événement 1 a été modifié" in failed.inner_text(), failed.inner_text()
    finally:
        context.close()
